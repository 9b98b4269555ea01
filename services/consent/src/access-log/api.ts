// The privacy officer's access log: search, denied accesses, exports, a patient's chronological
// overview, and the chain's verification. Every read is itself logged.
import { ConsentPurpose, OrganisationId, SubjectId } from '@wor/contracts';
import { pseudonymise } from '@wor/privacy';
import { callerOf, parseBody, parseQuery, type ServiceDeps } from '@wor/service-kit';
import type { Response, Router } from 'express';
import { z } from 'zod';
import { Bsn } from '../consent/api';
import { chainKey, verifyChain } from './chain';
import { logOwnAccess, requireRoleLogged } from './own-access';
import { searchLog, toCsv, type LoggedEntry } from './search';

const at = z.iso.datetime({ offset: true });
const Filter = {
  subjectId: SubjectId.optional(),
  userId: z.string().min(1).max(100).optional(),
  organisationId: OrganisationId.optional(),
  purpose: z.union([ConsentPurpose, z.literal('privacy-oversight')]).optional(),
  outcome: z.enum(['allowed', 'denied']).optional(),
  /** Only declared reads (NEN 7513 emergency access: a coach's declared takeover), or only the others. */
  emergencyAccess: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).optional(),
  from: at.optional(),
  to: at.optional(),
  format: z.enum(['json', 'csv']).default('json'),
  limit: z.coerce.number().int().min(1).max(10_000).default(500),
};
export const SearchQuery = z.object(Filter).strict();
// A BSN goes in a body, never in a URL; it becomes the pseudonymous subject id at once.
export const SearchBody = z
  .object({ ...Filter, patient: z.object({ bsn: Bsn }).strict().optional() })
  .strict()
  .refine((b) => !(b.patient && b.subjectId), { path: ['subjectId'], message: 'give either patient.bsn or subjectId' });
export const OverviewBody = z
  .object({
    patient: z.object({ bsn: Bsn }).strict().optional(),
    subjectId: SubjectId.optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict()
  .refine((b) => (b.patient === undefined) !== (b.subjectId === undefined), {
    path: ['subjectId'],
    message: 'give either patient.bsn or subjectId',
  });

const send = (res: Response, format: 'json' | 'csv', entries: LoggedEntry[], extra: Record<string, unknown> = {}) => {
  if (format === 'csv') {
    res.status(200).type('text/csv; charset=utf-8').attachment('access-log.csv').send(toCsv(entries));
    return;
  }
  res.json({ ...extra, count: entries.length, items: entries });
};

export const accessLogRoutes =
  ({ deps }: { deps: ServiceDeps }) =>
  (router: Router): void => {
    const { pool } = deps;
    const officer = requireRoleLogged(deps, 'access-log', 'privacy-officer');

    const search = async (
      res: Response,
      q: z.infer<typeof SearchQuery> & { subjectId?: string | undefined },
      what: string,
    ) => {
      const { format, limit, ...filter } = q;
      const entries = await searchLog(pool, filter, limit);
      await logOwnAccess(deps, callerOf(res), deps.now(), {
        subjectId: filter.subjectId ?? null,
        purpose: 'privacy-oversight',
        resource: { type: 'access-log', id: what },
      });
      send(res, format, entries, { filter });
    };

    router.get('/access-log', officer, async (req, res) =>
      search(res, parseQuery(SearchQuery, req), format(req.query.format, 'search')),
    );
    router.post('/access-log/search', officer, async (req, res) => {
      const { patient, ...q } = parseBody(SearchBody, req);
      await search(
        res,
        { ...q, ...(patient ? { subjectId: pseudonymise(patient.bsn, deps.pseudonymSecret) } : {}) },
        format(q.format, 'search'),
      );
    });
    router.get('/access-log/denied', officer, async (req, res) =>
      search(res, { ...parseQuery(SearchQuery, req), outcome: 'denied' }, format(req.query.format, 'denied')),
    );

    router.post('/access-log/overview', officer, async (req, res) => {
      const body = parseBody(OverviewBody, req);
      const subjectId = body.subjectId ?? pseudonymise(body.patient!.bsn, deps.pseudonymSecret);
      const entries = await searchLog(pool, { subjectId }, 100_000, 'asc');
      await logOwnAccess(deps, callerOf(res), deps.now(), {
        subjectId,
        purpose: 'privacy-oversight',
        resource: { type: 'access-log', id: 'overview' },
      });
      // A Map: an organisation id is the caller's text, and a plain object would find `constructor` in it.
      const counts = new Map<string, number>();
      for (const e of entries) {
        const organisation = e.organisationId ?? 'unknown';
        counts.set(organisation, (counts.get(organisation) ?? 0) + 1);
      }
      const byOrganisation = Object.fromEntries(counts);
      send(res, body.format, entries, {
        subjectId,
        accessedBy: [...new Set(entries.map((e) => e.userId))],
        byOrganisation,
        denied: entries.filter((e) => e.outcome === 'denied').length,
      });
    });

    router.get('/access-log/verify', officer, async (_req, res) => {
      const report = await verifyChain(pool, chainKey(deps.pseudonymSecret));
      await logOwnAccess(deps, callerOf(res), deps.now(), {
        subjectId: null,
        purpose: 'privacy-oversight',
        resource: { type: 'access-log', id: 'verify' },
      });
      res.status(200).json(report);
    });
  };

const format = (value: unknown, what: string) => (value === 'csv' ? `${what}.csv` : what);
