// The need-to-know endpoints: a coach's declared takeover of a colleague's client (vervanging, urgent
// contact), and the organisation's setting of who reads personal details, kept by this service.
import { handleCommand, type EventStore } from '@wor/event-store';
import { OrganisationId } from '@wor/contracts';
import {
  callerOf,
  forbidden,
  hasRole,
  parseBody,
  parseParams,
  requestEventMetadata,
  requireRole,
  type Caller,
} from '@wor/service-kit';
import type { Response, Router } from 'express';
import { z } from 'zod';
import { etagOf, type Referrals } from '../referral/application';
import { actorOf, sendPersonalDetails } from '../referral/api';
import { TAKEOVER_REASONS } from './need-to-know';
import { PERSONAL_DETAILS_POLICIES, readSettings, settingsDecider, settingsStreamId } from './settings';

const ReferralParams = z.object({ referralId: z.uuid() });
export const Declaration = z.object({ reason: z.enum(TAKEOVER_REASONS) }).strict();

const OrganisationParams = z.object({ organisationId: OrganisationId });
export const SettingsBody = z.object({ personalDetails: z.enum(PERSONAL_DETAILS_POLICIES) }).strict();

/** A coordinator keeps their own organisation's settings; an admin any organisation's. */
const assertKeeper = (caller: Caller, organisationId: string): void => {
  if (hasRole(caller, 'admin')) return;
  if (caller.organisationId !== organisationId)
    throw forbidden("A coordinator keeps only their own organisation's settings.");
};

const sendSettings = (res: Response, organisationId: string, s: { personalDetails: string; version: number }) =>
  void res.setHeader('ETag', etagOf(s.version)).json({ organisationId, personalDetails: s.personalDetails });

export const needToKnowRoutes =
  ({ referrals, store, now }: { referrals: Referrals; store: EventStore; now: () => Date }) =>
  (router: Router): void => {
    // A declared read: allowed to any coach of the organisation, logged with NEN 7513's emergency-access flag.
    router.post(
      '/referrals/:referralId/personal-details/declared-read',
      requireRole('coach', 'coordinator'),
      async (req, res) => {
        const { referralId } = parseParams(ReferralParams, req);
        const { reason } = parseBody(Declaration, req);
        const loaded = await referrals.personalDetails(referralId, actorOf(res, ['coach', 'coordinator']), {
          coordinator: hasRole(callerOf(res), 'coordinator'),
          declaration: reason,
        });
        sendPersonalDetails(res, referralId, loaded);
      },
    );

    router.get('/organisations/:organisationId/settings', requireRole('coordinator', 'admin'), async (req, res) => {
      const { organisationId } = parseParams(OrganisationParams, req);
      assertKeeper(callerOf(res), organisationId);
      sendSettings(res, organisationId, await readSettings(store, organisationId));
    });

    router.put('/organisations/:organisationId/settings', requireRole('coordinator', 'admin'), async (req, res) => {
      const { organisationId } = parseParams(OrganisationParams, req);
      const caller = callerOf(res);
      assertKeeper(caller, organisationId);
      const { personalDetails } = parseBody(SettingsBody, req);
      const result = await handleCommand(
        store,
        settingsStreamId(organisationId),
        settingsDecider,
        {
          type: 'SetPersonalDetailsPolicy',
          data: { organisationId, policy: personalDetails, by: caller.subject },
          metadata: { now: now() },
        },
        { metadata: requestEventMetadata(caller) },
      );
      sendSettings(res, organisationId, { ...result.newState, version: Number(result.nextExpectedVersion) });
    });
  };
