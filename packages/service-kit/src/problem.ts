// RFC 9457 problem details: the one error shape every service returns.
import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export type ProblemDetails = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
};

export type HttpProblemInit = {
  status: number;
  title?: string;
  detail?: string;
  /** Extension members (RFC 9457 §3.2) and optionally `type` / `instance`. */
  extra?: Record<string, unknown>;
  /** Response headers that belong to the problem, e.g. WWW-Authenticate on 401. */
  headers?: Record<string, string>;
};

/** Throw from a handler; the error handler turns it into problem+json with its status. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(init: HttpProblemInit) {
    const title = init.title ?? STATUS_CODES[init.status] ?? 'Error';
    super(init.detail ? `${title}: ${init.detail}` : title);
    this.status = init.status;
    this.title = title;
    this.detail = init.detail;
    this.extra = init.extra ?? {};
    this.headers = init.headers ?? {};
  }

  toJSON(): ProblemDetails {
    return {
      type: 'about:blank',
      ...this.extra,
      title: this.title,
      status: this.status,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
    };
  }
}

/** Shorthand: `throw problem(404, 'Not Found', 'No referral with that id')`. */
export const problem = (
  status: number,
  title?: string,
  detail?: string,
  extra?: Record<string, unknown>,
): HttpProblem => new HttpProblem({ status, title, detail, extra });

export const isHttpProblem = (value: unknown): value is HttpProblem => value instanceof HttpProblem;

export const sendProblem = (res: Response, p: HttpProblem): void => {
  for (const [name, value] of Object.entries(p.headers)) res.setHeader(name, value);
  res.status(p.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(p.toJSON()));
};
