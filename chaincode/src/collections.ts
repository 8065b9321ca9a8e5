/** The private data collections (network/collections_config.json) and which organisations are members. */
export const COLLECTION_MEMBERS: Readonly<Record<string, readonly string[]>> = {
    TradePartiesCollection: ['ExporterMSP', 'CarrierMSP', 'CustomsMSP', 'BankMSP'],
    ExporterCustomsBankCollection: ['ExporterMSP', 'CustomsMSP', 'BankMSP'],
    ExporterCustomsCollection: ['ExporterMSP', 'CustomsMSP'],
    ExporterBankCollection: ['ExporterMSP', 'BankMSP'],
    CustomsCollection: ['CustomsMSP'],
};
