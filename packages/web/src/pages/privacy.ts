// Privacy (privacy officer): the access log with filters and the denied accesses, the hash-chain
// check, data-sharing agreements and their expiry, and per patient (by BSN, only ever in a POST
// body) the consent history, the art. 15 report and the art. 17 erasure with confirmation.
import { randomUUID } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import {
  api,
  field,
  formOf,
  queryValue,
  redirectAfter,
  redirectWith,
  render,
  requireRoles,
  type WebContext,
} from '../context';
import { html, type Html } from '../html';
import { empty, problemBox, problemFlash } from '../layout';
import { problemFrom } from '../services';
import {
  accessOutcome,
  action,
  agreementStatus,
  consentStatus,
  dataCategory,
  date,
  dateTime,
  purpose,
  PURPOSES,
} from '../texts';

const tabs = (active: string): Html =>
  html`<nav aria-label="Privacy"><p>${[
    ['/privacy', 'Toegangslog', 'log'],
    ['/privacy?uitkomst=denied', 'Geweigerde toegang', 'denied'],
    ['/privacy/keten', 'Controle hash-keten', 'chain'],
    ['/privacy/overeenkomsten', 'Overeenkomsten', 'agreements'],
    ['/privacy/patient', 'Patiënt: toestemming, inzage en wissen', 'patient'],
  ].map(
    ([href, label, key], i) =>
      html`${i ? ' · ' : ''}<a href="${href}"${key === active ? html` aria-current="page"` : ''}>${label}</a>`,
  )}</p></nav>`;

type Entry = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const logTable = (entries: Entry[]): Html => html`<div class="table-wrap" tabindex="0"><table>
<caption class="muted">${entries.length} regel(s), nieuwste eerst</caption>
<thead><tr><th scope="col">Tijdstip</th><th scope="col">Gebruiker</th><th scope="col">Rol</th><th scope="col">Organisatie</th><th scope="col">Handeling</th><th scope="col">Doel</th><th scope="col">Gegevens</th><th scope="col">Object</th><th scope="col">Uitkomst</th><th scope="col">Patiënt (pseudoniem)</th></tr></thead>
<tbody>${entries.map(
  (
    e,
  ) => html`<tr><td>${dateTime(e.accessedAt)}</td><td>${e.userId}${e.onBehalfOf ? ` (namens ${e.onBehalfOf})` : ''}</td><td>${e.role}</td><td>${e.organisationId ?? ''}</td>
<td>${action(e.action)}</td><td>${purpose(e.purpose)}</td><td>${(e.dataCategories ?? []).map(dataCategory).join(', ')}</td>
<td>${e.resource?.type ?? e.resourceType ?? ''} ${String(e.resource?.id ?? e.resourceId ?? '').slice(0, 8)}</td>
<td>${e.outcome === 'denied' ? html`<span class="badge red">${accessOutcome(e.outcome)}</span>${e.reason ? html`<br><small>${e.reason}</small>` : ''}` : accessOutcome(e.outcome)}</td>
<td><code>${String(e.subjectId ?? '').slice(0, 12)}</code></td></tr>`,
)}</tbody></table></div>`;

/** A local date from a date input → the instant the access-log API filters on. */
const instant = (day: string, endOfDay = false): string | undefined => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const d = new Date(`${day}T00:00:00Z`);
  if (endOfDay) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
};

const logPage = (ctx: WebContext) => async (req: Request, res: Response) => {
  const f = {
    user: queryValue(req, 'gebruiker'),
    org: queryValue(req, 'organisatie'),
    purpose: queryValue(req, 'doel'),
    outcome: queryValue(req, 'uitkomst'),
    from: queryValue(req, 'van'),
    to: queryValue(req, 'tot'),
  };
  const params = new URLSearchParams({ limit: '200' });
  if (f.user) params.set('userId', f.user);
  if (f.org) params.set('organisationId', f.org);
  if (f.purpose) params.set('purpose', f.purpose);
  if (f.outcome === 'allowed' || f.outcome === 'denied') params.set('outcome', f.outcome);
  const from = instant(f.from);
  const to = instant(f.to, true);
  if (from) params.set('from', from);
  if (to) params.set('to', to);
  const denied = f.outcome === 'denied';
  const answer = await api(ctx, res, 'consent', `${denied ? '/access-log/denied' : '/access-log'}?${params}`);
  render(
    res,
    denied ? 'Geweigerde toegang' : 'Toegangslog',
    'privacy',
    html`<h1>${denied ? 'Geweigerde toegang' : 'Toegangslog (NEN 7513)'}</h1>${tabs(denied ? 'denied' : 'log')}
<form method="get" action="/privacy" class="card filters" aria-label="Filters toegangslog">
<div><label for="l-user">Gebruiker</label><input id="l-user" name="gebruiker" value="${f.user}"></div>
<div><label for="l-org">Organisatie</label><input id="l-org" name="organisatie" value="${f.org}"></div>
<div><label for="l-purpose">Doel</label><select id="l-purpose" name="doel"><option value="">Alle</option>${Object.entries(PURPOSES).map(([v, l]) => html`<option value="${v}"${v === f.purpose ? html` selected` : ''}>${l}</option>`)}</select></div>
<div><label for="l-outcome">Uitkomst</label><select id="l-outcome" name="uitkomst"><option value="">Alle</option><option value="allowed"${f.outcome === 'allowed' ? html` selected` : ''}>Toegestaan</option><option value="denied"${denied ? html` selected` : ''}>Geweigerd</option></select></div>
<div><label for="l-from">Van</label><input type="date" id="l-from" name="van" value="${f.from}"></div>
<div><label for="l-to">Tot en met</label><input type="date" id="l-to" name="tot" value="${f.to}"></div>
<div><button type="submit">Zoeken</button></div>
</form>
<p class="muted">Ook uw eigen inzage in het log wordt gelogd.</p>
${answer.ok ? (answer.body.items?.length ? logTable(answer.body.items) : empty('Geen regels gevonden met deze filters.')) : problemBox(problemFrom(answer))}`,
  );
};

const chainPage = (ctx: WebContext) => async (_req: Request, res: Response) => {
  const answer = await api(ctx, res, 'consent', '/access-log/verify');
  const r = answer.body;
  render(
    res,
    'Controle hash-keten',
    'privacy',
    html`<h1>Controle hash-keten van het toegangslog</h1>${tabs('chain')}
${
  answer.ok
    ? r.intact
      ? html`<div class="message success" role="status"><p><strong>De keten is intact.</strong></p><p>${r.entries} regel(s) gecontroleerd; geen regel is gewijzigd, verwijderd of verplaatst.</p></div>`
      : html`<div class="message error" role="alert"><p><strong>De keten is verbroken.</strong></p><p>Eerste breuk bij regel ${r.firstBreak?.seq}: ${r.firstBreak?.problem === 'changed' ? 'de regel is gewijzigd' : 'een regel is verwijderd of verplaatst'}. ${r.entries} regel(s) gecontroleerd.</p></div>`
    : problemBox(problemFrom(answer))
}`,
  );
};

const agreementsPage = (ctx: WebContext) => async (_req: Request, res: Response) => {
  const [all, expiring] = await Promise.all([
    api(ctx, res, 'consent', '/agreements'),
    api(ctx, res, 'consent', '/agreements/expiring?withinDays=60'),
  ]);
  const soon = new Set<string>(expiring.ok ? (expiring.body.items as Entry[]).map((a) => a.agreementId) : []);
  const items = (all.ok ? all.body.items : []) as Entry[];
  const nextYear = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  render(
    res,
    'Overeenkomsten',
    'privacy',
    html`<h1>Samenwerkings- en verwerkersovereenkomsten</h1>${tabs('agreements')}
${
  !all.ok
    ? problemBox(problemFrom(all))
    : items.length
      ? html`<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">Titel</th><th scope="col">Soort</th><th scope="col">Partijen</th><th scope="col">Status</th><th scope="col">Geldig vanaf</th><th scope="col">Geldig tot</th><th scope="col">Actie</th></tr></thead><tbody>${items.map(
          (
            a,
          ) => html`<tr><td>${a.title}</td><td>${a.kind}</td><td>${(a.parties ?? []).map((p: Entry) => p.organisationId).join(', ')}</td>
<td>${agreementStatus(a.status)} ${soon.has(a.agreementId) ? html`<span class="badge orange">Verloopt binnen 60 dagen</span>` : ''}</td><td>${date(a.validFrom)}</td><td>${a.validUntil ? date(a.validUntil) : 'onbepaald'}</td>
<td>${a.status === 'draft' ? html`<form method="post" action="/privacy/overeenkomsten/${a.agreementId}/activeren"><button type="submit" aria-label="Activeren: ${a.title}">Activeren</button></form>` : a.status === 'active' ? html`<form method="post" action="/privacy/overeenkomsten/${a.agreementId}/beeindigen"><button type="submit" class="secondary" aria-label="Beëindigen: ${a.title}">Beëindigen</button></form>` : ''}</td></tr>`,
        )}</tbody></table></div>`
      : empty('Er zijn nog geen overeenkomsten vastgelegd.')
}
<form method="post" action="/privacy/overeenkomsten" class="card" aria-labelledby="kop-nieuw">
<h2 id="kop-nieuw">Nieuwe samenwerkingsovereenkomst (Welzijn op Recept)</h2>
<label for="a-title">Titel</label><input id="a-title" name="title" value="Welzijn op Recept Beterstad" required>
<label for="a-org1">Verwijzende praktijk</label><input id="a-org1" name="practice" value="huisarts-beterschap" required>
<label for="a-org2">Welzijnsorganisatie</label><input id="a-org2" name="welfare" value="welzijn-beterstad" required>
<label for="a-until">Geldig tot</label><input type="date" id="a-until" name="validUntil" value="${nextYear}">
<label for="a-ref">Verwijzing verwerkingsregister</label><input id="a-ref" name="register" value="VWA-2026-01" required>
<p class="muted">Gezamenlijke verwerkingsverantwoordelijken; grondslag: uitdrukkelijke toestemming (AVG art. 6 lid 1a, art. 9 lid 2a); doelen verwijzing, begeleiding en terugkoppeling; bewaartermijn 24 maanden.</p>
<button type="submit">Opslaan als concept</button>
</form>`,
  );
};

const patientForm =
  (): Html => html`<form method="post" action="/privacy/patient" class="card filters" aria-label="Patiënt opzoeken">
<div><label for="p-bsn">BSN van de patiënt</label><input id="p-bsn" name="bsn" inputmode="numeric" pattern="[0-9]{9}" autocomplete="off" required></div>
<div><button type="submit">Toestemmingen en inzageverslag tonen (art. 15)</button></div></form>
<p class="muted">Het BSN gaat alleen naar de toestemmingsservice en wordt daar meteen een pseudoniem; het staat nooit in een adres (URL). Het opvragen wordt gelogd.</p>`;

const patientPage = (ctx: WebContext) => async (req: Request, res: Response) => {
  const bsn = req.method === 'POST' ? field(formOf(req), 'bsn') : '';
  const report = bsn
    ? await api(ctx, res, 'consent', '/subject-rights/access-report', { body: { patient: { bsn } } })
    : undefined;
  const r = report?.body;
  const consents = (r?.services?.consent?.consents ?? []) as Entry[];
  const log = (r?.services?.consent?.accessLog ?? []) as Entry[];
  render(
    res,
    'Patiënt',
    'privacy',
    html`<h1>Patiënt: toestemming, inzage (art. 15) en wissen (art. 17)</h1>${tabs('patient')}${patientForm()}
${
  !report
    ? ''
    : !report.ok
      ? problemBox(problemFrom(report))
      : html`
<section class="card" aria-labelledby="kop-verslag"><h2 id="kop-verslag">Inzageverslag (AVG art. 15)</h2>
<dl class="facts"><dt>Pseudoniem</dt><dd><code>${r.subjectId}</code></dd><dt>Opgesteld</dt><dd>${dateTime(r.generatedAt)}</dd>
<dt>Gewist</dt><dd>${r.erasure?.erasedAt ? dateTime(r.erasure.erasedAt) : 'nee'}</dd>
<dt>Ingezien door</dt><dd>${(r.accessedBy ?? []).map((a: Entry) => `${a.userId} (${a.role}, ${a.organisationId ?? '—'})`).join('; ') || 'niemand'}</dd></dl>
<h3>Toestemmingsgeschiedenis</h3>
${
  consents.length
    ? html`<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">Vastgelegd</th><th scope="col">Keuze</th><th scope="col">Ontvangers</th><th scope="col">Doelen</th><th scope="col">Gegevens</th><th scope="col">Status</th><th scope="col">Ingetrokken</th><th scope="col">Vastgelegd door</th></tr></thead><tbody>${consents.map(
        (
          c,
        ) => html`<tr><td>${dateTime(c.recordedAt)}</td><td>${c.provision === 'deny' ? 'Bezwaar' : 'Toestemming'}</td><td>${(c.recipientOrganisationIds ?? ['alle']).join(', ')}</td>
<td>${(c.purposes ?? ['alle']).map(purpose).join(', ')}</td><td>${(c.dataCategories ?? ['alle']).map(dataCategory).join(', ')}</td><td>${consentStatus(c.status)}</td><td>${c.withdrawnAt ? dateTime(c.withdrawnAt) : ''}</td><td>${c.evidence?.recordedBy ?? ''} (${c.evidence?.method ?? ''})</td></tr>`,
      )}</tbody></table></div>`
    : empty('Geen toestemmingen vastgelegd voor deze patiënt.')
}
<h3>Toegang tot de gegevens van deze patiënt</h3>
${log.length ? logTable([...log].reverse()) : empty('Niemand heeft gegevens van deze patiënt ingezien.')}
<form method="post" action="/privacy/patient/verslag" class="filters"><input type="hidden" name="bsn" value="${bsn}"><div><button type="submit" class="secondary">Inzageverslag downloaden (JSON)</button></div></form>
</section>
<form method="post" action="/privacy/wissen" class="card" aria-labelledby="kop-wissen">
<h2 id="kop-wissen">Gegevens wissen (AVG art. 17)</h2>
<div class="message error"><p><strong>Let op: dit is onomkeerbaar.</strong> De sleutel van deze patiënt wordt vernietigd in alle services; persoonsgegevens zijn daarna niet meer te lezen. Actieve toestemmingen worden ingetrokken.</p></div>
<input type="hidden" name="bsn" value="${bsn}">
<label for="w-bsn">Typ ter bevestiging het BSN opnieuw</label><input id="w-bsn" name="bevestigBsn" inputmode="numeric" autocomplete="off" required>
<label class="inline"><input type="checkbox" name="bevestig" value="ja" required> Ik begrijp dat wissen niet ongedaan kan worden</label>
<button type="submit" class="danger">Definitief wissen</button>
</form>`
}`,
  );
};

export const privacyRoutes =
  (ctx: WebContext) =>
  (router: Router): void => {
    const officer = requireRoles('privacy-officer');
    router.get('/privacy', officer, logPage(ctx));
    router.get('/privacy/keten', officer, chainPage(ctx));
    router.get('/privacy/overeenkomsten', officer, agreementsPage(ctx));
    router.post('/privacy/overeenkomsten', officer, async (req, res) => {
      const form = formOf(req);
      const practice = field(form, 'practice');
      const welfare = field(form, 'welfare');
      const until = instant(field(form, 'validUntil'));
      const answer = await api(ctx, res, 'consent', '/agreements', {
        body: {
          agreementId: randomUUID(),
          kind: 'samenwerkingsovereenkomst',
          title: field(form, 'title'),
          parties: [
            { organisationId: practice, role: 'joint-controller' },
            { organisationId: welfare, role: 'joint-controller' },
          ],
          legalBasis: { article6: 'a-consent', article9Exception: 'a-explicit-consent' },
          purposes: ['wor-referral', 'wor-coaching', 'wor-feedback'],
          dataCategories: ['contact-details', 'referral-reason', 'health-summary', 'outcome'],
          recipientOrganisationIds: [welfare, practice],
          validFrom: new Date(Date.now() - 60_000).toISOString(),
          validUntil: until ?? null,
          retentionMonths: 24,
          processingRegisterReference: field(form, 'register'),
        },
      });
      redirectAfter(
        res,
        '/privacy/overeenkomsten',
        answer,
        'De overeenkomst is als concept opgeslagen. Activeer haar om gegevens te delen.',
      );
    });
    for (const [path, step, done] of [
      ['activeren', 'activate', 'De overeenkomst is actief.'],
      ['beeindigen', 'terminate', 'De overeenkomst is beëindigd.'],
    ] as const)
      router.post(`/privacy/overeenkomsten/:agreementId/${path}`, officer, async (req, res) => {
        const answer = await api(
          ctx,
          res,
          'consent',
          `/agreements/${encodeURIComponent(String(req.params.agreementId))}/${step}`,
          { body: {} },
        );
        redirectAfter(res, '/privacy/overeenkomsten', answer, done);
      });
    router.get('/privacy/patient', officer, patientPage(ctx));
    router.post('/privacy/patient', officer, patientPage(ctx));
    router.post('/privacy/patient/verslag', officer, async (req, res) => {
      const answer = await api(ctx, res, 'consent', '/subject-rights/access-report', {
        body: { patient: { bsn: field(formOf(req), 'bsn') } },
      });
      if (!answer.ok) return redirectWith(res, '/privacy/patient', problemFlash(problemFrom(answer)));
      res
        .attachment(`inzageverslag-${String(answer.body.subjectId).slice(0, 12)}.json`)
        .type('application/json')
        .send(JSON.stringify(answer.body, null, 2));
    });
    router.post('/privacy/wissen', officer, async (req, res) => {
      const form = formOf(req);
      const bsn = field(form, 'bsn');
      if (field(form, 'bevestig') !== 'ja' || field(form, 'bevestigBsn') !== bsn || !bsn)
        return redirectWith(res, '/privacy/patient', {
          kind: 'error',
          title: 'Niet gewist',
          detail: 'Bevestig het wissen: vink het vakje aan en typ hetzelfde BSN opnieuw.',
        });
      const answer = await api(ctx, res, 'consent', '/subject-rights/erasure', { body: { patient: { bsn } } });
      if (!answer.ok) return redirectWith(res, '/privacy/patient', problemFlash(problemFrom(answer)));
      redirectWith(res, '/privacy/patient', {
        kind: 'success',
        title: 'De gegevens van de patiënt zijn gewist.',
        detail: `Pseudoniem ${String(answer.body.subjectId).slice(0, 12)}…: sleutel ${answer.body.keyDestroyed ? 'vernietigd' : 'was al vernietigd'}; ${answer.body.withdrawnConsents?.length ?? 0} toestemming(en) ingetrokken; gewist op ${dateTime(answer.body.erasedAt)}. De andere services vernietigen hun sleutel zodra zij het bericht ontvangen. Oude kopieën in de databasebestanden zijn onleesbaar zodra elke service een nieuwe sleutelversleutelingssleutel heeft (hier ${answer.body.followUp?.consent === 'done' ? 'al gebeurd' : 'binnen 10 seconden'}, elders binnen ongeveer 15 seconden); back-ups bevatten de gegevens tot hun bewaartermijn verloopt (ten hoogste 35 dagen).`,
      });
    });
  };
