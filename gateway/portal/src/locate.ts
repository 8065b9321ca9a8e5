/**
 * Finding a shipment's B/L, declaration, certificate and financing. The API indexes documents by shipment but not
 * these records, and its event stream cannot replay from the first block, so the portal (1) proposes ids by a
 * convention (BL-, DEC-, COO-, FIN- followed by the shipment id), (2) remembers in localStorage every id it saw in
 * an event or created itself, and (3) asks the gateway for the candidate id, keeping it only if it exists and
 * belongs to the shipment. A record created elsewhere under another id appears once an event names it.
 */
import { ApiProblem, get, seg } from './api';

export type Kind = 'billOfLading' | 'declaration' | 'certificate' | 'financing';
export const KINDS: readonly Kind[] = ['billOfLading', 'declaration', 'certificate', 'financing'];

const PREFIX: Record<Kind, string> = { billOfLading: 'BL', declaration: 'DEC', certificate: 'COO', financing: 'FIN' };
export const COLLECTION: Record<Kind | 'shipment' | 'document', string> = {
    shipment: 'shipments', document: 'documents', billOfLading: 'bills-of-lading', declaration: 'declarations',
    certificate: 'certificates', financing: 'financing',
};

const STORE_KEY = 'tradedocs.index';
type Index = Record<string, Partial<Record<Kind, string>>>;

function load(): Index {
    try {
        return JSON.parse(localStorage.getItem(STORE_KEY) ?? '{}') as Index;
    } catch {
        return {};
    }
}

/** The id the portal proposes for a new record of `kind` on a shipment (ids are at most 64 characters). */
export function conventionalId(kind: Kind, shipmentId: string): string {
    return `${PREFIX[kind]}-${shipmentId}`.slice(0, 64);
}

/** Records that a record of `kind` named `id` belongs to `shipmentId`. */
export function remember(shipmentId: string, kind: string, id: string): void {
    if (!(KINDS as readonly string[]).includes(kind)) {
        return;
    }
    const index = load();
    index[shipmentId] = { ...index[shipmentId], [kind]: id };
    localStorage.setItem(STORE_KEY, JSON.stringify(index));
}

export type Located = Partial<Record<Kind, string>>;

async function fetchRecord(kind: Kind, id: string, shipmentId: string): Promise<unknown> {
    try {
        const record = await get<{ shipmentId?: string }>(`/api/v1/${COLLECTION[kind]}/${seg(id)}`);
        return record.shipmentId === shipmentId ? record : undefined;
    } catch (err) {
        if (err instanceof ApiProblem && (err.status === 404 || err.status === 403)) {
            return undefined;
        }
        throw err;
    }
}

/** A shipment's records that exist, by kind (one request per kind, in parallel). */
export async function locateRecords(shipmentId: string, kinds: readonly Kind[] = KINDS): Promise<Partial<Record<Kind, unknown>>> {
    const known = load()[shipmentId] ?? {};
    const found: Partial<Record<Kind, unknown>> = {};
    await Promise.all(kinds.map(async (kind) => {
        const id = known[kind] ?? conventionalId(kind, shipmentId);
        const record = await fetchRecord(kind, id, shipmentId);
        if (record !== undefined) {
            found[kind] = record;
            remember(shipmentId, kind, id);
        }
    }));
    return found;
}

const ID_FIELD: Record<Kind, string> = {
    billOfLading: 'transportDocumentReference', declaration: 'declarationId', certificate: 'applicationId', financing: 'financingId',
};

/** The ids of a shipment's records that exist. */
export async function locate(shipmentId: string, kinds: readonly Kind[] = KINDS): Promise<Located> {
    const records = await locateRecords(shipmentId, kinds);
    const found: Located = {};
    for (const [kind, record] of Object.entries(records) as [Kind, Record<string, string>][]) {
        found[kind] = record[ID_FIELD[kind]];
    }
    return found;
}
