// A referral as ZorgDomein delivers it: a FHIR document (Bundle type `document`, Composition first,
// every reference resolved inside the Bundle, Bundle.id the never-reused document id). ZorgDomein's
// documents are STU3 today; the parts read here (Patient, PractitionerRole, Organization,
// Composition sections, DocumentReference/Binary attachments) have the same shape in STU3 and R4.
// The result names every problem by its FHIRPath, so the answer can be an OperationOutcome.
import { Bsn, ContactPreference, ReferralReason, Sex, type ReferrerRole } from '@wor/contracts';
import { z } from 'zod';
import { EXTENSIONS, SYSTEMS } from '../fhir/mapping';

export const NAMING = {
  bsn: SYSTEMS.bsn,
  agb: 'http://fhir.nl/fhir/NamingSystem/agb-z',
  uzi: 'http://fhir.nl/fhir/NamingSystem/uzi-nr-pers',
} as const;

export type Identifier = Readonly<{ system: string; value: string }>;
export type Attachment = Readonly<{ title: string | null; contentType: string; data: string }>;

/** What the document says, before the addresses are mapped to organisations. */
export type ReceivedDocument = Readonly<{
  documentId: string;
  /** The addressee (cluster, AGB code or other identifiers) and the sending practice, as sent. */
  recipient: readonly Identifier[];
  senderOrganisation: readonly Identifier[];
  practitioner: readonly Identifier[];
  referrerRole: ReferrerRole;
  patient: Readonly<{
    bsn: string;
    name: { given: string; family: string };
    birthDate: string;
    sex: z.infer<typeof Sex>;
    phone?: string;
    email?: string;
    contactPreference?: ContactPreference;
  }>;
  reasons: readonly ReferralReason[];
  /** The referral letter's narrative, as plain text. */
  text: string;
  attachments: readonly Attachment[];
}>;

export type Issue = Readonly<{ expression: string; message: string }>;

type Resource = { resourceType?: unknown; id?: unknown; [key: string]: unknown };
const Entry = z.object({ fullUrl: z.string().optional(), resource: z.record(z.string(), z.unknown()) }).loose();
const DocumentBundle = z
  .object({
    resourceType: z.literal('Bundle'),
    id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'a FHIR id: the document identifier'),
    type: z.literal('document'),
    entry: z.array(Entry).min(1).max(200),
  })
  .loose();

const MAX_TEXT = 20_000;
const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

const identifiersOf = (resource: Resource | undefined): Identifier[] =>
  arr(resource?.identifier)
    .map(obj)
    .flatMap((i) => (str(i.system) && str(i.value) ? [{ system: str(i.system)!, value: str(i.value)! }] : []));

/** Plain text of an XHTML narrative: tags dropped, entities of the five XML kinds decoded. */
export const narrativeText = (div: string): string =>
  div
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h\d)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n')
    .trim();

const REFERRER_ROLE_CODES: Record<string, ReferrerRole> = {
  // UZI/Vektis role codes for the GP and the practice nurses, and our own codes.
  '01.015': 'huisarts',
  huisarts: 'huisarts',
  'poh-ggz': 'poh-ggz',
  'poh-s': 'poh-s',
  praktijkverpleegkundige: 'praktijkverpleegkundige',
};

export const parseReferralDocument = (
  input: unknown,
): { ok: true; document: ReceivedDocument } | { ok: false; issues: Issue[] } => {
  const shape = DocumentBundle.safeParse(input);
  if (!shape.success)
    return {
      ok: false,
      issues: shape.error.issues.map((i) => ({
        expression: ['Bundle', ...i.path.map(String)].join('.').replace(/\.(\d+)(?=\.|$)/g, '[$1]'),
        message: i.message,
      })),
    };
  const bundle = shape.data;
  const issues: Issue[] = [];
  const entries = bundle.entry.map((e) => ({ fullUrl: e.fullUrl, resource: e.resource as Resource }));

  // References resolve inside the Bundle, by fullUrl or by Type/id.
  const byRef = new Map<string, { resource: Resource; index: number }>();
  entries.forEach(({ fullUrl, resource }, index) => {
    if (fullUrl) byRef.set(fullUrl, { resource, index });
    if (typeof resource.resourceType === 'string' && typeof resource.id === 'string')
      byRef.set(`${resource.resourceType}/${resource.id}`, { resource, index });
  });
  const resolve = (reference: unknown, expression: string, types: string[]): Resource | undefined => {
    const ref = str(obj(reference).reference);
    if (!ref) {
      issues.push({ expression, message: 'a reference is required' });
      return undefined;
    }
    const found = byRef.get(ref);
    if (!found) {
      issues.push({ expression, message: `the reference ${ref} is not resolved inside the Bundle` });
      return undefined;
    }
    if (!types.includes(String(found.resource.resourceType))) {
      issues.push({ expression, message: `must reference ${types.join(' or ')}` });
      return undefined;
    }
    return found.resource;
  };
  // Every reference anywhere in the document must resolve (a document is self-contained).
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`));
    else if (value && typeof value === 'object')
      for (const [key, v] of Object.entries(value)) {
        if (key === 'reference' && typeof v === 'string' && !v.startsWith('#') && !byRef.has(v))
          issues.push({ expression: path, message: `the reference ${v} is not resolved inside the Bundle` });
        else walk(v, `${path}.${key}`);
      }
  };
  entries.forEach(({ resource }, i) => walk(resource, `Bundle.entry[${i}].resource`));

  const composition = entries[0]!.resource;
  if (composition.resourceType !== 'Composition') {
    issues.push({ expression: 'Bundle.entry[0].resource', message: 'a document starts with its Composition' });
    return { ok: false, issues };
  }
  const at = 'Bundle.entry[0].resource';
  const patient = resolve(composition.subject, `${at}.subject`, ['Patient']);

  // The sender and the addressee: ZorgDomein's zd-sender / zd-receiver extensions; author as fallback.
  const extension = (suffix: string) =>
    arr(composition.extension)
      .map(obj)
      .findIndex((e) => typeof e.url === 'string' && e.url.endsWith(suffix));
  const senderAt = extension('zd-sender');
  const sender =
    senderAt >= 0
      ? resolve(obj(arr(composition.extension)[senderAt]).valueReference, `${at}.extension[${senderAt}]`, [
          'PractitionerRole',
        ])
      : resolve(arr(composition.author)[0], `${at}.author[0]`, ['PractitionerRole']);
  const receiverAt = extension('zd-receiver');
  const receiver =
    receiverAt >= 0
      ? resolve(obj(arr(composition.extension)[receiverAt]).valueReference, `${at}.extension[${receiverAt}]`, [
          'Organization',
          'PractitionerRole',
        ])
      : undefined;
  if (receiverAt < 0)
    issues.push({ expression: `${at}.extension`, message: 'the addressee (extension zd-receiver) is required' });
  const senderOrganisation = sender
    ? resolve(sender.organization, 'PractitionerRole.organization', ['Organization'])
    : undefined;
  const recipientOrganisation =
    receiver?.resourceType === 'PractitionerRole'
      ? resolve(receiver.organization, 'PractitionerRole.organization', ['Organization'])
      : receiver;
  const recipient =
    receiver === recipientOrganisation
      ? identifiersOf(receiver)
      : [...identifiersOf(receiver), ...identifiersOf(recipientOrganisation)];
  if (receiver && !recipient.length)
    issues.push({ expression: `${at}.extension[${receiverAt}]`, message: 'the addressee carries no identifier' });

  const senderIds = identifiersOf(senderOrganisation);
  if (senderOrganisation && !senderIds.length)
    issues.push({ expression: 'PractitionerRole.organization', message: 'the practice carries no identifier' });
  const roleCode = arr(sender?.code)
    .flatMap((c) => arr(obj(c).coding))
    .map((c) => str(obj(c).code))
    .find((c) => c !== undefined && REFERRER_ROLE_CODES[c] !== undefined);

  // The patient: BSN (elfproef), name, birth date, sex, phone and e-mail.
  let person: ReceivedDocument['patient'] | undefined;
  if (patient) {
    const pAt = 'Patient';
    const bsn = identifiersOf(patient).find((i) => i.system === NAMING.bsn)?.value;
    const bsnCheck = Bsn.safeParse(bsn);
    if (!bsnCheck.success)
      issues.push({
        expression: `${pAt}.identifier`,
        message: bsn ? (bsnCheck.error.issues[0]?.message ?? 'a valid BSN') : 'a BSN is required',
      });
    const name = obj(arr(patient.name)[0]);
    const family = str(name.family);
    const given = arr(name.given).map(str).filter(Boolean).join(' ') || undefined;
    if (!family || !given) issues.push({ expression: `${pAt}.name`, message: 'a given and a family name' });
    const birthDate = str(patient.birthDate);
    if (!birthDate || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate))
      issues.push({ expression: `${pAt}.birthDate`, message: 'a birth date (YYYY-MM-DD)' });
    const sex = Sex.safeParse(patient.gender ?? 'unknown');
    if (!sex.success) issues.push({ expression: `${pAt}.gender`, message: 'an administrative gender' });
    const telecom = (system: string) =>
      arr(patient.telecom)
        .map(obj)
        .find((t) => t.system === system)?.value;
    // The platform's contact-preference extension, where the sending system fills it (ZorgDomein has none).
    const extensions = arr(patient.extension).map(obj);
    const preferenceIndex = extensions.findIndex((x) => x.url === EXTENSIONS.contactPreference);
    const preferenceCoding = obj(extensions[preferenceIndex]?.valueCoding);
    const preference = ContactPreference.safeParse(preferenceCoding.code);
    if (preferenceIndex >= 0 && (preferenceCoding.system !== SYSTEMS.contactPreference || !preference.success))
      issues.push({
        expression: `${pAt}.extension[${preferenceIndex}].valueCoding`,
        message: `a code of ${SYSTEMS.contactPreference}: ${ContactPreference.options.join(', ')}`,
      });
    if (bsn && bsnCheck.success && family && given && birthDate && sex.success) {
      const phone = str(telecom('phone'));
      const email = str(telecom('email'));
      person = {
        bsn,
        name: { given: given.slice(0, 100), family: family.slice(0, 100) },
        birthDate,
        sex: sex.data,
        ...(phone ? { phone } : {}),
        ...(email ? { email } : {}),
        ...(preferenceIndex >= 0 && preference.success ? { contactPreference: preference.data } : {}),
      };
    }
  }

  // Reasons: codes of our referral-reason CodeSystem anywhere in the sections or a ServiceRequest.
  const codings = [
    ...arr(composition.section).flatMap((s) => arr(obj(obj(s).code).coding)),
    ...entries
      .filter(({ resource }) => resource.resourceType === 'ServiceRequest')
      .flatMap(({ resource }) => arr(resource.reasonCode).flatMap((c) => arr(obj(c).coding))),
  ].map(obj);
  const reasons = [
    ...new Set(
      codings
        .filter((c) => c.system === SYSTEMS.reason)
        .map((c) => ReferralReason.safeParse(c.code))
        .flatMap((r) => (r.success ? [r.data] : [])),
    ),
  ];

  const text = arr(composition.section)
    .map(obj)
    .map((s) => [str(s.title), narrativeText(String(obj(s.text).div ?? ''))].filter(Boolean).join('\n'))
    .filter(Boolean)
    .join('\n\n');
  if (text.length > MAX_TEXT)
    issues.push({ expression: `${at}.section`, message: `the letter is longer than ${MAX_TEXT} characters` });

  const attachments: Attachment[] = [];
  entries.forEach(({ resource }, i) => {
    const found =
      resource.resourceType === 'DocumentReference'
        ? arr(resource.content).map((c) => obj(obj(c).attachment))
        : resource.resourceType === 'Binary'
          ? [{ contentType: resource.contentType, data: resource.data ?? resource.content }]
          : [];
    for (const a of found) {
      const data = str(a.data);
      if (!data) continue;
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data) || (data.length * 3) / 4 > MAX_ATTACHMENT_BYTES)
        issues.push({
          expression: `Bundle.entry[${i}].resource`,
          message: `an attachment of base64 data up to ${MAX_ATTACHMENT_BYTES} bytes`,
        });
      else
        attachments.push({
          title: str(a.title) ?? null,
          contentType: str(a.contentType) ?? 'application/octet-stream',
          data,
        });
    }
  });

  if (issues.length || !person || !senderOrganisation || !recipient.length) return { ok: false, issues };
  return {
    ok: true,
    document: {
      documentId: bundle.id,
      recipient,
      senderOrganisation: senderIds,
      practitioner: identifiersOf(
        sender?.practitioner ? byRef.get(String(obj(sender.practitioner).reference))?.resource : undefined,
      ),
      referrerRole: roleCode ? REFERRER_ROLE_CODES[roleCode]! : 'huisarts',
      patient: person,
      reasons: reasons.length ? reasons : ['other'],
      text,
      attachments,
    },
  };
};
