// What an art. 17 erasure guarantees, and from when: stated once, in the erasure's answer and the
// art. 15 report of an erased person, and in the same words in docs/privacy.md (a test compares them).
import { FOLLOW_UP_INTERVAL_MS, type FollowUpStatus } from '@wor/privacy';

const seconds = FOLLOW_UP_INTERVAL_MS / 1000;

export const ERASURE_GUARANTEE = {
  atOnce:
    "The person's subject key is deleted, here at once and in the referral service as soon as it receives SubjectErased (seconds): no interface of the platform shows their personal data any more, and every sealed copy in events, read models, Kafka and logs is unreadable.",
  afterFollowUp: `The follow-up runs automatically, here right after the erasure and in every service holding subject keys within ${seconds} seconds of learning of it: a new key-encryption key re-wraps the remaining subject keys and the old one is destroyed. From then on the copies of the deleted key that PostgreSQL keeps in its WAL and dead tuples cannot be unwrapped with any key the platform holds or can reach, the master key included.`,
  backups:
    "A database backup or WAL archive taken before the follow-up, together with the keyring backup of the same time, still holds the person's data until the operator's retention deletes that backup (docs/operations.md: at most 35 days).",
} as const;

/** This service's part of the follow-up, for the answers. */
export const followUpView = (status: FollowUpStatus) => ({
  consent: status.pending ? 'pending' : 'done',
  lastRotationAt: status.lastRotationAt,
});
