import type { LoadedReferral } from '../referral/application';
import type { ReferralEvent } from '../referral/events';
import { initialState, referralDecider, type ReferralState } from '../referral/referral';
import { events as e, facts, historyIn, referralId, sealed, serviceId } from '../referral/testing/fixtures';
import type { NewReferral } from '../referral/submission';
import serviceRequestExample from './examples/service-request.json';
import taskExample from './examples/task.json';
import {
  checkNewTask,
  fhirPathOf,
  serviceRequestToReferral,
  stepOf,
  SYSTEMS,
  toCommunications,
  toServiceRequest,
  toTask,
} from './mapping';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const loaded = (events: ReferralEvent[]): LoadedReferral => ({
  state: events.reduce(referralDecider.evolve, initialState()) as ReferralState,
  version: events.length - 1,
  events,
});
const issuesOf = (resource: unknown) => {
  const result = serviceRequestToReferral(resource);
  if (result.ok) throw new Error('expected issues');
  return result.issues;
};

/** What the referral service stores of a submission (as submitReferral hands it on): codes, sealed data. */
const requestedFrom = (referral: NewReferral): ReferralEvent => ({
  type: 'ReferralRequested',
  data: {
    ...facts,
    consentId: referral.consentId,
    municipality: referral.municipality,
    practiceId: referral.practiceId,
    recipientOrganisationId: referral.recipientOrganisationId,
    referrerRole: referral.referrerRole,
    reasons: referral.reasons,
    sex: referral.patient.sex,
    patient: sealed('contact'),
    urgencyNote: referral.urgencyNote ? sealed('note') : null,
    requestedAt: '2026-11-23T10:00:00.000Z',
    requestedBy: 'gp-1',
  },
});

describe('FHIR mapping (Gravity SDOHCC ServiceRequest + Task)', () => {
  it('reads the example ServiceRequest as the internal submission', () => {
    const result = serviceRequestToReferral(serviceRequestExample);
    expect(result.ok && result.referral).toEqual({
      consentId: '8c2b3a6e-2f7d-4a43-9d55-2d0f4d2b9b11',
      patient: {
        bsn: '999990019',
        name: { given: 'Jet', family: 'Voorbeeld' },
        birthDate: '1955-04-12',
        sex: 'female',
        phone: '+31 6 12345678',
        email: 'jet.voorbeeld@example.org',
      },
      municipality: 'GM0363',
      practiceId: 'huisarts-beterschap',
      recipientOrganisationId: 'welzijn-beterstad',
      referrerRole: 'poh-ggz',
      reasons: ['eenzaamheid', 'rouw'],
      urgencyNote: 'Belt liever na 10 uur; weduwe sinds kort.',
    } satisfies NewReferral);
  });

  it('round-trips FHIR → internal → FHIR: every code keeps its meaning, personal data is not read back', () => {
    const result = serviceRequestToReferral(serviceRequestExample);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const back = toServiceRequest(loaded([requestedFrom(result.referral)]));
    const { contained: _c, note: _n, subject: _s, meta: _m, ...meaning } = serviceRequestExample;
    // reasonCode[0].text is a display text; codes carry the meaning.
    meaning.reasonCode = meaning.reasonCode.map(({ coding }) => ({ coding }));
    expect(back).toMatchObject(meaning);
    expect(back).toMatchObject({
      id: referralId,
      meta: { versionId: '0', lastUpdated: '2026-11-23T10:00:00.000Z', profile: serviceRequestExample.meta.profile },
      subject: { type: 'Patient', identifier: { system: SYSTEMS.subject, value: facts.subjectId } },
      authoredOn: '2026-11-23T10:00:00.000Z',
    });
    expect(back.contained).toBeUndefined();
    expect(back.note).toBeUndefined();
    const text = JSON.stringify(back);
    for (const personal of ['999990019', 'Voorbeeld', 'Jet', '1955', '12345678', 'example.org', 'weduwe'])
      expect(text).not.toContain(personal);
    // And what is read back reads in again as the same codes (given the patient the GP system holds).
    const again = serviceRequestToReferral({
      ...back,
      contained: serviceRequestExample.contained,
      subject: { reference: '#patient' },
    });
    expect(again.ok && { ...again.referral }).toEqual({ ...result.referral, urgencyNote: undefined });
  });

  it('names FHIR paths for every problem, all at once', () => {
    const bad = clone(serviceRequestExample) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    bad.contained[0].identifier[0].value = '1234';
    bad.contained[0].gender = 'f';
    bad.reasonCode[1].coding[0].code = 'verveling';
    bad.extension[0].valueCoding.code = 'Amsterdam';
    bad.performer[0].identifier.value = 'Welzijn Beterstad!';
    bad.supportingInfo[0].reference = 'Consent/not-a-uuid';
    expect(
      issuesOf(bad)
        .map((i) => i.path)
        .sort(),
    ).toEqual(
      [
        'ServiceRequest.contained[0].identifier[0].value',
        'ServiceRequest.contained[0].gender',
        'ServiceRequest.reasonCode[1].coding[0].code',
        'ServiceRequest.extension[0].valueCoding.code',
        'ServiceRequest.performer[0].identifier.value',
        'ServiceRequest.supportingInfo[0].reference',
      ].sort(),
    );

    const shapeless = clone(serviceRequestExample) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    shapeless.subject = { reference: 'Patient/123' };
    shapeless.code.coding[0].code = '306206006';
    shapeless.status = 'draft';
    delete shapeless.requester.extension;
    shapeless.reasonCode = [];
    expect(issuesOf(shapeless).map((i) => i.path)).toEqual([
      'ServiceRequest.status',
      'ServiceRequest.code',
      'ServiceRequest.subject',
      'ServiceRequest.requester.extension',
      'ServiceRequest.reasonCode',
    ]);
    expect(issuesOf({ resourceType: 'Task' })).toEqual([
      { path: 'ServiceRequest.resourceType', message: "must be 'ServiceRequest'" },
    ]);
  });

  it('names paths inside a transaction Bundle, and maps submission paths (patient.birthDate) back to FHIR', () => {
    const bad = clone(serviceRequestExample);
    bad.contained[0]!.birthDate = '12-04-1955';
    const result = serviceRequestToReferral(bad, 'Bundle.entry[0].resource');
    expect(!result.ok && result.issues.map((i) => i.path)).toEqual(['Bundle.entry[0].resource.contained[0].birthDate']);
    const good = serviceRequestToReferral(serviceRequestExample);
    if (!good.ok) throw new Error('expected the example to be valid');
    expect(fhirPathOf('patient.birthDate', good.origins, 'ServiceRequest')).toBe(
      'ServiceRequest.contained[0].birthDate',
    );
    expect(fhirPathOf('patient.name.given', good.origins, 'ServiceRequest')).toBe(
      'ServiceRequest.contained[0].name[0].given',
    );
    expect(fhirPathOf('somewhere.else', good.origins, 'ServiceRequest')).toBe('ServiceRequest');
  });

  it('accepts a Task that agrees with its ServiceRequest, and names what does not', () => {
    const focus = `ServiceRequest/${referralId}`;
    const expectation = { focus, practiceId: 'huisarts-beterschap', recipientOrganisationId: 'welzijn-beterstad' };
    const task = { ...clone(taskExample), focus: { reference: focus } };
    expect(checkNewTask(task, expectation)).toEqual([]);
    expect(checkNewTask({ ...task, focus: undefined, basedOn: [{ reference: focus }] }, expectation)).toEqual([]);
    const wrong = {
      ...task,
      status: 'accepted',
      owner: { identifier: { system: SYSTEMS.organisation, value: 'welzijn-elders' } },
      focus: { reference: 'ServiceRequest/x' },
    };
    expect(checkNewTask(wrong, expectation).map((i) => i.path)).toEqual([
      'Task.status',
      'Task.focus',
      'Task.owner.identifier.value',
    ]);
  });

  it('maps every status 1:1 to the Task, with the WoR step, the reason and the outputs', () => {
    for (const [status, history] of Object.entries(historyIn)) {
      const task = toTask(loaded(history));
      expect(task).toMatchObject({
        resourceType: 'Task',
        id: referralId,
        status,
        intent: 'order',
        focus: { reference: `ServiceRequest/${referralId}` },
      });
      expect(task.meta).toMatchObject({ versionId: String(history.length - 1) });
    }
    expect(toTask(loaded(historyIn.requested))).toMatchObject({
      businessStatus: { coding: [{ system: SYSTEMS.step, code: 'received' }] },
    });
    expect(toTask(loaded(historyIn.rejected)).statusReason).toEqual({
      coding: [{ system: SYSTEMS.rejectionReason, code: 'outside-area' }],
    });
    expect(toTask(loaded(historyIn.failed)).statusReason).toEqual({
      coding: [{ system: SYSTEMS.failureReason, code: 'declined' }],
    });
    expect(toTask(loaded(historyIn['on-hold'])).statusReason).toEqual({
      coding: [{ system: SYSTEMS.holdReason, code: 'patient-unwell' }],
    });
    expect(toTask(loaded(historyIn.cancelled)).statusReason).toEqual({
      coding: [{ system: SYSTEMS.cancellationSource, code: 'referrer' }],
    });
    expect(toTask(loaded(historyIn.accepted)).statusReason).toBeUndefined();

    const done = loaded([...historyIn['in-progress'], e.intake, e.activityLinked, e.completed]);
    expect(stepOf(done)).toBe('activity-linked');
    expect(toTask(done)).toMatchObject({
      businessStatus: { coding: [{ code: 'activity-linked' }] },
      executionPeriod: { start: e.accepted.data.acceptedAt, end: e.completed.data.completedAt },
      owner: { identifier: { system: SYSTEMS.organisation, value: 'welzijn-beterstad' } },
      requester: { identifier: { system: SYSTEMS.organisation, value: 'huisarts-beterschap' } },
      for: { identifier: { system: SYSTEMS.subject, value: facts.subjectId } },
      output: [
        {
          type: { coding: [{ code: 'resulting-activity' }] },
          valueReference: { reference: `HealthcareService/${serviceId}`, display: 'Wandelgroep De Blijebuurt' },
        },
        { valueCodeableConcept: { coding: [{ system: SYSTEMS.completionOutcome, code: 'linked-to-activity' }] } },
      ],
    });
    expect([stepOf(loaded(historyIn.accepted)), stepOf(loaded(historyIn['in-progress']))]).toEqual([
      'coach-assigned',
      'first-contact-made',
    ]);
  });

  it('writes terugkoppeling as Communications from the organisation to the practice', () => {
    const base = loaded(historyIn.rejected);
    const [communication] = toCommunications({
      ...base,
      feedback: [
        {
          moment: 'rejection',
          sentAt: e.rejected.data.rejectedAt,
          message: 'Buiten ons werkgebied.',
          summary: {
            status: 'rejected',
            reasonCode: 'outside-area',
            outcome: null,
            activities: [],
            positiveHealth: null,
          },
        },
      ],
    });
    expect(communication).toEqual({
      resourceType: 'Communication',
      id: `${referralId}-1`,
      text: {
        status: 'generated',
        div: expect.stringContaining(`Terugkoppeling rejection bij verwijzing ${referralId}`),
      },
      status: 'completed',
      partOf: [{ reference: `Task/${referralId}` }],
      about: [{ reference: `ServiceRequest/${referralId}` }],
      topic: { coding: [{ system: SYSTEMS.feedbackMoment, code: 'rejection' }] },
      subject: { type: 'Patient', identifier: { system: SYSTEMS.subject, value: facts.subjectId } },
      sent: e.rejected.data.rejectedAt,
      sender: { type: 'Organization', identifier: { system: SYSTEMS.organisation, value: 'welzijn-beterstad' } },
      recipient: [{ type: 'Organization', identifier: { system: SYSTEMS.organisation, value: 'huisarts-beterschap' } }],
      reasonCode: [
        { coding: [{ system: SYSTEMS.taskStatus, code: 'rejected' }] },
        { coding: [{ system: SYSTEMS.rejectionReason, code: 'outside-area' }] },
      ],
      payload: [{ contentString: 'Buiten ons werkgebied.' }],
    });
  });
});
