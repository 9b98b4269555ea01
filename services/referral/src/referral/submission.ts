// A new referral as a GP system sends it, whichever API it came through (REST or FHIR map to this).
import { createHash, randomUUID } from 'node:crypto';
import {
  Bsn,
  ContactPreference,
  EmailAddress,
  MunicipalityCode,
  OrganisationId,
  PersonName,
  PhoneNumber,
  ReferralReason,
  ReferrerRole,
  Sex,
} from '@wor/contracts';
import { HttpProblem } from '@wor/service-kit';
import { ageBand, pseudonymise } from '@wor/privacy';
import { z } from 'zod';
import type { Actor, LoadedReferral, Referrals } from './application';

export const Patient = z
  .object({
    bsn: Bsn,
    name: z.object({ given: PersonName, family: PersonName }).strict(),
    birthDate: z.iso.date(),
    sex: Sex,
    phone: PhoneNumber.optional(),
    email: EmailAddress.optional(),
    /** Sealed with the contact details; absent means unknown (the coach calls or mails as usual). */
    contactPreference: ContactPreference.optional(),
  })
  .strict();

export const NewReferral = z
  .object({
    consentId: z.uuid(),
    patient: Patient,
    municipality: MunicipalityCode,
    practiceId: OrganisationId,
    recipientOrganisationId: OrganisationId,
    referrerRole: ReferrerRole,
    reasons: z
      .array(ReferralReason)
      .min(1)
      .max(10)
      .refine((r) => new Set(r).size === r.length, 'each reason once')
      .meta({ uniqueItems: true }),
    urgencyNote: z.string().trim().min(1).max(2000).optional(),
  })
  .strict();
export type NewReferral = z.infer<typeof NewReferral>;

/** A retry under the same Idempotency-Key targets the same referral id, even after a crash. */
/** A UUID derived from `text` (SHA-256), the same on every call: ids a retry or redelivery must hit again. */
export const uuidFrom = (text: string, version: '4' | '5' = '4'): string => {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${version}${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

export const referralIdFor = (caller: string, idempotencyKey: string | undefined): string =>
  idempotencyKey ? uuidFrom(`referral\n${caller}\n${idempotencyKey}`) : randomUUID();

export const submitReferral = async (
  referrals: Referrals,
  input: NewReferral,
  actor: Actor,
  options: { pseudonymSecret: string; now: Date; idempotencyKey: string | undefined; withTask?: boolean },
): Promise<LoadedReferral & { created: boolean }> => {
  if (actor.organisationId !== input.practiceId)
    throw new HttpProblem({ status: 403, title: 'Forbidden', detail: 'A practice can only refer on its own behalf.' });
  const { bsn, sex, birthDate, ...contact } = input.patient;
  if (new Date(birthDate) > options.now)
    throw new HttpProblem({
      status: 422,
      title: 'Unprocessable Content',
      detail: 'The request body is invalid.',
      extra: { errors: [{ path: 'patient.birthDate', message: 'lies in the future' }] },
    });
  // The BSN identifies the subject only; the coach needs contact details, not the BSN.
  const subjectId = pseudonymise(bsn, options.pseudonymSecret);
  return referrals.submit(
    referralIdFor(actor.userId, options.idempotencyKey),
    {
      consentId: input.consentId,
      subjectId,
      municipality: input.municipality,
      practiceId: input.practiceId,
      recipientOrganisationId: input.recipientOrganisationId,
      referrerRole: input.referrerRole,
      reasons: input.reasons,
      ageBand: ageBand(birthDate, options.now),
      sex,
    },
    { contact: { ...contact, birthDate }, urgencyNote: input.urgencyNote ?? null },
    actor,
    // Without a key the id is random: no earlier submission can hold it.
    { withTask: options.withTask ?? true, fresh: !options.idempotencyKey },
  );
};
