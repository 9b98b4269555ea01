// The services' API reference pages through the web app's own origin, linked from every page's
// footer: the browser still never learns a service URL. Only the public, personal-data-free
// documents are passed on (/docs, its two scripts, /openapi.json), with the service's own headers.
import type { Express } from 'express';
import type { ServiceName, ServiceUrls } from './services';

export const API_DOCS: readonly { service: ServiceName; label: string }[] = [
  { service: 'referral', label: 'verwijzingen' },
  { service: 'consent', label: 'toestemmingen' },
  { service: 'social-map', label: 'sociale kaart' },
  { service: 'reporting', label: 'monitoring' },
];

/** The page of a service's reference: relative links in it resolve under the same prefix. */
export const apiDocsHref = (service: ServiceName): string => `/api-docs/${service}/docs`;

const PUBLIC = new Set(['/docs', '/docs/redoc.standalone.js', '/docs/init.js', '/openapi.json']);
const PASSED_ON = ['content-type', 'content-security-policy', 'cache-control'];

export const apiDocsRoutes = (app: Express, urls: ServiceUrls, timeoutMs = 20_000): void => {
  app.get('/api-docs/:service/{*rest}', async (req, res, next) => {
    const service = req.params.service as ServiceName;
    const path = req.path.slice(`/api-docs/${service}`.length);
    if (!Object.hasOwn(urls, service) || !PUBLIC.has(path)) return next();
    try {
      const answer = await fetch(`${urls[service]}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
      res.status(answer.status);
      for (const name of PASSED_ON) {
        const value = answer.headers.get(name);
        if (value) res.setHeader(name, value);
      }
      res.send(Buffer.from(await answer.arrayBuffer()));
    } catch {
      res.status(503).type('text').send('De API-documentatie is nu niet bereikbaar.');
    }
  });
};
