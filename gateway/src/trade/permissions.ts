/**
 * Which of the chaincode's role × action rows each trade operation runs (chaincode/src/permissions.ts is the one
 * table of who may do what): /openapi.json lists the roles as each operation's `x-roles`. The chaincode still decides;
 * this only names the rows. Holder, status and collection checks come on top (e.g. only the B/L's holder transfers).
 */
import { type Action, PERMISSIONS } from '../../../chaincode/src/permissions';

/** operationId → the actions its transactions check (a public verification runs a read for anyone). */
export const OPERATION_ACTIONS: Readonly<Record<string, readonly Action[]>> = {
    openShipment: ['shipment.open'], listShipments: ['shipment.read'], getShipment: ['shipment.read'],
    getShipmentCommercial: ['shipment.readCommercial'], cancelShipment: ['shipment.cancel'], getDossier: ['shipment.read'],
    registerDocument: ['document.register'], listShipmentDocuments: ['document.read'], verifyDocumentHash: ['document.read'],
    verifyDocumentPublic: [], verifyDocumentBytes: ['document.read'], getDocument: ['document.read'], getDocumentContent: ['document.read'],
    revokeDocument: ['document.revoke'],
    draftBillOfLading: ['bl.draft'], approveBillOfLadingDraft: ['bl.approveDraft'], getBillOfLadingDraft: ['bl.read'],
    issueBillOfLading: ['bl.issue'], transferBillOfLading: ['bl.transfer'], endorseBillOfLading: ['bl.endorse'],
    surrenderBillOfLading: ['bl.surrender'], acceptSurrender: ['bl.acceptSurrender'], rejectSurrender: ['bl.rejectSurrender'],
    amendBillOfLading: ['bl.amend'], voidBillOfLading: ['bl.void'], getBillOfLading: ['bl.read'], getTransferLog: ['bl.read'],
    lodgeDeclaration: ['declaration.lodge'], amendDeclaration: ['declaration.amend'], cancelDeclaration: ['declaration.cancel'],
    acceptDeclaration: ['declaration.accept'], placeUnderControl: ['declaration.control'], requestAdditionalDocuments: ['declaration.requestDocuments'],
    provideAdditionalDocuments: ['declaration.provideDocuments'], releaseDeclaration: ['declaration.release'], rejectDeclaration: ['declaration.reject'],
    addRiskNote: ['declaration.riskNote'], getRiskNote: ['declaration.riskNote'], getDeclaration: ['declaration.read'], getDeclarationDetails: ['declaration.read'],
    applyForCertificate: ['certificate.apply'], issueCertificate: ['certificate.issue'], rejectCertificate: ['certificate.reject'],
    revokeCertificate: ['certificate.revoke'], getCertificate: ['certificate.read'], getCertificateDetails: ['certificate.read'], verifyCertificate: [],
    requestFinancing: ['financing.request'], examineFinancing: ['financing.examine'], approveFinancing: ['financing.approve'],
    rejectFinancing: ['financing.reject'], releaseFunds: ['financing.release'], withdrawFinancing: ['financing.withdraw'],
    getFinancing: ['financing.read'], getFinancingTerms: ['financing.readTerms'], getExaminationReport: ['financing.readTerms'],
    shipmentHistory: ['record.history'], documentHistory: ['record.history'], billOfLadingHistory: ['record.history'],
    declarationHistory: ['record.history'], certificateHistory: ['record.history'], financingHistory: ['record.history'],
    listAlerts: ['risk.read'], getAlert: ['risk.read'], acknowledgeAlert: ['risk.acknowledge'], closeAlert: ['risk.close'],
    assessFinancing: ['risk.assessFinancing'],
    listBillsOfLading: ['bl.read'], listDeclarations: ['declaration.read'], listCertificates: ['certificate.read'], listFinancing: ['financing.read'],
};

/** The `MSP/role` grantees the table gives every action of `operationId`, or undefined for an operation not listed. */
export function tradeRoles(operationId: string): string[] | undefined {
    const actions = OPERATION_ACTIONS[operationId];
    if (!actions) {
        return undefined;
    }
    const granted = actions.map((action) => new Set<string>(PERMISSIONS[action]));
    const [first, ...rest] = granted;
    return first ? [...first].filter((g) => rest.every((set) => set.has(g))) : [];
}
