/**
 * Receives one multipart file: SHA-256 computed while the bytes stream in, a size limit answered with 413 as soon as
 * it is crossed, and the media type checked against the file's first bytes rather than trusted from the client.
 * Contents are kept in memory: they go to the chaincode as transient (private) data, which is one message anyway.
 */
import busboy from 'busboy';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../errors';

export interface ReceivedFile {
    readonly field: string;
    readonly filename: string;
    /** The media type the bytes are (by signature), which was also the one declared. */
    readonly mediaType: string;
    readonly size: number;
    /** Hex SHA-256 of the content. */
    readonly sha256: string;
    readonly content: Buffer;
}

export interface ReceivedUpload {
    readonly file: ReceivedFile;
    /** The text fields sent with the file. */
    readonly fields: Readonly<Record<string, string>>;
}

/** File signatures of the media types documents may have. */
const SIGNATURES: readonly { mediaType: string; magic: Buffer }[] = [
    { mediaType: 'application/pdf', magic: Buffer.from('%PDF-') },
    { mediaType: 'image/png', magic: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
    { mediaType: 'image/jpeg', magic: Buffer.from([0xff, 0xd8, 0xff]) },
    { mediaType: 'image/tiff', magic: Buffer.from([0x49, 0x49, 0x2a, 0x00]) },
    { mediaType: 'image/tiff', magic: Buffer.from([0x4d, 0x4d, 0x00, 0x2a]) },
    { mediaType: 'application/xml', magic: Buffer.from('<?xml') },
];

/** The media type the content's first bytes identify, or undefined. */
export function sniffMediaType(content: Buffer): string | undefined {
    return SIGNATURES.find((s) => content.subarray(0, s.magic.length).equals(s.magic))?.mediaType;
}

export function receiveUpload(req: IncomingMessage, limitBytes: number, allowedTypes: readonly string[]): Promise<ReceivedUpload> {
    return new Promise((resolve, reject) => {
        let parser: busboy.Busboy;
        try {
            parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: limitBytes, fields: 20, fieldSize: 64 * 1024, parts: 21 } });
        } catch {
            reject(new ApiError('UNSUPPORTED_MEDIA_TYPE', 'the request must be multipart/form-data'));
            return;
        }
        const fields: Record<string, string> = {};
        let file: ReceivedFile | undefined;
        let pending: Promise<void> = Promise.resolve();
        let failed = false;
        const fail = (err: ApiError): void => {
            if (failed) {
                return;
            }
            failed = true;
            // Stop parsing and discard the rest of the body without keeping it.
            req.unpipe(parser);
            req.resume();
            reject(err);
        };
        parser.on('field', (name, value) => { fields[name] = value; });
        parser.on('file', (field, stream, info) => {
            const hash = createHash('sha256');
            const chunks: Buffer[] = [];
            let size = 0;
            stream.on('data', (chunk: Buffer) => { hash.update(chunk); chunks.push(chunk); size += chunk.length; });
            stream.on('limit', () => fail(new ApiError('PAYLOAD_TOO_LARGE', `the file is larger than ${limitBytes} bytes`)));
            pending = new Promise((done) => stream.on('end', () => {
                const content = Buffer.concat(chunks);
                const mediaType = sniffMediaType(content);
                if (!mediaType || !allowedTypes.includes(mediaType)) {
                    fail(new ApiError('UNSUPPORTED_MEDIA_TYPE', `the file content is not one of ${allowedTypes.join(', ')}`));
                } else if (info.mimeType !== mediaType) {
                    fail(new ApiError('UNSUPPORTED_MEDIA_TYPE', `the file was declared ${info.mimeType} but its content is ${mediaType}`));
                } else {
                    file = { field, filename: info.filename ?? 'unnamed', mediaType, size, sha256: hash.digest('hex'), content };
                }
                done();
            }));
        });
        parser.on('filesLimit', () => fail(new ApiError('INVALID_ARGUMENT', 'send exactly one file')));
        parser.on('fieldsLimit', () => fail(new ApiError('INVALID_ARGUMENT', 'too many form fields')));
        parser.on('partsLimit', () => fail(new ApiError('INVALID_ARGUMENT', 'too many form parts')));
        parser.on('error', () => fail(new ApiError('INVALID_ARGUMENT', 'the multipart body is malformed')));
        parser.on('close', () => {
            void pending.then(() => {
                if (failed) {
                    return;
                }
                if (!file) {
                    fail(new ApiError('INVALID_ARGUMENT', 'the request carries no file'));
                    return;
                }
                resolve({ file, fields });
            });
        });
        req.pipe(parser);
    });
}
