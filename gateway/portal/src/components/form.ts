/**
 * Labelled inputs with their hint and error next to them, native validation with messages in plain words, and a
 * form wrapper that shows the gateway's problem next to the field it names (or above the button otherwise).
 */
import { plainError } from '../api';
import { type Child, h, replace, uid } from '../dom';

export interface FieldSpec {
    name: string;
    label: string;
    value?: string;
    type?: 'text' | 'number' | 'date' | 'password' | 'textarea' | 'select' | 'checkbox';
    required?: boolean;
    pattern?: string;
    /** Shown under the input, and used as the error message when the pattern does not match. */
    hint?: string;
    options?: readonly (string | readonly [value: string, label: string])[];
    min?: number;
    max?: number;
    step?: string;
    maxlength?: number;
    autocomplete?: string;
    inputmode?: string;
    checked?: boolean;
    /** What a ticked checkbox stands for (default 'true'). */
    checkValue?: string;
    /** Narrow input for short codes. */
    short?: boolean;
    readonly?: boolean;
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export function field(spec: FieldSpec): HTMLElement {
    const id = uid(`f-${spec.name.replace(/[^A-Za-z0-9]/g, '-')}`);
    const hintId = `${id}-hint`;
    const errorId = `${id}-error`;
    const describedBy = [spec.hint ? hintId : '', errorId].filter(Boolean).join(' ');
    const common = {
        id, name: spec.name, required: spec.required ?? false, 'aria-describedby': describedBy,
        'data-hint': spec.hint, readonly: spec.readonly ?? false,
    };
    let control: Control;
    if (spec.type === 'select') {
        control = h('select', common, (spec.options ?? []).map((o) => {
            const [value, label] = typeof o === 'string' ? [o, o] : o;
            return h('option', { value, selected: value === spec.value }, label);
        }));
    } else if (spec.type === 'textarea') {
        control = h('textarea', { ...common, rows: 3, maxlength: spec.maxlength }, spec.value ?? '');
    } else if (spec.type === 'checkbox') {
        control = h('input', { ...common, type: 'checkbox', checked: spec.checked ?? false, value: spec.checkValue ?? 'true' });
        return h('div', { class: 'field field-check' }, control, h('label', { for: id }, spec.label),
            spec.hint ? h('small', { id: hintId, class: 'hint' }, spec.hint) : null,
            h('p', { id: errorId, class: 'field-error', 'aria-live': 'polite' }));
    } else {
        control = h('input', {
            ...common, type: spec.type ?? 'text', value: spec.value ?? '', pattern: spec.pattern, min: spec.min, max: spec.max,
            step: spec.step, maxlength: spec.maxlength, autocomplete: spec.autocomplete ?? 'off', inputmode: spec.inputmode,
            spellcheck: 'false',
        });
    }
    return h('div', { class: `field${spec.short ? ' field-short' : ''}` },
        h('label', { for: id }, spec.label, spec.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
        control,
        spec.hint ? h('small', { id: hintId, class: 'hint' }, spec.hint) : null,
        h('p', { id: errorId, class: 'field-error', 'aria-live': 'polite' }));
}

function controls(form: HTMLFormElement): Control[] {
    return [...form.querySelectorAll<Control>('input, select, textarea')];
}

function errorOf(control: Control): HTMLElement | null {
    const ids = (control.getAttribute('aria-describedby') ?? '').split(' ');
    const id = ids.find((i) => i.endsWith('-error'));
    return id ? document.getElementById(id) : null;
}

export function setFieldError(control: Control, message: string): void {
    const error = errorOf(control);
    if (error) {
        error.textContent = message;
    }
    control.toggleAttribute('aria-invalid', message !== '');
}

function messageFor(control: Control): string {
    const v = control.validity;
    if (v.valueMissing) {
        return control instanceof HTMLInputElement && control.type === 'checkbox' ? 'Tick this box to go on.' : 'Fill this in.';
    }
    if (v.patternMismatch) {
        return control.dataset['hint'] ? `Expected: ${control.dataset['hint']}.` : 'The format is not right.';
    }
    if (v.rangeUnderflow || v.rangeOverflow || v.stepMismatch) {
        return `Enter a number${control instanceof HTMLInputElement && control.min ? ` of at least ${control.min}` : ''}${control instanceof HTMLInputElement && control.max ? ` and at most ${control.max}` : ''}.`;
    }
    if (v.badInput || v.typeMismatch) {
        return 'This is not a valid value.';
    }
    return control.validationMessage;
}

/** Checks every control, writes each message next to its input, focuses the first problem. */
export function validate(form: HTMLFormElement): boolean {
    let first: Control | undefined;
    for (const control of controls(form)) {
        const ok = control.checkValidity();
        setFieldError(control, ok ? '' : messageFor(control));
        if (!ok && !first) {
            first = control;
        }
    }
    first?.focus();
    return first === undefined;
}

/** Text value of a named control (checkboxes: 'true' or ''). */
export function value(form: HTMLFormElement | HTMLElement, name: string): string {
    const control = form.querySelector<Control>(`[name="${CSS.escape(name)}"]`);
    if (!control) {
        return '';
    }
    if (control instanceof HTMLInputElement && control.type === 'checkbox') {
        return control.checked ? 'true' : '';
    }
    return control.value.trim();
}

/**
 * Puts an API problem next to the field it names. The gateway words validation errors as "body field a.b.c ...";
 * the form's controls are named with the same dotted paths, so the message lands beside its input.
 */
function placeProblem(form: HTMLFormElement, message: string): boolean {
    const match = /field ([A-Za-z0-9_.]+)/.exec(message);
    if (!match) {
        return false;
    }
    const control = form.querySelector<Control>(`[name="${CSS.escape(match[1]!)}"]`);
    if (!control) {
        return false;
    }
    setFieldError(control, message);
    control.focus();
    return true;
}

export interface ActionFormSpec {
    label: string;
    /** Visible heading above the fields, if any. */
    title?: string;
    intro?: Child;
    fields: Child[];
    submit: string;
    /** Red button for refusals and other irreversible steps. */
    danger?: boolean;
    /** Does the work; answers the success message. */
    run: (form: HTMLFormElement) => Promise<Child>;
    testId?: string;
}

/** A form that validates, runs, and shows the outcome (success or the problem in plain words) beside its button. */
export function actionForm(spec: ActionFormSpec): HTMLFormElement {
    const status = h('div', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
    const button = h('button', { type: 'submit', class: spec.danger ? 'danger' : 'primary' }, spec.submit);
    const form = h('form', { class: 'action-form', 'aria-label': spec.label, novalidate: true, 'data-testid': spec.testId },
        spec.title ? h('h3', null, spec.title) : null,
        spec.intro ?? null,
        h('div', { class: 'fields' }, spec.fields),
        h('div', { class: 'form-actions' }, button, status));
    form.addEventListener('submit', (event) => {
        event.preventDefault();
        if (!validate(form)) {
            replace(status, h('p', { class: 'error', role: 'alert' }, 'Check the fields marked above.'));
            return;
        }
        button.disabled = true;
        form.setAttribute('aria-busy', 'true');
        replace(status, h('p', { class: 'muted' }, 'Working… the ledger confirms in a few seconds.'));
        void spec.run(form).then((message) => {
            replace(status, h('p', { class: 'success' }, message));
        }, (err: unknown) => {
            const text = plainError(err);
            placeProblem(form, text);
            replace(status, h('p', { class: 'error', role: 'alert' }, text));
        }).finally(() => {
            button.disabled = false;
            form.removeAttribute('aria-busy');
        });
    });
    return form;
}
