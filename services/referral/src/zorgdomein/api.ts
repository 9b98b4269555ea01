// The ZorgDomein channel of the referral service ("Receive documents", FHIR edition):
//   POST /zorgdomein/Bundle           a referral document, by the channel's client credential
//   GET  /zorgdomein/Bundle/:id       what became of it (the Location of the POST)
//   GET  /zorgdomein/held             the coordinator's documents waiting for consent or an agreement
//   GET/PUT /zorgdomein/addresses     the coordinator's cluster and practice (AGB) mappings
// Answers on the document endpoints are FHIR (OperationOutcome on every error); nothing is stored on one.
import {
  HttpProblem,
  operationOutcome,
  parseBody,
  parseParams,
  sendFhir,
  type Role,
  type ServiceDeps,
} from '@wor/service-kit';
import type { Response, Router } from 'express';
import type { OperationOutcomeIssue } from 'fhir/r4';
import { z } from 'zod';
import { actorOf } from '../referral/api';
import { Address, type AddressBook } from './addresses';
import { parseReferralDocument, type Issue } from './document';
import { contentHashOf, type Inbox, type InboxEntry } from './inbox';

export const CHANNEL: Role[] = ['referral-channel'];
export const KEEPERS: Role[] = ['coordinator'];

const sendOutcome = (res: Response, status: number, issues: OperationOutcomeIssue[]) =>
  sendFhir(res, status, operationOutcome(issues));

const statusOutcome = (entry: InboxEntry) =>
  operationOutcome([
    {
      severity: 'information',
      code: 'informational',
      diagnostics:
        entry.status === 'referred'
          ? `Received; referral ${entry.referralId} is in the work queue of ${entry.organisationId}.`
          : `Received and held (${entry.holdReason ?? 'awaiting consent'}); the coordinator of ${entry.organisationId} sees it.`,
    },
  ]);

export const DocumentParams = z.object({ documentId: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/) });

export const zorgdomeinRoutes =
  (options: { inbox: Inbox; addresses: AddressBook; deps: ServiceDeps }) =>
  (router: Router): void => {
    const { inbox, addresses, deps } = options;

    router.post('/zorgdomein/Bundle', async (req, res) => {
      const parsed = parseReferralDocument(req.body);
      if (!parsed.ok)
        return sendOutcome(
          res,
          422,
          parsed.issues.map((i: Issue) => ({
            severity: 'error',
            code: 'invalid',
            diagnostics: i.message,
            expression: [i.expression],
          })),
        );
      const result = await inbox.receive(parsed.document, contentHashOf(req.body), actorOf(res, CHANNEL));
      if (result.kind === 'conflict')
        return sendOutcome(res, 409, [
          {
            severity: 'error',
            code: 'duplicate',
            diagnostics: 'This document id was received before with other content; a document id is never reused.',
            expression: ['Bundle.id'],
          },
        ]);
      if (result.kind === 'unknown-address')
        return sendOutcome(res, 422, [
          {
            severity: 'error',
            code: 'not-found',
            diagnostics:
              result.which === 'recipient'
                ? 'The addressee (cluster) is not known here: its coordinator maps it at PUT /zorgdomein/addresses.'
                : "The sending practice's AGB code is not known to the addressed organisation.",
            expression: [
              result.which === 'recipient' ? 'Bundle.entry[0].resource.extension' : 'PractitionerRole.organization',
            ],
          },
        ]);
      const { entry } = result;
      res.status(201).location(`/zorgdomein/Bundle/${entry.documentId}`);
      // ZorgDomein asks for Prefer: return=minimal (no body); others get what became of the document.
      if (/return=minimal/.test(req.header('prefer') ?? '')) return void res.end();
      sendFhir(res, 201, statusOutcome(entry));
    });

    router.get('/zorgdomein/Bundle/:documentId', async (req, res) => {
      const { documentId } = parseParams(DocumentParams, req);
      const entry = await inbox.find(documentId);
      if (!entry)
        return sendOutcome(res, 404, [{ severity: 'error', code: 'not-found', diagnostics: 'No such document.' }]);
      sendFhir(res, 200, statusOutcome(entry));
    });

    router.get('/zorgdomein/held', async (_req, res) => {
      const actor = actorOf(res, KEEPERS);
      const held = await inbox.held(actor.organisationId ?? '');
      // Codes and ids only: the personal content stays sealed until it is a referral.
      res.setHeader('Cache-Control', 'no-store').json({
        held: held.map(({ documentId, holdReason, practiceId, receivedAt }) => ({
          documentId,
          status: 'held',
          holdReason,
          practiceId,
          receivedAt,
        })),
      });
    });

    router.get('/zorgdomein/addresses', async (_req, res) => {
      const actor = actorOf(res, KEEPERS);
      res.json({ addresses: await addresses.list(actor.organisationId ?? '') });
    });

    router.put('/zorgdomein/addresses', async (req, res) => {
      const actor = actorOf(res, KEEPERS);
      const address = parseBody(Address, req);
      const own = actor.organisationId ?? '';
      if (address.kind === 'recipient' && address.organisationId !== own)
        throw new HttpProblem({
          status: 403,
          title: 'Forbidden',
          detail: 'A coordinator maps clusters to their own organisation only.',
        });
      if (!(await addresses.put(address, { userId: actor.userId, organisationId: own }, deps.now())))
        throw new HttpProblem({
          status: 409,
          title: 'Conflict',
          detail: 'This cluster is mapped by another organisation.',
        });
      res.json(address);
    });
  };
