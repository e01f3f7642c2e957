// hls.js (the console's own copy) in Debian's Chromium, headless, on a READY video of a running stack: what a
// player finds in the master playlist and whether it plays. Run by system-tests' ConsoleTest; by hand:
//   BASE_URL=http://127.0.0.1:8080 TOKEN=<access token> VIDEO_ID=<id> node e2e/hls-tracks.mjs
// Env: BASE_URL, TOKEN (the owner's access token), VIDEO_ID (a READY video with captions and audio),
// CHROMIUM (default /usr/bin/chromium).
// Prints one JSON line: the variants hls.js parsed from the master (MANIFEST_LOADED: every EXT-X-STREAM-INF,
// the audio-only one included), the levels it keeps for adaptive playback (MANIFEST_PARSED), its subtitle
// tracks, the cues of the first one once selected, how far the video played, and how far the audio-only
// variant played on its own. Exits non-zero with the failing step otherwise.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const BASE = env('BASE_URL');
const TOKEN = env('TOKEN');
const VIDEO_ID = env('VIDEO_ID');
const HLS_JS = createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js');

let step = 'start';
const log = (s) => {
  step = s;
  process.stderr.write(`[hls-tracks] ${s}\n`);
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--mute-audio', '--autoplay-policy=no-user-gesture-required'],
});
try {
  const page = await browser.newPage();
  page.on('console', (m) => process.stderr.write(`[page] ${m.text()}\n`));
  log('open the gateway origin and load hls.js');
  await page.goto(`${BASE}/`);
  await page.addScriptTag({ path: HLS_JS });
  const master = `${BASE}/api/videos/${VIDEO_ID}/hls/master.m3u8`;

  log('hls.js loads the master playlist and plays the video');
  const result = await page.evaluate(async ({ master, token }) => {
    const until = (what, check, ms = 30000) => new Promise((resolve, reject) => {
      const started = Date.now();
      const poll = () => {
        const value = check();
        if (value) return resolve(value);
        if (Date.now() - started > ms) return reject(new Error(`timed out: ${what}`));
        setTimeout(poll, 100);
      };
      poll();
    });
    const play = async (url, element) => {
      const hls = new Hls({ xhrSetup: (xhr) => xhr.setRequestHeader('Authorization', `Bearer ${token}`) });
      const errors = [];
      hls.on(Hls.Events.ERROR, (_e, data) => { if (data.fatal) errors.push(`${data.type}: ${data.details}`); });
      const loaded = new Promise((resolve) => hls.once(Hls.Events.MANIFEST_LOADED, (_e, data) => resolve(data)));
      const parsed = new Promise((resolve) => hls.once(Hls.Events.MANIFEST_PARSED, (_e, data) => resolve(data)));
      element.muted = true;
      document.body.appendChild(element);
      hls.loadSource(url);
      hls.attachMedia(element);
      const manifest = await loaded;
      await parsed;
      await element.play();
      await until(`${url} plays (${errors.join('; ')})`, () => errors.length === 0 && element.currentTime > 0.5);
      return { hls, manifest, errors };
    };

    const video = document.createElement('video');
    const { hls, manifest } = await play(master, video);
    const variants = manifest.levels.map((l) => ({
      uri: (Array.isArray(l.url) ? l.url[0] : l.url).split('/hls/')[1], codecs: l.attrs.CODECS ?? null, resolution: l.attrs.RESOLUTION ?? null,
      bandwidth: l.bitrate, audioCodec: l.audioCodec ?? null, videoCodec: l.videoCodec ?? null,
    }));
    const uri = (url) => (Array.isArray(url) ? url[0] : url).split('/hls/')[1];
    const levels = hls.levels.map((l) => ({ uri: uri(l.url), height: l.height, codecs: l.codecSet ?? null }));
    const subtitles = hls.subtitleTracks.map((t) => ({ lang: t.lang, name: t.name, uri: t.url.split('/hls/')[1] }));
    // show the first subtitle track: hls.js loads its playlist and WebVTT, the browser gets the cues
    hls.subtitleDisplay = true;
    hls.subtitleTrack = 0;
    const cues = await until('subtitle cues', () => {
      for (const track of video.textTracks) {
        if (track.mode !== 'disabled' && track.cues && track.cues.length > 0) {
          return [...track.cues].map((c) => c.text);
        }
      }
      return null;
    });
    const playedTo = video.currentTime;
    hls.destroy();

    // the audio-only variant the master lists, on its own: hls.js plays its AAC segments in an <audio>
    const audioVariant = variants.find((v) => v.codecs === 'mp4a.40.2');
    let audioPlayedTo = null;
    if (audioVariant) {
      const audio = document.createElement('audio');
      const played = await play(master.replace(/master\.m3u8$/, audioVariant.uri), audio);
      audioPlayedTo = audio.currentTime;
      played.hls.destroy();
    }
    return { variants, levels, subtitles, cues, playedTo, audioPlayedTo };
  }, { master, token: TOKEN });
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (e) {
  process.stderr.write(`[hls-tracks] failed at "${step}": ${e.stack ?? e}\n`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
