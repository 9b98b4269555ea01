// FHIR R4 Procedure ⇄ a recorded Procedure (procedure/): Gravity's record of what the welfare organisation
// did. Written by the recipient with code, subject, performed[x] and basedOn its ServiceRequest; read back
// with the same elements, the pseudonymous subject and the organisation as performer. Codes, references and
// dates only: elements with free text (note, CodeableConcept.text, narrative) are refused, coding.display is
// not kept (the code says it).
import { fhirPathFromZod, narrative } from '@wor/service-kit';
import type { Procedure } from 'fhir/r4';
import { z } from 'zod';
import { PROCEDURE_STATUSES, type ProcedureFacts, type RecordedProcedure } from '../procedure/procedure';
import { organisation, PROFILES, subjectOf, SYSTEMS, type Issue } from './mapping';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/;
const DateTime = z.string().regex(DATE_TIME, 'a FHIR date or dateTime with a time zone');
const Coding = z.strictObject({ system: z.url(), code: z.string().min(1).max(100), display: z.string().optional() });
const Concept = z.strictObject({ coding: z.array(Coding).min(1).max(10) });
const Reference = z.looseObject({ reference: z.string().optional(), type: z.string().optional() });

const ProcedureInput = z.strictObject({
  resourceType: z.literal('Procedure'),
  // A create ignores a client's id and meta (R4).
  id: z.string().optional(),
  meta: z.unknown().optional(),
  status: z.enum(PROCEDURE_STATUSES),
  statusReason: Concept.optional(),
  category: Concept.optional(),
  code: Concept,
  subject: z.looseObject({
    type: z.literal('Patient').optional(),
    identifier: z.strictObject({ system: z.literal(SYSTEMS.subject), value: z.string().min(1).max(100) }),
  }),
  basedOn: z.array(Reference).length(1),
  performedDateTime: DateTime.optional(),
  performedPeriod: z.strictObject({ start: DateTime, end: DateTime.optional() }).optional(),
  performer: z
    .array(z.strictObject({ actor: Reference }))
    .max(1)
    .optional(),
});

export type ProcedureInput = Readonly<{
  facts: ProcedureFacts;
  referralId: string;
  subjectId: string;
  performer?: string;
}>;

const codes = (concept: z.infer<typeof Concept> | undefined) =>
  (concept?.coding ?? []).map(({ system, code }) => ({ system, code }));

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** The Procedure a client posts, or the issues with their FHIRPaths. */
export const procedureFromFhir = (
  body: unknown,
): { ok: true; value: ProcedureInput } | { ok: false; issues: Issue[] } => {
  const parsed = ProcedureInput.safeParse(body);
  if (!parsed.success)
    return {
      ok: false,
      issues: parsed.error.issues.flatMap((i) =>
        i.code === 'unrecognized_keys'
          ? i.keys.map((k) => ({
              path: fhirPathFromZod('Procedure', [...i.path, k]),
              message: 'not stored here: a Procedure carries codes, references and dates only',
            }))
          : [{ path: fhirPathFromZod('Procedure', i.path), message: i.message }],
      ),
    };
  const p = parsed.data;
  const issues: Issue[] = [];
  const referralId = new RegExp(`^ServiceRequest/(${UUID})$`).exec(p.basedOn[0]!.reference ?? '')?.[1];
  if (!referralId) issues.push({ path: 'Procedure.basedOn[0].reference', message: 'a reference ServiceRequest/<id>' });
  if ((p.performedDateTime === undefined) === (p.performedPeriod === undefined))
    issues.push({ path: 'Procedure.performed[x]', message: 'one of performedDateTime or performedPeriod' });
  const performer = p.performer?.[0]?.actor as { identifier?: { system?: string; value?: string } } | undefined;
  if (performer && performer.identifier?.system !== SYSTEMS.organisation)
    issues.push({
      path: 'Procedure.performer[0].actor',
      message: `an Organization reference by identifier (system ${SYSTEMS.organisation})`,
    });
  if (issues.length) return { ok: false, issues };
  return {
    ok: true,
    value: {
      referralId: referralId!,
      subjectId: p.subject.identifier.value,
      ...(performer?.identifier?.value ? { performer: performer.identifier.value } : {}),
      facts: {
        status: p.status,
        code: codes(p.code),
        category: codes(p.category),
        statusReason: codes(p.statusReason),
        performed: p.performedDateTime
          ? { dateTime: p.performedDateTime }
          : { start: p.performedPeriod!.start, ...(p.performedPeriod!.end ? { end: p.performedPeriod!.end } : {}) },
      },
    },
  };
};

const concept = (coding: readonly { system: string; code: string }[]) => ({ coding: coding.map((c) => ({ ...c })) });

/** The Procedure as the parties to the referral read it. */
export const toProcedure = (p: RecordedProcedure): Procedure => ({
  resourceType: 'Procedure',
  id: p.procedureId,
  meta: { versionId: String(p.version), lastUpdated: p.recordedAt, profile: [PROFILES.procedure] },
  text: narrative([
    `Procedure bij verwijzing ${p.referralId}: ${p.status} (${p.code.map((c) => c.code).join(', ')})`,
    `Door ${p.organisationId}`,
  ]),
  basedOn: [{ reference: `ServiceRequest/${p.referralId}` }],
  status: p.status,
  ...(p.statusReason.length ? { statusReason: concept(p.statusReason) } : {}),
  ...(p.category.length ? { category: concept(p.category) } : {}),
  code: concept(p.code),
  subject: subjectOf(p.subjectId),
  ...('dateTime' in p.performed
    ? { performedDateTime: p.performed.dateTime }
    : { performedPeriod: { ...p.performed } }),
  performer: [{ actor: organisation(p.organisationId) }],
});
