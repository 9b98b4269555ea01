// Dutch words for the codes the services speak (glossary: docs/glossary.md). Unknown codes are
// shown as they are, so a new code never breaks a page.
import { POSITIVE_HEALTH_LABELS } from '@wor/contracts';

const label =
  (map: Record<string, string>) =>
  (code: unknown): string =>
    map[String(code)] ?? String(code ?? '');

export const STATUS = {
  requested: 'Aangevraagd',
  accepted: 'Geaccepteerd',
  'in-progress': 'In behandeling',
  'on-hold': 'Gepauzeerd',
  completed: 'Afgerond',
  failed: 'Niet gelukt',
  rejected: 'Afgewezen',
  cancelled: 'Geannuleerd',
  'entered-in-error': 'Foutief ingevoerd',
} as const;
export const status = label(STATUS);

/** The capacity status of a welfare organisation (Gravity's capacity codes), for GP and coordinator. */
export const capacityText = (c: { status?: string; expectedWaitWorkingDays?: number | null } | undefined): string => {
  switch (c?.status) {
    case 'capacity':
      return 'Ruimte: nieuwe verwijzingen worden direct opgepakt.';
    case 'waitlist':
      return `Wachtlijst: naar verwachting ${c.expectedWaitWorkingDays} werkdagen tot de eerste afspraak.`;
    case 'no-capacity':
      return 'Geen ruimte: een verwijzing wordt wel ontvangen, maar kan niet op korte termijn worden opgepakt.';
    default:
      return 'Capaciteit onbekend (geen planning voor deze maand).';
  }
};

export const REASONS = {
  eenzaamheid: 'Eenzaamheid',
  'somberheid-angst': 'Somberheid of angst',
  'stress-overbelasting': 'Stress of overbelasting',
  zingeving: 'Zingeving',
  rouw: 'Rouw',
  'leefstijl-bewegen': 'Leefstijl en bewegen',
  'financiele-zorgen': 'Financiële zorgen',
  'werk-dagbesteding': 'Werk en dagbesteding',
  mantelzorgbelasting: 'Mantelzorgbelasting',
  other: 'Anders',
} as const;
export const reason = label(REASONS);

export const DIMENSIONS = POSITIVE_HEALTH_LABELS;
export const dimension = label(DIMENSIONS);

export const HOLD_REASONS = {
  'patient-request': 'Op verzoek van de patiënt',
  'patient-unwell': 'Patiënt is ziek',
  'waiting-for-activity': 'Wacht op een activiteit',
  'coach-unavailable': 'Coach niet beschikbaar',
  other: 'Anders',
} as const;
export const REJECTION_REASONS = {
  'outside-target-group': 'Buiten de doelgroep',
  'outside-area': 'Buiten het werkgebied',
  'no-capacity': 'Geen capaciteit',
  other: 'Anders',
} as const;
export const OUTCOMES = {
  'linked-to-activity': 'Gekoppeld aan een activiteit',
  'activity-continued': 'Activiteit wordt voortgezet',
  'goals-reached': 'Doelen bereikt',
  other: 'Anders',
} as const;
export const FAILURE_REASONS = {
  declined: 'Patiënt ziet ervan af',
  'not-reachable': 'Niet bereikbaar',
  'dropped-out': 'Voortijdig gestopt',
  'onward-referral': 'Doorverwezen',
} as const;
export const CAPACITY = { available: 'Plaats beschikbaar', limited: 'Beperkt plaats', full: 'Vol' } as const;
export const capacity = label(CAPACITY);
export const SEX = { female: 'Vrouw', male: 'Man', other: 'Anders', unknown: 'Onbekend' } as const;
export const sex = label(SEX);
export const REFERRER_ROLES = {
  huisarts: 'Huisarts',
  'poh-ggz': 'POH-GGZ',
  'poh-s': 'POH-S',
  praktijkverpleegkundige: 'Praktijkverpleegkundige',
  other: 'Anders',
} as const;
export const FEEDBACK_MOMENTS = {
  acceptance: 'Acceptatie',
  rejection: 'Afwijzing',
  intake: 'Na de intake',
  closure: 'Afsluiting',
  'contact-request': 'Verzoek om contact via de huisarts',
} as const;
export const feedbackMoment = label(FEEDBACK_MOMENTS);
export const CONTACT_PREFERENCES = {
  phone: 'telefoon',
  sms: 'sms',
  email: 'e-mail',
  'gp-only': 'via de huisarts',
} as const;
export const contactPreference = label(CONTACT_PREFERENCES);
export const PURPOSES = {
  'wor-referral': 'Verwijzing',
  'wor-coaching': 'Begeleiding',
  'wor-feedback': 'Terugkoppeling',
  'privacy-oversight': 'Privacytoezicht',
  'subject-rights': 'Rechten van betrokkene',
} as const;
export const purpose = label(PURPOSES);
export const DATA_CATEGORIES = {
  'contact-details': 'Contactgegevens',
  'referral-reason': 'Verwijsreden',
  'health-summary': 'Gezondheidssamenvatting',
  outcome: 'Uitkomst',
} as const;
export const dataCategory = label(DATA_CATEGORIES);
export const ACTIONS = { C: 'Aanmaken', R: 'Inzien', U: 'Wijzigen', D: 'Verwijderen', E: 'Uitvoeren' } as const;
export const action = label(ACTIONS);
export const OUTCOME_ACCESS = { allowed: 'Toegestaan', denied: 'Geweigerd' } as const;
export const accessOutcome = label(OUTCOME_ACCESS);
export const AGREEMENT_STATUS = {
  draft: 'Concept',
  active: 'Actief',
  expired: 'Verlopen',
  terminated: 'Beëindigd',
} as const;
export const agreementStatus = label(AGREEMENT_STATUS);
export const CONSENT_STATUS = { active: 'Actief', withdrawn: 'Ingetrokken', expired: 'Verlopen' } as const;
export const consentStatus = label(CONSENT_STATUS);
export const LIGHTS = {
  green: 'Groen: op koers',
  orange: 'Oranje: aandacht nodig',
  red: 'Rood: actie nodig',
  unknown: 'Onbekend (te weinig gegevens)',
} as const;
export const light = label(LIGHTS);

export const ROLE_NAMES = {
  coach: 'Welzijnscoach',
  coordinator: 'Coördinator',
  'privacy-officer': 'Privacyfunctionaris',
  'key-user': 'Key-user sociale kaart',
  'reporting-consumer': 'Gemeente (monitoring)',
  'referral-channel': 'Verwijskanaal (ZorgDomein)',
  'gp-system': 'Huisartsinformatiesysteem',
  referrer: 'Verwijzer',
  admin: 'Beheerder',
} as const;
export const roleName = label(ROLE_NAMES);

const dateFormat = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'Europe/Amsterdam',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});
const dateTimeFormat = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'Europe/Amsterdam',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const valid = (value: unknown): Date | undefined => {
  if (value === null || value === undefined || value === '') return undefined;
  const d = new Date(String(value));
  return Number.isNaN(d.getTime()) ? undefined : d;
};
/** "12 nov 2026" in Dutch local time; empty for no date. */
export const date = (value: unknown): string => {
  const d = valid(value);
  return d ? dateFormat.format(d) : '';
};
export const dateTime = (value: unknown): string => {
  const d = valid(value);
  return d ? dateTimeFormat.format(d) : '';
};
