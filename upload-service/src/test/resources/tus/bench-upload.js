// Times one upload of a file with the stock tus-js-client (the same client for Clipflow and the
// reference server). usage: node bench-upload.js <endpoint> <token or -> <file> <chunkSize> <filename> [parallelUploads]
// With BENCH_WAIT_FOR_GO set, it reads the file, prints READY and starts only on a line on stdin: the benchmark
// starts several clients at the same moment and measures the machine from there, without their start-up.
const tus = require('tus-js-client');
const fs = require('fs');

const [endpoint, token, file, chunkSize, filename, parallel] = process.argv.slice(2);
const data = fs.readFileSync(file);
let started;
const upload = new tus.Upload(data, {
  endpoint,
  chunkSize: Number(chunkSize),
  parallelUploads: Number(parallel || 1),
  retryDelays: [0, 300, 1000],
  headers: token === '-' ? {} : { Authorization: 'Bearer ' + token },
  metadata: { filename, filetype: 'video/mp4' },
  uploadDataDuringCreation: false,
  removeFingerprintOnSuccess: true,
  onError: (error) => { console.log('ERROR ' + error); process.exit(1); },
  onSuccess: () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log('URL ' + upload.url);
    console.log('ELAPSED ' + seconds.toFixed(3));
    process.exit(0);
  },
});
const start = () => {
  started = process.hrtime.bigint();
  upload.start();
};
if (process.env.BENCH_WAIT_FOR_GO) {
  process.stdin.once('data', start);
  console.log('READY');
} else {
  start();
}
