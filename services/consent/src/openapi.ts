// The consent service's operations, from which its OpenAPI 3.1 document is built (served at
// /openapi.json, reference page at /docs). Request schemas are the ones the routes validate with.
import { fhirOperations, openApiDocument, type OperationSpec } from '@wor/service-kit';
import { z } from 'zod';
import { OverviewBody, SearchBody, SearchQuery } from './access-log/api';
import { DraftBody, ExpiringQuery, ListQuery } from './agreement/api';
import { ConsentChoiceBody } from './consent/api';
import { DecisionBody, StreamQuery } from './decision/api';
import { CONSENT_FHIR_ROUTES } from './fhir/routes';
import { SubjectBody } from './subject-rights/api';

const ConsentParams = z.object({ consentId: z.uuid() });
const AgreementParams = z.object({ agreementId: z.uuid() });

/** consentView: the terms, status and evidence (document reference unsealed; null once erased). */
const ConsentView = z.looseObject({
  consentId: z.uuid(),
  subjectId: z.string(),
  status: z.string(),
  recordedAt: z.string(),
  evidence: z.object({
    recordedBy: z.string(),
    method: z.string(),
    documentReference: z.string().nullable(),
  }),
});
const consent = { description: 'The consent', schema: ConsentView };

const AgreementView = z.looseObject({
  agreementId: z.uuid(),
  status: z.string(),
  activatedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
});
const agreement = { description: 'The agreement', schema: AgreementView };

const LogEntries = z.looseObject({
  count: z.number().int(),
  items: z.array(z.looseObject({ entryId: z.string(), outcome: z.enum(['allowed', 'denied']) })),
});
const logAnswer = (description: string, schema: z.ZodType = LogEntries) => ({
  description: `${description}; CSV with format=csv`,
  schema,
  alternatives: { 'text/csv': { type: 'string' } },
});

const officerProblems = [403, 422];

const operations: OperationSpec[] = [
  ...fhirOperations(CONSENT_FHIR_ROUTES, 'fhirConsent'),
  {
    method: 'post',
    path: '/consents',
    operationId: 'recordConsent',
    summary: 'Record a consent or objection (AVG art. 9) with its evidence',
    tags: ['consents'],
    body: ConsentChoiceBody,
    responses: { 201: { ...consent, description: 'The consent, recorded' } },
    problems: [403, 409, 422],
  },
  {
    method: 'get',
    path: '/consents/:consentId',
    operationId: 'getConsent',
    summary: 'Read a consent (the recording practice, a recipient, officers); logged',
    tags: ['consents'],
    params: ConsentParams,
    responses: { 200: consent },
    problems: [403, 404, 422],
  },
  {
    method: 'post',
    path: '/consents/:consentId/withdraw',
    operationId: 'withdrawConsent',
    summary: 'Withdraw a consent; logged',
    tags: ['consents'],
    params: ConsentParams,
    responses: { 200: { ...consent, description: 'The consent, withdrawn' } },
    problems: [403, 404, 409, 422],
  },
  {
    method: 'post',
    path: '/agreements',
    operationId: 'draftAgreement',
    summary: 'Draft a data-sharing agreement between organisations (verwerkersovereenkomst)',
    tags: ['agreements'],
    body: DraftBody,
    responses: { 201: { ...agreement, description: 'The agreement, drafted' } },
    problems: [403, 409, 422],
  },
  ...(['activate', 'terminate'] as const).map((action): OperationSpec => ({
    method: 'post',
    path: `/agreements/:agreementId/${action}`,
    operationId: `${action}Agreement`,
    summary: `${action === 'activate' ? 'Activate' : 'Terminate'} an agreement`,
    tags: ['agreements'],
    params: AgreementParams,
    responses: { 200: agreement },
    problems: [403, 404, 409, 422],
  })),
  {
    method: 'get',
    path: '/agreements/expiring',
    operationId: 'expiringAgreements',
    summary: 'Active agreements ending within the given days',
    tags: ['agreements'],
    query: ExpiringQuery,
    responses: {
      200: {
        description: 'Agreements ending soon',
        schema: z.object({ withinDays: z.number().int(), items: z.array(AgreementView) }),
      },
    },
    problems: officerProblems,
  },
  {
    method: 'get',
    path: '/agreements/:agreementId',
    operationId: 'getAgreement',
    summary: 'Read an agreement (parties and officers)',
    tags: ['agreements'],
    params: AgreementParams,
    responses: { 200: agreement },
    problems: [403, 404, 422],
  },
  {
    method: 'get',
    path: '/agreements',
    operationId: 'listAgreements',
    summary: 'Agreements (an organisation sees its own)',
    tags: ['agreements'],
    query: ListQuery,
    responses: { 200: { description: 'Agreements', schema: z.object({ items: z.array(AgreementView) }) } },
    problems: officerProblems,
  },
  {
    method: 'post',
    path: '/access-decisions',
    operationId: 'decideAccess',
    summary: 'May this organisation access this data of this patient for this purpose now? Logged',
    tags: ['access decisions'],
    body: DecisionBody,
    responses: {
      200: {
        description: 'The decision',
        schema: z.looseObject({ subjectId: z.string(), at: z.string(), decision: z.looseObject({}) }),
      },
    },
    problems: officerProblems,
  },
  {
    method: 'get',
    path: '/access-decisions/stream',
    operationId: 'streamAccessDecisions',
    summary: 'Server-sent events: the decision, again whenever it changes',
    tags: ['access decisions'],
    query: StreamQuery,
    responses: {
      200: {
        description: 'text/event-stream of decisions',
        contentType: 'text/event-stream',
        schema: { type: 'string' },
      },
    },
    problems: officerProblems,
  },
  {
    method: 'get',
    path: '/access-log',
    operationId: 'searchAccessLog',
    summary: 'Search the NEN 7513 access log (privacy officer); the search itself is logged',
    tags: ['access log'],
    query: SearchQuery,
    responses: { 200: logAnswer('Matching entries, newest first') },
    problems: officerProblems,
  },
  {
    method: 'post',
    path: '/access-log/search',
    operationId: 'searchAccessLogByPatient',
    summary: "Search the access log by a patient's BSN (sent in the body, never in a URL)",
    tags: ['access log'],
    body: SearchBody,
    responses: { 200: logAnswer('Matching entries, newest first') },
    problems: officerProblems,
  },
  {
    method: 'get',
    path: '/access-log/denied',
    operationId: 'deniedAccesses',
    summary: 'Refused accesses',
    tags: ['access log'],
    query: SearchQuery,
    responses: { 200: logAnswer('Refused accesses, newest first') },
    problems: officerProblems,
  },
  {
    method: 'post',
    path: '/access-log/overview',
    operationId: 'accessOverview',
    summary: "Who accessed a patient's data: by whom, per organisation, refusals",
    tags: ['access log'],
    body: OverviewBody,
    responses: {
      200: logAnswer(
        'The overview',
        LogEntries.extend({
          subjectId: z.string(),
          accessedBy: z.array(z.string()),
          byOrganisation: z.record(z.string(), z.number().int()),
          denied: z.number().int(),
        }),
      ),
    },
    problems: officerProblems,
  },
  {
    method: 'get',
    path: '/access-log/verify',
    operationId: 'verifyAccessLog',
    summary: 'Verify the hash chain of the access log',
    tags: ['access log'],
    responses: {
      200: {
        description: 'Whether the chain is intact, and where it breaks',
        schema: z.object({
          intact: z.boolean(),
          entries: z.number().int(),
          firstBreak: z
            .object({ seq: z.string(), entryId: z.string(), problem: z.enum(['changed', 'removed-or-reordered']) })
            .nullable(),
        }),
      },
    },
    problems: [403],
  },
  {
    method: 'post',
    path: '/subject-rights/access-report',
    operationId: 'subjectAccessReport',
    summary: "AVG art. 15: everything the chain holds about a patient, with every service's part; logged",
    tags: ['subject rights'],
    body: SubjectBody,
    responses: {
      200: {
        description: 'The report; Cache-Control: no-store',
        schema: z.looseObject({
          subjectId: z.string(),
          generatedAt: z.string(),
          erasure: z.looseObject({ erasedAt: z.string().nullable() }),
          missing: z.array(z.string()),
          services: z.looseObject({}),
        }),
      },
    },
    problems: officerProblems,
  },
  {
    method: 'post',
    path: '/subject-rights/erasure',
    operationId: 'eraseSubject',
    summary: "AVG art. 17: destroy the patient's key (crypto-shredding) and withdraw their consents",
    tags: ['subject rights'],
    body: SubjectBody,
    responses: {
      200: {
        description: 'What was erased, the guarantee and the follow-up per service',
        schema: z.looseObject({
          subjectId: z.string(),
          erasedAt: z.string(),
          keyDestroyed: z.boolean(),
          withdrawnConsents: z.array(z.string()),
          guarantee: z.unknown(),
          followUp: z.unknown(),
        }),
      },
    },
    problems: officerProblems,
  },
];

export const consentOperations: readonly OperationSpec[] = operations;

export const consentOpenApi = openApiDocument(
  {
    title: 'WoR consent service',
    version: '0.2.0',
    description:
      'Consents and objections (AVG art. 9), data-sharing agreements, access decisions, the NEN 7513 access log and subject rights. Bearer JWT required; see docs/security.md for roles.',
    tags: {
      consents: 'Consents and objections (AVG art. 9), recorded with their evidence and withdrawn as new facts',
      FHIR: 'FHIR R4 Consent',
      agreements: 'Data-sharing agreements between organisations (verwerkersovereenkomsten)',
      'access decisions': 'Whether an organisation may access a category of data for a purpose now',
      'access log': 'The NEN 7513 access log of every service, for the privacy officer',
      'subject rights': 'AVG art. 15 access report and art. 17 erasure',
    },
  },
  consentOperations,
);
