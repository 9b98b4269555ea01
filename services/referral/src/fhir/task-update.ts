// PUT /fhir/Task/{id}: Gravity's "the owner updates Task.status, statusReason and output", onto the
// same lifecycle steps (and so the same decider commands, events, access-log entries and integration
// events) as the REST API's POST /referrals/{id}/<step>. TASK_STEPS is the one mapping table from a Task
// status to those steps; nothing else here knows the lifecycle.
import { HttpProblem } from '@wor/service-kit';
import type { Task } from 'fhir/r4';
import { z } from 'zod';
import type { ReferralState } from '../referral/referral';
import { SYSTEMS } from './mapping';

/** A REST step (its path under /referrals/{id}) and its request body. */
export type StepCall = Readonly<{ step: string; body: Record<string, unknown> }>;

/** What a Task update asks for, read from the elements the owner or requester may change. */
export type TaskChange = Readonly<{
  status: string;
  reason: string | undefined;
  /** HealthcareService ids in output of type resulting-activity. */
  activities: readonly string[];
  /** Procedure ids in output of type resulting-activity, with the FHIRPath each came from. */
  procedures: readonly { id: string; path: string }[];
  outcome: string | undefined;
}>;

type Transition = Readonly<{
  /** The Task's side allowed to set this status: the owner (welfare organisation) or the requester. */
  side: 'recipient' | 'referrer';
  /** The element that must carry the reason, with its CodeSystem. */
  reasonSystem?: string;
  steps: (change: TaskChange, state: ReferralState, actor: { userId: string; role: string }) => StepCall[];
}>;

/** Link each new activity, then the step itself: what the owner's PUT with output means. */
const linking = (change: TaskChange, state: ReferralState): StepCall[] =>
  change.activities
    .filter((id) => !state.activities.some((a) => a.serviceId === id))
    .map((serviceId) => ({ step: 'activities', body: { serviceId } }));

export const TASK_STEPS: Readonly<Partial<Record<string, Transition>>> = {
  // From on-hold a referral resumes to where it was (accepted or in-progress), never further back.
  accepted: {
    side: 'recipient',
    steps: (_c, state) => {
      if (state.status !== 'on-hold') return [{ step: 'accept', body: {} }];
      if (state.resumeTo !== 'accepted') throw conflict(`It resumes to '${state.resumeTo}', not 'accepted'.`);
      return [{ step: 'resume', body: {} }];
    },
  },
  rejected: {
    side: 'recipient',
    reasonSystem: SYSTEMS.rejectionReason,
    steps: (c) => [{ step: 'reject', body: { reason: c.reason } }],
  },
  'on-hold': {
    side: 'recipient',
    reasonSystem: SYSTEMS.holdReason,
    steps: (c) => [{ step: 'hold', body: { reason: c.reason } }],
  },
  // In progress means the patient was reached: the one who updates becomes the contact point (unless
  // there is one) and records the first contact; from on-hold it resumes first.
  'in-progress': {
    side: 'recipient',
    steps: (c, state, actor) => {
      const from = state.status === 'on-hold' ? state.resumeTo : state.status;
      const contact = [
        ...(state.coachId ? [] : [{ step: 'coach', body: { coachId: actor.userId } }]),
        { step: 'contact-attempts', body: { reached: true } },
      ];
      return [
        ...(state.status === 'on-hold' ? [{ step: 'resume', body: {} }] : []),
        ...(from === 'accepted' ? contact : []),
        ...linking(c, state),
      ];
    },
  },
  failed: {
    side: 'recipient',
    reasonSystem: SYSTEMS.failureReason,
    // FHIR carries no coach hours; 0 unless recorded through the REST step.
    steps: (c) => [{ step: 'fail', body: { reason: c.reason, coachHours: 0 } }],
  },
  completed: {
    side: 'recipient',
    steps: (c, state) => [
      ...linking(c, state),
      {
        step: 'complete',
        body: {
          outcome: c.outcome,
          gasScores: [],
          coachHours: 0,
          ...(c.procedures.length ? { procedureIds: c.procedures.map((p) => p.id) } : {}),
        },
      },
    ],
  },
  cancelled: { side: 'referrer', steps: () => [{ step: 'cancel', body: {} }] },
  'entered-in-error': { side: 'referrer', steps: () => [{ step: 'entered-in-error', body: {} }] },
};

/** The elements a PUT may change; everything else must be as the server has it. */
const CHANGEABLE = new Set(['status', 'statusReason', 'businessStatus', 'output']);
/** Kept by the server whatever the client sends. */
const SERVER_KEPT = new Set(['meta', 'text', 'lastModified', 'executionPeriod']);

const conflict = (detail: string): HttpProblem => new HttpProblem({ status: 409, title: 'Conflict', detail });

const invalid = (path: string, message: string): HttpProblem =>
  new HttpProblem({
    status: 422,
    title: 'Unprocessable Content',
    detail: 'The Task update is invalid.',
    extra: { errors: [{ path, message }] },
  });

const canonical = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => sortKeys(x));
const sortKeys = (x: unknown): unknown =>
  x && typeof x === 'object' && !Array.isArray(x)
    ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
    : x;

const Coding = z.object({ system: z.string().optional(), code: z.string().optional() }).passthrough();
const Concept = z.object({ coding: z.array(Coding).optional() }).passthrough();
const TaskUpdate = z
  .object({
    resourceType: z.literal('Task'),
    id: z.string(),
    status: z.string(),
    statusReason: Concept.optional(),
    output: z
      .array(
        z
          .object({
            type: Concept,
            valueReference: z.object({ reference: z.string() }).passthrough().optional(),
            valueCodeableConcept: Concept.optional(),
          })
          .passthrough(),
      )
      .optional(),
  })
  .passthrough();

const codeOf = (concept: z.infer<typeof Concept> | undefined, system: string): string | undefined =>
  concept?.coding?.find((c) => c.system === system)?.code;

/** Reads the change a PUT asks for; 422 naming the element for anything else that differs. */
export const readTaskChange = (body: unknown, current: Task): TaskChange => {
  const parsed = TaskUpdate.safeParse(body);
  if (!parsed.success)
    throw new HttpProblem({
      status: 422,
      title: 'Unprocessable Content',
      detail: 'The Task update is invalid.',
      extra: {
        errors: parsed.error.issues.map((i) => ({
          path: i.path.reduce<string>((a, k) => (typeof k === 'number' ? `${a}[${k}]` : `${a}.${String(k)}`), 'Task'),
          message: i.message,
        })),
      },
    });
  const task = parsed.data;
  if (task.id !== current.id) throw invalid('Task.id', 'must be the id in the URL');
  const sent = task as Record<string, unknown>;
  const held = current as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.keys(sent), ...Object.keys(held)]))
    if (!CHANGEABLE.has(key) && !SERVER_KEPT.has(key) && canonical(sent[key]) !== canonical(held[key]))
      throw invalid(
        `Task.${key}`,
        'cannot be changed by an update (only status, statusReason, businessStatus, output)',
      );
  const transition = TASK_STEPS[task.status];
  const reason = transition?.reasonSystem ? codeOf(task.statusReason, transition.reasonSystem) : undefined;
  if (transition?.reasonSystem && !reason)
    throw invalid('Task.statusReason', `a coding of ${transition.reasonSystem} for status '${task.status}'`);
  const outputs = task.output ?? [];
  const activities: string[] = [];
  const procedures: { id: string; path: string }[] = [];
  let outcome: string | undefined;
  outputs.forEach((o, i) => {
    if (codeOf(o.type, SYSTEMS.sdohcc) === 'resulting-activity') {
      const path = `Task.output[${i}].valueReference`;
      const reference = o.valueReference?.reference ?? '';
      const service = /^HealthcareService\/([0-9a-f-]{36})$/.exec(reference)?.[1];
      const procedure = /^Procedure\/([0-9a-f-]{36}-\d{1,4})$/.exec(reference)?.[1];
      if (service) activities.push(service);
      else if (procedure && task.status === 'completed') procedures.push({ id: procedure, path });
      else if (procedure) throw invalid(path, 'a Procedure is named by the update that completes the Task');
      else throw invalid(path, 'a reference HealthcareService/<social-map id> or Procedure/<id>');
    } else if (codeOf(o.type, SYSTEMS.taskOutputType) === 'completion-outcome')
      outcome = codeOf(o.valueCodeableConcept, SYSTEMS.completionOutcome);
    else throw invalid(`Task.output[${i}].type`, 'resulting-activity (SDOHCC) or completion-outcome');
  });
  // Procedures are named once, by the update that completes the Task.
  const named = new Set((current.output ?? []).map((o) => o.valueReference?.reference));
  const added = procedures.find((p) => !named.has(`Procedure/${p.id}`));
  if (current.status === 'completed' && added)
    throw conflict(`Procedures are named by the update that completes the Task; it is 'completed'.`);
  if (task.status === 'completed' && !outcome)
    throw invalid('Task.output', `an output completion-outcome with a code of ${SYSTEMS.completionOutcome}`);
  return { status: task.status, reason, activities, procedures, outcome };
};

/** The steps a change takes from the current state; 409 naming the status when none leads there. */
export const stepsFor = (
  change: TaskChange,
  state: ReferralState,
  actor: { userId: string; role: string; side: 'recipient' | 'referrer' },
): StepCall[] => {
  const transition = TASK_STEPS[change.status];
  if (!transition)
    throw new HttpProblem({
      status: 409,
      title: 'Conflict',
      detail: `A Task cannot be set to '${change.status}' by an update (it is '${state.status}').`,
    });
  if (transition.side !== actor.side)
    throw new HttpProblem({
      status: 403,
      title: 'Forbidden',
      detail: `Only the Task's ${transition.side === 'recipient' ? 'owner' : 'requester'} sets '${change.status}'.`,
    });
  // The same status again changes nothing, except new activities while in progress.
  if (change.status === state.status && change.status !== 'in-progress') {
    if (linking(change, state).length)
      throw new HttpProblem({
        status: 409,
        title: 'Conflict',
        detail: `Activities are linked while the Task is in-progress; it is '${state.status}'.`,
      });
    return [];
  }
  return transition.steps(change, state, actor);
};
