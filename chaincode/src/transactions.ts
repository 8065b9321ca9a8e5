/**
 * The published transactions of every trade contract, registered with fabric-contract-api here rather than with
 * `@Transaction` decorators in the classes. Why: the unit tests run under tsx (esbuild), which cannot emit decorator
 * metadata, and the root tsconfig type-checks tests with standard decorators; an explicit table keeps the contract
 * classes plain TypeScript that every tool compiles, and states each parameter type instead of inferring it
 * (fabric-contract-api refuses anything but string/number/boolean with "Type not properly specified").
 */
import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { BillOfLadingContract } from './bill-of-lading-contract';
import { CallerContract } from './caller-contract';
import { CertificateContract } from './certificate-contract';
import { DeclarationContract } from './declaration-contract';
import { DocumentContract } from './document-contract';
import { DossierContract } from './dossier-contract';
import { FinancingContract } from './financing-contract';
import { RiskContract } from './risk-contract';
import { ShipmentContract } from './shipment-contract';

/** reflect-metadata, installed on the global Reflect by fabric-contract-api when it loads. */
const metadata = Reflect as unknown as {
    defineMetadata(key: string, value: unknown, target: object, property: string): void;
};

type ParamType = typeof String | typeof Number | typeof Boolean;

/** name → [submit (true) or evaluate (false), parameter types after ctx]. */
export type TransactionTable = Readonly<Record<string, readonly [boolean, readonly ParamType[]]>>;

const S = String;

export const TRANSACTIONS = new Map<new () => Contract, { title: string; description: string; transactions: TransactionTable }>([
    [ShipmentContract, {
        title: 'Shipments',
        description: 'Open shipments, query them by status and party, read any record history',
        transactions: {
            openShipment: [true, [S, S]],
            cancelShipment: [true, [S]],
            getShipment: [false, [S]],
            getShipmentCommercial: [false, [S]],
            queryShipmentsByStatus: [false, [S, S, S]],
            queryShipmentsByParty: [false, [S, S, S]],
            getHistory: [false, [S, S]],
        },
    }],
    [CallerContract, {
        title: 'Caller',
        description: 'Who the chaincode sees when the caller signs',
        transactions: {
            whoAmI: [false, []],
        },
    }],
    [DossierContract, {
        title: 'Dossier',
        description: 'Everything about a shipment the caller\'s organisation may see, with what the caller may do to each record',
        transactions: {
            getDossier: [false, [S]],
        },
    }],
    [DocumentContract, {
        title: 'Documents',
        description: 'Register hashed documents and their versions, read content by collection, verify bytes or hashes',
        transactions: {
            registerDocument: [true, [S, S, S]],
            revokeDocument: [true, [S, S, S]],
            getDocument: [false, [S]],
            listShipmentDocuments: [false, [S]],
            getDocumentContent: [false, [S, S]],
            verifyDocumentHash: [false, [S]],
            verifyDocumentRegistration: [false, [S]],
            verifyDocumentBytes: [false, []],
        },
    }],
    [BillOfLadingContract, {
        title: 'Electronic bills of lading',
        description: 'Draft, approve, issue, transfer, endorse, surrender, amend and void eBLs under exclusive control',
        transactions: {
            draftBillOfLading: [true, [S, S, S]],
            approveDraft: [true, [S, S]],
            getBillOfLadingDraft: [false, [S]],
            issueBillOfLading: [true, [S, S, S]],
            transferBillOfLading: [true, [S, S]],
            endorseBillOfLading: [true, [S, S]],
            surrenderForDelivery: [true, [S]],
            surrenderForAmendment: [true, [S]],
            acceptSurrender: [true, [S]],
            rejectSurrender: [true, [S, S]],
            amendBillOfLading: [true, [S, S]],
            voidBillOfLading: [true, [S, S]],
            getBillOfLading: [false, [S]],
            listBillsOfLadingByShipment: [false, [S]],
            queryBillsOfLadingByStatus: [false, [S, S, S]],
            queryBillsOfLadingByHolder: [false, [S, S, S]],
            getTransferLog: [false, [S]],
        },
    }],
    [DeclarationContract, {
        title: 'Export declarations',
        description: 'Lodge, accept, control, release, reject, amend and cancel export declarations; customs risk notes',
        transactions: {
            lodgeDeclaration: [true, [S, S, S]],
            acceptDeclaration: [true, [S, S]],
            placeUnderControl: [true, [S, S]],
            requestAdditionalDocuments: [true, [S, S]],
            provideAdditionalDocuments: [true, [S, S]],
            releaseDeclaration: [true, [S]],
            rejectDeclaration: [true, [S, S]],
            amendDeclaration: [true, [S]],
            cancelDeclaration: [true, [S, S]],
            addRiskNote: [true, []],
            getDeclaration: [false, [S]],
            listDeclarationsByShipment: [false, [S]],
            queryDeclarationsByStatus: [false, [S, S, S]],
            getDeclarationDetails: [false, [S, S]],
            getRiskNote: [false, [S, S]],
        },
    }],
    [CertificateContract, {
        title: 'Certificates of origin',
        description: 'Apply for, issue, reject, revoke and publicly verify certificates of origin',
        transactions: {
            applyForCertificate: [true, [S, S, S]],
            issueCertificate: [true, [S, S]],
            rejectCertificate: [true, [S, S]],
            revokeCertificate: [true, [S, S]],
            verifyCertificate: [false, [S]],
            getCertificate: [false, [S]],
            listCertificatesByShipment: [false, [S]],
            queryCertificatesByStatus: [false, [S, S, S]],
            getCertificateDetails: [false, [S]],
        },
    }],
    [FinancingContract, {
        title: 'Trade financing',
        description: 'Request, examine (discrepancy report), approve or reject, release funds, withdraw',
        transactions: {
            requestFinancing: [true, [S, S, S]],
            examineFinancing: [true, [S]],
            approveFinancing: [true, [S, S]],
            rejectFinancing: [true, [S, S]],
            releaseFunds: [true, [S]],
            withdrawFinancing: [true, [S]],
            getFinancing: [false, [S]],
            listFinancingsByShipment: [false, [S]],
            queryFinancingsByStatus: [false, [S, S, S]],
            getFinancingTerms: [false, [S]],
            getExaminationReport: [false, [S]],
        },
    }],
    [RiskContract, {
        title: 'Risk monitoring',
        description: 'Deterministic fraud-pattern rules over the ledger; refused attempts and financing assessments recorded for them; alert status',
        transactions: {
            recordRefusedAttempt: [true, [S, S]],
            assessFinancing: [true, [S]],
            acknowledgeAlert: [true, [S]],
            closeAlert: [true, [S, S]],
            listAlerts: [false, [S]],
            getAlert: [false, [S]],
        },
    }],
]);

/** Applies the table once; idempotent so tests and index.ts may both load it. */
let registered = false;
export function registerTransactions(): void {
    if (registered) {
        return;
    }
    registered = true;
    for (const [cls, spec] of TRANSACTIONS) {
        Info({ title: spec.title, description: spec.description })(cls);
        for (const [name, [submit, params]] of Object.entries(spec.transactions)) {
            metadata.defineMetadata('design:paramtypes', [Context, ...params], cls.prototype, name);
            Transaction(submit)(cls.prototype, name);
            Returns('string')(cls.prototype, name);
        }
    }
}

/** The trade contracts, ready for `fabric-chaincode-node`. */
export function tradeContracts(): (new () => Contract)[] {
    registerTransactions();
    return [...TRANSACTIONS.keys()];
}
