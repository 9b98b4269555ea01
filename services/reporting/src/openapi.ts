// The reporting service's operations, from which its OpenAPI 3.1 document is built (served at
// /openapi.json, reference page at /docs). Request schemas are the ones the routes validate with.
import { openApiDocument, type OperationSpec } from '@wor/service-kit';
import { z } from 'zod';
import { PeriodQuery, YearQuery } from './dashboards/api';
import { ExtractQuery } from './extracts/api';
import { Body as ListSizeBody, Params as PracticeParams, Query as PracticesQuery } from './practices/api';
import { CountsQuery } from './referral-counts/api';

const Period = z.object({
  id: z.string(),
  kind: z.string(),
  from: z.string(),
  to: z.string(),
  timeZone: z.string(),
  days: z.number().int(),
});
const AsOf = z.object({ position: z.number().int(), receivedAt: z.string() });

/** The GALA monitoring extract (extracts/extract.ts): suppressed aggregates, no personal data. */
const Extract = z.object({
  extract: z.literal('wor-gala-monitoring'),
  version: z.literal(1),
  municipality: z.string(),
  period: Period,
  asOf: AsOf,
  generatedAt: z.string(),
  suppression: z.object({ threshold: z.number(), rule: z.string() }),
  dataQuality: z.array(z.string()),
  tables: z.array(z.looseObject({})),
  statistics: z.array(z.looseObject({})),
  practices: z.object({
    expectationPerYear: z.object({ minPercent: z.number(), maxPercent: z.number() }),
    rows: z.array(z.looseObject({})),
  }),
});

const municipalProblems = [403, 422];

const operations: OperationSpec[] = [
  {
    method: 'get',
    path: '/referral-counts',
    operationId: 'referralCounts',
    summary: 'Exact monthly counts (unsuppressed): for the coordinator, never for reporting consumers',
    tags: ['counts'],
    query: CountsQuery,
    responses: {
      200: {
        description: 'Counts per month',
        schema: z.object({ municipality: z.string(), months: z.array(z.looseObject({ month: z.string() })) }),
      },
    },
    problems: municipalProblems,
  },
  {
    method: 'get',
    path: '/extracts/gala',
    operationId: 'galaExtract',
    summary: 'The GALA monitoring extract of a municipality and period (JSON or CSV), small cells suppressed',
    tags: ['extracts'],
    query: ExtractQuery,
    responses: {
      200: {
        description: 'The extract; attachment',
        schema: Extract,
        alternatives: { 'text/csv': { type: 'string' } },
        headers: { 'Content-Disposition': { description: 'attachment; filename=…', schema: { type: 'string' } } },
      },
    },
    problems: [...municipalProblems, 409],
  },
  {
    method: 'get',
    path: '/dashboards/thermometer',
    operationId: 'thermometer',
    summary: 'The WoR thermometer: referrals against expectation, time to first contact, lights',
    tags: ['dashboards'],
    query: PeriodQuery,
    responses: {
      200: {
        description: 'The thermometer',
        schema: z.looseObject({
          municipality: z.string(),
          period: Period,
          asOf: AsOf,
          referrals: z.looseObject({ count: z.number().nullable(), light: z.string() }),
        }),
      },
    },
    problems: municipalProblems,
  },
  {
    method: 'get',
    path: '/dashboards/practices',
    operationId: 'practiceRates',
    summary: 'Referral rates per GP practice against the expectation per year',
    tags: ['dashboards'],
    query: PeriodQuery,
    responses: {
      200: {
        description: 'Rates per practice',
        schema: z.object({
          municipality: z.string(),
          period: Period,
          asOf: AsOf,
          expectationPerYear: z.object({ minPercent: z.number(), maxPercent: z.number() }),
          practices: z.array(z.looseObject({})),
        }),
      },
    },
    problems: municipalProblems,
  },
  {
    method: 'get',
    path: '/dashboards/capacity',
    operationId: 'capacityMonitoring',
    summary:
      'Coach hours planned against used per welfare organisation, and expected referrals (0.3–0.8 % of list sizes) against received',
    tags: ['dashboards'],
    query: PeriodQuery,
    responses: {
      200: {
        description: 'Capacity against the plan; null where unknown or suppressed (fewer than 10 referrals)',
        schema: z.object({
          municipality: z.string(),
          period: Period,
          asOf: AsOf,
          referrals: z.object({
            received: z.number().int().nullable(),
            expectedMin: z.number().nullable(),
            expectedMax: z.number().nullable(),
            light: z.string(),
          }),
          coachHours: z.object({
            planned: z.number().nullable(),
            used: z.number().nullable(),
            usedPercent: z.number().nullable(),
          }),
          organisations: z.array(
            z.object({
              organisationId: z.string(),
              monthsPlanned: z.array(z.string()),
              coachHours: z.object({ planned: z.number().nullable(), used: z.number().nullable() }),
              referrals: z.object({
                plannedFor: z.number().nullable().describe('Referrals the planned hours have room for'),
                received: z.number().int().nullable(),
                closed: z.number().int().nullable(),
              }),
            }),
          ),
        }),
      },
    },
    problems: municipalProblems,
  },
  {
    method: 'get',
    path: '/dashboards/trends',
    operationId: 'trends',
    summary: 'The thermometer per two-month period of a year',
    tags: ['dashboards'],
    query: YearQuery,
    responses: {
      200: {
        description: 'Periods of the year',
        schema: z.object({
          municipality: z.string(),
          year: z.number().int(),
          asOf: z.looseObject({}),
          periods: z.array(z.looseObject({ period: z.string(), from: z.string(), to: z.string() })),
        }),
      },
    },
    problems: municipalProblems,
  },
  {
    method: 'put',
    path: '/practices/:practiceId/list-size',
    operationId: 'setListSize',
    summary: "Set a practice's number of registered patients (for the expected referral rate)",
    tags: ['practices'],
    params: PracticeParams,
    body: ListSizeBody,
    responses: {
      200: {
        description: 'The list size, set',
        schema: z.object({
          practiceId: z.string(),
          municipality: z.string(),
          registeredPatients: z.number().int(),
          setAt: z.string(),
          position: z.union([z.number(), z.string()]),
        }),
      },
    },
    problems: municipalProblems,
  },
  {
    method: 'get',
    path: '/practices',
    operationId: 'listPractices',
    summary: 'The list sizes of the practices of a municipality',
    tags: ['practices'],
    query: PracticesQuery,
    responses: {
      200: {
        description: 'List sizes',
        schema: z.object({
          municipality: z.string(),
          items: z.array(z.object({ practiceId: z.string(), registeredPatients: z.number().int(), setAt: z.string() })),
        }),
      },
    },
    problems: municipalProblems,
  },
];

export const reportingOperations: readonly OperationSpec[] = operations;

export const reportingOpenApi = openApiDocument(
  {
    title: 'WoR reporting service',
    version: '0.2.0',
    description:
      'Read models of the chain: GALA monitoring extracts, dashboards and counts per municipality, aggregates only. Bearer JWT required; see docs/security.md for roles.',
    tags: {
      counts: 'Exact monthly referral counts, for the coordinator',
      extracts: 'The GALA monitoring extract (RIVM), small cells suppressed',
      dashboards: 'The WoR thermometer, practice rates, trends and capacity against the plan',
      practices: 'GP practice list sizes, for the expected referral rate',
    },
  },
  reportingOperations,
);
