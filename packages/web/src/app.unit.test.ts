// The BFF's own rules, with a recording stand-in for the services: sign-in and the session cookie,
// the token forwarded to the services (never to the browser), role checks, foreign origins refused.
import { createDevIssuer } from '@wor/service-kit';
import request from 'supertest';
import { createWebApp, SESSION_COOKIE } from './app';
import type { Answer, ServiceName, Services } from './services';

const answer = (status: number, body: unknown, etag: string | null = null): Answer => ({
  status,
  ok: status < 400,
  etag,
  contentType: 'application/json',
  contentDisposition: null,
  body,
  text: JSON.stringify(body),
});

const setup = (respond: (service: ServiceName, path: string) => Answer = () => answer(200, { items: [] })) => {
  const calls: { token: string; service: ServiceName; path: string; options: unknown }[] = [];
  const services: Services = {
    call: async (token, service, path, options) => {
      calls.push({ token, service, path, options });
      return respond(service, path);
    },
  };
  const issuer = createDevIssuer();
  const app = createWebApp({ urls: { referral: '', consent: '', 'social-map': '', reporting: '' }, services, issuer });
  const signIn = async (user: string) => {
    const res = await request(app).post('/aanmelden').type('form').send({ user });
    return { res, cookie: String(res.headers['set-cookie']).split(';')[0]! };
  };
  return { app, calls, signIn, issuer };
};

describe('the web app (BFF)', () => {
  it('signs a demo user in with an HttpOnly, SameSite=Strict session cookie and no token in the browser', async () => {
    const { signIn } = setup();
    const { res } = await signIn('coach-anna');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/werkvoorraad');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(
      new RegExp(`^${SESSION_COOKIE}=[\\w-]{40,}; Path=/; HttpOnly; SameSite=Strict; Max-Age=\\d+`),
    );
    expect(cookie).not.toMatch(/eyJ/); // no JWT
  });

  it("forwards the user's signed token (role and organisation) to the service and renders Dutch", async () => {
    const { app, calls, signIn, issuer } = setup(() =>
      answer(200, {
        items: [
          {
            referralId: '3f2b8c1e-0000-4000-8000-000000000001',
            status: 'requested',
            reasons: ['eenzaamheid'],
            ageBand: '65-74',
            sex: 'female',
            practiceId: 'huisarts-beterschap',
            coachId: null,
            requestedAt: '2026-11-02T10:00:00Z',
            firstContactDeadline: '2026-11-09T23:00:00Z',
            firstContactAt: null,
            waitingDays: 24,
            overdue: true,
          },
        ],
      }),
    );
    const { cookie } = await signIn('coach-anna');
    const page = await request(app).get('/werkvoorraad').set('cookie', cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="nl">');
    expect(page.text).toContain('Te laat');
    expect(page.text).toContain('24 dagen');
    expect(calls[0]).toMatchObject({ service: 'referral', path: '/work-queues/mine?sort=-waiting&size=100' });
    const caller = await issuer.authenticate({ headers: { authorization: `Bearer ${calls[0]!.token}` } } as never);
    expect(caller).toMatchObject({ subject: 'coach-anna', roles: ['coach'], organisationId: 'welzijn-beterstad' });
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it("shows the welfare organisation's capacity to the GP before referring, and to the coordinator with the hours", async () => {
    const capacity = { status: 'waitlist', expectedWaitWorkingDays: 4, hours: { available: 100, committed: 102 } };
    const { app, calls, signIn } = setup((_service, path) =>
      path.startsWith('/capacity/') ? answer(200, capacity) : answer(200, { items: [] }),
    );
    const gp = await signIn('gp-system-beterschap');
    const form = await request(app).get('/verwijzen').set('cookie', gp.cookie);
    expect(form.text).toContain('Wachtlijst: naar verwachting 4 werkdagen tot de eerste afspraak.');
    const coordinator = await signIn('coordinator-beterstad');
    const queue = await request(app).get('/werkvoorraad').set('cookie', coordinator.cookie);
    expect(queue.text).toContain('Wachtlijst: naar verwachting 4 werkdagen');
    expect(queue.text).toContain('Gepland 100 coachuren, toegezegd 102.');
    expect(calls.map((c) => c.path)).toContain('/capacity/organisations/welzijn-beterstad');
  });

  it('sends a visitor without a session to the sign-in page, and back afterwards', async () => {
    const { app } = setup();
    const res = await request(app).get('/privacy?uitkomst=denied');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/aanmelden?terug=%2Fprivacy%3Fuitkomst%3Ddenied');
  });

  it('refuses a page of another role in Dutch without calling a service', async () => {
    const { app, calls, signIn } = setup();
    const { cookie } = await signIn('gemeente-beterstad');
    const res = await request(app).get('/privacy').set('cookie', cookie);
    expect(res.status).toBe(403);
    expect(res.text).toContain('Deze pagina hoort niet bij uw rol');
    expect(calls).toHaveLength(0);
  });

  it('refuses a form posted from another origin', async () => {
    const { app, calls, signIn } = setup();
    const { cookie } = await signIn('coach-anna');
    const res = await request(app)
      .post('/verwijzingen/3f2b8c1e-0000-4000-8000-000000000001/hold')
      .set('cookie', cookie)
      .set('origin', 'https://evil.example')
      .type('form')
      .send({ reason: 'other' });
    expect(res.status).toBe(403);
    expect(calls).toHaveLength(0);
  });

  it("passes a step's version as If-Match and shows the service's refusal in Dutch on the next page", async () => {
    const { app, calls, signIn } = setup((_s, path) =>
      path.endsWith('/intake')
        ? answer(409, {
            status: 409,
            title: 'Conflict',
            detail: 'Cannot record an intake on a referral that is accepted; allowed when in-progress.',
          })
        : answer(200, { referralId: 'x', status: 'accepted', reasons: [] }, 'W/"2"'),
    );
    const { cookie } = await signIn('coach-anna');
    const id = '3f2b8c1e-0000-4000-8000-000000000001';
    const posted = await request(app)
      .post(`/verwijzingen/${id}/intake`)
      .set('cookie', cookie)
      .type('form')
      .send({ versie: 'W/"2"', heldOn: '2026-11-20' });
    expect(posted.status).toBe(303);
    expect(calls[0]).toMatchObject({ path: `/referrals/${id}/intake`, options: { headers: { 'if-match': 'W/"2"' } } });
    const next = await request(app).get(posted.headers.location!).set('cookie', cookie);
    expect(next.text).toContain('Deze stap kan niet bij een verwijzing met status &quot;Geaccepteerd&quot;');
  });

  it("offers exactly the referral's allowedSteps, whatever its status", async () => {
    const id = '3f2b8c1e-0000-4000-8000-000000000001';
    const { app, signIn } = setup((_s, path) =>
      path.endsWith('/feedback')
        ? answer(200, { feedback: [] })
        : answer(200, { referralId: id, status: 'in-progress', reasons: [], allowedSteps: ['hold', 'fail'] }, 'W/"4"'),
    );
    const { cookie } = await signIn('coach-anna');
    const page = await request(app).get(`/verwijzingen/${id}`).set('cookie', cookie);
    const offered = [...page.text.matchAll(/action="\/verwijzingen\/[^/"]+\/([a-z-]+)"/g)].map((m) => m[1]);
    expect(offered).toEqual(['hold', 'fail']);
  });

  it('the contact step shows the contact preference in Dutch; via de huisarts it records the contact, not a call', async () => {
    const id = '3f2b8c1e-0000-4000-8000-000000000001';
    const referral = (over: object) => ({
      referralId: id,
      status: 'accepted',
      reasons: [],
      coachId: 'coach-anna',
      allowedSteps: ['contact-attempts'],
      contactRequestedViaGpAt: null,
      ...over,
    });
    const direct = setup((_s, path) =>
      path.endsWith('/feedback')
        ? answer(200, { feedback: [] })
        : path.endsWith('/personal-details')
          ? answer(200, { referralId: id, patient: { name: { given: 'Jan' }, contactPreference: 'sms' }, goals: [] })
          : answer(200, referral({}), 'W/"2"'),
    );
    let { cookie } = await direct.signIn('coach-anna');
    const page = await request(direct.app).get(`/verwijzingen/${id}?gegevens=tonen`).set('cookie', cookie);
    expect(page.text).toContain('Voorkeur contact: sms');
    expect(page.text).toContain('Nee, niet bereikt');

    const viaGp = setup((_s, path) =>
      path.endsWith('/feedback')
        ? answer(200, { feedback: [] })
        : answer(200, referral({ contactRequestedViaGpAt: '2026-11-20T09:00:00.000Z' }), 'W/"2"'),
    );
    ({ cookie } = await viaGp.signIn('coach-anna'));
    const gpOnly = await request(viaGp.app).get(`/verwijzingen/${id}`).set('cookie', cookie);
    expect(gpOnly.text).toContain('Voorkeur contact: via de huisarts');
    expect(gpOnly.text).not.toContain('Nee, niet bereikt');
  });

  it("need-to-know: shows another coach's refusal in Dutch with the declaration step, and the declared read", async () => {
    const id = '3f2b8c1e-0000-4000-8000-000000000001';
    const { app, calls, signIn } = setup((_s, path) =>
      path.endsWith('/personal-details')
        ? answer(403, {
            status: 403,
            title: 'Forbidden',
            detail:
              "Only the referral's coach and the organisation's coordinators read the client's personal details; declare a takeover (vervanging, urgent contact) to read them.",
          })
        : path.endsWith('/declared-read')
          ? answer(200, { referralId: id, patient: { name: { given: 'Truus', family: 'Verklaard' } }, goals: [] })
          : answer(200, { referralId: id, status: 'accepted', reasons: [], coachId: 'coach-bram' }, 'W/"2"'),
    );
    const { cookie } = await signIn('coach-anna');
    const refused = await request(app).get(`/verwijzingen/${id}?gegevens=tonen`).set('cookie', cookie);
    expect(refused.text).toContain('U bent niet de coach van deze cliënt');
    expect(refused.text).toContain(`action="/verwijzingen/${id}/inzage-verklaren"`);
    expect(refused.text).not.toContain('Verklaard');
    const declared = await request(app)
      .post(`/verwijzingen/${id}/inzage-verklaren`)
      .set('cookie', cookie)
      .type('form')
      .send({ reason: 'vervanging', akkoord: 'ja' });
    expect(declared.status).toBe(200);
    expect(declared.text).toContain('Truus Verklaard');
    expect(declared.text).toContain('als noodtoegang (verklaard) vastgelegd');
    expect(calls.find((c) => c.path.endsWith('/declared-read'))).toMatchObject({
      path: `/referrals/${id}/personal-details/declared-read`,
      options: { body: { reason: 'vervanging' } },
    });
  });

  it('shows the municipality capacity against the plan: coach hours planned and used, referrals expected and received', async () => {
    const capacity = {
      referrals: { received: 11, expectedMin: 1.5, expectedMax: 3.9, light: 'orange' },
      coachHours: { planned: 130, used: 88, usedPercent: 67.7 },
      organisations: [
        {
          organisationId: 'welzijn-beterstad',
          monthsPlanned: ['2026-01', '2026-02', '2026-03'],
          coachHours: { planned: 130, used: 88 },
          referrals: { plannedFor: 15.3, received: 11, closed: 11 },
        },
      ],
    };
    const { app, calls, signIn } = setup((_s, path) =>
      path.startsWith('/dashboards/capacity')
        ? answer(200, capacity)
        : path.startsWith('/dashboards/trends')
          ? answer(200, { periods: [] })
          : answer(200, {}),
    );
    const { cookie } = await signIn('gemeente-beterstad');
    const page = await request(app).get('/monitoring?periode=2026-Q1').set('cookie', cookie);
    expect(page.status).toBe(200);
    expect(calls.map((c) => c.path)).toContain('/dashboards/capacity?municipality=GM9999&period=2026-Q1');
    expect(page.text).toContain('Capaciteit tegen het plan (2026-Q1)');
    expect(page.text).toContain('88 uur</strong> gebruikt van 130 uur gepland');
    expect(page.text).toContain('67,7% van het plan');
    expect(page.text).toContain('<td>welzijn-beterstad</td><td>130 uur</td><td>88 uur</td><td>15,3</td>');
  });

  it('signs out: the session is gone', async () => {
    const { app, signIn } = setup();
    const { cookie } = await signIn('keyuser-beterstad');
    await request(app).post('/afmelden').set('cookie', cookie);
    expect((await request(app).get('/sociale-kaart').set('cookie', cookie)).status).toBe(303);
  });
});
