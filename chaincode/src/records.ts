/** Composite-key types of the records, so that history and cross-record reads agree on where a record lives. */
export const RECORD_KEYS = {
    shipment: 'shipment',
    document: 'document',
    billOfLading: 'billOfLading',
    declaration: 'declaration',
    certificate: 'certificate',
    financing: 'financing',
} as const;

export type RecordType = keyof typeof RECORD_KEYS;
export const RECORD_TYPES = Object.keys(RECORD_KEYS) as RecordType[];
