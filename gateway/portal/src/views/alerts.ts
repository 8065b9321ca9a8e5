/**
 * The supervisor's risk dashboard (another organisation sees the alerts that concern it): counts by rule and by
 * exporter as charts (Chart.js, bundled from npm), filters, and each alert with the records and transactions it
 * cites, linked to their history; analysts acknowledge, officers close with a reason.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { get, plainError, post, seg } from '../api';
import { badge } from '../components/status';
import { h, replace, uid } from '../dom';
import type { View } from '../main';
import { hasRole } from '../session';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

interface Citation { record: string; id: string; txId: string; what: string }
interface Alert {
    alertId: string; rule: string; summary: string; shipmentIds: string[]; exporters: string[]; concerns: string[];
    citations: Citation[]; raisedAt: string; status: string; reason?: string;
}

const RULES: Record<string, string> = {
    DOUBLE_FINANCING: 'Second financing attempted', DUPLICATE_FILE: 'Same file on two shipments', OVER_FINANCING: 'Financing above invoice',
    BL_AFTER_END: 'B/L moved after surrender or void', REVOKED_COO: 'Certificate of origin revoked',
};
const STATUSES = ['OPEN', 'ACKNOWLEDGED', 'CLOSED'];
const STATUS_COLOURS: Record<string, string> = { OPEN: '#b42318', ACKNOWLEDGED: '#b54708', CLOSED: '#667085' };

/** Where a cited record's history lives in the portal. */
const HISTORY: Record<string, string> = { financing: 'financing', billOfLading: 'bills-of-lading', certificate: 'certificates', document: 'documents' };

function citation(c: Citation): HTMLElement {
    const collection = HISTORY[c.record];
    const id = c.record === 'document' ? c.id.replace(/ v\d+$/, '') : c.id;
    return h('li', null,
        collection ? h('a', { href: `#/history/${collection}/${seg(id)}` }, `${c.record} ${c.id}`) : `${c.record} ${c.id}`,
        ` — ${c.what} `, h('code', { class: 'hash', title: c.txId }, c.txId.slice(0, 16)));
}

/** One bar chart, stacked by status: how many alerts per label. */
function chart(canvas: HTMLCanvasElement, labels: string[], alerts: Alert[], labelOf: (a: Alert) => string[]): Chart {
    return new Chart(canvas, {
        type: 'bar',
        data: {
            labels,
            datasets: STATUSES.map((status) => ({
                label: status.toLowerCase(), backgroundColor: STATUS_COLOURS[status],
                data: labels.map((l) => alerts.filter((a) => a.status === status && labelOf(a).includes(l)).length),
            })),
        },
        options: {
            indexAxis: 'y', animation: false, responsive: true, maintainAspectRatio: false,
            scales: { x: { stacked: true, ticks: { precision: 0 } }, y: { stacked: true } },
        },
    });
}

export function alertsView(): View {
    const ruleId = uid('rule');
    const statusId = uid('status');
    const exporterId = uid('exporter');
    const rule = h('select', { id: ruleId, name: 'rule' }, h('option', { value: '' }, 'Every rule'), Object.entries(RULES).map(([v, l]) => h('option', { value: v }, l)));
    const status = h('select', { id: statusId, name: 'status' }, h('option', { value: '' }, 'Any status'), STATUSES.map((s) => h('option', { value: s }, s.toLowerCase())));
    const exporter = h('select', { id: exporterId, name: 'exporter' }, h('option', { value: '' }, 'Every exporter'));
    const byRule = h('canvas', { 'aria-label': 'Alerts by rule and status', role: 'img', 'data-testid': 'chart-rules' });
    const byExporter = h('canvas', { 'aria-label': 'Alerts by exporter and status', role: 'img', 'data-testid': 'chart-exporters' });
    const summary = h('p', { class: 'muted', 'aria-live': 'polite' });
    const list = h('div', { 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading…'));
    const charts: Chart[] = [];
    let all: Alert[] = [];

    function drawCharts(): void {
        charts.splice(0).forEach((c) => c.destroy());
        const exporters = [...new Set(all.flatMap((a) => a.exporters))].sort();
        charts.push(chart(byRule, Object.keys(RULES), all, (a) => [a.rule]));
        charts.push(chart(byExporter, exporters, all, (a) => a.exporters));
        const chosen = exporter.value;
        replace(exporter, h('option', { value: '' }, 'Every exporter'), exporters.map((e) => h('option', { value: e, selected: e === chosen }, e)));
    }

    function card(a: Alert): HTMLElement {
        const actions: HTMLElement[] = [];
        if (a.status === 'OPEN' && hasRole('supervisor_analyst', 'supervisor_officer')) {
            actions.push(h('button', { type: 'button', onclick: () => void change(a, 'acknowledge') }, 'Acknowledge'));
        }
        if (a.status !== 'CLOSED' && hasRole('supervisor_officer')) {
            const reasonId = uid('reason');
            const reason = h('input', { id: reasonId, name: 'reason', required: true, maxlength: 512 });
            actions.push(h('form', { class: 'inline', onsubmit: (e: Event) => { e.preventDefault(); void change(a, 'close', reason.value); } },
                h('label', { for: reasonId }, 'Reason'), reason, h('button', { type: 'submit' }, 'Close')));
        }
        return h('article', { class: 'alert-card', 'data-testid': 'alert', 'data-rule': a.rule, 'data-alert-id': a.alertId },
            h('h2', null, RULES[a.rule] ?? a.rule, ' ', badge(a.status)),
            h('p', null, a.summary),
            h('p', { class: 'muted small' }, `Raised ${new Date(a.raisedAt).toLocaleString()} · exporter ${a.exporters.join(', ') || '—'} · shipments `,
                a.shipmentIds.map((s, i) => [i > 0 ? ', ' : '', h('a', { href: `#/shipments/${seg(s)}` }, s)])),
            a.reason ? h('p', null, `Closed: ${a.reason}`) : null,
            h('details', null, h('summary', null, `${a.citations.length} record(s) and transactions cited`), h('ul', null, a.citations.map(citation))),
            actions.length > 0 ? h('div', { class: 'actions' }, actions) : null);
    }

    async function change(a: Alert, action: 'acknowledge' | 'close', reason?: string): Promise<void> {
        try {
            await post(`/api/v1/risk/alerts/${seg(a.alertId)}/${action}`, reason === undefined ? undefined : { reason });
            await load();
        } catch (err) {
            replace(list, h('p', { class: 'error', role: 'alert' }, plainError(err)));
        }
    }

    function drawList(): void {
        const shown = all.filter((a) => (!rule.value || a.rule === rule.value) && (!status.value || a.status === status.value)
            && (!exporter.value || a.exporters.includes(exporter.value)));
        summary.textContent = `${shown.length} of ${all.length} alert(s); ${all.filter((a) => a.status === 'OPEN').length} open`;
        replace(list, shown.length === 0 ? h('p', { class: 'empty' }, 'No alerts match.') : shown.map(card));
    }

    async function load(): Promise<void> {
        try {
            all = (await get<{ alerts: Alert[] }>('/api/v1/risk/alerts')).alerts;
            drawCharts();
            drawList();
        } catch (err) {
            replace(list, h('p', { class: 'error', role: 'alert' }, plainError(err)));
        }
    }
    for (const select of [rule, status, exporter]) {
        select.addEventListener('change', drawList);
    }
    void load();

    return {
        title: 'Risk alerts',
        element: h('div', null,
            h('div', { class: 'page-head' }, h('h1', null, 'Risk alerts')),
            h('div', { class: 'charts' },
                h('figure', null, h('figcaption', null, 'By rule'), h('div', { class: 'chart' }, byRule)),
                h('figure', null, h('figcaption', null, 'By exporter'), h('div', { class: 'chart' }, byExporter))),
            h('div', { class: 'toolbar' },
                h('label', { for: ruleId }, 'Rule'), rule, h('label', { for: statusId }, 'Status'), status, h('label', { for: exporterId }, 'Exporter'), exporter),
            summary, list),
        dispose: () => charts.forEach((c) => c.destroy()),
    };
}
