// The rich demo: a municipality after most of a year of Welzijn op Recept (plan.ts), loaded through
// the services' own APIs as a GP system, the coordinator, the coaches and the key-users would. The
// demo clock is set to each step's date before its call, so the events carry dates in the past.
import { createProgress } from '@wor/service-kit';
import type { ServiceUrls } from '../services';
import type { DemoClock } from './clock';
import { createCaller, expectStatus, untilAccepted, type Caller, type Reply } from './http';
import {
  MUNICIPALITIES,
  PRACTICES,
  RICH_AGREEMENT_ID,
  richPlan,
  SERVICES,
  WELFARE,
  type DemoReferral,
  type DemoStep,
} from './plan';

const DAY = 86_400_000;
const HEELWIJK_ORGANIZATION = '7e2c4b1a-9d3f-4a6e-8b5c-1f0a2d3e4c5b';

const keyUser = (m: (typeof MUNICIPALITIES)[number]): Caller => ({
  sub: m.keyUser,
  roles: ['key-user'],
  municipality: m.code,
  municipalAccount: true,
});
const reporter = (municipality: string): Caller => ({
  sub: `gemeente-${municipality}`,
  roles: ['reporting-consumer'],
  municipality,
});
const officer: Caller = { sub: 'privacy-officer-beterstad', roles: ['privacy-officer'] };
const coordinator: Caller = { sub: WELFARE.coordinator, roles: ['coordinator'], org: WELFARE.id };
const coachCaller = (coach: string): Caller => ({ sub: coach, roles: ['coach'], org: WELFARE.id });
/** The GP system of a practice; Huisarts Beterschap's is the web app's demo user. */
export const gpOf = (practiceId: string): Caller => ({
  sub: practiceId === 'huisarts-beterschap' ? 'gp-system-beterschap' : `gp-system-${practiceId}`,
  roles: ['gp-system'],
  org: practiceId,
});

/** Whether a demo is in this data directory: the rich one's last act, or the minimal one's services. */
export const loadedDemo = async (urls: ServiceUrls): Promise<'rich' | 'minimal' | undefined> => {
  const call = createCaller();
  const heelwijk = await call(reporter('GM9998'), 'GET', `${urls.reporting}/practices?municipality=GM9998`);
  if (((heelwijk.body.items ?? []) as { practiceId: string }[]).length > 0) return 'rich';
  const map = await call(keyUser(MUNICIPALITIES[0]), 'GET', `${urls['social-map']}/services?municipality=GM9999`);
  return ((map.body.contents ?? []) as { id: string }[]).some((s) => s.id === SERVICES[5]!.id) ? 'minimal' : undefined;
};

type Open = { id: string; version: number; goalIds: string[]; referral: DemoReferral };

export const loadRichDemo = async (urls: ServiceUrls, clock: DemoClock, today = new Date()): Promise<void> => {
  const call = createCaller();
  const plan = richPlan(today);
  const yearStart = new Date(Date.UTC(plan.year, 0, 1, 7));
  try {
    await loadSocialMap(urls, call, clock, today, yearStart);
    clock.set(yearStart);
    await loadAgreement(urls, call, yearStart);
    for (const practice of PRACTICES.filter((p) => p.municipality === 'GM9999'))
      await setListSize(urls, call, practice);

    // Every step of every referral in the order of its date, as the year went.
    const acts = plan.referrals.flatMap((referral, r) => [
      { at: referral.requestedAt.getTime(), r, step: undefined as DemoStep | undefined },
      ...referral.steps.map((step) => ({ at: referral.requestedAt.getTime() + step.day * DAY, r, step })),
    ]);
    acts.sort((a, b) => a.at - b.at || a.r - b.r);
    const open: Open[] = [];
    const progress = createProgress({ label: 'demo', unit: 'steps', total: acts.length });
    for (const [i, act] of acts.entries()) {
      clock.set(new Date(act.at));
      const referral = plan.referrals[act.r]!;
      if (!act.step) open[act.r] = await submit(urls, call, referral);
      else await take(urls, call, open[act.r]!, act.step, new Date(act.at));
      progress.update(i + 1);
    }
    progress.finish(
      `demo: ${plan.referrals.length} referrals over ${plan.year}, ${SERVICES.length} social-map services`,
    );
  } finally {
    clock.release();
  }
  await planCapacity(urls, call, today);
  // Last: the rich demo's marker (see loadedDemo).
  await setListSize(urls, call, PRACTICES[3]);
};

/** The coordinator's coach hours for this month (seed 003: 100–150 hours) and a ZorgDomein cluster of the organisation. */
const planCapacity = async (urls: ServiceUrls, call: Call, today: Date) => {
  const month = today.toISOString().slice(0, 7);
  expectStatus(
    'capacity',
    await call(coordinator, 'PUT', `${urls.referral}/capacity/plans/${month}`, { coachHours: 120 }),
    200,
  );
  expectStatus(
    'zorgdomein cluster',
    await call(coordinator, 'PUT', `${urls.referral}/zorgdomein/addresses`, {
      system: 'http://zorgdomein.nl/fhir/identifier/cluster',
      value: 'WOR-BETERSTAD',
      kind: 'recipient',
      organisationId: WELFARE.id,
      municipality: 'GM9999',
    }),
    200,
  );
};

type Call = ReturnType<typeof createCaller>;

const loadSocialMap = async (urls: ServiceUrls, call: Call, clock: DemoClock, today: Date, yearStart: Date) => {
  const map = urls['social-map'];
  const [beterstad, heelwijk] = MUNICIPALITIES;
  clock.set(new Date(today.getTime() - 420 * DAY));
  for (const [m, id, name] of [
    [beterstad, WELFARE.socialMapId, WELFARE.name],
    [heelwijk, HEELWIJK_ORGANIZATION, 'Buurtwerk Heelwijk'],
  ] as const)
    expectStatus(
      'organization',
      await call(keyUser(m), 'POST', `${map}/organizations`, { id, name, description: `Welzijnswerk in ${m.name}.` }),
      201,
      409,
    );
  for (const service of [...SERVICES].sort((a, b) => (b.staleDays ?? 0) - (a.staleDays ?? 0))) {
    clock.set(service.staleDays ? new Date(today.getTime() - service.staleDays * DAY) : yearStart);
    const m = MUNICIPALITIES.find((x) => x.code === service.municipality)!;
    const published = await call(keyUser(m), 'POST', `${map}/services`, {
      id: service.id,
      organization_id: m === beterstad ? WELFARE.socialMapId : HEELWIJK_ORGANIZATION,
      name: service.name,
      description: service.description,
      wijken: [m.district],
      dimensions: service.dimensions,
      cost_options: [service.free ? { option: 'gratis', amount: 0 } : { option: 'eigen bijdrage', amount: 2.5 }],
    });
    expectStatus('service', published, 201, 409);
    if (service.full)
      expectStatus(
        'capacity',
        await call(keyUser(m), 'POST', `${map}/services/${service.id}/capacity`, { capacity_status: 'full' }),
        200,
      );
  }
};

const loadAgreement = async (urls: ServiceUrls, call: Call, validFrom: Date) => {
  const parties = [...PRACTICES.map((p) => p.id), WELFARE.id];
  const drafted = await call(officer, 'POST', `${urls.consent}/agreements`, {
    agreementId: RICH_AGREEMENT_ID,
    kind: 'samenwerkingsovereenkomst',
    title: 'Welzijn op Recept Beterstad en Heelwijk',
    parties: parties.map((organisationId) => ({ organisationId, role: 'joint-controller' })),
    legalBasis: { article6: 'a-consent', article9Exception: 'a-explicit-consent' },
    purposes: ['wor-referral', 'wor-coaching', 'wor-feedback'],
    dataCategories: ['contact-details', 'referral-reason', 'health-summary', 'outcome'],
    recipientOrganisationIds: parties,
    validFrom: validFrom.toISOString(),
    validUntil: null,
    retentionMonths: 24,
    processingRegisterReference: 'VWA-BETERSTAD-WOR',
  });
  expectStatus('agreement', drafted, 201, 409);
  expectStatus(
    'agreement',
    await call(officer, 'POST', `${urls.consent}/agreements/${RICH_AGREEMENT_ID}/activate`, {}),
    200,
    409,
  );
};

const setListSize = async (urls: ServiceUrls, call: Call, practice: (typeof PRACTICES)[number]) =>
  expectStatus(
    'list size',
    await call(reporter(practice.municipality), 'PUT', `${urls.reporting}/practices/${practice.id}/list-size`, {
      municipality: practice.municipality,
      registeredPatients: practice.registeredPatients,
    }),
    200,
  );

const submit = async (urls: ServiceUrls, call: Call, referral: DemoReferral): Promise<Open> => {
  const gp = gpOf(referral.practiceId);
  const consent = expectStatus(
    'consent',
    await call(gp, 'POST', `${urls.consent}/consents`, {
      patient: { bsn: referral.patient.bsn },
      recipientOrganisationId: WELFARE.id,
      purposes: ['wor-referral', 'wor-coaching', 'wor-feedback'],
      dataCategories: ['contact-details', 'referral-reason', 'health-summary', 'outcome'],
      evidence: { method: 'verbal' },
    }),
    201,
  );
  // The consent reaches the referral service as an event: until then the referral is refused.
  const created = await untilAccepted(
    'referral',
    () =>
      call(
        gp,
        'POST',
        `${urls.referral}/referrals`,
        {
          consentId: consent.body.consentId,
          patient: referral.patient,
          municipality: referral.municipality,
          practiceId: referral.practiceId,
          recipientOrganisationId: WELFARE.id,
          referrerRole: referral.referrerRole,
          reasons: referral.reasons,
        },
        undefined,
        { 'idempotency-key': referral.key },
      ),
    201,
  );
  return { id: String(created.body.referralId), version: Number(created.body.version), goalIds: [], referral };
};

const take = async (urls: ServiceUrls, call: Call, open: Open, step: DemoStep, at: Date): Promise<void> => {
  const url = (path: string) => `${urls.referral}/referrals/${open.id}/${path}`;
  const coach = coachCaller(open.referral.steps.find((s) => s.kind === 'assign')?.coach ?? WELFARE.coaches[0]);
  const act = (caller: Caller, path: string, body: unknown) => () =>
    call(caller, 'POST', url(path), body, open.version);
  const message = (text?: string) => (text ? { feedbackMessage: text } : {});
  let reply: Reply;
  switch (step.kind) {
    case 'accept':
      reply = await untilAccepted('accept', act(coordinator, 'accept', message(step.message)), 200);
      break;
    case 'reject':
      reply = await untilAccepted('reject', act(coordinator, 'reject', { reason: step.reason }), 200);
      break;
    case 'assign':
      reply = await untilAccepted('assign', act(coordinator, 'coach', { coachId: step.coach }), 200);
      break;
    case 'attempt':
      reply = await untilAccepted('contact attempt', act(coach, 'contact-attempts', { reached: step.reached }), 200);
      break;
    case 'intake': {
      const heldOn = at.toISOString().slice(0, 10);
      reply = await untilAccepted(
        'intake',
        act(coach, 'intake', { heldOn, positiveHealth: step.scores, goals: step.goals }),
        200,
      );
      const intake = reply.body.intake as { goals: { goalId: string }[] };
      open.goalIds = intake.goals.map((g) => g.goalId);
      break;
    }
    case 'activity':
      reply = await untilAccepted('activity', act(coach, 'activities', { serviceId: step.serviceId }), 200);
      break;
    case 'hold':
      reply = await untilAccepted('hold', act(coach, 'hold', { reason: step.reason }), 200);
      break;
    case 'resume':
      reply = await untilAccepted('resume', act(coach, 'resume', {}), 200);
      break;
    case 'complete':
      reply = await untilAccepted(
        'complete',
        act(coach, 'complete', {
          outcome: step.outcome,
          positiveHealth: step.scores,
          gasScores: open.goalIds.map((goalId, g) => ({ goalId, score: step.gas[g] ?? 0 })),
          coachHours: step.hours,
          ...message(step.message),
        }),
        200,
      );
      break;
    case 'fail':
      reply = await untilAccepted('fail', act(coach, 'fail', { reason: step.reason, coachHours: step.hours }), 200);
      break;
    case 'cancel':
      reply = await untilAccepted(
        'cancel',
        act(step.by === 'referrer' ? gpOf(open.referral.practiceId) : coach, 'cancel', {}),
        200,
      );
      break;
    default: {
      const _exhaustive: never = step;
      throw new Error(`unknown demo step ${JSON.stringify(_exhaustive)}`);
    }
  }
  open.version = Number(reply.body.version);
};
