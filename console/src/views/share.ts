import { h, mount, notice } from '../dom';
import { player } from '../player';

/** A share link opened by anyone, without an account: metadata and the player until the link expires. */
export function shareView(app: HTMLElement, _params: URLSearchParams, token: string) {
  let destroy: (() => void) | undefined;
  const base = `/api/share/${token}`;
  (async () => {
    const response = await fetch(base, { headers: { Accept: 'application/json' }, credentials: 'omit' });
    if (!response.ok) {
      mount(app, h('h1', {}, 'Shared video'), notice('error', response.status === 410 ? 'This link has expired.'
        : response.status === 404 ? 'This link is not valid.' : `The server answered HTTP ${response.status}.`));
      return;
    }
    const v = await response.json();
    const p = player(`${base}/hls/master.m3u8`, `${base}/stream`, false);
    destroy = p.destroy;
    mount(app, h('h1', { 'data-testid': 'video-title' }, v.title ?? 'Shared video'), p.element,
      v.description ? h('p', {}, v.description) : null,
      v.expiresAt ? h('p', { class: 'muted' }, `This link works until ${new Date(v.expiresAt).toLocaleString()}.`) : null);
  })();
  return () => destroy?.();
}
