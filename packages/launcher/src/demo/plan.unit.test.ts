import { PRACTICES, richPlan, testBsn } from './plan';

const today = new Date('2026-12-02T10:00:00Z');

describe('the rich demo plan', () => {
  const plan = richPlan(today);
  const beterstad = plan.referrals.filter((r) => r.municipality === 'GM9999');

  it('is the same on every start (seeded)', () => {
    expect(JSON.stringify(richPlan(today))).toBe(JSON.stringify(plan));
  });

  it('gives the three practices 17, 15 and 28 referrals of about 60, all in the year and before today', () => {
    expect(beterstad).toHaveLength(60);
    const per = (id: string) => beterstad.filter((r) => r.practiceId === id).length;
    expect(PRACTICES.slice(0, 3).map((p) => per(p.id))).toEqual([17, 15, 28]);
    for (const r of plan.referrals) {
      expect(r.requestedAt.getUTCFullYear()).toBe(2026);
      expect(r.requestedAt.getTime()).toBeLessThan(today.getTime());
    }
    expect(new Set(beterstad.map((r) => r.requestedAt.getUTCMonth())).size).toBeGreaterThanOrEqual(11);
  });

  it('covers every path of the chain', () => {
    const kinds = new Set(beterstad.flatMap((r) => r.steps.map((s) => s.kind)));
    expect([...kinds].sort()).toEqual(
      [
        'accept',
        'activity',
        'assign',
        'attempt',
        'cancel',
        'complete',
        'fail',
        'hold',
        'intake',
        'reject',
        'resume',
      ].sort(),
    );
    const last = (kind: string) => beterstad.map((r) => r.steps.at(-1)).filter((s) => s?.kind === kind);
    const detail = (kind: string, key: string) =>
      new Set(last(kind).map((s) => (s as unknown as Record<string, string>)[key]));
    expect(detail('complete', 'outcome')).toEqual(
      new Set(['linked-to-activity', 'activity-continued', 'goals-reached', 'other']),
    );
    expect(detail('fail', 'reason')).toEqual(new Set(['declined', 'not-reachable', 'dropped-out', 'onward-referral']));
    expect(detail('reject', 'reason')).toEqual(new Set(['outside-target-group', 'outside-area', 'no-capacity']));
    expect(detail('cancel', 'by')).toEqual(new Set(['referrer', 'organisation']));
    expect(last('hold')).toHaveLength(3);
    expect(beterstad.filter((r) => r.steps.length === 0).length).toBeGreaterThanOrEqual(4);
    for (const s of last('complete')) expect((s as { hours: number }).hours).toBeGreaterThanOrEqual(7);
    for (const s of last('complete')) expect((s as { hours: number }).hours).toBeLessThanOrEqual(10);
  });

  it('uses distinct test BSNs that pass the elfproef', () => {
    const bsns = plan.referrals.map((r) => r.patient.bsn);
    expect(new Set(bsns).size).toBe(bsns.length);
    for (const bsn of [...bsns, testBsn(1)]) {
      const sum = [...bsn].reduce((s, d, k) => s + Number(d) * (k === 8 ? -1 : 9 - k), 0);
      expect(sum % 11).toBe(0);
    }
  });
});
