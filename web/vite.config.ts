import { defineConfig, loadEnv } from 'vite';

/**
 * Build: `dist/` with absolute asset paths from `/`, where the server serves it.
 * Dev: `npm run dev` proxies the API and the sockets to a running server
 * (PARLEY_SERVER, default http://127.0.0.1:5000), so the page and the server share
 * an origin as they do in production (the session cookie and the socket's Origin
 * check both need that).
 */
export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, '.', 'PARLEY_');
  const target = env.PARLEY_SERVER ?? 'http://127.0.0.1:5000';
  return {
    base: '/',
    build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
    server: {
      proxy: {
        '/api': { target, changeOrigin: false },
        '/ws': { target, ws: true, changeOrigin: false },
        '/gateway': { target, ws: true, changeOrigin: false },
      },
    },
  };
});
