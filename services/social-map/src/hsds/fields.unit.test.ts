import { completeDataSet } from '../testing/hsds-data-set';
import { ServiceBody } from './input';
import { fieldProblems } from './fields';
import { OrganizationSchema } from './schemas';

describe('HSDS fields', () => {
  it('knows every field of every HSDS entity (a complete data set has no unknown field)', () => {
    const set = completeDataSet();
    expect(fieldProblems('organization', set.organizations[0])).toEqual([]);
    expect(fieldProblems('service', set.services[0])).toEqual([]);
    expect(fieldProblems('taxonomy_term', set.taxonomy_terms[0])).toEqual([]);
  });

  it('a key-user body with a misspelt field is refused, nested too; NUL characters are refused', () => {
    const body = { organization_id: '2b6f8f8e-3c1a-4f51-9d8e-1f2a3b4c5d6e', name: 'Koor', status: 'active' };
    expect(ServiceBody.safeParse(body).success).toBe(true);
    const typo = ServiceBody.safeParse({ ...body, descripton: 'x', phones: [{ number: '1', extention: 2 }] });
    expect(typo.success ? [] : typo.error.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'descripton',
      'phones.0.extention',
    ]);
    const nul = ServiceBody.safeParse({ ...body, alert: 'a\u0000b' });
    expect(nul.success ? [] : nul.error.issues.map((i) => i.message)).toEqual(['a NUL character is not text']);
  });

  it('a field named like an Object method (valueOf, constructor, __proto__) is an unknown field, not a crash', () => {
    for (const key of ['valueOf', 'constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      const body = JSON.parse(`{"${key}": {}}`) as unknown;
      expect(fieldProblems('location', body)).toEqual([
        { path: [key], kind: 'unknown', message: 'not an HSDS 3.0 field of location' },
      ]);
      expect(fieldProblems('organization', { locations: [body] }).map((p) => p.path)).toEqual([['locations', 0, key]]);
    }
  });

  it('the HSDS output schema flags a field named like an inherited member as no HSDS field', () => {
    const organization = { ...completeDataSet().organizations[0], municipality: 'GM0001' };
    expect(OrganizationSchema.safeParse(organization).success).toBe(true);
    const odd = OrganizationSchema.safeParse({ ...organization, constructor: 'x' });
    expect(odd.success ? [] : odd.error.issues.map((i) => i.path.join('.'))).toEqual(['constructor']);
  });
});
