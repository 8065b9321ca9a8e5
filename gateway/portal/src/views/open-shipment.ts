/** The exporter opens a shipment: parties, route, Incoterms rule, goods lines with prices (prices stay private). */
import { post } from '../api';
import { INCOTERMS, HINT, PATTERN } from '../components/codes';
import { actionForm, field, setFieldError, value } from '../components/form';
import { h, replace } from '../dom';
import { addAmounts, isAmount, multiply, randomTag } from '../format';
import type { View } from '../main';
import type { Shipment } from '../types';

function goodsLine(index: number, onChange: () => void, onRemove: (line: HTMLElement) => void): HTMLElement {
    const p = `goods.${index}`;
    const valueOut = h('output', { class: 'line-value', 'aria-live': 'polite' });
    const line = h('fieldset', { class: 'goods-line', 'data-line': String(index) },
        h('legend', null, `Goods line ${index + 1}`),
        h('div', { class: 'fields' },
            field({ name: `${p}.description`, label: 'Description of goods', required: true, maxlength: 512, pattern: PATTERN.text }),
            field({ name: `${p}.hsCode`, label: 'HS code', required: true, pattern: PATTERN.hs, hint: HINT.hs, short: true, inputmode: 'numeric' }),
            field({ name: `${p}.quantity`, label: 'Quantity', type: 'number', required: true, min: 1, step: '1', short: true }),
            field({ name: `${p}.unitOfMeasure`, label: 'Unit', required: true, value: 'PCS', maxlength: 16, short: true }),
            field({ name: `${p}.packages`, label: 'Packages', type: 'number', required: true, min: 1, step: '1', short: true }),
            field({ name: `${p}.packageType`, label: 'Package type', required: true, value: 'CT', maxlength: 32, short: true }),
            field({ name: `${p}.grossWeightKg`, label: 'Gross weight (kg)', required: true, pattern: PATTERN.amount, hint: HINT.amount, short: true, inputmode: 'decimal' }),
            field({ name: `${p}.netWeightKg`, label: 'Net weight (kg)', required: true, pattern: PATTERN.amount, hint: HINT.amount, short: true, inputmode: 'decimal' }),
            field({ name: `commercial.lines.${index}.unitPrice`, label: 'Unit price', required: true, pattern: PATTERN.amount, hint: HINT.amount, short: true, inputmode: 'decimal' })),
        h('p', { class: 'line-total' }, 'Line value: ', valueOut),
        index > 0 ? h('button', { type: 'button', class: 'quiet', onclick: () => onRemove(line) }, `Remove line ${index + 1}`) : null);
    line.addEventListener('input', onChange);
    return line;
}

export function openShipmentView(): View {
    const lines = h('div', { class: 'goods-lines' });
    const total = h('output', { 'data-testid': 'shipment-total' }, '0');
    let count = 0;

    function recompute(): void {
        const values: string[] = [];
        lines.querySelectorAll<HTMLElement>('.goods-line').forEach((line) => {
            const i = line.dataset['line']!;
            const q = Number(value(line, `goods.${i}.quantity`));
            const v = Number.isInteger(q) && q > 0 ? multiply(q, value(line, `commercial.lines.${i}.unitPrice`)) : '';
            line.querySelector('output')!.textContent = v || '—';
            values.push(v);
        });
        total.textContent = addAmounts(values);
    }
    function addLine(): void {
        lines.appendChild(goodsLine(count, recompute, (line) => {
            line.remove();
            recompute();
        }));
        count += 1;
    }
    addLine();

    const form = actionForm({
        label: 'Open a shipment',
        submit: 'Open shipment',
        testId: 'open-shipment',
        fields: [
            h('fieldset', null, h('legend', null, 'Shipment'), h('div', { class: 'fields' },
                field({ name: 'shipmentId', label: 'Shipment id', required: true, value: `SHP-${randomTag()}`, pattern: PATTERN.id, hint: HINT.id }),
                field({ name: 'exporterReference', label: 'Your reference (order number)', required: true, maxlength: 120, pattern: PATTERN.text }),
                field({ name: 'incoterm', label: 'Incoterms 2020 rule', type: 'select', options: INCOTERMS, value: 'FOB', short: true }),
                field({ name: 'currency', label: 'Currency', required: true, value: 'USD', pattern: PATTERN.currency, hint: HINT.currency, short: true }))),
            h('fieldset', null, h('legend', null, 'Parties'), h('div', { class: 'fields' },
                field({ name: 'exporter.name', label: 'Exporter (seller)', required: true, maxlength: 120, pattern: PATTERN.text }),
                field({ name: 'exporter.country', label: 'Exporter country', required: true, pattern: PATTERN.country, hint: HINT.country, short: true }),
                field({ name: 'consignee.name', label: 'Consignee (buyer)', required: true, maxlength: 120, pattern: PATTERN.text }),
                field({ name: 'consignee.country', label: 'Consignee country', required: true, pattern: PATTERN.country, hint: HINT.country, short: true }),
                field({ name: 'carrier.name', label: 'Carrier (on CarrierMSP)', required: true, maxlength: 120, pattern: PATTERN.text }),
                field({ name: 'bank.name', label: 'Bank (on BankMSP)', required: true, maxlength: 120, pattern: PATTERN.text }))),
            h('fieldset', null, h('legend', null, 'Route and origin'), h('div', { class: 'fields' },
                field({ name: 'portOfLoading', label: 'Port of loading', required: true, pattern: PATTERN.locode, hint: HINT.locode, short: true }),
                field({ name: 'portOfDischarge', label: 'Port of discharge', required: true, pattern: PATTERN.locode, hint: HINT.locode, short: true }),
                field({ name: 'countryOfOrigin', label: 'Country of origin', required: true, pattern: PATTERN.country, hint: HINT.country, short: true }),
                field({ name: 'countryOfDestination', label: 'Country of destination', required: true, pattern: PATTERN.country, hint: HINT.country, short: true }))),
            h('fieldset', null, h('legend', null, 'Goods'), lines,
                h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'quiet', onclick: () => addLine() }, 'Add a goods line'),
                    h('p', { class: 'total' }, 'Total value: ', total))),
        ],
        run: async (f) => {
            const goods: unknown[] = [];
            const commercialLines: unknown[] = [];
            const values: string[] = [];
            let invalid = false;
            lines.querySelectorAll<HTMLElement>('.goods-line').forEach((line, n) => {
                const i = line.dataset['line']!;
                const gross = value(line, `goods.${i}.grossWeightKg`);
                const net = value(line, `goods.${i}.netWeightKg`);
                if (isAmount(gross) && isAmount(net) && Number(net) > Number(gross)) {
                    setFieldError(line.querySelector(`[name="goods.${i}.netWeightKg"]`)!, 'The net weight cannot exceed the gross weight.');
                    invalid = true;
                }
                const quantity = Number(value(line, `goods.${i}.quantity`));
                const unitPrice = value(line, `commercial.lines.${i}.unitPrice`);
                const lineValue = multiply(quantity, unitPrice);
                values.push(lineValue);
                goods.push({
                    lineNo: n + 1, description: value(line, `goods.${i}.description`), hsCode: value(line, `goods.${i}.hsCode`),
                    quantity, unitOfMeasure: value(line, `goods.${i}.unitOfMeasure`), packages: Number(value(line, `goods.${i}.packages`)),
                    packageType: value(line, `goods.${i}.packageType`), grossWeightKg: gross, netWeightKg: net,
                });
                commercialLines.push({ lineNo: n + 1, unitPrice, value: lineValue });
            });
            if (invalid) {
                throw new Error('Check the weights: the net weight of a line cannot exceed its gross weight.');
            }
            const v = (name: string): string => value(f, name);
            const body = {
                shipmentId: v('shipmentId'), exporterReference: v('exporterReference'),
                exporter: { name: v('exporter.name'), country: v('exporter.country') },
                consignee: { name: v('consignee.name'), country: v('consignee.country') },
                carrier: { mspId: 'CarrierMSP', name: v('carrier.name') }, bank: { mspId: 'BankMSP', name: v('bank.name') },
                incoterm: v('incoterm'), currency: v('currency'),
                portOfLoading: v('portOfLoading'), portOfDischarge: v('portOfDischarge'),
                countryOfOrigin: v('countryOfOrigin'), countryOfDestination: v('countryOfDestination'),
                goods, commercial: { lines: commercialLines, totalValue: addAmounts(values) },
            };
            const answer = await post<Shipment>('/api/v1/shipments', body);
            location.hash = `#/shipments/${encodeURIComponent(answer.data.shipmentId)}`;
            return `Shipment ${answer.data.shipmentId} opened.`;
        },
    });
    const element = h('div', null, h('h1', null, 'Open a shipment'),
        h('p', { class: 'muted' }, 'Parties, route and goods are shared with the carrier, customs and the bank; prices and the total travel as private data and are never written to a block.'),
        h('section', { class: 'panel' }, form));
    replace(total, '0');
    return { title: 'Open a shipment', element };
}
