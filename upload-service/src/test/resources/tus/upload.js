// Uploads a file with the stock tus-js-client, as a browser or Node client of Clipflow would.
// usage: node upload.js <endpoint> <token> <file> <chunkSize> <filename> [parallelUploads]
const tus = require('tus-js-client');
const fs = require('fs');

const [endpoint, token, file, chunkSize, filename, parallel] = process.argv.slice(2);
const data = fs.readFileSync(file);
const upload = new tus.Upload(data, {
  endpoint,
  chunkSize: Number(chunkSize),
  retryDelays: [0, 300, 1000],
  headers: { Authorization: 'Bearer ' + token },
  metadata: { filename, filetype: 'video/mp4', title: 'Sent with tus-js-client', description: 'tus', category: 'tests' },
  uploadDataDuringCreation: true,
  parallelUploads: Number(parallel || 1), // > 1: tus Concatenation (partial uploads, then a final one)
  onError: (error) => { console.log('ERROR ' + error); process.exit(1); },
  onProgress: (sent, total) => { console.log('PROGRESS ' + sent + '/' + total); },
  onSuccess: () => { console.log('URL ' + upload.url); process.exit(0); },
});
upload.start();
