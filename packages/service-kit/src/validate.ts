// Request validation with zod; failures become one 422 problem listing every issue.
import type { Request } from 'express';
import { z } from 'zod';
import { HttpProblem } from './problem';

export type ValidationError = { path: string; message: string };

/** ['a', 'b', 0, 'c'] → 'a.b[0].c' */
export const formatIssuePath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    const name = typeof key === 'symbol' ? (key.description ?? 'symbol') : key;
    return acc === '' ? name : `${acc}.${name}`;
  }, '');

export const isZodError = (error: unknown): error is z.core.$ZodError =>
  error instanceof z.core.$ZodError ||
  (error instanceof Error && error.name === 'ZodError' && Array.isArray((error as { issues?: unknown }).issues));

export const validationProblem = (error: z.core.$ZodError, detail = 'The request is invalid.'): HttpProblem =>
  new HttpProblem({
    status: 422,
    title: 'Unprocessable Content',
    detail,
    extra: {
      errors: error.issues.map<ValidationError>((issue) => ({
        path: formatIssuePath(issue.path),
        message: issue.message,
      })),
    },
  });

const parseWith =
  (part: 'body' | 'query' | 'params', detail: string) =>
  <S extends z.ZodType>(schema: S, req: Request): z.output<S> => {
    const result = schema.safeParse(req[part]);
    if (!result.success) throw validationProblem(result.error, detail);
    return result.data;
  };

export const parseBody = parseWith('body', 'The request body is invalid.');
export const parseQuery = parseWith('query', 'The query parameters are invalid.');
export const parseParams = parseWith('params', 'The path parameters are invalid.');
