import type { ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import * as bodies from '../src/generated/validators/bodies.js';
import * as params from '../src/generated/validators/params.js';
import { RequestValidationError, fieldPath, toFieldErrors } from '../src/validation-error.ts';

/** A minimal Ajv error, as the generated validators report them. */
function ajvError(keyword: string, instancePath: string, params: Record<string, unknown>, message?: string): ErrorObject {
  return { keyword, instancePath, schemaPath: `#/${keyword}`, params, message };
}

describe('fieldPath', () => {
  it('names the root as the empty string', () => {
    expect(fieldPath('')).toBe('');
  });

  it('turns a top-level property pointer into its name', () => {
    expect(fieldPath('/name')).toBe('name');
  });

  it('joins nested properties with dots', () => {
    expect(fieldPath('/metadata/plan_tier')).toBe('metadata.plan_tier');
  });

  it('writes array indexes in brackets', () => {
    expect(fieldPath('/filters/0/field')).toBe('filters[0].field');
    expect(fieldPath('/filters/12/value/array/3')).toBe('filters[12].value.array[3]');
  });

  it('starts with a bracket when the document itself is an array', () => {
    expect(fieldPath('/0/name')).toBe('[0].name');
  });

  it('puts consecutive indexes side by side', () => {
    expect(fieldPath('/matrix/1/2')).toBe('matrix[1][2]');
  });

  it('unescapes ~1 to / and ~0 to ~ (JSON pointer escapes)', () => {
    expect(fieldPath('/metadata/a~1b')).toBe('metadata.a/b');
    expect(fieldPath('/metadata/x~0y')).toBe('metadata.x~y');
    // ~01 is "~1" literally, not "/": ~1 must be replaced before ~0.
    expect(fieldPath('/metadata/~01')).toBe('metadata.~1');
  });
});

describe('toFieldErrors', () => {
  it('names the missing property for `required`, under its parent', () => {
    expect(toFieldErrors([ajvError('required', '', { missingProperty: 'name' })], 'body')).toEqual({ name: 'is required' });
    expect(toFieldErrors([ajvError('required', '/filters/0', { missingProperty: 'operator' })], 'body')).toEqual({
      'filters[0].operator': 'is required',
    });
  });

  it('names the unexpected property for `additionalProperties`', () => {
    expect(toFieldErrors([ajvError('additionalProperties', '/secret', { additionalProperty: 'extra' })], 'body')).toEqual({
      'secret.extra': 'is not allowed',
    });
  });

  it('lists the allowed values for `enum`', () => {
    const errors = [ajvError('enum', '/status', { allowedValues: ['published', 'deleted', 'archived'] }, 'must be equal to one of the allowed values')];
    expect(toFieldErrors(errors, 'query')).toEqual({ status: 'must be one of: published, deleted, archived' });
  });

  it('names the format for `format`', () => {
    expect(toFieldErrors([ajvError('format', '/email', { format: 'email' }, 'must match format "email"')], 'body')).toEqual({
      email: 'must be a valid email',
    });
  });

  it('says "must not be empty" for a minLength of 1 and keeps Ajv\'s message otherwise', () => {
    expect(toFieldErrors([ajvError('minLength', '/name', { limit: 1 }, 'must NOT have fewer than 1 characters')], 'body')).toEqual({
      name: 'must not be empty',
    });
    expect(toFieldErrors([ajvError('minLength', '/code', { limit: 3 }, 'must NOT have fewer than 3 characters')], 'body')).toEqual({
      code: 'must NOT have fewer than 3 characters',
    });
  });

  it("keeps Ajv's message for other keywords, and says 'is invalid' when there is none", () => {
    expect(toFieldErrors([ajvError('type', '/limit', { type: 'integer' }, 'must be integer')], 'query')).toEqual({ limit: 'must be integer' });
    expect(toFieldErrors([ajvError('maximum', '/limit', { limit: 1000 })], 'query')).toEqual({ limit: 'is invalid' });
  });

  it('names the location when the error is about the whole input', () => {
    const rootError = [ajvError('type', '', { type: 'object' }, 'must be object')];
    expect(toFieldErrors(rootError, 'body')).toEqual({ body: 'must be object' });
    expect(toFieldErrors(rootError, 'query')).toEqual({ query: 'must be object' });
    expect(toFieldErrors(rootError, 'path')).toEqual({ path: 'must be object' });
  });

  it('keeps the first message per field and one entry for every field', () => {
    const errors = [
      ajvError('type', '/limit', { type: 'integer' }, 'must be integer'),
      ajvError('minimum', '/limit', { limit: 1 }, 'must be >= 1'),
      ajvError('format', '/email', { format: 'email' }),
      ajvError('required', '', { missingProperty: 'name' }),
    ];
    expect(toFieldErrors(errors, 'body')).toEqual({ limit: 'must be integer', email: 'must be a valid email', name: 'is required' });
  });

  it('returns no fields for no errors', () => {
    expect(toFieldErrors([], 'body')).toEqual({});
  });

  it("names fields from the generated validators' real errors", () => {
    const validate = bodies.body_queryCustomer;
    const body = {
      limit: 'ten',
      filters: [
        { field: 'name', operator: 'eq', data_type: 'string', value: { string: 'Acme' } },
        { field: 'name', operator: 'like', data_type: 'string', value: { string: 'Ac' } },
        { operator: 'eq', data_type: 'string', value: {} },
      ],
    };
    expect(validate(body)).toBe(false);
    const fields = toFieldErrors(validate.errors ?? [], 'body');
    expect(fields.limit).toBe('must be integer');
    expect(fields['filters[1].operator']).toMatch(/^must be one of: eq, contains, not_contains, /);
    expect(fields['filters[2].field']).toBe('is required');
    expect(Object.keys(fields).sort()).toEqual(['filters[1].operator', 'filters[2].field', 'limit']);
  });

  it('reports coerced query parameters by name', () => {
    const validate = params.query_listCustomers;
    const query: Record<string, unknown> = { limit: 'abc', email: 'nope', order: 'sideways' };
    expect(validate(query)).toBe(false);
    expect(toFieldErrors(validate.errors ?? [], 'query')).toEqual({
      limit: 'must be integer',
      email: 'must be a valid email',
      order: 'must be one of: asc, desc',
    });
  });
});

describe('RequestValidationError', () => {
  it('keeps the fields and names every one of them in its message', () => {
    const fields = { name: 'is required', email: 'must be a valid email', 'filters[0].operator': 'must be one of: eq, gt' };
    const error = new RequestValidationError(fields);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('RequestValidationError');
    expect(error.fields).toEqual(fields);
    expect(error.message).toBe(
      'Request validation failed: name is required; email must be a valid email; filters[0].operator must be one of: eq, gt',
    );
  });

  it('names a single field without a trailing separator', () => {
    expect(new RequestValidationError({ limit: 'must be integer' }).message).toBe('Request validation failed: limit must be integer');
  });
});
