import { api, Page, query, Video } from '../api';
import { attempt, bytes, clock, h, mount, notice } from '../dom';
import { go } from '../nav';

const TERMINAL = new Set(['READY', 'FAILED']);

/**
 * One's videos (or, with "all", the platform's shared ones too): thumbnails, status and live progress
 * (polled every 2 s while anything is still processing, every 10 s otherwise), search, and merge of selected videos.
 */
export function libraryView(app: HTMLElement, params: URLSearchParams) {
  const q = h('input', { type: 'search', name: 'q', placeholder: 'Search title, description, file name', value: params.get('q') ?? '' });
  const status = h('select', { name: 'status' }, ...['', 'UPLOADING', 'PROCESSING', 'READY', 'FAILED'].map((s) =>
    h('option', { value: s }, s || 'any status')));
  const scope = h('select', { name: 'scope' }, h('option', { value: 'mine' }, 'my videos'), h('option', { value: 'all' }, 'with shared videos'));
  const mergeTitle = h('input', { name: 'mergeTitle', placeholder: 'Title of the merged video' });
  const mergeButton = h('button', { type: 'button', disabled: true, 'data-testid': 'merge' }, 'Merge selected');
  const out = h('div');
  const grid = h('div', { class: 'grid', 'data-testid': 'library' });
  const count = h('p', { class: 'muted' });
  const selected = new Set<string>();
  let timer: number | undefined;
  let stopped = false;

  const search = h('form', { class: 'toolbar' }, q, status, scope, h('button', { type: 'submit' }, 'Search'));
  search.addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  status.addEventListener('change', () => load());
  scope.addEventListener('change', () => load());
  mergeButton.addEventListener('click', () => attempt(out, async () => {
    const job = await api('POST', '/api/videos/merge', { videoIds: [...selected], title: mergeTitle.value || undefined });
    selected.clear();
    out.replaceChildren(notice('ok', 'Merging: the new video appears below.'));
    go(`/v/${job.videoId}`);
  }));

  let latest = 0;

  async function load() {
    window.clearTimeout(timer);
    const mine = ++latest;
    await attempt(out, async () => {
      const page = await api<Page<Video>>('GET', `/api/videos${query({ q: q.value, status: status.value, scope: scope.value, size: 60 })}`);
      if (mine !== latest || stopped) return; // a newer search (or another page) took over
      grid.replaceChildren(...page.items.map(card));
      count.textContent = page.total === 0 ? 'No videos yet: upload one.' : `${page.items.length} of ${page.total} videos`;
      // every 2 s while something is processing; otherwise every 10 s, so that a video whose upload just
      // finished (the catalog learns of it from an event) or one uploaded elsewhere shows up by itself
      if (!stopped) timer = window.setTimeout(load, page.items.some((v) => !TERMINAL.has(v.status)) ? 2000 : 10000);
    });
  }

  function card(v: Video): HTMLElement {
    const box = h('input', { type: 'checkbox', title: 'Select for merging', checked: selected.has(v.id), disabled: v.status !== 'READY' });
    box.addEventListener('change', () => {
      if (box.checked) selected.add(v.id);
      else selected.delete(v.id);
      mergeButton.disabled = selected.size < 2;
    });
    const thumb = v.status === 'READY'
      ? h('img', { src: `/api/videos/${v.id}/thumbnail`, alt: '', loading: 'lazy' })
      : h('div', { class: 'placeholder' }, v.status === 'FAILED' ? '✕' : '…');
    const pct = v.progress ?? 0;
    return h('article', { class: `video ${v.status.toLowerCase()}`, 'data-video-id': v.id, 'data-status': v.status, 'data-title': v.title },
      h('a', { href: `#/v/${v.id}`, class: 'thumb' }, thumb),
      h('div', { class: 'meta' },
        h('label', { class: 'select' }, box),
        h('a', { href: `#/v/${v.id}`, class: 'title' }, v.title || v.fileName),
        h('span', { class: `badge ${v.status.toLowerCase()}`, 'data-testid': 'status' }, v.status),
        !TERMINAL.has(v.status) && h('div', { class: 'progress', title: `${pct}%` }, h('div', { class: 'fill', style: `width:${pct}%` })),
        h('small', { class: 'muted' }, [bytes(v.sizeBytes), v.durationSeconds ? clock(v.durationSeconds) : null, v.height ? `${v.height}p` : null]
          .filter(Boolean).join(' · ')),
        v.status === 'FAILED' && h('small', { class: 'error' }, v.failureReason ?? 'failed')));
  }

  mount(app, h('h1', {}, 'Library'), search,
    h('div', { class: 'toolbar' }, mergeTitle, mergeButton), out, count, grid);
  load();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
}
