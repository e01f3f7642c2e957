import { defineConfig } from 'vite';

// The console is served by the gateway at / (same origin as /api, so no CORS is involved).
// `npm run dev` proxies /api to a running local stack (CLIPFLOW_GATEWAY, default http://127.0.0.1:8080).
export default defineConfig({
  base: '/',
  build: { outDir: 'target/dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1024 },
  server: { proxy: { '/api': process.env.CLIPFLOW_GATEWAY ?? 'http://127.0.0.1:8080' } },
});
