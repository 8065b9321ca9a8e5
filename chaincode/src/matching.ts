/**
 * How the examination compares what documents say: names and goods descriptions in any script, and the clauses of a
 * transport document. Pure and deterministic; the peers' Node releases share the Unicode data NFKC uses for every
 * character a trade document holds in practice.
 */

/**
 * Legal-form words, dropped on purpose: "Chengdu Panda Co., Ltd." and "Chengdu Panda Company Limited" are one company
 * (ISBP 745 section A: a difference that does not change the meaning is not a conflict), while the distinctive part of a
 * name must still agree. Latin words match whole words; the Chinese forms end a name without a space before them.
 */
const LEGAL_FORM_WORDS = new Set([
    'co', 'company', 'corp', 'corporation', 'inc', 'incorporated', 'ltd', 'limited', 'llc', 'plc', 'gmbh', 'ag', 'kg',
    'se', 'sa', 'sarl', 'srl', 'spa', 'bv', 'nv', 'oy', 'ab', 'as', 'pte', 'pty', 'jsc', 'oao', 'ooo',
]);
const CHINESE_LEGAL_FORMS = ['股份有限公司', '有限责任公司', '有限公司', '公司'];

/**
 * A comparable form: NFKC (full-width and compatibility forms fold), accents removed (Müller = Muller), case folded,
 * every character that is not a letter or digit of any script a space, legal-form words out.
 */
export function normaliseName(name: string): string {
    const folded = name.normalize('NFKD').replace(/\p{M}/gu, '').normalize('NFKC').toLowerCase().replace(/ß/g, 'ss');
    const words = folded.replace(/[^\p{L}\p{N}]+/gu, ' ').trim().split(' ').filter((w) => w !== '' && !LEGAL_FORM_WORDS.has(w));
    return words.map(withoutChineseLegalForm).filter((w) => w !== '').join(' ');
}

function withoutChineseLegalForm(word: string): string {
    const form = CHINESE_LEGAL_FORMS.find((f) => word.endsWith(f) && word.length > f.length);
    return form === undefined ? word : word.slice(0, -form.length);
}

const STOP_WORDS = new Set(['and', 'the', 'for', 'with', 'of', 'made', 'from', 'new', 'und', 'der', 'die', 'das', 'aus', 'mit']);
/** Scripts written without spaces between words: their text is compared by overlapping character pairs. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

/**
 * The significant tokens of a goods description: Latin-script words of three letters or more that are not stop
 * words, and for unspaced scripts each pair of adjacent characters ("电源转换器" → 电源, 源转, 转换, 换器).
 */
export function significantTokens(text: string): Set<string> {
    const tokens = new Set<string>();
    for (const word of normaliseName(text).split(' ')) {
        if (UNSPACED.test(word)) {
            const chars = [...word];
            if (chars.length === 1) {
                tokens.add(word);
            }
            for (let i = 0; i + 1 < chars.length; i++) {
                tokens.add(chars[i]! + chars[i + 1]!);
            }
        } else if (word.length >= 3 && !STOP_WORDS.has(word)) {
            tokens.add(word);
        }
    }
    return tokens;
}

/**
 * Words that declare a defective condition of the goods or their packaging (UCP 600 art. 27). Only such a clause makes
 * a transport document unclean; notations such as "SHIPPED ON BOARD", "FREIGHT PREPAID", "SAID TO CONTAIN" or
 * "SHIPPER'S LOAD AND COUNT" do not.
 */
const DEFECT_WORDS = [
    'damaged', 'damage', 'broken', 'torn', 'wet', 'stained', 'leaking', 'leaked', 'dented', 'rusty', 'rusted', 'crushed',
    'holed', 'punctured', 'soiled', 'mouldy', 'moldy', 'contaminated', 'defective', 'insufficient', 'inadequate',
    'missing', 'pilfered', 'resealed', 'repaired', 'unprotected',
];
const DEFECT_TERMS_UNSPACED = ['破损', '损坏', '受潮', '潮湿', '渗漏', '锈蚀', '短少', '包装不良', '包装不足'];
/**
 * A clause that only says the packaging *may* be insufficient does not expressly declare a defect (ISBP 745 section E), nor
 * does an unknown-content reservation.
 */
const HEDGE_WORDS = new Set(['may', 'might', 'could', 'possibly', 'unknown']);

/** Whether one clause of a transport document expressly declares a defective condition (art. 27). */
export function isUncleanClause(clause: string): boolean {
    const text = clause.normalize('NFKC').toLowerCase();
    const words = text.replace(/[^\p{L}\p{N}]+/gu, ' ').trim().split(' ');
    if (words.some((w) => HEDGE_WORDS.has(w))) {
        return false;
    }
    return words.some((w) => DEFECT_WORDS.includes(w)) || DEFECT_TERMS_UNSPACED.some((t) => text.includes(t));
}
