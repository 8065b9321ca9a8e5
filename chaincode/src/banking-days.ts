/**
 * Calendar arithmetic on ISO dates (YYYY-MM-DD), in UTC so that every endorser agrees. Banking days skip Saturday
 * and Sunday; public holidays differ per place of presentation and are not modelled.
 */
const DAY_MS = 86_400_000;

function toDate(iso: string): Date {
    return new Date(`${iso}T00:00:00Z`);
}

function toIso(d: Date): string {
    return d.toISOString().slice(0, 10);
}

export function isBankingDay(iso: string): boolean {
    const day = toDate(iso).getUTCDay();
    return day !== 0 && day !== 6;
}

export function addCalendarDays(iso: string, days: number): string {
    return toIso(new Date(toDate(iso).getTime() + days * DAY_MS));
}

/** The date `days` banking days after `iso` (the day itself does not count), as UCP 600 art. 14(b) counts. */
export function addBankingDays(iso: string, days: number): string {
    let current = iso;
    let left = days;
    while (left > 0) {
        current = addCalendarDays(current, 1);
        if (isBankingDay(current)) {
            left -= 1;
        }
    }
    return current;
}
