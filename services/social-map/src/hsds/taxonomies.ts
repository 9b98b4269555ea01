// The built-in taxonomies of the WoR profile: Positieve Gezondheid dimensions, referral reasons and
// capacity. Services link to their terms through HSDS `attribute`s; ids are stable across installations.
import { CapacityStatus, POSITIVE_HEALTH_LABELS, PositiveHealthDimension, ReferralReason } from '@wor/contracts';
import { stableUuid } from './ids';

export type Taxonomy = { id: string; name: string; description: string; uri: string; version: string };
export type TaxonomyTerm = {
  id: string;
  code: string;
  name: string;
  description: string;
  taxonomy: string;
  taxonomy_id: string;
  language: string;
};

const taxonomy = (code: string, name: string, description: string): Taxonomy => ({
  id: stableUuid('taxonomy', code),
  name,
  description,
  uri: `https://wor-platform.nl/taxonomies/${code}`,
  version: '1',
});

export const TAXONOMIES = {
  dimension: taxonomy(
    'positieve-gezondheid',
    'Positieve Gezondheid',
    'De zes dimensies van Positieve Gezondheid (Huber).',
  ),
  reason: taxonomy('verwijsreden', 'Verwijsreden', 'Redenen om naar Welzijn op Recept te verwijzen.'),
  capacity: taxonomy('capaciteit', 'Capaciteit', 'Of een aanbod nu plek heeft.'),
} as const;
export type TaxonomyKind = keyof typeof TAXONOMIES;

const labels: Record<string, string> = {
  ...POSITIVE_HEALTH_LABELS,
  eenzaamheid: 'Eenzaamheid',
  'somberheid-angst': 'Somberheid en angst',
  'stress-overbelasting': 'Stress en overbelasting',
  rouw: 'Rouw',
  'leefstijl-bewegen': 'Leefstijl en bewegen',
  'financiele-zorgen': 'Financiële zorgen',
  'werk-dagbesteding': 'Werk en dagbesteding',
  mantelzorgbelasting: 'Mantelzorgbelasting',
  other: 'Overig',
  available: 'Plek beschikbaar',
  limited: 'Beperkt plek',
  full: 'Vol',
};

const term = (kind: TaxonomyKind, code: string): TaxonomyTerm => ({
  id: stableUuid('taxonomy_term', kind, code),
  code,
  name: labels[code] ?? code,
  description: labels[code] ?? code,
  taxonomy: TAXONOMIES[kind].name,
  taxonomy_id: TAXONOMIES[kind].id,
  language: 'nl',
});

export const TERMS: readonly TaxonomyTerm[] = [
  ...PositiveHealthDimension.options.map((code) => term('dimension', code)),
  ...ReferralReason.options.map((code) => term('reason', code)),
  ...CapacityStatus.options.map((code) => term('capacity', code)),
];

export const termId = (kind: TaxonomyKind, code: string): string => stableUuid('taxonomy_term', kind, code);
export const termById = (id: string): TaxonomyTerm | undefined => TERMS.find((t) => t.id === id);
