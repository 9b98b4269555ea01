// The HSDS 3.0 tabular data package, written from the Open Referral specification (datapackage.json of
// openreferral/specification 3.0): one resource per entity with the spec's file name and columns, and
// how the JSON form nests them. The tabular import, the export and datapackage.json all derive from this.

type FieldType = 'string' | 'number' | 'date' | 'time' | 'datetime';
type Field = { name: string; type: FieldType };

const fields = (spec: string): Field[] =>
  spec.split(' ').map((item) => {
    const [name, type] = item.split(':') as [string, FieldType | undefined];
    return { name, type: type ?? 'string' };
  });

/** resource name → file and columns (`name:type`, string when no type is given). */
export const RESOURCES = {
  organization: {
    path: 'organizations.csv',
    fields: fields(
      'id name alternate_name description email website tax_status tax_id year_incorporated:number legal_status logo uri parent_organization_id',
    ),
  },
  program: { path: 'programs.csv', fields: fields('id organization_id name alternate_name description') },
  service: {
    path: 'services.csv',
    fields: fields(
      'id organization_id program_id name alternate_name description url email status interpretation_services application_process fees_description wait_time fees accreditations eligibility_description minimum_age:number maximum_age:number assured_date:date assurer_email licenses alert last_modified:datetime',
    ),
  },
  attribute: { path: 'attributes.csv', fields: fields('id link_id taxonomy_term_id link_type link_entity value') },
  service_at_location: { path: 'service_at_location.csv', fields: fields('id service_id location_id description') },
  location: {
    path: 'locations.csv',
    fields: fields(
      'id location_type url organization_id name alternate_name description transportation latitude:number longitude:number external_identifier external_identifier_type',
    ),
  },
  phone: {
    path: 'phones.csv',
    fields: fields(
      'id location_id service_id organization_id contact_id service_at_location_id number extension:number type description',
    ),
  },
  contact: {
    path: 'contacts.csv',
    fields: fields('id organization_id service_id service_at_location_id location_id name title department email'),
  },
  address: {
    path: 'addresses.csv',
    fields: fields(
      'id location_id attention address_1 address_2 city region state_province postal_code country address_type',
    ),
  },
  schedule: {
    path: 'schedules.csv',
    fields: fields(
      'id service_id location_id service_at_location_id valid_from:date valid_to:date dtstart:date timezone:number until:date count:number wkst freq interval:number byday byweekno bymonthday byyearday description opens_at:time closes_at:time schedule_link attending_type notes',
    ),
  },
  funding: { path: 'funding.csv', fields: fields('id organization_id service_id source') },
  service_area: { path: 'service_areas.csv', fields: fields('id service_id name description extent extent_type uri') },
  required_document: { path: 'required_documents.csv', fields: fields('id service_id document uri') },
  language: { path: 'languages.csv', fields: fields('id service_id location_id phone_id name code note') },
  accessibility: { path: 'accessibility.csv', fields: fields('id location_id description details url') },
  taxonomy_term: {
    path: 'taxonomy_terms.csv',
    fields: fields('id code name description parent_id taxonomy language taxonomy_id term_uri'),
  },
  metadata: {
    path: 'metadata.csv',
    fields: fields(
      'id resource_id resource_type last_action_date:date last_action_type field_name previous_value replacement_value updated_by',
    ),
  },
  meta_table_description: { path: 'meta_table_descriptions.csv', fields: fields('id name language character_set') },
  cost_option: {
    path: 'cost_options.csv',
    fields: fields('id service_id valid_from:date valid_to:date option currency amount:number amount_description'),
  },
  organization_identifier: {
    path: 'organization_identifiers.csv',
    fields: fields('id organization_id identifier_scheme identifier_type identifier'),
  },
  taxonomy: { path: 'taxonomies.csv', fields: fields('id name description uri version') },
} as const satisfies Record<string, { path: string; fields: Field[] }>;
export type Resource = keyof typeof RESOURCES;
export const RESOURCE_NAMES = Object.keys(RESOURCES) as Resource[];
export const resourceOfPath = (path: string): Resource | undefined =>
  RESOURCE_NAMES.find((r) => RESOURCES[r].path === path);

/** Columns that point at another resource: `column → resource` (datapackage foreignKeys). */
export const REFERENCES: Record<string, Resource> = {
  organization_id: 'organization',
  program_id: 'program',
  service_id: 'service',
  location_id: 'location',
  contact_id: 'contact',
  phone_id: 'phone',
  service_at_location_id: 'service_at_location',
  taxonomy_term_id: 'taxonomy_term',
  taxonomy_id: 'taxonomy',
};

/**
 * How the JSON form nests: the arrays of each entity (key → resource). A child row's parent in the files
 * is the first of its link columns set, in this order (a phone of a contact of a service is the contact's).
 */
export const CHILDREN: Partial<Record<Resource, Record<string, Resource>>> = {
  organization: {
    locations: 'location',
    programs: 'program',
    organization_identifiers: 'organization_identifier',
    funding: 'funding',
    contacts: 'contact',
    phones: 'phone',
  },
  service: {
    service_at_locations: 'service_at_location',
    service_areas: 'service_area',
    cost_options: 'cost_option',
    required_documents: 'required_document',
    funding: 'funding',
    schedules: 'schedule',
    languages: 'language',
    contacts: 'contact',
    phones: 'phone',
  },
  location: {
    addresses: 'address',
    accessibility: 'accessibility',
    schedules: 'schedule',
    languages: 'language',
    contacts: 'contact',
    phones: 'phone',
  },
  service_at_location: { schedules: 'schedule', contacts: 'contact', phones: 'phone' },
  contact: { phones: 'phone' },
  phone: { languages: 'language' },
};
export const PARENT_PRIORITY = [
  'phone_id',
  'contact_id',
  'service_at_location_id',
  'service_id',
  'location_id',
  'organization_id',
] as const;
export const linkOf = (parent: Resource): string => `${parent}_id`;

/** Entities that may carry `attributes` (link_id/link_entity) and `metadata` (resource_id/resource_type). */
export const ANNOTATED = new Set<Resource>([
  'organization',
  'program',
  'service',
  'service_at_location',
  'location',
  'phone',
  'contact',
  'address',
  'schedule',
  'funding',
  'service_area',
  'required_document',
  'language',
  'accessibility',
  'cost_option',
  'organization_identifier',
  'meta_table_description',
  'attribute',
  'taxonomy_term',
  'taxonomy',
]);

const isTemporal = (f: Field) => f.type === 'date' || f.type === 'time' || f.type === 'datetime';

/** The Frictionless data package describing a set of files (every resource is always present). */
export const dataPackage = (extraColumns: Partial<Record<Resource, string[]>>) => ({
  profile: 'tabular-data-package',
  name: 'wor-sociale-kaart',
  title: 'Sociale kaart (HSDS 3.0)',
  version: '3.0.0',
  resources: RESOURCE_NAMES.map((name) => {
    const columns = RESOURCES[name].fields.map((f) => f.name) as string[];
    const foreignKeys = columns
      .filter((c) => REFERENCES[c] !== undefined && !(name === 'attribute' && c === 'link_id'))
      .map((c) => ({ fields: c, reference: { resource: REFERENCES[c] === name ? '' : REFERENCES[c]!, fields: 'id' } }));
    return {
      name,
      path: RESOURCES[name].path,
      profile: 'tabular-data-resource',
      format: 'csv',
      mediatype: 'text/csv',
      encoding: 'utf-8',
      schema: {
        fields: [
          // dates and times as HSDS has them, in any ISO form (09:00Z, fractions of seconds)
          ...RESOURCES[name].fields.map((f) => ({
            name: f.name,
            type: f.type,
            ...(isTemporal(f) ? { format: 'any' } : {}),
          })),
          ...(extraColumns[name] ?? []).map((c) => ({ name: c, type: 'string' as const })),
        ],
        primaryKey: 'id',
        ...(foreignKeys.length > 0 ? { foreignKeys } : {}),
      },
    };
  }),
});
