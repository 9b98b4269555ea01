// Verwijzen (demo): a referral as a GP system sends it. The consent is recorded first (consent
// service), then the referral (referral service); the consent reaches the referral service as an
// event, so the referral is retried for a few seconds on "consent unknown". Afterwards the page
// shows the referral's status and the feedback (terugkoppeling) the referrer receives.
import type { Request, Response, Router } from 'express';
import { randomUUID } from 'node:crypto';
import {
  api,
  field,
  fields,
  formOf,
  optional,
  redirectWith,
  render,
  renderProblem,
  requireRoles,
  sessionOf,
  type WebContext,
} from '../context';
import { html } from '../html';
import { empty, problemFlash } from '../layout';
import { problemFrom, type Answer } from '../services';
import { capacityText, CONTACT_PREFERENCES, dateTime, reason, REASONS, REFERRER_ROLES, SEX, status } from '../texts';
import { feedbackList } from './work';

const RETRY_MS = 30_000;

const formPage = (ctx: WebContext) => async (_req: Request, res: Response) => {
  const session = sessionOf(res);
  const sent = await Promise.all(session.sent.map((id) => api(ctx, res, 'referral', `/referrals/${id}`)));
  // The GP sees the organisation's capacity before referring (a waitlist or no room is no refusal).
  const capacity = await api(ctx, res, 'referral', '/capacity/organisations/welzijn-beterstad');
  render(
    res,
    'Verwijzen',
    'verwijzen',
    html`<h1>Verwijzen naar Welzijn op Recept (demo)</h1>
<p class="message info">Zo stuurt een huisartsinformatiesysteem een verwijzing. Gebruik fictieve gegevens; het BSN moet 9 cijfers hebben (bijv. 999990019).</p>
<form method="post" action="/verwijzen" class="card" aria-labelledby="kop-patient">
<h2 id="kop-patient">Patiënt</h2>
<div class="grid">
<div><label for="r-bsn">BSN</label><input id="r-bsn" name="bsn" inputmode="numeric" autocomplete="off" required></div>
<div><label for="r-given">Voornaam</label><input id="r-given" name="given" autocomplete="off" required></div>
<div><label for="r-family">Achternaam</label><input id="r-family" name="family" autocomplete="off" required></div>
<div><label for="r-birth">Geboortedatum</label><input type="date" id="r-birth" name="birthDate" required></div>
<div><label for="r-sex">Geslacht</label><select id="r-sex" name="sex">${Object.entries(SEX).map(([v, l]) => html`<option value="${v}">${l}</option>`)}</select></div>
<div><label for="r-phone">Telefoon (optioneel)</label><input type="tel" id="r-phone" name="phone" autocomplete="off"></div>
<div><label for="r-email">E-mail (optioneel)</label><input type="email" id="r-email" name="email" autocomplete="off"></div>
<div><label for="r-contact">Voorkeur contact (optioneel)</label><select id="r-contact" name="contactPreference"><option value="">onbekend</option>${Object.entries(CONTACT_PREFERENCES).map(([v, l]) => html`<option value="${v}">${l}</option>`)}</select></div>
</div>
<h2>Verwijzing</h2>
<fieldset><legend>Redenen</legend>${Object.entries(REASONS).map(([v, l]) => html`<label class="inline"><input type="checkbox" name="reasons" value="${v}"> ${l}</label>`)}</fieldset>
<div class="grid">
<div><label for="r-role">Verwezen door</label><select id="r-role" name="referrerRole">${Object.entries(REFERRER_ROLES).map(([v, l]) => html`<option value="${v}">${l}</option>`)}</select></div>
<div><label for="r-to">Welzijnsorganisatie</label><select id="r-to" name="recipient" aria-describedby="r-capacity"><option value="welzijn-beterstad">Welzijn Beterstad</option></select><p id="r-capacity" class="hint capacity">${capacityText(capacity.ok ? capacity.body : undefined)}</p></div>
<div><label for="r-mun">Gemeente</label><select id="r-mun" name="municipality"><option value="GM9999">Beterstad (GM9999)</option></select></div>
</div>
<h2>Toestemming</h2>
<label class="inline"><input type="checkbox" name="consent" value="ja" required> De patiënt geeft uitdrukkelijk toestemming om gegevens te delen met de welzijnsorganisatie voor verwijzing, begeleiding en terugkoppeling</label>
<label for="r-method">Vastgelegd als</label><select id="r-method" name="method"><option value="verbal">Mondeling</option><option value="signed">Ondertekend</option><option value="digital">Digitaal</option></select>
<p><button type="submit">Verwijzing versturen</button> <span class="loading" aria-live="polite">Bezig met versturen…</span></p>
</form>
<h2>Verstuurd in deze sessie</h2>
${sent.length ? html`<ul>${sent.map((a, i) => html`<li><a href="/verwijzen/${session.sent[i]}">Verwijzing ${session.sent[i]!.slice(0, 8)}</a>: ${a.ok ? status(a.body.status) : 'onbekend'}</li>`)}</ul>` : empty('Nog niets verstuurd.')}`,
  );
};

const submit = (ctx: WebContext) => async (req: Request, res: Response) => {
  const form = formOf(req);
  if (field(form, 'consent') !== 'ja')
    return redirectWith(res, '/verwijzen', {
      kind: 'error',
      title: 'Niet verstuurd',
      detail: 'Zonder toestemming van de patiënt kan niet worden verwezen.',
    });
  const session = sessionOf(res);
  const recipient = field(form, 'recipient');
  const bsn = field(form, 'bsn');
  const consent = await api(ctx, res, 'consent', '/consents', {
    body: {
      patient: { bsn },
      recipientOrganisationId: recipient,
      purposes: ['wor-referral', 'wor-coaching', 'wor-feedback'],
      dataCategories: ['contact-details', 'referral-reason', 'health-summary', 'outcome'],
      evidence: { method: field(form, 'method') || 'verbal' },
    },
  });
  if (!consent.ok) return redirectWith(res, '/verwijzen', problemFlash(problemFrom(consent)));
  const body = {
    consentId: consent.body.consentId,
    patient: {
      bsn,
      name: { given: field(form, 'given'), family: field(form, 'family') },
      birthDate: field(form, 'birthDate'),
      sex: field(form, 'sex'),
      phone: optional(field(form, 'phone')),
      email: optional(field(form, 'email')),
      contactPreference: optional(field(form, 'contactPreference')),
    },
    municipality: field(form, 'municipality'),
    practiceId: session.user.organisationId,
    recipientOrganisationId: recipient,
    referrerRole: field(form, 'referrerRole'),
    reasons: fields(form, 'reasons'),
  };
  // A key per attempt: the service replays a key's first answer, and a refused attempt stored nothing.
  const deadline = Date.now() + RETRY_MS;
  let answer: Answer;
  for (;;) {
    answer = await api(ctx, res, 'referral', '/referrals', { body, headers: { 'idempotency-key': randomUUID() } });
    const consentNotYetKnown = answer.status === 403 && /consent is unknown/.test(String(answer.body?.detail));
    if (!consentNotYetKnown || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (!answer.ok) return redirectWith(res, '/verwijzen', problemFlash(problemFrom(answer)));
  const id = String(answer.body.referralId);
  session.sent.push(id);
  redirectWith(res, `/verwijzen/${id}`, {
    kind: 'success',
    title: 'De verwijzing is verstuurd.',
    detail: 'De welzijnsorganisatie ziet haar nu in haar werkvoorraad.',
  });
};

const sentPage = (ctx: WebContext) => async (req: Request, res: Response) => {
  const id = encodeURIComponent(String(req.params.referralId));
  const [referral, feedback] = await Promise.all([
    api(ctx, res, 'referral', `/referrals/${id}`),
    api(ctx, res, 'referral', `/referrals/${id}/feedback`),
  ]);
  if (!referral.ok) return renderProblem(res, 'Verwijzing', 'verwijzen', problemFrom(referral));
  const r = referral.body;
  render(
    res,
    'Verwijzing',
    'verwijzen',
    html`<p><a href="/verwijzen">← Nieuwe verwijzing</a></p><h1>Verwijzing ${String(r.referralId).slice(0, 8)} <span class="badge">${status(r.status)}</span></h1>
<section class="card"><dl class="facts"><dt>Status</dt><dd>${status(r.status)}</dd><dt>Aan</dt><dd>${r.recipientOrganisationId}</dd><dt>Redenen</dt><dd>${(r.reasons ?? []).map(reason).join(', ')}</dd><dt>Verstuurd</dt><dd>${dateTime(r.requestedAt)}</dd></dl></section>
<h2>Terugkoppeling</h2>${feedbackList(feedback)}`,
  );
};

export const referRoutes =
  (ctx: WebContext) =>
  (router: Router): void => {
    const referrer = requireRoles('gp-system', 'referrer');
    router.get('/verwijzen', referrer, formPage(ctx));
    router.post('/verwijzen', referrer, submit(ctx));
    router.get('/verwijzen/:referralId', referrer, sentPage(ctx));
  };
