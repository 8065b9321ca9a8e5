/**
 * The gateway connection profile: the one file (YAML or JSON, `TRADEDOCS_GATEWAY_PROFILE`) that says which
 * organisation a gateway serves and how it reaches that organisation's peer and CA. The schema lives here and is the
 * contract between whoever writes profiles (an organisation's operators, or the dev network manager's
 * gateway-profile module) and the gateway's config loader (config.ts). Relative paths are relative to the
 * profile file.
 */
import { type Static, Type } from '@sinclair/typebox';

/** `expected` is an annotation read by the config loader: what to say when a field's pattern does not match. */
const Text = (expected: string, pattern: string, description: string) => Type.String({ pattern, expected, description });
const FilePath = (description: string) => Type.String({ minLength: 1, description });
const Bytes = (description: string) => Type.Integer({ minimum: 1024, maximum: 2 ** 31 - 1, description });

export const PROFILE_VERSION = 1;
const NAME_PATTERN = '^[a-z0-9][a-z0-9._-]{0,62}$';

export const GatewayProfileSchema = Type.Object({
    version: Type.Literal(PROFILE_VERSION),
    organisation: Type.Object({
        id: Text('lower-case letters, digits, dots, dashes (e.g. exporter)', '^[a-z][a-z0-9-]{0,31}$', 'Short name; goes into tokens and logs'),
        name: Type.String({ minLength: 1, maxLength: 100 }),
        mspId: Text('an MSP id such as ExporterMSP', '^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$', 'The organisation\'s MSP id on the channel'),
        roles: Type.Array(Text('a role attribute value', '^[a-z][a-z0-9_]{0,31}$', 'A `role` attribute value'), { minItems: 1, uniqueItems: true }),
    }, { additionalProperties: false }),
    listen: Type.Optional(Type.Object({
        host: Type.Optional(Type.String({ minLength: 1 })),
        port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    }, { additionalProperties: false })),
    peer: Type.Object({
        endpoint: Text('host:port', '^[^\\s:/]+:[0-9]{1,5}$', 'The organisation\'s peer (gRPC, TLS)'),
        tlsRootCertFile: FilePath('PEM: the CA that issued the peer\'s TLS certificate'),
        hostAlias: Type.Optional(Type.String({ minLength: 1, description: 'TLS server name to expect (grpc.ssl_target_name_override)' })),
        concurrencyLimit: Type.Optional(Type.Integer({ minimum: 1, description: 'The peer\'s peer.limits.concurrency.gatewayService; the gateway checks it stays below' })),
    }, { additionalProperties: false }),
    channel: Text('a channel name', '^[a-z][a-z0-9.-]{0,248}$', 'Channel name'),
    chaincode: Text('a chaincode name', '^[A-Za-z0-9_-]{1,64}$', 'Chaincode name'),
    ca: Type.Object({
        url: Text('an https URL', '^https://[^\\s/]+$', 'The organisation\'s Fabric CA'),
        caName: Type.String({ minLength: 1 }),
        tlsRootCertFile: FilePath('PEM: the CA that issued the Fabric CA\'s TLS certificate'),
        registrar: Type.Object({
            name: Type.String({ minLength: 1, maxLength: 64 }),
            secretFile: FilePath('The registrar\'s enrolment secret (mode 600)'),
        }, { additionalProperties: false }),
    }, { additionalProperties: false }),
    grpc: Type.Object({
        maxReceiveMessageBytes: Bytes('Largest answer accepted from the peer: must hold the biggest document, base64 in JSON'),
        maxSendMessageBytes: Bytes('Largest request sent to the peer'),
    }, { additionalProperties: false }),
    dataDir: FilePath('Users, sealed keys, idempotency records, token key (created with mode 700)'),
    keyEncryptionKey: Type.Object({
        file: Type.Optional(FilePath('32 random bytes, mode 600, outside dataDir')),
        env: Type.Optional(Text('an environment variable name', '^[A-Z_][A-Z0-9_]*$', 'Variable holding the key, base64')),
    }, { additionalProperties: false }),
    demoUsers: Type.Object({
        enabled: Type.Boolean(),
        users: Type.Optional(Type.Array(Type.Object({
            name: Text('a user name', NAME_PATTERN, 'Demo user name'),
            role: Type.String({ minLength: 1 }),
        }, { additionalProperties: false }))),
    }, { additionalProperties: false }),
    publicVerifier: Type.Optional(Text('a user name', NAME_PATTERN, 'The person whose identity signs the public verification queries')),
    revocation: Type.Object({
        publisher: Type.Union([Type.Literal('none'), Type.Literal('command')]),
        command: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
        environment: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), Type.String())),
        timeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
    }, { additionalProperties: false }),
}, { additionalProperties: false });

/** A profile as written (paths as given, optional fields optional). */
export type GatewayProfile = Static<typeof GatewayProfileSchema>;
