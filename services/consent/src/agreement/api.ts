// The registry of data-sharing agreements, kept by privacy officers.
import { ConsentPurpose, DataCategory, OrganisationId } from '@wor/contracts';
import { handleCommand, NotFoundError, type EventStore } from '@wor/event-store';
import {
  type Caller,
  callerOf,
  hasRole,
  parseBody,
  parseParams,
  parseQuery,
  requestEventMetadata,
  requireRole,
  type ServiceDeps,
} from '@wor/service-kit';
import type { Pool } from 'pg';
import type { Router } from 'express';
import { z } from 'zod';
import { agreementStreamId, decide, evolve, initialState, type AgreementCommand } from './agreement';
import { logOwnAccess, NOT_A_PARTY } from '../access-log/own-access';
import { projectNow } from '../read-your-writes';
import { agreementView, projectAgreement, type AgreementRow } from './projection';

const at = z.iso.datetime({ offset: true });

export const DraftBody = z
  .object({
    agreementId: z.uuid(),
    kind: z.enum(['samenwerkingsovereenkomst', 'verwerkersovereenkomst']),
    title: z.string().min(1).max(200),
    parties: z
      .array(
        z
          .object({ organisationId: OrganisationId, role: z.enum(['controller', 'joint-controller', 'processor']) })
          .strict(),
      )
      .min(2)
      .max(50),
    legalBasis: z
      .object({
        article6: z.enum([
          'a-consent',
          'b-contract',
          'c-legal-obligation',
          'd-vital-interests',
          'e-public-task',
          'f-legitimate-interests',
        ]),
        article9Exception: z.enum(['a-explicit-consent', 'h-health-care', 'g-substantial-public-interest']).nullable(),
      })
      .strict(),
    purposes: z.array(ConsentPurpose).min(1),
    dataCategories: z.array(DataCategory).min(1),
    recipientOrganisationIds: z.array(OrganisationId).min(1).max(50),
    validFrom: at,
    validUntil: at.nullable(),
    retentionMonths: z.number().int().min(0).max(1200),
    processingRegisterReference: z.string().min(1).max(100),
  })
  .strict();

const Params = z.object({ agreementId: z.uuid() });
export const ListQuery = z.object({
  organisationId: OrganisationId.optional(),
  status: z.enum(['draft', 'active', 'expired', 'terminated']).optional(),
});
export const ExpiringQuery = z.object({ withinDays: z.coerce.number().int().min(1).max(3650).default(60) });

const decider = { decide, evolve, initialState };

export const runAgreementCommand = async (
  store: EventStore,
  command: AgreementCommand,
  metadata: Record<string, string> = {},
) =>
  handleCommand(store, agreementStreamId(command.data.agreementId), decider, command, {
    ...(command.type === 'DraftAgreement' ? { expectedVersion: 'no_stream' as const } : {}),
    metadata,
  });

/** Expires every active agreement past its end date (run periodically); returns how many. */
export const expireDueAgreements = async (pool: Pool, store: EventStore, now: Date): Promise<number> => {
  const { rows } = await pool.query<{ agreement_id: string }>(
    `SELECT agreement_id FROM agreements WHERE status = 'active' AND valid_until <= $1`,
    [now],
  );
  for (const { agreement_id } of rows)
    await projectNow(
      pool,
      projectAgreement,
      await runAgreementCommand(
        store,
        { type: 'ExpireAgreement', data: { agreementId: agreement_id }, metadata: { now } },
        { actor: 'system:expiry' },
      ),
    );
  return rows.length;
};

const partyOrOfficer = (caller: Caller, partyIds: readonly string[]): boolean =>
  hasRole(caller, 'privacy-officer', 'admin') ||
  (caller.organisationId !== undefined && partyIds.includes(caller.organisationId));

export const agreementRoutes =
  ({ store, deps }: { store: EventStore; deps: ServiceDeps }) =>
  (router: Router): void => {
    const officer = requireRole('privacy-officer', 'admin');
    // Object level: an organisation sees only agreements it is a party to (others are 404); officers any.
    const read = async (agreementId: string, caller?: Caller) => {
      const { rows } = await deps.pool.query<AgreementRow>('SELECT * FROM agreements WHERE agreement_id = $1', [
        agreementId,
      ]);
      const row = rows[0];
      if (!row) throw new NotFoundError('No such agreement');
      if (caller && !partyOrOfficer(caller, row.party_ids)) {
        // The same 404 as an unknown id; the probe leaves a denied access in the log (NEN 7513).
        await logOwnAccess(deps, caller, deps.now(), {
          subjectId: null,
          purpose: 'agreement-administration',
          resource: { type: 'agreement', id: agreementId },
          outcome: 'denied',
          reason: NOT_A_PARTY,
        });
        throw new NotFoundError('No such agreement');
      }
      return agreementView(row);
    };

    router.post('/agreements', officer, async (req, res) => {
      const { agreementId, ...terms } = parseBody(DraftBody, req);
      const caller = callerOf(res);
      const result = await runAgreementCommand(
        store,
        { type: 'DraftAgreement', data: { agreementId, ...terms, by: caller.subject }, metadata: { now: deps.now() } },
        requestEventMetadata(caller),
      );
      await projectNow(deps.pool, projectAgreement, result);
      res
        .status(201)
        .location(`/agreements/${agreementId}`)
        .json(await read(agreementId));
    });

    for (const [action, type] of [
      ['activate', 'ActivateAgreement'],
      ['terminate', 'TerminateAgreement'],
    ] as const) {
      router.post(`/agreements/:agreementId/${action}`, officer, async (req, res) => {
        const { agreementId } = parseParams(Params, req);
        const caller = callerOf(res);
        const result = await runAgreementCommand(
          store,
          { type, data: { agreementId, by: caller.subject }, metadata: { now: deps.now() } },
          requestEventMetadata(caller),
        );
        await projectNow(deps.pool, projectAgreement, result);
        res.json(await read(agreementId));
      });
    }

    router.get('/agreements/expiring', officer, async (req, res) => {
      const { withinDays } = parseQuery(ExpiringQuery, req);
      const now = deps.now();
      const { rows } = await deps.pool.query<AgreementRow>(
        `SELECT * FROM agreements WHERE status = 'active' AND valid_until > $1 AND valid_until <= $1 + make_interval(days => $2)
         ORDER BY valid_until`,
        [now, withinDays],
      );
      res.json({ withinDays, items: rows.map(agreementView) });
    });

    router.get(
      '/agreements/:agreementId',
      requireRole('privacy-officer', 'admin', 'gp-system', 'coordinator'),
      async (req, res) => {
        const { agreementId } = parseParams(Params, req);
        res.json(await read(agreementId, callerOf(res)));
      },
    );

    router.get('/agreements', requireRole('privacy-officer', 'admin', 'coordinator'), async (req, res) => {
      const q = parseQuery(ListQuery, req);
      const caller = callerOf(res);
      // A coordinator lists only their own organisation's agreements.
      const organisationId = hasRole(caller, 'privacy-officer', 'admin')
        ? (q.organisationId ?? null)
        : (caller.organisationId ?? '');
      if (q.organisationId && q.organisationId !== organisationId) return void res.json({ items: [] });
      const { rows } = await deps.pool.query<AgreementRow>(
        `SELECT * FROM agreements WHERE ($1::text IS NULL OR $1 = ANY(party_ids)) AND ($2::text IS NULL OR status = $2)
         ORDER BY drafted_at`,
        [organisationId, q.status ?? null],
      );
      res.json({ items: rows.map(agreementView) });
    });
  };
