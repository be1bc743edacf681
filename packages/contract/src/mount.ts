import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { ValidateFunction } from 'ajv';
import type { Handlers } from './generated/handlers.ts';
import { operationTable, type OperationRow } from './generated/operations.ts';
import * as bodies from './generated/validators/bodies.js';
import * as params from './generated/validators/params.js';
import * as responses from './generated/validators/responses.js';
import { inspectInput } from './input-inspection.ts';
import { RequestValidationError, toFieldErrors, type InputLocation } from './validation-error.ts';

export type MountOptions<Ctx> = {
  /** Runs before every operation whose spec requires an API key. */
  authenticate: Middleware;
  /**
   * Runs next, for every operation, before its input is validated: body parsing, idempotency…
   * (after `authenticate`, so an anonymous caller never gets its body read).
   */
  prepare?: (row: OperationRow) => Middleware[];
  /** Builds the handler's context (auth, services) from the Koa context. */
  context: (ctx: Context) => Ctx;
  /** Validate every success body against the spec and fail loudly on a mismatch (tests, dev). */
  validateResponses: boolean;
};

const lookup = (module: Record<string, ValidateFunction>, name: string) => module[name] as ValidateFunction | undefined;

function check(validate: ValidateFunction | undefined, data: unknown, location: InputLocation): void {
  if (validate && !validate(data)) throw new RequestValidationError(toFieldErrors(validate.errors ?? [], location));
}

function rejectBadInput(value: unknown, root: string): void {
  const problems = inspectInput(value, root);
  if (Object.keys(problems).length) throw new RequestValidationError(problems);
}

/** Copies only the declared query parameters; repeated keys arrive as arrays and are coerced by the validator. */
function pickQuery(row: OperationRow, query: Record<string, string | string[] | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of row.queryParams) {
    const value = query[name];
    if (value !== undefined && value !== '') out[name] = value;
  }
  return out;
}

export class ResponseContractError extends Error {
  constructor(operationId: string, fields: Record<string, string>) {
    super(`Response of ${operationId} does not match the spec: ${JSON.stringify(fields)}`);
    this.name = 'ResponseContractError';
  }
}

/** Static paths before parameterised ones, so `/customers/search` never reads as `/customers/:id`. */
function routeOrder(a: OperationRow, b: OperationRow): number {
  return a.pathParams.length - b.pathParams.length;
}

/** Mounts every operation of the spec on the router: validate input, call the handler, set the status. */
export function mountOperations<Ctx>(router: Router, handlers: Handlers<Ctx>, options: MountOptions<Ctx>): void {
  for (const row of [...operationTable].sort(routeOrder)) {
    const handler = handlers[row.operationId] as unknown as (req: unknown, ctx: Ctx) => Promise<unknown>;
    const pathValidator = lookup(params, `path_${row.operationId}`);
    const queryValidator = lookup(params, `query_${row.operationId}`);
    const bodyValidator = lookup(bodies, `body_${row.operationId}`);
    const responseValidator = lookup(responses, `response_${row.operationId}`);
    const run: Middleware = async (ctx) => {
      const path = { ...ctx.params };
      const query = pickQuery(row, ctx.query);
      rejectBadInput(path, 'path');
      rejectBadInput(query, 'query');
      check(pathValidator, path, 'path');
      check(queryValidator, query, 'query');
      let body: unknown = undefined;
      if (row.hasBody) {
        body = (ctx.request as { body?: unknown }).body;
        // No body at all where the spec requires one (`{}` is a body): a client that forgot to send
        // its JSON must not get a silent no-op update or an unfiltered search (FlexPrice: 400 too).
        if (body === undefined && row.bodyRequired) throw new RequestValidationError({ body: 'is required: send a JSON object ({} when no field applies)' });
        // An optional body that was not sent stays undefined and is not validated.
        if (body !== undefined) {
          rejectBadInput(body, 'body');
          check(bodyValidator, body, 'body');
        }
      }
      const result = await handler({ path, query, body }, options.context(ctx));
      if (options.validateResponses && responseValidator && !responseValidator(result)) {
        throw new ResponseContractError(row.operationId, toFieldErrors(responseValidator.errors ?? [], 'body'));
      }
      ctx.status = row.successStatus;
      if (row.successStatus !== 204) ctx.body = result;
    };
    const chain = [...(row.secured ? [options.authenticate] : []), ...(options.prepare?.(row) ?? []), run];
    router.register(`${row.prefix}${row.routerPath}`, [row.method.toUpperCase()], chain, { name: row.operationId });
  }
}
