import { exampleCapacityPlanned } from './examples';
import { isReferralEvent, parseIntegrationEvent } from './registry';

describe('CapacityPlanned.v1', () => {
  const planned = exampleCapacityPlanned();

  it('is a referral-service event with plain figures: no subject, no municipality', () => {
    const result = parseIntegrationEvent(planned);
    expect(result).toEqual({ ok: true, event: planned });
    expect(isReferralEvent(planned)).toBe(true);
    expect(planned).toMatchObject({ subjectId: null, municipality: null });
  });

  it('names a month that is not one, and refuses who planned it', () => {
    const badMonth = parseIntegrationEvent({ ...planned, data: { ...planned.data, month: '2026-13' } });
    expect(!badMonth.ok && badMonth.reason).toMatch(/^invalid CapacityPlanned\.v1: data\.month/);
    const withUser = parseIntegrationEvent({ ...planned, data: { ...planned.data, setBy: 'coordinator-1' } });
    expect(withUser.ok).toBe(false);
  });
});
