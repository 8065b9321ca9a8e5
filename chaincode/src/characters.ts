/**
 * What free text may hold, for both tiers: the chaincode's validation and the gateway's request schemas build their
 * checks from these definitions (test/unit/codes-drift.test.ts compares the two on every code point).
 */

/**
 * Characters free text may not hold, as the body of a regular-expression character class (BMP escapes only, so
 * every regex dialect that reads the published OpenAPI patterns understands it): C0 controls other than tab, line
 * feed and carriage return, DEL, C1 controls, and the bidirectional embeddings, overrides and isolates that make a
 * printed document read other than it is stored.
 */
export const FORBIDDEN_CLASS = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069';

/**
 * Code points that show nothing: Unicode White_Space, Default_Ignorable_Code_Point (zero-width space, joiners, word
 * joiner, soft hyphen, variation selectors, Hangul fillers, tags, ...) and the blank Braille pattern. A table, not
 * `\p{…}`, so that the decision does not depend on the Unicode version of the Node build an endorser runs
 * (test/unit/chaincode/characters.test.ts checks it against the runtime's Unicode data).
 */
export const INVISIBLE_RANGES: readonly (readonly [number, number])[] = [
    [0x0009, 0x000D], [0x0020, 0x0020], [0x0085, 0x0085], [0x00A0, 0x00A0], [0x00AD, 0x00AD], [0x034F, 0x034F],
    [0x061C, 0x061C], [0x115F, 0x1160], [0x1680, 0x1680], [0x17B4, 0x17B5], [0x180B, 0x180F], [0x2000, 0x200F],
    [0x2028, 0x202F], [0x205F, 0x206F], [0x2800, 0x2800], [0x3000, 0x3000], [0x3164, 0x3164], [0xFE00, 0xFE0F],
    [0xFEFF, 0xFEFF], [0xFFA0, 0xFFA0], [0xFFF0, 0xFFF8], [0x1BCA0, 0x1BCA3], [0x1D173, 0x1D17A], [0xE0000, 0xE0FFF],
];

function invisible(codePoint: number): boolean {
    return INVISIBLE_RANGES.some(([from, to]) => codePoint >= from && codePoint <= to);
}

/** Whether `text` shows at least one character: a name made only of spaces or zero-width characters shows nothing. */
export function hasVisibleCharacter(text: string): boolean {
    for (const ch of text) {
        if (!invisible(ch.codePointAt(0) ?? 0)) {
            return true;
        }
    }
    return false;
}
