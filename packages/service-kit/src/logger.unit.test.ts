import request from 'supertest';
import { createLogger } from './logger';
import { captureLogs, testApp } from './testing/fixtures';

const PII = [
  'Jan Jansen',
  '123456782',
  '1950-03-04',
  '0612345678',
  'jan@example.nl',
  'Dorpsstraat 1',
  '1234AB',
  'Bearer abc.def',
];

describe('logger', () => {
  it('redacts personal data keys at any depth, in bindings too', () => {
    const logs = captureLogs();
    logs.logger.info(
      {
        name: 'Jan Jansen',
        bsn: '123456782',
        referral: {
          patient: { birthDate: '1950-03-04' },
          contact: { phone: '0612345678', email: 'jan@example.nl' },
          deep: { deeper: { deepest: { address: 'Dorpsstraat 1', postalCode: '1234AB' } } },
        },
        people: [{ phone: '0612345678' }],
        req: { headers: { authorization: 'Bearer abc.def' } },
        status: 'kept',
      },
      'referral received',
    );
    logs.logger.child({ email: 'jan@example.nl' }).warn('child');
    const text = logs.text();
    for (const value of PII) expect(text).not.toContain(value);
    expect(text).toContain('[redacted]');
    expect(text).toContain('kept');
    expect(logs.lines()[0]).toMatchObject({ service: 'test-service', msg: 'referral received' });
  });

  it('logs errors without driver fields that carry row values', () => {
    const logs = captureLogs();
    const err = Object.assign(new Error('duplicate key value violates unique constraint "x"'), {
      code: '23505',
      detail: 'Key (email)=(jan@example.nl) already exists.',
    });
    logs.logger.error({ err }, 'failed');
    expect(logs.text()).not.toContain('jan@example.nl');
    expect(logs.lines()[0]).toMatchObject({ err: { type: 'Error', code: '23505' } });
  });

  it('honours LOG_LEVEL', () => {
    const previous = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'warn';
    try {
      const chunks: string[] = [];
      const logger = createLogger('svc', { destination: { write: (c: string) => chunks.push(c) } });
      logger.info('hidden');
      logger.warn('shown');
      expect(chunks.map((c) => JSON.parse(c).msg)).toEqual(['shown']);
    } finally {
      if (previous === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = previous;
    }
  });

  it('request log lines carry the route pattern, never the URL, query string, headers or body', async () => {
    const t = testApp((router) => router.post('/patients/:id', (_req, res) => res.json({ ok: true })));
    await request(t.app)
      .post('/patients/123456782?name=Jan%20Jansen')
      .set('Authorization', `Bearer ${await t.token()}`)
      .set('X-Patient-Email', 'jan@example.nl')
      .send({ name: 'Jan Jansen', birthDate: '1950-03-04' })
      .expect(200);
    const line = t.lines().find((l) => l.msg === 'request');
    expect(line).toMatchObject({ method: 'POST', route: '/patients/:id', status: 200, durationMs: expect.any(Number) });
    const text = t.text();
    for (const value of ['123456782', 'Jan', 'jan@example.nl', '1950-03-04', 'Bearer'])
      expect(text).not.toContain(value);
  });
});
