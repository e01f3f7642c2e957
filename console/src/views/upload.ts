import Uppy from '@uppy/core';
import Dashboard from '@uppy/dashboard';
import Tus from '@uppy/tus';
import '@uppy/core/css/style.min.css';
import '@uppy/dashboard/css/style.min.css';
import { freshToken } from '../api';
import { h, mount } from '../dom';
import { quotaChanged } from '../nav';

/**
 * Drag-and-drop upload of several files through tus (/api/tus/), with a progress bar per file.
 * tus-js-client keeps each upload's URL in localStorage under the file's fingerprint, so after a page
 * reload (or a lost connection) adding the same file again continues at the offset the server has.
 */
export function uploadView(app: HTMLElement) {
  const target = h('div', { id: 'uppy', 'data-testid': 'uploader' });
  const done = h('ul', { class: 'uploaded', 'data-testid': 'uploaded' });
  mount(app, h('h1', {}, 'Upload'),
    h('p', { class: 'muted' }, 'Drop video files here. An interrupted upload (closed tab, reload, lost network) continues where it stopped when you add the same file again.'),
    target, done);

  const uppy = new Uppy({ autoProceed: false, restrictions: { allowedFileTypes: ['video/*', '.mp4', '.mov', '.mkv', '.webm'] } })
    .use(Dashboard, { inline: true, target, height: 420, width: '100%', proudlyDisplayPoweredByUppy: false, hideProgressDetails: false, theme: 'auto' })
    .use(Tus, {
      endpoint: '/api/tus/',
      // a PATCH cut short stores nothing on the server: the chunk size is what an interruption can cost
      chunkSize: 4 * 1024 * 1024,
      limit: 3,
      retryDelays: [0, 1000, 3000, 5000],
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      allowedMetaFields: ['filename', 'title'],
      // every request (POST, HEAD, each PATCH) with a token that is fresh at that moment
      onBeforeRequest: async (req) => {
        req.setHeader('Authorization', `Bearer ${(await freshToken()) ?? ''}`);
      },
    });
  uppy.on('file-added', (file) => {
    uppy.setFileMeta(file.id, { filename: file.name ?? 'video', title: (file.name ?? 'video').replace(/\.[^.]+$/, '') });
  });
  uppy.on('upload-success', (file) => {
    done.append(h('li', { 'data-testid': 'upload-done' }, `${file?.name}: uploaded, processing. `, h('a', { href: '#/' }, 'See the library')));
    quotaChanged();
  });
  return () => uppy.destroy();
}
