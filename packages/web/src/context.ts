// What every page handler gets: the services client, the session of the request, and small helpers
// to answer with a page, a Dutch problem, or a redirect with a message.
import type { Role } from '@wor/service-kit';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { html, type Html } from './html';
import { hasRole, type Flash, type Session } from './identity';
import { page, problemBox, problemFlash } from './layout';
import type { Problem } from './problems';
import { problemFrom, type Answer, type CallOptions, type ServiceName, type Services } from './services';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      session?: Session;
    }
  }
}

export type WebContext = Readonly<{ services: Services }>;

export const sessionOf = (res: Response): Session => {
  const session = res.locals.session;
  if (!session) throw new Error('route is not behind the session guard');
  return session;
};

export const api = (
  ctx: WebContext,
  res: Response,
  service: ServiceName,
  path: string,
  options?: CallOptions,
): Promise<Answer> => ctx.services.call(sessionOf(res).token, service, path, options);

/** Renders a page for the signed-in user; the pending message (if any) is shown once. */
export const render = (res: Response, title: string, active: string, body: Html, status = 200): void => {
  const session = sessionOf(res);
  const flash = session.flash;
  delete session.flash;
  res
    .status(status)
    .type('html')
    .send(page({ title, user: session.user, active, body, ...(flash ? { flash } : {}) }));
};

export const renderProblem = (res: Response, title: string, active: string, problem: Problem): void =>
  render(
    res,
    title,
    active,
    html`<h1>${title}</h1>${problemBox(problem)}`,
    problem.status >= 400 && problem.status < 600 ? problem.status : 502,
  );

/** Post/redirect/get: remember a message for the next page, then redirect. */
export const redirectWith = (res: Response, location: string, flash?: Flash): void => {
  if (flash) sessionOf(res).flash = flash;
  res.redirect(303, location);
};

export const redirectAfter = (res: Response, location: string, answer: Answer, success: string): void =>
  redirectWith(res, location, answer.ok ? { kind: 'success', title: success } : problemFlash(problemFrom(answer)));

export const requireRoles =
  (...roles: Role[]) =>
  (_req: Request, res: Response, next: NextFunction): void => {
    if (hasRole(sessionOf(res).user, ...roles)) return next();
    render(
      res,
      'Geen toegang',
      '',
      html`<h1>Geen toegang</h1>${problemBox({ title: 'Geen toegang', detail: 'Deze pagina hoort niet bij uw rol. Kies een onderdeel in het menu.' })}`,
      403,
    );
  };

/** Form values arrive as strings (or arrays of strings for repeated names). */
export type Form = Record<string, string | string[] | undefined>;
export const formOf = (req: Request): Form => (req.body ?? {}) as Form;
export const field = (form: Form, name: string): string => {
  const v = form[name];
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
};
export const fields = (form: Form, name: string): string[] => {
  const v = form[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((s) => s.trim()).filter(Boolean);
};
/** Empty stays undefined, so the service names the missing field instead of getting a 0. */
export const numberField = (form: Form, name: string): number | undefined => {
  const v = field(form, name).replace(',', '.');
  return v === '' ? undefined : Number(v);
};
export const optional = (value: string): string | undefined => (value === '' ? undefined : value);

export const queryValue = (req: Request, name: string): string => {
  const v = req.query[name];
  return typeof v === 'string' ? v.trim() : '';
};

/** A fresh key per rendered form: a double submit replays the first answer instead of acting twice. */
export const idempotencyField = (): Html => html`<input type="hidden" name="idempotencyKey" value="${randomUUID()}">`;
export const idempotencyHeader = (form: Form): Record<string, string> => {
  const key = field(form, 'idempotencyKey');
  return /^[0-9a-f-]{36}$/.test(key) ? { 'idempotency-key': key } : {};
};
