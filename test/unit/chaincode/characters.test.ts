import assert from 'node:assert/strict';
import { INVISIBLE_RANGES, hasVisibleCharacter } from '../../../chaincode/src/characters';

describe('characters: the invisible-character table', () => {
    it('is exactly Unicode White_Space, Default_Ignorable_Code_Point and the blank Braille pattern, as this runtime knows them', () => {
        // The table exists so that endorsers with other Unicode versions decide alike; this test notices when Unicode moves.
        const unicode = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}\u2800]$/u;
        const differ: string[] = [];
        for (let cp = 0; cp <= 0x10FFFF; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                continue;
            }
            const inTable = INVISIBLE_RANGES.some(([from, to]) => cp >= from && cp <= to);
            if (inTable !== unicode.test(String.fromCodePoint(cp))) {
                differ.push(`U+${cp.toString(16).toUpperCase().padStart(4, '0')}`);
            }
        }
        assert.deepEqual(differ, []);
    });

    it('a text is visible when any character shows', () => {
        assert.equal(hasVisibleCharacter('\u200B\u200B'), false);
        assert.equal(hasVisibleCharacter('\u200Bx\u200B'), true);
        assert.equal(hasVisibleCharacter(''), false);
    });
});
