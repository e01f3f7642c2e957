import { api, isAdmin, Page, query, Video } from '../api';
import { attempt, bytes, h, mount, notice, when } from '../dom';

const MiB = 1024 ** 2;

function adminOnly(app: HTMLElement): boolean {
  if (isAdmin()) return true;
  mount(app, h('h1', {}, 'Administration'), notice('error', 'Only administrators see this page.'));
  return false;
}

/** Users: search, enable/disable, admin role, quota limits, delete. */
export function adminUsersView(app: HTMLElement) {
  if (!adminOnly(app)) return;
  const q = h('input', { type: 'search', name: 'q', placeholder: 'e-mail or name' });
  const out = h('div');
  const body = h('tbody');
  const form = h('form', { class: 'toolbar' }, q, h('button', { type: 'submit' }, 'Search'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });

  let latest = 0;
  const load = () => attempt(out, async () => {
    const mine = ++latest;
    const page = await api<Page<any>>('GET', `/api/admin/users${query({ q: q.value, size: 100 })}`);
    if (mine === latest) body.replaceChildren(...page.items.map(row)); // an older answer never wins
  });

  function row(u: any): HTMLElement {
    const quota = h('td', {}, h('button', { class: 'link', type: 'button', 'data-testid': 'edit-quota', onclick: () => editQuota(u, quota) }, 'Quota…'));
    return h('tr', { 'data-user-email': u.email },
      h('td', {}, u.email), h('td', {}, u.displayName ?? ''), h('td', {}, (u.roles ?? []).join(', ')),
      h('td', {}, u.activated ? 'yes' : 'no'), h('td', {}, u.enabled ? 'yes' : 'no'), h('td', {}, when(u.createdAt)), quota,
      h('td', {},
        h('button', { type: 'button', onclick: () => attempt(out, async () => {
          await api('PUT', `/api/admin/users/${u.id}`, { enabled: !u.enabled });
          await load();
        }) }, u.enabled ? 'Disable' : 'Enable'), ' ',
        h('button', { class: 'danger', type: 'button', 'data-testid': 'delete-user', onclick: () => {
          if (!confirm(`Delete ${u.email} with all their videos?`)) return;
          attempt(out, async () => {
            await api('DELETE', `/api/admin/users/${u.id}`);
            await load();
            out.replaceChildren(notice('ok', `Deleted ${u.email}.`));
          });
        } }, 'Delete')));
  }

  async function editQuota(u: any, cell: HTMLElement) {
    await attempt(out, async () => {
      const qv = await api('GET', `/api/admin/quota/${u.id}`);
      const storage = h('input', { name: 'storageMiB', type: 'number', min: 0, step: 'any', value: Math.round(qv.storageLimitBytes / MiB), title: 'MiB' });
      const bandwidth = h('input', { name: 'bandwidthMiB', type: 'number', min: 0, step: 'any', value: Math.round(qv.bandwidthLimitBytes / MiB), title: 'MiB' });
      const f = h('form', { class: 'inline', 'data-testid': 'quota-form' }, h('small', { 'data-used': qv.storage.usedBytes }, `${bytes(qv.storage.usedBytes)} used`),
        h('label', {}, 'storage MiB', storage), h('label', {}, 'bandwidth MiB', bandwidth), h('button', { type: 'submit' }, 'Save'));
      f.addEventListener('submit', (e) => {
        e.preventDefault();
        attempt(out, async () => {
          await api('PUT', `/api/admin/quota/${u.id}`, {
            storageLimitBytes: Math.round(Number(storage.value) * MiB), bandwidthLimitBytes: Math.round(Number(bandwidth.value) * MiB) });
          out.replaceChildren(notice('ok', `Quota of ${u.email} saved.`));
        });
      });
      cell.replaceChildren(f);
    });
  }

  mount(app, h('h1', {}, 'Users'), form, out,
    h('table', { 'data-testid': 'users' }, h('thead', {}, h('tr', {}, ...['E-mail', 'Name', 'Roles', 'Active', 'Enabled', 'Created', 'Quota', ''].map((t) => h('th', {}, t)))), body));
  load();
}

/** Every user's videos: search, by owner, delete. */
export function adminVideosView(app: HTMLElement) {
  if (!adminOnly(app)) return;
  const q = h('input', { type: 'search', name: 'q', placeholder: 'title, description, file name' });
  const owner = h('input', { name: 'ownerId', placeholder: 'owner id' });
  const out = h('div');
  const body = h('tbody');
  const form = h('form', { class: 'toolbar' }, q, owner, h('button', { type: 'submit' }, 'Search'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  let latest = 0;
  const load = () => attempt(out, async () => {
    const mine = ++latest;
    const page = await api<Page<Video>>('GET', `/api/admin/videos${query({ q: q.value, ownerId: owner.value, size: 100 })}`);
    if (mine !== latest) return;
    body.replaceChildren(...page.items.map((v) => h('tr', {},
      h('td', {}, h('a', { href: `#/v/${v.id}` }, v.title || v.fileName)), h('td', {}, h('code', {}, v.ownerId)),
      h('td', {}, v.status), h('td', {}, bytes(v.sizeBytes)), h('td', {}, v.visibility), h('td', {}, when(v.createdAt)),
      h('td', {}, h('button', { class: 'danger', type: 'button', onclick: () => {
        if (!confirm(`Delete "${v.title}"?`)) return;
        attempt(out, async () => {
          await api('DELETE', `/api/admin/videos/${v.id}`);
          await load();
        });
      } }, 'Delete')))));
  });
  mount(app, h('h1', {}, 'All videos'), form, out,
    h('table', {}, h('thead', {}, h('tr', {}, ...['Title', 'Owner', 'Status', 'Size', 'Visibility', 'Created', ''].map((t) => h('th', {}, t)))), body));
  load();
}

/** Transcode jobs by status; a FAILED one can be retried. */
export function adminJobsView(app: HTMLElement) {
  if (!adminOnly(app)) return;
  const status = h('select', { name: 'status' }, ...['FAILED', 'RUNNING', 'QUEUED', 'SUCCEEDED'].map((s) => h('option', { value: s }, s)));
  const out = h('div');
  const body = h('tbody');
  status.addEventListener('change', () => load());
  let latest = 0;
  const load = () => attempt(out, async () => {
    const mine = ++latest;
    const page = await api<Page<any>>('GET', `/api/jobs${query({ status: status.value, size: 100 })}`);
    if (mine !== latest) return;
    body.replaceChildren(...page.items.map((j) => h('tr', { 'data-job-id': j.id },
      h('td', {}, h('code', {}, j.id)), h('td', {}, j.type), h('td', {}, j.status), h('td', {}, `${j.progress ?? 0}%`),
      h('td', {}, j.videoId ? h('a', { href: `#/v/${j.videoId}` }, 'video') : ''), h('td', { class: 'error' }, j.error ?? ''),
      h('td', {}, when(j.updatedAt)),
      h('td', {}, j.status === 'FAILED' && h('button', { type: 'button', onclick: () => attempt(out, async () => {
        await api('POST', `/api/jobs/${j.id}/retry`);
        await load();
        out.replaceChildren(notice('ok', 'Queued again.'));
      }) }, 'Retry')))));
  });
  mount(app, h('h1', {}, 'Jobs'), h('div', { class: 'toolbar' }, h('label', {}, 'Status ', status)), out,
    h('table', {}, h('thead', {}, h('tr', {}, ...['Job', 'Type', 'Status', 'Progress', 'Video', 'Error', 'Updated', ''].map((t) => h('th', {}, t)))), body));
  load();
}
