/**
 * The dossier: everything about a shipment that the caller's organisation may see, in one evaluate. Public records
 * come with the transactions the caller may run on each (`allowedActions`); a private part the organisation may not
 * read is null and named in `hidden`; documents carry their structured fields, never their files (download those one
 * by one). A private value this peer has not received yet makes the whole answer UNAVAILABLE (retry), never a gap.
 */
import { Context, Contract } from 'fabric-contract-api';
import { billOfLadingView, listShipmentBillsOfLading, transferLog } from './bill-of-lading-contract';
import { CERTIFICATE_COLLECTION, certificateView, listShipmentCertificates, loadCertificateDetails } from './certificate-contract';
import { COLLECTION_MEMBERS } from './collections';
import { DECLARATION_COLLECTION, declarationView, listShipmentDeclarations, loadDeclarationDetails } from './declaration-contract';
import { listShipmentHeads, withVersions } from './document-contract';
import { readFields } from './documents';
import { FINANCING_COLLECTION, financingView, listShipmentFinancings, loadExaminationReport, loadFinancingTerms } from './financing-contract';
import { canonicalJson } from './json';
import { type Stamp, situation } from './ledger';
import { type Action, type Caller, authorize, isAllowed } from './permissions';
import { COMMERCIAL_COLLECTION, loadCommercial, loadShipment, shipmentView } from './shipment-contract';

/** Whether the caller's role may read an action's private part and their organisation belongs to its collection. */
function mayRead(who: Caller, action: Action, collection: string): boolean {
    return isAllowed(`${who.mspId}/${who.role}`, action) && (COLLECTION_MEMBERS[collection] ?? []).includes(who.mspId);
}

/** Oldest first (by the stamp of the transaction that created each), the id breaking ties. */
function byCreation<T>(records: T[], created: (r: T) => Stamp, id: (r: T) => string): T[] {
    const order = (r: T) => `${created(r).at}|${id(r)}`;
    return [...records].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

export class DossierContract extends Contract {
    constructor() {
        super('dossier');
    }

    public async getDossier(ctx: Context, shipmentId: string): Promise<string> {
        const who = authorize(ctx, 'shipment.read');
        const s = situation(ctx, who);
        const shipment = await loadShipment(ctx, shipmentId);
        const hidden: string[] = [];
        /** A private part: read when the caller may, else null and named in `hidden`. */
        async function part<T>(name: string, action: Action, collection: string, read: () => Promise<T>): Promise<T | null> {
            if (!mayRead(who, action, collection)) {
                hidden.push(name);
                return null;
            }
            return read();
        }

        const commercial = await part('commercial', 'shipment.readCommercial', COMMERCIAL_COLLECTION, () => loadCommercial(ctx, shipmentId));
        const documents = [];
        for (const head of await listShipmentHeads(ctx, shipmentId)) {
            const fields = await part(`document ${head.documentId} fields`, 'document.read', head.collection,
                async () => (await readFields(ctx, head, head.currentVersion)) ?? null);
            documents.push({ ...(await withVersions(ctx, head)), fields });
        }
        const billsOfLading = [];
        for (const bl of byCreation(await listShipmentBillsOfLading(ctx, shipmentId), (r) => r.issuedBy, (r) => r.transportDocumentReference)) {
            billsOfLading.push({ record: billOfLadingView(bl, s), transferLog: await transferLog(ctx, bl) });
        }
        const declarations = [];
        for (const d of byCreation(await listShipmentDeclarations(ctx, shipmentId), (r) => r.lodgedBy, (r) => r.declarationId)) {
            const details = await part(`declaration ${d.declarationId} details`, 'declaration.read', DECLARATION_COLLECTION,
                () => loadDeclarationDetails(ctx, d.declarationId, d.version));
            declarations.push({ record: declarationView(d, s), details });
        }
        const certificates = [];
        for (const c of byCreation(await listShipmentCertificates(ctx, shipmentId), (r) => r.appliedBy, (r) => r.applicationId)) {
            const details = await part(`certificate ${c.applicationId} details`, 'certificate.read', CERTIFICATE_COLLECTION,
                () => loadCertificateDetails(ctx, c.applicationId));
            certificates.push({ record: certificateView(c, s), details });
        }
        const financings = [];
        for (const f of byCreation(await listShipmentFinancings(ctx, shipmentId), (r) => r.requestedBy, (r) => r.financingId)) {
            const terms = await part(`financing ${f.financingId} terms`, 'financing.readTerms', FINANCING_COLLECTION, () => loadFinancingTerms(ctx, f.financingId));
            const examinationReport = f.examination === undefined ? null
                : await part(`financing ${f.financingId} examination report`, 'financing.readTerms', FINANCING_COLLECTION,
                    async () => (await loadExaminationReport(ctx, f.financingId)) ?? null);
            financings.push({ record: financingView(f, s), terms, examinationReport });
        }
        return canonicalJson({
            shipment: shipmentView(shipment, s), commercial, documents, billsOfLading, declarations, certificates, financings,
            hidden: hidden.sort(),
        });
    }
}
