/**
 * The organisation portal: plain TypeScript bundled by Vite into gateway/portal/dist, which the gateway serves at /
 * on the API's origin. In development, `vite --config gateway/portal/vite.config.ts` proxies /api to the gateway
 * named by TRADEDOCS_PORTAL_GATEWAY (default http://127.0.0.1:3001, the Exporter gateway of `npm start`);
 * `vite preview` serves the built files the same way, under the gateway's own Content-Security-Policy, so a
 * CSP mistake shows up before the gateway serves the build.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const gateway = process.env['TRADEDOCS_PORTAL_GATEWAY'] ?? 'http://127.0.0.1:3001';
const proxy = { '/api': { target: gateway, changeOrigin: true } };
/** As gateway/src/app.ts sends it with the portal. */
const PORTAL_CSP = "default-src 'self'; img-src 'self' blob: data:; frame-src blob:; object-src blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export default defineConfig({
    root,
    base: '/',
    publicDir: false,
    build: {
        outDir: 'dist',
        emptyOutDir: true,
        target: 'es2022',
        // No inline assets: the gateway's CSP allows only the portal's own files (and blob:/data: images).
        assetsInlineLimit: 0,
        modulePreload: { polyfill: false },
    },
    server: { host: '127.0.0.1', strictPort: true, proxy },
    preview: { host: '127.0.0.1', strictPort: true, proxy, headers: { 'Content-Security-Policy': PORTAL_CSP } },
});
