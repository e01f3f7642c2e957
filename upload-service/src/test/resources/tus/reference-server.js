// The reference tus server for the benchmark: stock @tus/server with @tus/file-store, nothing added, under /files;
// and the same under /durable with one change: each PATCH's data is flushed to disk (fdatasync) before it is
// acknowledged, as Clipflow does, so the benchmark can show what that durability costs the reference itself.
// usage: node reference-server.js <port> <directory>
const http = require('http');
const fs = require('fs');
const path = require('path');

const [port, directory] = process.argv.slice(2);

(async () => {
  const { Server } = await import('@tus/server');
  const { FileStore } = await import('@tus/file-store');

  class DurableFileStore extends FileStore {
    async write(readable, id, offset) {
      const written = await super.write(readable, id, offset);
      const handle = await fs.promises.open(this.resolve(id), 'r+');
      try {
        await handle.datasync();
      } finally {
        await handle.close();
      }
      return written;
    }
  }

  const durableDirectory = path.join(directory, 'durable');
  fs.mkdirSync(durableDirectory, { recursive: true });
  const plain = new Server({ path: '/files', datastore: new FileStore({ directory }) });
  const durable = new Server({ path: '/durable', datastore: new DurableFileStore({ directory: durableDirectory }) });
  http.createServer((req, res) => (req.url.startsWith('/durable') ? durable : plain).handle(req, res))
    .listen(Number(port), '127.0.0.1', () => {
      console.log('LISTENING ' + port);
    });
})().catch((e) => { console.log('ERROR ' + e); process.exit(1); });
