// The referral application service: what REST and FHIR both call. It loads the referral, checks the
// caller's organisation, makes the access decision for personal data, seals free text with the
// patient's key, logs every access (NEN 7513), and appends with the version the caller last saw.
import { ContactPreference, type ConsentPurpose, type DataCategory } from '@wor/contracts';
import {
  ConcurrencyConflictError,
  ForbiddenError,
  handleCommand,
  NotFoundError,
  StaleVersionError,
  type EventMetadata,
  type EventStore,
} from '@wor/event-store';
import type { SealedPersonalData, SubjectKeyStore } from '@wor/privacy';
import { NOT_A_PARTY, type AccessEntry, type AccessLog } from '../access-log/access-log';
import { readProcedures } from '../procedure/procedures';
import { declaredReason, decideNeedToKnow, type TakeoverReason } from '../need-to-know/need-to-know';
import { readSettings } from '../need-to-know/settings';
import type { AccessDecision, AccessQuestion } from '../consent-view';
import type { KnownService, ReferralCommand } from './commands';
import type { FeedbackSummary, ReferralEvent, ReferralFacts } from './events';
import { referralStreamFacts } from './integration-events';
import { sideOfRole, type ActCommand } from './steps';
import { initialState, referralDecider, referralStreamId, type Referral, type ReferralState } from './referral';

/** Who acts: the token's subject, one role, and the organisation the token names. */
export type Actor = Readonly<{ userId: string; role: string; organisationId: string | null; metadata: EventMetadata }>;

export type LoadedReferral = Readonly<{ state: ReferralState; version: number; events: ReferralEvent[] }>;

export type ReferralsConfig = Readonly<{ notReachableAfterAttempts: number }>;

export type ReferralsDeps = Readonly<{
  store: EventStore;
  keys: SubjectKeyStore;
  accessLog: AccessLog;
  checkAccess: (question: AccessQuestion) => Promise<AccessDecision>;
  findService: (serviceId: string) => Promise<KnownService | undefined>;
  now: () => Date;
  config: ReferralsConfig;
}>;

/** The referral's version in an `ETag`, and back from an `If-Match`. */
export const etagOf = (version: number): string => `W/"${version}"`;

/** Which side of the referral an organisation is on; anyone else does not see it exist. */
export const sideOf = (state: ReferralState, organisationId: string | null): 'referrer' | 'recipient' | undefined =>
  organisationId === state.practiceId
    ? 'referrer'
    : organisationId === state.recipientOrganisationId
      ? 'recipient'
      : undefined;

export type PersonalDetails = Readonly<{
  patient: unknown;
  urgencyNote: unknown;
  goals: { goalId: string; baseline: number; text: string | null }[];
}>;

export type FeedbackItem = Readonly<{
  moment: string;
  sentAt: string;
  summary: FeedbackSummary;
  message: string | null;
}>;

/** The 403 a coach gets for another coach's client; the web app shows the declaration step on it. */
export const NEED_TO_KNOW_DETAIL =
  "Only the referral's coach and the organisation's coordinators read the client's personal details; declare a takeover (vervanging, urgent contact) to read them.";

export type Access = Readonly<{ purpose: ConsentPurpose; dataCategory: DataCategory; action: 'C' | 'R' | 'U' }>;

export const createReferrals = (deps: ReferralsDeps) => {
  const { store, keys, accessLog, now } = deps;

  const loaded = (events: ReferralEvent[], version: number): LoadedReferral => {
    const state: Referral = events.reduce(referralDecider.evolve, initialState());
    if (state.status === 'none') throw new NotFoundError('No such referral.');
    return { state, version, events };
  };

  const load = async (referralId: string): Promise<LoadedReferral> => {
    const { events, currentVersion } = await store.readStream<ReferralEvent>(referralStreamId(referralId));
    return loaded(events, currentVersion);
  };

  /**
   * The referral if the actor's organisation is party to it (on `side`, if named); others get 404, never a
   * hint it exists. A non-party's request on a real referral is a probe: logged as a denied access (NEN 7513).
   */
  const partyTo = async (
    state: Referral,
    actor: Actor,
    side: 'referrer' | 'recipient' | undefined,
    action: 'R' | 'U',
  ): Promise<ReferralState> => {
    if (state.status === 'none') throw new NotFoundError('No such referral.');
    const actual = sideOf(state, actor.organisationId);
    if (!actual) await recordProbe(state, actor, action);
    if (!actual || (side && actual !== side)) throw new NotFoundError('No such referral.');
    // An order awaiting its Task is not yet offered to the recipient: for them it does not exist.
    if (actual === 'recipient' && state.awaitingTask) throw new NotFoundError('No such referral.');
    return state;
  };

  /** Loads a referral the actor's organisation is party to. */
  const loadFor = async (
    referralId: string,
    actor: Actor,
    side?: 'referrer' | 'recipient',
    action: 'R' | 'U' = 'R',
  ): Promise<LoadedReferral> => {
    const loaded = await load(referralId);
    await partyTo(loaded.state, actor, side, action);
    return loaded;
  };

  const recordProbe = (state: ReferralState, actor: Actor, action: 'R' | 'U'): Promise<void> =>
    recordRefusal(state, actor, NOT_A_PARTY, { action, purpose: 'wor-referral', dataCategories: [] });

  /** A refused access that reached no decision on consent or agreement (NEN 7513 logs denials too). */
  const recordRefusal = (
    state: ReferralState,
    actor: Actor,
    reason: string,
    access: { action: 'R' | 'U'; purpose: ConsentPurpose; dataCategories: DataCategory[] },
  ): Promise<void> =>
    accessLog.record(
      {
        subjectId: state.subjectId,
        municipality: state.municipality,
        ...access,
        userId: actor.userId,
        onBehalfOf: null,
        role: actor.role,
        organisationId: actor.organisationId,
        resource: { type: 'referral', id: state.referralId },
        outcome: 'denied',
        checks: { authorisation: false, consent: false, agreement: false, emergencyAccess: false },
        consentId: null,
        agreementId: null,
        reason,
      },
      actor.metadata,
    );

  /** The access decision for personal data of this referral and its log entry, not yet recorded. */
  const decideAccess = async (
    state: ReferralState,
    actor: Actor,
    access: Access,
    resource: string,
    declared: string | undefined,
  ): Promise<{ decision: AccessDecision; entry: AccessEntry }> => {
    // The patient's consent names the welfare organisation as recipient, for referral, coaching and
    // feedback alike; the agreement is between it and the referring practice.
    const decision = await deps.checkAccess({
      subjectId: state.subjectId,
      consentId: state.consentId,
      organisationId: state.recipientOrganisationId,
      partnerOrganisationId: state.practiceId,
      purpose: access.purpose,
      dataCategory: access.dataCategory,
      at: now(),
    });
    const entry: AccessEntry = {
      subjectId: state.subjectId,
      municipality: state.municipality,
      action: access.action,
      userId: actor.userId,
      onBehalfOf: null,
      role: actor.role,
      organisationId: actor.organisationId,
      purpose: access.purpose,
      dataCategories: [access.dataCategory],
      resource: { type: resource, id: state.referralId },
      outcome: decision.permitted ? 'allowed' : 'denied',
      checks: {
        authorisation: true,
        consent: decision.checks.consent,
        agreement: decision.checks.agreement,
        emergencyAccess: declared !== undefined,
      },
      consentId: decision.consentId,
      agreementId: decision.agreementId,
      reason: decision.reason ?? declared ?? null,
    };
    return { decision, entry };
  };

  const refuseUnlessPermitted = (decision: AccessDecision): void => {
    if (!decision.permitted)
      throw new ForbiddenError(
        `Access to this patient's data is not permitted: ${decision.reason ?? 'no reason given'}.`,
      );
  };

  /** The access decision for personal data of this referral, logged whatever its outcome. */
  const authorise = async (
    state: ReferralState,
    actor: Actor,
    access: Access,
    resource = 'referral',
    /** A declared takeover: logged with NEN 7513's emergency-access check set and the declared reason. */
    declared?: string,
  ): Promise<AccessDecision> => {
    const { decision, entry } = await decideAccess(state, actor, access, resource, declared);
    await accessLog.record(entry, actor.metadata);
    refuseUnlessPermitted(decision);
    return decision;
  };

  const sealIf = async (state: ReferralState, text: string | null | undefined): Promise<SealedPersonalData | null> =>
    text ? keys.encryptFor(state.subjectId, { text }) : null;

  const textOf = async (sealed: SealedPersonalData | null): Promise<string | null> => {
    if (!sealed) return null;
    const opened = (await keys.decrypt(sealed)) as { text?: string } | null;
    return opened && typeof opened === 'object' && typeof opened.text === 'string' ? opened.text : null;
  };

  return {
    load,
    loadFor,

    /**
     * A new referral. The id is the caller's (derived from an Idempotency-Key, so a retry finds the first). Without
     * its Task (`withTask: false`, a FHIR ServiceRequest on its own) it is an order awaiting `createTask`.
     */
    async submit(
      referralId: string,
      facts: Omit<ReferralFacts, 'referralId' | 'patient' | 'urgencyNote'>,
      personal: { contact: Record<string, unknown>; urgencyNote: string | null },
      actor: Actor,
      { withTask = true, fresh = false }: { withTask?: boolean; fresh?: boolean } = {},
    ): Promise<LoadedReferral & { created: boolean }> {
      // A fresh id (random, made for this request) names no stream yet: reading it would find nothing.
      if (!fresh) {
        const existing = await store.readStream<ReferralEvent>(referralStreamId(referralId));
        if (existing.currentVersion >= 0)
          return { ...loaded(existing.events, existing.currentVersion), created: false };
      }
      const draft = { ...facts, referralId, status: 'requested' } as ReferralState;
      const { decision: sharing, entry } = await decideAccess(
        draft,
        actor,
        { purpose: 'wor-referral', dataCategory: 'referral-reason', action: 'C' },
        'referral',
        undefined,
      );
      if (!sharing.permitted) {
        await accessLog.record(entry, actor.metadata);
        refuseUnlessPermitted(sharing);
      }
      try {
        // The contact details and the urgency note under one key lookup.
        const sealed = await keys.encryptAllFor(facts.subjectId, [
          personal.contact,
          ...(personal.urgencyNote ? [{ text: personal.urgencyNote }] : []),
        ]);
        const patient = sealed[0]!;
        const urgencyNote = sealed[1] ?? null;
        // The stream was read empty above (or cannot exist): decide on the initial state and append as
        // 'no_stream' (a racing retry conflicts), without reading it a second time.
        const newEvents = referralDecider.decide(
          {
            type: 'SubmitReferral',
            data: { ...facts, referralId, patient, urgencyNote, sharing, withTask },
            metadata: { now: now(), by: actor.userId },
          },
          initialState(),
        );
        // The access-log entry and the referral commit together: one statement, one commit.
        const { nextExpectedVersion } = await accessLog.recordWith(entry, actor.metadata, {
          streamId: referralStreamId(referralId),
          events: newEvents,
          expectedVersion: 'no_stream',
          metadata: { ...actor.metadata, streamFacts: referralStreamFacts(facts) },
        });
        return { ...loaded(newEvents, nextExpectedVersion), created: true };
      } catch (error) {
        // Nothing was written, but the access was decided: its entry is recorded on its own.
        await accessLog.record(entry, actor.metadata);
        // Two retries raced with the same id: the other one created it.
        if (error instanceof ConcurrencyConflictError) return { ...(await load(referralId)), created: false };
        throw error;
      }
    },

    /**
     * One step on an existing referral, read once: the scope check, the access decision and the command all come
     * from the state that is decided on. `build` turns that state into the step's command (it may seal text or
     * consult the social map); `access` names personal data written. With `expectedVersion` (If-Match) a referral
     * that moved on is 412; without one the step is decided again on fresh state after a conflict.
     */
    async act(
      referralId: string,
      expectedVersion: number | undefined,
      actor: Actor,
      build: (
        state: ReferralState,
        tools: { seal: (text: string | null | undefined) => Promise<SealedPersonalData | null> },
      ) => Promise<ActCommand>,
      access?: Access,
    ): Promise<LoadedReferral> {
      const side = sideOfRole(actor.role);
      const command = async (current: Referral, { version }: { version: number }): Promise<ReferralCommand> => {
        const state = await partyTo(current, actor, side, 'U');
        if (expectedVersion !== undefined && version !== expectedVersion)
          throw new StaleVersionError(
            `The referral changed since version ${expectedVersion}; it is at version ${version}. Reload it and try again.`,
          );
        if (access) await authorise(state, actor, access);
        const built = await build(state, { seal: (text) => sealIf(state, text) });
        return { ...built, metadata: { now: now(), by: actor.userId } };
      };
      try {
        const { history, newEvents, nextExpectedVersion } = await handleCommand(
          store,
          referralStreamId(referralId),
          referralDecider,
          command,
          {
            ...(expectedVersion === undefined ? {} : { expectedVersion }),
            metadata: (state) =>
              state.status === 'none' ? actor.metadata : { ...actor.metadata, streamFacts: referralStreamFacts(state) },
          },
        );
        return loaded([...history, ...newEvents], nextExpectedVersion);
      } catch (error) {
        if (error instanceof ConcurrencyConflictError)
          throw new StaleVersionError('The referral was changed by another request; reload it and try again.');
        throw error;
      }
    },

    /**
     * The Task of an order (FHIR POST /fhir/Task): the referral is offered to the recipient from here on, so sharing
     * is decided (and logged) again now, as at submission.
     */
    createTask(referralId: string, expectedVersion: number | undefined, actor: Actor): Promise<LoadedReferral> {
      return this.act(referralId, expectedVersion, actor, async () => ({ type: 'CreateTask', data: {} }), {
        purpose: 'wor-referral',
        dataCategory: 'referral-reason',
        action: 'C',
      });
    },

    /**
     * The patient's contact preference, opened for the platform's own decision (gp-only: ask the GP for contact)
     * under the actor's access decision, which is logged; null when unknown, not permitted or shredded.
     */
    async contactPreferenceOf(state: ReferralState, actor: Actor): Promise<ContactPreference | null> {
      try {
        await authorise(
          state,
          actor,
          { purpose: 'wor-coaching', dataCategory: 'contact-details', action: 'R' },
          'contact-preference',
        );
      } catch (error) {
        if (error instanceof ForbiddenError) return null;
        throw error;
      }
      const contact = (await keys.decrypt(state.patient)) as { contactPreference?: unknown } | null;
      const parsed = ContactPreference.safeParse(contact?.contactPreference);
      return parsed.success ? parsed.data : null;
    },

    /**
     * A search by BSN (patient:identifier), pseudonymised before the lookup: it processed the patient's BSN,
     * so it is logged (NEN 7513) under the subject, whatever it finds.
     */
    recordSearchByBsn: (subjectId: string, actor: Actor, resourceType: string): Promise<void> =>
      accessLog.record(
        {
          subjectId,
          municipality: null,
          action: 'R',
          userId: actor.userId,
          onBehalfOf: null,
          role: actor.role,
          organisationId: actor.organisationId,
          purpose: 'wor-referral',
          dataCategories: ['referral-reason'],
          resource: { type: `fhir-search-${resourceType}`, id: subjectId },
          outcome: 'allowed',
          checks: { authorisation: true, consent: false, agreement: false, emergencyAccess: false },
          consentId: null,
          agreementId: null,
          reason: 'search by BSN',
        },
        actor.metadata,
      ),
    findService: deps.findService,
    config: deps.config,
    /** Ids of the Procedures recorded for a referral (a stream of their own: procedure/). */
    procedureIdsOf: async (referralId: string): Promise<string[]> =>
      (await readProcedures(store, referralId)).map((p) => p.procedureId),
    /** Seals structured personal data (e.g. goal texts) with the referral's patient key. */
    sealFor: (state: ReferralState, value: Record<string, string>): Promise<SealedPersonalData> =>
      keys.encryptFor(state.subjectId, value),

    /** The patient's contact details, urgency note and goal texts: decrypted only under a permitted decision. */
    /**
     * The patient's contact details, urgency note and goal texts: decrypted only under a permitted decision,
     * and only for whom the organisation's need-to-know policy lets read them (or who declares a takeover).
     */
    async personalDetails(
      referralId: string,
      actor: Actor,
      reader: { coordinator: boolean; declaration?: TakeoverReason },
    ): Promise<LoadedReferral & { details: PersonalDetails }> {
      const loaded = await loadFor(referralId, actor, 'recipient');
      const { state, events } = loaded;
      const { personalDetails: policy } = await readSettings(store, state.recipientOrganisationId);
      const verdict = decideNeedToKnow(
        policy,
        { userId: actor.userId, coordinator: reader.coordinator },
        state.coachId,
        reader.declaration,
      );
      if (!verdict.allowed) {
        await recordRefusal(state, actor, verdict.reason, {
          action: 'R',
          purpose: 'wor-coaching',
          dataCategories: ['contact-details'],
        });
        throw new ForbiddenError(NEED_TO_KNOW_DETAIL);
      }
      await authorise(
        state,
        actor,
        { purpose: 'wor-coaching', dataCategory: 'contact-details', action: 'R' },
        'referral',
        verdict.declared ? declaredReason(verdict.reason) : undefined,
      );
      const intake = events.find((e) => e.type === 'IntakeHeld');
      const goalTexts =
        intake?.type === 'IntakeHeld' && intake.data.goalTexts
          ? ((await keys.decrypt(intake.data.goalTexts)) as Record<string, string> | null)
          : null;
      return {
        ...loaded,
        details: {
          patient: await keys.decrypt(state.patient),
          urgencyNote: await textOf(state.urgencyNote),
          goals: (state.intake?.goals ?? []).map((g) => ({ ...g, text: goalTexts?.[g.goalId] ?? null })),
        },
      };
    },

    /** Terugkoppeling as the referrer (or the organisation) reads it; messages decrypted under a decision. */
    async feedback(referralId: string, actor: Actor): Promise<LoadedReferral & { feedback: FeedbackItem[] }> {
      const loaded = await loadFor(referralId, actor);
      const sent = loaded.events.flatMap((e) => (e.type === 'FeedbackSent' ? [e.data] : []));
      if (sent.some((f) => f.message))
        await authorise(
          loaded.state,
          actor,
          { purpose: 'wor-feedback', dataCategory: 'outcome', action: 'R' },
          'feedback',
        );
      const feedback = await Promise.all(
        sent.map(async (f) => ({
          moment: f.moment,
          sentAt: f.sentAt,
          summary: f.summary,
          message: await textOf(f.message),
        })),
      );
      return { ...loaded, feedback };
    },
  };
};

export type Referrals = ReturnType<typeof createReferrals>;
