/**
 * An error a person can act on: a machine code, a sentence for people and an
 * HTTP status for the API. Anything else reaching the API is a 500.
 */
export class SinettiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'SinettiError';
  }
}

export class NotFoundError extends SinettiError {
  constructor(what: string, details?: unknown) {
    super('not_found', `${what} was not found`, 404, details);
  }
}

export class ConflictError extends SinettiError {
  constructor(code: string, message: string, details?: unknown) {
    super(code, message, 409, details);
  }
}
