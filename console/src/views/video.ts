import { api, ApiError, ensureFreshCookie, session, Video } from '../api';
import { attempt, bytes, clock, h, mount, notice, when } from '../dom';
import { go, quotaChanged } from '../nav';
import { player } from '../player';

/** One video: the player, its details, edit, share link with expiry, trim, download, delete. */
export function videoView(app: HTMLElement, _params: URLSearchParams, id: string) {
  let timer: number | undefined;
  let destroyPlayer: (() => void) | undefined;
  let shownStatus = '';

  async function load() {
    let v: Video;
    try {
      v = await api<Video>('GET', `/api/videos/${id}`);
    } catch (e) {
      mount(app, h('h1', {}, 'Video'), notice('error', e instanceof ApiError && e.status === 404 ? 'No such video.' : String((e as Error).message)));
      return;
    }
    if (v.status !== shownStatus) {
      shownStatus = v.status;
      await render(v);
    } else {
      const bar = app.querySelector<HTMLElement>('[data-testid=video-progress] .fill');
      if (bar) bar.style.width = `${v.progress ?? 0}%`;
    }
    if (v.status !== 'READY' && v.status !== 'FAILED') timer = window.setTimeout(load, 2000);
  }

  async function render(v: Video) {
    destroyPlayer?.();
    destroyPlayer = undefined;
    const mine = v.ownerId === session()?.me.id || session()?.me.roles.includes('admin');
    let stage: HTMLElement;
    if (v.status === 'READY') {
      await ensureFreshCookie();
      const p = player(`/api/videos/${id}/hls/master.m3u8`, `/api/videos/${id}/stream`, true);
      destroyPlayer = p.destroy;
      stage = p.element;
    } else {
      stage = h('div', { class: 'stage' },
        h('p', {}, v.status === 'FAILED' ? `Processing failed: ${v.failureReason ?? 'no reason given'}` : `${v.status}…`),
        v.status !== 'FAILED' && h('div', { class: 'progress', 'data-testid': 'video-progress' }, h('div', { class: 'fill', style: `width:${v.progress ?? 0}%` })));
    }
    mount(app,
      h('h1', { 'data-testid': 'video-title', 'data-video-id': v.id }, v.title || v.fileName),
      h('p', {}, h('span', { class: `badge ${v.status.toLowerCase()}`, 'data-testid': 'video-status' }, v.status), ' ',
        h('small', { class: 'muted' }, [v.fileName, bytes(v.sizeBytes), v.durationSeconds ? clock(v.durationSeconds) : null,
          v.width ? `${v.width}×${v.height}` : null, v.renditions?.length ? `renditions ${v.renditions.map((r) => r.name).join(', ')}` : null,
          `added ${when(v.createdAt)}`, v.visibility].filter(Boolean).join(' · '))),
      stage,
      v.description ? h('p', {}, v.description) : null,
      h('div', { class: 'panels' },
        v.status === 'READY' ? sharePanel() : null,
        mine ? editPanel(v) : null,
        v.status === 'READY' && mine ? trimPanel(v) : null,
        h('section', { class: 'card' }, h('h2', {}, 'File'),
          v.status === 'READY' ? h('p', {}, h('a', { href: `/api/videos/${id}/download`, download: '' }, 'Download MP4')) : null,
          mine ? deleteButton() : null)));
  }

  function sharePanel(): HTMLElement {
    const out = h('div', { 'data-testid': 'share-result' });
    const expires = h('select', { name: 'expires' },
      h('option', { value: '3600' }, '1 hour'), h('option', { value: '86400' }, '1 day'), h('option', { value: '604800' }, '7 days'));
    const form = h('form', { class: 'card', 'data-testid': 'share-form' }, h('h2', {}, 'Share'),
      h('label', {}, 'Link expires in ', expires), h('button', { type: 'submit' }, 'Create link'), out);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      attempt(out, async () => {
        const link = await api('POST', `/api/videos/${id}/share`, { expiresInSeconds: Number(expires.value) });
        const url = `${location.origin}/#/s/${encodeURIComponent(link.token)}`;
        const input = h('input', { readonly: true, value: url, 'data-testid': 'share-url' });
        out.replaceChildren(input, h('button', { type: 'button', onclick: () => navigator.clipboard?.writeText(url) }, 'Copy'),
          h('small', { class: 'muted' }, ` valid until ${when(link.expiresAt)}`));
      });
    });
    return form;
  }

  function editPanel(v: Video): HTMLElement {
    const out = h('div');
    const title = h('input', { name: 'title', value: v.title ?? '', maxlength: 200 });
    const description = h('textarea', { name: 'description' }, v.description ?? '');
    const category = h('select', { name: 'category' }, h('option', { value: '' }, '(none)'));
    const visibility = h('select', { name: 'visibility' },
      h('option', { value: 'PRIVATE' }, 'private'), h('option', { value: 'PLATFORM' }, 'every signed-in user'));
    visibility.value = v.visibility;
    api('GET', '/api/categories').then((cats: any) => {
      const list: any[] = Array.isArray(cats) ? cats : cats?.items ?? [];
      for (const c of list) category.append(h('option', { value: c.name ?? c.id }, c.name ?? c.id));
      category.value = v.category ?? '';
    }).catch(() => undefined);
    const form = h('form', { class: 'card' }, h('h2', {}, 'Details'),
      h('label', {}, 'Title', title), h('label', {}, 'Description', description),
      h('label', {}, 'Category', category), h('label', {}, 'Visible to', visibility),
      h('button', { type: 'submit' }, 'Save'), out);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      attempt(out, async () => {
        await api('PATCH', `/api/videos/${id}`, { title: title.value, description: description.value,
          category: category.value || undefined, visibility: visibility.value });
        out.replaceChildren(notice('ok', 'Saved.'));
      });
    });
    return form;
  }

  function trimPanel(v: Video): HTMLElement {
    const out = h('div');
    const start = h('input', { name: 'start', type: 'number', min: 0, step: 0.1, value: 0 });
    const end = h('input', { name: 'end', type: 'number', min: 0, step: 0.1, value: v.durationSeconds ?? 0 });
    const title = h('input', { name: 'trimTitle', placeholder: `${v.title} (cut)` });
    const form = h('form', { class: 'card' }, h('h2', {}, 'Trim into a new video'),
      h('label', {}, 'From (s)', start), h('label', {}, 'To (s)', end), h('label', {}, 'Title', title),
      h('button', { type: 'submit' }, 'Trim'), out);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      attempt(out, async () => {
        const job = await api('POST', `/api/videos/${id}/trim`, { startSeconds: Number(start.value), endSeconds: Number(end.value), title: title.value || undefined });
        out.replaceChildren(notice('ok', 'Trimming. '), h('a', { href: `#/v/${job.videoId}` }, 'Open the new video'));
      });
    });
    return form;
  }

  function deleteButton(): HTMLElement {
    const out = h('div');
    return h('div', {}, h('button', { class: 'danger', type: 'button', 'data-testid': 'delete-video', onclick: () => {
      if (!confirm('Delete this video, its renditions and share links?')) return;
      attempt(out, async () => {
        await api('DELETE', `/api/videos/${id}`);
        quotaChanged();
        go('/');
      });
    } }, 'Delete video'), out);
  }

  load();
  return () => {
    window.clearTimeout(timer);
    destroyPlayer?.();
  };
}
