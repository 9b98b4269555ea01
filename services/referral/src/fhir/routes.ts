// The referral service's FHIR route table: the one definition the routes (api.ts), their policies
// (policies.ts) and the CapabilityStatement (GET /fhir/metadata) are derived from.
import type { CapabilityOptions, EndpointPolicy, FhirRouteTable, FhirSearchParam, Role } from '@wor/service-kit';
import { PROFILES } from './mapping';

const REFERRER: Role[] = ['gp-system', 'referrer'];
const RECIPIENT: Role[] = ['coordinator', 'coach'];
const PARTIES: Role[] = [...REFERRER, ...RECIPIENT];
const scoped = (roles: Role[]): EndpointPolicy => ({ roles, scope: 'organisation' });

const BY_ORGANISATION = '[urn:wor:organisation-id|]<organisation id>; :identifier takes system|value; comma is OR.';
/** The patient as the reads give it (the pseudonymous subject); a BSN only by :identifier, pseudonymised first. */
const PATIENT = {
  name: 'patient',
  type: 'reference',
  documentation:
    '[urn:wor:subject-id|]<subject id> (the subject the reads give); :identifier takes urn:wor:subject-id|<id> or ' +
    'http://fhir.nl/fhir/NamingSystem/bsn|<bsn> (pseudonymised before the lookup, which is access-logged); comma is OR.',
  modifiers: ['identifier'],
} as const satisfies FhirSearchParam;

export const TASK_SEARCH = [
  { name: '_id', type: 'token', documentation: 'Task id (the referral id); comma is OR.' },
  { name: 'status', type: 'token', documentation: 'Task status; comma is OR.' },
  { name: 'code', type: 'token', documentation: 'Task code; every Task here is task-code fulfill.' },
  {
    name: 'requester',
    type: 'reference',
    documentation: `The referring practice: ${BY_ORGANISATION}`,
    modifiers: ['identifier'],
  },
  {
    name: 'owner',
    type: 'reference',
    documentation: `The welfare organisation: ${BY_ORGANISATION} :missing=true matches none (every Task has one).`,
    modifiers: ['identifier', 'missing'],
  },
  { name: 'focus', type: 'reference', documentation: 'ServiceRequest/<id>; comma is OR.' },
  {
    name: 'authored-on',
    type: 'date',
    documentation: 'Amsterdam date or dateTime with prefix eq, ge, le, gt or lt; at most twice (a range).',
  },
  PATIENT,
  {
    name: '_lastUpdated',
    type: 'date',
    documentation: 'meta.lastUpdated, as authored-on: a date or dateTime with a prefix; at most twice (a range).',
  },
  {
    name: 'output',
    type: 'reference',
    documentation: 'Task.output valueReference: Procedure/<id> or HealthcareService/<id>; comma is OR.',
  },
] as const satisfies readonly FhirSearchParam[];

export const SERVICE_REQUEST_SEARCH = [
  { name: '_id', type: 'token', documentation: 'ServiceRequest id (the referral id); comma is OR.' },
  {
    name: 'status',
    type: 'token',
    documentation: 'active, on-hold, completed, revoked or entered-in-error; comma is OR.',
  },
  {
    name: 'requester',
    type: 'reference',
    documentation: `The referring practice: ${BY_ORGANISATION}`,
    modifiers: ['identifier'],
  },
  PATIENT,
] as const satisfies readonly FhirSearchParam[];

export const COMMUNICATION_SEARCH = [
  { name: 'part-of', type: 'reference', documentation: 'Task/<id>: the feedback of one referral.' },
  {
    name: 'recipient',
    type: 'reference',
    documentation: `The practice the feedback went to: ${BY_ORGANISATION}`,
    modifiers: ['identifier'],
  },
  {
    name: 'sender',
    type: 'reference',
    documentation: `The welfare organisation that sent it: ${BY_ORGANISATION}`,
    modifiers: ['identifier'],
  },
] as const satisfies readonly FhirSearchParam[];

export const PROCEDURE_SEARCH = [
  { name: 'based-on', type: 'reference', documentation: 'ServiceRequest/<id>: the Procedures of one referral.' },
  PATIENT,
] as const satisfies readonly FhirSearchParam[];

/** Paging parameters every search takes (R4 result parameters, declared with the search). */
export const PAGING = [
  { name: '_count', type: 'number', documentation: 'Page size, 1 to 100 (default 50).' },
  { name: '_offset', type: 'number', documentation: 'Entries to skip (paging; the next and previous links carry it).' },
] as const satisfies readonly FhirSearchParam[];

export const REFERRAL_FHIR_ROUTES = {
  transaction: {
    kind: 'system',
    interaction: 'transaction',
    method: 'POST',
    path: '/fhir',
    policy: scoped(REFERRER),
    documentation: 'A referral as one ServiceRequest plus its Task (focus: the urn:uuid of the ServiceRequest).',
  },
  createServiceRequest: {
    kind: 'interaction',
    resource: 'ServiceRequest',
    interaction: 'create',
    method: 'POST',
    path: '/fhir/ServiceRequest',
    policy: scoped(REFERRER),
    documentation:
      'Creates the order (consent checked, patient data sealed), awaiting its Task: only the requester sees it until POST /fhir/Task. The patient as a contained Patient.',
  },
  readServiceRequest: {
    kind: 'interaction',
    resource: 'ServiceRequest',
    interaction: 'read',
    method: 'GET',
    path: '/fhir/ServiceRequest/:id',
    policy: scoped(PARTIES),
  },
  vreadServiceRequest: {
    kind: 'interaction',
    resource: 'ServiceRequest',
    interaction: 'vread',
    method: 'GET',
    path: '/fhir/ServiceRequest/:id/_history/:vid',
    policy: scoped(PARTIES),
    documentation: 'versionId is the version of the referral (its event stream).',
  },
  historyServiceRequest: {
    kind: 'interaction',
    resource: 'ServiceRequest',
    interaction: 'history-instance',
    method: 'GET',
    path: '/fhir/ServiceRequest/:id/_history',
    policy: scoped(PARTIES),
  },
  createTask: {
    kind: 'interaction',
    resource: 'Task',
    interaction: 'create',
    method: 'POST',
    path: '/fhir/Task',
    policy: scoped(REFERRER),
    conditionalCreate: true,
    documentation:
      'Creates the Task of a ServiceRequest created before (focus ServiceRequest/<id>): the referral is offered to the owner from then on. A second Task is 409; If-None-Exist (a Task search, e.g. focus=ServiceRequest/<id>) answers 200 with the one that matches.',
  },
  readTask: {
    kind: 'interaction',
    resource: 'Task',
    interaction: 'read',
    method: 'GET',
    path: '/fhir/Task/:id',
    policy: scoped(PARTIES),
  },
  vreadTask: {
    kind: 'interaction',
    resource: 'Task',
    interaction: 'vread',
    method: 'GET',
    path: '/fhir/Task/:id/_history/:vid',
    policy: scoped(PARTIES),
    documentation: 'versionId is the version of the referral (its event stream).',
  },
  historyTask: {
    kind: 'interaction',
    resource: 'Task',
    interaction: 'history-instance',
    method: 'GET',
    path: '/fhir/Task/:id/_history',
    policy: scoped(PARTIES),
  },
  updateTask: {
    kind: 'interaction',
    resource: 'Task',
    interaction: 'update',
    method: 'PUT',
    path: '/fhir/Task/:id',
    policy: scoped(PARTIES),
    documentation:
      'Versioned (If-Match: W/"n"). The owner sets accepted, rejected, in-progress, on-hold, failed or completed ' +
      '(statusReason, output); the requester cancelled or entered-in-error. Other elements cannot change.',
  },
  searchTask: {
    kind: 'interaction',
    resource: 'Task',
    interaction: 'search-type',
    method: 'GET',
    path: '/fhir/Task',
    policy: scoped(PARTIES),
    searchParams: [...TASK_SEARCH, ...PAGING],
    includes: ['Task:focus', 'Task:output'],
    documentation: "Scoped to the caller's organisation (either side of the referral).",
  },
  feedback: {
    kind: 'operation',
    resource: 'Task',
    name: 'feedback',
    method: 'GET',
    path: '/fhir/Task/:id/$feedback',
    policy: scoped(PARTIES),
    documentation: 'Terugkoppeling: the Communications of one referral (the same as Communication?part-of).',
  },
  searchCommunication: {
    kind: 'interaction',
    resource: 'Communication',
    interaction: 'search-type',
    method: 'GET',
    path: '/fhir/Communication',
    policy: scoped(PARTIES),
    searchParams: [...COMMUNICATION_SEARCH, ...PAGING],
    documentation:
      'Feedback from the welfare organisation to the practice: by referral (part-of), recipient or sender (one is required).',
  },
  searchServiceRequest: {
    kind: 'interaction',
    resource: 'ServiceRequest',
    interaction: 'search-type',
    method: 'GET',
    path: '/fhir/ServiceRequest',
    policy: scoped(PARTIES),
    searchParams: [...SERVICE_REQUEST_SEARCH, ...PAGING],
    documentation: "Scoped to the caller's organisation (either side of the referral).",
  },
  createProcedure: {
    kind: 'interaction',
    resource: 'Procedure',
    interaction: 'create',
    method: 'POST',
    path: '/fhir/Procedure',
    policy: scoped(RECIPIENT),
    documentation:
      'What the welfare organisation did for a referral (basedOn ServiceRequest/<id>, its subject), while the Task is ' +
      'accepted, in-progress or on-hold; linked from Task.output when the Task is completed. Codes, references and ' +
      'dates only: note and other free text are refused.',
  },
  readProcedure: {
    kind: 'interaction',
    resource: 'Procedure',
    interaction: 'read',
    method: 'GET',
    path: '/fhir/Procedure/:id',
    policy: scoped(PARTIES),
  },
  searchProcedure: {
    kind: 'interaction',
    resource: 'Procedure',
    interaction: 'search-type',
    method: 'GET',
    path: '/fhir/Procedure',
    policy: scoped(PARTIES),
    searchParams: [...PROCEDURE_SEARCH, ...PAGING],
    documentation: 'By based-on or patient (one is required); scoped to the parties of the referral.',
  },
  searchHealthcareService: {
    kind: 'interaction',
    resource: 'HealthcareService',
    interaction: 'search-type',
    method: 'GET',
    path: '/fhir/HealthcareService',
    policy: scoped(PARTIES),
    searchParams: [{ name: 'organization', type: 'reference', documentation: 'The welfare organisation (its id).' }],
    documentation:
      "An organisation's Welzijn op Recept service with Gravity's capacity-status extension, before referring.",
  },
  readHealthcareService: {
    kind: 'interaction',
    resource: 'HealthcareService',
    interaction: 'read',
    method: 'GET',
    path: '/fhir/HealthcareService/:id',
    policy: scoped(PARTIES),
    documentation: 'The id is the organisation id.',
  },
  // R4 Subscriptions Backport (subscriptions/): the GP system's own subscriptions to the Task topic.
  createSubscription: {
    kind: 'interaction',
    resource: 'Subscription',
    interaction: 'create',
    method: 'POST',
    path: '/fhir/Subscription',
    policy: scoped(REFERRER),
    documentation:
      'Topic <canonical base>/SubscriptionTopic/task-changes (a Task created or its status changed), filter ' +
      'Task?requester=<own organisation>, rest-hook, application/fhir+json, id-only; heartbeat-period optional.',
  },
  readSubscription: {
    kind: 'interaction',
    resource: 'Subscription',
    interaction: 'read',
    method: 'GET',
    path: '/fhir/Subscription/:id',
    policy: scoped(REFERRER),
  },
  searchSubscription: {
    kind: 'interaction',
    resource: 'Subscription',
    interaction: 'search-type',
    method: 'GET',
    path: '/fhir/Subscription',
    policy: scoped(REFERRER),
    searchParams: [{ name: 'status', type: 'token', documentation: 'Subscription status; comma is OR.' }],
    documentation: "The caller's organisation's subscriptions (at most 100).",
  },
  updateSubscription: {
    kind: 'interaction',
    resource: 'Subscription',
    interaction: 'update',
    method: 'PUT',
    path: '/fhir/Subscription/:id',
    policy: scoped(REFERRER),
    documentation: 'status off turns the subscription off (If-Match optional); nothing else changes.',
  },
  subscriptionStatus: {
    kind: 'operation',
    resource: 'Subscription',
    name: 'status',
    method: 'GET',
    path: '/fhir/Subscription/:id/$status',
    policy: scoped(REFERRER),
    documentation:
      'The backport-subscription-status-r4 Parameters: status, events-since-subscription-start, errors since the last delivery.',
  },
} as const satisfies FhirRouteTable;

const SDOHCC = 'http://hl7.org/fhir/us/sdoh-clinicalcare';

/** What the CapabilityStatement says beyond the table. */
export const referralCapability = (canonicalBase: string): CapabilityOptions => ({
  id: 'wor-referral',
  title: 'WoR referral service (FHIR R4, HL7 Gravity SDOHCC)',
  description:
    'Welzijn op Recept referrals as an SDOHCC ServiceRequest plus TaskForReferralManagement: the platform is the ' +
    'coordination server between the referring practice and the welfare organisation that receives the referral.',
  canonicalBase,
  instantiates: [
    `${SDOHCC}/CapabilityStatement/SDOHCC-ReferralRecipient`,
    `${SDOHCC}/CapabilityStatement/SDOHCC-CoordinationPlatform`,
  ],
  resources: {
    ServiceRequest: { supportedProfile: [PROFILES.serviceRequest] },
    Task: {
      supportedProfile: [PROFILES.task],
      notes:
        '_include=Task:output returns the Procedures; the HealthcareServices of output live in the social-map service.',
    },
    Procedure: {
      supportedProfile: [PROFILES.procedure],
      notes:
        'Written once by the welfare organisation (no update); codes, references and dates only. Task.output of the ' +
        'completing update names it.',
    },
    Subscription: {
      supportedProfile: ['http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription'],
    },
    HealthcareService: {
      notes:
        'Capacity only (SDOHCC-ExtensionHealthcareServiceCapacityStatus); the services of the sociale kaart are HSDS in the social-map service.',
    },
  },
  operations: {
    feedback: `${canonicalBase}/OperationDefinition/Task-feedback`,
    status: 'http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-status',
  },
  unsupported: [
    'XML',
    'update other than Task, patch and delete',
    'history of a type or of the whole system',
    'conditional create other than of a Task; conditional update and delete',
    '_include of HealthcareService (it lives in the social map); _revinclude',
    'chained search parameters, and modifiers other than :identifier and :missing',
    'batch Bundles',
    'Subscription channels other than rest-hook, payloads other than id-only, topics other than task-changes',
  ],
  date: '2026-12-02',
  version: '0.1.0',
});
