// What the access-log completeness probes need beyond one call: a referral walked to the status where a
// step is allowed, the referral service's own FHIR and ZorgDomein example bodies shaped for organisation A,
// and the first frame of a server-sent event stream.
import { createDevIssuer, type DevTokenClaims } from '@wor/service-kit';
import { serviceRequestFor } from '../../../services/referral/src/fhir/testing/fixtures';
import { CLUSTER, PRACTICE_AGB, referralDocument } from '../../../services/referral/src/zorgdomein/testing/documents';
import { call, type Platform } from './platform';
import { callerFor, ORG, scores, type Seed, submitReferral } from './world';

type Walked = Readonly<{ referralId: string; etag: string }>;

const stepOn = async (p: Platform, caller: DevTokenClaims, at: Walked, path: string, body: unknown) => {
  const r = await call(caller, 'POST', `${p.urls.referral}/referrals/${at.referralId}/${path}`, body, {
    'if-match': at.etag,
  });
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.text}`);
  return { referralId: at.referralId, etag: r.etag! };
};

/**
 * A new referral of `seed`, walked by A's own setup callers (never the probe's `sub`) to `status`:
 * requested, accepted, or in-progress (accepted, `coachId` assigned by the coordinator, the patient reached).
 */
export const referralAt = async (
  p: Platform,
  consentId: string,
  seed: Seed,
  status: 'requested' | 'accepted' | 'in-progress',
  coachId = 'coach-own',
): Promise<Walked> => {
  const coordinator = callerFor('coordinator', 'own');
  const submitted = await submitReferral(p, consentId, seed);
  let at: Walked = { referralId: submitted.body.referralId as string, etag: submitted.etag! };
  if (status === 'requested') return at;
  at = await stepOn(p, coordinator, at, 'accept', {});
  if (status === 'accepted') return at;
  at = await stepOn(p, coordinator, at, 'coach', { coachId });
  return stepOn(p, coordinator, at, 'contact-attempts', { reached: true });
};

/** The step at `path` on a walked referral, as `caller` (status and all, for the probe to judge). */
export const takeStep = (p: Platform, caller: DevTokenClaims, at: Walked, path: string, body: unknown) =>
  call(caller, 'POST', `${p.urls.referral}/referrals/${at.referralId}/${path}`, body, { 'if-match': at.etag });

export const intakeBody = {
  heldOn: '2026-11-30',
  positiveHealth: scores(6),
  goals: [{ text: 'Twee keer per week wandelen met de buurtgroep.', baseline: -1 }],
};

/** The referral service's example ServiceRequest for A's practice, welfare organisation and municipality. */
export const serviceRequestOfA = (bsn: string, consentId: string) =>
  serviceRequestFor(bsn, consentId, (sr) => {
    sr.requester.identifier.value = ORG.own.practice;
    sr.performer[0]!.identifier.value = ORG.own.welfare;
    sr.extension[0]!.valueCoding.code = ORG.own.municipality;
  });

/** A transaction of that ServiceRequest and its Task (focus: the ServiceRequest's urn:uuid). */
export const transactionOfA = (bsn: string, consentId: string, fullUrl: string) => ({
  resourceType: 'Bundle',
  type: 'transaction',
  entry: [
    { fullUrl, resource: serviceRequestOfA(bsn, consentId), request: { method: 'POST', url: 'ServiceRequest' } },
    {
      resource: { resourceType: 'Task', status: 'requested', intent: 'order', focus: { reference: fullUrl } },
      request: { method: 'POST', url: 'Task' },
    },
  ],
});

/** Maps the example document's cluster and practice (AGB) to A, as A's coordinator does once. */
export const mapZorgDomeinToA = async (p: Platform): Promise<void> => {
  const coordinator = callerFor('coordinator', 'own');
  for (const address of [
    { ...CLUSTER, kind: 'recipient', organisationId: ORG.own.welfare, municipality: ORG.own.municipality },
    { ...PRACTICE_AGB, kind: 'practice', organisationId: ORG.own.practice },
  ]) {
    const r = await call(coordinator, 'PUT', `${p.urls.referral}/zorgdomein/addresses`, address);
    if (r.status !== 200) throw new Error(`zorgdomein address: ${r.status} ${r.text}`);
  }
};

export { referralDocument };

const issuer = createDevIssuer();

/** Opens an SSE stream, reads until its first complete frame, closes it; the status and that frame. */
export const firstEvent = async (caller: DevTokenClaims, url: string): Promise<{ status: number; frame: string }> => {
  const aborted = new AbortController();
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${await issuer.sign(caller)}` },
    signal: aborted.signal,
  });
  if (!response.body || response.status !== 200) return { status: response.status, frame: await response.text() };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (!text.includes('\n\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    aborted.abort();
  }
  return { status: response.status, frame: text.split('\n\n')[0]! };
};
