import { Ajv, type Options } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import addFormats from 'ajv-formats';
import { generatedHeader } from './header.ts';
import type { OpenApiDocument } from './bundle.ts';
import type { OperationSpec } from './operations.ts';

const SPEC_ID = 'spec';

/**
 * OpenAPI 3.0 schemas are almost JSON Schema. Two differences matter to Ajv:
 * refs point into the document's components (rewritten to `$defs` of one schema), and `nullable` next to a `$ref` (or without `type`)
 * is rejected, so it is rewritten to `anyOf: [schema, {type: 'null'}]`.
 */
export function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) {
      out[k] = `${SPEC_ID}#/$defs/${v.slice('#/components/schemas/'.length)}`;
    } else if (k === '$ref') throw new Error(`unsupported $ref ${String(v)}: only component schemas can be referenced`);
    else out[k] = toJsonSchema(v);
  }
  if (out.nullable === true && out.type === undefined) {
    delete out.nullable;
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

function paramsSchema(params: OperationSpec['pathParams']): unknown {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const p of params) {
    properties[p.name] = toJsonSchema(p.schema ?? { type: 'string' });
    if (p.required) required.push(p.name);
  }
  return { type: 'object', properties, required };
}

function newAjv(doc: OpenApiDocument, options: Options): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    strictRequired: false,
    code: { source: true, esm: true, lines: false },
    ...options,
  });
  addFormats.default(ajv);
  ajv.addVocabulary(['example', 'xml', 'externalDocs']);
  ajv.addSchema({ $id: SPEC_ID, $defs: toJsonSchema(doc.components?.schemas ?? {}) });
  return ajv;
}

/** Ajv's standalone ESM output still calls require() for its runtime helpers. */
function esmModule(code: string): string {
  return `${generatedHeader('spec/dist/openapi.json')}/* eslint-disable */
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
${code}
`;
}

function declarations(names: string[]): string {
  return `${generatedHeader('spec/dist/openapi.json')}import type { ValidateFunction } from 'ajv';
${names.map((n) => `export declare const ${n}: ValidateFunction;`).join('\n')}
`;
}

export type ValidatorFiles = Record<string, string>;

/**
 * Three standalone modules: request parameters (coerced from strings, single values to arrays),
 * request bodies (no coercion: JSON types are checked as sent), and success responses.
 */
export function emitValidators(doc: OpenApiDocument, ops: OperationSpec[]): ValidatorFiles {
  const params = newAjv(doc, { coerceTypes: 'array' });
  const bodies = newAjv(doc, {});
  const responses = newAjv(doc, {});
  const names = { params: {} as Record<string, string>, bodies: {} as Record<string, string>, responses: {} as Record<string, string> };
  for (const o of ops) {
    if (o.pathParams.length) {
      params.addSchema(paramsSchema(o.pathParams) as object, `path_${o.operationId}`);
      names.params[`path_${o.operationId}`] = `path_${o.operationId}`;
    }
    if (o.queryParams.length) {
      params.addSchema(paramsSchema(o.queryParams) as object, `query_${o.operationId}`);
      names.params[`query_${o.operationId}`] = `query_${o.operationId}`;
    }
    if (o.bodySchema) {
      bodies.addSchema(toJsonSchema(o.bodySchema) as object, `body_${o.operationId}`);
      names.bodies[`body_${o.operationId}`] = `body_${o.operationId}`;
    }
    if (o.successSchema) {
      responses.addSchema(toJsonSchema(o.successSchema) as object, `response_${o.operationId}`);
      names.responses[`response_${o.operationId}`] = `response_${o.operationId}`;
    }
  }
  const files: ValidatorFiles = {};
  for (const [file, ajv, refs] of [
    ['params', params, names.params],
    ['bodies', bodies, names.bodies],
    ['responses', responses, names.responses],
  ] as const) {
    files[`validators/${file}.js`] = esmModule(standaloneCode.default(ajv, refs));
    files[`validators/${file}.d.ts`] = declarations(Object.keys(refs));
  }
  return files;
}
