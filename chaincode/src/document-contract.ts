/**
 * Documents on a shipment: public metadata (type, SHA-256, size, media type, uploader, version, status) on the
 * channel; the bytes and structured fields in the collection whose members may read that type. A new version
 * supersedes the old one, which is kept; anyone can verify bytes or a hash against what was registered.
 */
import { Context, Contract } from 'fabric-contract-api';
import {
    COLLECTION_BY_TYPE, DOCUMENT_TYPES, DocumentContent, DocumentHead, DocumentType, DocumentVersion, documentFields,
    readHead, readVersion, versionLabel,
} from './documents';
import { ContractError } from './errors';
import { canonicalJson } from './json';
import {
    emit, key, putIndex, readPrivate, requireMember, requireTransient, sha256, stamp, transientBytes, writePrivate,
    writeState,
} from './ledger';
import { authorize } from './permissions';
import { RECORD_KEYS } from './records';
import { loadShipment } from './shipment-contract';
import * as v from './validation';

export const HASH_INDEX = 'document~hash';
const SHIPMENT_INDEX = 'document~shipment';

function parseVersion(text: string): number {
    if (!/^[1-9]\d{0,5}$/.test(text)) {
        throw new ContractError('INVALID_ARGUMENT', 'version must be a whole number from 1 to 999999');
    }
    return Number(text);
}

/** Registered versions whose SHA-256 is `digest`. */
async function matches(ctx: Context, digest: string): Promise<{ sha256: string; matches: DocumentVersion[] }> {
    const iterator = await ctx.stub.getStateByPartialCompositeKey(HASH_INDEX, [digest]);
    const found: DocumentVersion[] = [];
    try {
        for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
            const [, documentId, label] = ctx.stub.splitCompositeKey(r.value.key).attributes;
            const record = documentId === undefined ? undefined : await readVersion(ctx, documentId, Number(label));
            if (record) {
                found.push(record);
            }
        }
    } finally {
        await iterator.close();
    }
    return { sha256: digest, matches: found };
}

export class DocumentContract extends Contract {
    constructor() {
        super('document');
    }

    /**
     * Registers a document, or a new version of it. `metaJson`: {docType, sha256, size, mediaType, fileName?}.
     * Transient `content`: the file bytes (must hash to sha256); transient `fields`: optional structured fields.
     */
    public async registerDocument(ctx: Context, documentId: string, shipmentId: string, metaJson: string): Promise<string> {
        const who = authorize(ctx, 'document.register');
        v.id('documentId', documentId);
        const meta = v.parseObject('metaJson', metaJson);
        const docType = v.oneOf<DocumentType>('docType', meta['docType'], DOCUMENT_TYPES);
        const digest = v.sha256Hex('sha256', meta['sha256']);
        const size = v.positiveInt('size', meta['size'], v.LIMITS.transientBytes);
        const mediaType = v.text('mediaType', meta['mediaType'], 100);
        const fileName = v.optionalText('fileName', meta['fileName'], 255);
        const collection = COLLECTION_BY_TYPE[docType];
        // Refuse early and by name, before the peer refuses the collection write with a less helpful message.
        requireMember(who, collection);

        const shipment = await loadShipment(ctx, shipmentId);
        if (shipment.status === 'CANCELLED') {
            throw new ContractError('FAILED_PRECONDITION', `shipment ${shipmentId} is CANCELLED`);
        }
        const content = requireTransient(ctx, 'content');
        if (content.length !== size) {
            throw new ContractError('INVALID_ARGUMENT', `size ${size} does not match the ${content.length} bytes of transient content`);
        }
        if (sha256(content) !== digest) {
            throw new ContractError('INVALID_ARGUMENT', 'sha256 does not match the bytes of transient content');
        }
        const fieldsBytes = transientBytes(ctx, 'fields');
        const fields = fieldsBytes ? documentFields('fields', v.parseObject('transient fields', fieldsBytes.toString('utf8'))) : {};

        const head = await readHead(ctx, documentId);
        if (head) {
            if (head.shipmentId !== shipmentId || head.docType !== docType) {
                throw new ContractError('CONFLICT', `document ${documentId} is a ${head.docType} of shipment ${head.shipmentId}`);
            }
            if (head.ownerMspId !== who.mspId) {
                throw new ContractError('FORBIDDEN', `only ${head.ownerMspId} may register new versions of document ${documentId}`);
            }
        }
        const existing = await ctx.stub.getStateByPartialCompositeKey(HASH_INDEX, [digest, documentId]);
        try {
            if (!(await existing.next()).done) {
                throw new ContractError('ALREADY_EXISTS', `these bytes are already registered as a version of document ${documentId}`);
            }
        } finally {
            await existing.close();
        }

        const by = stamp(ctx, who);
        const version = (head?.currentVersion ?? 0) + 1;
        if (head) {
            const previous = await readVersion(ctx, documentId, head.currentVersion);
            // A revoked version stays REVOKED; only a current one becomes SUPERSEDED.
            if (previous && previous.status === 'CURRENT') {
                await writeState(ctx, key(ctx, 'documentVersion', documentId, versionLabel(previous.version)), { ...previous, status: 'SUPERSEDED', updatedBy: by });
            }
        }
        const record: DocumentVersion = {
            documentId, shipmentId, docType, version, status: 'CURRENT', sha256: digest, size, mediaType,
            ...(fileName === undefined ? {} : { fileName }), uploadedBy: by, updatedBy: by,
        };
        const nextHead: DocumentHead = { documentId, shipmentId, docType, collection, ownerMspId: who.mspId, currentVersion: version, updatedBy: by };
        const privateContent: DocumentContent = { documentId, version, sha256: digest, mediaType, contentBase64: content.toString('base64'), fields };
        await writePrivate(ctx, who, collection, key(ctx, 'documentContent', documentId, versionLabel(version)), privateContent);
        await writeState(ctx, key(ctx, 'documentVersion', documentId, versionLabel(version)), record);
        await writeState(ctx, key(ctx, RECORD_KEYS.document, documentId), nextHead);
        await putIndex(ctx, HASH_INDEX, [digest, documentId, versionLabel(version)]);
        if (!head) {
            await putIndex(ctx, SHIPMENT_INDEX, [shipmentId, documentId]);
        }
        emit(ctx, { type: 'DocumentRegistered', record: 'document', id: documentId, shipmentId, status: 'CURRENT' });
        return canonicalJson(record);
    }

    /** Revokes one version (for example a document issued in error); only its uploader's organisation may. */
    public async revokeDocument(ctx: Context, documentId: string, version: string, reason: string): Promise<string> {
        const who = authorize(ctx, 'document.revoke');
        v.id('documentId', documentId);
        const n = parseVersion(version);
        v.text('reason', reason, v.LIMITS.text);
        const record = await readVersion(ctx, documentId, n);
        if (!record) {
            throw new ContractError('NOT_FOUND', `document ${documentId} version ${n} does not exist`);
        }
        if (record.uploadedBy.mspId !== who.mspId) {
            throw new ContractError('FORBIDDEN', `only ${record.uploadedBy.mspId} may revoke document ${documentId}`);
        }
        if (record.status === 'REVOKED') {
            throw new ContractError('FAILED_PRECONDITION', `document ${documentId} version ${n} is already REVOKED`);
        }
        const next: DocumentVersion = { ...record, status: 'REVOKED', revocationReason: reason, updatedBy: stamp(ctx, who) };
        await writeState(ctx, key(ctx, 'documentVersion', documentId, versionLabel(n)), next);
        emit(ctx, { type: 'DocumentRevoked', record: 'document', id: documentId, shipmentId: record.shipmentId, status: 'REVOKED' });
        return canonicalJson(next);
    }

    /** The document's head and every version's public metadata, oldest first. */
    public async getDocument(ctx: Context, documentId: string): Promise<string> {
        authorize(ctx, 'document.read');
        v.id('documentId', documentId);
        const head = await readHead(ctx, documentId);
        if (!head) {
            throw new ContractError('NOT_FOUND', `document ${documentId} does not exist`);
        }
        const versions: DocumentVersion[] = [];
        for (let n = 1; n <= head.currentVersion; n++) {
            const record = await readVersion(ctx, documentId, n);
            if (record) {
                versions.push(record);
            }
        }
        return canonicalJson({ ...head, versions });
    }

    /** Every document registered on a shipment (heads). */
    public async listShipmentDocuments(ctx: Context, shipmentId: string): Promise<string> {
        authorize(ctx, 'document.read');
        await loadShipment(ctx, shipmentId);
        const iterator = await ctx.stub.getStateByPartialCompositeKey(SHIPMENT_INDEX, [shipmentId]);
        const heads: DocumentHead[] = [];
        try {
            for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
                const documentId = ctx.stub.splitCompositeKey(r.value.key).attributes[1];
                const head = documentId === undefined ? undefined : await readHead(ctx, documentId);
                if (head) {
                    heads.push(head);
                }
            }
        } finally {
            await iterator.close();
        }
        return canonicalJson(heads);
    }

    /** The bytes (base64) and structured fields of a version, for members of the type's collection only. */
    public async getDocumentContent(ctx: Context, documentId: string, version: string): Promise<string> {
        const who = authorize(ctx, 'document.read');
        v.id('documentId', documentId);
        const n = parseVersion(version);
        const head = await readHead(ctx, documentId);
        if (!head || n > head.currentVersion) {
            throw new ContractError('NOT_FOUND', `document ${documentId} version ${n} does not exist`);
        }
        requireMember(who, head.collection);
        const content = await readPrivate<DocumentContent>(ctx, head.collection, key(ctx, 'documentContent', documentId, versionLabel(n)));
        if (!content) {
            throw new ContractError('NOT_FOUND', `content of document ${documentId} version ${n} is not on this peer`);
        }
        return canonicalJson(content);
    }

    /** Which registered document versions have this SHA-256, and whether each is current, superseded or revoked. */
    public async verifyDocumentHash(ctx: Context, digest: string): Promise<string> {
        authorize(ctx, 'document.read');
        return canonicalJson(await matches(ctx, v.sha256Hex('sha256', digest)));
    }

    /**
     * What anyone holding a file may learn (the gateway answers anonymous callers with this): whether it is
     * registered and, per matching version, its type, version, status and registration time. Not who uploaded it,
     * its file name, its shipment or a revocation reason: those are the members' business.
     */
    public async verifyDocumentRegistration(ctx: Context, digest: string): Promise<string> {
        authorize(ctx, 'document.read');
        const found = await matches(ctx, v.sha256Hex('sha256', digest));
        return canonicalJson({
            sha256: found.sha256,
            registered: found.matches.length > 0,
            matches: found.matches.map((m) => ({ docType: m.docType, version: m.version, status: m.status, registeredAt: m.uploadedBy.at })),
        });
    }

    /** As verifyDocumentHash, for the bytes in transient `content` (hashed here, never stored). */
    public async verifyDocumentBytes(ctx: Context): Promise<string> {
        authorize(ctx, 'document.read');
        return canonicalJson(await matches(ctx, sha256(requireTransient(ctx, 'content'))));
    }
}
