// Maps anything thrown by a route to problem+json. Unknown errors become a 500 that reveals nothing
// but an error id, which is also in the log line so support can find the cause.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { isFhirRequest, sendOperationOutcome } from './fhir';
import { HttpProblem, isHttpProblem, sendProblem } from './problem';
import { isZodError, validationProblem } from './validate';

/** body-parser/http-errors style errors: a 4xx status and a `type` we know. */
const clientErrorOf = (error: unknown): HttpProblem | undefined => {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, type, expose } = error as { status?: unknown; type?: unknown; expose?: unknown };
  switch (type) {
    case 'entity.parse.failed':
      return new HttpProblem({ status: 400, title: 'Bad Request', detail: 'The request body is not valid JSON.' });
    case 'entity.too.large':
      return new HttpProblem({ status: 413, title: 'Content Too Large', detail: 'The request body is too large.' });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpProblem({ status: 415, detail: 'The request body encoding is not supported.' });
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new HttpProblem({ status: 400, detail: 'The request body could not be read.' });
  }
  if (typeof status === 'number' && status >= 400 && status < 500 && expose === true)
    return new HttpProblem({ status, title: STATUS_CODES[status] ?? 'Bad Request' });
  return undefined;
};

/**
 * PostgreSQL's data exceptions (SQLSTATE class 22: bad text encoding, out of range, invalid syntax):
 * the request carried a value the database cannot hold. The input guard and schemas should catch it
 * first; this is the net under them, so such a value is the caller's 422, never our 500.
 */
export const isPostgresDataError = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code) && typeof severity === 'string';
};

const isConcurrencyConflict = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConcurrencyConflictError';

// Errors deciders throw (@wor/event-store errors.ts), matched by name so domain code stays web-free.
// Their messages are written for the caller: they name the state or the reason, never personal data.
const DOMAIN_ERRORS: Record<string, { status: number; title: string }> = {
  IllegalStateError: { status: 409, title: 'Conflict' },
  NotFoundError: { status: 404, title: 'Not Found' },
  ForbiddenError: { status: 403, title: 'Forbidden' },
  ValidationError: { status: 422, title: 'Unprocessable Content' },
  StaleVersionError: { status: 412, title: 'Precondition Failed' },
};

const domainProblem = (error: unknown): HttpProblem | undefined => {
  const known = error instanceof Error ? DOMAIN_ERRORS[error.name] : undefined;
  return known && new HttpProblem({ ...known, detail: (error as Error).message });
};

export const toProblem = (error: unknown): HttpProblem | undefined => {
  if (isHttpProblem(error)) return error;
  if (isZodError(error)) return validationProblem(error);
  if (isConcurrencyConflict(error))
    return new HttpProblem({
      status: 409,
      title: 'Conflict',
      detail: 'The resource was changed by another request; reload it and try again.',
    });
  if (isPostgresDataError(error))
    return new HttpProblem({
      status: 422,
      title: 'Unprocessable Content',
      detail: 'The request holds a value that cannot be stored (a character or number out of range).',
    });
  return domainProblem(error) ?? clientErrorOf(error);
};

export const errorHandler =
  (logger: Logger): ErrorRequestHandler =>
  (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      logger.error({ err: error }, 'error after the response started');
      next(error);
      return;
    }
    // Under /fhir a FHIR client expects OperationOutcome; everywhere else RFC 9457 problem+json.
    const send = isFhirRequest(req) ? sendOperationOutcome : sendProblem;
    const known = toProblem(error);
    // The code says which check is missing; the message could quote the value, so it is not logged.
    if (known && isPostgresDataError(error))
      logger.warn({ sqlState: (error as { code: string }).code, method: req.method }, 'database refused a value');
    if (known) {
      send(res, known);
      return;
    }
    const errorId = randomUUID();
    logger.error({ err: error, errorId, method: req.method }, 'unhandled error');
    send(
      res,
      new HttpProblem({
        status: 500,
        title: 'Internal Server Error',
        detail: 'An unexpected error occurred. Quote the errorId when reporting it.',
        extra: { instance: `urn:uuid:${errorId}`, errorId },
      }),
    );
  };
