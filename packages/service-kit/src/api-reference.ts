// The interactive API reference of a service at /docs: Redoc from node_modules, served by the service
// itself (no CDN), reading the service's own /openapi.json.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Router } from 'express';

const redocBundle = (): string => createRequire(__filename).resolve('redoc/bundles/redoc.standalone.js');

// Redoc's styled components write <style> elements and its search runs in a blob: worker.
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
].join('; ');

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const page = (title: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
</head>
<body>
<div id="redoc"></div>
<script src="docs/redoc.standalone.js"></script>
<script src="docs/init.js"></script>
</body>
</html>
`;

// Relative URLs: the page works wherever the service is mounted.
const INIT = `Redoc.init('openapi.json', { hideDownloadButton: false, expandResponses: '200,201' }, document.getElementById('redoc'));\n`;

/** Mounts GET /docs (the page), /docs/redoc.standalone.js and /docs/init.js; no token needed. */
export const apiReferenceRoutes = (router: Pick<Router, 'get'>, title: string): void => {
  let bundle: Buffer | undefined;
  router.get('/docs', (_req, res) => {
    res.setHeader('Content-Security-Policy', CSP).setHeader('Cache-Control', 'no-cache').type('html').send(page(title));
  });
  router.get('/docs/init.js', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache').type('js').send(INIT);
  });
  router.get('/docs/redoc.standalone.js', (_req, res) => {
    bundle ??= readFileSync(redocBundle());
    res.setHeader('Cache-Control', 'public, max-age=86400').type('js').send(bundle);
  });
};
