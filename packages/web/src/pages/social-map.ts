// Sociale kaart: everyone signed in browses and searches; key-users of the municipality create and
// edit organisations and services, keep capacity and the review date, appoint colleague key-users
// (with the municipal account) and read the statistics of use.
import type { Request, Response, Router } from 'express';
import {
  api,
  field,
  fields,
  formOf,
  queryValue,
  redirectAfter,
  redirectWith,
  render,
  renderProblem,
  requireRoles,
  sessionOf,
  type Form,
  type WebContext,
} from '../context';
import { html, type Html } from '../html';
import { hasRole } from '../identity';
import { empty, problemBox, problemFlash } from '../layout';
import { problemFrom } from '../services';
import { capacity, CAPACITY, date, dateTime, dimension, DIMENSIONS, reason, REASONS } from '../texts';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const tabs = (active: string, keyUser: boolean): Html =>
  html`<nav aria-label="Sociale kaart"><p>${[
    ['/sociale-kaart', 'Zoeken', 'search', false],
    ['/sociale-kaart/nieuw', 'Nieuwe dienst', 'new', true],
    ['/sociale-kaart/organisaties', 'Organisaties', 'orgs', true],
    ['/sociale-kaart/te-controleren', 'Te controleren', 'stale', true],
    ['/sociale-kaart/sleutelgebruikers', 'Key-users', 'keyusers', true],
    ['/sociale-kaart/statistieken', 'Statistieken', 'stats', true],
  ]
    .filter(([, , , k]) => keyUser || !k)
    .map(
      ([href, label, key], i) =>
        html`${i ? ' · ' : ''}<a href="${String(href)}"${key === active ? html` aria-current="page"` : ''}>${String(label)}</a>`,
    )}</p></nav>`;

const serviceTable = (items: Doc[]): Html => html`<div class="table-wrap" tabindex="0"><table>
<thead><tr><th scope="col">Dienst</th><th scope="col">Positieve Gezondheid</th><th scope="col">Wijken</th><th scope="col">Kosten</th><th scope="col">Plaats</th><th scope="col">Gecontroleerd</th></tr></thead>
<tbody>${items.map(
  (
    s,
  ) => html`<tr><td><a href="/sociale-kaart/diensten/${s.id}">${s.name}</a><br><small class="muted">${String(s.description ?? '').slice(0, 120)}</small></td>
<td>${(s.dimensions ?? []).map(dimension).join(', ')}</td><td>${(s.wijken ?? []).join(', ') || 'hele gemeente'}</td>
<td>${(s.cost_options ?? []).map((c: Doc) => (c.amount ? `€ ${Number(c.amount).toFixed(2).replace('.', ',')}` : 'gratis')).join(', ') || 'onbekend'}</td>
<td><span class="badge${s.capacity_status === 'full' ? ' red' : s.capacity_status === 'limited' ? ' orange' : ''}">${capacity(s.capacity_status)}</span></td>
<td>${s.stale ? html`<span class="badge orange">Controle nodig</span>` : 'actueel'}</td></tr>`,
)}</tbody></table></div>`;

const checkboxes = (name: string, map: Record<string, string>, selected: readonly string[], legend: string): Html =>
  html`<fieldset><legend>${legend}</legend>${Object.entries(map).map(
    ([v, l]) =>
      html`<label class="inline"><input type="checkbox" name="${name}" value="${v}"${selected.includes(v) ? html` checked` : ''}> ${l}</label>`,
  )}</fieldset>`;

const searchPage = (ctx: WebContext) => async (req: Request, res: Response) => {
  const user = sessionOf(res).user;
  const f = {
    q: queryValue(req, 'zoek'),
    dim: queryValue(req, 'dimensie'),
    cap: queryValue(req, 'plaats'),
    free: queryValue(req, 'gratis'),
  };
  const params = new URLSearchParams({ per_page: '50' });
  if (user.municipality) params.set('municipality', user.municipality);
  if (f.q) params.set('search', f.q);
  if (Object.hasOwn(DIMENSIONS, f.dim)) params.set('dimension', f.dim);
  if (Object.hasOwn(CAPACITY, f.cap)) params.set('capacity', f.cap);
  if (f.free === 'ja') params.set('free', 'true');
  const answer = await api(ctx, res, 'social-map', `/services?${params}`);
  render(
    res,
    'Sociale kaart',
    'sociale-kaart',
    html`<h1>Sociale kaart${user.municipality ? ` ${user.municipality}` : ''}</h1>${tabs('search', hasRole(user, 'key-user'))}
<form method="get" action="/sociale-kaart" class="card filters" role="search" aria-label="Zoeken in de sociale kaart">
<div><label for="s-q">Zoekterm</label><input id="s-q" name="zoek" value="${f.q}" placeholder="bijv. wandelen"></div>
<div><label for="s-dim">Dimensie</label><select id="s-dim" name="dimensie"><option value="">Alle</option>${Object.entries(DIMENSIONS).map(([v, l]) => html`<option value="${v}"${v === f.dim ? html` selected` : ''}>${l}</option>`)}</select></div>
<div><label for="s-cap">Plaats</label><select id="s-cap" name="plaats"><option value="">Alle</option>${Object.entries(CAPACITY).map(([v, l]) => html`<option value="${v}"${v === f.cap ? html` selected` : ''}>${l}</option>`)}</select></div>
<div><label class="inline"><input type="checkbox" name="gratis" value="ja"${f.free === 'ja' ? html` checked` : ''}> Alleen gratis</label></div>
<div><button type="submit">Zoeken</button></div></form>
${answer.ok ? (answer.body.contents?.length ? html`<p class="muted">${answer.body.total_items} dienst(en)</p>${serviceTable(answer.body.contents)}` : empty('Geen diensten gevonden.')) : problemBox(problemFrom(answer))}`,
  );
};

/** The PUT body from the stored HSDS document: the input's fields only, nested items with their ids. */
const pick = (o: Doc | undefined, keys: string[]) =>
  Object.fromEntries(keys.filter((k) => o?.[k] !== undefined && o?.[k] !== null).map((k) => [k, o![k]]));
/**
 * The stored service back as the input the service accepts: the shown document minus what the service adds
 * on output (staleness, municipality, the free-of-charge flag, the embedded organisation). Every other field
 * goes back as it came, so fields imported from another directory (funding, programs, ...) survive an edit.
 */
export const serviceInputFrom = (doc: Doc): Doc => {
  const {
    stale: _stale,
    municipality: _municipality,
    free_of_charge: _free,
    organization: _organization,
    ...input
  } = doc;
  return input;
};

export const organizationInputFrom = (doc: Doc): Doc => ({
  ...pick(doc, [
    'id',
    'name',
    'alternate_name',
    'description',
    'email',
    'website',
    'legal_status',
    'year_incorporated',
  ]),
  phones: (doc.phones ?? []).map((p: Doc) => pick(p, ['id', 'number', 'extension', 'type', 'description'])),
  contacts: (doc.contacts ?? []).map((c: Doc) => ({
    ...pick(c, ['id', 'name', 'title', 'department', 'email']),
    phones: (c.phones ?? []).map((p: Doc) => pick(p, ['id', 'number', 'extension', 'type', 'description'])),
  })),
});

const serviceFields = (s: Doc, organizations: Doc[]): Html => html`
<label for="d-org">Organisatie</label><select id="d-org" name="organization_id" required>${organizations.map((o) => html`<option value="${o.id}"${o.id === s.organization_id ? html` selected` : ''}>${o.name}</option>`)}</select>
<label for="d-name">Naam</label><input id="d-name" name="name" value="${s.name ?? ''}" required style="width:100%">
<label for="d-desc">Omschrijving</label><textarea id="d-desc" name="description">${s.description ?? ''}</textarea>
<label for="d-wijken">Wijken (gescheiden door komma's; leeg = hele gemeente)</label><input id="d-wijken" name="wijken" value="${(s.wijken ?? []).join(', ')}" style="width:100%">
${checkboxes('dimensions', DIMENSIONS, s.dimensions ?? [], 'Dimensies Positieve Gezondheid')}
${checkboxes('referral_reasons', REASONS, s.referral_reasons ?? [], 'Geschikt bij verwijsreden')}`;

const inputFromForm = (form: Form): Doc => ({
  organization_id: field(form, 'organization_id'),
  name: field(form, 'name'),
  description: field(form, 'description'),
  wijken: field(form, 'wijken')
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean),
  dimensions: fields(form, 'dimensions'),
  referral_reasons: fields(form, 'referral_reasons'),
});

const organizationsOf = async (ctx: WebContext, res: Response): Promise<Doc[]> => {
  const municipality = sessionOf(res).user.municipality;
  const answer = await api(
    ctx,
    res,
    'social-map',
    `/organizations?per_page=100${municipality ? `&municipality=${municipality}` : ''}`,
  );
  return answer.ok ? answer.body.contents : [];
};

const servicePage = (ctx: WebContext) => async (req: Request, res: Response) => {
  const id = encodeURIComponent(String(req.params.id));
  const keyUser = hasRole(sessionOf(res).user, 'key-user');
  const answer = await api(ctx, res, 'social-map', `/services/${id}`);
  if (!answer.ok) return renderProblem(res, 'Dienst', 'sociale-kaart', problemFrom(answer));
  const s = answer.body;
  const etag = answer.etag ?? '';
  const history = keyUser ? await api(ctx, res, 'social-map', `/services/${id}/history`) : undefined;
  render(
    res,
    String(s.name),
    'sociale-kaart',
    html`<p><a href="/sociale-kaart">← Terug naar de sociale kaart</a></p><h1>${s.name} <span class="badge">${capacity(s.capacity_status)}</span></h1>
<section class="card"><p>${s.description}</p><dl class="facts">
<dt>Organisatie</dt><dd>${s.organization?.name ?? s.organization_id}</dd>
<dt>Dimensies</dt><dd>${(s.dimensions ?? []).map(dimension).join(', ')}</dd>
<dt>Verwijsredenen</dt><dd>${(s.referral_reasons ?? []).map(reason).join(', ') || '—'}</dd>
<dt>Wijken</dt><dd>${(s.wijken ?? []).join(', ') || 'hele gemeente'}</dd>
<dt>Status</dt><dd>${s.status}</dd>
<dt>Laatst gecontroleerd</dt><dd>${s.stale ? html`<span class="badge orange">Meer dan 12 maanden geleden: controle nodig</span>` : 'binnen 12 maanden'}</dd>
</dl></section>
${
  keyUser
    ? html`
<div class="grid">
<form method="post" action="/sociale-kaart/diensten/${s.id}/capaciteit" class="card" aria-labelledby="kop-cap"><h2 id="kop-cap">Plaats (capaciteit)</h2>
<input type="hidden" name="versie" value="${etag}"><label for="cap">Beschikbaarheid</label><select id="cap" name="capacity_status">${Object.entries(CAPACITY).map(([v, l]) => html`<option value="${v}"${v === s.capacity_status ? html` selected` : ''}>${l}</option>`)}</select>
<button type="submit">Opslaan</button></form>
<form method="post" action="/sociale-kaart/diensten/${s.id}/controle" class="card" aria-labelledby="kop-review"><h2 id="kop-review">Controle</h2>
<input type="hidden" name="versie" value="${etag}"><p>Bevestig dat de gegevens kloppen; de controledatum wordt vandaag.</p><button type="submit">Gecontroleerd</button></form>
</div>
<form method="post" action="/sociale-kaart/diensten/${s.id}" class="card" aria-labelledby="kop-edit"><h2 id="kop-edit">Wijzigen</h2>
<input type="hidden" name="versie" value="${etag}">${serviceFields(s, await organizationsOf(ctx, res))}<button type="submit">Wijzigingen opslaan</button></form>
${history?.ok ? html`<section class="card" aria-labelledby="kop-hist"><h2 id="kop-hist">Geschiedenis</h2><ul>${(history.body.history as Doc[]).map((h) => html`<li>${dateTime(h.at)}: ${h.type}${h.by ? ` door ${h.by}` : ''}</li>`)}</ul></section>` : ''}`
    : ''
}`,
  );
};

const newServicePage = (ctx: WebContext) => async (_req: Request, res: Response) => {
  const organizations = await organizationsOf(ctx, res);
  render(
    res,
    'Nieuwe dienst',
    'sociale-kaart',
    html`<h1>Nieuwe dienst</h1>${tabs('new', true)}
${
  organizations.length
    ? html`<form method="post" action="/sociale-kaart/diensten" class="card">${serviceFields({}, organizations)}
<label for="d-cap">Plaats</label><select id="d-cap" name="capacity_status">${Object.entries(CAPACITY).map(([v, l]) => html`<option value="${v}">${l}</option>`)}</select>
<label class="inline"><input type="checkbox" name="gratis" value="ja" checked> Gratis</label>
<button type="submit">Publiceren</button></form>`
    : empty('Registreer eerst een organisatie.')
}`,
  );
};

const organizationsPage = (ctx: WebContext) => async (_req: Request, res: Response) => {
  const organizations = await organizationsOf(ctx, res);
  render(
    res,
    'Organisaties',
    'sociale-kaart',
    html`<h1>Organisaties</h1>${tabs('orgs', true)}
${
  organizations.length
    ? html`<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">Naam</th><th scope="col">Omschrijving</th><th scope="col">Wijzigen</th></tr></thead><tbody>${organizations.map(
        (
          o,
        ) => html`<tr><td>${o.name}</td><td>${o.description}</td><td><form method="post" action="/sociale-kaart/organisaties/${o.id}" class="filters">
<div><label for="o-${o.id}-name">Naam</label><input id="o-${o.id}-name" name="name" value="${o.name}" required></div>
<div><label for="o-${o.id}-desc">Omschrijving</label><input id="o-${o.id}-desc" name="description" value="${o.description ?? ''}"></div>
<div><button type="submit" class="secondary" aria-label="Opslaan: ${o.name}">Opslaan</button></div></form></td></tr>`,
      )}</tbody></table></div>`
    : empty('Nog geen organisaties.')
}
<form method="post" action="/sociale-kaart/organisaties" class="card" aria-labelledby="kop-org"><h2 id="kop-org">Nieuwe organisatie</h2>
<label for="n-name">Naam</label><input id="n-name" name="name" required><label for="n-desc">Omschrijving</label><textarea id="n-desc" name="description"></textarea>
<button type="submit">Registreren</button></form>`,
  );
};

const stalePage = (ctx: WebContext) => async (_req: Request, res: Response) => {
  const answer = await api(ctx, res, 'social-map', '/stale-services?per_page=100');
  render(
    res,
    'Te controleren',
    'sociale-kaart',
    html`<h1>Te controleren (niet gecontroleerd in 12 maanden)</h1>${tabs('stale', true)}
${answer.ok ? (answer.body.contents?.length ? serviceTable(answer.body.contents) : empty('Alle diensten zijn binnen 12 maanden gecontroleerd.')) : problemBox(problemFrom(answer))}`,
  );
};

const keyUsersPage = (ctx: WebContext) => async (_req: Request, res: Response) => {
  const answer = await api(ctx, res, 'social-map', '/key-users');
  const user = sessionOf(res).user;
  render(
    res,
    'Key-users',
    'sociale-kaart',
    html`<h1>Key-users ${answer.ok ? answer.body.municipality : ''}</h1>${tabs('keyusers', true)}
${
  !answer.ok
    ? problemBox(problemFrom(answer))
    : answer.body.key_users?.length
      ? html`<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">Account</th><th scope="col">Benoemd op</th><th scope="col">Door</th><th scope="col">Actie</th></tr></thead><tbody>${(
          answer.body.key_users as Doc[]
        ).map(
          (k) =>
            html`<tr><td>${k.key_user_id}</td><td>${date(k.appointed_at)}</td><td>${k.appointed_by}</td><td><form method="post" action="/sociale-kaart/sleutelgebruikers/intrekken"><input type="hidden" name="key_user_id" value="${k.key_user_id}"><button type="submit" class="secondary" aria-label="Intrekken: ${k.key_user_id}">Intrekken</button></form></td></tr>`,
        )}</tbody></table></div>`
      : empty('Nog geen collega key-users benoemd.')
}
<form method="post" action="/sociale-kaart/sleutelgebruikers" class="card" aria-labelledby="kop-benoem"><h2 id="kop-benoem">Collega benoemen</h2>
${user.municipalAccount ? '' : html`<p class="muted">Alleen het gemeentelijke account kan key-users benoemen.</p>`}
<label for="k-id">Account van de collega</label><input id="k-id" name="key_user_id" required><button type="submit">Benoemen</button></form>`,
  );
};

const statisticsPage = (ctx: WebContext) => async (req: Request, res: Response) => {
  const now = new Date();
  const month = (d: Date) => d.toISOString().slice(0, 7);
  const from = /^\d{4}-\d{2}$/.test(queryValue(req, 'van')) ? queryValue(req, 'van') : `${now.getUTCFullYear()}-01`;
  const to = /^\d{4}-\d{2}$/.test(queryValue(req, 'tot')) ? queryValue(req, 'tot') : month(now);
  const answer = await api(ctx, res, 'social-map', `/statistics?from=${from}&to=${to}`);
  const entries = (answer.ok ? answer.body.entries : []) as Doc[];
  const max = Math.max(1, ...entries.map((e) => Number(e.views) + Number(e.referral_links)));
  render(
    res,
    'Statistieken',
    'sociale-kaart',
    html`<h1>Gebruik van de sociale kaart</h1>${tabs('stats', true)}
<form method="get" action="/sociale-kaart/statistieken" class="card filters"><div><label for="st-from">Van (maand)</label><input type="month" id="st-from" name="van" value="${from}"></div>
<div><label for="st-to">Tot en met (maand)</label><input type="month" id="st-to" name="tot" value="${to}"></div><div><button type="submit">Tonen</button></div></form>
${
  !answer.ok
    ? problemBox(problemFrom(answer))
    : entries.length
      ? html`<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">Dienst</th><th scope="col">Bekeken</th><th scope="col">Gekoppeld aan verwijzingen</th><th scope="col">Verhouding</th></tr></thead><tbody>${entries.map(
          (e) =>
            html`<tr><td>${e.name}</td><td>${e.views}</td><td>${e.referral_links}</td><td><span class="bar"><span class="fill" style="width:${Math.round(((Number(e.views) + Number(e.referral_links)) / max) * 100)}%"></span></span></td></tr>`,
        )}</tbody></table></div>`
      : empty('Geen gebruik in deze periode.')
}`,
  );
};

export const socialMapRoutes =
  (ctx: WebContext) =>
  (router: Router): void => {
    const keyUser = requireRoles('key-user');
    router.get('/sociale-kaart', searchPage(ctx));
    router.get('/sociale-kaart/nieuw', keyUser, newServicePage(ctx));
    router.get('/sociale-kaart/diensten/:id', servicePage(ctx));
    router.get('/sociale-kaart/organisaties', keyUser, organizationsPage(ctx));
    router.get('/sociale-kaart/te-controleren', keyUser, stalePage(ctx));
    router.get('/sociale-kaart/sleutelgebruikers', keyUser, keyUsersPage(ctx));
    router.get('/sociale-kaart/statistieken', keyUser, statisticsPage(ctx));

    router.post('/sociale-kaart/diensten', keyUser, async (req, res) => {
      const form = formOf(req);
      const answer = await api(ctx, res, 'social-map', '/services', {
        body: {
          ...inputFromForm(form),
          capacity_status: field(form, 'capacity_status') || 'available',
          cost_options: field(form, 'gratis') === 'ja' ? [{ option: 'gratis', amount: 0 }] : [],
        },
      });
      if (!answer.ok) return redirectWith(res, '/sociale-kaart/nieuw', problemFlash(problemFrom(answer)));
      redirectWith(res, `/sociale-kaart/diensten/${answer.body.id}`, {
        kind: 'success',
        title: 'De dienst staat op de sociale kaart.',
      });
    });
    router.post('/sociale-kaart/diensten/:id', keyUser, async (req, res) => {
      const id = encodeURIComponent(String(req.params.id));
      const form = formOf(req);
      const current = await api(ctx, res, 'social-map', `/services/${id}`);
      if (!current.ok) return redirectWith(res, `/sociale-kaart/diensten/${id}`, problemFlash(problemFrom(current)));
      const answer = await api(ctx, res, 'social-map', `/services/${id}`, {
        method: 'PUT',
        body: { ...serviceInputFrom(current.body), ...inputFromForm(form) },
        headers: { 'if-match': field(form, 'versie') },
      });
      redirectAfter(res, `/sociale-kaart/diensten/${id}`, answer, 'De wijzigingen zijn opgeslagen.');
    });
    router.post('/sociale-kaart/diensten/:id/capaciteit', keyUser, async (req, res) => {
      const id = encodeURIComponent(String(req.params.id));
      const form = formOf(req);
      const answer = await api(ctx, res, 'social-map', `/services/${id}/capacity`, {
        body: { capacity_status: field(form, 'capacity_status') },
        headers: { 'if-match': field(form, 'versie') },
      });
      redirectAfter(res, `/sociale-kaart/diensten/${id}`, answer, 'De capaciteit is bijgewerkt.');
    });
    router.post('/sociale-kaart/diensten/:id/controle', keyUser, async (req, res) => {
      const id = encodeURIComponent(String(req.params.id));
      const answer = await api(ctx, res, 'social-map', `/services/${id}/review`, {
        body: {},
        headers: { 'if-match': field(formOf(req), 'versie') },
      });
      redirectAfter(res, `/sociale-kaart/diensten/${id}`, answer, 'De controledatum is bijgewerkt.');
    });
    router.post('/sociale-kaart/organisaties', keyUser, async (req, res) => {
      const form = formOf(req);
      const answer = await api(ctx, res, 'social-map', '/organizations', {
        body: { name: field(form, 'name'), description: field(form, 'description') },
      });
      redirectAfter(res, '/sociale-kaart/organisaties', answer, 'De organisatie is geregistreerd.');
    });
    router.post('/sociale-kaart/organisaties/:id', keyUser, async (req, res) => {
      const form = formOf(req);
      const id = encodeURIComponent(String(req.params.id));
      // PUT replaces the entry: keep what this form does not show (phones, contacts, ...).
      const current = await api(ctx, res, 'social-map', `/organizations/${id}`);
      if (!current.ok) return redirectWith(res, '/sociale-kaart/organisaties', problemFlash(problemFrom(current)));
      const answer = await api(ctx, res, 'social-map', `/organizations/${id}`, {
        method: 'PUT',
        body: {
          ...organizationInputFrom(current.body),
          name: field(form, 'name'),
          description: field(form, 'description'),
        },
      });
      redirectAfter(res, '/sociale-kaart/organisaties', answer, 'De organisatie is bijgewerkt.');
    });
    router.post('/sociale-kaart/sleutelgebruikers', keyUser, async (req, res) => {
      const answer = await api(ctx, res, 'social-map', '/key-users', {
        body: { key_user_id: field(formOf(req), 'key_user_id') },
      });
      redirectAfter(res, '/sociale-kaart/sleutelgebruikers', answer, 'De collega is benoemd tot key-user.');
    });
    router.post('/sociale-kaart/sleutelgebruikers/intrekken', keyUser, async (req, res) => {
      const answer = await api(
        ctx,
        res,
        'social-map',
        `/key-users/${encodeURIComponent(field(formOf(req), 'key_user_id'))}`,
        { method: 'DELETE' },
      );
      redirectAfter(res, '/sociale-kaart/sleutelgebruikers', answer, 'De benoeming is ingetrokken.');
    });
  };
