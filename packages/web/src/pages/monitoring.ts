// Monitoring (municipality, coordinator): the thermometer for a period, capacity against the plan, trends per
// two-month period, referral rates per practice, referrals per month, and the GALA extract as a download. Figures are
// the reporting service's, with its small-cell suppression (< 10 shown as "< 10").
import type { Request, Response, Router } from 'express';
import { api, queryValue, render, requireRoles, sessionOf, type WebContext } from '../context';
import { hasRole } from '../identity';
import { html, type Html } from '../html';
import { empty, problemBox } from '../layout';
import { problemFrom } from '../services';
import { date, light } from '../texts';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const periodsOf = (year: number) => [
  [`${year}`, `Heel ${year}`],
  ...[1, 2, 3, 4].map((q) => [`${year}-Q${q}`, `${q}e kwartaal ${year}`]),
  ...['jan–feb', 'mrt–apr', 'mei–jun', 'jul–aug', 'sep–okt', 'nov–dec'].map((l, i) => [
    `${year}-B${i + 1}`,
    `${l} ${year}`,
  ]),
];

/** A suppressed figure (null) is "< 10", never 0. */
const figure = (value: unknown, suffix = ''): string =>
  value === null || value === undefined ? '< 10 (onderdrukt)' : `${String(value).replace('.', ',')}${suffix}`;

/** A statistic (median, percentage) over fewer than 10 referrals is not published. */
const stat = (value: unknown, suffix = ''): string =>
  value === null || value === undefined
    ? 'onderdrukt (< 10 verwijzingen)'
    : `${String(value).replace('.', ',')}${suffix}`;
const cellValue = (cell: unknown): unknown =>
  typeof cell === 'object' && cell !== null ? (cell as { value: unknown }).value : cell;
const expected = (min: unknown, max: unknown): string =>
  min === null || min === undefined
    ? 'onbekend (praktijkgrootte ontbreekt)'
    : `${String(min).replace('.', ',')} – ${String(max).replace('.', ',')}`;

const lightBadge = (l: string): Html => html`<span class="badge ${l === 'unknown' ? '' : l}">${light(l)}</span>`;

const thermometerView = (t: Doc): Html => html`<div class="grid">
<section class="card" aria-labelledby="t-ref"><h3 id="t-ref">Verwijzingen</h3><p><strong>${figure(t.referrals?.count)}</strong></p>
<p class="muted">Verwacht: ${expected(t.referrals?.expectedMin, t.referrals?.expectedMax)}</p>${lightBadge(t.referrals?.light)}</section>
<section class="card" aria-labelledby="t-contact"><h3 id="t-contact">Tijd tot eerste contact</h3><p><strong>${stat(t.timeToFirstContact?.medianDays, ' dagen (mediaan)')}</strong></p>${lightBadge(t.timeToFirstContact?.light)}</section>
<section class="card" aria-labelledby="t-fb"><h3 id="t-fb">Terugkoppeling aan verwijzer</h3><p><strong>${stat(t.feedbackToReferrer?.sentPercent, '%')}</strong></p>${lightBadge(t.feedbackToReferrer?.light)}</section>
<section class="card" aria-labelledby="t-out"><h3 id="t-out">Afgesloten</h3><p><strong>${figure(t.outcomes?.closed)}</strong></p><p class="muted">Waarvan afgerond: ${stat(t.outcomes?.completedPercent, '%')}</p></section>
</div>`;

const hours = (value: unknown): string =>
  value === null || value === undefined ? 'geen plan' : `${String(value).replace('.', ',')} uur`;

/** The start-phase plan against actuals: referrals expected and received, coach hours planned and used. */
const capacityView = (c: Doc): Html => html`<div class="grid">
<section class="card" aria-labelledby="c-ref"><h3 id="c-ref">Verwijzingen tegen verwachting</h3><p><strong>${figure(c.referrals?.received)}</strong> ontvangen</p>
<p class="muted">Verwacht: ${expected(c.referrals?.expectedMin, c.referrals?.expectedMax)}</p></section>
<section class="card" aria-labelledby="c-hours"><h3 id="c-hours">Coachuren</h3><p><strong>${c.coachHours?.used === null ? stat(null) : hours(c.coachHours?.used)}</strong> gebruikt van ${hours(c.coachHours?.planned)} gepland</p>
<p class="muted">${c.coachHours?.usedPercent === null || c.coachHours?.usedPercent === undefined ? '' : `${String(c.coachHours.usedPercent).replace('.', ',')}% van het plan`}</p></section>
</div>
${
  (c.organisations ?? []).length
    ? html`<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">Welzijnsorganisatie</th><th scope="col">Coachuren gepland</th><th scope="col">Coachuren gebruikt</th><th scope="col">Ruimte voor verwijzingen</th><th scope="col">Ontvangen</th><th scope="col">Afgesloten</th></tr></thead><tbody>${(
        c.organisations as Doc[]
      ).map(
        (o) =>
          html`<tr><td>${o.organisationId}</td><td>${hours(o.coachHours?.planned)}</td><td>${o.coachHours?.used === null ? stat(null) : hours(o.coachHours?.used)}</td><td>${o.referrals?.plannedFor === null ? 'geen plan' : String(o.referrals?.plannedFor).replace('.', ',')}</td><td>${figure(o.referrals?.received)}</td><td>${figure(o.referrals?.closed)}</td></tr>`,
      )}</tbody></table></div>`
    : empty('Geen capaciteitsplan en geen verwijzingen in deze periode.')
}`;

const bars = (rows: { label: string; value: number | null }[], caption: string): Html => {
  const max = Math.max(1, ...rows.map((r) => r.value ?? 0));
  return html`<div class="table-wrap" tabindex="0"><table><caption class="muted">${caption}</caption><thead><tr><th scope="col">Periode</th><th scope="col">Aantal</th><th scope="col" style="width:50%">Grafiek</th></tr></thead><tbody>${rows.map(
    (r) =>
      html`<tr><td>${r.label}</td><td>${figure(r.value)}</td><td><span class="bar"><span class="fill" style="width:${Math.round(((r.value ?? 0) / max) * 100)}%"></span></span></td></tr>`,
  )}</tbody></table></div>`;
};

const monitoringPage = (ctx: WebContext) => async (req: Request, res: Response) => {
  const user = sessionOf(res).user;
  const municipality = user.municipality ?? '';
  const thisYear = new Date().getUTCFullYear();
  const requested = queryValue(req, 'periode');
  const period = /^\d{4}(-(Q[1-4]|B[1-6]))?$/.test(requested) ? requested : String(thisYear);
  const year = Number(period.slice(0, 4));
  const q = (extra: Record<string, string>) => new URLSearchParams({ municipality, ...extra });
  const exactCounts = hasRole(user, 'coordinator', 'admin');
  const [thermo, capacity, trends, practices, counts] = await Promise.all([
    api(ctx, res, 'reporting', `/dashboards/thermometer?${q({ period })}`),
    api(ctx, res, 'reporting', `/dashboards/capacity?${q({ period })}`),
    api(ctx, res, 'reporting', `/dashboards/trends?${q({ year: String(year) })}`),
    api(ctx, res, 'reporting', `/dashboards/practices?${q({ period })}`),
    // Exact monthly counts are the coordinator's working figures; a municipality sees suppressed aggregates only.
    exactCounts
      ? api(ctx, res, 'reporting', `/referral-counts?${q({ from: `${year}-01`, to: `${year}-12` })}`)
      : undefined,
  ]);
  const months = (counts?.ok ? counts.body.months : []) as { month: string; referrals: number }[];
  render(
    res,
    'Monitoring',
    'monitoring',
    html`<h1>Monitoring Welzijn op Recept ${municipality}</h1>
<form method="get" action="/monitoring" class="card filters" aria-label="Periode kiezen">
<div><label for="m-period">Periode</label><select id="m-period" name="periode">${[thisYear - 1, thisYear].flatMap(periodsOf).map(([v, l]) => html`<option value="${v}"${v === period ? html` selected` : ''}>${l}</option>`)}</select></div>
<div><button type="submit">Tonen</button></div></form>
<h2>Thermometer ${period}</h2>
${thermo.ok ? html`${thermometerView(thermo.body)}<p class="muted">Stand van de gegevens: positie ${thermo.body.asOf?.position ?? ''}. Aantallen onder 10 worden niet getoond (privacy).</p>` : problemBox(problemFrom(thermo))}
<h2>Capaciteit tegen het plan (${period})</h2>
${capacity.ok ? capacityView(capacity.body) : problemBox(problemFrom(capacity))}
${
  counts
    ? html`<h2>Verwijzingen per maand (${year})</h2>
${
  counts.ok
    ? months.length
      ? bars(
          months.map((m) => ({ label: m.month, value: m.referrals })),
          'Aantal verwijzingen per maand van aanvraag (exacte werkcijfers, niet voor publicatie)',
        )
      : empty('Nog geen verwijzingen in dit jaar.')
    : problemBox(problemFrom(counts))
}`
    : ''
}
<h2>Trend per twee maanden (${year})</h2>
${
  trends.ok
    ? html`<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">Periode</th><th scope="col">Verwijzingen</th><th scope="col">Mediaan dagen tot contact</th><th scope="col">Terugkoppeling</th><th scope="col">Afgesloten</th><th scope="col">Afgerond</th></tr></thead><tbody>${(
        trends.body.periods as Doc[]
      ).map(
        (p) =>
          html`<tr><td>${date(p.from)} – ${date(p.to)}</td><td>${figure(p.referrals)}</td><td>${stat(p.medianDaysToFirstContact)}</td><td>${stat(p.feedbackSentPercent, '%')}</td><td>${figure(p.closed)}</td><td>${stat(p.completedPercent, '%')}</td></tr>`,
      )}</tbody></table></div>
${bars(
  (trends.body.periods as Doc[]).map((p) => ({ label: String(p.period), value: p.referrals })),
  'Verwijzingen per periode (onderdrukte aantallen tellen als 0 in de grafiek)',
)}`
    : problemBox(problemFrom(trends))
}
<h2>Per praktijk (${period})</h2>
${
  practices.ok
    ? practices.body.practices?.length
      ? html`<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">Praktijk</th><th scope="col">Ingeschreven patiënten</th><th scope="col">Verwijzingen</th><th scope="col">Verwacht</th></tr></thead><tbody>${(
          practices.body.practices as Doc[]
        ).map(
          (p) =>
            html`<tr><td>${p.practiceId}</td><td>${p.registeredPatients ?? 'onbekend'}</td><td>${figure(cellValue(p.referrals))}</td><td>${expected(p.expectedMin, p.expectedMax)}</td></tr>`,
        )}</tbody></table></div>`
      : empty('Geen praktijken met verwijzingen in deze periode.')
    : problemBox(problemFrom(practices))
}
<h2>GALA-extract</h2>
<p>Download de cijfers voor de landelijke monitoring (RIVM) van ${period}.</p>
<p><a class="button" href="/monitoring/extract?periode=${period}&amp;formaat=csv" download>Extract downloaden (CSV)</a> <a class="button secondary" href="/monitoring/extract?periode=${period}&amp;formaat=json" download>Extract downloaden (JSON)</a></p>`,
  );
};

export const monitoringRoutes =
  (ctx: WebContext) =>
  (router: Router): void => {
    const reporting = requireRoles('reporting-consumer', 'coordinator');
    router.get('/monitoring', reporting, monitoringPage(ctx));
    router.get('/monitoring/extract', reporting, async (req, res) => {
      const period = queryValue(req, 'periode');
      const format = queryValue(req, 'formaat') === 'json' ? 'json' : 'csv';
      const answer = await api(
        ctx,
        res,
        'reporting',
        `/extracts/gala?${new URLSearchParams({ municipality: sessionOf(res).user.municipality ?? '', period, format })}`,
      );
      if (!answer.ok)
        return render(
          res,
          'Extract',
          'monitoring',
          html`<h1>Extract</h1>${problemBox(problemFrom(answer))}<p><a href="/monitoring">Terug</a></p>`,
          answer.status,
        );
      res.setHeader(
        'Content-Disposition',
        answer.contentDisposition ?? `attachment; filename="wor-gala-${period}.${format}"`,
      );
      res.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8').send(answer.text);
    });
  };
