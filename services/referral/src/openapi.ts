// The referral service's OpenAPI 3.1 document, served at /openapi.json. Request bodies come from
// the same zod schemas the routes validate with, so the document cannot drift from the code.
import { z } from 'zod';
import { STEPS } from './referral/steps';
import { NewReferral } from './referral/submission';
import { WorkQueueMineQuery, WorkQueueOrganisationQuery } from './work-queues';

const problem = {
  description: 'RFC 9457 problem details',
  content: { 'application/problem+json': { schema: { type: 'object' } } },
};
const json = (schema: z.ZodType) => ({
  content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } },
});
const referralId = { name: 'referralId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const ifMatch = {
  name: 'If-Match',
  in: 'header',
  required: true,
  description: 'The ETag of the referral as last read, e.g. W/"3".',
  schema: { type: 'string' },
};
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'A retry with the same key returns the first response and changes nothing.',
  schema: { type: 'string', maxLength: 255 },
};
const referral = {
  description: 'The referral (codes and dates, no personal data), with its ETag',
  headers: { ETag: { schema: { type: 'string' } } },
};
/** Query parameters from the zod schema the route parses with. */
const queryParameters = (schema: z.ZodType) => {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, object>;
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: false,
    schema: property,
  }));
};
const errors = { 401: problem, 403: problem, 404: problem, 409: problem, 412: problem, 422: problem, 428: problem };

const fhir = (description: string) => ({
  description,
  content: { 'application/fhir+json': { schema: { type: 'object' } } },
});
const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
/** FHIR R4 (Gravity SDOHCC): resources are described by the IG, not repeated here; see docs/fhir.md. */
const fhirPaths = {
  '/fhir': {
    post: {
      summary: 'A transaction Bundle with a ServiceRequest and its Task: creates one referral (gp-system, referrer)',
      parameters: [idempotencyKey],
      requestBody: { required: true, ...fhir('Bundle (type transaction)') },
      responses: { 200: fhir('Bundle (type transaction-response)'), ...errors },
    },
  },
  '/fhir/ServiceRequest': {
    post: {
      summary: 'Create the referral from a ServiceRequest',
      parameters: [idempotencyKey],
      requestBody: { required: true, ...fhir('ServiceRequest') },
      responses: { 201: fhir('ServiceRequest'), ...errors },
    },
  },
  '/fhir/ServiceRequest/{id}': {
    get: {
      summary: 'Read a ServiceRequest (no personal data)',
      parameters: [id],
      responses: { 200: fhir('ServiceRequest'), ...errors },
    },
  },
  '/fhir/Task': {
    post: {
      summary: 'The Task for a ServiceRequest created before (returns it)',
      parameters: [idempotencyKey],
      requestBody: { required: true, ...fhir('Task') },
      responses: { 200: fhir('Task'), ...errors },
    },
    get: {
      summary: 'Search Tasks of your organisation',
      parameters: ['status', 'requester', 'authored-on', '_count', '_offset'].map((name) => ({
        name,
        in: 'query',
        required: false,
        schema: { type: 'string' },
      })),
      responses: { 200: fhir('Bundle (type searchset)'), ...errors },
    },
  },
  '/fhir/Task/{id}': { get: { summary: 'Read a Task', parameters: [id], responses: { 200: fhir('Task'), ...errors } } },
  '/fhir/Task/{id}/$feedback': {
    get: {
      summary: 'The feedback (terugkoppeling) as Communications',
      parameters: [id],
      responses: { 200: fhir('Bundle of Communication'), ...errors },
    },
  },
  '/fhir/Communication': {
    get: {
      summary: 'Feedback Communications of a Task',
      parameters: [{ name: 'part-of', in: 'query', required: true, schema: { type: 'string' } }],
      responses: { 200: fhir('Bundle of Communication'), ...errors },
    },
  },
};

export const referralOpenApi = {
  openapi: '3.1.0',
  info: {
    title: 'WoR referral service',
    version: '0.2.0',
    description:
      'Referrals from GP systems to welfare organisations (Welzijn op Recept), HL7 Gravity Task statuses. Bearer JWT required; see docs/security.md for roles.',
  },
  components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
  security: [{ bearer: [] }],
  paths: {
    '/referrals': {
      post: {
        summary: 'Submit a referral (gp-system, referrer); needs an active consent and agreement for the recipient',
        parameters: [idempotencyKey],
        requestBody: { required: true, ...json(NewReferral) },
        responses: {
          201: referral,
          200: { description: 'The referral created earlier under the same Idempotency-Key' },
          ...errors,
        },
      },
    },
    '/referrals/{referralId}': {
      get: {
        summary: 'Read a referral of your own organisation',
        parameters: [referralId],
        responses: { 200: referral, ...errors },
      },
    },
    '/referrals/{referralId}/personal-details': {
      get: {
        summary:
          "The patient's contact details, urgency note and goal texts (coach, coordinator); decided and logged (NEN 7513)",
        parameters: [referralId],
        responses: { 200: { description: 'Decrypted personal data; Cache-Control: no-store' }, ...errors },
      },
    },
    '/referrals/{referralId}/feedback': {
      get: {
        summary: 'Terugkoppeling: the feedback sent to the referrer',
        parameters: [referralId],
        responses: { 200: { description: 'Feedback items' }, ...errors },
      },
    },
    ...Object.fromEntries(
      STEPS.map((step) => [
        `/referrals/{referralId}/${step.path}`,
        {
          post: {
            summary: `${step.type} (${step.roles.join(', ')})`,
            parameters: [referralId, ifMatch, idempotencyKey],
            requestBody: { required: true, ...json(step.body) },
            responses: { 200: referral, ...errors },
          },
        },
      ]),
    ),
    ...fhirPaths,
    '/work-queues/organisation': {
      get: {
        summary:
          "The organisation's queue (coach, coordinator): unassigned and by status, waiting time, first-contact deadline, overdue",
        parameters: queryParameters(WorkQueueOrganisationQuery),
        responses: { 200: { description: 'A page of queue items' }, ...errors },
      },
    },
    '/work-queues/mine': {
      get: {
        summary: "The coach's own referrals",
        parameters: queryParameters(WorkQueueMineQuery),
        responses: { 200: { description: 'A page of queue items' }, ...errors },
      },
    },
    '/subjects/{subjectId}/report': {
      get: {
        summary:
          'AVG art. 15 (privacy-officer): every referral of the subject with status history and opened personal data, and who accessed it; logged',
        parameters: [
          { name: 'subjectId', in: 'path', required: true, schema: { type: 'string', pattern: '^sub_[0-9a-f]{32}$' } },
        ],
        responses: {
          200: { description: 'The referral service part of the report; Cache-Control: no-store' },
          ...errors,
        },
      },
    },
  },
} as const;
