// The services answer errors as RFC 9457 problem details in English. The user reads Dutch: a title
// per status, the known details translated, others quoted as the service gave them, and every
// invalid field path listed.
import { status as statusName } from './texts';

export type Problem = Readonly<{
  status: number;
  title: string;
  detail: string;
  errors: readonly { path: string; message: string }[];
}>;

const TITLES: Record<number, string> = {
  400: 'Het verzoek is niet goed opgebouwd',
  401: 'U bent niet (meer) aangemeld',
  403: 'Geen toegang',
  404: 'Niet gevonden',
  409: 'Deze stap kan nu niet',
  412: 'De gegevens zijn intussen gewijzigd',
  413: 'Het verzoek is te groot',
  415: 'Het verzoek is niet goed opgebouwd',
  422: 'Niet alle gegevens zijn juist ingevuld',
  428: 'De versie ontbreekt',
  429: 'Te veel verzoeken',
  500: 'Er ging iets mis in de service',
  502: 'De service is niet bereikbaar',
  503: 'De service is tijdelijk niet beschikbaar',
};

const REASONS: [RegExp, (m: RegExpExecArray) => string][] = [
  [
    /^the consent is unknown to the referral service$/,
    () => 'de toestemming is (nog) niet bekend bij de verwijsservice',
  ],
  [/^the consent belongs to another patient$/, () => 'de toestemming hoort bij een andere patiënt'],
  [/^the consent was withdrawn$/, () => 'de patiënt heeft de toestemming ingetrokken'],
  [/^the consent has expired$/, () => 'de toestemming is verlopen'],
  [/^the consent is not yet valid$/, () => 'de toestemming is nog niet geldig'],
  [/^the consent does not cover recipient (.+)$/, (m) => `de toestemming geldt niet voor ontvanger ${m[1]}`],
  [/^the consent does not cover purpose (.+)$/, (m) => `de toestemming geldt niet voor het doel ${m[1]}`],
  [
    /^the patient objected/,
    () => 'de patiënt heeft bezwaar gemaakt en geen specifiekere toestemming is van toepassing',
  ],
  [
    /^no active data-sharing agreement between (\S+) and (\S+) for purpose (\S+) and data category (\S+)/,
    (m) =>
      `er is geen actieve samenwerkingsovereenkomst tussen ${m[1]} en ${m[2]} voor doel ${m[3]} en gegevenscategorie ${m[4]}`,
  ],
  [/^no (active )?consent/, () => 'er is geen geldige toestemming van de patiënt'],
];

const translateReason = (reason: string): string => {
  for (const [pattern, dutch] of REASONS) {
    const m = pattern.exec(reason);
    if (m) return dutch(m);
  }
  return reason;
};

const DETAILS: [RegExp, (m: RegExpExecArray) => string][] = [
  [
    /^Only the referral's coach and the organisation's coordinators read/,
    () =>
      'U bent niet de coach van deze cliënt. Alleen de eigen coach en de coördinatoren van de organisatie zien de persoonsgegevens. Neemt u het over (vervanging of dringend contact)? Verklaar dat hieronder; de inzage wordt dan als noodtoegang vastgelegd.',
  ],
  [
    /^Access to this patient's data is not permitted: (.+?)\.?$/,
    (m) => `Inzage in de gegevens van deze patiënt is niet toegestaan: ${translateReason(m[1]!)}.`,
  ],
  [
    /^Cannot (.+) on a referral that is (\S+); allowed when (.+)\.$/,
    (m) =>
      `Deze stap kan niet bij een verwijzing met status "${statusName(m[2])}" (toegestaan bij: ${m[3]!
        .split(/, | or /)
        .map(statusName)
        .join(', ')}).`,
  ],
  [
    /^A coach can assign only themself/,
    () => 'Een coach kan alleen zichzelf toewijzen; de coördinator wijst anderen toe.',
  ],
  [/^Figures of another municipality/, () => 'De cijfers van een andere gemeente mag u niet inzien.'],
  [/^This needs one of the roles: (.+)\.$/, (m) => `Hiervoor is een van deze rollen nodig: ${m[1]}.`],
  [/^The caller lacks a role/, () => 'Uw rol geeft geen toegang tot deze functie.'],
  [/^The token names no municipality/, () => 'Uw account hoort bij geen gemeente.'],
  [
    /^The token names no organisation|^Work queues belong to an organisation/,
    () => 'Uw account hoort bij geen organisatie.',
  ],
  [/^The token has expired/, () => 'Uw sessie is verlopen; meld u opnieuw aan.'],
  [/^(A bearer token is required|The token is invalid)/, () => 'U bent niet aangemeld.'],
  [/^The request body is invalid/, () => 'Controleer de gemarkeerde velden.'],
  [
    /stale|changed since|was changed by another request|does not name a version/i,
    () => 'Iemand anders heeft deze gegevens net gewijzigd. Laad de pagina opnieuw en probeer het nog eens.',
  ],
  [/^Send If-Match/, () => 'De versie van de gegevens ontbreekt; laad de pagina opnieuw.'],
  [/still being processed/, () => 'Dit verzoek wordt nog verwerkt; probeer het zo opnieuw.'],
  [
    /^(Service|Organization|Location) (\S+) is not on the map\.$/,
    (m) =>
      `${m[1] === 'Organization' ? 'Organisatie' : m[1] === 'Location' ? 'Locatie' : 'Dienst'} staat niet op de sociale kaart.`,
  ],
  [/^No such (resource|referral|agreement|consent)/i, () => 'Dit bestaat niet of u heeft er geen toegang toe.'],
  [
    /^(the consent is unknown to the referral service)/,
    (m) => `Verwijzen kan nog niet: ${translateReason(m[1]!)}. Probeer het over enkele seconden opnieuw.`,
  ],
];

/** A Dutch sentence for a service's detail; the original in parentheses when no translation is known. */
export const dutchDetail = (detail: string): string => {
  for (const [pattern, dutch] of DETAILS) {
    const m = pattern.exec(detail);
    if (m) return dutch(m);
  }
  return detail ? `Melding van de service: "${detail}"` : '';
};

const FIELD_MESSAGES: [RegExp, string][] = [
  [/required|expected .*received undefined/i, 'verplicht'],
  [/a BSN of 9 digits/, 'een BSN van 9 cijfers'],
  [/fails the elfproef/, 'geen geldig BSN (voldoet niet aan de elfproef)'],
  [/control characters|unpaired surrogates/, 'bevat tekens die niet zijn toegestaan'],
  [/at most \d+ characters/, 'is te lang'],
  [/too (small|big)|>=|<=/i, 'valt buiten het toegestane bereik'],
  [/invalid (date|datetime|ISO)/i, 'geen geldige datum'],
  [/invalid (email|e-mail)/i, 'geen geldig e-mailadres'],
];

export const dutchFieldMessage = (message: string): string => {
  for (const [pattern, dutch] of FIELD_MESSAGES) if (pattern.test(message)) return `${dutch} (${message})`;
  return message;
};

/** Reads a problem from a response body (problem+json or anything else). */
export const problemOf = (status: number, body: unknown): Problem => {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const errors = Array.isArray(b.errors)
    ? (b.errors as unknown[]).map((e) => {
        const item = (e ?? {}) as Record<string, unknown>;
        return { path: String(item.path ?? ''), message: dutchFieldMessage(String(item.message ?? '')) };
      })
    : [];
  return {
    status,
    title: TITLES[status] ?? (status >= 500 ? TITLES[500]! : 'Het verzoek is niet gelukt'),
    detail: dutchDetail(typeof b.detail === 'string' ? b.detail : ''),
    errors,
  };
};
