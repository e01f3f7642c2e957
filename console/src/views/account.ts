import { api } from '../api';
import { attempt, h, mount, notice } from '../dom';

/** Account settings: today whether quota alerts (80 % and 100 % of storage or bandwidth) are e-mailed. */
export function accountView(app: HTMLElement) {
  const out = h('div');
  const alertMail = h('input', { type: 'checkbox', name: 'quotaAlertMail', 'data-testid': 'alert-mail', disabled: true });
  alertMail.addEventListener('change', () => attempt(out, async () => {
    const saved = await api('PUT', '/api/auth/me/settings', { quotaAlertMail: alertMail.checked });
    alertMail.checked = saved.quotaAlertMail;
    out.replaceChildren(notice('ok', saved.quotaAlertMail ? 'Quota alerts will be e-mailed.' : 'Quota alerts will not be e-mailed.'));
  }));
  mount(app, h('h1', {}, 'Account'),
    h('div', { class: 'card' }, h('h2', {}, 'E-mail'),
      h('label', { class: 'check' }, alertMail, ' E-mail me when my storage or bandwidth passes 80 % or 100 % of my quota')),
    out);
  attempt(out, async () => {
    const settings = await api('GET', '/api/auth/me/settings');
    alertMail.checked = settings.quotaAlertMail;
    alertMail.disabled = false;
  });
}
