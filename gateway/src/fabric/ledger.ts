/**
 * The seam between the gateway's services and Fabric: what a service may ask of the ledger, on behalf of which
 * person. Services depend on this interface only; tests give them a fake.
 */

/** A person's enrolled Fabric identity, as the user store hands it out (key decrypted). */
export interface SigningIdentity {
    readonly mspId: string;
    readonly certificatePem: string;
    readonly privateKeyPem: string;
}

/** Looks up the identity a user signs with; called once per user, the parsed key is then cached. */
export type IdentityResolver = (user: string) => Promise<SigningIdentity>;

export interface SubmitOptions {
    readonly arguments?: readonly string[];
    /** Private values: travel in the transient map, never recorded in a block. */
    readonly transientData?: Readonly<Record<string, string | Uint8Array>>;
    /** Restrict endorsement to these organisations (private data members). */
    readonly endorsingOrganizations?: readonly string[];
}

export interface SubmitResult {
    readonly result: Uint8Array;
    readonly transactionId: string;
    readonly blockNumber: bigint;
}

/** A chaincode event with its position on the ledger. */
export interface LedgerEvent {
    readonly blockNumber: bigint;
    readonly transactionId: string;
    readonly eventName: string;
    readonly payload: Uint8Array;
}

/** Where an event stream resumes: strictly after this transaction of this block. */
export interface EventPosition {
    readonly blockNumber: bigint;
    readonly transactionId?: string;
}

/** An event stream the consumer can stop (it also stops when the peer connection closes). */
export interface EventStream extends AsyncIterable<LedgerEvent> {
    close(): void;
}

/** What the peer says to a probe: it answers (with the chain height), it refuses at its limit, or it is not reached. */
export type PeerProbe =
    | { readonly state: 'ok'; readonly height: bigint }
    | { readonly state: 'refusing' | 'unreachable'; readonly reason: string };

export interface Ledger {
    /** Runs a read-only transaction function on the org's peer, signed by `user`. */
    evaluate(user: string, fn: string, args?: readonly string[]): Promise<Uint8Array>;
    /** Endorses, orders and waits for the commit of a transaction signed by `user`. */
    submit(user: string, fn: string, options?: SubmitOptions): Promise<SubmitResult>;
    /**
     * Chaincode events of the gateway's chaincode, from `after` (exclusive) or from the next block. Each stream holds
     * a peer slot until the peer next has an event to send, even after close(): only the event hub opens them.
     */
    events(user: string, after?: EventPosition): Promise<EventStream>;
    /** The channel's height: the number of the next block. */
    chainHeight(user: string): Promise<bigint>;
    /** Block `number` as the peer stores it (common.Block bytes). */
    block(user: string, number: bigint): Promise<Uint8Array>;
    /** Whether the peer answers now, refuses, or cannot be reached. */
    probe(): Promise<PeerProbe>;
    /** Drops a user's cached connection (after revocation). */
    forget(user: string): void;
    close(): void;
}
