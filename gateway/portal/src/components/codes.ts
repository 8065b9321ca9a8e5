/** Code lists and input patterns of the trade domain (mirrors the gateway's schemas). */
export const INCOTERMS = ['EXW', 'FCA', 'CPT', 'CIP', 'DAP', 'DPU', 'DDP', 'FAS', 'FOB', 'CFR', 'CIF'] as const;

export const PATTERN = {
    id: '[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}',
    country: '[A-Z]{2}',
    currency: '[A-Z]{3}',
    locode: '[A-Z]{2}[A-Z2-9]{3}',
    hs: '\\d{6,10}',
    hs6: '\\d{6}',
    amount: '(0|[1-9]\\d{0,14})(\\.\\d{1,6})?',
    container: '[A-Z]{3}[UJZ]\\d{7}',
    scac: '[A-Z]{2,4}',
    mrn: '[0-9]{2}[A-Z]{2}[A-Z0-9]{14}',
    text: '.*\\S.*',
} as const;

export const HINT = {
    id: '1–64 letters, digits, dots, dashes or underscores',
    country: 'ISO 3166 two-letter code, e.g. CN',
    currency: 'ISO 4217 code, e.g. USD',
    locode: 'UN/LOCODE, 5 characters, e.g. CNSHA',
    hs: 'HS code, 6 to 10 digits',
    hs6: 'HS code, 6 digits',
    amount: 'decimal number, e.g. 1250.50',
    container: 'ISO 6346, e.g. MSCU1234567',
    scac: 'SCAC, 2–4 capital letters',
    mrn: '18 characters: 2 digits, 2 letters, 14 letters or digits',
} as const;
