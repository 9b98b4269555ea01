/* eslint-disable @typescript-eslint/no-explicit-any -- answers from the services are read defensively */
// The BFF's way to the services: every call carries the signed-in user's token; the browser never
// sees a token or a service URL. Answers come back as status, ETag and parsed body.
import { problemOf, type Problem } from './problems';

export type ServiceName = 'referral' | 'consent' | 'social-map' | 'reporting';
export type ServiceUrls = Readonly<Record<ServiceName, string>>;

export type Answer<T = any> = Readonly<{
  status: number;
  ok: boolean;
  etag: string | null;
  contentType: string;
  contentDisposition: string | null;
  body: T;
  text: string;
}>;

export type CallOptions = Readonly<{ method?: string; body?: unknown; headers?: Record<string, string> }>;

export type Services = Readonly<{
  call: (token: string, service: ServiceName, path: string, options?: CallOptions) => Promise<Answer>;
}>;

export const createServices = (urls: ServiceUrls, timeoutMs = 20_000): Services => ({
  async call(token, service, path, options = {}) {
    let response: Response;
    try {
      response = await fetch(`${urls[service]}${path}`, {
        method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json, application/problem+json, text/csv',
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      return {
        status: 502,
        ok: false,
        etag: null,
        contentType: 'application/problem+json',
        contentDisposition: null,
        body: { detail: '' },
        text: '',
      };
    }
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    let body: unknown = text;
    if (/json/.test(contentType) && text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    return {
      status: response.status,
      ok: response.ok,
      etag: response.headers.get('etag'),
      contentType,
      contentDisposition: response.headers.get('content-disposition'),
      body,
      text,
    };
  },
});

export const problemFrom = (answer: Answer): Problem => problemOf(answer.status, answer.body);
