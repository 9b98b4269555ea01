// A complete HSDS 3.0 data set as another system would send it, written from the entities and fields the
// specification defines (every entity, every field, the ones the sociale kaart does not use included), with
// values HSDS allows but a Dutch map would not write itself (a UK postcode, "gbp", a long attending_type).
import { randomUUID } from 'node:crypto';

const id = () => randomUUID();
const metadata = (field: string) => [
  {
    id: id(),
    resource_type: 'x',
    last_action_date: '2025-11-03',
    last_action_type: 'update',
    field_name: field,
    previous_value: 'oud',
    replacement_value: 'nieuw',
    updated_by: 'Import Bron',
  },
];
const language = () => ({ id: id(), name: 'Engels', code: 'en', note: 'Op afspraak', metadata: metadata('note') });
const phone = () => ({
  id: id(),
  number: '+44 20 7946 0000',
  extension: 12,
  type: 'voice',
  description: 'Werkdagen',
  languages: [language()],
  metadata: metadata('number'),
});
const contact = () => ({
  id: id(),
  name: 'Sam Jansen',
  title: 'Coördinator',
  department: 'Ontmoeting',
  email: 'sam@bron.example',
  phones: [phone()],
  metadata: metadata('title'),
});
const schedule = () => ({
  id: id(),
  valid_from: '2025-01-01',
  valid_to: '2026-12-31',
  dtstart: '2025-01-07',
  timezone: 1,
  until: '2026-12-29',
  count: 100,
  wkst: 'MO',
  freq: 'WEEKLY',
  interval: 1,
  byday: 'TU',
  byweekno: '1,2,3',
  bymonthday: '1,15',
  byyearday: '1,100',
  description: 'Elke dinsdag',
  opens_at: '10:00Z',
  closes_at: '12:00Z',
  schedule_link: 'https://bron.example/rooster',
  attending_type: 'In person at the community centre, or online through the video link we send the day before',
  notes: 'Niet in de schoolvakanties',
  metadata: metadata('byday'),
});

/** The foreign taxonomy (not one of the WoR profile) an attribute embeds. */
export const foreignTaxonomy = {
  id: id(),
  name: 'Bron-taxonomie',
  description: 'Van het andere systeem',
  uri: 'https://bron.example/tax',
  version: '2',
};
export const foreignTerm = {
  id: id(),
  code: 'ontmoeting',
  name: 'Ontmoeting',
  description: 'Activiteiten om elkaar te ontmoeten',
  taxonomy: 'Bron-taxonomie',
  language: 'nl',
  taxonomy_id: foreignTaxonomy.id,
  term_uri: 'https://bron.example/tax/ontmoeting',
  metadata: metadata('name'),
};

export const completeDataSet = () => {
  const organizationId = id();
  const serviceId = id();
  const location = {
    id: id(),
    location_type: 'physical',
    url: 'https://bron.example/buurthuis',
    name: 'Buurthuis',
    alternate_name: 'Het Honk',
    description: 'Een buurthuis',
    transportation: 'Bus 12',
    latitude: 52.09,
    longitude: 5.12,
    external_identifier: '100023336956',
    external_identifier_type: 'UPRN',
    languages: [language()],
    addresses: [
      {
        id: id(),
        attention: 'Balie',
        address_1: '10 Downing Street',
        address_2: 'Ingang achter',
        city: 'London',
        region: 'Westminster',
        state_province: 'Greater London',
        postal_code: 'SW1A 2AA',
        country: 'GB',
        address_type: 'physical',
        metadata: metadata('city'),
      },
    ],
    contacts: [contact()],
    accessibility: [{ id: id(), description: 'Rolstoel', details: 'Drempelvrij', url: 'https://bron.example/toegang' }],
    phones: [phone()],
    schedules: [schedule()],
    attributes: [
      {
        id: id(),
        taxonomy_term_id: foreignTerm.id,
        link_type: 'kenmerk',
        value: 'ja',
        taxonomy_term: foreignTerm,
      },
    ],
    metadata: metadata('name'),
  };
  const program = { id: id(), name: 'Samen', alternate_name: 'Samen Sterk', description: 'Een programma' };
  const organization = {
    id: organizationId,
    name: 'Bron Welzijn',
    alternate_name: 'BW',
    description: 'Een welzijnsorganisatie',
    email: 'info@bron.example',
    website: 'https://bron.example',
    tax_status: 'ANBI',
    tax_id: '8123.45.678',
    year_incorporated: 1998,
    legal_status: 'stichting',
    logo: 'https://bron.example/logo.png',
    uri: 'https://bron.example/org',
    parent_organization_id: id(),
    funding: [{ id: id(), source: 'Gemeente', metadata: metadata('source') }],
    contacts: [contact()],
    phones: [phone()],
    locations: [location],
    programs: [program],
    organization_identifiers: [
      { id: id(), identifier_scheme: 'NL-KVK', identifier_type: 'KvK-nummer', identifier: '41234567' },
    ],
    attributes: [{ id: id(), taxonomy_term_id: foreignTerm.id, link_type: 'soort', value: 'welzijn' }],
    metadata: metadata('legal_status'),
  };
  const service = {
    id: serviceId,
    organization_id: organizationId,
    program_id: program.id,
    name: 'Koffie-uurtje',
    alternate_name: 'Koffie',
    description: 'Samen koffie drinken',
    url: 'https://bron.example/koffie',
    email: 'koffie@bron.example',
    status: 'active',
    interpretation_services: 'Tolk op verzoek',
    application_process: 'Gewoon binnenlopen',
    fees_description: 'Een vrijwillige bijdrage',
    wait_time: 'Geen',
    fees: 'Geen',
    accreditations: 'Keurmerk',
    eligibility_description: 'Iedereen uit de wijk',
    minimum_age: 16,
    maximum_age: 99,
    assured_date: '2025-10-01',
    assurer_email: 'keur@bron.example',
    licenses: 'Geen',
    alert: ' Gesloten op feestdagen ', // spaces are data: kept
    last_modified: '2025-10-01T09:00:00.000Z',
    phones: [phone()],
    schedules: [schedule()],
    service_areas: [
      {
        id: id(),
        name: 'Rond het buurthuis',
        description: 'Straal van 1 km',
        extent: '{"type":"Point","coordinates":[5.12,52.09]}',
        extent_type: 'geojson',
        uri: 'https://bron.example/gebied',
      },
    ],
    service_at_locations: [
      {
        id: id(),
        location_id: location.id,
        description: 'In de grote zaal',
        contacts: [contact()],
        phones: [phone()],
        schedules: [schedule()],
        attributes: [{ id: id(), taxonomy_term_id: foreignTerm.id, link_type: 'zaal', value: 'groot' }],
        metadata: metadata('description'),
      },
    ],
    languages: [language()],
    funding: [{ id: id(), source: 'Fonds' }],
    cost_options: [
      {
        id: id(),
        valid_from: '2025-01-01',
        valid_to: '2026-12-31',
        option: 'Per keer',
        currency: 'gbp',
        amount: 1.5,
        amount_description: 'per kop',
      },
    ],
    required_documents: [{ id: id(), document: 'Geen', uri: 'https://bron.example/documenten' }],
    contacts: [contact()],
    attributes: [{ id: id(), taxonomy_term_id: foreignTerm.id, link_type: 'thema', value: 'ontmoeten' }],
    metadata: metadata('name'),
  };
  return {
    organizations: [organization],
    services: [service],
    taxonomies: [foreignTaxonomy],
    taxonomy_terms: [{ ...foreignTerm, id: id(), code: 'los', name: 'Los', taxonomy_id: foreignTaxonomy.id }],
    meta_table_descriptions: [{ id: id(), name: 'services', language: 'nl', character_set: 'UTF-8' }],
    metadata: metadata('data set'),
    // an attribute about an entity of the other system that is not in this set
    attributes: [
      { id: id(), link_id: id(), link_entity: 'service', taxonomy_term_id: foreignTerm.id, link_type: 'los' },
    ],
  };
};
