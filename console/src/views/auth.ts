import { api, login } from '../api';
import { attempt, h, mount, notice } from '../dom';
import { go } from '../nav';

/** Log in, register, activate (from the e-mailed token). */
export function authView(app: HTMLElement, mode: 'login' | 'register' | 'activate', token?: string) {
  const out = h('div');
  const tabs = h('p', { class: 'tabs' },
    h('a', { href: '#/login', class: mode === 'login' ? 'active' : '' }, 'Log in'),
    h('a', { href: '#/register', class: mode === 'register' ? 'active' : '' }, 'Register'),
    h('a', { href: '#/activate', class: mode === 'activate' ? 'active' : '' }, 'Activate'));

  if (mode === 'login') {
    const email = h('input', { name: 'email', type: 'email', required: true, autocomplete: 'username' });
    const password = h('input', { name: 'password', type: 'password', required: true, autocomplete: 'current-password' });
    const form = h('form', { class: 'card narrow', 'data-testid': 'login-form' },
      h('h1', {}, 'Log in'), tabs,
      h('label', {}, 'E-mail', email), h('label', {}, 'Password', password),
      h('button', { type: 'submit' }, 'Log in'), out);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      attempt(out, async () => {
        await login(email.value, password.value);
        go('/');
      });
    });
    mount(app, form);
  } else if (mode === 'register') {
    const email = h('input', { name: 'email', type: 'email', required: true, autocomplete: 'username' });
    const name = h('input', { name: 'displayName', maxlength: 100 });
    const password = h('input', { name: 'password', type: 'password', required: true, minlength: 8, autocomplete: 'new-password' });
    const form = h('form', { class: 'card narrow', 'data-testid': 'register-form' },
      h('h1', {}, 'Create an account'), tabs,
      h('label', {}, 'E-mail', email), h('label', {}, 'Display name', name), h('label', {}, 'Password', password),
      h('button', { type: 'submit' }, 'Register'), out);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      attempt(out, async () => {
        await api('POST', '/api/auth/register', { email: email.value, password: password.value, displayName: name.value || undefined });
        out.replaceChildren(notice('ok', `We sent an activation link to ${email.value}. Open it, or paste its token under "Activate".`));
      });
    });
    mount(app, form);
  } else {
    const input = h('input', { name: 'token', required: true, value: token ?? '' });
    const form = h('form', { class: 'card narrow', 'data-testid': 'activate-form' },
      h('h1', {}, 'Activate your account'), tabs,
      h('label', {}, 'Activation token (from the e-mail)', input),
      h('button', { type: 'submit' }, 'Activate'), out);
    const activate = () => attempt(out, async () => {
      await api('POST', '/api/auth/activate', { token: input.value.trim() });
      out.replaceChildren(notice('ok', 'Your account is active: log in.'), h('a', { href: '#/login' }, 'Log in'));
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      activate();
    });
    mount(app, form);
    if (token) activate();
  }
}
