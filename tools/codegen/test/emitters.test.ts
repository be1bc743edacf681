import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { OpenApiDocument } from '../src/bundle.ts';
import { emitHandlers, emitOperationTable } from '../src/emit-table.ts';
import { emitValidators, toJsonSchema } from '../src/emit-validators.ts';
import { collectOperations } from '../src/operations.ts';

const doc: OpenApiDocument = {
  openapi: '3.0.3',
  servers: [{ url: 'http://localhost:8080/v1' }],
  security: [{ ApiKeyAuth: [] }],
  paths: {
    '/widgets/{id}': {
      parameters: [{ $ref: '#/components/parameters/PathId' }],
      get: { operationId: 'getWidget', responses: { '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Widget' } } } } } },
      delete: { operationId: 'deleteWidget', responses: { '204': { description: 'gone' } } },
    },
    '/widgets': {
      post: {
        operationId: 'createWidget',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Widget' } } } },
        responses: { '201': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Widget' } } } } },
      },
      get: {
        operationId: 'listWidgets',
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1 } },
          { name: 'ids', in: 'query', schema: { type: 'array', items: { type: 'string' } } },
        ],
        responses: { '200': { description: 'ok' } },
      },
    },
    '/health': { get: { operationId: 'health', servers: [{ url: 'http://localhost:8080' }], security: [], responses: { '200': { description: 'ok' } } } },
  },
  components: {
    parameters: { PathId: { name: 'id', in: 'path', required: true, schema: { type: 'string' } } },
    schemas: {
      Widget: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, parent: { $ref: '#/components/schemas/Parent', nullable: true } } },
      Parent: { type: 'object', properties: { id: { type: 'string' } } },
    },
  },
};

describe('collectOperations', () => {
  const ops = collectOperations(doc);

  it('reads every operation in path order with its prefix, status and security', () => {
    expect(ops.map((o) => [o.operationId, o.method, o.prefix, o.successStatus, o.secured])).toEqual([
      ['health', 'get', '', 200, false],
      ['listWidgets', 'get', '/v1', 200, true],
      ['createWidget', 'post', '/v1', 201, true],
      ['getWidget', 'get', '/v1', 200, true],
      ['deleteWidget', 'delete', '/v1', 204, true],
    ]);
  });

  it('resolves path-level parameter refs and turns {id} into a router parameter', () => {
    const get = ops.find((o) => o.operationId === 'getWidget');
    expect(get?.routerPath).toBe('/widgets/:id');
    expect(get?.pathParams.map((p) => p.name)).toEqual(['id']);
  });

  it('refuses an operation without operationId', () => {
    const broken = { ...doc, paths: { '/x': { get: { responses: { '200': {} } } } } } as unknown as OpenApiDocument;
    expect(() => collectOperations(broken)).toThrow('GET /x has no operationId');
  });

  it('emits a table row per operation and one Handlers entry typed with its success status', () => {
    expect(emitOperationTable(ops)).toContain('"operationId":"listWidgets","method":"get","path":"/widgets"');
    expect(emitOperationTable(ops)).toContain('"arrayQueryParams":["ids"]');
    const handlers = emitHandlers(ops);
    expect(handlers).toContain("deleteWidget: Handler<'deleteWidget', 204, Ctx>;");
    expect(handlers.startsWith('// DO NOT EDIT.')).toBe(true);
  });
});

describe('validators', () => {
  it('rewrites nullable refs to anyOf with null, which Ajv refuses otherwise', () => {
    expect(toJsonSchema({ $ref: '#/components/schemas/Parent', nullable: true })).toEqual({
      anyOf: [{ $ref: 'spec#/$defs/Parent' }, { type: 'null' }],
    });
    expect(toJsonSchema({ type: 'string', nullable: true })).toEqual({ type: 'string', nullable: true });
  });

  it('generates standalone ESM modules that validate and coerce', async () => {
    const files = emitValidators(doc, collectOperations(doc));
    expect(Object.keys(files).sort()).toEqual([
      'validators/bodies.d.ts', 'validators/bodies.js', 'validators/params.d.ts', 'validators/params.js', 'validators/responses.d.ts', 'validators/responses.js',
    ]);
    // Written next to the package so the modules' require() of Ajv's runtime resolves.
    const dir = mkdtempSync(join(dirname(fileURLToPath(import.meta.url)), '.out-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const load = async (name: string) => {
      const file = join(dir, name.replace('/', '-'));
      writeFileSync(file, files[name]);
      return import(pathToFileURL(file).href);
    };
    const params = await load('validators/params.js');
    const query: Record<string, unknown> = { limit: '5', ids: 'a' };
    expect(params.query_listWidgets(query)).toBe(true);
    expect(query).toEqual({ limit: 5, ids: ['a'] });
    expect(params.query_listWidgets({ limit: '0' })).toBe(false);
    const bodies = await load('validators/bodies.js');
    expect(bodies.body_createWidget({ name: 'w', parent: null })).toBe(true);
    expect(bodies.body_createWidget({ parent: { id: 1 } })).toBe(false);
    expect(bodies.body_createWidget.errors.map((e: { keyword: string }) => e.keyword)).toContain('required');
  });
});
