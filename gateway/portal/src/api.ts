/**
 * The gateway's REST API as the portal uses it: JSON in and out with the bearer token, problem+json answers turned
 * into ApiProblem (title, detail, code) with a sentence a person can act on, uploads with progress, blobs.
 */
import { clearSession, token } from './session';

export class ApiProblem extends Error {
    constructor(readonly status: number, readonly code: string, readonly title: string, readonly detail: string, readonly path = '') {
        super(detail || title);
    }

    /** What went wrong, in plain words, followed by the gateway's own detail. */
    get plain(): string {
        const lead = this.code === 'UNAUTHENTICATED' && this.path.endsWith('/auth/login') ? 'Sign-in failed.' : PLAIN[this.code] ?? this.title;
        return this.detail ? `${lead} ${this.detail.charAt(0).toUpperCase()}${this.detail.slice(1)}.`.replace(/\.\.$/, '.') : lead;
    }
}

const PLAIN: Record<string, string> = {
    INVALID_ARGUMENT: 'Something in this form was not accepted.',
    UNAUTHENTICATED: 'You are not signed in, or your session has ended.',
    FORBIDDEN: 'Your role is not allowed to do this.',
    NOT_FOUND: 'This record does not exist (check the reference).',
    ALREADY_EXISTS: 'A record with this reference already exists.',
    CONFLICT: 'The record changed or is in use.',
    FAILED_PRECONDITION: 'This step is not possible in the record\'s current state.',
    PAYLOAD_TOO_LARGE: 'The file is too large.',
    UNSUPPORTED_MEDIA_TYPE: 'This kind of file is not accepted (PDF, PNG, JPEG, TIFF or XML).',
    RATE_LIMITED: 'Too many requests: wait a moment and try again.',
    SATURATED: 'The gateway is busy: try again in a moment.',
    UNAVAILABLE: 'The ledger is not reachable right now: try again shortly.',
    COMMIT_STATUS_UNKNOWN: 'The ledger did not confirm in time; check the record before retrying.',
    TRANSACTION_INVALID: 'The ledger refused the change at commit; reload and try again.',
    INTERNAL: 'The gateway failed unexpectedly.',
    NETWORK: 'The gateway could not be reached.',
};

/** Listeners told when the gateway says the token is no longer valid. */
const expiredListeners: (() => void)[] = [];
export function onSessionExpired(listener: () => void): void {
    expiredListeners.push(listener);
}

function authHeaders(): Record<string, string> {
    const t = token();
    return t ? { Authorization: `Bearer ${t}` } : {};
}

function toProblem(status: number, text: string, path: string): ApiProblem {
    try {
        const p = JSON.parse(text) as { title?: string; detail?: string; code?: string };
        return new ApiProblem(status, p.code ?? `HTTP_${status}`, p.title ?? `HTTP ${status}`, p.detail ?? '', path);
    } catch {
        return new ApiProblem(status, `HTTP_${status}`, `The gateway answered ${status}`, text.slice(0, 200), path);
    }
}

function checkExpired(problem: ApiProblem, path: string): void {
    if (problem.status === 401 && !path.endsWith('/auth/login') && token()) {
        clearSession();
        expiredListeners.forEach((l) => l());
    }
}

export interface Answer<T> {
    data: T;
    transactionId?: string;
}

/** One JSON request. Writes carry an Idempotency-Key so a retried click never applies twice. */
export async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer<T>> {
    const headers: Record<string, string> = { Accept: 'application/json', ...authHeaders() };
    if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
    }
    if (method === 'POST' && !path.endsWith('/auth/login')) {
        headers['Idempotency-Key'] = crypto.randomUUID();
    }
    let res: Response;
    try {
        res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
        throw new ApiProblem(0, 'NETWORK', 'Network error', '');
    }
    const text = await res.text();
    if (!res.ok) {
        const problem = toProblem(res.status, text, path);
        checkExpired(problem, path);
        throw problem;
    }
    return { data: (text ? JSON.parse(text) : null) as T, transactionId: res.headers.get('X-Transaction-Id') ?? undefined };
}

export const get = <T>(path: string): Promise<T> => call<T>('GET', path).then((a) => a.data);
export const post = <T>(path: string, body?: unknown): Promise<Answer<T>> => call<T>('POST', path, body);

/** Path segment encoding for ids. */
export const seg = encodeURIComponent;

/** A file's bytes (document content) as a Blob with the media type the gateway states. */
export async function getBlob(path: string): Promise<Blob> {
    let res: Response;
    try {
        res = await fetch(path, { headers: authHeaders() });
    } catch {
        throw new ApiProblem(0, 'NETWORK', 'Network error', '');
    }
    if (!res.ok) {
        const problem = toProblem(res.status, await res.text(), path);
        checkExpired(problem, path);
        throw problem;
    }
    return res.blob();
}

/**
 * A multipart upload with progress (fetch cannot report upload progress; XMLHttpRequest can). Text fields go
 * before the file, as the gateway reads them.
 */
export function upload<T>(path: string, fields: Record<string, string>, file: File, onProgress: (fraction: number) => void): Promise<Answer<T>> {
    return new Promise((resolve, reject) => {
        const form = new FormData();
        for (const [name, value] of Object.entries(fields)) {
            form.append(name, value);
        }
        form.append('file', file, file.name);
        const xhr = new XMLHttpRequest();
        xhr.open('POST', path);
        for (const [name, value] of Object.entries(authHeaders())) {
            xhr.setRequestHeader(name, value);
        }
        xhr.setRequestHeader('Idempotency-Key', crypto.randomUUID());
        xhr.setRequestHeader('Accept', 'application/json');
        xhr.upload.addEventListener('progress', (e) => {
            if (e.lengthComputable) {
                onProgress(e.loaded / e.total);
            }
        });
        xhr.addEventListener('load', () => {
            if (xhr.status >= 200 && xhr.status < 300) {
                resolve({ data: JSON.parse(xhr.responseText) as T, transactionId: xhr.getResponseHeader('X-Transaction-Id') ?? undefined });
            } else {
                const problem = toProblem(xhr.status, xhr.responseText, path);
                checkExpired(problem, path);
                reject(problem);
            }
        });
        xhr.addEventListener('error', () => reject(new ApiProblem(0, 'NETWORK', 'Network error', '')));
        xhr.send(form);
    });
}

/** Any error as a sentence for the page. */
export function plainError(err: unknown): string {
    if (err instanceof ApiProblem) {
        return err.plain;
    }
    return err instanceof Error ? err.message : String(err);
}
