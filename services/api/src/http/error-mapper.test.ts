import { DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { RequestValidationError } from '@tally/contract';
import { describe, expect, it, vi } from 'vitest';
import { PricingError, readPrice } from '../billing/pricing/index.ts';
import { AppError, invalidFields, notFound } from '../errors/app-error.ts';
import type { Logger } from '../logger.ts';
import { errorMapper, notFoundRoute, toEnvelope } from './error-mapper.ts';

const envelopeOf = (code: string, message: string, status: number, details?: Record<string, unknown>) => ({
  code,
  message,
  http_status_code: status,
  ...(details ? { details } : {}),
  success: false,
  error: { message, internal_error: '' },
});

describe('toEnvelope', () => {
  it('maps an AppError to its code, status, message and details', () => {
    expect(toEnvelope(notFound('Customer', 'id', 'cust_X'))).toEqual(
      envelopeOf('not_found', 'Customer with ID cust_X was not found', 404, { id: 'cust_X' }),
    );
    expect(toEnvelope(new AppError('invalid_operation', 'Cannot do that', { environment_id: 'env_1' }))).toEqual(
      envelopeOf('invalid_operation', 'Cannot do that', 400, { environment_id: 'env_1' }),
    );
    expect(toEnvelope(invalidFields({ expires_at: 'must be in the future' }))).toEqual(
      envelopeOf('validation_error', 'Request validation failed: expires_at must be in the future', 400, { expires_at: 'must be in the future' }),
    );
  });

  it('omits details when an AppError has none or an empty object', () => {
    const bare = toEnvelope(new AppError('unauthorized', 'Invalid API key'));
    expect(bare).toEqual(envelopeOf('unauthorized', 'Invalid API key', 401));
    expect(bare).not.toHaveProperty('details');
    expect(toEnvelope(new AppError('already_exists', 'Duplicate', {}))).not.toHaveProperty('details');
  });

  it('names every offending field of a RequestValidationError in message and details', () => {
    const err = new RequestValidationError({ name: 'is required', type: 'must be one of: development, production' });
    expect(toEnvelope(err)).toEqual(
      envelopeOf('validation_error', 'Request validation failed: name is required; type must be one of: development, production', 400, {
        name: 'is required',
        type: 'must be one of: development, production',
      }),
    );
  });

  it('maps a PricingError (a plain domain error) to 400 validation_error naming every problem', () => {
    // Moved here from the pricing engine's tests when PricingError stopped being an AppError.
    const quantityAndCount = new PricingError([
      { kind: 'invalid_quantity', field: 'quantity', message: 'must be greater than or equal to 0' },
      { kind: 'invalid_billing_period_count', field: 'billing_period_count', message: 'must be an integer greater than 0' },
    ]);
    expect(quantityAndCount).not.toBeInstanceOf(AppError);
    expect(toEnvelope(quantityAndCount)).toEqual(
      envelopeOf('validation_error', 'Request validation failed: quantity must be greater than or equal to 0; billing_period_count must be an integer greater than 0', 400, {
        quantity: 'must be greater than or equal to 0',
        billing_period_count: 'must be an integer greater than 0',
      }),
    );
    let noTierMode: unknown;
    try {
      readPrice({ currency: 'usd', billingModel: 'TIERED', billingPeriodCount: 1, tiers: [{ up_to: 1000, unit_amount: '0.10' }, { unit_amount: '0.05' }] });
    } catch (e) {
      noTierMode = e;
    }
    expect(toEnvelope(noTierMode).message).toBe('Request validation failed: tier_mode is required when billing_model is TIERED (one of VOLUME, SLAB)');
    let notDecimal: unknown;
    try {
      readPrice({ currency: 'usd', billingModel: 'TIERED', billingPeriodCount: 1, tierMode: 'SLAB', tiers: [{ unit_amount: 0.1 as unknown as string }] });
    } catch (e) {
      notDecimal = e;
    }
    expect(toEnvelope(notDecimal)).toMatchObject({ code: 'validation_error', http_status_code: 400, details: { 'tiers[0].unit_amount': 'must be a decimal string (e.g. "0.001"), got 0.1' } });
  });

  it('answers 409 already_exists for a unique-constraint violation and 500 database_error for other driver errors', () => {
    const cause = new Error('duplicate key value violates unique constraint "secrets_key_hash_uq"');
    expect(toEnvelope(new UniqueConstraintViolationException(cause))).toEqual(
      envelopeOf('already_exists', 'A resource with this identifier already exists', 409),
    );
    const driver = toEnvelope(new DriverException(new Error('connection terminated: password=hunter2')));
    expect(driver).toEqual(envelopeOf('database_error', 'The database failed to process the request', 500));
    expect(JSON.stringify(driver)).not.toContain('hunter2');
  });

  it('answers internal_error for anything else and never returns the cause', () => {
    const expected = envelopeOf('internal_error', 'An unexpected error occurred', 500);
    const err = new TypeError("Cannot read properties of undefined (reading 'secret_token')");
    const body = toEnvelope(err);
    expect(body).toEqual(expected);
    expect(JSON.stringify(body)).not.toContain('secret_token');
    expect(toEnvelope('a thrown string')).toEqual(expected);
    expect(toEnvelope(undefined)).toEqual(expected);
    expect(toEnvelope(null)).toEqual(expected);
    // A 5xx http-error is not exposed either.
    expect(toEnvelope(Object.assign(new Error('upstream exploded'), { status: 502, expose: false }))).toEqual(expected);
  });
});

type LogCall = [Record<string, unknown>, string];
const fakeLog = () => {
  const error = vi.fn<(obj: Record<string, unknown>, msg: string) => void>();
  return { log: { error } as unknown as Logger, error };
};

describe('errorMapper middleware', () => {
  it('writes the envelope and status, and logs a 5xx cause with the request id', async () => {
    const { log, error } = fakeLog();
    const ctx = { state: { requestId: 'req-1' }, status: 404, body: undefined as unknown };
    const cause = new Error('boom');
    await errorMapper(log)(ctx as never, async () => {
      throw cause;
    });
    expect(ctx.status).toBe(500);
    expect(ctx.body).toEqual(envelopeOf('internal_error', 'An unexpected error occurred', 500));
    expect(error).toHaveBeenCalledTimes(1);
    const [fields] = error.mock.calls[0] as LogCall;
    expect(fields).toEqual({ err: cause, request_id: 'req-1' });
  });

  it('does not log client errors', async () => {
    const { log, error } = fakeLog();
    const ctx = { state: { requestId: 'req-2' }, status: 404, body: undefined as unknown };
    await errorMapper(log)(ctx as never, async () => {
      throw notFound('Environment', 'id', 'env_X');
    });
    expect(ctx.status).toBe(404);
    expect(ctx.body).toEqual(envelopeOf('not_found', 'Environment with ID env_X was not found', 404, { id: 'env_X' }));
    expect(error).not.toHaveBeenCalled();
  });

  it('leaves a successful response alone', async () => {
    const { log } = fakeLog();
    const ctx = { state: {}, status: 200, body: { ok: true } as unknown };
    await errorMapper(log)(ctx as never, async () => {});
    expect(ctx).toEqual({ state: {}, status: 200, body: { ok: true } });
  });
});

describe('notFoundRoute', () => {
  it('throws not_found naming the method and path when nothing answered', async () => {
    const ctx = { method: 'PATCH', path: '/v1/nowhere', status: 404, body: undefined };
    await expect(notFoundRoute(ctx as never, async () => {})).rejects.toMatchObject({
      code: 'not_found',
      message: 'Route PATCH /v1/nowhere not found',
    });
  });

  it('lets a response through', async () => {
    await expect(notFoundRoute({ method: 'GET', path: '/x', status: 200, body: {} } as never, async () => {})).resolves.toBeUndefined();
  });
});
