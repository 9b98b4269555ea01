// HSDS 3.0 JSON schemas as zod, written from the Open Referral specification (schema/*.json of
// openreferral/specification 3.0): field names, types, formats, enums and required fields. The API
// tests validate every response against them. Nested entities are strict, so a misspelt field fails;
// top-level entities also allow the WoR profile fields listed in PROFILE_FIELDS, and nothing else.
import { z } from 'zod';

const uuid = z.uuid();
const uri = z.url();
const email = z.email();
const str = z.string();
const num = z.number();

const metadata = z
  .object({
    id: uuid,
    resource_id: uuid.optional(),
    resource_type: str.optional(),
    last_action_date: str,
    last_action_type: str,
    field_name: str,
    previous_value: str,
    replacement_value: str,
    updated_by: str,
  })
  .strict();

export const TaxonomySchema = z
  .object({
    id: uuid,
    name: str,
    description: str,
    uri: uri.optional(),
    version: str.optional(),
    metadata: z.array(metadata).optional(),
  })
  .strict();

export const TaxonomyTermSchema = z
  .object({
    id: uuid,
    code: str.optional(),
    name: str,
    description: str,
    parent_id: uuid.optional(),
    taxonomy: str.optional(),
    taxonomy_detail: TaxonomySchema.optional(),
    language: str.optional(),
    taxonomy_id: uuid.optional(),
    term_uri: uri.optional(),
    metadata: z.array(metadata).optional(),
  })
  .strict();

const AttributeSchema = z
  .object({
    id: uuid,
    link_id: uuid.optional(),
    taxonomy_term_id: uuid.optional(),
    link_type: str.optional(),
    link_entity: str.optional(),
    value: str.optional(),
    taxonomy_term: TaxonomyTermSchema.optional(),
    metadata: z.array(metadata).optional(),
  })
  .strict();
const common = { attributes: z.array(AttributeSchema).optional(), metadata: z.array(metadata).optional() };

const LanguageSchema = z
  .object({
    id: uuid,
    service_id: uuid.optional(),
    location_id: uuid.optional(),
    phone_id: uuid.optional(),
    name: str.optional(),
    code: str.optional(),
    note: str.optional(),
    ...common,
  })
  .strict();

const PhoneSchema = z
  .object({
    id: uuid,
    location_id: uuid.optional(),
    service_id: uuid.optional(),
    organization_id: uuid.optional(),
    contact_id: uuid.optional(),
    service_at_location_id: uuid.optional(),
    number: str,
    extension: num.optional(),
    type: str.optional(),
    description: str.optional(),
    languages: z.array(LanguageSchema).optional(),
    ...common,
  })
  .strict();

const ContactSchema = z
  .object({
    id: uuid,
    organization_id: uuid.optional(),
    service_id: uuid.optional(),
    service_at_location_id: uuid.optional(),
    location_id: uuid.optional(),
    name: str.optional(),
    title: str.optional(),
    department: str.optional(),
    email: email.optional(),
    phones: z.array(PhoneSchema).optional(),
    ...common,
  })
  .strict();

const ScheduleSchema = z
  .object({
    id: uuid,
    service_id: uuid.optional(),
    location_id: uuid.optional(),
    service_at_location_id: uuid.optional(),
    valid_from: str.optional(),
    valid_to: str.optional(),
    dtstart: str.optional(),
    timezone: num.optional(),
    until: str.optional(),
    count: num.optional(),
    wkst: z.enum(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']).optional(),
    freq: z.enum(['WEEKLY', 'MONTHLY']).optional(),
    interval: num.optional(),
    byday: str.optional(),
    byweekno: str.optional(),
    bymonthday: str.optional(),
    byyearday: str.optional(),
    description: str.optional(),
    opens_at: str.optional(),
    closes_at: str.optional(),
    schedule_link: uri.optional(),
    attending_type: str.optional(),
    notes: str.optional(),
    ...common,
  })
  .strict();

const ServiceAreaSchema = z
  .object({
    id: uuid,
    service_id: uuid.optional(),
    name: str.optional(),
    description: str.optional(),
    extent: str.optional(),
    extent_type: str.optional(),
    uri: str.optional(),
    ...common,
  })
  .strict();

const CostOptionSchema = z
  .object({
    id: uuid,
    service_id: uuid.optional(),
    valid_from: str.optional(),
    valid_to: str.optional(),
    option: str.optional(),
    currency: str.optional(),
    amount: num.optional(),
    amount_description: str.optional(),
    ...common,
  })
  .strict();

const AddressSchema = z
  .object({
    id: uuid,
    location_id: uuid.optional(),
    attention: str.optional(),
    address_1: str,
    address_2: str.optional(),
    city: str,
    region: str.optional(),
    state_province: str,
    postal_code: str,
    country: str,
    address_type: z.enum(['physical', 'postal', 'virtual']),
    ...common,
  })
  .strict();

const AccessibilitySchema = z
  .object({
    id: uuid,
    location_id: uuid.optional(),
    description: str.optional(),
    details: str.optional(),
    url: uri.optional(),
    ...common,
  })
  .strict();

/** Fields of the WoR profile allowed next to HSDS fields on top-level entities. */
export const PROFILE_FIELDS = {
  service: ['municipality', 'wijken', 'dimensions', 'referral_reasons', 'capacity_status', 'free_of_charge', 'stale'],
  organization: ['municipality'],
  location: ['municipality'],
} as const;

const withProfile = <S extends z.ZodRawShape>(shape: S, profile: readonly string[]) =>
  z.looseObject(shape).superRefine((value, ctx) => {
    for (const key of Object.keys(value))
      if (!Object.hasOwn(shape, key) && !profile.includes(key))
        ctx.addIssue({ code: 'custom', path: [key], message: `not an HSDS 3.0 field nor a WoR profile field` });
  });

const locationShape = {
  id: uuid,
  location_type: z.enum(['physical', 'postal', 'virtual']),
  url: uri.optional(),
  organization_id: uuid.optional(),
  name: str.optional(),
  alternate_name: str.optional(),
  description: str.optional(),
  transportation: str.optional(),
  latitude: num.optional(),
  longitude: num.optional(),
  external_identifier: str.optional(),
  external_identifier_type: str.optional(),
  languages: z.array(LanguageSchema).optional(),
  addresses: z.array(AddressSchema).optional(),
  contacts: z.array(ContactSchema).optional(),
  accessibility: z.array(AccessibilitySchema).optional(),
  phones: z.array(PhoneSchema).optional(),
  schedules: z.array(ScheduleSchema).optional(),
  ...common,
};
export const LocationSchema = withProfile(locationShape, PROFILE_FIELDS.location);

const organizationShape = {
  id: uuid,
  name: str,
  alternate_name: str.optional(),
  description: str,
  email: email.optional(),
  website: uri.optional(),
  tax_status: str.optional(),
  tax_id: str.optional(),
  year_incorporated: num.optional(),
  legal_status: str.optional(),
  logo: str.optional(),
  uri: uri.optional(),
  parent_organization_id: uuid.optional(),
  funding: z.array(z.unknown()).optional(),
  contacts: z.array(ContactSchema).optional(),
  phones: z.array(PhoneSchema).optional(),
  locations: z.array(LocationSchema).optional(),
  programs: z.array(z.unknown()).optional(),
  organization_identifiers: z.array(z.unknown()).optional(),
  ...common,
};
export const OrganizationSchema = withProfile(organizationShape, PROFILE_FIELDS.organization);

export const ServiceAtLocationSchema = z
  .object({
    id: uuid,
    service_id: uuid.optional(),
    location_id: uuid.optional(),
    description: str.optional(),
    contacts: z.array(ContactSchema).optional(),
    phones: z.array(PhoneSchema).optional(),
    schedules: z.array(ScheduleSchema).optional(),
    location: LocationSchema.optional(),
    ...common,
  })
  .strict();

export const ServiceSchema = withProfile(
  {
    id: uuid,
    organization_id: uuid.optional(),
    program_id: uuid.optional(),
    name: str,
    alternate_name: str.optional(),
    description: str.optional(),
    url: uri.optional(),
    email: email.optional(),
    status: z.enum(['active', 'inactive', 'defunct', 'temporarily closed']),
    interpretation_services: str.optional(),
    application_process: str.optional(),
    fees_description: str.optional(),
    wait_time: str.optional(),
    fees: str.optional(),
    accreditations: str.optional(),
    eligibility_description: str.optional(),
    minimum_age: num.optional(),
    maximum_age: num.optional(),
    assured_date: z.iso.date().optional(),
    assurer_email: email.optional(),
    licenses: str.optional(),
    alert: str.optional(),
    last_modified: z.iso.datetime({ offset: true }).optional(),
    phones: z.array(PhoneSchema).optional(),
    schedules: z.array(ScheduleSchema).optional(),
    service_areas: z.array(ServiceAreaSchema).optional(),
    service_at_locations: z.array(ServiceAtLocationSchema).optional(),
    languages: z.array(LanguageSchema).optional(),
    organization: OrganizationSchema.optional(),
    funding: z.array(z.unknown()).optional(),
    cost_options: z.array(CostOptionSchema).optional(),
    program: z.unknown().optional(),
    required_documents: z.array(z.unknown()).optional(),
    contacts: z.array(ContactSchema).optional(),
    ...common,
  },
  PROFILE_FIELDS.service,
);

/** HSDS API paging (openapi.json components.schemas.Page) with `contents`. */
export const PageSchema = <T extends z.ZodType>(item: T) =>
  z
    .object({
      total_items: z.number().int().min(0),
      total_pages: z.number().int().min(0),
      page_number: z.number().int().min(1),
      size: z.number().int().min(0),
      first_page: z.boolean(),
      last_page: z.boolean(),
      empty: z.boolean(),
      contents: z.array(item),
    })
    .strict();
