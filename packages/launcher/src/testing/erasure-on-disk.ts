// The erasure-on-disk journey, shared by the embedded and the real-server tests: seed two people
// (consent with a document reference, referral with contact details and an urgency note), erase one,
// let the follow-up run, and hand over what a scan of the files must (not) find.
import { randomBytes, randomInt } from 'node:crypto';
import { Client } from 'pg';
import type { ServiceUrls } from '../services';
import type { Sealed, ScanTarget } from './disk-scan';
import { createDevIssuer } from '@wor/service-kit';
import { ensureAgreement, gp, http, privacyOfficer, referralBody } from './thin-slice';
import { eventually } from '@wor/test-support';

/** A BSN that passes the elfproef, different on every run (files keep earlier runs' data). */
const randomBsn = (): string => {
  for (;;) {
    const digits = Array.from({ length: 8 }, () => randomInt(10));
    const sum = digits.reduce((s, d, i) => s + d * (9 - i), 0);
    const last = sum % 11;
    if (last < 10 && digits[0] !== 0) return `${digits.join('')}${last}`;
  }
};

const person = () => {
  const tag = randomBytes(4).toString('hex');
  const bsn = randomBsn();
  return {
    bsn,
    given: `Erasmina${tag}`,
    family: `Vergeetmij${tag}`,
    phone: `06${randomInt(10_000_000, 99_999_999)}`,
    email: `vergeetmij.${tag}@example.org`,
    document: `toestemmingsformulier-${tag}`,
    urgencyNote: `Bel na 17 uur, ${tag}`,
  };
};
type Person = ReturnType<typeof person>;

const seed = async (urls: ServiceUrls, p: Person) => {
  const consent = await http(gp, 'POST', `${urls.consent}/consents`, {
    patient: { bsn: p.bsn },
    recipientOrganisationId: 'welzijn-e2e',
    purposes: ['wor-referral'],
    dataCategories: ['contact-details', 'referral-reason'],
    evidence: { method: 'signed', documentReference: p.document },
  });
  expect(consent.status).toBe(201);
  const body = referralBody(consent.body.consentId as string, p.bsn);
  const idempotencyKey = randomBytes(8).toString('hex');
  const referral = await eventually(
    async () => {
      // As GP systems send it: with an Idempotency-Key, whose stored answer must hold nothing personal either.
      const response = await fetch(`${urls.referral}/referrals`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await createDevIssuer().sign(gp)}`,
          'idempotency-key': idempotencyKey,
        },
        body: JSON.stringify({
          ...body,
          patient: { ...body.patient, name: { given: p.given, family: p.family }, phone: p.phone, email: p.email },
          urgencyNote: p.urgencyNote,
        }),
      });
      return response.status === 403 ? undefined : response; // until the referral service's consent view caught up
    },
    30_000,
    'the consent to reach the referral service',
  );
  expect(referral.status).toBe(201);
  return consent.body.subjectId as string;
};

/** Every sealed value of the subject in the services' event stores (they stay there: crypto-shredding). */
const sealedOf = async (databaseUrl: string, schemas: readonly string[], subjectId: string): Promise<Sealed[]> => {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const found: Sealed[] = [];
    for (const schema of schemas) {
      const walk = (value: unknown): void => {
        if (!value || typeof value !== 'object') return;
        const v = value as Record<string, unknown>;
        if (v.alg === 'A256GCM' && v.subjectId === subjectId)
          found.push({ ...(v as unknown as Sealed), store: schema });
        Object.values(v).forEach(walk);
      };
      for (const { data } of (await client.query<{ data: unknown }>(`SELECT data FROM "${schema}".events`)).rows)
        walk(data);
    }
    return found;
  } finally {
    await client.end();
  }
};

const toTarget = (p: Person, subjectId: string, sealed: Sealed[]): ScanTarget => ({
  subjectId,
  plaintexts: [p.bsn, p.given, p.family, p.phone, p.email, p.document, p.urgencyNote],
  sealed,
});

export type ErasedJourney = Readonly<{ target: ScanTarget; control: ScanTarget; followUp: unknown }>;

/** Seeds, erases one person, waits for both services' follow-up, and flushes everything to the files. */
export const eraseAPerson = async (
  urls: ServiceUrls,
  databaseUrl: string,
  schemas: { referral: string; consent: string },
): Promise<ErasedJourney> => {
  await ensureAgreement(urls);
  const [erased, kept] = [person(), person()];
  const erasedId = await seed(urls, erased);
  const keptId = await seed(urls, kept);
  const all = [schemas.referral, schemas.consent];
  const erasedSealed = await sealedOf(databaseUrl, all, erasedId);
  expect(erasedSealed.length).toBeGreaterThanOrEqual(3); // document reference, contact details, urgency note

  const erasure = await http(privacyOfficer, 'POST', `${urls.consent}/subject-rights/erasure`, {
    subjectId: erasedId,
  });
  expect(erasure.status).toBe(200);
  // The follow-up in both services holding subject keys; the scan below decides whether it held.
  const report = () =>
    http(privacyOfficer, 'POST', `${urls.consent}/subject-rights/access-report`, { subjectId: erasedId });
  const followUp = await eventually(
    async () => {
      const { body } = await report();
      const parts = body as {
        erasure?: { followUp?: { consent?: string } };
        services?: { referral?: { erasure?: { followUp?: string } } };
      };
      const state = {
        consent: parts.erasure?.followUp?.consent,
        referral: parts.services?.referral?.erasure?.followUp,
      };
      return state.consent === 'done' && state.referral === 'done' ? state : undefined;
    },
    30_000,
    'the erasure follow-up in both services',
  ).catch(() => ({ consent: 'not done', referral: 'not done' }));

  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('CHECKPOINT'); // every page on disk, not only in WAL
  } finally {
    await client.end();
  }
  return {
    target: toTarget(erased, erasedId, erasedSealed),
    control: toTarget(kept, keptId, await sealedOf(databaseUrl, all, keptId)),
    followUp,
  };
};
