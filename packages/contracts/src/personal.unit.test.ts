import { Bsn, EmailAddress, isValidBsn } from './personal';

describe('BSN', () => {
  it.each(['123456782', '999990019', '111222333', '555555550'])('accepts %s (passes the elfproef)', (bsn) => {
    expect(isValidBsn(bsn)).toBe(true);
    expect(Bsn.safeParse(bsn).success).toBe(true);
  });

  it.each(['123456789', '123456783', '000000000', '12345678', '1234567820', '12345678a'])('refuses %s', (bsn) => {
    expect(isValidBsn(bsn)).toBe(false);
    expect(Bsn.safeParse(bsn).success).toBe(false);
  });

  it('names the elfproef in its message', () => {
    expect(Bsn.safeParse('123456789').error?.issues[0]?.message).toMatch(/elfproef/);
  });
});

describe('e-mail address', () => {
  it('is at most 254 characters', () => {
    const local = 'a'.repeat(64);
    const domain = `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.nl`;
    expect(EmailAddress.safeParse(`${local}@example.org`).success).toBe(true);
    expect(EmailAddress.safeParse(`${local}@${domain}`).success).toBe(false);
    expect(EmailAddress.safeParse(`${'x'.repeat(90_000)}@example.org`).success).toBe(false);
  });
});

it('gives one message per mistake', () => {
  expect(Bsn.safeParse('12345678').error?.issues.map((i) => i.message)).toEqual(['a BSN of 9 digits']);
});
