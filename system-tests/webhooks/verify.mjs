// Verifies webhook requests the way a customer's receiver would, with the Standard Webhooks reference library
// (npm standardwebhooks), not with Clipflow's code. Input (argv[2]): a JSON file
//   {"secret": "whsec_...", "requests": [{"name": "...", "headers": {...}, "body": "..."}]}
// Output (stdout): one JSON line per request, {"name", "ok", "error", "type"}.
import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const wh = new Webhook(input.secret);
for (const r of input.requests) {
  try {
    const event = wh.verify(r.body, r.headers);
    console.log(JSON.stringify({ name: r.name, ok: true, type: event.type }));
  } catch (e) {
    console.log(JSON.stringify({ name: r.name, ok: false, error: String(e.message || e) }));
  }
}
