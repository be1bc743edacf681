import type { ErrorObject } from 'ajv';

/** Where a failing value came from. */
export type InputLocation = 'path' | 'query' | 'body';

/** Input that does not match the spec; carries one message per offending field. */
export class RequestValidationError extends Error {
  readonly fields: Record<string, string>;
  constructor(fields: Record<string, string>) {
    const list = Object.entries(fields).map(([f, m]) => `${f} ${m}`);
    super(`Request validation failed: ${list.join('; ')}`);
    this.name = 'RequestValidationError';
    this.fields = fields;
  }
}

/** `/filters/0/field` → `filters[0].field`. */
export function fieldPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out ? `.${part}` : part;
  }
  return out;
}

function describe(e: ErrorObject): [string, string] {
  const base = fieldPath(e.instancePath);
  const join = (child: string) => (base ? `${base}.${child}` : child);
  switch (e.keyword) {
    case 'required':
      return [join((e.params as { missingProperty: string }).missingProperty), 'is required'];
    case 'additionalProperties':
      return [join((e.params as { additionalProperty: string }).additionalProperty), 'is not allowed'];
    case 'enum':
      return [base, `must be one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`];
    case 'minLength':
      return [base, (e.params as { limit: number }).limit === 1 ? 'must not be empty' : e.message ?? 'is too short'];
    case 'format':
      return [base, `must be a valid ${(e.params as { format: string }).format}`];
    default:
      return [base, e.message ?? 'is invalid'];
  }
}

/** Turns Ajv's errors into one message per field (the first one wins), naming the location for params. */
export function toFieldErrors(errors: ErrorObject[], location: InputLocation): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const e of errors) {
    const [field, message] = describe(e);
    const name = field || (location === 'body' ? 'body' : location);
    if (!(name in fields)) fields[name] = message;
  }
  return fields;
}
