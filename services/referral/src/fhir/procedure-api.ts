// The Procedure routes of /fhir (create, read, search): the recipient records what it did for a
// referral; both parties read it. A non-party gets the 404 of an unknown id, logged as a denied access
// by the referral's party check, as for the other FHIR reads.
import { fhirBaseOf, HttpProblem, sendFhir, type FhirSettings } from '@wor/service-kit';
import { NotFoundError } from '@wor/event-store';
import type { RequestHandler, Response } from 'express';
import { z } from 'zod';
import { etagOf, type Actor, type LoadedReferral, type Referrals } from '../referral/application';
import { actorOf } from '../referral/api';
import { referralIdOfProcedure, type RecordedProcedure } from '../procedure/procedure';
import type { Procedures } from '../procedure/procedures';
import type { Issue } from './mapping';
import { sendPage } from './page';
import { procedureFromFhir, toProcedure } from './procedure';
import { REFERRAL_FHIR_ROUTES as ROUTES } from './routes';
import { declaredQuery } from './search';

const RECIPIENT = ['coordinator', 'coach'] as const;
const PARTIES = ['gp-system', 'referrer', ...RECIPIENT] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const invalid = (issues: Issue[], detail = 'The Procedure is invalid.'): HttpProblem =>
  new HttpProblem({ status: 422, title: 'Unprocessable Content', detail, extra: { errors: issues } });
const badSearch = (path: string, message: string): HttpProblem =>
  new HttpProblem({
    status: 400,
    title: 'Bad Request',
    detail: 'The search parameters are invalid.',
    extra: { errors: [{ path, message }] },
  });

const sendProcedure = (res: Response, status: number, p: RecordedProcedure): void => {
  res.setHeader('ETag', etagOf(p.version)).setHeader('Last-Modified', new Date(p.recordedAt).toUTCString());
  sendFhir(res, status, toProcedure(p));
};

export type ProcedureRouteDeps = Readonly<{
  referrals: Referrals;
  procedures: Procedures;
  fhir: FhirSettings;
  /** Referral ids of the caller's organisation for the query's `patient` (the Task index); null without one. */
  referralsOfPatient: (query: Record<string, unknown>, actor: Actor, resourceType: string) => Promise<string[] | null>;
}>;

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
const Page = z.object({
  _count: z.coerce.number().int().min(1).max(100).default(50),
  _offset: z.coerce.number().int().min(0).default(0),
});

export const procedureHandlers = ({ referrals, procedures, fhir, referralsOfPatient }: ProcedureRouteDeps) => {
  /** The referral of a Procedure's id, for a party; anything else is the 404 of an unknown id. */
  const partyReferral = async (id: string, actor: Actor): Promise<LoadedReferral | undefined> => {
    try {
      return await referrals.loadFor(id, actor);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  };

  const createProcedure: RequestHandler = async (req, res) => {
    const actor = actorOf(res, [...RECIPIENT]);
    const input = procedureFromFhir(req.body);
    if (!input.ok) throw invalid(input.issues);
    const { referralId, subjectId, performer, facts } = input.value;
    let loaded: LoadedReferral;
    try {
      // The welfare organisation of the referral only; another's attempt is logged as denied.
      loaded = await referrals.loadFor(referralId, actor, 'recipient', 'U');
    } catch (error) {
      if (error instanceof NotFoundError)
        throw invalid([
          { path: 'Procedure.basedOn[0].reference', message: 'no ServiceRequest your organisation received' },
        ]);
      throw error;
    }
    const issues: Issue[] = [];
    if (subjectId !== loaded.state.subjectId)
      issues.push({ path: 'Procedure.subject.identifier.value', message: 'must be the subject of the ServiceRequest' });
    if (performer !== undefined && performer !== loaded.state.recipientOrganisationId)
      issues.push({ path: 'Procedure.performer[0].actor.identifier.value', message: 'must be your organisation' });
    if (issues.length) throw invalid(issues);
    const recorded = await procedures.record(loaded, actor, facts);
    // No vread of Procedure: the Location is the resource itself, so it resolves.
    res.location(`${fhirBaseOf(req, fhir)}/Procedure/${recorded.procedureId}`);
    sendProcedure(res, 201, recorded);
  };

  const readProcedure: RequestHandler = async (req, res) => {
    const id = String(req.params.id ?? '');
    const referralId = referralIdOfProcedure(id);
    if (!referralId) throw new NotFoundError('No such resource.');
    await referrals.loadFor(referralId, actorOf(res, [...PARTIES]));
    const found = (await procedures.of(referralId)).find((p) => p.procedureId === id);
    if (!found) throw new NotFoundError('No such resource.');
    sendProcedure(res, 200, found);
  };

  const searchProcedure: RequestHandler = async (req, res) => {
    const actor = actorOf(res, [...PARTIES]);
    const { query, warnings } = declaredQuery(req, ROUTES.searchProcedure.searchParams);
    const page = Page.safeParse(query);
    if (!page.success) throw badSearch(String(page.error.issues[0]?.path[0] ?? ''), page.error.issues[0]!.message);
    const basedOn = query['based-on'];
    if (Array.isArray(basedOn)) throw badSearch('based-on', 'give it once; comma is OR');
    const ofPatient = await referralsOfPatient(query, actor, 'Procedure');
    if (basedOn === undefined && !ofPatient)
      throw badSearch('based-on', 'one of based-on (ServiceRequest/<id>) or patient');
    let ids: string[] | undefined;
    if (basedOn !== undefined)
      ids = list(basedOn)
        .flatMap((v) => v.split(','))
        .map((v) => {
          const id = /^ServiceRequest\/(.+)$/.exec(v)?.[1];
          if (!id || !UUID.test(id)) throw badSearch('based-on', 'a reference ServiceRequest/<id>');
          return id;
        });
    if (ofPatient) ids = ids ? ids.filter((id) => ofPatient.includes(id)) : ofPatient;
    const found: RecordedProcedure[] = [];
    for (const id of [...new Set(ids)]) if (await partyReferral(id, actor)) found.push(...(await procedures.of(id)));
    const { _count: count, _offset: offset } = page.data;
    sendPage(req, res, fhir, {
      total: found.length,
      matches: found.slice(offset, offset + count).map(toProcedure),
      warnings,
      count,
      offset,
    });
  };

  return { createProcedure, readProcedure, searchProcedure };
};
