// What key-users send (POST/PUT and imports): HSDS 3.0 entities and field names, plus the WoR profile
// fields (municipality wijken, Positieve Gezondheid dimensions, referral reasons). Nested items may
// leave out their ids; `normalise*` gives them UUIDs before a command is decided.
// Objects are loose: HSDS fields the sociale kaart does not use (funding, programs, timezone, ...) are
// kept as they came and exported again. Only what a feature needs is checked here; checks HSDS does
// not make (a Dutch postcode, ...) are warnings of the import report (see ./advice.ts).
import { CapacityStatus, PositiveHealthDimension, ReferralReason, ServiceStatus } from '@wor/contracts';
import { z } from 'zod';
import { onlyHsdsFields } from './fields';
import { stableUuid } from './ids';
import { profileFromHsds } from './profile';

// Text is stored as it came (no trimming: an export gives back what was imported); blank is not a value.
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => v.trim().length > 0, 'must not be blank');
const optionalText = (max: number) => z.string().max(max).optional();
const id = z.uuid().optional();

export const PhoneInput = z
  .object({
    id,
    number: text(30),
    extension: z.number().int().min(0).optional(),
    type: optionalText(30),
    description: optionalText(200),
    languages: z
      .array(z.lazy(() => LanguageInput))
      .max(20)
      .optional(),
  })
  .loose();

export const ContactInput = z
  .object({
    id,
    name: optionalText(200),
    title: optionalText(200),
    department: optionalText(200),
    email: z.email().optional(),
    phones: z.array(PhoneInput).max(10).default([]),
  })
  .loose();

const Weekday = z.enum(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']);

export const ScheduleInput = z
  .object({
    id,
    valid_from: optionalText(40),
    valid_to: optionalText(40),
    dtstart: optionalText(40),
    until: optionalText(40),
    wkst: Weekday.optional(),
    freq: z.enum(['WEEKLY', 'MONTHLY']).optional(),
    interval: z.number().int().min(1).max(52).optional(),
    byday: optionalText(100),
    opens_at: optionalText(20),
    closes_at: optionalText(20),
    description: optionalText(500),
    attending_type: optionalText(500),
    notes: optionalText(500),
  })
  .loose();

export const LanguageInput = z
  .object({
    id,
    name: optionalText(100),
    code: optionalText(35),
    note: optionalText(200),
  })
  .loose();

export const CostOptionInput = z
  .object({
    id,
    valid_from: optionalText(40),
    valid_to: optionalText(40),
    option: optionalText(200),
    currency: optionalText(10),
    /** the "free of charge" filter reads it */
    amount: z.number().min(0).max(100_000).optional(),
    amount_description: optionalText(200),
  })
  .loose();

/** HSDS does not require `location_id`; one without a location is kept but not listed by place. */
export const ServiceAtLocationInput = z.object({ id, location_id: id, description: optionalText(500) }).loose();

const ageRange = <T extends { minimum_age?: number | undefined; maximum_age?: number | undefined }>(
  value: T,
  ctx: z.RefinementCtx,
) => {
  if (value.minimum_age !== undefined && value.maximum_age !== undefined && value.minimum_age > value.maximum_age)
    ctx.addIssue({ code: 'custom', path: ['maximum_age'], message: 'maximum_age is below minimum_age' });
};

/** An HSDS `service` as a key-user describes it (the municipality comes from the key-user). */
export const ServiceInput = z
  .object({
    id,
    organization_id: z.uuid(),
    name: text(200),
    alternate_name: optionalText(200),
    description: z.string().max(4000).optional(),
    url: z.url().optional(),
    email: z.email().optional(),
    status: ServiceStatus.exclude(['defunct']).default('active'),
    interpretation_services: optionalText(500),
    application_process: optionalText(2000),
    fees_description: optionalText(500),
    eligibility_description: optionalText(1000),
    minimum_age: z.number().int().min(0).max(120).optional(),
    maximum_age: z.number().int().min(0).max(120).optional(),
    alert: optionalText(500),
    phones: z.array(PhoneInput).max(10).default([]),
    contacts: z.array(ContactInput).max(10).default([]),
    schedules: z.array(ScheduleInput).max(20).default([]),
    languages: z.array(LanguageInput).max(20).default([]),
    cost_options: z.array(CostOptionInput).max(10).default([]),
    service_at_locations: z.array(ServiceAtLocationInput).max(50).default([]),
    /** WoR profile: the wijken (districts) of the municipality it is meant for; empty = the whole municipality. */
    wijken: z.array(text(100)).max(50).default([]),
    dimensions: z.array(PositiveHealthDimension).max(6).default([]),
    referral_reasons: z.array(ReferralReason).max(10).default([]),
    capacity_status: CapacityStatus.optional(),
  })
  .loose()
  .superRefine(ageRange);
export type ServiceInput = z.output<typeof ServiceInput>;
/** Fields of a service the map keeps itself (review and change times): a key-user's body does not set them. */
const MAP_KEPT = ['assured_date', 'last_modified'];

/**
 * A key-user's service body: HSDS fields only (imports take any, see ../exchange/data-set.ts); the profile
 * may come as attributes and service areas too, as the read API shows it.
 */
export const ServiceBody = z.preprocess(
  (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const body = profileFromHsds(value as Record<string, unknown>);
    return Object.fromEntries(Object.entries(body).filter(([k]) => !MAP_KEPT.includes(k)));
  },
  ServiceInput.superRefine(onlyHsdsFields('service')),
);

export const AddressInput = z
  .object({
    id,
    attention: optionalText(200),
    address_1: text(200),
    address_2: optionalText(200),
    city: text(100),
    region: optionalText(100),
    state_province: text(100),
    /** the `postcode` parameter of /service_at_locations matches it (a non-Dutch one is a warning) */
    postal_code: text(20),
    country: text(60).default('NL'),
    address_type: z.enum(['physical', 'postal', 'virtual']).default('physical'),
  })
  .loose();

export const AccessibilityInput = z
  .object({ id, description: optionalText(500), details: optionalText(500), url: z.url().optional() })
  .loose();

/** An HSDS `location` of an organisation. */
export const LocationInput = z
  .object({
    id,
    location_type: z.enum(['physical', 'postal', 'virtual']).default('physical'),
    url: z.url().optional(),
    name: optionalText(200),
    alternate_name: optionalText(200),
    description: optionalText(2000),
    transportation: optionalText(500),
    /** `proximity` measures from them (WGS84 degrees; out of range is a warning, see ../exchange/advice.ts) */
    latitude: z.number().optional(),
    longitude: z.number().optional(),
    addresses: z.array(AddressInput).max(5).default([]),
    accessibility: z.array(AccessibilityInput).max(10).default([]),
    languages: z.array(LanguageInput).max(20).default([]),
    phones: z.array(PhoneInput).max(10).default([]),
  })
  .loose();
export type LocationInput = z.output<typeof LocationInput>;
export const LocationBody = LocationInput.superRefine(onlyHsdsFields('location'));

/** An HSDS `organization` (an organisation's public data; a key-user's own data never goes here). */
export const OrganizationInput = z
  .object({
    id,
    name: text(200),
    alternate_name: optionalText(200),
    description: z.string().max(4000).default(''),
    email: z.email().optional(),
    website: z.url().optional(),
    legal_status: optionalText(100),
    year_incorporated: z.number().int().min(1800).max(2100).optional(),
    phones: z.array(PhoneInput).max(10).default([]),
    contacts: z.array(ContactInput).max(10).default([]),
  })
  .loose();
export type OrganizationInput = z.output<typeof OrganizationInput>;
export const OrganizationBody = OrganizationInput.superRefine(onlyHsdsFields('organization'));

// ---- normalised entries: every nested item has its id -------------------------------------------

type WithId<T> = T & { id: string };
/** The declared fields of a loose object's output (its index signature would swallow them in `Omit`). */
type Known<T> = { [K in keyof T as string extends K ? never : K]: T[K] };
/** Fields a source sent that the sociale kaart does not use, kept as they came. */
type Kept = { [field: string]: unknown };
type Out<T extends z.ZodType> = Known<z.output<T>> & Kept;

export type PhoneEntry = WithId<Out<typeof PhoneInput>>;
export type ContactEntry = WithId<
  Omit<Known<z.output<typeof ContactInput>>, 'phones'> & Kept & { phones: PhoneEntry[] }
>;
export type ServiceEntry = WithId<
  Omit<
    Known<ServiceInput>,
    | 'id'
    | 'phones'
    | 'contacts'
    | 'schedules'
    | 'languages'
    | 'cost_options'
    | 'service_at_locations'
    | 'capacity_status'
  > &
    Kept & {
      phones: PhoneEntry[];
      contacts: ContactEntry[];
      schedules: WithId<Out<typeof ScheduleInput>>[];
      languages: WithId<Out<typeof LanguageInput>>[];
      cost_options: WithId<Out<typeof CostOptionInput>>[];
      service_at_locations: WithId<Out<typeof ServiceAtLocationInput>>[];
    }
>;
export type LocationEntry = WithId<
  Omit<Known<LocationInput>, 'id' | 'addresses' | 'accessibility' | 'languages' | 'phones'> &
    Kept & {
      addresses: WithId<Out<typeof AddressInput>>[];
      accessibility: WithId<Out<typeof AccessibilityInput>>[];
      languages: WithId<Out<typeof LanguageInput>>[];
      phones: PhoneEntry[];
    }
>;
export type OrganizationEntry = WithId<
  Omit<Known<OrganizationInput>, 'id' | 'phones' | 'contacts'> &
    Kept & { phones: PhoneEntry[]; contacts: ContactEntry[] }
>;

// Nested items sent without an id get one derived from their parent and position, so sending the same
// entry again (a PUT, a re-import) is recognised as unchanged.
const withIds =
  (parentId: string, kind: string) =>
  <T extends { id?: string | undefined }>(item: T, index: number): T & { id: string } => ({
    ...item,
    id: item.id ?? stableUuid(kind, parentId, String(index)),
  });

const contacts = (parentId: string, list: z.output<typeof ContactInput>[]): ContactEntry[] =>
  list.map(withIds(parentId, 'contact')).map((c) => ({ ...c, phones: c.phones.map(withIds(c.id, 'phone')) }));

export const normaliseService = (input: ServiceInput, serviceId: string): ServiceEntry => {
  const { capacity_status: _capacity, ...rest } = input;
  return {
    ...rest,
    id: serviceId,
    phones: input.phones.map(withIds(serviceId, 'phone')),
    contacts: contacts(serviceId, input.contacts),
    schedules: input.schedules.map(withIds(serviceId, 'schedule')),
    languages: input.languages.map(withIds(serviceId, 'language')),
    cost_options: input.cost_options.map(withIds(serviceId, 'cost_option')),
    service_at_locations: input.service_at_locations.map(withIds(serviceId, 'service_at_location')),
  };
};

export const normaliseLocation = (input: LocationInput, locationId: string): LocationEntry => ({
  ...input,
  id: locationId,
  addresses: input.addresses.map(withIds(locationId, 'address')),
  accessibility: input.accessibility.map(withIds(locationId, 'accessibility')),
  languages: input.languages.map(withIds(locationId, 'language')),
  phones: input.phones.map(withIds(locationId, 'phone')),
});

export const normaliseOrganization = (input: OrganizationInput, organizationId: string): OrganizationEntry => ({
  ...input,
  id: organizationId,
  phones: input.phones.map(withIds(organizationId, 'phone')),
  contacts: contacts(organizationId, input.contacts),
});
