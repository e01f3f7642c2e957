// The reference tus server for the benchmark: stock @tus/server with @tus/file-store, nothing added.
// usage: node reference-server.js <port> <directory>
const http = require('http');

const [port, directory] = process.argv.slice(2);

(async () => {
  const { Server } = await import('@tus/server');
  const { FileStore } = await import('@tus/file-store');
  const tus = new Server({ path: '/files', datastore: new FileStore({ directory }) });
  http.createServer((req, res) => tus.handle(req, res)).listen(Number(port), '127.0.0.1', () => {
    console.log('LISTENING ' + port);
  });
})().catch((e) => { console.log('ERROR ' + e); process.exit(1); });
