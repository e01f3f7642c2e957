import './style.css';
import { api, isAdmin, logout, session } from './api';
import { bytes, h, mount } from './dom';
import { go } from './nav';
import { authView } from './views/auth';
import { libraryView } from './views/library';
import { uploadView } from './views/upload';
import { videoView } from './views/video';
import { shareView } from './views/share';
import { adminJobsView, adminUsersView, adminVideosView } from './views/admin';
import { accountView } from './views/account';
import { webhookDeliveriesView, webhooksView } from './views/webhooks';

// Hash routes, so the gateway serves one index.html and nothing about routing.
type View = (app: HTMLElement, params: URLSearchParams, ...args: string[]) => (() => void) | void;
const routes: [RegExp, View, boolean][] = [
  [/^\/login$/, (app) => authView(app, 'login'), false],
  [/^\/register$/, (app) => authView(app, 'register'), false],
  [/^\/activate$/, (app, params) => authView(app, 'activate', params.get('token') ?? undefined), false],
  [/^\/s\/([^/]+)$/, shareView, false],
  [/^\/?$/, libraryView, true],
  [/^\/upload$/, uploadView, true],
  [/^\/v\/([0-9a-f-]+)$/, videoView, true],
  [/^\/webhooks$/, webhooksView, true],
  [/^\/webhooks\/([0-9a-f-]+)$/, webhookDeliveriesView, true],
  [/^\/account$/, accountView, true],
  [/^\/admin\/users$/, adminUsersView, true],
  [/^\/admin\/videos$/, adminVideosView, true],
  [/^\/admin\/jobs$/, adminJobsView, true],
];

const app = document.getElementById('app')!;
const top = document.getElementById('top')!;
let cleanup: (() => void) | void;


function route() {
  if (cleanup) cleanup();
  cleanup = undefined;
  const [path, search] = location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(search ?? '');
  for (const [pattern, view, needsLogin] of routes) {
    const match = pattern.exec(path || '/');
    if (!match) continue;
    if (needsLogin && !session()) {
      go('/login');
      return;
    }
    header();
    cleanup = view(app, params, ...match.slice(1));
    return;
  }
  mount(app, h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/' }, 'Back to the library')));
}

function header() {
  const s = session();
  const nav = h('nav', {},
    h('a', { href: '#/', class: 'brand' }, 'Clipflow'),
    s && h('a', { href: '#/' }, 'Library'),
    s && h('a', { href: '#/upload' }, 'Upload'),
    s && h('a', { href: '#/webhooks' }, 'Webhooks'),
    s && isAdmin() && h('a', { href: '#/admin/users' }, 'Users'),
    s && isAdmin() && h('a', { href: '#/admin/videos' }, 'All videos'),
    s && isAdmin() && h('a', { href: '#/admin/jobs' }, 'Jobs'),
    h('span', { class: 'spacer' }),
    s ? quotaBar() : null,
    s && h('a', { class: 'who', 'data-testid': 'who', href: '#/account', title: 'Account settings' }, s.me.email),
    s && h('button', { class: 'link', onclick: async () => { await logout(); go('/login'); } }, 'Log out'),
    !s && h('a', { href: '#/login' }, 'Log in'),
    !s && h('a', { href: '#/register' }, 'Register'),
  );
  mount(top, nav);
}

/** Storage used of the quota, with the alert the quota-service raises past 80 %. */
export function quotaBar(): HTMLElement {
  const fill = h('div', { class: 'fill' });
  const label = h('span', { class: 'label' }, 'quota…');
  const box = h('div', { class: 'quota', 'data-testid': 'quota', title: 'Storage used' }, h('div', { class: 'bar' }, fill), label);
  refreshQuota(box, fill, label);
  return box;
}

async function refreshQuota(box: HTMLElement, fill: HTMLElement, label: HTMLElement) {
  try {
    const q = await api('GET', '/api/quota/me');
    const pct = Math.min(100, q.storage.percentUsed ?? 0);
    fill.style.width = `${pct}%`;
    box.classList.toggle('alert', Boolean(q.storage.alert || q.bandwidth.alert));
    label.textContent = `${bytes(q.storage.usedBytes + (q.storage.reservedBytes ?? 0))} of ${bytes(q.storage.limitBytes)}`
      + (q.storage.alert ? ' · storage almost full' : '')
      + (q.bandwidth.alert ? ` · bandwidth ${Math.round(q.bandwidth.percentUsed)}% used` : '');
    box.title = `Storage ${pct.toFixed(1)}% used; bandwidth ${bytes(q.bandwidth.usedBytes)} of ${bytes(q.bandwidth.limitBytes)} this period`;
  } catch {
    label.textContent = 'quota unavailable';
  }
}


window.addEventListener('hashchange', route);
window.addEventListener('clipflow:logged-out', () => go('/login'));
window.addEventListener('clipflow:quota', () => session() && header());
route();
