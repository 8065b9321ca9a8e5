/**
 * The one role × action table. Every transaction asks `authorize` first, so what a person may do is read here and
 * nowhere else. A role is only honoured in the organisation that owns it: a `customs_officer` attribute in a
 * certificate from ExporterMSP is refused, not trusted.
 */
import type { Context } from 'fabric-contract-api';
import { ContractError } from './errors';

/** Channel organisations and the roles each one may issue in its certificates. */
export const ROLES_BY_MSP: Readonly<Record<string, readonly string[]>> = {
    ExporterMSP: ['exporter', 'forwarder'],
    CarrierMSP: ['carrier_agent'],
    CustomsMSP: ['customs_officer', 'customs_supervisor'],
    BankMSP: ['trade_finance_officer', 'trade_finance_approver'],
    // The trade supervisor joins the running channel (network/src/membership.ts): read-only on shared state.
    SupervisorMSP: ['supervisor_analyst', 'supervisor_officer'],
};

/** `MSP/role`, the unit the table grants actions to. */
export type Grantee =
    | 'ExporterMSP/exporter' | 'ExporterMSP/forwarder'
    | 'CarrierMSP/carrier_agent'
    | 'CustomsMSP/customs_officer' | 'CustomsMSP/customs_supervisor'
    | 'BankMSP/trade_finance_officer' | 'BankMSP/trade_finance_approver'
    | 'SupervisorMSP/supervisor_analyst' | 'SupervisorMSP/supervisor_officer';

export const ALL_GRANTEES: readonly Grantee[] = [
    'ExporterMSP/exporter', 'ExporterMSP/forwarder', 'CarrierMSP/carrier_agent', 'CustomsMSP/customs_officer',
    'CustomsMSP/customs_supervisor', 'BankMSP/trade_finance_officer', 'BankMSP/trade_finance_approver',
    'SupervisorMSP/supervisor_analyst', 'SupervisorMSP/supervisor_officer',
];

const EXPORTER: readonly Grantee[] = ['ExporterMSP/exporter', 'ExporterMSP/forwarder'];
const CARRIER: readonly Grantee[] = ['CarrierMSP/carrier_agent'];
const CUSTOMS: readonly Grantee[] = ['CustomsMSP/customs_officer', 'CustomsMSP/customs_supervisor'];
const SUPERVISOR: readonly Grantee[] = ['CustomsMSP/customs_supervisor'];
const BANK_OFFICER: readonly Grantee[] = ['BankMSP/trade_finance_officer'];
const BANK_APPROVER: readonly Grantee[] = ['BankMSP/trade_finance_approver'];
const BANK: readonly Grantee[] = [...BANK_OFFICER, ...BANK_APPROVER];
const TRADE_SUPERVISOR: readonly Grantee[] = ['SupervisorMSP/supervisor_analyst', 'SupervisorMSP/supervisor_officer'];
/** Every member, the trade supervisor included: it gets the reads (EVERYONE) and its alerts' status, nothing else. */
const EVERYONE: readonly Grantee[] = ALL_GRANTEES;

/** Role × action. Reads are open to every member: metadata is public on the channel, content is guarded by collections. */
export const PERMISSIONS = {
    'shipment.open': EXPORTER,
    'shipment.cancel': EXPORTER,
    'shipment.read': EVERYONE,
    'shipment.readCommercial': [...EXPORTER, ...CUSTOMS, ...BANK],
    // Every party produces documents (the carrier its B/L copy, customs its notices, the bank its own papers);
    // which types an organisation may register follows from the collection the type lives in.
    'document.register': [...EXPORTER, ...CARRIER, ...CUSTOMS, ...BANK_OFFICER],
    'document.revoke': [...EXPORTER, ...CARRIER, ...CUSTOMS, ...BANK_OFFICER],
    'document.read': EVERYONE,
    'bl.draft': CARRIER,
    'bl.approveDraft': EXPORTER,
    'bl.issue': CARRIER,
    'bl.amend': CARRIER,
    'bl.void': CARRIER,
    'bl.acceptSurrender': CARRIER,
    'bl.rejectSurrender': CARRIER,
    // Holder actions: who actually holds the record is checked on top of this (exclusive control).
    'bl.transfer': [...EXPORTER, ...BANK],
    'bl.endorse': [...EXPORTER, ...BANK],
    'bl.surrender': [...EXPORTER, ...BANK],
    'bl.read': EVERYONE,
    'declaration.lodge': EXPORTER,
    'declaration.amend': EXPORTER,
    'declaration.cancel': EXPORTER,
    'declaration.provideDocuments': EXPORTER,
    'declaration.accept': CUSTOMS,
    'declaration.control': CUSTOMS,
    'declaration.requestDocuments': CUSTOMS,
    'declaration.release': SUPERVISOR,
    'declaration.reject': SUPERVISOR,
    'declaration.riskNote': CUSTOMS,
    'declaration.read': EVERYONE,
    'certificate.apply': EXPORTER,
    'certificate.issue': CUSTOMS,
    'certificate.reject': CUSTOMS,
    'certificate.revoke': SUPERVISOR,
    'certificate.read': EVERYONE,
    'financing.request': EXPORTER,
    'financing.withdraw': EXPORTER,
    'financing.examine': BANK_OFFICER,
    'financing.approve': BANK_APPROVER,
    'financing.reject': BANK_APPROVER,
    'financing.release': BANK_APPROVER,
    'financing.read': EVERYONE,
    'financing.readTerms': [...EXPORTER, ...BANK],
    'record.history': EVERYONE,
    // Risk monitoring (risk-contract.ts). Refused attempts are recorded by the parties that can be refused (the
    // contract checks the refusal holds); the financing assessment needs an organisation holding terms and invoice.
    'risk.recordAttempt': [...EXPORTER, ...BANK],
    'risk.assessFinancing': [...EXPORTER, ...BANK],
    'risk.read': EVERYONE,
    'risk.acknowledge': TRADE_SUPERVISOR,
    'risk.close': ['SupervisorMSP/supervisor_officer'],
} as const satisfies Record<string, readonly Grantee[]>;

export type Action = keyof typeof PERMISSIONS;

/** Who is calling, as proven by the certificate that signed the proposal. */
export interface Caller {
    readonly mspId: string;
    readonly role: string;
    /** The X.509 identity (subject and issuer), the "person" of the domain. */
    readonly id: string;
}

/** Whether the table grants `action` to `grantee`. */
export function isAllowed(grantee: string, action: Action): boolean {
    return (PERMISSIONS[action] as readonly string[]).includes(grantee);
}

/**
 * Reads the caller's MSP and `role` attribute and refuses a certificate without a role or with a role its
 * organisation does not issue; `what` names the request in the refusal.
 */
export function identify(ctx: Context, what: string): Caller {
    const mspId = ctx.clientIdentity.getMSPID();
    const role = ctx.clientIdentity.getAttributeValue('role');
    if (!role) {
        throw new ContractError('FORBIDDEN', `${what}: the caller certificate carries no role attribute`);
    }
    if (!(ROLES_BY_MSP[mspId] ?? []).includes(role)) {
        throw new ContractError('FORBIDDEN', `${what}: role ${role} is not a role of ${mspId}`);
    }
    return { mspId, role, id: ctx.clientIdentity.getID() };
}

/** As identify, and refuses unless the table grants `action`. */
export function authorize(ctx: Context, action: Action): Caller {
    const { mspId, role } = identify(ctx, action);
    if (!isAllowed(`${mspId}/${role}`, action)) {
        throw new ContractError('FORBIDDEN', `${action}: role ${role} of ${mspId} may not perform this action`);
    }
    return { mspId, role, id: ctx.clientIdentity.getID() };
}
