// Subject rights. Art. 15: one report of everything the platform holds about a person — this service's
// consents with their evidence and the access log about them, the referral service's part fetched with
// the officer's own token (referral-part.ts), and reporting's statement — and who accessed their data. Art. 17: erasure by crypto-shredding — the
// subject key is destroyed, active consents are withdrawn, and SubjectErased tells the other services
// to destroy theirs. Both are privacy-officer acts and both are logged.
import { SubjectId } from '@wor/contracts';
import { handleCommand, type EventStore } from '@wor/event-store';
import { pseudonymise, type ErasureFollowUp, type SubjectKeyStore } from '@wor/privacy';
import { callerOf, parseBody, requestEventMetadata, type ServiceDeps } from '@wor/service-kit';
import type { Router } from 'express';
import { z } from 'zod';
import { logOwnAccess, requireRoleLogged } from '../access-log/own-access';
import { searchLog } from '../access-log/search';
import { Bsn, consentDecider, consentView, loadConsent } from '../consent/api';
import { consentStreamId } from '../consent/consent';
import { projectNow } from '../read-your-writes';
import { consentsOfSubject, projectConsent } from '../consent/projection';
import { ERASURE_GUARANTEE, followUpView } from './guarantee';
import { fetchReferralPart, REPORTING_PART } from './referral-part';
import { decide, evolve, initialState, subjectStreamId, type Subject } from './subject';

export const SubjectBody = z
  .object({ patient: z.object({ bsn: Bsn }).strict().optional(), subjectId: SubjectId.optional() })
  .strict()
  .refine((b) => (b.patient === undefined) !== (b.subjectId === undefined), {
    path: ['subjectId'],
    message: 'give either patient.bsn or subjectId',
  });

export const subjectRightsRoutes =
  ({
    store,
    keys,
    followUp,
    deps,
    referralUrl,
  }: {
    store: EventStore;
    keys: SubjectKeyStore;
    followUp: ErasureFollowUp;
    deps: ServiceDeps;
    /** WOR_REFERRAL_URL; the embedded launcher's peerUrl comes first. */
    referralUrl?: string | undefined;
  }) =>
  (router: Router): void => {
    const officer = requireRoleLogged(deps, 'subject-rights', 'privacy-officer');
    const subjectOf = (body: z.infer<typeof SubjectBody>) =>
      body.subjectId ?? pseudonymise(body.patient!.bsn, deps.pseudonymSecret);
    const loadSubject = async (subjectId: string): Promise<Subject> => {
      const { events } = await store.readStream(subjectStreamId(subjectId));
      return events.reduce((s, e) => evolve(s, e as never), initialState());
    };

    router.post('/subject-rights/access-report', officer, async (req, res) => {
      const subjectId = subjectOf(parseBody(SubjectBody, req));
      const caller = callerOf(res);
      const consents = await Promise.all(
        (await consentsOfSubject(deps.pool, subjectId)).map(async (row) =>
          consentView(keys, await loadConsent(store, row.consent_id)),
        ),
      );
      const accessLog = await searchLog(deps.pool, { subjectId }, 100_000, 'asc');
      // The referral service logs its own part of this read; the officer's token says who asked.
      const referral = await fetchReferralPart(
        deps.peerUrl?.('referral') ?? referralUrl,
        subjectId,
        req.headers.authorization,
      );
      await logOwnAccess(deps, caller, deps.now(), {
        subjectId,
        purpose: 'subject-rights',
        resource: { type: 'subject-access-report', id: subjectId },
      });
      const { erasedAt } = await loadSubject(subjectId);
      res.json({
        subjectId,
        generatedAt: deps.now().toISOString(),
        erasure: erasedAt
          ? { erasedAt, guarantee: ERASURE_GUARANTEE, followUp: followUpView(await keys.followUpStatus()) }
          : { erasedAt },
        // Which services' parts are not in this report (and why, under services.<name>.missing).
        missing: referral.missing ? ['referral'] : [],
        services: {
          consent: { consents, accessLog },
          referral,
          reporting: REPORTING_PART,
          'social-map': { holds: 'nothing about patients: it describes organisations and their activities only' },
        },
        accessedBy: [
          ...new Map(
            accessLog.map((e) => [
              `${e.userId}|${e.organisationId ?? ''}`,
              { userId: e.userId, organisationId: e.organisationId, role: e.role },
            ]),
          ).values(),
        ],
      });
    });

    router.post('/subject-rights/erasure', officer, async (req, res) => {
      const subjectId = subjectOf(parseBody(SubjectBody, req));
      const caller = callerOf(res);
      const now = deps.now();
      // Consents stop first, so nobody acts on them while the key goes.
      const withdrawn: string[] = [];
      for (const row of await consentsOfSubject(deps.pool, subjectId)) {
        if (row.withdrawn_at) continue;
        const result = await handleCommand(
          store,
          consentStreamId(row.consent_id),
          consentDecider,
          {
            type: 'WithdrawConsent',
            data: { consentId: row.consent_id, recordedBy: caller.subject },
            metadata: { now },
          },
          { metadata: requestEventMetadata(caller) },
        );
        await projectNow(deps.pool, projectConsent, result);
        withdrawn.push(row.consent_id);
      }
      const keyDestroyed = await keys.erase(subjectId);
      await handleCommand(
        store,
        subjectStreamId(subjectId),
        { decide, evolve, initialState },
        { type: 'EraseSubject', data: { subjectId, by: caller.subject, keyDestroyed }, metadata: { now } },
        { metadata: requestEventMetadata(caller) },
      );
      await logOwnAccess(deps, caller, now, {
        subjectId,
        action: 'D',
        purpose: 'subject-rights',
        resource: { type: 'subject-key', id: subjectId },
      });
      // This service's follow-up at once (it takes about a second per 10,000 keys); should it fail, its timer retries.
      await followUp.runNow().catch((error: unknown) => deps.logger.error({ err: error }, 'erasure follow-up failed'));
      res.status(200).json({
        subjectId,
        erasedAt: now.toISOString(),
        keyDestroyed,
        withdrawnConsents: withdrawn,
        guarantee: ERASURE_GUARANTEE,
        followUp: followUpView(await keys.followUpStatus()),
      });
    });
  };
