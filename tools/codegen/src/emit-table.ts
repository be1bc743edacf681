import { generatedHeader } from './header.ts';
import type { OperationSpec } from './operations.ts';

/** The operation table: everything the runtime needs to route and validate, without schemas. */
export function emitOperationTable(ops: OperationSpec[]): string {
  const rows = ops.map((o) => {
    const row = {
      operationId: o.operationId,
      method: o.method,
      path: o.path,
      routerPath: o.routerPath,
      prefix: o.prefix,
      successStatus: o.successStatus,
      secured: o.secured,
      hasBody: o.hasBody,
      bodyRequired: o.bodyRequired,
      pathParams: o.pathParams.map((p) => p.name),
      queryParams: o.queryParams.map((p) => p.name),
      arrayQueryParams: o.queryParams
        .filter((p) => (p.schema as { type?: string } | undefined)?.type === 'array')
        .map((p) => p.name),
    };
    return `  ${JSON.stringify(row)},`;
  });
  return `${generatedHeader('spec/dist/openapi.json')}
export const operationTable = [
${rows.join('\n')}
] as const;

export type OperationRow = (typeof operationTable)[number];
`;
}

/** The Handlers map: one entry per operationId, so a missing handler fails type-checking. */
export function emitHandlers(ops: OperationSpec[]): string {
  const entries = ops.map((o) => `  ${o.operationId}: Handler<'${o.operationId}', ${o.successStatus}, Ctx>;`);
  return `${generatedHeader('spec/dist/openapi.json')}
import type { Handler } from '../handler.ts';

/** Every operation of the spec. Implement all of them; \`satisfies Handlers<…>\` proves it. */
export interface Handlers<Ctx> {
${entries.join('\n')}
}

export type OperationId = keyof Handlers<unknown>;
`;
}
