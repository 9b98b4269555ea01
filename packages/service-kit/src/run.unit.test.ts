import express from 'express';
import { request as httpRequest } from 'node:http';
import { runService } from './run';
import { captureLogs } from './testing/fixtures';

const get = (url: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });

const getWithHeaders = (url: string) =>
  new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const req = httpRequest(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });

describe('runService', () => {
  it("answers a URL beyond Node's header limit with 431 problem+json, not a bare status line", async () => {
    const app = express();
    app.get('/', (_req, res) => res.send('hi'));
    const svc = await runService({ app, port: 0, logger: captureLogs().logger });
    try {
      const r = await getWithHeaders(`${svc.url}/?q=${'x'.repeat(20_000)}`);
      expect(r.status).toBe(431);
      expect(r.type).toBe('application/problem+json');
      expect(JSON.parse(r.body)).toMatchObject({ status: 431 });
    } finally {
      await svc.close();
    }
  });

  it('listens on a free port and reports it', async () => {
    const app = express();
    app.get('/', (_req, res) => res.send('hi'));
    const svc = await runService({ app, port: 0, logger: captureLogs().logger });
    try {
      expect(svc.port).toBeGreaterThan(0);
      expect(svc.url).toBe(`http://127.0.0.1:${svc.port}`);
      expect(await get(`${svc.url}/`)).toEqual({ status: 200, body: 'hi' });
    } finally {
      await svc.close();
    }
  });

  it('close waits for in-flight requests, then runs onShutdown, then refuses new connections', async () => {
    const events: string[] = [];
    const app = express();
    app.get('/slow', async (_req, res) => {
      events.push('slow started');
      await new Promise((r) => setTimeout(r, 300));
      res.send('done');
      events.push('slow answered');
    });
    const svc = await runService({
      app,
      port: 0,
      logger: captureLogs().logger,
      onShutdown: async () => {
        events.push('onShutdown');
      },
    });
    const inFlight = get(`${svc.url}/slow`);
    while (!events.includes('slow started')) await new Promise((r) => setTimeout(r, 5));
    const closed = svc.close().then(() => events.push('closed'));
    expect(svc.close()).toBe(svc.close()); // idempotent
    expect(await inFlight).toEqual({ status: 200, body: 'done' });
    await closed;
    expect(events).toEqual(['slow started', 'slow answered', 'onShutdown', 'closed']);
    await expect(get(`${svc.url}/slow`)).rejects.toThrow(/ECONNREFUSED/);
  });
});
