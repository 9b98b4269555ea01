// The municipality's own key-user appoints and revokes colleague key-users; every key-user of the
// municipality sees who is appointed. Ids are account ids (token subjects), never names.
import { handleCommand } from '@wor/event-store';
import { callerOf, parseBody, parseParams, requestEventMetadata, requireRole } from '@wor/service-kit';
import type { Router } from 'express';
import { z } from 'zod';
import { callerMunicipality, loadKeyUsers, requireMapKeeper, type MapContext } from '../context';
import { keyUsersDecider, keyUsersStreamId } from './key-users';

const AccountId = z.string().trim().min(1).max(200);
export const AppointBody = z.object({ key_user_id: AccountId }).strict();
export const KeyUserParams = z.object({ keyUserId: AccountId }).strict();

export const keyUserRoutes =
  (ctx: MapContext) =>
  (router: Router): void => {
    const { store, deps } = ctx;

    router.get('/key-users', requireRole('key-user'), async (_req, res) => {
      const caller = callerOf(res);
      const municipality = callerMunicipality(caller);
      await requireMapKeeper(ctx, caller, municipality);
      const { active } = await loadKeyUsers(store, municipality);
      res.json({
        municipality,
        key_users: Object.entries(active).map(([id, a]) => ({
          key_user_id: id,
          appointed_at: a.appointedAt,
          appointed_by: a.appointedBy,
        })),
      });
    });

    router.post('/key-users', requireRole('key-user'), async (req, res) => {
      const { key_user_id } = parseBody(AppointBody, req);
      const caller = callerOf(res);
      const municipality = callerMunicipality(caller);
      const { newEvents } = await handleCommand(
        store,
        keyUsersStreamId(municipality),
        keyUsersDecider,
        {
          type: 'AppointKeyUser',
          data: {
            municipality,
            keyUserId: key_user_id,
            actor: { subject: caller.subject, municipalAccount: caller.municipalAccount === true },
          },
          metadata: { now: deps.now() },
        },
        { metadata: requestEventMetadata(caller) },
      );
      res.status(newEvents.length > 0 ? 201 : 200).json({ key_user_id, municipality, status: 'appointed' });
    });

    router.delete('/key-users/:keyUserId', requireRole('key-user'), async (req, res) => {
      const { keyUserId } = parseParams(KeyUserParams, req);
      const caller = callerOf(res);
      const municipality = callerMunicipality(caller);
      await handleCommand(
        store,
        keyUsersStreamId(municipality),
        keyUsersDecider,
        {
          type: 'RevokeKeyUser',
          data: {
            municipality,
            keyUserId,
            actor: { subject: caller.subject, municipalAccount: caller.municipalAccount === true },
          },
          metadata: { now: deps.now() },
        },
        { metadata: requestEventMetadata(caller) },
      );
      res.json({ key_user_id: keyUserId, municipality, status: 'revoked' });
    });
  };
