import './quiet-logs';
import assert from 'node:assert/strict';
import { addBankingDays, addCalendarDays, isBankingDay } from '../../../chaincode/src/banking-days';

describe('banking-day arithmetic', () => {
    it('Saturday and Sunday are not banking days, Monday to Friday are', () => {
        assert.deepEqual(['2026-03-02', '2026-03-06', '2026-03-07', '2026-03-08'].map(isBankingDay), [true, true, false, false]);
    });

    const cases: [string, number, string, string][] = [
        ['2026-03-02', 5, '2026-03-09', 'Monday + 5 → next Monday'],
        ['2026-03-04', 5, '2026-03-11', 'Wednesday + 5 → next Wednesday'],
        ['2026-03-06', 5, '2026-03-13', 'Friday + 5 → next Friday'],
        ['2026-03-06', 1, '2026-03-09', 'Friday + 1 → Monday'],
        ['2026-03-07', 5, '2026-03-13', 'presented on Saturday: counting starts Monday, ends Friday'],
        ['2026-03-08', 1, '2026-03-09', 'Sunday + 1 → Monday'],
        ['2026-03-05', 2, '2026-03-09', 'Thursday + 2 → Monday'],
        ['2026-12-31', 5, '2027-01-07', 'across the year end'],
        ['2026-03-02', 0, '2026-03-02', 'zero days is the same day'],
    ];
    for (const [from, days, expected, what] of cases) {
        it(`addBankingDays: ${what}`, () => {
            assert.equal(addBankingDays(from, days), expected);
        });
    }

    it('addCalendarDays counts every day, across months and leap days', () => {
        assert.equal(addCalendarDays('2026-03-01', 21), '2026-03-22');
        assert.equal(addCalendarDays('2026-02-20', 21), '2026-03-13');
        assert.equal(addCalendarDays('2028-02-28', 1), '2028-02-29');
        assert.equal(addCalendarDays('2026-12-25', 21), '2027-01-15');
    });
});
