/** Every error this SDK throws is a TallyError. */
export class TallyError extends Error {
  override name = 'TallyError';
}

/** The error envelope Tally (and FlexPrice) answer every failure with. */
export interface ErrorEnvelope {
  code?: string;
  message?: string;
  http_status_code?: number;
  details?: Record<string, unknown>;
  success?: boolean;
  error?: { message?: string; internal_error?: string };
}

/**
 * The API answered with an error status. Carries the envelope's fields as the API names them, and
 * the request id to quote when asking for help (the server logs it with every line of the request).
 */
export class TallyApiError extends TallyError {
  override name = 'TallyApiError';
  /** The envelope's `code`, e.g. `not_found`, `validation_error`, `already_exists`. */
  readonly code: string;
  readonly http_status_code: number;
  /** For validation errors: each offending field (path) and what is wrong with it. */
  readonly details: Record<string, unknown>;
  /** The `X-Request-ID` response header. */
  readonly request_id: string | undefined;
  /** The parsed body as received, for anything the fields above do not carry. */
  readonly body: unknown;

  constructor(status: number, envelope: ErrorEnvelope | undefined, requestId: string | undefined, body: unknown) {
    super(envelope?.message ?? envelope?.error?.message ?? `Tally answered HTTP ${status}`);
    this.code = envelope?.code ?? 'unknown_error';
    this.http_status_code = envelope?.http_status_code ?? status;
    this.details = envelope?.details ?? {};
    this.request_id = requestId;
    this.body = body;
  }
}

/** 400: the request is invalid; `details` names each field. */
export class TallyValidationError extends TallyApiError {
  override name = 'TallyValidationError';
}
/** 401: missing, unknown, expired or revoked API key. */
export class TallyAuthenticationError extends TallyApiError {
  override name = 'TallyAuthenticationError';
}
/** 403: the key may not do this. */
export class TallyPermissionError extends TallyApiError {
  override name = 'TallyPermissionError';
}
/** 404: no such resource in the key's environment. */
export class TallyNotFoundError extends TallyApiError {
  override name = 'TallyNotFoundError';
}
/** 409: a conflicting resource exists, or a request with the same Idempotency-Key is still running. */
export class TallyConflictError extends TallyApiError {
  override name = 'TallyConflictError';
}
/** 422: the Idempotency-Key was already used for a different request. */
export class TallyIdempotencyError extends TallyApiError {
  override name = 'TallyIdempotencyError';
}
/** 429: over the rate limit, still after the retries. */
export class TallyRateLimitError extends TallyApiError {
  override name = 'TallyRateLimitError';
}
/** 5xx: the server failed, still after the retries. */
export class TallyServerError extends TallyApiError {
  override name = 'TallyServerError';
}

/** No response: the connection failed, still after the retries. */
export class TallyConnectionError extends TallyError {
  override name = 'TallyConnectionError';
}
/** No response within the configured timeout, still after the retries. */
export class TallyTimeoutError extends TallyConnectionError {
  override name = 'TallyTimeoutError';
}

type ApiErrorClass = new (...args: ConstructorParameters<typeof TallyApiError>) => TallyApiError;

const byStatus: Record<number, ApiErrorClass> = {
  400: TallyValidationError,
  401: TallyAuthenticationError,
  403: TallyPermissionError,
  404: TallyNotFoundError,
  409: TallyConflictError,
  422: TallyIdempotencyError,
  429: TallyRateLimitError,
};

function isEnvelope(body: unknown): body is ErrorEnvelope {
  return typeof body === 'object' && body !== null && ('code' in body || 'message' in body || 'error' in body);
}

/** Reads an error response into the matching TallyApiError subclass. */
export async function apiErrorFromResponse(response: Response): Promise<TallyApiError> {
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (a proxy's HTML page, say): keep the text as the body.
  }
  const ErrorClass = byStatus[response.status] ?? (response.status >= 500 ? TallyServerError : TallyApiError);
  return new ErrorClass(response.status, isEnvelope(body) ? body : undefined, response.headers.get('x-request-id') ?? undefined, body);
}
