// The console's user journey in a real browser (Debian's Chromium, headless, driven by playwright-core)
// against a running stack. Run by system-tests' ConsoleTest; by hand:
//   BASE_URL=http://127.0.0.1:8080 MAIL_API=http://127.0.0.1:8025 VIDEO=clip.mp4 node e2e/journey.mjs
// Env: BASE_URL, MAIL_API (GreenMail REST), VIDEO (an H.264/AAC file), ADMIN_EMAIL, ADMIN_PASSWORD,
// SCREENSHOTS (folder for PNGs, optional), CHROMIUM (default /usr/bin/chromium), VIDEO_LARGE (a file
// over one tus chunk, 4 MiB: upload, reload the page mid-upload, add it again, it continues), VIDEO_SECOND
// (optional: another file, dropped onto the upload page together with VIDEO).
// Prints one JSON line with what it did; exits non-zero with the failing step otherwise.
import { chromium } from 'playwright-core';
import { createHmac } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { basename, join } from 'node:path';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
const BASE = env('BASE_URL');
const MAIL = env('MAIL_API');
const VIDEO = env('VIDEO');
const VIDEO_LARGE = process.env.VIDEO_LARGE;
const VIDEO_SECOND = process.env.VIDEO_SECOND; // optional: dropped together with VIDEO // optional: > 4 MiB, for the resume-after-reload step
const ADMIN_EMAIL = env('ADMIN_EMAIL', 'admin@clipflow.local');
const ADMIN_PASSWORD = env('ADMIN_PASSWORD', 'clipflow-admin-123');
const SHOTS = process.env.SCREENSHOTS;
const READY_TIMEOUT = Number(process.env.READY_TIMEOUT_MS ?? 240000);
if (SHOTS) mkdirSync(SHOTS, { recursive: true });

let step = 'start';
let current; // the page of the step, screenshotted when a step fails
const log = (s) => {
  step = s;
  process.stderr.write(`[journey] ${s}\n`);
};
const shot = async (page, name) => {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
};

async function activationToken(email) {
  for (let i = 0; i < 300; i++) {
    const response = await fetch(`${MAIL}/api/user/${encodeURIComponent(email)}/messages/`).catch(() => undefined);
    if (response?.ok) {
      const text = await response.text();
      if (text.trim().startsWith('[')) {
        for (const message of JSON.parse(text).reverse()) {
          const body = String(message.mimeMessage).replace(/=\r?\n/g, '').replace(/=3D/g, '=');
          const match = /token=([A-Za-z0-9_\-.~%]+)/.exec(body);
          if (match) return decodeURIComponent(match[1]);
        }
      }
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`no activation mail for ${email}`);
}

/** Waits for the page's confirmation; fails with its error notice if that comes instead. */
async function outcome(page) {
  await page.waitForSelector('.notice.ok, .notice.error');
  const error = await page.$('.notice.error');
  if (error) throw new Error(`the page says: ${await error.textContent()}`);
}

/** Waits until the video page of `id` (not the page before it) shows READY. */
async function readyPage(page, id) {
  await page.waitForSelector(`[data-testid=video-title][data-video-id="${id}"]`);
  await page.waitForSelector('[data-testid=video-status]:has-text("READY")', { timeout: READY_TIMEOUT });
}

/** Drops files onto a page element as a user dragging them from the desktop does (dragenter, dragover, drop). */
async function dropFiles(page, selector, paths) {
  const files = paths.map((p) => ({ name: basename(p), type: 'video/mp4', data: readFileSync(p).toString('base64') }));
  const transfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
    return dt;
  }, files);
  for (const type of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent(selector, type, { dataTransfer: transfer });
}

async function playsFor(page, seconds) {
  await page.waitForSelector('[data-testid=player]');
  await page.evaluate(async () => {
    const video = document.querySelector('[data-testid=player]');
    video.muted = true;
    await video.play();
  });
  await page.waitForFunction((s) => document.querySelector('[data-testid=player]').currentTime > s, seconds, { timeout: 60000 });
  return page.evaluate(() => document.querySelector('[data-testid=player]').currentTime);
}

const browser = await chromium.launch({
  executablePath: env('CHROMIUM', '/usr/bin/chromium'),
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--mute-audio', '--autoplay-policy=no-user-gesture-required'],
});
const result = {};
// the user's webhook receiver: a real HTTP server on loopback (the local stack allows loopback targets)
const hooks = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk)).on('end', () => {
    hooks.push({ headers: req.headers, body });
    res.writeHead(204).end();
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const watch = (page, who) => {
  page.on('pageerror', (e) => process.stderr.write(`[${who} page error] ${e}\n`));
  page.on('console', (m) => m.type() === 'error' && process.stderr.write(`[${who} console] ${m.text()}\n`));
};
try {
  const user = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await user.newPage();
  watch(page, 'user');
  current = page;
  page.on('dialog', (d) => d.accept());
  const word = `c${Math.random().toString(36).slice(2, 10)}`;
  const email = `${word}@example.com`;
  const password = `Correct-Horse-${Math.random().toString(36).slice(2, 8)}`;
  result.email = email;

  log('register');
  await page.goto(`${BASE}/#/register`);
  await page.fill('[data-testid=register-form] input[name=email]', email);
  await page.fill('[data-testid=register-form] input[name=displayName]', 'Console User');
  await page.fill('[data-testid=register-form] input[name=password]', password);
  await shot(page, 'register');
  await page.click('[data-testid=register-form] button[type=submit]');
  await outcome(page);

  log('activate from the e-mailed token');
  const token = await activationToken(email);
  await page.goto(`${BASE}/#/activate?token=${encodeURIComponent(token)}`);
  await outcome(page);

  log('log in');
  await page.goto(`${BASE}/#/login`);
  await page.fill('[data-testid=login-form] input[name=email]', email);
  await page.fill('[data-testid=login-form] input[name=password]', password);
  await shot(page, 'login');
  await page.click('[data-testid=login-form] button[type=submit]');
  await page.waitForSelector('[data-testid=library]', { state: 'attached' });
  await page.waitForSelector(`[data-testid=who]:has-text("${email}")`);

  log('register a webhook endpoint: its secret is shown once');
  const hookUrl = `http://127.0.0.1:${receiver.address().port}/hook`;
  await page.goto(`${BASE}/#/webhooks`);
  await page.fill('[data-testid=webhook-form] input[name=url]', hookUrl);
  await page.check('[data-testid=webhook-form] input[value="video.ready"]');
  await page.click('[data-testid=webhook-form] button[type=submit]');
  await page.waitForSelector(`tr[data-endpoint-url="${hookUrl}"]`);
  const secret = await page.inputValue('[data-testid=webhook-secret]');
  if (!secret.startsWith('whsec_')) throw new Error(`no secret shown: ${secret}`);
  await shot(page, 'webhooks');

  log('turn quota alert e-mails off in the account settings');
  await page.click('[data-testid=who]');
  await page.waitForSelector('[data-testid=alert-mail]:not([disabled])');
  await page.uncheck('[data-testid=alert-mail]');
  await page.waitForSelector('.notice.ok:has-text("not be e-mailed")');
  await page.reload();
  await page.waitForSelector('[data-testid=alert-mail]:not([disabled])');
  result.alertMail = await page.isChecked('[data-testid=alert-mail]');

  if (VIDEO_LARGE) {
    log('an upload resumes after a page reload');
    await page.goto(`${BASE}/#/upload`);
    await page.waitForSelector('.uppy-Dashboard');
    const cdp = await user.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 1024 * 1024 });
    const firstChunk = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/api/tus/') && r.status() === 204, { timeout: 120000 });
    await page.setInputFiles('.uppy-Dashboard input[type=file]', VIDEO_LARGE);
    await page.click('.uppy-StatusBar-actionBtn--upload');
    const first = await firstChunk;
    const uploadUrl = first.url();
    const offsetBefore = Number(await first.headerValue('upload-offset'));
    await page.reload(); // the next PATCH dies with the page
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    const after = [];
    const record = (r) => r.url().includes('/api/tus') && after.push({ method: r.method(), url: r.url(), offset: r.headers()['upload-offset'] });
    page.on('request', record);
    await page.waitForSelector('.uppy-Dashboard');
    await page.setInputFiles('.uppy-Dashboard input[type=file]', VIDEO_LARGE);
    await page.click('.uppy-StatusBar-actionBtn--upload');
    await page.waitForSelector('[data-testid=upload-done]', { timeout: 120000 });
    page.off('request', record);
    await cdp.detach();
    result.resume = { uploadUrl, offsetBefore, after };
    if (after.some((r) => r.method === 'POST')) throw new Error(`a new upload was created after the reload: ${JSON.stringify(after)}`);
    const resumed = after.find((r) => r.method === 'PATCH');
    if (!resumed || resumed.url !== uploadUrl || Number(resumed.offset) !== offsetBefore) {
      throw new Error(`did not continue ${uploadUrl} at ${offsetBefore}: ${JSON.stringify(after)}`);
    }
  }

  log('drag and drop files onto the page: Uppy uploads them (tus), a progress bar each');
  await page.goto(`${BASE}/#/upload`);
  await page.reload(); // a fresh upload page, not the one of the step before
  await page.waitForSelector('.uppy-Dashboard');
  const dropped = VIDEO_SECOND ? [VIDEO, VIDEO_SECOND] : [VIDEO];
  await dropFiles(page, '.uppy-Dashboard-inner', dropped);
  await page.waitForFunction((n) => document.querySelectorAll('.uppy-Dashboard-Item').length === n, dropped.length);
  result.droppedFiles = await page.$$eval('.uppy-Dashboard-Item-name', (items) => items.map((i) => i.textContent));
  await page.click('.uppy-StatusBar-actionBtn--upload');
  await shot(page, 'upload');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=upload-done]').length === n, dropped.length, { timeout: 120000 });
  result.uploadsDone = await page.$$eval('[data-testid=upload-done]', (items) => items.map((i) => i.textContent));
  await shot(page, 'upload-done');

  log('watch it become READY in the library');
  const title = basename(VIDEO).replace(/\.[^.]+$/, '');
  await page.goto(`${BASE}/#/`);
  const card = `article.video[data-title="${title}"]`;
  await page.waitForSelector(card, { timeout: 90000 }); // the library polls: no reload
  const statuses = new Set();
  const deadline = Date.now() + READY_TIMEOUT;
  while (true) {
    const status = await page.getAttribute(card, 'data-status');
    statuses.add(status);
    if (status === 'READY') break;
    if (status === 'FAILED' || Date.now() > deadline) throw new Error(`video ${status} (seen ${[...statuses]})`);
    await page.waitForTimeout(500);
  }
  result.statusesSeen = [...statuses];
  result.videoId = await page.getAttribute(card, 'data-video-id');
  await page.waitForFunction((sel) => {
    const img = document.querySelector(`${sel} img`);
    return img && img.complete && img.naturalWidth > 0;
  }, card, { timeout: 30000 });
  result.thumbnail = true;
  await shot(page, 'library');

  log('play it (HLS through hls.js)');
  await page.click(`${card} a.title`);
  await page.waitForSelector('[data-testid=quality] option', { state: 'attached' });
  result.qualities = await page.$$eval('[data-testid=quality] option', (os) => os.map((o) => o.textContent));
  result.playedTo = await playsFor(page, 1.0);
  result.playbackMode = await page.textContent('[data-testid=playback-mode]');
  await shot(page, 'player');

  log('share it for an hour');
  await page.selectOption('[data-testid=share-form] select[name=expires]', '3600');
  await page.click('[data-testid=share-form] button[type=submit]');
  await page.waitForSelector('[data-testid=share-url]');
  result.shareUrl = await page.inputValue('[data-testid=share-url]');
  await shot(page, 'share');

  log('open the share link in a fresh browser context (no login)');
  const stranger = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const guest = await stranger.newPage();
  watch(guest, 'guest');
  current = guest;
  await guest.goto(result.shareUrl);
  result.sharedPlayedTo = await playsFor(guest, 0.5);
  result.sharedTitle = await guest.textContent('[data-testid=video-title]');
  await shot(guest, 'shared');
  await stranger.close();
  current = page;

  if (VIDEO_LARGE) {
    log('switch quality on the 720p video (hls.js levels)');
    const large = `article.video[data-title="${basename(VIDEO_LARGE).replace(/\.[^.]+$/, '')}"]`;
    await page.goto(`${BASE}/#/`);
    await page.waitForSelector(`${large}[data-status=READY]`, { timeout: READY_TIMEOUT });
    await page.click(`${large} a.title`);
    await page.waitForSelector('[data-testid=quality] option', { state: 'attached' });
    const levels = await page.$$eval('[data-testid=quality] option', (os) => os.map((o) => ({ value: o.value, text: o.textContent })));
    const top = levels.find((l) => l.text === '720p');
    if (!top) throw new Error(`no 720p level: ${JSON.stringify(levels)}`);
    await page.selectOption('[data-testid=quality]', top.value);
    await page.evaluate(() => { document.querySelector('[data-testid=player]').loop = true; }); // a 4 s clip
    await playsFor(page, 0.5);
    await page.waitForFunction(() => document.querySelector('[data-testid=playback-mode]').textContent.includes('720p'), null, { timeout: 30000 });
    // frames of the chosen level are on screen (the ones buffered before the switch may still play first)
    await page.waitForFunction(() => document.querySelector('[data-testid=player]').videoHeight === 720, null, { timeout: 30000 });
    result.switched = { levels: levels.map((l) => l.text), mode: await page.textContent('[data-testid=playback-mode]'),
      height: await page.evaluate(() => document.querySelector('[data-testid=player]').videoHeight) };
    // the progressive MP4 (the fallback where HLS cannot play) from the same menu
    await page.selectOption('[data-testid=quality]', 'mp4');
    await page.waitForFunction(() => document.querySelector('[data-testid=player]').currentSrc.endsWith('/stream'));
    await page.evaluate(() => { document.querySelector('[data-testid=player]').currentTime = 0; });
    result.switched.mp4PlayedTo = await playsFor(page, 0.5);
    result.switched.mp4Mode = await page.textContent('[data-testid=playback-mode]');
  }

  log('trim it into a new video');
  await page.goto(`${BASE}/#/v/${result.videoId}`);
  await page.waitForSelector(`[data-testid=video-title][data-video-id="${result.videoId}"]`); // not the page before
  await page.fill('input[name=start]', '0.5');
  await page.fill('input[name=end]', '2.5');
  await page.fill('input[name=trimTitle]', `Cut ${word}`);
  await page.click('form:has(input[name=trimTitle]) button[type=submit]');
  const trimmed = (await page.getAttribute('a:has-text("Open the new video")', 'href')).split('/').pop();
  await page.click('a:has-text("Open the new video")');
  await readyPage(page, trimmed);
  result.trimmedDuration = await page.evaluate(async (id) => {
    const s = JSON.parse(sessionStorage.getItem('clipflow.session'));
    const v = await (await fetch(`/api/videos/${id}`, { headers: { Authorization: `Bearer ${s.accessToken}` } })).json();
    return v.durationSeconds;
  }, trimmed);

  log('search, select two and merge them');
  await page.goto(`${BASE}/#/`);
  await page.fill('input[name=q]', `Cut ${word}`);
  await page.press('input[name=q]', 'Enter');
  await page.waitForFunction(() => document.querySelectorAll('article.video').length === 1);
  result.searchFound = await page.getAttribute('article.video', 'data-title');
  await page.fill('input[name=q]', '');
  await page.press('input[name=q]', 'Enter');
  await page.waitForSelector(`${card} input[type=checkbox]`);
  await page.check(`${card} input[type=checkbox]`);
  await page.check(`article.video[data-title="Cut ${word}"] input[type=checkbox]`);
  await page.fill('input[name=mergeTitle]', `Both ${word}`);
  await page.click('[data-testid=merge]');
  await page.waitForFunction(() => location.hash.startsWith('#/v/'));
  await readyPage(page, await page.evaluate(() => location.hash.split('/').pop()));
  result.mergedTitle = await page.textContent('[data-testid=video-title]');
  await shot(page, 'merged');

  log('the webhook receives video.ready, signed; the delivery log shows it; redeliver it');
  const readyHooks = () => hooks.filter((r) => r.body.includes(result.videoId) && JSON.parse(r.body).type === 'video.ready');
  for (let i = 0; i < 200 && readyHooks().length === 0; i++) await new Promise((r) => setTimeout(r, 300));
  if (readyHooks().length === 0) throw new Error(`no video.ready webhook (received ${hooks.length})`);
  const first = readyHooks()[0];
  // Standard Webhooks: v1,base64(HMAC-SHA256(base64decode(secret without whsec_), id.timestamp.body))
  const signature = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
    .update(`${first.headers['webhook-id']}.${first.headers['webhook-timestamp']}.${first.body}`).digest('base64');
  result.webhookSignatureValid = first.headers['webhook-signature'].split(' ').includes(`v1,${signature}`);
  await page.goto(`${BASE}/#/webhooks`);
  await page.click(`tr[data-endpoint-url="${hookUrl}"] [data-testid=deliveries-link]`);
  const delivered = `tr[data-message-id="${first.headers['webhook-id']}"][data-event-type="video.ready"][data-status=SUCCEEDED]`;
  await page.waitForSelector(delivered, { timeout: 30000 });
  await shot(page, 'webhook-deliveries');
  await page.click(`${delivered} [data-testid=redeliver]`);
  await page.waitForSelector('.notice.ok:has-text("Redelivering")');
  for (let i = 0; i < 100 && readyHooks().length < 2; i++) await new Promise((r) => setTimeout(r, 300));
  result.webhookRedelivered = readyHooks().length >= 2 && readyHooks()[1].headers['webhook-id'] === first.headers['webhook-id'];

  log('the admin logs in');
  const adminContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const admin = await adminContext.newPage();
  watch(admin, 'admin');
  current = admin;
  admin.on('dialog', (d) => d.accept());
  await admin.goto(`${BASE}/#/login`);
  await admin.fill('[data-testid=login-form] input[name=email]', ADMIN_EMAIL);
  await admin.fill('[data-testid=login-form] input[name=password]', ADMIN_PASSWORD);
  await admin.click('[data-testid=login-form] button[type=submit]');
  await admin.waitForSelector('[data-testid=library]', { state: 'attached' });
  await admin.goto(`${BASE}/#/admin/users`);
  await admin.fill('input[name=q]', email);
  await admin.press('input[name=q]', 'Enter');
  const row = `tr[data-user-email="${email}"]`;
  await admin.waitForFunction((sel) => document.querySelectorAll('[data-testid=users] tbody tr').length === 1
    && document.querySelector(sel), row); // the search's answer, not the first page of all users
  await shot(admin, 'admin-users');
  log('admin lowers the user\'s storage limit: the user sees the quota alert');
  await admin.click(`${row} [data-testid=edit-quota]`);
  await admin.waitForSelector(`${row} [data-testid=quota-form]`);
  const used = Number(await admin.getAttribute(`${row} [data-used]`, 'data-used'));
  await admin.fill(`${row} input[name=storageMiB]`, (used / 0.9 / 1048576).toFixed(2)); // 90 % used
  await admin.click(`${row} [data-testid=quota-form] button[type=submit]`);
  await admin.waitForSelector('.notice.ok:has-text("Quota of")');
  await page.goto(`${BASE}/#/`);
  await page.reload();
  await page.waitForSelector('[data-testid=quota].alert', { timeout: 30000 });
  result.quotaAlert = await page.textContent('[data-testid=quota]');
  await shot(page, 'quota-alert');
  log('the admin finds the user\'s videos among all videos');
  await admin.goto(`${BASE}/#/admin/videos`);
  await admin.waitForSelector('tbody tr'); // the first page of all videos
  await admin.fill('input[name=q]', title);
  const searched = admin.waitForResponse((r) => r.url().includes('/api/admin/videos?') && r.url().includes('q='));
  await admin.press('input[name=q]', 'Enter');
  const found = await (await searched).json();
  await admin.waitForFunction((n) => document.querySelectorAll('tbody tr').length === n, found.items.length);
  await admin.waitForSelector(`tbody a[href="#/v/${result.videoId}"]`);
  result.adminVideosFound = await admin.$$eval('tbody tr', (rows) => rows.length);
  result.adminVideosOwners = [...new Set(found.items.map((v) => v.ownerId))];
  await shot(admin, 'admin-videos');
  log('the admin sees the user\'s jobs');
  await admin.goto(`${BASE}/#/admin/jobs`);
  await admin.selectOption('select[name=status]', 'SUCCEEDED');
  await admin.waitForSelector(`tbody a[href="#/v/${result.videoId}"]`);
  await shot(admin, 'admin-jobs');
  await admin.goto(`${BASE}/#/admin/users`);
  await admin.fill('input[name=q]', email);
  await admin.press('input[name=q]', 'Enter');
  await admin.waitForFunction((sel) => document.querySelectorAll('[data-testid=users] tbody tr').length === 1
    && document.querySelector(sel), row);

  log('the admin deletes the user');
  await admin.click(`${row} [data-testid=delete-user]`);
  await admin.waitForSelector(`.notice.ok:has-text("Deleted ${email}")`);
  await admin.waitForSelector(row, { state: 'detached' });
  result.userDeleted = true;
  await adminContext.close();
  await user.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (e) {
  process.stderr.write(`[journey] FAILED at "${step}": ${e?.stack ?? e}\n`);
  if (current) {
    process.stderr.write(`[journey] page ${current.url()}: ${(await current.textContent('body').catch(() => '')).slice(0, 2000)}\n`);
    if (SHOTS) await current.screenshot({ path: join(SHOTS, 'failure.png') }).catch(() => undefined);
  }
  process.exitCode = 1;
} finally {
  await browser.close();
  receiver.closeAllConnections();
  receiver.close();
}
