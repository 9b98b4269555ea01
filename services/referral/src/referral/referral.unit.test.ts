import { deciderSpec } from '@wor/test-support';
import type { ReferralCommand } from './commands';
import { REFERRAL_STATUSES, type ReferralEvent } from './events';
import { decide, evolve, initialState, isAllowed, type ReferralState } from './referral';
import {
  at,
  commands,
  events as e,
  facts,
  goalId,
  historyIn,
  now,
  referralId,
  scores,
  sealed,
  serviceId,
  taskAt,
} from './testing/fixtures';

const spec = deciderSpec({ decide, evolve, initialState });
const metadata = { now, by: 'user-1' };
const inProgress = historyIn['in-progress'];
const expectError = (name: string, message: RegExp) => (error: Error) => {
  expect(error.name).toBe(name);
  expect(error.message).toMatch(message);
};
const feedback = (moment: string, summary: object, message = null as ReturnType<typeof sealed> | null): ReferralEvent =>
  ({
    type: 'FeedbackSent',
    data: {
      referralId,
      moment,
      practiceId: 'huisarts-beterschap',
      summary: { reasonCode: null, outcome: null, activities: [], positiveHealth: null, ...summary },
      message,
      sentAt: at,
    },
  }) as unknown as ReferralEvent;

describe('Referral decider', () => {
  describe('submit', () => {
    it('requests the referral when sharing is permitted', () =>
      spec.given([]).when(commands.SubmitReferral).then([e.requested]));

    it('is refused when consent or agreement does not permit sharing, naming why', () =>
      spec
        .given([])
        .when({
          ...commands.SubmitReferral,
          data: { ...facts, sharing: { permitted: false, reason: 'the consent was withdrawn' } },
        } as ReferralCommand)
        .thenThrows(expectError('ForbiddenError', /withdrawn/)));

    it('is refused for a referral that already exists, naming its status', () =>
      spec
        .given([e.requested, e.accepted])
        .when(commands.SubmitReferral)
        .thenThrows(expectError('IllegalStateError', /already accepted/)));
  });

  describe('an order and its Task (FHIR: POST ServiceRequest, then POST Task)', () => {
    const order = { ...commands.SubmitReferral, data: { ...commands.SubmitReferral.data, withTask: false } };
    const later = { ...commands.CreateTask, metadata: { ...metadata, now: new Date(taskAt) } } as ReferralCommand;

    it('a submission without its Task is an order awaiting it', () => {
      spec
        .given([])
        .when(order as ReferralCommand)
        .then([e.ordered]);
      expect([e.ordered].reduce(evolve, initialState())).toMatchObject({ status: 'requested', awaitingTask: true });
    });

    it("creating the Task requests the referral of the recipient, with the order's facts", () =>
      spec.given([e.ordered]).when(later).then([e.taskCreated]));

    it("keeps the order's time for the ServiceRequest; the Task's is when the recipient was asked", () =>
      expect([e.ordered, e.taskCreated].reduce(evolve, initialState())).toMatchObject({
        awaitingTask: false,
        orderedAt: at,
        requestedAt: taskAt,
      }));

    it('creates the Task once, naming the Task that exists', () => {
      spec
        .given([e.ordered, e.taskCreated])
        .when(commands.CreateTask)
        .thenThrows(expectError('IllegalStateError', new RegExp(`exists already: Task/${referralId}`)));
      spec
        .given([e.requested])
        .when(commands.CreateTask)
        .thenThrows(expectError('IllegalStateError', /exists already/));
    });

    it('an order awaiting its Task takes no step', () => {
      for (const type of Object.keys(commands) as ReferralCommand['type'][])
        if (!['SubmitReferral', 'CreateTask'].includes(type))
          spec
            .given([e.ordered])
            .when(commands[type])
            .thenThrows(expectError('IllegalStateError', /awaits its Task/));
    });

    it('an order marked in error gets no Task', () =>
      spec
        .given([e.ordered, e.enteredInError])
        .when(commands.CreateTask)
        .thenThrows(expectError('IllegalStateError', /entered-in-error/)));
  });

  describe('accept or reject', () => {
    it('accepts, and the referrer hears of it', () =>
      spec
        .given([e.requested])
        .when({
          ...commands.AcceptReferral,
          data: { organisationId: 'welzijn-beterstad', feedbackMessage: sealed('welkom') },
        } as ReferralCommand)
        .then([
          {
            type: 'ReferralAccepted',
            data: { referralId, organisationId: 'welzijn-beterstad', acceptedAt: at, acceptedBy: 'user-1' },
          },
          feedback('acceptance', { status: 'accepted' }, sealed('welkom')),
        ]));

    it('rejects with a reason, and the referrer hears the reason', () =>
      spec
        .given([e.requested])
        .when(commands.RejectReferral)
        .then([
          {
            type: 'ReferralRejected',
            data: {
              referralId,
              organisationId: 'welzijn-beterstad',
              reason: 'no-capacity',
              rejectedAt: at,
              rejectedBy: 'user-1',
            },
          },
          feedback('rejection', { status: 'rejected', reasonCode: 'no-capacity' }),
        ]));

    it('only the receiving organisation answers', () =>
      spec
        .given([e.requested])
        .when({
          ...commands.AcceptReferral,
          data: { organisationId: 'welzijn-elders', feedbackMessage: null },
        } as ReferralCommand)
        .thenThrows(expectError('ForbiddenError', /welzijn-beterstad/)));
  });

  describe('coach', () => {
    it('assigns the first coach', () =>
      spec
        .given([e.requested, e.accepted])
        .when({ ...commands.AssignCoach, data: { coachId: 'coach-anna' } } as ReferralCommand)
        .then([e.coachAssigned]));

    it('reassigns, remembering the previous coach', () =>
      spec
        .given(historyIn.accepted)
        .when(commands.AssignCoach)
        .then([
          {
            type: 'CoachAssigned',
            data: {
              referralId,
              coachId: 'coach-bram',
              previousCoachId: 'coach-anna',
              assignedAt: at,
              assignedBy: 'user-1',
            },
          },
        ]));

    it('assigning the coach who already has it changes nothing', () =>
      spec
        .given(historyIn.accepted)
        .when({ ...commands.AssignCoach, data: { coachId: 'coach-anna' } } as ReferralCommand)
        .then([]));
  });

  describe('contact attempts', () => {
    const attempt = (reached: boolean, attemptedAt = now): ReferralCommand => ({
      type: 'RecordContactAttempt',
      data: { reached, attemptedAt },
      metadata,
    });

    it('records an attempt that did not reach the patient', () =>
      spec
        .given(historyIn.accepted)
        .when(attempt(false))
        .then([
          {
            type: 'ContactAttempted',
            data: { referralId, attemptNumber: 1, reached: false, attemptedAt: at, recordedBy: 'user-1' },
          },
        ]));

    it('the first time the patient is reached is the first contact, and work is in progress', () => {
      spec
        .given([...historyIn.accepted, e.notReached])
        .when(attempt(true))
        .then([
          {
            type: 'ContactAttempted',
            data: { referralId, attemptNumber: 2, reached: true, attemptedAt: at, recordedBy: 'user-1' },
          },
          { type: 'FirstContactMade', data: { referralId, contactedAt: at } },
        ]);
      expect([...historyIn.accepted, e.reached, e.firstContact].reduce(evolve, initialState())).toMatchObject({
        status: 'in-progress',
      });
    });

    it('later contacts are just attempts', () =>
      spec
        .given(inProgress)
        .when(attempt(true))
        .then([
          {
            type: 'ContactAttempted',
            data: { referralId, attemptNumber: 2, reached: true, attemptedAt: at, recordedBy: 'user-1' },
          },
        ]));

    it('needs a coach as contact point', () =>
      spec
        .given([e.requested, e.accepted])
        .when(attempt(false))
        .thenThrows(expectError('IllegalStateError', /Assign a coach/)));

    it('cannot lie in the future or before the referral', () => {
      spec
        .given(historyIn.accepted)
        .when(attempt(false, new Date(now.getTime() + 60_000)))
        .thenThrows(expectError('ValidationError', /between/));
      spec
        .given(historyIn.accepted)
        .when(attempt(false, new Date('2026-01-01')))
        .thenThrows(expectError('ValidationError', /between/));
    });
  });

  describe('intake', () => {
    it('records Positieve Gezondheid and the goals, and the referrer hears after the intake', () =>
      spec
        .given(inProgress)
        .when({
          ...commands.RecordIntake,
          data: { ...(commands.RecordIntake.data as object), goalTexts: sealed('goals') },
        } as ReferralCommand)
        .then([
          {
            type: 'IntakeHeld',
            data: {
              referralId,
              heldOn: '2026-11-23',
              positiveHealth: scores(5),
              goals: [{ goalId, baseline: -1 }],
              goalTexts: sealed('goals'),
              recordedAt: at,
              recordedBy: 'user-1',
            },
          },
          feedback('intake', { status: 'in-progress', positiveHealth: scores(5) }),
        ]));

    it('is held once', () =>
      spec
        .given([...inProgress, e.intake])
        .when(commands.RecordIntake)
        .thenThrows(expectError('IllegalStateError', /already recorded/)));

    it('needs distinct goal ids', () =>
      spec
        .given(inProgress)
        .when({
          ...commands.RecordIntake,
          data: {
            ...(commands.RecordIntake.data as object),
            goals: [
              { goalId, baseline: -1 },
              { goalId, baseline: -2 },
            ],
          },
        } as ReferralCommand)
        .thenThrows(expectError('ValidationError', /own id/)));
  });

  describe('activities from the sociale kaart', () => {
    const link = (service: { name: string; active: boolean } | undefined): ReferralCommand => ({
      type: 'LinkActivity',
      data: { serviceId, service },
      metadata,
    });

    it('links an active service', () =>
      spec
        .given(inProgress)
        .when(link({ name: 'Wandelgroep De Blijebuurt', active: true }))
        .then([
          {
            type: 'ActivityLinked',
            data: { referralId, serviceId, name: 'Wandelgroep De Blijebuurt', linkedAt: at, linkedBy: 'user-1' },
          },
        ]));

    it('refuses a retired service', () =>
      spec
        .given(inProgress)
        .when(link({ name: 'Oud', active: false }))
        .thenThrows(expectError('ValidationError', /no longer active/)));

    it('refuses a service it does not know', () =>
      spec
        .given(inProgress)
        .when(link(undefined))
        .thenThrows(expectError('ValidationError', /unknown/)));

    it('links a service once', () =>
      spec
        .given([...inProgress, e.activityLinked])
        .when(link({ name: 'x', active: true }))
        .thenThrows(expectError('IllegalStateError', /already linked/)));
  });

  describe('hold and resume', () => {
    it('puts in-progress work on hold and resumes it in progress', () => {
      spec
        .given(inProgress)
        .when({ type: 'PutOnHold', data: { reason: 'patient-unwell' }, metadata })
        .then([
          {
            type: 'ReferralPutOnHold',
            data: { referralId, reason: 'patient-unwell', resumeTo: 'in-progress', onHoldAt: at },
          },
        ]);
      spec
        .given([...inProgress, e.onHold])
        .when(commands.Resume)
        .then([{ type: 'ReferralResumed', data: { referralId, status: 'in-progress', resumedAt: at } }]);
    });

    it('an accepted referral on hold resumes as accepted', () =>
      spec
        .given([...historyIn.accepted, { ...e.onHold, data: { ...e.onHold.data, resumeTo: 'accepted' } }])
        .when(commands.Resume)
        .then([{ type: 'ReferralResumed', data: { referralId, status: 'accepted', resumedAt: at } }]));
  });

  describe('closure', () => {
    const complete = (gasScores: { goalId: string; score: number }[]): ReferralCommand => ({
      type: 'CompleteReferral',
      data: {
        outcome: 'linked-to-activity',
        positiveHealth: scores(7),
        gasScores,
        coachHours: 8,
        feedbackMessage: null,
      },
      metadata,
    });

    it('completes with the outcome measures, and tells the referrer what was done', () =>
      spec
        .given([...inProgress, e.intake, e.activityLinked])
        .when(complete([{ goalId, score: 1 }]))
        .then([
          e.completed,
          feedback('closure', {
            status: 'completed',
            outcome: 'linked-to-activity',
            positiveHealth: scores(7),
            activities: [{ serviceId, name: 'Wandelgroep De Blijebuurt' }],
          }),
        ]));

    it('needs a GAS score for every goal agreed, and none for other goals', () => {
      spec
        .given([...inProgress, e.intake])
        .when(complete([]))
        .thenThrows(expectError('ValidationError', /missing: 3f0e2a1c/));
      spec
        .given([...inProgress, e.intake])
        .when(
          complete([
            { goalId, score: 1 },
            { goalId: serviceId, score: 0 },
          ]),
        )
        .thenThrows(expectError('ValidationError', /not agreed/));
    });

    it('fails with a reason, and the referrer hears it', () =>
      spec
        .given(historyIn.accepted)
        .when(commands.FailReferral)
        .then([
          { type: 'ReferralFailed', data: { referralId, reason: 'declined', coachHours: 1, failedAt: at } },
          feedback('closure', { status: 'failed', reasonCode: 'declined' }),
        ]));

    describe('not reachable', () => {
      const notReachable: ReferralCommand = {
        type: 'FailReferral',
        data: { reason: 'not-reachable', coachHours: 2, notReachableAfterAttempts: 2, feedbackMessage: null },
        metadata,
      };
      const missed = (n: number) => ({ ...e.notReached, data: { ...e.notReached.data, attemptNumber: n } });

      it('only after the configured number of unsuccessful attempts', () => {
        spec
          .given([...historyIn.accepted, missed(1)])
          .when(notReachable)
          .thenThrows(expectError('IllegalStateError', /after 2 unsuccessful contact attempts; 1 recorded/));
        spec
          .given([...historyIn.accepted, missed(1), missed(2)])
          .when(notReachable)
          .then([
            { type: 'ReferralFailed', data: { referralId, reason: 'not-reachable', coachHours: 2, failedAt: at } },
            feedback('closure', { status: 'failed', reasonCode: 'not-reachable' }),
          ]);
      });

      it('not once the patient was reached', () =>
        spec
          .given([...inProgress, missed(2), missed(3)])
          .when(notReachable)
          .thenThrows(expectError('IllegalStateError', /was reached/)));
    });

    it("the referrer cancels without feedback; a cancellation on the patient's request is reported back", () => {
      spec.given([e.requested]).when(commands.CancelReferral).then([e.cancelled]);
      spec
        .given(inProgress)
        .when({ type: 'CancelReferral', data: { cancelledBy: 'patient-request', feedbackMessage: null }, metadata })
        .then([
          { type: 'ReferralCancelled', data: { referralId, cancelledBy: 'patient-request', cancelledAt: at } },
          feedback('closure', { status: 'cancelled' }),
        ]);
    });

    it('marks a referral entered in error from any status', () =>
      spec.given(historyIn.completed).when(commands.MarkEnteredInError).then([e.enteredInError]));
  });

  describe('every command in every status', () => {
    const cases = REFERRAL_STATUSES.flatMap((status) =>
      (Object.keys(commands) as ReferralCommand['type'][]).map(
        (type) =>
          [status, type, isAllowed(type, historyIn[status].reduce(evolve, initialState()) as ReferralState)] as const,
      ),
    );

    it.each(cases)('in %s, %s is %s', (status, type, allowed) => {
      const run = () => decide(commands[type], historyIn[status].reduce(evolve, initialState()));
      if (allowed) {
        expect(run).not.toThrow();
        return;
      }
      let error: Error | undefined;
      try {
        run();
      } catch (thrown) {
        error = thrown as Error;
      }
      expect(error?.name).toBe('IllegalStateError');
      // The refusal names the status the referral is in.
      expect(error?.message).toContain(
        status === 'requested' && type === 'SubmitReferral'
          ? 'already requested'
          : status === 'requested' && type === 'CreateTask'
            ? 'exists already' // these referrals came with their Task
            : status,
      );
    });

    it('the history of each status really ends in it', () => {
      for (const status of REFERRAL_STATUSES)
        expect(historyIn[status].reduce(evolve, initialState())).toMatchObject({ status });
    });

    it('a referral that does not exist takes only a submission', () => {
      for (const type of Object.keys(commands) as ReferralCommand['type'][])
        if (type !== 'SubmitReferral') expect(() => decide(commands[type], initialState())).toThrow(/No such referral/);
    });
  });
});
