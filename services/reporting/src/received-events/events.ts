// What reporting consumes: every integration event of the chain, plus the reference data it keeps
// itself (practice list sizes). Its own facts travel through the same durable log as the events it
// received, so a rebuild and an "as of" extract see them at their position too.
import {
  EnvelopeFields,
  type IntegrationEvent,
  MunicipalityCode,
  OrganisationId,
  parseIntegrationEvent,
} from '@wor/contracts';
import { z } from 'zod';

/** The municipality set the number of patients registered with a practice (its list size). */
export const PracticeListSizeSetV1 = z
  .object({
    ...EnvelopeFields,
    type: z.literal('PracticeListSizeSet'),
    schemaVersion: z.literal(1),
    producer: z.literal('reporting'),
    municipality: MunicipalityCode,
    data: z
      .object({
        practiceId: OrganisationId,
        registeredPatients: z.number().int().min(0).max(1_000_000),
        setAt: z.iso.datetime({ offset: true }),
      })
      .strict(),
  })
  .strict();
export type PracticeListSizeSetV1 = z.infer<typeof PracticeListSizeSetV1>;

export type ReportingEvent = IntegrationEvent | PracticeListSizeSetV1;

export type ParseResult = { ok: true; event: ReportingEvent } | { ok: false; reason: string };

/** Parses a stored or incoming event: reporting's own types first, then the contracts' registry. */
export const parseReportingEvent = (json: unknown): ParseResult => {
  if (typeof json === 'object' && json !== null && (json as { type?: unknown }).type === 'PracticeListSizeSet') {
    const own = PracticeListSizeSetV1.safeParse(json);
    return own.success
      ? { ok: true, event: own.data }
      : { ok: false, reason: `invalid PracticeListSizeSet.v1: ${own.error.message}` };
  }
  return parseIntegrationEvent(json);
};
