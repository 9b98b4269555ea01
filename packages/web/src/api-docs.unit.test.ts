// The services' reference pages through the web app's origin: passed on without a session, only the
// public documents, and linked from the footer of every page.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp, createLogger, openApiDocument } from '@wor/service-kit';
import request from 'supertest';
import { createWebApp } from './app';

let server: Server;
let web: ReturnType<typeof createWebApp>;
beforeAll(async () => {
  const service = createApp({
    serviceName: 'referral',
    logger: createLogger('referral', { level: 'silent' }),
    authenticate: async () => {
      throw new Error('no token is ever needed here');
    },
    routes: () => {},
    openapi: openApiDocument({ title: 'WoR referral service', version: '0', description: 'test' }, []),
    security: { rateLimit: undefined },
  });
  server = service.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  web = createWebApp({ urls: { referral: url, consent: url, 'social-map': url, reporting: url } });
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

it('passes on the reference page, its scripts and the document without a session', async () => {
  const page = await request(web).get('/api-docs/referral/docs');
  expect(page.status).toBe(200);
  expect(page.headers['content-type']).toMatch(/^text\/html/);
  expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  expect(page.text).toContain('src="docs/redoc.standalone.js"');
  const bundle = await request(web).get('/api-docs/referral/docs/redoc.standalone.js');
  expect(bundle.status).toBe(200);
  expect(bundle.headers['content-type']).toMatch(/javascript/);
  const document = await request(web).get('/api-docs/referral/openapi.json');
  expect(document.body.info.title).toBe('WoR referral service');
});

it('passes on nothing else of a service, and no unknown service', async () => {
  for (const path of ['/api-docs/referral/metrics', '/api-docs/referral/referrals', '/api-docs/elsewhere/docs'])
    expect((await request(web).get(path)).status).toBe(303); // on to the sign-in: not a public document
});

it('links every service reference from the footer', async () => {
  const signIn = await request(web).get('/aanmelden');
  for (const service of ['referral', 'consent', 'social-map', 'reporting'])
    expect(signIn.text).toContain(`href="/api-docs/${service}/docs"`);
});
