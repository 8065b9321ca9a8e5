/**
 * A shipment's records as the gateway's dossier lists them (the chaincode finds them by its indexes: the portal never
 * guesses an id), reduced to the latest of each kind for the dossier's sections.
 */
import { get, seg } from './api';
import type { Dossier, DossierAnswer } from './types';

export type Kind = 'billOfLading' | 'declaration' | 'certificate' | 'financing';

/** The ids of a shipment's latest record of each kind. */
export type Located = Partial<Record<Kind, string>>;

/** REST collection of each record kind. */
export const COLLECTION: Record<Kind | 'shipment' | 'document', string> = {
    shipment: 'shipments', document: 'documents', billOfLading: 'bills-of-lading', declaration: 'declarations',
    certificate: 'certificates', financing: 'financing',
};

const PREFIX: Record<Kind, string> = { billOfLading: 'BL', declaration: 'DEC', certificate: 'COO', financing: 'FIN' };

/** The id a form proposes for a new record (the person may change it); never used to look a record up. */
export function suggestedId(kind: Kind, shipmentId: string): string {
    return `${PREFIX[kind]}-${shipmentId}`.slice(0, 64);
}

/** The dossier, with the latest (most recently created) record of each kind in its section. */
export async function loadDossier(shipmentId: string): Promise<{ dossier: Dossier; located: Located }> {
    const answer = await get<DossierAnswer>(`/api/v1/shipments/${seg(shipmentId)}/dossier`);
    const dossier: Dossier = {
        shipment: answer.shipment, commercial: answer.commercial, documents: answer.documents,
        billOfLading: answer.billsOfLading.at(-1) ?? null, declaration: answer.declarations.at(-1) ?? null,
        certificate: answer.certificates.at(-1) ?? null, financing: answer.financings.at(-1) ?? null, hidden: answer.hidden,
    };
    const located: Located = {
        ...(dossier.billOfLading ? { billOfLading: dossier.billOfLading.record.transportDocumentReference } : {}),
        ...(dossier.declaration ? { declaration: dossier.declaration.record.declarationId } : {}),
        ...(dossier.certificate ? { certificate: dossier.certificate.record.applicationId } : {}),
        ...(dossier.financing ? { financing: dossier.financing.record.financingId } : {}),
    };
    return { dossier, located };
}
