/** Sign in with user name and password; the token goes to sessionStorage. */
import { post } from '../api';
import { actionForm, field, value } from '../components/form';
import { h } from '../dom';
import type { View } from '../main';
import { startSession } from '../main';
import { saveToken } from '../session';

export function loginView(done: () => void): View {
    const form = actionForm({
        label: 'Sign in',
        fields: [
            field({ name: 'name', label: 'User name', required: true, autocomplete: 'username', maxlength: 64 }),
            field({ name: 'password', label: 'Password', type: 'password', required: true, autocomplete: 'current-password' }),
        ],
        submit: 'Sign in',
        testId: 'login-form',
        run: async (f) => {
            const answer = await post<{ token: string }>('/api/v1/auth/login', { name: value(f, 'name'), password: value(f, 'password') });
            saveToken(answer.data.token);
            await startSession();
            done();
            return 'Signed in.';
        },
    });
    return {
        title: 'Sign in',
        element: h('div', { class: 'narrow' },
            h('h1', null, 'Sign in to your organisation\'s portal'),
            h('section', { class: 'panel' }, form),
            h('p', { class: 'muted' }, 'Checking a certificate of origin or a document? ', h('a', { href: '#/verify' }, 'Verify without signing in'), '.')),
    };
}
