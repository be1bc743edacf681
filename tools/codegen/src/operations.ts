import type { OpenApiDocument } from './bundle.ts';

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;
export type HttpMethod = (typeof methods)[number];

type Parameter = { name: string; in: string; required?: boolean; schema?: unknown; description?: string };
type Operation = {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  security?: unknown[];
  servers?: Array<{ url: string }>;
};

/** What the runtime needs to know of one operation; emitted as the operation table. */
export type OperationSpec = {
  operationId: string;
  method: HttpMethod;
  path: string;
  routerPath: string;
  prefix: string;
  successStatus: number;
  secured: boolean;
  hasBody: boolean;
  bodyRequired: boolean;
  pathParams: Parameter[];
  queryParams: Parameter[];
  bodySchema?: unknown;
  successSchema?: unknown;
};

/** The path prefix of the first server URL (`/v1`), or '' for operations served at the root. */
function prefixOf(servers: Array<{ url: string }> | undefined): string {
  const url = servers?.[0]?.url;
  if (!url) return '';
  return new URL(url).pathname.replace(/\/$/, '');
}

function resolveParameter(doc: OpenApiDocument, p: Parameter | { $ref: string }): Parameter {
  if ('$ref' in p) {
    const name = p.$ref.replace('#/components/parameters/', '');
    return (doc.components as Record<string, Record<string, Parameter>>).parameters[name];
  }
  return p;
}

/** Reads every operation of the bundled spec, in a stable order (path, then method). */
export function collectOperations(doc: OpenApiDocument): OperationSpec[] {
  const rootPrefix = prefixOf(doc.servers as Array<{ url: string }>);
  const out: OperationSpec[] = [];
  for (const path of Object.keys(doc.paths).sort()) {
    const item = doc.paths[path] as Record<string, unknown> & { parameters?: Parameter[] };
    for (const method of methods) {
      const op = item[method] as Operation | undefined;
      if (!op) continue;
      if (!op.operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => resolveParameter(doc, p));
      const successCode = Object.keys(op.responses).find((c) => /^2\d\d$/.test(c));
      if (!successCode) throw new Error(`${op.operationId} documents no 2xx response`);
      const success = op.responses[successCode];
      out.push({
        operationId: op.operationId,
        method,
        path,
        routerPath: path.replace(/\{([^}]+)\}/g, ':$1'),
        prefix: op.servers ? prefixOf(op.servers) : rootPrefix,
        successStatus: Number(successCode),
        secured: op.security ? op.security.length > 0 : (doc.security ?? []).length > 0,
        hasBody: Boolean(op.requestBody),
        bodyRequired: Boolean(op.requestBody?.required),
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query'),
        bodySchema: op.requestBody?.content?.['application/json']?.schema,
        successSchema: success.content?.['application/json']?.schema,
      });
    }
  }
  const ids = new Set<string>();
  for (const o of out) {
    if (ids.has(o.operationId)) throw new Error(`duplicate operationId ${o.operationId}`);
    ids.add(o.operationId);
  }
  return out;
}
