import { IllegalStateError } from '@wor/event-store';
import type { ReferralStatus } from '../referral/events';
import {
  initialProcedures,
  proceduresDecider,
  referralIdOfProcedure,
  type ProcedureEvent,
  type RecordProcedure,
} from './procedure';

const referralId = '7d6f0c1e-6a2b-4c3d-9e8f-0a1b2c3d4e5f';
const record = (status: ReferralStatus): RecordProcedure => ({
  type: 'RecordProcedure',
  data: {
    status: 'completed',
    code: [{ system: 'http://snomed.info/sct', code: '410290000' }],
    category: [],
    statusReason: [],
    performed: { dateTime: '2026-12-01' },
    referral: { referralId, subjectId: 'sub_1', status, organisationId: 'welzijn-beterstad' },
  },
  metadata: { now: new Date('2026-12-01T10:00:00Z'), by: 'coach-anna' },
});

describe('the procedures of a referral (pure decider)', () => {
  it('numbers Procedures within their referral, so the id names the stream it lives in', () => {
    let state = initialProcedures();
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const [event] = proceduresDecider.decide(record('in-progress'), state) as [ProcedureEvent];
      state = proceduresDecider.evolve(state, event);
      ids.push(event.data.procedureId);
    }
    expect(ids).toEqual([`${referralId}-1`, `${referralId}-2`]);
    expect(ids.map(referralIdOfProcedure)).toEqual([referralId, referralId]);
    expect(state.procedures[1]).toMatchObject({
      organisationId: 'welzijn-beterstad',
      recordedBy: 'coach-anna',
      version: 0,
    });
  });

  it.each(['requested', 'completed', 'failed', 'cancelled', 'rejected', 'entered-in-error'] as const)(
    'refuses a Procedure while the referral is %s, naming it',
    (status) => {
      expect(() => proceduresDecider.decide(record(status), initialProcedures())).toThrow(IllegalStateError);
      expect(() => proceduresDecider.decide(record(status), initialProcedures())).toThrow(`'${status}'`);
    },
  );

  it('reads no referral id from other ids', () => {
    expect([
      referralIdOfProcedure(referralId),
      referralIdOfProcedure(`${referralId}-0`),
      referralIdOfProcedure('x-1'),
    ]).toEqual([undefined, undefined, undefined]);
  });
});
