// What the rich demo holds, as plain data: a seeded generator, so every fresh start gets the same
// municipality (for the same day). The loader (rich.ts) sends it through the services' APIs.
import type {
  CompletionOutcome,
  FailureReason,
  HoldReason,
  PositiveHealthDimension,
  ReferralReason,
  ReferrerRole,
  RejectionReason,
} from '@wor/contracts';

export const WELFARE = {
  id: 'welzijn-beterstad',
  name: 'Welzijn Beterstad',
  socialMapId: '5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11',
  coordinator: 'coordinator-beterstad',
  coaches: ['coach-anna', 'coach-bram', 'coach-cees'],
} as const;

export const MUNICIPALITIES = [
  { code: 'GM9999', name: 'Beterstad', district: 'de blijebuurt', keyUser: 'keyuser-beterstad' },
  { code: 'GM9998', name: 'Heelwijk', district: 'centrum', keyUser: 'keyuser-heelwijk' },
] as const;

export const PRACTICES = [
  { id: 'huisarts-beterschap', name: 'Huisarts Beterschap', municipality: 'GM9999', registeredPatients: 2000 },
  {
    id: 'huisartsenpraktijk-de-linde',
    name: 'Huisartsenpraktijk De Linde',
    municipality: 'GM9999',
    registeredPatients: 3480,
  },
  {
    id: 'gezondheidscentrum-noord',
    name: 'Gezondheidscentrum Noord',
    municipality: 'GM9999',
    registeredPatients: 6020,
  },
  { id: 'huisarts-heelwijk', name: 'Huisarts Heelwijk', municipality: 'GM9998', registeredPatients: 2500 },
] as const;

export const RICH_AGREEMENT_ID = '3f6c2a1e-8b4d-4f5a-9c7e-2d1b0a9f8e71';

type Dimension = PositiveHealthDimension;
export type DemoService = Readonly<{
  id: string;
  municipality: string;
  name: string;
  description: string;
  dimensions: Dimension[];
  free: boolean;
  /** Published this many days ago and never reviewed since: on the key-user's stale list. */
  staleDays?: number;
  full?: boolean;
}>;

const sid = (n: number) => `c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d${String(n).padStart(2, '0')}`;
const svc = (
  n: number,
  name: string,
  description: string,
  dimensions: Dimension[],
  extra: Partial<DemoService> = {},
): DemoService => ({ id: sid(n), municipality: 'GM9999', name, description, dimensions, free: true, ...extra });

/** The minimal demo's six services come first (same ids), so either demo recognises the other. */
export const SERVICES: readonly DemoService[] = [
  svc(1, 'Wandelgroep De Blijebuurt', 'Elke dinsdagochtend samen wandelen door de wijk, in je eigen tempo.', [
    'lichaamsfuncties',
    'meedoen',
  ]),
  svc(2, 'Koffieochtend Buurthuis De Zon', 'Ontmoeten, een praatje en een kop koffie, iedere donderdag.', [
    'meedoen',
    'kwaliteit-van-leven',
  ]),
  svc(3, 'Moestuin De Blijebuurt', 'Samen tuinieren en oogsten in de buurtmoestuin.', [
    'zingeving',
    'dagelijks-functioneren',
  ]),
  svc(4, 'Rouwcafé Beterstad', 'Maandelijkse bijeenkomst voor wie een dierbare verloor.', [
    'mentaal-welbevinden',
    'zingeving',
  ]),
  svc(5, 'Spreekuur Geldzorgen', 'Vrijwilligers helpen met post, schulden en regelingen.', ['dagelijks-functioneren']),
  svc(
    6,
    'Creatief Atelier',
    'Schilderen en boetseren in een kleine groep; kleine eigen bijdrage.',
    ['mentaal-welbevinden', 'kwaliteit-van-leven'],
    { free: false },
  ),
  svc(7, 'Beweegmaatje', 'Een vrijwilliger die wekelijks met je gaat bewegen.', ['lichaamsfuncties'], { full: true }),
  svc(8, 'Mantelzorgcafé', 'Steun en ontspanning voor wie voor een naaste zorgt.', [
    'mentaal-welbevinden',
    'dagelijks-functioneren',
  ]),
  svc(9, 'Taalcafé De Zon', 'Nederlands oefenen in een ontspannen sfeer.', ['meedoen']),
  svc(10, 'Zingevingsgesprekken', 'Gesprekken met een geestelijk verzorger in de wijk.', ['zingeving'], {
    staleDays: 400,
  }),
  svc(11, 'Gezond Koken', 'Samen koken en eten; leren over gezonde voeding.', [
    'lichaamsfuncties',
    'kwaliteit-van-leven',
  ]),
  svc(12, 'Vrijwilligerspunt Beterstad', 'Vrijwilligerswerk dat bij je past.', ['meedoen', 'zingeving']),
  {
    ...svc(13, 'Beweegtuin Heelwijk', 'Buitensport voor ouderen in het park.', ['lichaamsfuncties']),
    municipality: 'GM9998',
  },
  { ...svc(14, 'Buurtkamer Heelwijk', 'Binnenlopen, koffie, een praatje.', ['meedoen']), municipality: 'GM9998' },
];

/** Seeded pseudo-random numbers (mulberry32): the same demo on every fresh start. */
export const seeded = (seed: number) => {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return { next, int, pick };
};

export type Scores = Record<Dimension, number>;
export type Goal = Readonly<{ text: string; baseline: number }>;

/** One step of a referral, `day` days after the request (fractions are hours). */
export type DemoStep = Readonly<{ day: number }> &
  (
    | { kind: 'accept'; message?: string }
    | { kind: 'reject'; reason: RejectionReason }
    | { kind: 'assign'; coach: string }
    | { kind: 'attempt'; reached: boolean }
    | { kind: 'intake'; scores: Scores; goals: Goal[] }
    | { kind: 'activity'; serviceId: string }
    | { kind: 'hold'; reason: HoldReason }
    | { kind: 'resume' }
    | { kind: 'complete'; outcome: CompletionOutcome; hours: number; scores: Scores; gas: number[]; message?: string }
    | { kind: 'fail'; reason: FailureReason; hours: number }
    | { kind: 'cancel'; by: 'referrer' | 'organisation' }
  );

export type DemoPatient = Readonly<{
  bsn: string;
  name: { given: string; family: string };
  birthDate: string;
  sex: 'female' | 'male';
  phone: string;
}>;

export type DemoReferral = Readonly<{
  /** Idempotency-Key of its submission: the referral service derives the same referral id from it on every start. */
  key: string;
  /** Which path it follows (for the docs and the test). */
  path: string;
  municipality: string;
  practiceId: string;
  referrerRole: ReferrerRole;
  reasons: ReferralReason[];
  patient: DemoPatient;
  requestedAt: Date;
  steps: DemoStep[];
}>;

const GIVEN_F = ['Jet', 'Anna', 'Fatima', 'Els', 'Mieke', 'Sanne', 'Ineke', 'Yara', 'Gerda', 'Lotte', 'Noor', 'Wil'];
const GIVEN_M = ['Henk', 'Mohamed', 'Piet', 'Daan', 'Kees', 'Sem', 'Jan', 'Ahmet', 'Bert', 'Ruud', 'Theo', 'Luuk'];
const FAMILY = ['Voorbeeld', 'de Vries', 'Jansen', 'Bakker', 'Visser', 'Smit', 'Meijer', 'Mulder', 'de Boer', 'Bos'];
const REASONS = [
  'eenzaamheid',
  'somberheid-angst',
  'stress-overbelasting',
  'zingeving',
  'rouw',
  'leefstijl-bewegen',
  'financiele-zorgen',
  'werk-dagbesteding',
  'mantelzorgbelasting',
] as const satisfies readonly ReferralReason[];
const GOALS = [
  'Twee keer per week onder de mensen komen',
  'Weer een vaste dagbesteding hebben',
  'Elke dag een half uur buiten bewegen',
  'Overzicht over de post en rekeningen',
  'Iemand hebben om mee te praten',
  'Beter slapen',
];
const DIMENSIONS: Dimension[] = [
  'lichaamsfuncties',
  'mentaal-welbevinden',
  'zingeving',
  'kwaliteit-van-leven',
  'meedoen',
  'dagelijks-functioneren',
];

/** The n-th nine-digit test BSN (from 999900000 up) that passes the elfproef. */
export const testBsn = (n: number): string => {
  for (let i = 0, found = 0; ; i++) {
    const digits = String(999_900_000 + i);
    const sum = [...digits].reduce((s, d, k) => s + Number(d) * (k === 8 ? -1 : 9 - k), 0);
    if (sum % 11 === 0 && ++found === n) return digits;
  }
};

/** Each path, how many referrals follow it, and the months they were requested in (0 = January). */
const PATHS: readonly { path: string; count: number; months: [number, number] }[] = [
  { path: 'completed:linked-to-activity', count: 8, months: [0, 7] },
  { path: 'completed:activity-continued', count: 5, months: [0, 7] },
  { path: 'completed:goals-reached', count: 6, months: [0, 7] },
  { path: 'completed:other', count: 2, months: [1, 6] },
  { path: 'completed:after-hold', count: 2, months: [1, 5] },
  { path: 'failed:declined', count: 2, months: [0, 9] },
  { path: 'failed:not-reachable', count: 3, months: [1, 9] },
  { path: 'failed:dropped-out', count: 2, months: [1, 7] },
  { path: 'failed:onward-referral', count: 2, months: [2, 8] },
  { path: 'rejected:outside-target-group', count: 1, months: [2, 9] },
  { path: 'rejected:outside-area', count: 1, months: [3, 9] },
  { path: 'rejected:no-capacity', count: 1, months: [5, 9] },
  { path: 'cancelled:referrer', count: 2, months: [1, 10] },
  { path: 'cancelled:patient-request', count: 2, months: [2, 9] },
  { path: 'on-hold', count: 3, months: [8, 9] },
  { path: 'intake-held', count: 5, months: [8, 10] },
  { path: 'contacted', count: 2, months: [10, 10] },
  { path: 'contact-attempts', count: 2, months: [10, 10] },
  { path: 'accepted', count: 1, months: [10, 10] },
  { path: 'waiting:overdue', count: 2, months: [10, 10] },
  { path: 'waiting', count: 6, months: [11, 11] },
];

const DAY = 86_400_000;

export type RichPlan = Readonly<{ year: number; referrals: DemoReferral[] }>;

/**
 * The referrals of the year of `today`, requested from January up to a few days before `today`.
 * Steps that would lie after `today` are left out: a referral is then still open at its last step.
 */
export const richPlan = (today: Date, seed = 2026): RichPlan => {
  const rnd = seeded(seed);
  const year = today.getUTCFullYear();
  const start = Date.UTC(year, 0, 2, 9);
  const latest = today.getTime() - 2 * DAY;
  const scores = (base: number): Scores =>
    Object.fromEntries(DIMENSIONS.map((d) => [d, Math.max(0, Math.min(10, base + rnd.int(-2, 2)))])) as Scores;
  const beterstad = PRACTICES.filter((p) => p.municipality === 'GM9999');
  // 17, 15 and 28 referrals: inside and (Beterschap) just above 0.3–0.8% of each practice's patients a year.
  const practices = [17, 15, 28].flatMap((count, p) => Array.from({ length: count }, () => beterstad[p]!));
  for (let i = practices.length - 1; i > 0; i--) {
    const j = rnd.int(0, i);
    [practices[i], practices[j]] = [practices[j]!, practices[i]!];
  }
  const practiceOf = (i: number) => practices[i]!;
  const services = SERVICES.filter((s) => s.municipality === 'GM9999' && !s.full && !s.staleDays);

  const referrals: DemoReferral[] = [];
  let n = 0;
  for (const { path, count, months } of PATHS)
    for (let k = 0; k < count; k++, n++) {
      const month = months[0] + Math.round(((months[1] - months[0]) * (k + 0.5)) / count);
      const monthStart = Date.UTC(year, month, 1, 9);
      const overdue = path === 'waiting:overdue';
      const requested = overdue
        ? latest - (18 + 4 * k) * DAY
        : path === 'waiting'
          ? latest - k * 0.4 * DAY
          : Math.min(latest - 3 * DAY, Math.max(start, monthStart + rnd.int(0, 25) * DAY + rnd.int(0, 7) * 3_600_000));
      const coach = WELFARE.coaches[n % 3]!;
      const goals = Array.from({ length: rnd.int(1, 3) }, (_, g) => ({
        text: GOALS[(n + g) % GOALS.length]!,
        baseline: -1 - (rnd.next() < 0.3 ? 1 : 0),
      }));
      const intakeScores = scores(rnd.int(4, 6));
      let day = rnd.int(1, 3) + rnd.next() * 0.3;
      const at = (minDays: number, maxDays: number) => (day += rnd.int(minDays, maxDays) + rnd.next() * 0.3);
      const accept = (): DemoStep[] => [
        {
          kind: 'accept',
          day,
          ...(n % 4 === 0 ? { message: 'Bedankt voor de verwijzing, we nemen contact op.' } : {}),
        },
        { kind: 'assign', coach, day: day + 0.05 },
      ];
      const reach = (misses = n % 5 === 0 ? 1 : 0): DemoStep[] => [
        ...Array.from({ length: misses }, (): DemoStep => ({ kind: 'attempt', reached: false, day: at(1, 2) })),
        { kind: 'attempt', reached: true, day: at(1, 4) },
      ];
      const intake = (): DemoStep => ({ kind: 'intake', scores: intakeScores, goals, day: at(3, 9) });
      const activities = (howMany: number): DemoStep[] =>
        Array.from({ length: howMany }, (_, a) => ({
          kind: 'activity' as const,
          serviceId: services[(n + a * 3) % services.length]!.id,
          day: at(2, 8),
        }));
      const [kind, detail] = path.split(':') as [string, string | undefined];
      const steps: DemoStep[] = [];
      if (kind === 'completed') {
        const outcome = (detail === 'after-hold' ? 'linked-to-activity' : detail) as CompletionOutcome;
        steps.push(...accept(), ...reach(), intake(), ...activities(outcome === 'goals-reached' ? 1 : rnd.int(1, 2)));
        if (detail === 'after-hold')
          steps.push({ kind: 'hold', reason: 'patient-unwell', day: at(5, 10) }, { kind: 'resume', day: at(14, 21) });
        steps.push({
          kind: 'complete',
          outcome,
          hours: 7 + rnd.int(0, 6) * 0.5,
          scores: scores(rnd.int(6, 8)),
          gas: goals.map(() => rnd.int(-1, 2)),
          ...(n % 3 === 0 ? { message: 'Doet nu wekelijks mee en voelt zich beter.' } : {}),
          day: at(40, 70),
        });
      } else if (kind === 'failed') {
        const reason = detail as FailureReason;
        steps.push(...accept());
        if (reason === 'not-reachable')
          steps.push(...[1, 2, 3].map((): DemoStep => ({ kind: 'attempt', reached: false, day: at(2, 4) })), {
            kind: 'fail',
            reason,
            hours: 1,
            day: at(1, 3),
          });
        else if (reason === 'declined') steps.push(...reach(0), { kind: 'fail', reason, hours: 1.5, day: at(1, 5) });
        else
          steps.push(...reach(), intake(), ...activities(reason === 'dropped-out' ? 1 : 0), {
            kind: 'fail',
            reason,
            hours: reason === 'dropped-out' ? 5 : 3,
            day: at(10, 30),
          });
      } else if (kind === 'rejected') steps.push({ kind: 'reject', reason: detail as RejectionReason, day });
      else if (kind === 'cancelled' && detail === 'referrer') steps.push({ kind: 'cancel', by: 'referrer', day });
      else if (kind === 'cancelled')
        steps.push(...accept(), ...reach(0), { kind: 'cancel', by: 'organisation', day: at(3, 8) });
      else if (kind === 'on-hold')
        steps.push(...accept(), ...reach(), intake(), {
          kind: 'hold',
          reason: (['patient-request', 'waiting-for-activity', 'coach-unavailable'] as const)[k]!,
          day: at(4, 10),
        });
      else if (kind === 'intake-held') steps.push(...accept(), ...reach(), intake(), ...activities(k % 3));
      else if (kind === 'contacted') steps.push(...accept(), ...reach(0));
      else if (kind === 'contact-attempts')
        steps.push(
          ...accept(),
          ...Array.from({ length: k + 1 }, (): DemoStep => ({ kind: 'attempt', reached: false, day: at(1, 2) })),
        );
      else if (kind === 'accepted') steps.push({ kind: 'accept', day });
      const female = rnd.next() < 0.6;
      const age = rnd.pick([22, 35, 48, 58, 67, 71, 79, 84]);
      referrals.push({
        key: `wor-demo-${n}`,
        path,
        municipality: 'GM9999',
        practiceId: practiceOf(n).id,
        referrerRole: rnd.pick(['huisarts', 'huisarts', 'poh-ggz', 'poh-s', 'praktijkverpleegkundige'] as const),
        reasons: [...new Set([rnd.pick(REASONS), ...(rnd.next() < 0.3 ? [rnd.pick(REASONS)] : [])])],
        patient: patientOf(n, female, year - age, rnd),
        ...inOfficeHours(requested, steps, today),
      });
    }
  // Heelwijk: a handful, below the suppression threshold, shows scoping and suppression side by side.
  for (let k = 0; k < 4; k++, n++) {
    const requested = Math.min(latest, Date.UTC(year, 2 + k * 2, 10, 10));
    referrals.push({
      key: `wor-demo-${n}`,
      path: 'heelwijk',
      municipality: 'GM9998',
      practiceId: 'huisarts-heelwijk',
      referrerRole: 'huisarts',
      reasons: ['eenzaamheid'],
      patient: patientOf(n, k % 2 === 0, year - 70, rnd),
      ...inOfficeHours(requested, heelwijkSteps(k, WELFARE.coaches[k % 3]!, scores(5)), today),
    });
  }
  referrals.sort((a, b) => a.requestedAt.getTime() - b.requestedAt.getTime());
  return { year, referrals };
};

/** Heelwijk's few referrals: two completed, one declined, one still in progress. */
const heelwijkSteps = (k: number, coach: string, intakeScores: Scores): DemoStep[] => {
  const start: DemoStep[] = [
    { kind: 'accept', day: 1.1 },
    { kind: 'assign', coach, day: 1.2 },
    { kind: 'attempt', reached: true, day: 3.3 },
  ];
  if (k === 2) return [...start, { kind: 'fail', reason: 'declined', hours: 1, day: 3.5 }];
  const intake: DemoStep = {
    kind: 'intake',
    scores: intakeScores,
    goals: [{ text: 'Twee keer per week onder de mensen komen', baseline: -1 }],
    day: 9.4,
  };
  if (k === 3) return [...start, intake];
  return [
    ...start,
    intake,
    { kind: 'activity', serviceId: SERVICES[13]!.id, day: 12.2 },
    { kind: 'complete', outcome: 'linked-to-activity', hours: 8, scores: intakeScores, gas: [1], day: 55.3 },
  ];
};

/** Each instant moved into its day's working hours (08:00–16:00 UTC), keeping their order. */
const office = (ms: number) => {
  const dayStart = Math.floor(ms / DAY) * DAY;
  return dayStart + 8 * 3_600_000 + ((ms - dayStart) / DAY) * 8 * 3_600_000;
};

/** The request and its steps in working hours; steps that would lie in the last hour before today left out. */
const inOfficeHours = (requested: number, steps: DemoStep[], today: Date) => {
  const start = office(requested);
  return {
    requestedAt: new Date(start),
    steps: steps
      .map((s) => ({ ...s, day: (office(requested + s.day * DAY) - start) / DAY }))
      .filter((s) => start + s.day * DAY < today.getTime() - 3_600_000),
  };
};

const patientOf = (n: number, female: boolean, birthYear: number, rnd: ReturnType<typeof seeded>): DemoPatient => ({
  bsn: testBsn(n + 1),
  name: { given: rnd.pick(female ? GIVEN_F : GIVEN_M), family: rnd.pick(FAMILY) },
  birthDate: `${birthYear}-${String(rnd.int(1, 12)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}`,
  sex: female ? 'female' : 'male',
  phone: `06${String(10_000_000 + n * 7919).slice(0, 8)}`,
});
