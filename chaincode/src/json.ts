/** Deterministic JSON: keys sorted at every level, so every endorser writes identical bytes. */
export function canonicalJson(value: unknown): string {
    return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(sortKeys);
    }
    if (value !== null && typeof value === 'object') {
        const obj = value as Record<string, unknown>;
        return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, sortKeys(obj[k])]));
    }
    return value;
}
