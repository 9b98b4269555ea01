// FHIR R4 ⇄ the referral, after the HL7 Gravity "SDOH Clinical Care" IG: a referral is an SDOHCC
// ServiceRequest (what is asked) plus an SDOHCC TaskForReferralManagement (who does it, how far it is).
// Both carry the referral id as their id. The profile, element by element:
// - ServiceRequest.subject: a reference to a contained Patient (BSN identifier, name, birthDate, gender,
//   telecom phone/email, and an extension contact-preference: phone, sms, email or gp-only; R4 has no element for
//   "through the GP only", and ContactPoint.rank cannot say it). Only written: reads carry the pseudonymous
//   subject id, never the BSN or contact data.
// - ServiceRequest.requester / Task.requester: the practice as an Organization identifier, with the
//   referrer's role (huisarts, POH...) in an extension on the reference.
// - ServiceRequest.performer / Task.owner: the welfare organisation as an Organization identifier.
// - code: SNOMED CT 871731000000106 "Referral to social prescribing service"; reasonCode: our reasons.
// - supportingInfo: Reference(Consent/<consentId>), the patient's consent the referral is shared under.
// - extension municipality: the CBS code (GMxxxx) of the patient's municipality.
// - note: the urgency note (free text: only written, sealed with the patient's key, never read back here).
// - Task.status: the Gravity status, 1:1 ours; businessStatus: the WoR step; statusReason: why it was
//   rejected, failed, put on hold or cancelled; output: linked social-map activities (HealthcareService by
//   social-map id), the Procedures the completion names and the completion outcome.
// Organisation and subject systems are those of the consent service's FHIR Consent, so both line up.
import { FailureReason, HoldReason, RejectionReason } from '@wor/contracts';
import { fhirCanonicalBase, formatIssuePath, narrative } from '@wor/service-kit';
import type { Communication, ServiceRequest, Task } from 'fhir/r4';
import type { z } from 'zod';
import type { FeedbackItem, LoadedReferral } from '../referral/application';
import { occurredAt, type ReferralEvent, type ReferralEventType, type ReferralStatus } from '../referral/events';
import { NewReferral } from '../referral/submission';

/**
 * Our own CodeSystems and extensions live under the canonical base (FHIR_CANONICAL_BASE, from the service's
 * settings): canonical URLs identify, they need not resolve, and they must never change under a client.
 */
const canonical = (path: string): string => `${fhirCanonicalBase()}${path}`;

export const SYSTEMS = {
  bsn: 'http://fhir.nl/fhir/NamingSystem/bsn',
  subject: 'urn:wor:subject-id',
  organisation: 'urn:wor:organisation-id',
  snomed: 'http://snomed.info/sct',
  get reason() {
    return canonical('/CodeSystem/referral-reason');
  },
  get referrerRole() {
    return canonical('/CodeSystem/referrer-role');
  },
  get municipality() {
    return canonical('/CodeSystem/cbs-municipality');
  },
  get step() {
    return canonical('/CodeSystem/referral-step');
  },
  get rejectionReason() {
    return canonical('/CodeSystem/rejection-reason');
  },
  get failureReason() {
    return canonical('/CodeSystem/failure-reason');
  },
  get holdReason() {
    return canonical('/CodeSystem/hold-reason');
  },
  get cancellationSource() {
    return canonical('/CodeSystem/cancellation-source');
  },
  get completionOutcome() {
    return canonical('/CodeSystem/completion-outcome');
  },
  get contactPreference() {
    return canonical('/CodeSystem/contact-preference');
  },
  get feedbackMoment() {
    return canonical('/CodeSystem/feedback-moment');
  },
  get taskOutputType() {
    return canonical('/CodeSystem/task-output-type');
  },
  taskCode: 'http://hl7.org/fhir/CodeSystem/task-code',
  taskStatus: 'http://hl7.org/fhir/task-status',
  sdohcc: 'http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes',
} as const;

export const EXTENSIONS = {
  get municipality() {
    return canonical('/StructureDefinition/municipality');
  },
  get referrerRole() {
    return canonical('/StructureDefinition/referrer-role');
  },
  get contactPreference() {
    return canonical('/StructureDefinition/contact-preference');
  },
} as const;

export const PROFILES = {
  serviceRequest: 'http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-ServiceRequest',
  task: 'http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-TaskForReferralManagement',
  procedure: 'http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-Procedure',
} as const;

export const SOCIAL_PRESCRIBING = {
  system: SYSTEMS.snomed,
  code: '871731000000106',
  display: 'Referral to social prescribing service',
} as const;

type Json = Record<string, unknown>;
export type Issue = { path: string; message: string };
export type FhirResource = Json & { resourceType: string; id?: string };

// ---------- reading FHIR input ----------

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const arrayAt = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Walks a FHIR resource, collecting every problem with its FHIR path instead of stopping at the first. */
class Reader {
  readonly issues: Issue[] = [];
  constructor(readonly root: string) {}
  path(...parts: (string | number)[]): string {
    return parts.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : `${acc}.${p}`), this.root);
  }
  fail(message: string, ...parts: (string | number)[]): undefined {
    this.issues.push({ path: this.path(...parts), message });
    return undefined;
  }
  /** The index and code of the first coding of `system` in a CodeableConcept. */
  codeOf(concept: unknown, system: string, ...parts: (string | number)[]): { code: string; at: string } | undefined {
    if (!isObject(concept)) return this.fail('a CodeableConcept', ...parts);
    const codings = arrayAt(concept.coding);
    const index = codings.findIndex((c) => isObject(c) && c.system === system);
    const coding = codings[index] as Json | undefined;
    if (!coding) return this.fail(`a coding of ${system}`, ...parts, 'coding');
    if (typeof coding.code !== 'string') return this.fail('a code', ...parts, 'coding', index, 'code');
    return { code: coding.code, at: this.path(...parts, 'coding', index, 'code') };
  }
  /** An Organization reference by identifier of our organisation system. */
  organisationOf(reference: unknown, ...parts: (string | number)[]): { value: string; at: string } | undefined {
    const identifier = isObject(reference) ? reference.identifier : undefined;
    if (!isObject(identifier) || identifier.system !== SYSTEMS.organisation || typeof identifier.value !== 'string')
      return this.fail(`an Organization reference by identifier (system ${SYSTEMS.organisation})`, ...parts);
    return { value: identifier.value, at: this.path(...parts, 'identifier', 'value') };
  }
}

/** Where each field of NewReferral came from, so that its validation issues name FHIR paths. */
type Origins = Map<string, string>;

const translate = (path: string, origins: Origins, fallback: string): string => {
  // The longest NewReferral path prefix that has an origin (e.g. patient.name.given → the given name).
  for (let p = path; p; p = p.replace(/(\.[^.[\]]*|\[\d+\])$/, '')) {
    const origin = origins.get(p);
    if (origin) return origin;
    if (!/[.[]/.test(p)) break;
  }
  return fallback;
};

export type FromFhirResult = { ok: true; referral: NewReferral; origins: Origins } | { ok: false; issues: Issue[] };

/**
 * A Gravity ServiceRequest (with its contained Patient) as the internal submission. `root` is the FHIR path
 * of the resource in the request (`ServiceRequest`, or `Bundle.entry[0].resource` in a transaction).
 */
export const serviceRequestToReferral = (resource: unknown, root = 'ServiceRequest'): FromFhirResult => {
  const r = new Reader(root);
  if (!isObject(resource) || resource.resourceType !== 'ServiceRequest')
    return { ok: false, issues: [{ path: `${root}.resourceType`, message: "must be 'ServiceRequest'" }] };
  const origins: Origins = new Map();
  const candidate: Json = {};
  const set = (field: string, value: unknown, origin: string) => {
    candidate[field] = value;
    origins.set(field, origin);
  };

  if (resource.modifierExtension !== undefined) r.fail('modifier extensions are not understood', 'modifierExtension');
  // The GP system keeps drafts; what reaches us is an active order.
  if (resource.status !== 'active') r.fail("must be 'active' (drafts stay in the GP system)", 'status');
  if (resource.intent !== 'order') r.fail("must be 'order'", 'intent');
  const code = isObject(resource.code) ? arrayAt(resource.code.coding) : [];
  if (!code.some((c) => isObject(c) && c.system === SOCIAL_PRESCRIBING.system && c.code === SOCIAL_PRESCRIBING.code))
    r.fail(`must carry SNOMED CT ${SOCIAL_PRESCRIBING.code} (${SOCIAL_PRESCRIBING.display})`, 'code');

  // The patient: a contained Patient the subject points at.
  const subjectRef = isObject(resource.subject) ? resource.subject.reference : undefined;
  const contained = arrayAt(resource.contained);
  const patientIndex = contained.findIndex(
    (c) =>
      isObject(c) &&
      c.resourceType === 'Patient' &&
      typeof subjectRef === 'string' &&
      subjectRef === `#${String(c.id)}`,
  );
  if (patientIndex < 0) r.fail('a reference (#id) to a contained Patient', 'subject');
  else {
    const patient = contained[patientIndex] as Json;
    const at = (...parts: (string | number)[]) => r.path('contained', patientIndex, ...parts);
    const identifiers = arrayAt(patient.identifier);
    const bsnIndex = identifiers.findIndex((i) => isObject(i) && i.system === SYSTEMS.bsn);
    const names = arrayAt(patient.name);
    const name = (names.find((n) => isObject(n) && n.use === 'official') ?? names[0]) as Json | undefined;
    const nameIndex = name ? names.indexOf(name) : 0;
    const given = name && Array.isArray(name.given) ? name.given.join(' ') : undefined;
    const telecom = arrayAt(patient.telecom);
    const phoneIndex = telecom.findIndex((t) => isObject(t) && t.system === 'phone');
    const emailIndex = telecom.findIndex((t) => isObject(t) && t.system === 'email');
    const value: Json = {
      bsn: bsnIndex < 0 ? undefined : (identifiers[bsnIndex] as Json).value,
      name: name ? { given, family: name.family } : undefined,
      birthDate: patient.birthDate,
      sex: patient.gender,
    };
    if (phoneIndex >= 0) value.phone = (telecom[phoneIndex] as Json).value;
    if (emailIndex >= 0) value.email = (telecom[emailIndex] as Json).value;
    const extensions = arrayAt(patient.extension);
    const preferenceIndex = extensions.findIndex((x) => isObject(x) && x.url === EXTENSIONS.contactPreference);
    if (preferenceIndex >= 0) {
      const hit = r.codeOf(
        { coding: [(extensions[preferenceIndex] as Json).valueCoding] },
        SYSTEMS.contactPreference,
        'contained',
        patientIndex,
        'extension',
        preferenceIndex,
        'valueCoding',
      );
      if (hit) value.contactPreference = hit.code;
    }
    set('patient', value, at());
    origins.set('patient.bsn', bsnIndex < 0 ? at('identifier') : at('identifier', bsnIndex, 'value'));
    origins.set('patient.name', at('name'));
    origins.set('patient.name.given', at('name', nameIndex, 'given'));
    origins.set('patient.name.family', at('name', nameIndex, 'family'));
    origins.set('patient.birthDate', at('birthDate'));
    origins.set('patient.sex', at('gender'));
    origins.set('patient.phone', at('telecom', phoneIndex, 'value'));
    origins.set('patient.email', at('telecom', emailIndex, 'value'));
    origins.set('patient.contactPreference', at('extension', preferenceIndex, 'valueCoding', 'code'));
  }

  const municipalityIndex = arrayAt(resource.extension).findIndex(
    (e) => isObject(e) && e.url === EXTENSIONS.municipality,
  );
  if (municipalityIndex < 0)
    r.fail(`an extension ${EXTENSIONS.municipality} with the CBS municipality code`, 'extension');
  else {
    const hit = r.codeOf(
      { coding: [(arrayAt(resource.extension)[municipalityIndex] as Json).valueCoding] },
      SYSTEMS.municipality,
      'extension',
      municipalityIndex,
      'valueCoding',
    );
    if (hit) set('municipality', hit.code, r.path('extension', municipalityIndex, 'valueCoding', 'code'));
  }

  const requester = r.organisationOf(resource.requester, 'requester');
  if (requester) set('practiceId', requester.value, requester.at);
  const roleIndex = isObject(resource.requester)
    ? arrayAt(resource.requester.extension).findIndex((e) => isObject(e) && e.url === EXTENSIONS.referrerRole)
    : -1;
  if (roleIndex < 0)
    r.fail(`an extension ${EXTENSIONS.referrerRole} with the referrer's role`, 'requester', 'extension');
  else {
    const ext = arrayAt((resource.requester as Json).extension)[roleIndex] as Json;
    const hit = r.codeOf(
      { coding: [ext.valueCoding] },
      SYSTEMS.referrerRole,
      'requester',
      'extension',
      roleIndex,
      'valueCoding',
    );
    if (hit) set('referrerRole', hit.code, r.path('requester', 'extension', roleIndex, 'valueCoding', 'code'));
  }

  const performers = arrayAt(resource.performer);
  if (performers.length !== 1) r.fail('exactly one performer: the welfare organisation', 'performer');
  else {
    const performer = r.organisationOf(performers[0], 'performer', 0);
    if (performer) set('recipientOrganisationId', performer.value, performer.at);
  }

  const reasonCodes = arrayAt(resource.reasonCode);
  if (reasonCodes.length === 0) r.fail('at least one reason for referral', 'reasonCode');
  const reasons = reasonCodes.map((c, i) => {
    const hit = r.codeOf(c, SYSTEMS.reason, 'reasonCode', i);
    if (hit) origins.set(`reasons[${i}]`, hit.at);
    return hit?.code;
  });
  set('reasons', reasons, r.path('reasonCode'));

  const consentRefs = arrayAt(resource.supportingInfo).flatMap((s, i) => {
    const ref = isObject(s) && typeof s.reference === 'string' ? /^Consent\/(.+)$/.exec(s.reference) : null;
    return ref ? [{ id: ref[1], at: r.path('supportingInfo', i, 'reference') }] : [];
  });
  if (consentRefs.length !== 1)
    r.fail('exactly one Reference(Consent/<id>): the consent the referral is shared under', 'supportingInfo');
  else set('consentId', consentRefs[0]!.id, consentRefs[0]!.at);

  const notes = arrayAt(resource.note);
  if (notes.length > 1) r.fail('at most one note (the urgency note)', 'note');
  if (notes.length === 1) set('urgencyNote', isObject(notes[0]) ? notes[0].text : undefined, r.path('note', 0, 'text'));

  if (r.issues.length) return { ok: false, issues: r.issues };
  const parsed = NewReferral.safeParse(candidate);
  if (!parsed.success) return { ok: false, issues: issuesOf(parsed.error, origins, root) };
  return { ok: true, referral: parsed.data, origins };
};

const issuesOf = (error: z.core.$ZodError, origins: Origins, root: string): Issue[] =>
  error.issues.map((i) => ({ path: translate(formatIssuePath(i.path), origins, root), message: i.message }));

/** A NewReferral path (as submitReferral's own 422s name them) as the FHIR path it came from. */
export const fhirPathOf = (path: string, origins: Origins, root: string): string => translate(path, origins, root);

/**
 * A Task posted with (or after) its ServiceRequest: Gravity's TaskForReferralManagement in its first
 * status. It says nothing the ServiceRequest does not, so it only has to agree with it.
 */
export const checkNewTask = (
  resource: unknown,
  expect: { focus: string; practiceId: string; recipientOrganisationId: string },
  root = 'Task',
): Issue[] => {
  const r = new Reader(root);
  if (!isObject(resource) || resource.resourceType !== 'Task')
    return [{ path: `${root}.resourceType`, message: "must be 'Task'" }];
  if (resource.status !== 'requested') r.fail("must be 'requested'", 'status');
  if (resource.intent !== 'order') r.fail("must be 'order'", 'intent');
  const focus = isObject(resource.focus) ? resource.focus.reference : undefined;
  const basedOn = arrayAt(resource.basedOn).map((b) => (isObject(b) ? b.reference : undefined));
  if (focus !== expect.focus && !(focus === undefined && basedOn.includes(expect.focus)))
    r.fail(`must reference ${expect.focus}`, 'focus');
  if (resource.requester !== undefined) {
    const requester = r.organisationOf(resource.requester, 'requester');
    if (requester && requester.value !== expect.practiceId)
      r.fail("must be the ServiceRequest's requester", 'requester', 'identifier', 'value');
  }
  if (resource.owner !== undefined) {
    const owner = r.organisationOf(resource.owner, 'owner');
    if (owner && owner.value !== expect.recipientOrganisationId)
      r.fail("must be the ServiceRequest's performer", 'owner', 'identifier', 'value');
  }
  return r.issues;
};

// ---------- writing FHIR output: codes and ids only ----------

export const organisation = (id: string) => ({
  type: 'Organization',
  identifier: { system: SYSTEMS.organisation, value: id },
});
const concept = (system: string, code: string) => ({ coding: [{ system, code }] });

export const lastModifiedOf = ({ state, events }: LoadedReferral): string =>
  events.reduce(
    (latest, e) => (new Date(occurredAt(e)) > new Date(latest) ? occurredAt(e) : latest),
    state.requestedAt,
  );

const meta = (loaded: LoadedReferral, profile: string) => ({
  versionId: String(loaded.version),
  lastUpdated: lastModifiedOf(loaded),
  profile: [profile],
});

/** How far the WoR steps got: the Task's businessStatus. */
export const STEPS = [
  'received',
  'accepted',
  'coach-assigned',
  'contact-attempted',
  'first-contact-made',
  'intake-held',
  'activity-linked',
] as const;
export type Step = (typeof STEPS)[number];
export const stepOf = ({ state }: LoadedReferral): Step =>
  state.intake && state.activities.length
    ? 'activity-linked'
    : state.intake
      ? 'intake-held'
      : state.firstContactAt
        ? 'first-contact-made'
        : state.contactAttempts > 0
          ? 'contact-attempted'
          : state.coachId
            ? 'coach-assigned'
            : state.acceptedAt
              ? 'accepted'
              : 'received';

/** The latest event of a type, e.g. the rejection that put the referral in `rejected`. */
const lastOf = (events: ReferralEvent[], type: ReferralEventType): ReferralEvent | undefined =>
  events.filter((e) => e.type === type).at(-1);

const statusReasonOf = ({ state, events }: LoadedReferral) => {
  const e = lastOf(events, STATUS_REASON_EVENT[state.status] ?? 'ReferralRequested');
  switch (e?.type) {
    case 'ReferralRejected':
      return concept(SYSTEMS.rejectionReason, e.data.reason);
    case 'ReferralFailed':
      return concept(SYSTEMS.failureReason, e.data.reason);
    case 'ReferralPutOnHold':
      return concept(SYSTEMS.holdReason, e.data.reason);
    case 'ReferralCancelled':
      return concept(SYSTEMS.cancellationSource, e.data.cancelledBy);
    default:
      return undefined;
  }
};

/** The event whose reason explains the status (Task.statusReason). */
const STATUS_REASON_EVENT: Partial<Record<ReferralStatus, ReferralEventType>> = {
  rejected: 'ReferralRejected',
  failed: 'ReferralFailed',
  'on-hold': 'ReferralPutOnHold',
  cancelled: 'ReferralCancelled',
};

/** ServiceRequest.status for each Task status: the order is active while the Task runs. */
export const SERVICE_REQUEST_STATUS: Record<ReferralStatus, ServiceRequest['status']> = {
  requested: 'active',
  accepted: 'active',
  'in-progress': 'active',
  'on-hold': 'on-hold',
  completed: 'completed',
  rejected: 'revoked',
  failed: 'revoked',
  cancelled: 'revoked',
  'entered-in-error': 'entered-in-error',
};

/** The pseudonymous subject, as a logical reference: never the BSN, never a contained Patient. */
export const subjectOf = (subjectId: string) => ({
  type: 'Patient',
  identifier: { system: SYSTEMS.subject, value: subjectId },
});

const requesterOf = (loaded: LoadedReferral) => ({
  ...organisation(loaded.state.practiceId),
  extension: [
    { url: EXTENSIONS.referrerRole, valueCoding: { system: SYSTEMS.referrerRole, code: loaded.state.referrerRole } },
  ],
});

/** The ServiceRequest as anyone party to the referral reads it: no contact data, no urgency note. */
export const toServiceRequest = (loaded: LoadedReferral): ServiceRequest => {
  const { state } = loaded;
  return {
    resourceType: 'ServiceRequest',
    id: state.referralId,
    meta: meta(loaded, PROFILES.serviceRequest),
    text: narrative([
      `Verwijzing Welzijn op Recept ${state.referralId}: ${SERVICE_REQUEST_STATUS[state.status]}`,
      `Van ${state.practiceId} aan ${state.recipientOrganisationId}; redenen: ${state.reasons.join(', ')}`,
    ]),
    extension: [
      { url: EXTENSIONS.municipality, valueCoding: { system: SYSTEMS.municipality, code: state.municipality } },
    ],
    status: SERVICE_REQUEST_STATUS[state.status],
    intent: 'order',
    code: { coding: [SOCIAL_PRESCRIBING] },
    subject: subjectOf(state.subjectId),
    authoredOn: state.orderedAt,
    requester: requesterOf(loaded),
    performer: [organisation(state.recipientOrganisationId)],
    reasonCode: state.reasons.map((reason) => concept(SYSTEMS.reason, reason)),
    supportingInfo: [{ reference: `Consent/${state.consentId}` }],
  };
};

/** The Task: Gravity status, WoR step, reasons, linked activities and outcome. */
export const toTask = (loaded: LoadedReferral): Task => {
  const { state, events } = loaded;
  const statusReason = statusReasonOf(loaded);
  const completed = state.status === 'completed' ? lastOf(events, 'ReferralCompleted') : undefined;
  const outcome = completed?.type === 'ReferralCompleted' ? completed.data.outcome : undefined;
  const procedures = completed?.type === 'ReferralCompleted' ? (completed.data.procedureIds ?? []) : [];
  const output = [
    ...state.activities.map((a) => ({
      type: { coding: [{ system: SYSTEMS.sdohcc, code: 'resulting-activity' }] },
      valueReference: { reference: `HealthcareService/${a.serviceId}`, display: a.name },
    })),
    ...procedures.map((id) => ({
      type: { coding: [{ system: SYSTEMS.sdohcc, code: 'resulting-activity' }] },
      valueReference: { reference: `Procedure/${id}` },
    })),
    ...(outcome
      ? [
          {
            type: concept(SYSTEMS.taskOutputType, 'completion-outcome'),
            valueCodeableConcept: concept(SYSTEMS.completionOutcome, outcome),
          },
        ]
      : []),
  ];
  return {
    resourceType: 'Task',
    id: state.referralId,
    meta: meta(loaded, PROFILES.task),
    text: narrative([
      `Taak bij verwijzing ${state.referralId}: ${state.status} (stap ${stepOf(loaded)})`,
      `Van ${state.practiceId} aan ${state.recipientOrganisationId}`,
    ]),
    status: state.status,
    ...(statusReason ? { statusReason } : {}),
    businessStatus: concept(SYSTEMS.step, stepOf(loaded)),
    intent: 'order',
    code: { coding: [{ system: SYSTEMS.taskCode, code: 'fulfill' }] },
    focus: { reference: `ServiceRequest/${state.referralId}` },
    for: subjectOf(state.subjectId),
    ...(state.acceptedAt || state.closedAt
      ? {
          executionPeriod: {
            ...(state.acceptedAt ? { start: state.acceptedAt } : {}),
            ...(state.closedAt ? { end: state.closedAt } : {}),
          },
        }
      : {}),
    authoredOn: state.requestedAt,
    lastModified: lastModifiedOf(loaded),
    requester: requesterOf(loaded),
    owner: organisation(state.recipientOrganisationId),
    ...(output.length ? { output } : {}),
  };
};

/**
 * Terugkoppeling as FHIR Communications from the welfare organisation to the practice, part of the Task:
 * topic is the moment, reasonCode the coded summary, payload the coach's message and linked activities.
 */
export const toCommunications = (loaded: LoadedReferral & { feedback: FeedbackItem[] }): Communication[] => {
  const { state } = loaded;
  return loaded.feedback.map((f, i) => {
    const reasonCode = [
      concept(SYSTEMS.taskStatus, f.summary.status),
      ...(f.summary.reasonCode ? [concept(reasonSystemOf(f.summary.reasonCode), f.summary.reasonCode)] : []),
      ...(f.summary.outcome ? [concept(SYSTEMS.completionOutcome, f.summary.outcome)] : []),
    ];
    const payload = [
      ...(f.message ? [{ contentString: f.message }] : []),
      ...f.summary.activities.map((a) => ({
        contentReference: { reference: `HealthcareService/${a.serviceId}`, display: a.name },
      })),
    ];
    return {
      resourceType: 'Communication',
      id: `${state.referralId}-${i + 1}`,
      text: narrative([`Terugkoppeling ${f.moment} bij verwijzing ${state.referralId}, verzonden ${f.sentAt}`]),
      status: 'completed',
      partOf: [{ reference: `Task/${state.referralId}` }],
      about: [{ reference: `ServiceRequest/${state.referralId}` }],
      topic: concept(SYSTEMS.feedbackMoment, f.moment),
      subject: subjectOf(state.subjectId),
      sent: f.sentAt,
      sender: organisation(state.recipientOrganisationId),
      recipient: [organisation(state.practiceId)],
      reasonCode,
      ...(payload.length ? { payload } : {}),
    };
  });
};

const reasonSystemOf = (code: string): string =>
  RejectionReason.safeParse(code).success
    ? SYSTEMS.rejectionReason
    : FailureReason.safeParse(code).success
      ? SYSTEMS.failureReason
      : HoldReason.safeParse(code).success
        ? SYSTEMS.holdReason
        : SYSTEMS.cancellationSource;
