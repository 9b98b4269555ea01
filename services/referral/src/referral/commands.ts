// Commands on a referral. The HTTP edge validates shapes; the decider enforces the rules that need
// the referral's history (status, coach, goals, attempts).
import type {
  CancellationSource,
  CompletionOutcome,
  FailureReason,
  HoldReason,
  PositiveHealthScores,
  RejectionReason,
} from '@wor/contracts';
import type { SealedPersonalData } from '@wor/privacy';
import type { GasScoreOfGoal, Goal, ReferralFacts } from './events';

/** The access decision made before a referral was accepted in: consent and agreement. */
export type SharingPermission = Readonly<{ permitted: boolean; reason: string | null }>;

/** Social-map service as the referral service's own view knows it; undefined when unknown. */
export type KnownService = Readonly<{ name: string; active: boolean }>;

type C<T extends string, D> = Readonly<{ type: T; data: Readonly<D>; metadata: Readonly<{ now: Date; by: string }> }>;

export type ReferralCommand =
  /** withTask: the Task comes with it (REST, a transaction); without, the order awaits its Task (CreateTask). */
  | C<'SubmitReferral', ReferralFacts & { sharing: SharingPermission; withTask: boolean }>
  | C<'CreateTask', Record<string, never>>
  | C<
      'AcceptReferral',
      {
        organisationId: string;
        feedbackMessage: SealedPersonalData | null;
        /** Read from the sealed contact preference (gp-only) when the step is built; never stored as such. */
        contactThroughGp: boolean;
      }
    >
  | C<'RejectReferral', { organisationId: string; reason: RejectionReason; feedbackMessage: SealedPersonalData | null }>
  | C<'AssignCoach', { coachId: string }>
  | C<'RecordContactAttempt', { reached: boolean; attemptedAt: Date }>
  | C<
      'RecordIntake',
      {
        heldOn: string;
        positiveHealth: PositiveHealthScores;
        goals: Goal[];
        goalTexts: SealedPersonalData | null;
        feedbackMessage: SealedPersonalData | null;
      }
    >
  | C<'LinkActivity', { serviceId: string; service: KnownService | undefined }>
  | C<'PutOnHold', { reason: HoldReason }>
  | C<'Resume', Record<string, never>>
  | C<
      'CompleteReferral',
      {
        outcome: CompletionOutcome;
        positiveHealth: PositiveHealthScores | null;
        gasScores: GasScoreOfGoal[];
        coachHours: number;
        feedbackMessage: SealedPersonalData | null;
        /** Procedures recorded for this referral (procedure/), checked by the step. */
        procedureIds?: readonly string[];
      }
    >
  | C<
      'FailReferral',
      {
        reason: FailureReason;
        coachHours: number;
        notReachableAfterAttempts: number;
        feedbackMessage: SealedPersonalData | null;
      }
    >
  | C<'CancelReferral', { cancelledBy: CancellationSource; feedbackMessage: SealedPersonalData | null }>
  | C<'MarkEnteredInError', Record<string, never>>;

export type ReferralCommandType = ReferralCommand['type'];
