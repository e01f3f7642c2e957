// CORS as a browser enforces it: a page on another origin than the gateway calls the API in Debian's Chromium
// (headless, playwright-core). Run by system-tests' BrowserCorsTest; by hand, against a stack started with
// CLIPFLOW_CORS_ORIGINS='/https?://app\.clipflow\.test(:[0-9]+)?/':
//   API=http://127.0.0.1:8080 TOKEN=<access token> node e2e/cross-origin.mjs
// The page is served by this script on a free port under two names that Chromium resolves to 127.0.0.1:
// app.clipflow.test (allowed) and evil.clipflow.test (not allowed). Prints one JSON line with what each page
// could do; exits non-zero when the browser or the script fails (the test judges the results).
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';

const API = process.env.API;
const TOKEN = process.env.TOKEN;
if (!API || !TOKEN) throw new Error('API and TOKEN must be set');

const server = createServer((request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end('<!doctype html><title>another origin</title><p>A page that is not on the gateway.</p>');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = server.address().port;

// What the page itself runs: preflighted calls with Authorization, a tus upload reading Location and
// Upload-Offset, the gateway's own 404 problem. Every failure the browser raises is recorded, not thrown.
async function calls({ api, token }) {
  const auth = { Authorization: `Bearer ${token}` };
  const attempt = async (name, run) => {
    try {
      return [name, await run()];
    } catch (e) {
      return [name, { error: `${e.name}: ${e.message}` }];
    }
  };
  const results = [];
  results.push(await attempt('me', async () => {
    const r = await fetch(`${api}/api/auth/me`, { headers: auth });
    return { status: r.status, email: (await r.json()).email };
  }));
  const bytes = new Uint8Array(1000).map((_, i) => i % 251);
  let location;
  results.push(await attempt('tusCreate', async () => {
    const r = await fetch(`${api}/api/tus`, {
      method: 'POST',
      headers: {
        ...auth,
        'Tus-Resumable': '1.0.0',
        'Upload-Length': String(bytes.length),
        'Upload-Metadata': `filename ${btoa('cross-origin.mp4')},filetype ${btoa('video/mp4')}`,
      },
    });
    location = r.headers.get('Location');
    return { status: r.status, location, tusResumable: r.headers.get('Tus-Resumable') };
  }));
  results.push(await attempt('tusPatch', async () => {
    const url = new URL(location, api).href;
    const r = await fetch(url, {
      method: 'PATCH',
      headers: { ...auth, 'Tus-Resumable': '1.0.0', 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
      body: bytes.slice(0, 400),
    });
    return { status: r.status, uploadOffset: r.headers.get('Upload-Offset') };
  }));
  results.push(await attempt('tusHead', async () => {
    const r = await fetch(new URL(location, api).href, { method: 'HEAD', headers: { ...auth, 'Tus-Resumable': '1.0.0' } });
    return { status: r.status, uploadOffset: r.headers.get('Upload-Offset'), uploadLength: r.headers.get('Upload-Length') };
  }));
  results.push(await attempt('serviceProblem', async () => {
    const r = await fetch(`${api}/api/videos/not-a-uuid`, { headers: auth });
    return { status: r.status, type: r.headers.get('Content-Type'), code: (await r.json()).code };
  }));
  results.push(await attempt('gatewayProblem', async () => {
    const r = await fetch(`${api}/api/nothing/here`, { headers: auth });
    return { status: r.status, type: r.headers.get('Content-Type'), code: (await r.json()).code };
  }));
  results.push(await attempt('simpleGet', async () => {
    const r = await fetch(`${api}/api/openapi.json`);
    return { status: r.status, openapi: (await r.json()).openapi };
  }));
  return Object.fromEntries(results);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--host-resolver-rules=MAP *.clipflow.test 127.0.0.1'],
});
const result = { port };
try {
  for (const name of ['app', 'evil']) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const messages = [];
    page.on('console', (m) => messages.push(m.text()));
    const origin = `http://${name}.clipflow.test:${port}`;
    await page.goto(`${origin}/`);
    result[name] = { origin, pageOrigin: await page.evaluate(() => location.origin), ...(await page.evaluate(calls, { api: API, token: TOKEN })) };
    result[name].console = messages.filter((m) => /CORS|Access-Control/i.test(m));
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
process.stdout.write(JSON.stringify(result) + '\n');
