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

/**
 * Why a client's file name is refused, or undefined. It is kept as metadata and may end up in someone's download
 * dialog or file system: no directories, no parent references, no control characters.
 */
export function fileNameProblem(name: string | undefined): string | undefined {
    if (name === undefined || name === '') {
        return undefined;
    }
    if (/[/\\]/.test(name) || name === '.' || name === '..') {
        return 'the file name must not contain path separators (/ or \\) or be . or ..';
    }
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
    if (/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(name)) {
        return 'the file name must not contain control or bidirectional-override characters';
    }
    if (name.length > 255) {
        return 'the file name must be at most 255 characters';
    }
    return undefined;
}

export function receiveUpload(req: IncomingMessage, limitBytes: number, allowedTypes: readonly string[]): Promise<ReceivedUpload> {
    return new Promise((resolve, reject) => {
        let parser: busboy.Busboy;
        try {
            // fileSize one over the limit: busboy reports 'limit' on reaching its size, so a file of exactly limitBytes passes.
            // preservePath: see the client's file name as sent, so a name with directories is refused, not trimmed.
            // defParamCharset: browsers send file names as UTF-8; busboy's latin1 default turned "März" into mojibake.
            parser = busboy({ headers: req.headers, preservePath: true, defParamCharset: 'utf8', limits: { files: 1, fileSize: limitBytes + 1, fields: 20, fieldSize: 64 * 1024, parts: 21 } });
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
                const nameProblem = fileNameProblem(info.filename);
                if (nameProblem) {
                    fail(new ApiError('INVALID_ARGUMENT', nameProblem));
                } else if (size === 0) {
                    fail(new ApiError('INVALID_ARGUMENT', 'the file is empty'));
                } else if (!mediaType || !allowedTypes.includes(mediaType)) {
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
