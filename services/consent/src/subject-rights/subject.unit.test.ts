import { deciderSpec } from '@wor/test-support';
import { decide, evolve, initialState, type SubjectEvent } from './subject';

const spec = deciderSpec({ decide, evolve, initialState });
const now = new Date('2026-11-23T10:00:00.000Z');
const subjectId = `sub_${'1'.repeat(32)}`;
const erased: SubjectEvent = {
  type: 'SubjectErased',
  data: { subjectId, erasedAt: now.toISOString(), erasedBy: 'po-1', keyDestroyed: true },
};

describe('Subject erasure', () => {
  it('records the erasure and whether a key was destroyed', () =>
    spec
      .given([])
      .when({ type: 'EraseSubject', data: { subjectId, by: 'po-1', keyDestroyed: true }, metadata: { now } })
      .then([erased]));

  it('is refused the second time', () =>
    spec
      .given([erased])
      .when({ type: 'EraseSubject', data: { subjectId, by: 'po-1', keyDestroyed: false }, metadata: { now } })
      .thenThrows((e) => expect(e.message).toMatch(/already erased/)));
});
