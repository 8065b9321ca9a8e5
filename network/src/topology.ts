/**
 * The shape of the tradedocs network: organisations, nodes, the roles each organisation's CA hands out, and the
 * port of every endpoint. Pure data, derived from one base port so two networks can run side by side.
 */

export const CHANNEL = 'trade';
export const CHAINCODE_NAME = 'tradedocs';

/**
 * An organisation of the consortium: it runs its own Fabric CA (which issues its nodes', admins' and people's
 * certificates) and its own nodes, and shows the others only its public bundle (bundle.ts).
 */
export interface Org {
    /** Short name: directory, process and CLI name (`exporter`, `orderer`, `orderer2`). */
    readonly key: string;
    readonly name: string;
    readonly mspId: string;
    readonly domain: string;
    readonly kind: 'peer' | 'orderer';
}

/** A peer organisation: one peer, one Fabric CA, one chaincode server, one REST gateway. */
export interface PeerOrg extends Org {
    readonly key: 'exporter' | 'carrier' | 'customs' | 'bank' | 'supervisor';
    readonly kind: 'peer';
    /** Values of the `role` attribute this organisation's CA puts into user certificates. */
    readonly roles: readonly string[];
}

export const PEER_ORGS: readonly PeerOrg[] = [
    { key: 'exporter', kind: 'peer', name: 'Exporter', mspId: 'ExporterMSP', domain: 'exporter.tradedocs.local', roles: ['exporter', 'forwarder'] },
    { key: 'carrier', kind: 'peer', name: 'Carrier', mspId: 'CarrierMSP', domain: 'carrier.tradedocs.local', roles: ['carrier_agent'] },
    { key: 'customs', kind: 'peer', name: 'Customs', mspId: 'CustomsMSP', domain: 'customs.tradedocs.local', roles: ['customs_officer', 'customs_supervisor'] },
    { key: 'bank', kind: 'peer', name: 'Bank', mspId: 'BankMSP', domain: 'bank.tradedocs.local', roles: ['trade_finance_officer', 'trade_finance_approver'] },
];

/**
 * Organisations that join the running channel after its creation, through a configuration update the members sign
 * (membership.ts), rather than being in its genesis block: the trade supervisor.
 */
export const JOINING_ORGS: readonly PeerOrg[] = [
    { key: 'supervisor', kind: 'peer', name: 'Supervisor', mspId: 'SupervisorMSP', domain: 'supervisor.tradedocs.local', roles: ['supervisor_analyst', 'supervisor_officer'] },
];

/** Every peer organisation there can be: the founders (PEER_ORGS) and those that join later. */
export const ALL_PEER_ORGS: readonly PeerOrg[] = [...PEER_ORGS, ...JOINING_ORGS];

/** How the orderers agree on blocks: Raft (crash-fault tolerant) or SmartBFT (tolerates one malicious orderer of four). */
export type OrdererType = 'raft' | 'bft';
export const ORDERER_TYPES: readonly OrdererType[] = ['raft', 'bft'];

/** An ordering organisation: its own MSP, CA and admin, and one (BFT) or all (Raft) of the ordering nodes. */
export interface OrdererOrg extends Org {
    readonly kind: 'orderer';
    /** Its place in the port layout of ordering organisations' CAs. */
    readonly slot: number;
}

/** One ordering node; `index` fixes its ports and, under BFT, its consenter id (index + 1). */
export interface OrdererNode {
    readonly index: number;
    readonly name: string;
    readonly org: OrdererOrg;
}

export interface OrderingService {
    readonly type: OrdererType;
    readonly orgs: readonly OrdererOrg[];
    readonly nodes: readonly OrdererNode[];
    /** Nodes that must be up for blocks to be cut: a Raft majority, or SmartBFT's ceil((n + f + 1) / 2). */
    readonly quorum: number;
}

/**
 * Raft: one ordering organisation with three nodes (f = 1 crash). SmartBFT: four nodes (3f + 1, f = 1), each run by
 * an ordering organisation of its own, so no single operator can censor, reorder or forge blocks: peers accept a
 * block only with the signatures of a quorum (3) of the four consenters.
 */
export function orderingService(type: OrdererType): OrderingService {
    const orgs: OrdererOrg[] = type === 'raft'
        ? [{ key: 'orderer', kind: 'orderer', slot: 0, name: 'Orderer', mspId: 'OrdererMSP', domain: 'orderer.tradedocs.local' }]
        : Array.from({ length: 4 }, (_, i) => ({
            key: `orderer${i}`, kind: 'orderer', slot: i, name: `Orderer${i}`, mspId: `Orderer${i}MSP`, domain: `orderer${i}.tradedocs.local`,
        }));
    const count = type === 'raft' ? 3 : 4;
    const nodes = Array.from({ length: count }, (_, index) => ({ index, name: ordererName(index), org: orgs[type === 'raft' ? 0 : index] as OrdererOrg }));
    const f = Math.floor((count - 1) / 3);
    const quorum = type === 'raft' ? Math.floor(count / 2) + 1 : Math.ceil((count + f + 1) / 2);
    return { type, orgs, nodes, quorum };
}

/** The most orderers either service runs; ports are laid out for this many. */
export const MAX_ORDERERS = 4;

export interface OrdererPorts { readonly listen: number; readonly admin: number; readonly operations: number }
export interface PeerPorts { readonly listen: number; readonly chaincode: number; readonly operations: number; readonly chaincodeServer: number }
export interface CaPorts { readonly listen: number; readonly operations: number }

/**
 * Port layout relative to the base port (default 7000):
 * orderer i (0..3): base+100+10i (+0 cluster and clients, +1 admin, +2 operations);
 * peer of org j: base+200+10j (+0 peer, +1 chaincode callbacks, +2 operations, +3 that org's chaincode server);
 * CA of peer org j: base+300+10j (+0 API, +1 operations); CA of ordering org k: base+350+10k.
 */
export function ordererPorts(basePort: number, index: number): OrdererPorts {
    const p = basePort + 100 + 10 * index;
    return { listen: p, admin: p + 1, operations: p + 2 };
}

export function peerPorts(basePort: number, org: PeerOrg): PeerPorts {
    const p = basePort + 200 + 10 * orgIndex(org);
    return { listen: p, chaincode: p + 1, operations: p + 2, chaincodeServer: p + 3 };
}

export function caPorts(basePort: number, org: Org): CaPorts {
    const p = org.kind === 'peer' ? basePort + 300 + 10 * orgIndex(org as PeerOrg) : basePort + 350 + 10 * (org as OrdererOrg).slot;
    return { listen: p, operations: p + 1 };
}

/** The organisation's REST gateway (issue 4): gateway base + 1 + org index. */
export function gatewayPort(gatewayBasePort: number, org: PeerOrg): number {
    return gatewayBasePort + 1 + orgIndex(org);
}

export function ordererName(index: number): string {
    return `orderer${index}`;
}

export function peerOrg(key: string): PeerOrg {
    const org = ALL_PEER_ORGS.find((o) => o.key === key || o.mspId === key);
    if (!org) {
        throw new Error(`unknown organisation ${key}`);
    }
    return org;
}

function orgIndex(org: PeerOrg): number {
    return ALL_PEER_ORGS.findIndex((o) => o.key === org.key);
}

/** The demo users registered on first start: one per role, named after the role. */
export function demoUsers(org: PeerOrg): { name: string; role: string }[] {
    return org.roles.map((role) => ({ name: `${role.replace(/_/g, '-')}1`, role }));
}
