/** Status badges: the word itself, with a colour that only repeats it (never the only cue). */
import { h } from '../dom';

const GOOD = ['RELEASED', 'ISSUED', 'APPROVED', 'ACCEPTED', 'REGISTERED', 'ACTIVE', 'DELIVERED', 'SURRENDER_FOR_DELIVERY', 'SHIPPED'];
const WAIT = ['LODGED', 'AMENDED', 'APPLIED', 'REQUESTED', 'UNDER_EXAMINATION', 'UNDER_CONTROL', 'ADDITIONAL_DOCUMENTS_REQUIRED',
    'PENDING_SURRENDER_FOR_DELIVERY', 'PENDING_SURRENDER_FOR_AMENDMENT', 'SURRENDER_FOR_AMENDMENT', 'OPEN'];
const BAD = ['REJECTED', 'REVOKED', 'VOID', 'CANCELLED', 'WITHDRAWN'];

export function statusLabel(status: string): string {
    return status.toLowerCase().replace(/_/g, ' ');
}

export function badge(status: string | undefined): HTMLElement {
    if (!status) {
        return h('span', { class: 'badge badge-none' }, 'none');
    }
    const tone = GOOD.includes(status) ? 'good' : BAD.includes(status) ? 'bad' : WAIT.includes(status) ? 'wait' : 'none';
    return h('span', { class: `badge badge-${tone}`, 'data-status': status }, statusLabel(status));
}
