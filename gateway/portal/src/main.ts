/**
 * The portal's entry: restores the session, draws the top bar for the signed-in organisation, and routes by the
 * URL hash (the gateway serves static files, so every page lives at / and the hash names the view).
 */
import { get, onSessionExpired } from './api';
import { h, replace } from './dom';
import { feed } from './feed';
import { type Me, areaOf, clearSession, me, setMe, token } from './session';
import { alertsView } from './views/alerts';
import { historyView } from './views/history';
import { loginView } from './views/login';
import { openShipmentView } from './views/open-shipment';
import { queueView } from './views/queue';
import { dossierView } from './views/dossier';
import { shipmentsView } from './views/shipments';
import { verifyView } from './views/verify';

export interface View {
    title: string;
    element: HTMLElement;
    dispose?: () => void;
}

const ORG_NAMES: Record<string, string> = {
    ExporterMSP: 'Exporter', CarrierMSP: 'Carrier', CustomsMSP: 'Customs', BankMSP: 'Bank', SupervisorMSP: 'Supervisor',
};

let current: View | undefined;

function navLinks(): [string, string][] {
    const area = areaOf(me());
    const links: [string, string][] = [['#/shipments', 'Shipments']];
    if (area === 'exporter') {
        links.push(['#/shipments/new', 'Open a shipment']);
    }
    if (area === 'customs') {
        links.push(['#/queue', 'Work queue']);
    }
    if (area === 'bank') {
        links.push(['#/queue', 'Financing queue']);
    }
    if (area === 'carrier') {
        links.push(['#/queue', 'Bills of lading']);
    }
    if (area === 'supervisor') {
        links.unshift(['#/alerts', 'Risk alerts']);
    }
    links.push(['#/verify', 'Verify']);
    return links;
}

function drawTopbar(): void {
    const bar = document.getElementById('topbar')!;
    const user = me();
    const here = location.hash || '#/';
    replace(bar,
        h('a', { class: 'brand', href: user ? '#/' : '#/verify' }, 'tradedocs', user ? h('span', { class: 'org' }, ORG_NAMES[user.mspId] ?? user.mspId) : null),
        user
            ? h('nav', { 'aria-label': 'Main' }, h('ul', null, navLinks().map(([href, label]) =>
                h('li', null, h('a', { href, 'aria-current': here === href ? 'page' : null }, label)))))
            : h('nav', { 'aria-label': 'Main' }, h('ul', null, h('li', null, h('a', { href: '#/verify' }, 'Verify')), h('li', null, h('a', { href: '#/login' }, 'Sign in')))),
        user
            ? h('div', { class: 'user' },
                h('span', { 'data-testid': 'whoami' }, `${user.name} · ${user.role.replace(/_/g, ' ')}`),
                h('button', { type: 'button', class: 'quiet', onclick: () => logout() }, 'Sign out'))
            : null);
}

export function logout(): void {
    feed.stop();
    clearSession();
    location.hash = '#/login';
    route();
}

/** After login (or on reload with a stored token): who am I, then the live feed, then the page. */
export async function startSession(): Promise<void> {
    const user = await get<Me>('/api/v1/me');
    setMe(user);
    feed.start();
}

function viewFor(path: string[]): View {
    const [first, second, third] = path;
    if (first === 'verify') {
        return verifyView();
    }
    if (!me()) {
        return loginView(() => {
            location.hash = '#/';
            route();
        });
    }
    if (first === 'shipments' && second === 'new') {
        return openShipmentView();
    }
    if (first === 'shipments' && second) {
        return dossierView(decodeURIComponent(second));
    }
    if (first === 'queue') {
        return queueView();
    }
    if (first === 'alerts') {
        return alertsView();
    }
    if (first === 'history' && second && third) {
        return historyView(second, decodeURIComponent(third));
    }
    if (first === 'login') {
        location.replace('#/');
    }
    const area = areaOf(me());
    if (area === 'supervisor') {
        return alertsView();
    }
    return area === 'exporter' || area === 'other' ? shipmentsView() : queueView();
}

export function route(): void {
    current?.dispose?.();
    const path = (location.hash.replace(/^#\/?/, '') || '').split('/').filter(Boolean);
    const main = document.getElementById('main')!;
    current = viewFor(path);
    drawTopbar();
    replace(main, current.element);
    document.title = `${current.title} · tradedocs`;
    main.focus({ preventScroll: true });
    window.scrollTo(0, 0);
}

onSessionExpired(() => {
    feed.stop();
    setMe(undefined);
    location.hash = '#/login';
    route();
});

window.addEventListener('hashchange', route);

void (async () => {
    if (token()) {
        try {
            await startSession();
        } catch {
            clearSession();
        }
    }
    route();
})();
