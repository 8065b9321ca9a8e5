/**
 * Sign in with user name and password; the token goes to sessionStorage. After an administrator's password reset the
 * gateway allows nothing but choosing a new password, so that form follows before the session starts.
 */
import { post } from '../api';
import { actionForm, field, value } from '../components/form';
import { h, replace } from '../dom';
import type { View } from '../main';
import { startSession } from '../main';
import { saveToken } from '../session';

interface LoginAnswer {
    token: string;
    user: { mustChangePassword?: true };
}

export function loginView(done: () => void): View {
    const panel = h('section', { class: 'panel' });
    const finish = async (token: string): Promise<void> => {
        saveToken(token);
        await startSession();
        done();
    };
    const chooseNew = (temporary: string): HTMLElement => actionForm({
        label: 'Choose a new password',
        fields: [
            field({ name: 'newPassword', label: 'New password', type: 'password', required: true, autocomplete: 'new-password', maxlength: 128, hint: 'At least 12 characters' }),
        ],
        submit: 'Set password',
        testId: 'new-password-form',
        run: async (f) => {
            const answer = await post<{ token: string }>('/api/v1/me/password', { currentPassword: temporary, newPassword: value(f, 'newPassword') });
            await finish(answer.data.token);
            return 'Password changed.';
        },
    });
    const signIn = actionForm({
        label: 'Sign in',
        fields: [
            field({ name: 'name', label: 'User name', required: true, autocomplete: 'username', maxlength: 64 }),
            field({ name: 'password', label: 'Password', type: 'password', required: true, autocomplete: 'current-password' }),
        ],
        submit: 'Sign in',
        testId: 'login-form',
        run: async (f) => {
            const answer = await post<LoginAnswer>('/api/v1/auth/login', { name: value(f, 'name'), password: value(f, 'password') });
            if (answer.data.user.mustChangePassword) {
                // The temporary token may only change the password: keep it for that call alone.
                saveToken(answer.data.token);
                replace(panel, h('p', null, 'Your password was reset by your administrator. Choose a new one to continue.'), chooseNew(value(f, 'password')));
                return 'Choose a new password.';
            }
            await finish(answer.data.token);
            return 'Signed in.';
        },
    });
    replace(panel, signIn);
    return {
        title: 'Sign in',
        element: h('div', { class: 'narrow' },
            h('h1', null, 'Sign in to your organisation\'s portal'),
            panel,
            h('p', { class: 'muted' }, 'Checking a certificate of origin or a document? ', h('a', { href: '#/verify' }, 'Verify without signing in'), '.')),
    };
}
