// Who may read a client's personal details (AVG data minimisation, NEN 7510/7513 need-to-know): a
// pure rule, so the decider test and the route agree on every case.
import type { PersonalDetailsPolicy } from './settings';

/** Why a coach who is not the referral's takes over the client: a code, never free text about the person. */
export const TAKEOVER_REASONS = ['vervanging', 'urgent-contact'] as const;
export type TakeoverReason = (typeof TAKEOVER_REASONS)[number];

export type Reader = Readonly<{ userId: string; coordinator: boolean }>;

export type NeedToKnowVerdict =
  | { allowed: true; declared: false }
  | { allowed: true; declared: true; reason: TakeoverReason }
  | { allowed: false; reason: string };

export const NOT_THE_COACH = "need-to-know: not the referral's coach";

export const decideNeedToKnow = (
  policy: PersonalDetailsPolicy,
  reader: Reader,
  assignedCoachId: string | null,
  declaration?: TakeoverReason,
): NeedToKnowVerdict => {
  if (reader.coordinator || policy === 'organisation' || reader.userId === assignedCoachId)
    return { allowed: true, declared: false };
  if (declaration) return { allowed: true, declared: true, reason: declaration };
  return { allowed: false, reason: NOT_THE_COACH };
};

/** The access log's reason for a declared read (NEN 7513 emergency access). */
export const declaredReason = (reason: TakeoverReason): string => `declared takeover: ${reason}`;
