/** Small DOM helpers: the portal builds its pages from these instead of a framework. */

export type Child = Node | string | number | null | undefined | false | readonly Child[];
type AttrValue = string | number | boolean | null | undefined;
export type Attrs = Record<string, AttrValue | ((event: Event) => void)>;

/** Creates an element: attributes (`on<event>` adds a listener, `true` sets an empty attribute), then children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs ?? {})) {
        if (typeof value === 'function') {
            el.addEventListener(name.slice(2).toLowerCase(), value);
        } else if (value === true) {
            el.setAttribute(name, '');
        } else if (value !== false && value !== null && value !== undefined) {
            el.setAttribute(name, String(value));
        }
    }
    append(el, children);
    return el;
}

export function append(parent: Node, children: readonly Child[]): void {
    for (const child of children) {
        if (child === null || child === undefined || child === false) {
            continue;
        }
        if (Array.isArray(child)) {
            append(parent, child as readonly Child[]);
        } else if (child instanceof Node) {
            parent.appendChild(child);
        } else {
            parent.appendChild(document.createTextNode(String(child)));
        }
    }
}

/** Replaces every child of `parent`. */
export function replace(parent: Element, ...children: Child[]): void {
    parent.replaceChildren();
    append(parent, children);
}

let counter = 0;
/** A document-unique id for label/aria wiring. */
export function uid(prefix: string): string {
    counter += 1;
    return `${prefix}-${counter}`;
}
