// The backend-for-frontend: one origin for the browser. It serves server-rendered Dutch pages and
// forwards to the services with the signed-in user's token, which never leaves the server (the
// browser holds only an HttpOnly, SameSite=Strict session cookie).
import { createDevIssuer, type DevIssuer } from '@wor/service-kit';
import express, { type NextFunction, type Request, type Response } from 'express';
import { apiDocsRoutes } from './api-docs';
import { html } from './html';
import { createSessionStore, DEMO_USERS, demoUser, hasRole, type SessionStore, type User } from './identity';
import { OidcLoginError, type OidcLogin } from './oidc';
import { CSS, notReadablePage, page, problemBox, SCRIPT_JS } from './layout';
import { monitoringRoutes } from './pages/monitoring';
import { privacyRoutes } from './pages/privacy';
import { socialMapRoutes } from './pages/social-map';
import { referRoutes } from './pages/refer';
import { workRoutes } from './pages/work';
import { roleName } from './texts';
import { createServices, type ServiceUrls, type Services } from './services';
import type { WebContext } from './context';

export const SESSION_COOKIE = 'wor_session';
const LOGIN_COOKIE = 'wor_login';

export type WebOptions = Readonly<{
  urls: ServiceUrls;
  /** Signs the development tokens of the demo sign-in; defaults to createDevIssuer() (WOR_DEV_ISSUER_KEY). */
  issuer?: DevIssuer;
  /** Production sign-in through an OpenID Connect provider; replaces the demo sign-in. */
  oidc?: OidcLogin;
  /** Mark the cookie Secure (behind HTTPS). */
  secureCookie?: boolean;
  sessions?: SessionStore;
  services?: Services;
}>;

const cookieOf = (req: Request, name: string): string | undefined => {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return undefined; // not percent-encoding we wrote: no session
    }
  }
  return undefined;
};

/** What the browser sent that the web app cannot read (body-parser's 4xx errors), in Dutch. */
const UNREADABLE: Record<number, string> = {
  400: 'Het formulier kon niet worden gelezen.',
  413: 'Het formulier is te groot.',
  415: 'Deze tekenset of vorm van het formulier wordt niet ondersteund.',
};
const unreadableStatus = (error: unknown): number | undefined => {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && Object.hasOwn(UNREADABLE, status) ? status : undefined;
};

/** Where a user starts: their main page. */
export const homeOf = (user: User): string =>
  hasRole(user, 'coach', 'coordinator')
    ? '/werkvoorraad'
    : hasRole(user, 'privacy-officer')
      ? '/privacy'
      : hasRole(user, 'key-user')
        ? '/sociale-kaart'
        : hasRole(user, 'reporting-consumer')
          ? '/monitoring'
          : hasRole(user, 'gp-system', 'referrer')
            ? '/verwijzen'
            : '/sociale-kaart';

/** Only local paths as a return address (no open redirect). */
const localPath = (value: unknown): string =>
  typeof value === 'string' && /^\/(?!\/)[\w\-/?=&%.]*$/.test(value) ? value : '';

export const createWebApp = (options: WebOptions): express.Express => {
  const oidc = options.oidc;
  const issuer = oidc ? undefined : (options.issuer ?? createDevIssuer());
  const sessions = options.sessions ?? createSessionStore();
  const ctx: WebContext = { services: options.services ?? createServices(options.urls) };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  app.use((_req, res, next) => {
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self'; style-src-attr 'unsafe-inline'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    // Pages may show personal data: never cached.
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/static/app.css', (_req, res) => void res.type('css').setHeader('Cache-Control', 'max-age=300').send(CSS));
  app.get(
    '/static/app.js',
    (_req, res) => void res.type('js').setHeader('Cache-Control', 'max-age=300').send(SCRIPT_JS),
  );
  // Public, like the services' own /docs: no session needed to read an API reference.
  apiDocsRoutes(app, options.urls);
  app.use(express.urlencoded({ extended: false, limit: '100kb' }));

  // SameSite=Strict already keeps other sites' forms from carrying the cookie; refuse a foreign Origin too.
  app.use((req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const origin = req.headers.origin;
    // An Origin that is not a URL is foreign too.
    if (origin && origin !== 'null' && (!URL.canParse(origin) || new URL(origin).host !== req.headers.host)) {
      res
        .status(403)
        .type('html')
        .send(
          page({
            title: 'Geweigerd',
            body: html`<h1>Geweigerd</h1>${problemBox({ title: 'Dit verzoek komt van een andere website en is geweigerd.' })}`,
          }),
        );
      return;
    }
    next();
  });

  const setCookie = (res: Response, value: string, maxAgeSeconds: number) =>
    res.setHeader(
      'Set-Cookie',
      `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${options.secureCookie ? '; Secure' : ''}`,
    );

  app.get('/aanmelden', async (req, res) => {
    const back = localPath(req.query.terug);
    if (oidc) {
      // The provider's answer comes back as a cross-site navigation: this cookie must be Lax to come along.
      const { url, state } = await oidc.begin(back);
      res.setHeader(
        'Set-Cookie',
        `${LOGIN_COOKIE}=${state}; Path=/aanmelden; HttpOnly; SameSite=Lax; Max-Age=600${options.secureCookie ? '; Secure' : ''}`,
      );
      return void res.redirect(302, url);
    }
    res.type('html').send(
      page({
        title: 'Aanmelden',
        body: html`<h1>Aanmelden</h1>
<div class="message info"><p><strong>Ontwikkelomgeving.</strong> Kies een demogebruiker. In productie meldt u zich aan via de identiteitsprovider van uw organisatie (OpenID Connect).</p></div>
<form method="post" action="/aanmelden">
  <input type="hidden" name="terug" value="${back}">
  <div class="users">${DEMO_USERS.map(
    (u) => html`<button type="submit" name="user" value="${u.id}" class="secondary" id="als-${u.id}">
      <strong>${u.name}</strong><br><span>${u.roles.map(roleName).join(', ')}${u.organisationName ? ` · ${u.organisationName}` : ''}${u.municipality ? ` · ${u.municipality}` : ''}</span></button>`,
  )}</div>
</form>`,
      }),
    );
  });

  app.get('/aanmelden/oidc', async (req, res) => {
    if (!oidc) return void res.redirect(303, '/aanmelden');
    try {
      const done = await oidc.complete({
        code: String(req.query.code ?? ''),
        state: String(req.query.state ?? ''),
        boundState: cookieOf(req, LOGIN_COOKIE),
      });
      const session = sessions.create(done.user, done.token, done.expiresInSeconds * 1000);
      const target = done.back || homeOf(done.user);
      res.setHeader('Set-Cookie', [
        `${SESSION_COOKIE}=${encodeURIComponent(session.id)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${done.expiresInSeconds}${options.secureCookie ? '; Secure' : ''}`,
        `${LOGIN_COOKIE}=; Path=/aanmelden; HttpOnly; SameSite=Lax; Max-Age=0`,
      ]);
      // A same-site step before the first page: a SameSite=Strict cookie set during a cross-site
      // redirect chain would not be sent on a redirect that continues it.
      res.type('html').send(
        page({
          title: 'Aangemeld',
          body: html`<h1>Aangemeld</h1><p><a href="${target}">Verder</a></p><meta http-equiv="refresh" content="0;url=${target}">`,
        }),
      );
    } catch (error) {
      if (!(error instanceof OidcLoginError)) throw error;
      res
        .status(401)
        .type('html')
        .send(
          page({
            title: 'Aanmelden',
            body: html`<h1>Aanmelden</h1>${problemBox({ title: 'Aanmelden is niet gelukt', detail: 'Uw identiteitsprovider gaf geen geldige aanmelding terug. Probeer het opnieuw.' })}<p><a href="/aanmelden">Opnieuw aanmelden</a></p>`,
          }),
        );
    }
  });

  app.post('/aanmelden', async (req, res) => {
    if (!issuer) return void res.redirect(303, '/aanmelden');
    const user = demoUser(String((req.body as Record<string, unknown>)?.user ?? ''));
    if (!user) {
      res
        .status(422)
        .type('html')
        .send(
          page({
            title: 'Aanmelden',
            body: html`<h1>Aanmelden</h1>${problemBox({ title: 'Onbekende gebruiker', detail: 'Kies een van de demogebruikers.' })}<p><a href="/aanmelden">Terug</a></p>`,
          }),
        );
      return;
    }
    const ttlSeconds = Math.floor(sessions.ttlMs / 1000);
    const token = await issuer.sign(
      {
        sub: user.id,
        roles: user.roles,
        org: user.organisationId,
        municipality: user.municipality,
        municipalAccount: user.municipalAccount,
      },
      `${ttlSeconds}s`,
    );
    const session = sessions.create(user, token);
    setCookie(res, session.id, ttlSeconds);
    res.redirect(303, localPath((req.body as Record<string, unknown>)?.terug) || homeOf(user));
  });

  app.post('/afmelden', (req, res) => {
    sessions.delete(cookieOf(req, SESSION_COOKIE));
    setCookie(res, '', 0);
    res.redirect(303, '/aanmelden');
  });

  // Everything below needs a session.
  app.use((req, res, next) => {
    const session = sessions.get(cookieOf(req, SESSION_COOKIE));
    if (!session) {
      if (req.method === 'GET')
        return void res.redirect(303, `/aanmelden?terug=${encodeURIComponent(localPath(req.originalUrl))}`);
      return void res.redirect(303, '/aanmelden');
    }
    res.locals.session = session;
    next();
  });

  app.get('/', (_req, res) => void res.redirect(303, homeOf(res.locals.session!.user)));
  for (const routes of [workRoutes, privacyRoutes, socialMapRoutes, monitoringRoutes, referRoutes]) {
    const router = express.Router();
    routes(ctx)(router);
    app.use(router);
  }

  app.use((_req, res) => {
    res
      .status(404)
      .type('html')
      .send(
        page({
          title: 'Niet gevonden',
          user: res.locals.session?.user,
          body: html`<h1>Niet gevonden</h1><p>Deze pagina bestaat niet. <a href="/">Naar de startpagina</a></p>`,
        }),
      );
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = unreadableStatus(error);
    if (status !== undefined)
      return void res.status(status).type('html').send(notReadablePage(UNREADABLE[status]!, res.locals.session?.user));
    res
      .status(500)
      .type('html')
      .send(
        page({
          title: 'Fout',
          user: res.locals.session?.user,
          body: html`<h1>Er ging iets mis</h1>${problemBox({ title: 'Er ging iets mis in de webapplicatie.', detail: 'Probeer het opnieuw. Blijft het misgaan, meld het dan bij de beheerder.' })}`,
        }),
      );
  });
  return app;
};
