// AVG art. 17 in the referral service: when the consent service erases a subject, this service destroys
// its own key for them (crypto-shredding), in the consumer's transaction, so every sealed copy of their
// contact details — in events, read models, backups — becomes unreadable; the service's erasure
// follow-up then destroys the KEK that wrapped the key's old copies on disk. The erasure is remembered.
import type { IntegrationEvent } from '@wor/contracts';
import { eraseSubjectKey } from '@wor/privacy';
import type { PoolClient } from 'pg';

/** Handles SubjectErased; other events are not its concern. Uses the service's schema (search_path). */
export const eraseSubject = async (event: IntegrationEvent, tx: PoolClient): Promise<void> => {
  if (event.type !== 'SubjectErased' || !event.subjectId) return;
  // Marks the erasure follow-up due too: old copies of the key on disk go with the next KEK epoch.
  await eraseSubjectKey(tx, event.subjectId);
  await tx.query(
    `INSERT INTO erased_subjects (subject_id, erased_at) VALUES ($1, $2) ON CONFLICT (subject_id) DO NOTHING`,
    [event.subjectId, (event.data as { erasedAt: string }).erasedAt],
  );
};
