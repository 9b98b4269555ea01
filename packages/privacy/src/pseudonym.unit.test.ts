import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { isSubjectId, normaliseIdentifier, pseudonymise } from './pseudonym';

const SECRET = 'pseudonym-secret-for-tests';

describe('pseudonymise', () => {
  it('is sub_ + the first 32 hex of HMAC-SHA256(secret, normalised identifier)', () => {
    const expected = createHmac('sha256', SECRET).update('123456782').digest('hex').slice(0, 32);
    expect(pseudonymise('123456782', SECRET)).toBe(`sub_${expected}`);
  });

  it('matches the contracts SubjectId pattern', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((s) => normaliseIdentifier(s) !== ''),
        (id) => /^sub_[0-9a-f]{32}$/.test(pseudonymise(id, SECRET)),
      ),
    );
    expect(isSubjectId(pseudonymise('x', SECRET))).toBe(true);
  });

  it('ignores surrounding whitespace, inner spaces and dots', () => {
    const id = pseudonymise('123456782', SECRET);
    expect(pseudonymise(' 1234.56.782 ', SECRET)).toBe(id);
    expect(pseudonymise('1234 56 782', SECRET)).toBe(id);
    expect(pseudonymise('123456783', SECRET)).not.toBe(id);
  });

  it('depends on the secret', () => {
    expect(pseudonymise('123456782', SECRET)).not.toBe(pseudonymise('123456782', 'another-secret'));
  });

  it('refuses empty identifiers and secrets', () => {
    expect(() => pseudonymise(' . ', SECRET)).toThrow(/identifier/);
    expect(() => pseudonymise('123456782', '')).toThrow(/secret/);
  });
});
