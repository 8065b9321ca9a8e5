/** Structured JSON logs (pino). Secrets are redacted by path, so a careless `log.info({ body })` cannot leak them. */
import pino, { type Logger } from 'pino';

export const REDACTED_PATHS = [
    'password', '*.password', 'token', '*.token', 'authorization', '*.authorization', '*.headers.authorization',
    'privateKeyPem', '*.privateKeyPem', 'sealedKey', '*.sealedKey', 'secret', '*.secret',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
    return pino({
        level,
        base: { service: 'tradedocs-gateway' },
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
        serializers: { err: pino.stdSerializers.err },
    }, destination);
}
