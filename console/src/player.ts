import Hls from 'hls.js';
import { accessToken } from './api';
import { h } from './dom';

/**
 * A <video> with HLS through hls.js (a quality menu: Auto plus each rendition) and the progressive MP4
 * as fallback: where Media Source Extensions are missing, when the playlist fails, or when chosen.
 */
export function player(hlsUrl: string, mp4Url: string, withToken: boolean): { element: HTMLElement; destroy: () => void } {
  const video = h('video', { controls: true, playsinline: true, preload: 'metadata', 'data-testid': 'player' });
  const quality = h('select', { 'data-testid': 'quality', title: 'Quality' });
  const mode = h('small', { class: 'muted', 'data-testid': 'playback-mode' });
  let hls: Hls | undefined;

  const progressive = (reason: string) => {
    hls?.destroy();
    hls = undefined;
    video.src = mp4Url;
    mode.textContent = `MP4 (${reason})`;
    quality.replaceChildren(h('option', { value: 'mp4' }, 'MP4'));
  };

  if (Hls.isSupported()) {
    hls = new Hls({
      xhrSetup: (xhr) => {
        const token = withToken ? accessToken() : undefined;
        if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      },
    });
    hls.on(Hls.Events.MANIFEST_PARSED, (_e, data) => {
      quality.replaceChildren(h('option', { value: '-1' }, 'Auto'),
        ...data.levels.map((level, i) => h('option', { value: String(i) }, `${level.height}p`)),
        h('option', { value: 'mp4' }, 'MP4'));
      mode.textContent = 'HLS';
    });
    hls.on(Hls.Events.LEVEL_SWITCHED, (_e, data) => {
      const level = hls?.levels[data.level];
      if (level) mode.textContent = `HLS ${level.height}p${quality.value === '-1' ? ' (auto)' : ''}`;
    });
    hls.on(Hls.Events.ERROR, (_e, data) => {
      if (data.fatal) progressive(`HLS failed: ${data.details}`);
    });
    hls.loadSource(hlsUrl);
    hls.attachMedia(video);
  } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
    video.src = hlsUrl;
    mode.textContent = 'HLS (native)';
  } else {
    progressive('no HLS in this browser');
  }
  quality.addEventListener('change', () => {
    if (quality.value === 'mp4') {
      const at = video.currentTime;
      progressive('chosen');
      video.currentTime = at;
    } else if (hls) {
      hls.currentLevel = Number(quality.value);
      const level = hls.levels[hls.currentLevel];
      if (level && quality.value !== '-1') mode.textContent = `HLS ${level.height}p`;
    }
  });
  return {
    element: h('div', { class: 'player' }, video, h('div', { class: 'controls' }, h('label', {}, 'Quality ', quality), mode)),
    destroy: () => hls?.destroy(),
  };
}
