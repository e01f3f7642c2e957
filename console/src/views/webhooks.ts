import { api, isAdmin, Page, query } from '../api';
import { attempt, h, mount, notice, when } from '../dom';

/** The event types an endpoint can subscribe to (notify-service's EventTypes, docs/api.md "Webhooks"). */
const EVENT_TYPES = ['video.ready', 'video.failed', 'video.rendition_ready', 'video.deleted', 'upload.completed',
  'quota.alert', 'job.succeeded', 'job.failed', 'video.replaced', 'video.replace_failed'];

const DEFAULT_TYPES = ['video.ready', 'video.failed'];

interface Endpoint {
  id: string;
  ownerId?: string;
  allUsers: boolean;
  url: string;
  eventTypes: string[];
  description?: string;
  enabled: boolean;
  disabledReason?: string;
  failingSince?: string;
  createdAt: string;
  previousSecretExpiresAt?: string;
  secret?: string;
}

interface Attempt {
  attempt: number;
  attemptedAt: string;
  statusCode?: number;
  latencyMs: number;
  responseExcerpt?: string;
  error?: string;
}

interface Delivery {
  id: string;
  messageId: string;
  eventType: string;
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  attempts: number;
  createdAt: string;
  nextAttemptAt?: string;
  payload: string;
  attemptLog: Attempt[];
}

/** Event type checkboxes, ticked for `chosen`. */
function eventBoxes(chosen: string[]): HTMLElement {
  return h('fieldset', { class: 'events' }, h('legend', {}, 'Events'),
    ...EVENT_TYPES.map((t) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: 'eventTypes', value: t, checked: chosen.includes(t) }), ` ${t}`)));
}

function checkedTypes(form: HTMLElement): string[] {
  return [...form.querySelectorAll<HTMLInputElement>('input[name=eventTypes]:checked')].map((i) => i.value);
}

/** The secret, shown once (creation and rotation): the API never returns it again. */
function secretBox(e: Endpoint): HTMLElement {
  return h('div', { class: 'card secret' },
    h('p', {}, h('strong', {}, 'Signing secret of '), e.url, ': shown only now, store it (verify signatures with it).'),
    h('input', { 'data-testid': 'webhook-secret', readonly: true, value: e.secret ?? '', onclick: (ev: Event) => (ev.target as HTMLInputElement).select() }),
    e.previousSecretExpiresAt && h('p', { class: 'muted' }, `The previous secret signs too until ${when(e.previousSecretExpiresAt)}.`));
}

/**
 * Webhook endpoints: register (the secret is shown once), edit URL, events and enabled, rotate the secret,
 * delete, and each endpoint's delivery log. An admin sees every user's endpoints and may register platform
 * endpoints that receive every user's events.
 */
export function webhooksView(app: HTMLElement) {
  const out = h('div');
  const body = h('tbody');
  const url = h('input', { name: 'url', type: 'url', required: true, placeholder: 'https://example.com/clipflow-hook' });
  const description = h('input', { name: 'description', placeholder: 'what it is for (optional)' });
  const allUsers = h('input', { type: 'checkbox', name: 'allUsers' });
  const form = h('form', { class: 'card', 'data-testid': 'webhook-form' },
    h('h2', {}, 'Register an endpoint'),
    h('label', {}, 'URL', url), h('label', {}, 'Description', description),
    eventBoxes(DEFAULT_TYPES),
    isAdmin() && h('label', { class: 'check' }, allUsers, ' every user\'s events (a platform endpoint, admins only)'),
    h('button', { type: 'submit' }, 'Register'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    attempt(out, async () => {
      const created = await api<Endpoint>('POST', '/api/webhooks', {
        url: url.value, description: description.value || undefined, eventTypes: checkedTypes(form),
        allUsers: allUsers.checked || undefined,
      });
      form.reset();
      for (const box of form.querySelectorAll<HTMLInputElement>('input[name=eventTypes]')) box.checked = DEFAULT_TYPES.includes(box.value);
      await load();
      out.replaceChildren(secretBox(created));
    });
  });

  const load = () => attempt(out, async () => {
    const page = await api<Page<Endpoint>>('GET', `/api/webhooks${query({ size: 100 })}`);
    body.replaceChildren(...page.items.map(row));
    if (page.items.length === 0) body.replaceChildren(h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No endpoints yet.')));
  });

  function row(e: Endpoint): HTMLElement {
    const actions = h('td', {});
    const tr = h('tr', { 'data-endpoint-url': e.url, 'data-endpoint-id': e.id },
      h('td', {}, h('a', { href: `#/webhooks/${e.id}` }, e.url), e.description && h('div', { class: 'muted' }, e.description),
        isAdmin() && h('div', { class: 'muted' }, e.allUsers ? 'all users (platform)' : `owner ${e.ownerId}`)),
      h('td', {}, e.eventTypes.join(', ')),
      h('td', { 'data-testid': 'enabled' }, e.enabled ? 'enabled' : 'disabled', e.disabledReason && h('div', { class: 'error' }, e.disabledReason)),
      h('td', {}, when(e.createdAt)),
      actions);
    actions.append(
      h('button', { class: 'link', type: 'button', 'data-testid': 'edit-webhook', onclick: () => edit(e, tr) }, 'Edit'), ' ',
      h('button', { class: 'link', type: 'button', 'data-testid': 'rotate-secret', onclick: () => {
        if (!confirm(`Rotate the secret of ${e.url}? The old one keeps signing for 24 hours.`)) return;
        attempt(out, async () => {
          const rotated = await api<Endpoint>('POST', `/api/webhooks/${e.id}/rotate-secret`, {});
          out.replaceChildren(secretBox(rotated));
        });
      } }, 'Rotate secret'), ' ',
      h('a', { href: `#/webhooks/${e.id}`, 'data-testid': 'deliveries-link' }, 'Deliveries'), ' ',
      h('button', { class: 'danger', type: 'button', 'data-testid': 'delete-webhook', onclick: () => {
        if (!confirm(`Delete ${e.url} and its delivery log?`)) return;
        attempt(out, async () => {
          await api('DELETE', `/api/webhooks/${e.id}`);
          await load();
          out.replaceChildren(notice('ok', `Deleted ${e.url}.`));
        });
      } }, 'Delete'));
    return tr;
  }

  function edit(e: Endpoint, tr: HTMLElement) {
    const editUrl = h('input', { name: 'url', type: 'url', required: true, value: e.url });
    const editDescription = h('input', { name: 'description', value: e.description ?? '' });
    const enabled = h('input', { type: 'checkbox', name: 'enabled', checked: e.enabled });
    const f = h('form', { 'data-testid': 'edit-form' },
      h('label', {}, 'URL', editUrl), h('label', {}, 'Description', editDescription), eventBoxes(e.eventTypes),
      h('label', { class: 'check' }, enabled, ' enabled'),
      h('button', { type: 'submit' }, 'Save'), ' ',
      h('button', { class: 'link', type: 'button', onclick: () => load() }, 'Cancel'));
    f.addEventListener('submit', (ev) => {
      ev.preventDefault();
      attempt(out, async () => {
        await api('PUT', `/api/webhooks/${e.id}`, {
          url: editUrl.value, description: editDescription.value || undefined, eventTypes: checkedTypes(f), enabled: enabled.checked,
        });
        await load();
        out.replaceChildren(notice('ok', `Saved ${editUrl.value}.`));
      });
    });
    tr.replaceChildren(h('td', { colspan: 5 }, f));
  }

  mount(app, h('h1', {}, 'Webhooks'),
    h('p', { class: 'muted' }, 'Clipflow POSTs the events you choose to your endpoints, signed as the Standard Webhooks specification says (see the API docs for a verifier).'),
    form, out,
    h('table', { 'data-testid': 'webhooks' }, h('thead', {}, h('tr', {}, ...['Endpoint', 'Events', 'State', 'Created', ''].map((t) => h('th', {}, t)))), body));
  load();
}

/** One endpoint's delivery log (newest first, every attempt), refreshed every 3 s, with redelivery. */
export function webhookDeliveriesView(app: HTMLElement, _params: URLSearchParams, id: string) {
  const out = h('div');
  const head = h('div');
  const body = h('tbody');
  let timer: number | undefined;
  let stopped = false;

  async function load() {
    window.clearTimeout(timer);
    await attempt(out, async () => {
      const [e, page] = await Promise.all([
        api<Endpoint>('GET', `/api/webhooks/${id}`),
        api<Page<Delivery>>('GET', `/api/webhooks/${id}/deliveries${query({ size: 50 })}`),
      ]);
      if (stopped) return;
      mount(head, h('p', {}, h('strong', {}, e.url), ` · ${e.eventTypes.join(', ')} · ${e.enabled ? 'enabled' : 'disabled'}`),
        e.disabledReason ? notice('error', e.disabledReason) : null);
      body.replaceChildren(...page.items.map((d) => row(d, e.enabled)));
      if (page.items.length === 0) body.replaceChildren(h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'Nothing delivered yet.')));
    });
    if (!stopped) timer = window.setTimeout(load, 3000);
  }

  function row(d: Delivery, enabled: boolean): HTMLElement {
    const last = d.attemptLog[d.attemptLog.length - 1];
    return h('tr', { 'data-delivery-id': d.id, 'data-message-id': d.messageId, 'data-event-type': d.eventType, 'data-status': d.status },
      h('td', {}, when(d.createdAt)),
      h('td', {}, d.eventType, h('div', { class: 'muted' }, d.messageId)),
      h('td', {}, h('span', { class: `badge ${d.status === 'SUCCEEDED' ? 'ready' : d.status === 'FAILED' ? 'failed' : 'processing'}` }, d.status),
        d.nextAttemptAt && h('div', { class: 'muted' }, `next ${when(d.nextAttemptAt)}`)),
      h('td', {}, `${d.attempts}`, last && h('div', { class: 'muted' },
        `${last.statusCode ? `HTTP ${last.statusCode}` : last.error ?? ''} · ${last.latencyMs} ms`)),
      h('td', {}, h('details', {}, h('summary', {}, 'payload and attempts'),
        h('pre', {}, d.payload),
        ...d.attemptLog.map((a) => h('div', { class: 'muted' },
          `#${a.attempt} ${when(a.attemptedAt)}: ${a.statusCode ? `HTTP ${a.statusCode}` : a.error} (${a.latencyMs} ms)`
          + (a.responseExcerpt ? ` ${a.responseExcerpt}` : ''))))),
      h('td', {}, h('button', { type: 'button', 'data-testid': 'redeliver', disabled: !enabled, title: enabled ? 'Send again now, same webhook-id' : 'Enable the endpoint first', onclick: () =>
        attempt(out, async () => {
          await api('POST', `/api/webhooks/${id}/deliveries/${d.id}/redeliver`);
          await load();
          out.replaceChildren(notice('ok', `Redelivering ${d.eventType}.`));
        }) }, 'Redeliver')));
  }

  mount(app, h('h1', {}, 'Deliveries'), h('p', {}, h('a', { href: '#/webhooks' }, '← Webhooks')), head, out,
    h('table', { 'data-testid': 'deliveries' }, h('thead', {}, h('tr', {}, ...['Created', 'Event', 'Status', 'Attempts', '', ''].map((t) => h('th', {}, t)))), body));
  load();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
}
