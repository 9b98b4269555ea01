import { ForbiddenError, NotFoundError } from '@wor/event-store';
import type { Caller } from '@wor/service-kit';
import { deciderSpec } from '@wor/test-support';
import { mayEditMap } from './access';
import { decide, evolve, initialState, type KeyUserEvent } from './key-users';

const spec = deciderSpec({ decide, evolve, initialState });
const now = new Date('2026-11-23T10:00:00.000Z');
const municipal = { subject: 'ku-gemeente', municipalAccount: true };
const colleague = { subject: 'ku-collega', municipalAccount: false };
const appointed: KeyUserEvent = {
  type: 'KeyUserAppointed',
  data: { municipality: 'GM9999', keyUserId: 'ku-collega', appointedAt: now.toISOString(), appointedBy: 'ku-gemeente' },
};
const revoked: KeyUserEvent = {
  type: 'KeyUserRevoked',
  data: { municipality: 'GM9999', keyUserId: 'ku-collega', revokedAt: now.toISOString(), revokedBy: 'ku-gemeente' },
};

describe('Key-users of a municipality', () => {
  it('the municipal key-user appoints a colleague without a municipal account', () =>
    spec
      .given([])
      .when({
        type: 'AppointKeyUser',
        data: { municipality: 'GM9999', keyUserId: 'ku-collega', actor: municipal },
        metadata: { now },
      })
      .then([appointed]));

  it('appointing twice changes nothing', () =>
    spec
      .given([appointed])
      .when({
        type: 'AppointKeyUser',
        data: { municipality: 'GM9999', keyUserId: 'ku-collega', actor: municipal },
        metadata: { now },
      })
      .then([]));

  it('a colleague key-user cannot appoint or revoke', () => {
    spec
      .given([appointed])
      .when({
        type: 'AppointKeyUser',
        data: { municipality: 'GM9999', keyUserId: 'ku-derde', actor: colleague },
        metadata: { now },
      })
      .thenThrows((error) => expect(error).toBeInstanceOf(ForbiddenError));
    spec
      .given([appointed])
      .when({
        type: 'RevokeKeyUser',
        data: { municipality: 'GM9999', keyUserId: 'ku-collega', actor: colleague },
        metadata: { now },
      })
      .thenThrows((error) => expect(error).toBeInstanceOf(ForbiddenError));
  });

  it('the municipal key-user revokes an appointment; revoking one that is not there is 404', () => {
    spec
      .given([appointed])
      .when({
        type: 'RevokeKeyUser',
        data: { municipality: 'GM9999', keyUserId: 'ku-collega', actor: municipal },
        metadata: { now },
      })
      .then([revoked]);
    spec
      .given([appointed, revoked])
      .when({
        type: 'RevokeKeyUser',
        data: { municipality: 'GM9999', keyUserId: 'ku-collega', actor: municipal },
        metadata: { now },
      })
      .thenThrows((error) => expect(error).toBeInstanceOf(NotFoundError));
  });
});

describe("who may change a municipality's map", () => {
  const keyUser = (subject: string, municipality: string, municipalAccount?: boolean): Caller => ({
    subject,
    roles: ['key-user'],
    municipality,
    ...(municipalAccount ? { municipalAccount } : {}),
  });
  const none = initialState();
  const withColleague = [appointed].reduce(evolve, none);
  const afterRevoke = [appointed, revoked].reduce(evolve, none);

  it("the municipality's own key-user (municipal account): yes", () =>
    expect(mayEditMap(keyUser('ku-gemeente', 'GM9999', true), 'GM9999', none)).toEqual({ allowed: true }));

  it('an appointed colleague of the same municipality: yes', () =>
    expect(mayEditMap(keyUser('ku-collega', 'GM9999'), 'GM9999', withColleague)).toEqual({ allowed: true }));

  it('a key-user of another municipality: no, even with a municipal account', () =>
    expect(mayEditMap(keyUser('ku-elders', 'GM0001', true), 'GM9999', withColleague)).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/own municipality/),
    }));

  it('a colleague who was never appointed, or whose appointment was revoked: no', () => {
    expect(mayEditMap(keyUser('ku-collega', 'GM9999'), 'GM9999', none)).toMatchObject({ allowed: false });
    expect(mayEditMap(keyUser('ku-collega', 'GM9999'), 'GM9999', afterRevoke)).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/no longer/),
    });
  });

  it('someone without the key-user role: no', () =>
    expect(
      mayEditMap(
        { subject: 'coach-anna', roles: ['coach'], municipality: 'GM9999', municipalAccount: true },
        'GM9999',
        none,
      ),
    ).toMatchObject({ allowed: false }));
});
