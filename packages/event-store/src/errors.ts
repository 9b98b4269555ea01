// Errors a decider throws to refuse a command. The HTTP edge maps them by name to problem+json,
// so domain code needs no web dependency.

/** The command is not allowed in the aggregate's current state (HTTP 409). */
export class IllegalStateError extends Error {
  override readonly name = 'IllegalStateError';
}

/** The aggregate the command addresses does not exist (HTTP 404). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** The command is refused on grounds of permission, e.g. no active consent (HTTP 403). */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}

/** The version the caller based the change on is no longer current (HTTP 412, for If-Match). */
export class StaleVersionError extends Error {
  override readonly name = 'StaleVersionError';
}

/** The command contradicts the aggregate's own facts, e.g. a score for a goal never agreed (HTTP 422). */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
}
