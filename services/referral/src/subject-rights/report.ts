// AVG art. 15 in the referral service: everything it holds about one pseudonymous subject — every
// referral with its codes, its status history and its personal data opened with the subject's key
// (ERASED once the key is destroyed) — and who accessed it when (its own NEN 7513 entries). A
// privacy-officer act; the consent service calls it with the officer's own token for its combined
// report. The read is itself logged.
import { DataCategory, SubjectId } from '@wor/contracts';
import { type EventStore, type RecordedEvent } from '@wor/event-store';
import { createProjector, type Projector } from '@wor/event-store-postgres';
import { ERASED, type SealedPersonalData, type SubjectKeyStore } from '@wor/privacy';
import { callerOf, parseParams, requestEventMetadata, type ServiceDeps } from '@wor/service-kit';
import type { Router } from 'express';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from '@wor/service-kit';
import { z } from 'zod';
import { ACCESS_LOG_STREAM_PREFIX, type AccessLog, type AccessLoggedEvent } from '../access-log/access-log';
import type { ReferralEvent } from '../referral/events';
import { initialState, referralDecider, REFERRAL_STREAM_PREFIX, type ReferralState } from '../referral/referral';
import { insertRows } from '../referral/projection-runs';

// Insert-only and order-free (ON CONFLICT DO NOTHING): a batch is one INSERT per table.
export const projectSubjectIndex = async (events: readonly RecordedEvent[], tx: PoolClient): Promise<void> => {
  const referrals: { subject_id: string; referral_id: string }[] = [];
  const entries: { entry_id: string; subject_id: string; accessed_at: string; entry: object }[] = [];
  for (const recorded of events) {
    // An order awaiting its Task holds the subject's data too.
    if (
      recorded.streamId.startsWith(REFERRAL_STREAM_PREFIX) &&
      (recorded.type === 'ReferralRequested' || recorded.type === 'ReferralOrdered')
    ) {
      const { subjectId } = (
        recorded as unknown as Extract<ReferralEvent, { type: 'ReferralRequested' | 'ReferralOrdered' }>
      ).data;
      referrals.push({ subject_id: subjectId, referral_id: recorded.streamId.slice(REFERRAL_STREAM_PREFIX.length) });
    } else if (recorded.streamId.startsWith(ACCESS_LOG_STREAM_PREFIX) && recorded.type === 'AccessLogged') {
      const { subjectId, ...entry } = (recorded as RecordedEvent<AccessLoggedEvent>).data;
      entries.push({ entry_id: recorded.eventId, subject_id: subjectId, accessed_at: entry.accessedAt, entry });
    }
  }
  if (referrals.length > 0)
    await insertRows(tx, 'subject_referrals', { subject_id: 'text', referral_id: 'text' }, referrals);
  if (entries.length > 0)
    await insertRows(
      tx,
      'subject_access_log',
      { entry_id: 'text', subject_id: 'text', accessed_at: 'timestamptz', entry: 'jsonb' },
      entries,
    );
};

export const createSubjectIndexProjector = ({
  store,
  pool,
  schema,
  logger,
}: {
  store: EventStore;
  pool: Pool;
  schema: string;
  logger: Logger;
}): Projector =>
  createProjector({
    name: 'subject-index',
    store,
    pool,
    schema,
    project: projectSubjectIndex,
    onError: (error) =>
      logger.child({ projection: 'subject-index' }).error({ err: error }, 'Subject index projection failed; retrying'),
  });

type Opened = unknown;

const Params = z.object({ subjectId: SubjectId });

/** The time each event records for itself; the stored time otherwise. */
const timeOf = (event: RecordedEvent): string => {
  const data = event.data as Record<string, unknown>;
  const own = Object.entries(data).find(([key, value]) => key.endsWith('At') && typeof value === 'string');
  return (own?.[1] as string | undefined) ?? event.recordedAt.toISOString();
};

export const subjectReportRoutes =
  ({
    store,
    keys,
    accessLog,
    index,
    deps,
  }: {
    store: EventStore;
    keys: SubjectKeyStore;
    accessLog: AccessLog;
    index: Projector;
    deps: ServiceDeps;
  }) =>
  (router: Router): void => {
    const open = async (sealed: SealedPersonalData | null): Promise<Opened> => {
      if (!sealed) return null;
      const value = await keys.decrypt(sealed);
      if (value === ERASED || (value && typeof value === 'object' && (value as { erased?: boolean }).erased === true))
        return ERASED;
      return value;
    };
    const text = async (sealed: SealedPersonalData | null): Promise<Opened> => {
      const value = await open(sealed);
      return value && typeof value === 'object' && 'text' in value ? (value as { text: unknown }).text : value;
    };

    const referralReport = async (referralId: string) => {
      const { events } = await store.readStream<ReferralEvent>(`${REFERRAL_STREAM_PREFIX}${referralId}`);
      const state = events.reduce(referralDecider.evolve, initialState()) as ReferralState;
      const { patient, urgencyNote, ...codes } = state;
      const intake = events.find((e) => e.type === 'IntakeHeld');
      const goalTexts = intake?.type === 'IntakeHeld' ? await open(intake.data.goalTexts) : null;
      const textOfGoal = (goalId: string) =>
        goalTexts === ERASED ? ERASED : ((goalTexts as Record<string, string> | null)?.[goalId] ?? null);
      return {
        ...codes,
        history: events.map((e) => ({ type: e.type, at: timeOf(e as RecordedEvent) })),
        personalData: {
          contact: await open(patient),
          urgencyNote: await text(urgencyNote),
          goals: (state.intake?.goals ?? []).map((g) => ({ ...g, text: textOfGoal(g.goalId) })),
          feedback: await Promise.all(
            events
              .flatMap((e) => (e.type === 'FeedbackSent' ? [e.data] : []))
              .map(async (f) => ({ moment: f.moment, sentAt: f.sentAt, message: await text(f.message) })),
          ),
        },
      };
    };

    router.get('/subjects/:subjectId/report', async (req, res) => {
      const { subjectId } = parseParams(Params, req);
      const caller = callerOf(res);
      await index.catchUp(); // read-your-writes: a referral submitted a moment ago is in the report
      const referralIds = (
        await deps.pool.query<{ referral_id: string }>(
          'SELECT referral_id FROM subject_referrals WHERE subject_id = $1 ORDER BY referral_id',
          [subjectId],
        )
      ).rows;
      const referrals = await Promise.all(referralIds.map((r) => referralReport(r.referral_id)));
      const entries = (
        await deps.pool.query<{ entry_id: string; entry: Record<string, unknown> }>(
          'SELECT entry_id, entry FROM subject_access_log WHERE subject_id = $1 ORDER BY accessed_at, entry_id',
          [subjectId],
        )
      ).rows.map((r) => ({ entryId: r.entry_id, ...r.entry }));
      const erased = await deps.pool.query<{ erased_at: Date }>(
        'SELECT erased_at FROM erased_subjects WHERE subject_id = $1',
        [subjectId],
      );
      await accessLog.record(
        {
          subjectId,
          municipality: referrals[0]?.municipality ?? null,
          action: 'R',
          userId: caller.subject,
          onBehalfOf: null,
          role: 'privacy-officer',
          organisationId: caller.organisationId ?? null,
          purpose: 'subject-rights',
          dataCategories: [...DataCategory.options],
          resource: { type: 'subject-access-report', id: subjectId },
          outcome: 'allowed',
          checks: { authorisation: true, consent: false, agreement: false, emergencyAccess: false },
          consentId: null,
          agreementId: null,
          reason: null,
        },
        requestEventMetadata(caller),
      );
      // Decrypted personal data: never kept by a cache on the way.
      res.setHeader('Cache-Control', 'no-store').json({
        service: 'referral',
        subjectId,
        generatedAt: deps.now().toISOString(),
        erasure: erased.rows[0]
          ? {
              erasedAt: erased.rows[0].erased_at.toISOString(),
              // Whether this service's erasure follow-up (a new KEK epoch) has run since (docs/privacy.md).
              followUp: (await keys.followUpStatus()).pending ? 'pending' : 'done',
            }
          : { erasedAt: null },
        referrals,
        accessLog: entries,
      });
    });
  };
