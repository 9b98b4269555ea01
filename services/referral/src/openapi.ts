// The referral service's operations, from which its OpenAPI 3.1 document is built (served at
// /openapi.json, reference page at /docs). Request schemas are the ones the routes validate with;
// the step operations come from the same step table that mounts the step routes.
import { ContactPreference, FeedbackMoment, PositiveHealthScores, ReferralReason } from '@wor/contracts';
import {
  fhirOperations,
  openApiDocument,
  OperationOutcomeSchema,
  type HeaderParameter,
  type OperationSpec,
} from '@wor/service-kit';
import { z } from 'zod';
import { REFERRAL_FHIR_ROUTES } from './fhir/routes';
import { REFERRAL_STATUSES } from './referral/events';
import { STEPS } from './referral/steps';
import { NewReferral } from './referral/submission';
import { OPEN_STATUSES, WorkQueueMineQuery, WorkQueueOrganisationQuery } from './work-queues';
import { MonthParams, OrganisationParams, PlanBody } from './capacity/api';
import { Address } from './zorgdomein/addresses';
import { DocumentParams } from './zorgdomein/api';
import { Declaration, SettingsBody } from './need-to-know/api';

const ReferralParams = z.object({ referralId: z.uuid() });
const ifMatch: HeaderParameter = {
  name: 'If-Match',
  required: true,
  description: 'The ETag of the referral as last read, e.g. W/"3".',
};
const idempotencyKey: HeaderParameter = {
  name: 'Idempotency-Key',
  required: false,
  description: 'A retry with the same key returns the first response and changes nothing.',
  schema: { type: 'string', maxLength: 255 },
};
const etag = { ETag: { description: 'The version of the referral, W/"n"', schema: { type: 'string' } } };

const Status = z.enum(REFERRAL_STATUSES);
const Activity = z.object({ serviceId: z.string(), name: z.string() });

/** What anyone party to the referral sees (referralView): codes and dates, no personal data. */
export const ReferralView = z.object({
  referralId: z.uuid(),
  version: z.number().int(),
  status: Status,
  consentId: z.uuid(),
  municipality: z.string(),
  practiceId: z.string(),
  recipientOrganisationId: z.string(),
  referrerRole: z.string(),
  reasons: z.array(ReferralReason),
  ageBand: z.string(),
  sex: z.string(),
  requestedAt: z.string(),
  acceptedAt: z.string().nullable(),
  coachId: z.string().nullable(),
  contactAttempts: z.number().int(),
  unsuccessfulContactAttempts: z.number().int(),
  firstContactAt: z.string().nullable(),
  intake: z
    .object({
      heldOn: z.string(),
      positiveHealth: PositiveHealthScores,
      goals: z.array(z.object({ goalId: z.uuid(), baseline: z.number().int() })),
    })
    .nullable(),
  activities: z.array(Activity),
  closedAt: z.string().nullable(),
  contactRequestedViaGpAt: z
    .string()
    .nullable()
    .describe('When the GP was asked for contact: the patient wants contact through the GP only'),
  /** The steps the caller may take now (from the decider's ALLOWED_IN, the caller's roles and side). */
  allowedSteps: z.array(z.enum(STEPS.map((s) => s.path) as [string, ...string[]])),
});

const referral = { description: 'The referral, with its version as ETag', schema: ReferralView, headers: etag };

const PersonalDetails = z.object({
  referralId: z.uuid(),
  patient: z
    .looseObject({ contactPreference: ContactPreference.optional() })
    .describe("The patient's contact details and contact preference as submitted (no BSN)"),
  urgencyNote: z.string().nullable(),
  goals: z.array(z.object({ goalId: z.uuid(), baseline: z.number().int(), text: z.string().nullable() })),
});

const Feedback = z.object({
  referralId: z.uuid(),
  feedback: z.array(
    z.object({
      moment: FeedbackMoment,
      sentAt: z.string(),
      summary: z.object({
        status: Status,
        reasonCode: z.string().nullable(),
        outcome: z.string().nullable(),
        activities: z.array(Activity),
        positiveHealth: PositiveHealthScores.nullable(),
      }),
      message: z.string().nullable(),
    }),
  ),
});

const WorkQueuePage = z.object({
  items: z.array(
    z.object({
      referralId: z.uuid(),
      status: z.enum(OPEN_STATUSES),
      reasons: z.array(z.string()),
      ageBand: z.string(),
      sex: z.string(),
      practiceId: z.string(),
      coachId: z.string().nullable(),
      requestedAt: z.string(),
      firstContactDeadline: z.string(),
      firstContactAt: z.string().nullable(),
      waitingDays: z.number().int().min(0),
      overdue: z.boolean(),
      version: z.number().int(),
    }),
  ),
  page: z.number().int(),
  size: z.number().int(),
  total: z.number().int(),
});

const SubjectReport = z.object({
  service: z.literal('referral'),
  subjectId: z.string(),
  generatedAt: z.string(),
  erasure: z.object({ erasedAt: z.string().nullable(), followUp: z.enum(['pending', 'done']).optional() }),
  referrals: z.array(
    z.looseObject({
      referralId: z.uuid(),
      history: z.array(z.object({ type: z.string(), at: z.string() })),
      personalData: z.looseObject({}),
    }),
  ),
  accessLog: z.array(z.looseObject({ entryId: z.string() })),
});

// FHIR R4 (HL7 Gravity SDOHCC): described by resourceType and the elements R4 requires; the profiles
// themselves are the IG's (docs/fhir.md).
const FHIR = 'application/fhir+json';
const fhirResource = (resourceType: string, required: Record<string, z.ZodType> = {}) =>
  z.looseObject({ resourceType: z.literal(resourceType), ...required });
const Bundle = fhirResource('Bundle', { type: z.string() });
const fhir = (description: string, schema: z.ZodType) => ({ description, schema, contentType: FHIR });
const fhirBody = (schema: z.ZodType) => ({ schema, contentType: FHIR });

const outcome = (description: string) => fhir(description, OperationOutcomeSchema);

const CapacityStatus = z.enum(['capacity', 'waitlist', 'no-capacity', 'unknown']);
const Capacity = z.object({
  organisationId: z.string(),
  month: z.string(),
  status: CapacityStatus,
  expectedWaitWorkingDays: z.number().int().nullable(),
  hours: z.object({ available: z.number(), committed: z.number(), expectedPerReferral: z.number() }).nullable(),
  openReferrals: z.number().int(),
});

const changeProblems = [403, 404, 409, 412, 422, 428];
const readProblems = [403, 404, 422];

const operations: OperationSpec[] = [
  {
    method: 'post',
    path: '/referrals',
    operationId: 'submitReferral',
    summary: 'Submit a referral (gp-system, referrer); needs an active consent and agreement for the recipient',
    tags: ['referrals'],
    headers: [idempotencyKey],
    body: NewReferral,
    responses: {
      201: { ...referral, description: 'The referral, created' },
      200: { ...referral, description: 'The referral created earlier under the same Idempotency-Key' },
    },
    problems: [403, 409, 422],
  },
  {
    method: 'get',
    path: '/referrals/:referralId',
    operationId: 'getReferral',
    summary: 'Read a referral of your own organisation',
    tags: ['referrals'],
    params: ReferralParams,
    responses: { 200: referral },
    problems: readProblems,
  },
  {
    method: 'get',
    path: '/referrals/:referralId/personal-details',
    operationId: 'getPersonalDetails',
    summary:
      "The patient's contact details, urgency note and goal texts (coach, coordinator); decided and logged (NEN 7513)",
    tags: ['referrals'],
    params: ReferralParams,
    responses: { 200: { description: 'Decrypted personal data; Cache-Control: no-store', schema: PersonalDetails } },
    problems: readProblems,
  },
  {
    method: 'get',
    path: '/referrals/:referralId/feedback',
    operationId: 'getFeedback',
    summary: 'Terugkoppeling: the feedback sent to the referrer',
    tags: ['referrals'],
    params: ReferralParams,
    responses: { 200: { description: 'Feedback items, oldest first', schema: Feedback } },
    problems: readProblems,
  },
  ...STEPS.map((step): OperationSpec => ({
    method: 'post',
    path: `/referrals/:referralId/${step.path}`,
    operationId: step.type.charAt(0).toLowerCase() + step.type.slice(1),
    summary: `${step.type} (${step.roles.join(', ')})`,
    tags: ['referral steps'],
    params: ReferralParams,
    headers: [ifMatch, idempotencyKey],
    body: step.body,
    responses: { 200: referral },
    problems: changeProblems,
  })),
  {
    method: 'get',
    path: '/work-queues/organisation',
    operationId: 'organisationWorkQueue',
    summary:
      "The organisation's queue (coach, coordinator): unassigned and by status, waiting time, first-contact deadline, overdue",
    tags: ['work queues'],
    query: WorkQueueOrganisationQuery,
    responses: { 200: { description: 'A page of queue items', schema: WorkQueuePage } },
    problems: [403, 422],
  },
  {
    method: 'get',
    path: '/work-queues/mine',
    operationId: 'myWorkQueue',
    summary: "The coach's own referrals",
    tags: ['work queues'],
    query: WorkQueueMineQuery,
    responses: { 200: { description: 'A page of queue items', schema: WorkQueuePage } },
    problems: [403, 422],
  },
  {
    method: 'put',
    path: '/capacity/plans/:month',
    operationId: 'planCoachHours',
    summary: "Plan the organisation's coach hours for a month (coordinator)",
    tags: ['capacity'],
    params: MonthParams,
    body: PlanBody,
    responses: {
      200: {
        description: 'The plan',
        schema: PlanBody.required().extend({ organisationId: z.string(), month: z.string() }),
      },
    },
    problems: [403, 422],
  },
  {
    method: 'get',
    path: '/capacity/organisations/:organisationId',
    operationId: 'organisationCapacity',
    summary:
      "A welfare organisation's capacity now: capacity, waitlist (with the expected wait), no-capacity or unknown",
    tags: ['capacity'],
    params: OrganisationParams,
    responses: { 200: { description: 'The capacity status and the hours behind it', schema: Capacity } },
    problems: [403, 422],
  },
  {
    method: 'get',
    path: '/referrals/:referralId/waiting-position',
    operationId: 'waitingPosition',
    summary: "A referral's place among its organisation's referrals not yet accepted",
    tags: ['capacity'],
    params: ReferralParams,
    responses: {
      200: {
        description: 'The position (null once accepted) and the organisation’s status',
        schema: z.object({
          referralId: z.uuid(),
          position: z.number().int().nullable(),
          status: CapacityStatus,
          expectedWaitWorkingDays: z.number().int().nullable(),
        }),
      },
    },
    problems: [403, 404, 422],
  },
  {
    method: 'post',
    path: '/zorgdomein/Bundle',
    operationId: 'receiveZorgDomeinDocument',
    summary: 'A referral document from ZorgDomein (referral-channel): a FHIR document Bundle, Composition first',
    tags: ['ZorgDomein'],
    errors: 'fhir',
    body: fhirBody(Bundle),
    responses: {
      201: {
        ...outcome('Received: referred, or held for consent (empty with Prefer: return=minimal)'),
        headers: { Location: { description: 'GET it for what became of the document', schema: { type: 'string' } } },
      },
      409: outcome('The document id was received before with other content'),
      422: outcome('An invalid document, or an unknown addressee or practice; nothing stored'),
    },
    problems: [403],
  },
  {
    method: 'get',
    path: '/zorgdomein/Bundle/:documentId',
    operationId: 'zorgDomeinDocumentStatus',
    summary: 'What became of a received document (referral-channel)',
    tags: ['ZorgDomein'],
    errors: 'fhir',
    params: DocumentParams,
    responses: { 200: outcome('Referred (with the referral id) or held, and why'), 404: outcome('No such document') },
    problems: [403, 422],
  },
  {
    method: 'get',
    path: '/zorgdomein/held',
    operationId: 'heldZorgDomeinDocuments',
    summary: "The organisation's documents waiting for consent or an agreement (coordinator; ids and codes only)",
    tags: ['ZorgDomein'],
    responses: {
      200: {
        description: 'Held documents',
        schema: z.object({
          held: z.array(
            z.object({
              documentId: z.string(),
              status: z.literal('held'),
              holdReason: z.string().nullable(),
              practiceId: z.string(),
              receivedAt: z.string(),
            }),
          ),
        }),
      },
    },
    problems: [403],
  },
  {
    method: 'get',
    path: '/zorgdomein/addresses',
    operationId: 'zorgDomeinAddresses',
    summary: "The coordinator's mapping of ZorgDomein clusters and practice AGB codes to organisations",
    tags: ['ZorgDomein'],
    responses: { 200: { description: 'The address book', schema: z.object({ addresses: z.array(Address) }) } },
    problems: [403],
  },
  {
    method: 'put',
    path: '/zorgdomein/addresses',
    operationId: 'putZorgDomeinAddress',
    summary: 'Map a cluster (to the own organisation) or a practice AGB code (coordinator)',
    tags: ['ZorgDomein'],
    body: Address,
    responses: { 200: { description: 'The mapping', schema: Address } },
    problems: [403, 409, 422],
  },
  {
    method: 'post',
    path: '/referrals/:referralId/personal-details/declared-read',
    operationId: 'declaredPersonalDetailsRead',
    summary:
      "Another coach's declared takeover (vervanging, urgent contact): the personal details, logged as emergency access",
    tags: ['referrals'],
    params: ReferralParams,
    body: Declaration,
    responses: { 200: { description: 'The personal details; Cache-Control: no-store', schema: PersonalDetails } },
    problems: [403, 404, 422],
  },
  {
    method: 'get',
    path: '/organisations/:organisationId/settings',
    operationId: 'organisationSettings',
    summary: "The organisation's settings: who reads personal details (coordinator of it, admin)",
    tags: ['organisation settings'],
    params: z.object({ organisationId: z.string() }),
    responses: {
      200: {
        description: 'The settings, with their version as ETag',
        schema: SettingsBody.extend({ organisationId: z.string() }),
        headers: etag,
      },
    },
    problems: [403, 422],
  },
  {
    method: 'put',
    path: '/organisations/:organisationId/settings',
    operationId: 'putOrganisationSettings',
    summary: 'Set who reads personal details: need-to-know (the default) or the whole organisation',
    tags: ['organisation settings'],
    params: z.object({ organisationId: z.string() }),
    body: SettingsBody,
    responses: {
      200: {
        description: 'The settings as they now are',
        schema: SettingsBody.extend({ organisationId: z.string() }),
        headers: etag,
      },
    },
    problems: [403, 422],
  },
  ...fhirOperations(REFERRAL_FHIR_ROUTES),
  {
    method: 'get',
    path: '/subjects/:subjectId/report',
    operationId: 'subjectReport',
    summary:
      'AVG art. 15 (privacy-officer): every referral of the subject with status history and opened personal data, and who accessed it; logged',
    tags: ['subject rights'],
    params: z.object({ subjectId: z.string().regex(/^sub_[0-9a-f]{32}$/) }),
    responses: {
      200: { description: 'The referral service part of the report; Cache-Control: no-store', schema: SubjectReport },
    },
    problems: [403, 422],
  },
];

export const referralOperations: readonly OperationSpec[] = operations;

export const referralOpenApi = openApiDocument(
  {
    title: 'WoR referral service',
    version: '0.2.0',
    description:
      'Referrals from GP systems to welfare organisations (Welzijn op Recept), HL7 Gravity Task statuses. Bearer JWT required; see docs/security.md for roles.',
    tags: {
      referrals:
        'Submitting and reading referrals (verwijzingen), with the personal details and the feedback (terugkoppeling)',
      'referral steps': 'The lifecycle steps of a referral, each with If-Match on the version last read',
      'work queues': "The welfare organisation's and the coach's own queue (werkvoorraad)",
      FHIR: 'FHIR R4 (HL7 Gravity SDOHCC): ServiceRequest, Task, Communication and HealthcareService (capacity); the CapabilityStatement at GET /fhir/metadata',
      'subject rights': "AVG art. 15: this service's part of a subject's access report",
      'organisation settings': "A welfare organisation's own settings (need-to-know for personal details)",
      capacity: "Coach capacity and waitlists: the coordinator's plan, the status a GP sees before referring",
      ZorgDomein: 'Referral documents received the way ZorgDomein delivers them (docs/zorgdomein.md)',
    },
  },
  referralOperations,
);
