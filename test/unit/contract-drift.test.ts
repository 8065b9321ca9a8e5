/**
 * The published response schemas (gateway/src/trade/records.ts) against the chaincode's own record types, at the
 * type level: `tsc -p .` fails when a field, an optional mark or a status list differs in either direction. The
 * run-time part checks the status enums against the lists the chaincode exports.
 */
import type { Static } from '@sinclair/typebox';
import * as assert from 'node:assert/strict';
import type { BillOfLading, BillOfLadingDraft, TransferLogEntry } from '../../chaincode/src/bill-of-lading-contract';
import type { Certificate, CertificateDetails } from '../../chaincode/src/certificate-contract';
import type { Declaration, DeclarationDetails } from '../../chaincode/src/declaration-contract';
import { DOCUMENT_TYPES, type DocumentFields, type DocumentHead, type DocumentVersion } from '../../chaincode/src/documents';
import type { Discrepancy, ExaminationReport } from '../../chaincode/src/examination';
import type { Financing, FinancingTerms } from '../../chaincode/src/financing-contract';
import type { Stamp, TradeEvent } from '../../chaincode/src/ledger';
import { ALERT_STATUSES, type Alert, type FinancingAssessment, RULES } from '../../chaincode/src/risk-contract';
import type { Commercial, Shipment, shipmentView } from '../../chaincode/src/shipment-contract';
import type { billOfLadingView, draftView } from '../../chaincode/src/bill-of-lading-contract';
import type { declarationView } from '../../chaincode/src/declaration-contract';
import type { certificateView } from '../../chaincode/src/certificate-contract';
import type { financingView } from '../../chaincode/src/financing-contract';
import { DocumentFields as DocumentFieldsSchema } from '../../gateway/src/trade/documents';
import * as r from '../../gateway/src/trade/records';

/** True only when A and B are mutually assignable with the same optional keys. */
type Same<A, B> = [Required<A>, A] extends [Required<B>, B] ? ([Required<B>, B] extends [Required<A>, A] ? true : false) : false;
/** Compiles only for `true`: a drift is a type error at this line, naming the record. */
function same<T extends true>(_record: string, _proof?: T): void { /* type-level */ }

same<Same<Static<typeof r.StampSchema>, Stamp>>('Stamp');
same<Same<Static<typeof r.ShipmentSchema>, Shipment>>('Shipment');
same<Same<Static<typeof r.CommercialSchema>, Commercial>>('Commercial');
same<Same<Static<typeof r.DocumentHeadSchema>, DocumentHead>>('DocumentHead');
same<Same<Static<typeof r.DocumentVersionSchema>, DocumentVersion>>('DocumentVersion');
// The upload's `fields` (published as DocumentFields): every key the chaincode's documentFields() reads, each optional.
same<Same<Static<typeof DocumentFieldsSchema>, DocumentFields>>('DocumentFields');
same<Same<Static<typeof r.BillOfLadingSchema>, BillOfLading>>('BillOfLading');
same<Same<Static<typeof r.TransferLogEntrySchema>, TransferLogEntry>>('TransferLogEntry');
same<Same<Static<typeof r.BillOfLadingDraftSchema>, BillOfLadingDraft>>('BillOfLadingDraft');
same<Same<Static<typeof r.DeclarationSchema>, Declaration>>('Declaration');
same<Same<Static<typeof r.DeclarationDetailsSchema>, DeclarationDetails>>('DeclarationDetails');
same<Same<Static<typeof r.CertificateSchema>, Certificate>>('Certificate');
same<Same<Static<typeof r.CertificateDetailsSchema>, CertificateDetails>>('CertificateDetails');
same<Same<Static<typeof r.FinancingSchema>, Financing>>('Financing');
same<Same<Static<typeof r.FinancingTermsSchema>, FinancingTerms>>('FinancingTerms');
same<Same<Static<typeof r.DiscrepancySchema>, Discrepancy>>('Discrepancy');
// Reads answer records with the caller's allowedActions.
same<Same<Static<typeof r.ShipmentViewSchema>, ReturnType<typeof shipmentView>>>('ShipmentView');
same<Same<Static<typeof r.BillOfLadingViewSchema>, ReturnType<typeof billOfLadingView>>>('BillOfLadingView');
same<Same<Static<typeof r.BillOfLadingDraftViewSchema>, ReturnType<typeof draftView>>>('BillOfLadingDraftView');
same<Same<Static<typeof r.DeclarationViewSchema>, ReturnType<typeof declarationView>>>('DeclarationView');
same<Same<Static<typeof r.CertificateViewSchema>, ReturnType<typeof certificateView>>>('CertificateView');
same<Same<Static<typeof r.FinancingViewSchema>, ReturnType<typeof financingView>>>('FinancingView');
same<Same<Static<typeof r.ExaminationReportSchema>, ExaminationReport>>('ExaminationReport');
same<Same<Static<typeof r.AlertSchema>, Alert>>('Alert');
same<Same<Static<typeof r.FinancingAssessmentSchema>, FinancingAssessment>>('FinancingAssessment');
same<Same<Omit<Static<typeof r.TradeEventPayloadSchema>, 'record'> & { record: string }, TradeEvent>>('TradeEvent');

describe('published response schemas and the chaincode agree (no drift between the tiers)', () => {
    // The status enums are the chaincode's own lists (chaincode/src/lifecycle.ts), imported, so they cannot drift.
    it('on the document types, risk rules and alert statuses the chaincode lists', () => {
        assert.deepEqual([...r.DOCUMENT_TYPES], [...DOCUMENT_TYPES]);
        assert.deepEqual([...r.RISK_RULES], [...RULES]);
        assert.deepEqual([...r.ALERT_STATUSES], [...ALERT_STATUSES]);
    });
});
