/**
 * The closed set of error kinds. Each maps to one FlexPrice `code` and one HTTP status;
 * services throw these, the error mapper turns them into the envelope.
 */
export const errorStatus = {
  validation_error: 400,
  invalid_operation: 400,
  unauthorized: 401,
  permission_denied: 403,
  not_found: 404,
  already_exists: 409,
  version_conflict: 409,
  idempotency_key_reused: 422,
  too_many_requests: 429,
  internal_error: 500,
  database_error: 500,
  not_implemented: 501,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  /** Only for failures of HTTP itself (405, 431) that have no code of their own: the code's status otherwise. */
  readonly #status: number | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, status?: number) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
    this.#status = status;
  }
  get status(): number {
    return this.#status ?? errorStatus[this.code];
  }
}

export const notFound = (entity: string, field: string, value: string): AppError =>
  new AppError('not_found', `${entity} with ${field === 'id' ? 'ID' : field} ${value} was not found`, { [field]: value });

/** A 400 naming each offending field, for rules the schema cannot express. */
export const invalidFields = (fields: Record<string, string>): AppError =>
  new AppError(
    'validation_error',
    `Request validation failed: ${Object.entries(fields)
      .map(([f, m]) => `${f} ${m}`)
      .join('; ')}`,
    fields,
  );
