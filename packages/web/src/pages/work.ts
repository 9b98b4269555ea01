/* eslint-disable @typescript-eslint/no-explicit-any -- answers from the services are read defensively */
// Werkvoorraad (coach, coordinator): the organisation's queue and the coach's own, one referral with
// every step of the lifecycle as a form, personal data only after the referral service's decision,
// and the feedback the referrer receives.
import type { Request, Response, Router } from 'express';
import {
  api,
  field,
  formOf,
  idempotencyField,
  idempotencyHeader,
  numberField,
  optional,
  queryValue,
  redirectAfter,
  render,
  renderProblem,
  requireRoles,
  sessionOf,
  type Form,
  type WebContext,
} from '../context';
import { html, type Html } from '../html';
import { DEMO_USERS, hasRole } from '../identity';
import { empty, problemBox } from '../layout';
import { problemFrom, type Answer } from '../services';
import {
  capacity,
  capacityText,
  contactPreference,
  date,
  dateTime,
  dimension,
  DIMENSIONS,
  FAILURE_REASONS,
  feedbackMoment,
  HOLD_REASONS,
  OUTCOMES,
  reason,
  REJECTION_REASONS,
  sex,
  status,
  STATUS,
} from '../texts';

const OPEN = ['requested', 'accepted', 'in-progress', 'on-hold'] as const;
const short = (id: string) => id.slice(0, 8);
const options = (map: Record<string, string>, selected = ''): Html[] =>
  Object.entries(map).map(([v, l]) => html`<option value="${v}"${v === selected ? html` selected` : ''}>${l}</option>`);

type QueueItem = {
  referralId: string;
  status: string;
  reasons: string[];
  ageBand: string | null;
  sex: string | null;
  practiceId: string;
  coachId: string | null;
  requestedAt: string;
  firstContactDeadline: string | null;
  firstContactAt: string | null;
  waitingDays: number;
  overdue: boolean;
};

const queueTable = (items: QueueItem[]): Html => html`
<div class="table-wrap" tabindex="0"><table>
<caption class="muted">${items.length} verwijzing(en)</caption>
<thead><tr><th scope="col">Verwijzing</th><th scope="col">Status</th><th scope="col">Redenen</th><th scope="col">Leeftijd, geslacht</th><th scope="col">Praktijk</th><th scope="col">Coach</th><th scope="col">Aangevraagd</th><th scope="col">Wachttijd</th><th scope="col">Eerste contact uiterlijk</th></tr></thead>
<tbody>${items.map(
  (i) => html`<tr>
<td><a href="/verwijzingen/${i.referralId}">Verwijzing ${short(i.referralId)}</a></td>
<td>${status(i.status)}</td>
<td>${i.reasons.map(reason).join(', ')}</td>
<td>${i.ageBand ?? ''} jaar, ${sex(i.sex)}</td>
<td>${i.practiceId}</td>
<td>${i.coachId ?? html`<span class="muted">nog niet toegewezen</span>`}</td>
<td>${date(i.requestedAt)}</td>
<td>${i.waitingDays} dag${i.waitingDays === 1 ? '' : 'en'}</td>
<td>${i.firstContactAt ? html`contact op ${date(i.firstContactAt)}` : date(i.firstContactDeadline)} ${i.overdue ? html`<span class="badge overdue">Te laat</span>` : ''}</td>
</tr>`,
)}</tbody></table></div>`;

const queuePage = (ctx: WebContext) => async (req: Request, res: Response) => {
  const user = sessionOf(res).user;
  const isCoach = hasRole(user, 'coach');
  const queue = isCoach && queryValue(req, 'lijst') !== 'organisatie' ? 'mine' : 'organisation';
  const filter = {
    status: queryValue(req, 'status'),
    overdue: queryValue(req, 'telaat'),
    unassigned: queryValue(req, 'nieuw'),
    sort: queryValue(req, 'sortering'),
  };
  const params = new URLSearchParams();
  if ((OPEN as readonly string[]).includes(filter.status)) params.set('status', filter.status);
  if (filter.overdue === 'ja') params.set('overdue', 'true');
  if (filter.unassigned === 'ja' && queue === 'organisation') params.set('unassigned', 'true');
  params.set('sort', filter.sort === 'nieuwste' ? 'waiting' : '-waiting');
  params.set('size', '100');
  const answer = await api(ctx, res, 'referral', `/work-queues/${queue}?${params}`);
  const room = user.organisationId
    ? await api(ctx, res, 'referral', `/capacity/organisations/${encodeURIComponent(user.organisationId)}`)
    : undefined;
  const items = (answer.ok ? answer.body.items : []) as QueueItem[];
  const tabs = html`<p>${isCoach ? html`<a href="/werkvoorraad"${queue === 'mine' ? html` aria-current="page"` : ''}>Mijn werkvoorraad</a> · ` : ''}<a href="/werkvoorraad?lijst=organisatie"${queue === 'organisation' ? html` aria-current="page"` : ''}>Werkvoorraad van de organisatie</a></p>`;
  render(
    res,
    'Werkvoorraad',
    'werkvoorraad',
    html`<h1>${queue === 'mine' ? 'Mijn werkvoorraad' : `Werkvoorraad ${user.organisationName ?? ''}`}</h1>
${tabs}
${room?.ok ? html`<p class="message info capacity">${capacityText(room.body)}${room.body.hours ? ` Gepland ${room.body.hours.available} coachuren, toegezegd ${room.body.hours.committed}.` : ''}</p>` : ''}
<form method="get" action="/werkvoorraad" class="card filters" aria-label="Filters">
  ${queue === 'organisation' ? html`<input type="hidden" name="lijst" value="organisatie">` : ''}
  <div><label for="f-status">Status</label><select id="f-status" name="status"><option value="">Alle open</option>${OPEN.map((s) => html`<option value="${s}"${s === filter.status ? html` selected` : ''}>${STATUS[s]}</option>`)}</select></div>
  <div><label class="inline"><input type="checkbox" name="telaat" value="ja"${filter.overdue === 'ja' ? html` checked` : ''}> Alleen te laat</label>
  ${queue === 'organisation' ? html`<label class="inline"><input type="checkbox" name="nieuw" value="ja"${filter.unassigned === 'ja' ? html` checked` : ''}> Alleen zonder coach</label>` : ''}</div>
  <div><label for="f-sort">Volgorde</label><select id="f-sort" name="sortering"><option value="langst">Langst wachtend eerst</option><option value="nieuwste"${filter.sort === 'nieuwste' ? html` selected` : ''}>Nieuwste eerst</option></select></div>
  <div><button type="submit">Filteren</button></div>
</form>
${answer.ok ? (items.length ? queueTable(items) : empty('Geen open verwijzingen met deze filters.')) : problemBox(problemFrom(answer))}`,
  );
};

const scoresTable = (scores: Record<string, number> | null | undefined): Html =>
  scores
    ? html`<table><thead><tr><th scope="col">Dimensie</th><th scope="col">Score (0–10)</th></tr></thead><tbody>${Object.keys(
        DIMENSIONS,
      ).map((d) => html`<tr><td>${dimension(d)}</td><td>${scores[d] ?? ''}</td></tr>`)}</tbody></table>`
    : html``;

type Goal = { goalId: string; baseline: number; text?: string | null };

const stepForm = (
  id: string,
  step: string,
  etag: string,
  legend: string,
  body: Html,
  button: string,
  cls = '',
): Html => html`
<form method="post" action="/verwijzingen/${id}/${step}" class="card" aria-labelledby="kop-${step}">
  <h3 id="kop-${step}">${legend}</h3>
  <input type="hidden" name="versie" value="${etag}">${idempotencyField()}
  ${body}
  <button type="submit"${cls ? html` class="${cls}"` : ''}>${button}</button> <span class="loading" aria-live="polite">Bezig…</span>
</form>`;

const GAS = [-2, -1, 0, 1, 2];
const gasOptions = (selected: number | null) =>
  GAS.map((g) => html`<option value="${g}"${g === selected ? html` selected` : ''}>${g > 0 ? `+${g}` : g}</option>`);

const actions = (
  r: Record<string, any>,
  etag: string,
  me: { id: string; coordinator: boolean },
  goals: Goal[],
  search: Html,
  /** The patient's contact preference, when the personal details were opened (it is personal data). */
  preference: string | undefined,
): Html => {
  // The referral service says which steps this caller may take now; the web app offers exactly those.
  const allowed: readonly string[] = Array.isArray(r.allowedSteps) ? r.allowedSteps : [];
  const can = (step: StepName) => allowed.includes(step);
  const id = r.referralId as string;
  const today = new Date().toISOString().slice(0, 10);
  const out: Html[] = [];
  if (can('accept'))
    out.push(
      stepForm(
        id,
        'accept',
        etag,
        'Accepteren',
        html`<label for="acc-msg">Bericht aan de verwijzer (optioneel)</label><textarea id="acc-msg" name="feedbackMessage"></textarea>`,
        'Verwijzing accepteren',
      ),
    );
  if (can('reject'))
    out.push(
      stepForm(
        id,
        'reject',
        etag,
        'Afwijzen',
        html`<label for="rej-reason">Reden</label><select id="rej-reason" name="reason" required>${options(REJECTION_REASONS)}</select><label for="rej-msg">Bericht aan de verwijzer (optioneel)</label><textarea id="rej-msg" name="feedbackMessage"></textarea>`,
        'Verwijzing afwijzen',
        'secondary',
      ),
    );
  if (can('coach')) {
    if (me.coordinator)
      out.push(
        stepForm(
          id,
          'coach',
          etag,
          'Coach toewijzen',
          html`<label for="coach-id">Coach</label><select id="coach-id" name="coachId">${DEMO_USERS.filter((u) => u.roles.includes('coach')).map((u) => html`<option value="${u.id}"${u.id === r.coachId ? html` selected` : ''}>${u.name}</option>`)}</select>`,
          'Toewijzen',
        ),
      );
    else if (r.coachId !== me.id)
      out.push(
        stepForm(
          id,
          'coach',
          etag,
          'Oppakken',
          html`<input type="hidden" name="coachId" value="${me.id}"><p>Neem deze verwijzing zelf op u.</p>`,
          'Zelf oppakken',
        ),
      );
  }
  if (can('contact-attempts'))
    out.push(
      // gp-only: the GP was asked for contact; the coach does not call, and records the contact once it is made.
      r.contactRequestedViaGpAt
        ? stepForm(
            id,
            'contact-attempts',
            etag,
            'Contact vastleggen',
            html`<p><strong>Voorkeur contact: via de huisarts.</strong> De huisarts is op ${dateTime(r.contactRequestedViaGpAt)} gevraagd de patiënt met u in contact te brengen; bel de patiënt niet zelf.</p><input type="hidden" name="reached" value="ja">`,
            'Contact via de huisarts vastleggen',
          )
        : stepForm(
            id,
            'contact-attempts',
            etag,
            'Contactpoging vastleggen',
            html`<p>Voorkeur contact: ${preference ? contactPreference(preference) : html`<span class="muted">onbekend (of zichtbaar na "Persoonsgegevens tonen")</span>`}</p>
<fieldset><legend>Is de patiënt bereikt?</legend><label class="inline"><input type="radio" name="reached" value="ja" checked> Ja, contact gehad</label><label class="inline"><input type="radio" name="reached" value="nee"> Nee, niet bereikt</label></fieldset>`,
            'Contactpoging vastleggen',
          ),
    );
  if (can('intake'))
    out.push(
      stepForm(
        id,
        'intake',
        etag,
        'Intake (Positieve Gezondheid)',
        html`<label for="intake-date">Datum intake</label><input type="date" id="intake-date" name="heldOn" value="${today}" required>
<fieldset><legend>Scores Positieve Gezondheid (0 = slecht, 10 = uitstekend)</legend><div class="grid">${Object.entries(
          DIMENSIONS,
        ).map(
          ([d, l]) =>
            html`<div><label for="ph-${d}">${l}</label><input type="number" id="ph-${d}" name="ph-${d}" min="0" max="10" step="1" required></div>`,
        )}</div></fieldset>
<fieldset><legend>Doelen (Goal Attainment Scaling; beginniveau −2 tot +2)</legend>${[1, 2, 3].map(
          (n) =>
            html`<div class="filters"><div style="flex:1"><label for="goal-${n}">Doel ${n}${n > 1 ? ' (optioneel)' : ''}</label><input id="goal-${n}" name="goal-${n}" style="width:100%"></div><div><label for="goal-${n}-base">Beginniveau doel ${n}</label><select id="goal-${n}-base" name="goal-${n}-base">${gasOptions(-1)}</select></div></div>`,
        )}</fieldset>
<label for="intake-msg">Bericht aan de verwijzer (optioneel)</label><textarea id="intake-msg" name="feedbackMessage"></textarea>`,
        'Intake vastleggen',
      ),
    );
  if (can('activities')) out.push(search);
  if (can('hold'))
    out.push(
      stepForm(
        id,
        'hold',
        etag,
        'Pauzeren',
        html`<label for="hold-reason">Reden</label><select id="hold-reason" name="reason">${options(HOLD_REASONS)}</select>`,
        'Pauzeren',
        'secondary',
      ),
    );
  if (can('resume'))
    out.push(stepForm(id, 'resume', etag, 'Hervatten', html`<p>De begeleiding gaat verder.</p>`, 'Hervatten'));
  if (can('complete'))
    out.push(
      stepForm(
        id,
        'complete',
        etag,
        'Afsluiten met resultaat',
        html`<label for="outcome">Resultaat</label><select id="outcome" name="outcome">${options(OUTCOMES)}</select>
${
  goals.length
    ? html`<fieldset><legend>Doelrealisatie (GAS −2 tot +2)</legend>${goals.map(
        (g, i) =>
          html`<label for="gas-${g.goalId}">${g.text ? `Doel: ${g.text}` : `Doel ${i + 1}`} (beginniveau ${g.baseline})</label><select id="gas-${g.goalId}" name="gas-${g.goalId}">${gasOptions(0)}</select>`,
      )}</fieldset>`
    : ''
}
<fieldset><legend>Scores Positieve Gezondheid bij afsluiting (optioneel)</legend><div class="grid">${Object.entries(
          DIMENSIONS,
        ).map(
          ([d, l]) =>
            html`<div><label for="end-${d}">${l}</label><input type="number" id="end-${d}" name="end-${d}" min="0" max="10" step="1"></div>`,
        )}</div></fieldset>
<label for="hours">Bestede uren coaching</label><input type="number" id="hours" name="coachHours" min="0" max="200" step="0.5" required>
<label for="complete-msg">Bericht aan de verwijzer (optioneel)</label><textarea id="complete-msg" name="feedbackMessage"></textarea>`,
        'Afsluiten',
      ),
    );
  if (can('fail'))
    out.push(
      stepForm(
        id,
        'fail',
        etag,
        'Afsluiten zonder resultaat',
        html`<label for="fail-reason">Reden</label><select id="fail-reason" name="reason">${options(FAILURE_REASONS)}</select>
<label for="fail-hours">Bestede uren coaching</label><input type="number" id="fail-hours" name="coachHours" min="0" max="200" step="0.5" required>
<label for="fail-msg">Bericht aan de verwijzer (optioneel)</label><textarea id="fail-msg" name="feedbackMessage"></textarea>`,
        'Afsluiten zonder resultaat',
        'secondary',
      ),
    );
  return out.length
    ? html`<h2>Acties</h2>${out}`
    : html`<h2>Acties</h2>${empty('Geen stappen mogelijk in deze status.')}`;
};

/** Need-to-know: the referral service's 403 for a coach who is not the client's own. */
const needsDeclaration = (answer: Answer | undefined): boolean =>
  answer !== undefined &&
  answer.status === 403 &&
  /^Only the referral's coach/.test(String((answer.body as { detail?: unknown } | undefined)?.detail ?? ''));

/** The declaration step: a coach taking over a colleague's client says why; the read is logged as emergency access. */
const declarationForm = (id: string): Html => html`
<form method="post" action="/verwijzingen/${id}/inzage-verklaren" class="card" aria-labelledby="kop-verklaren">
  <h3 id="kop-verklaren">Inzage verklaren</h3>
  <label for="verklaren-reden">Reden</label>
  <select id="verklaren-reden" name="reason" required>
    <option value="vervanging">Vervanging van de eigen coach</option>
    <option value="urgent-contact">Dringend contact met de cliënt</option>
  </select>
  <div><input type="checkbox" id="verklaren-akkoord" name="akkoord" value="ja" required>
  <label for="verklaren-akkoord">Ik verklaar dat ik deze gegevens nu nodig heb; de inzage wordt met deze reden vastgelegd.</label></div>
  <button type="submit">Verklaren en gegevens tonen</button>
</form>`;

const showReferral = async (ctx: WebContext, req: Request, res: Response, declared?: Answer) => {
  const id = String(req.params.referralId);
  const user = sessionOf(res).user;
  const answer = await api(ctx, res, 'referral', `/referrals/${encodeURIComponent(id)}`);
  if (!answer.ok) return renderProblem(res, 'Verwijzing', 'werkvoorraad', problemFrom(answer));
  const r = answer.body;
  const etag = answer.etag ?? '';
  const showPersonal = declared !== undefined || queryValue(req, 'gegevens') === 'tonen';
  const personal =
    declared ??
    (showPersonal
      ? await api(ctx, res, 'referral', `/referrals/${encodeURIComponent(id)}/personal-details`)
      : undefined);
  const feedback = await api(ctx, res, 'referral', `/referrals/${encodeURIComponent(id)}/feedback`);
  const q = queryValue(req, 'zoek');
  const found = q
    ? await api(
        ctx,
        res,
        'social-map',
        `/services?${new URLSearchParams({ search: q, municipality: String(r.municipality), per_page: '10' })}`,
      )
    : undefined;

  const goals: Goal[] = (personal?.ok ? personal.body.goals : r.intake?.goals) ?? [];
  const p = personal?.ok ? personal.body.patient : undefined;
  const personalSection = !personal
    ? html`<p>Persoonsgegevens worden alleen getoond als de patiënt toestemming gaf en er een samenwerkingsovereenkomst is. Elke inzage wordt vastgelegd.</p>
<p><a class="button secondary" href="/verwijzingen/${id}?gegevens=tonen">Persoonsgegevens tonen</a></p>`
    : personal.ok
      ? html`<dl class="facts">
<dt>Naam</dt><dd>${p?.name?.given} ${p?.name?.family}</dd>
<dt>Geboortedatum</dt><dd>${date(p?.birthDate)}</dd>
<dt>Telefoon</dt><dd>${p?.phone ?? '—'}</dd>
<dt>E-mail</dt><dd>${p?.email ?? '—'}</dd>
<dt>Voorkeur contact</dt><dd>${p?.contactPreference ? contactPreference(p.contactPreference) : 'onbekend'}</dd>
${personal.body.urgencyNote ? html`<dt>Toelichting verwijzer</dt><dd>${String(personal.body.urgencyNote)}</dd>` : ''}
</dl><p class="muted">${declared ? 'Deze inzage is als noodtoegang (verklaard) vastgelegd in het toegangslog.' : 'Deze inzage is vastgelegd in het toegangslog.'}</p>`
      : html`${problemBox(problemFrom(personal))}${needsDeclaration(personal) ? declarationForm(id) : ''}`;

  const search = html`<section class="card" aria-labelledby="kop-activiteit"><h3 id="kop-activiteit">Activiteit koppelen (sociale kaart)</h3>
<form method="get" action="/verwijzingen/${id}" class="filters" role="search">
  ${showPersonal ? html`<input type="hidden" name="gegevens" value="tonen">` : ''}
  <div><label for="zoek">Zoek een activiteit</label><input id="zoek" name="zoek" value="${q}" placeholder="bijv. wandelen"></div><div><button type="submit">Zoeken</button></div>
</form>
${
  found
    ? found.ok
      ? found.body.contents?.length
        ? html`<ul>${(found.body.contents as Record<string, any>[]).map(
            (
              s,
            ) => html`<li><form method="post" action="/verwijzingen/${id}/activities"><input type="hidden" name="versie" value="${etag}">${idempotencyField()}<input type="hidden" name="serviceId" value="${s.id}">
<strong>${s.name}</strong> <span class="badge">${capacity(s.capacity_status)}</span> <span class="muted">${(s.dimensions ?? []).map(dimension).join(', ')}</span>
<button type="submit" class="secondary" aria-label="Koppelen: ${s.name}">Koppelen</button></form></li>`,
          )}</ul>`
        : empty(`Geen activiteiten gevonden voor "${q}".`)
      : problemBox(problemFrom(found))
    : ''
}
</section>`;

  const me = { id: user.id, coordinator: hasRole(user, 'coordinator') };
  render(
    res,
    `Verwijzing ${short(id)}`,
    'werkvoorraad',
    html`<p><a href="/werkvoorraad">← Terug naar de werkvoorraad</a></p>
<h1>Verwijzing ${short(id)} <span class="badge">${status(r.status)}</span></h1>
<div class="grid">
<section class="card" aria-labelledby="kop-verwijzing"><h2 id="kop-verwijzing">Verwijzing</h2><dl class="facts">
<dt>Status</dt><dd>${status(r.status)}</dd>
<dt>Redenen</dt><dd>${(r.reasons ?? []).map(reason).join(', ')}</dd>
<dt>Leeftijd</dt><dd>${r.ageBand ?? ''} jaar</dd>
<dt>Geslacht</dt><dd>${sex(r.sex)}</dd>
<dt>Praktijk</dt><dd>${r.practiceId}</dd>
<dt>Aangevraagd</dt><dd>${dateTime(r.requestedAt)}</dd>
<dt>Coach</dt><dd>${r.coachId ?? 'nog niet toegewezen'}</dd>
<dt>Contactpogingen</dt><dd>${Number(r.contactAttempts ?? 0)} (waarvan ${Number(r.unsuccessfulContactAttempts ?? 0)} zonder contact)</dd>
<dt>Eerste contact</dt><dd>${r.firstContactAt ? dateTime(r.firstContactAt) : 'nog niet'}</dd>
${r.closedAt ? html`<dt>Afgesloten</dt><dd>${dateTime(r.closedAt)}</dd>` : ''}
</dl></section>
<section class="card" aria-labelledby="kop-persoon"><h2 id="kop-persoon">Persoonsgegevens</h2>${personalSection}</section>
</div>
${
  r.intake
    ? html`<section class="card" aria-labelledby="kop-intake"><h2 id="kop-intake">Intake op ${date(r.intake.heldOn)}</h2>${scoresTable(r.intake.positiveHealth)}
<h3>Doelen</h3><ul>${goals.map((g, i) => html`<li>${g.text ?? `Doel ${i + 1} (tekst zichtbaar na "Persoonsgegevens tonen")`}, beginniveau ${g.baseline}</li>`)}</ul></section>`
    : ''
}
${r.activities?.length ? html`<section class="card" aria-labelledby="kop-act"><h2 id="kop-act">Gekoppelde activiteiten</h2><ul>${(r.activities as { serviceId: string; name: string }[]).map((a) => html`<li>${a.name}</li>`)}</ul></section>` : ''}
${actions(r, etag, me, goals, search, p?.contactPreference)}
<section aria-labelledby="kop-terug"><h2 id="kop-terug">Terugkoppeling aan de verwijzer</h2>
${feedbackList(feedback)}</section>`,
  );
};

export const feedbackList = (feedback: { ok: boolean; body: any; status: number }): Html =>
  feedback.ok
    ? feedback.body.feedback?.length
      ? html`<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">Moment</th><th scope="col">Verstuurd</th><th scope="col">Status</th><th scope="col">Samenvatting</th><th scope="col">Bericht</th></tr></thead><tbody>${(
          feedback.body.feedback as Record<string, any>[]
        ).map(
          (
            f,
          ) => html`<tr><td>${feedbackMoment(f.moment)}</td><td>${dateTime(f.sentAt)}</td><td>${status(f.summary?.status)}</td>
<td>${f.summary?.outcome ? (OUTCOMES[f.summary.outcome as keyof typeof OUTCOMES] ?? f.summary.outcome) : ''}${f.summary?.activities?.length ? html`<br>Activiteiten: ${f.summary.activities.map((a: { name: string }) => a.name).join(', ')}` : ''}</td>
<td>${f.message ?? html`<span class="muted">—</span>`}</td></tr>`,
        )}</tbody></table></div>`
      : empty('Nog geen terugkoppeling verstuurd.')
    : problemBox(problemFrom(feedback as never));

export const STEPS = [
  'accept',
  'reject',
  'coach',
  'contact-attempts',
  'intake',
  'activities',
  'hold',
  'resume',
  'complete',
  'fail',
] as const;
type StepName = (typeof STEPS)[number];
const STEP_DONE: Record<StepName, string> = {
  accept: 'De verwijzing is geaccepteerd.',
  reject: 'De verwijzing is afgewezen.',
  coach: 'De coach is toegewezen.',
  'contact-attempts': 'De contactpoging is vastgelegd.',
  intake: 'De intake is vastgelegd.',
  activities: 'De activiteit is gekoppeld.',
  hold: 'De verwijzing is gepauzeerd.',
  resume: 'De begeleiding is hervat.',
  complete: 'De verwijzing is afgesloten.',
  fail: 'De verwijzing is afgesloten zonder resultaat.',
};

const scores = (form: Form, prefix: string) =>
  Object.fromEntries(Object.keys(DIMENSIONS).map((d) => [d, numberField(form, `${prefix}-${d}`)]));

/** The service's body for a step, from the form; validation is the service's (its 422 names the fields). */
export const stepBody = (step: StepName, form: Form): Record<string, unknown> => {
  const message = optional(field(form, 'feedbackMessage'));
  switch (step) {
    case 'accept':
      return { feedbackMessage: message };
    case 'reject':
      return { reason: field(form, 'reason'), feedbackMessage: message };
    case 'coach':
      return { coachId: field(form, 'coachId') };
    case 'contact-attempts':
      return { reached: field(form, 'reached') !== 'nee' };
    case 'intake':
      return {
        heldOn: field(form, 'heldOn'),
        positiveHealth: scores(form, 'ph'),
        goals: [1, 2, 3]
          .map((n) => ({ text: field(form, `goal-${n}`), baseline: numberField(form, `goal-${n}-base`) ?? 0 }))
          .filter((g) => g.text !== ''),
        feedbackMessage: message,
      };
    case 'activities':
      return { serviceId: field(form, 'serviceId') };
    case 'hold':
      return { reason: field(form, 'reason') };
    case 'resume':
      return {};
    case 'complete': {
      const end = scores(form, 'end');
      return {
        outcome: field(form, 'outcome'),
        positiveHealth: Object.values(end).every((v) => v === undefined) ? null : end,
        gasScores: Object.keys(form)
          .filter((k) => k.startsWith('gas-'))
          .map((k) => ({ goalId: k.slice(4), score: numberField(form, k) })),
        coachHours: numberField(form, 'coachHours'),
        feedbackMessage: message,
      };
    }
    case 'fail':
      return { reason: field(form, 'reason'), coachHours: numberField(form, 'coachHours'), feedbackMessage: message };
  }
};

export const workRoutes =
  (ctx: WebContext) =>
  (router: Router): void => {
    const organisation = requireRoles('coach', 'coordinator');
    router.get('/werkvoorraad', organisation, queuePage(ctx));
    router.get('/verwijzingen/:referralId', organisation, (req, res) => showReferral(ctx, req, res));
    // Before the steps' route: a declared read renders the page with the details at once (a POST, never a URL).
    router.post('/verwijzingen/:referralId/inzage-verklaren', organisation, async (req, res) => {
      const id = String(req.params.referralId);
      const form = formOf(req);
      const declared = await api(
        ctx,
        res,
        'referral',
        `/referrals/${encodeURIComponent(id)}/personal-details/declared-read`,
        {
          body: { reason: field(form, 'reason') },
        },
      );
      await showReferral(ctx, req, res, declared);
    });
    router.post('/verwijzingen/:referralId/:step', organisation, async (req, res) => {
      const id = String(req.params.referralId);
      const step = String(req.params.step) as StepName;
      const back = `/verwijzingen/${encodeURIComponent(id)}`;
      if (!STEPS.includes(step)) return void res.redirect(303, back);
      const form = formOf(req);
      const answer = await api(ctx, res, 'referral', `/referrals/${encodeURIComponent(id)}/${step}`, {
        body: stepBody(step, form),
        headers: { 'if-match': field(form, 'versie'), ...idempotencyHeader(form) },
      });
      redirectAfter(res, back, answer, STEP_DONE[step]);
    });
  };
