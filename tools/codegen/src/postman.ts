/**
 * `npm run postman` (and the last step of `npm run generate`): the bundled spec through Postman's
 * own converter (openapi-to-postmanv2) into a collection and an environment under tests/e2e/postman/
 * (where tests/e2e runs them with newman), ready to import and to run as is.
 *
 * The converter's output is kept, with a few changes that make it runnable and reproducible:
 * - Ids chain: a path (or `id` query) parameter reads a collection variable (`{{customerId}}`,
 *   `{{customerExternalId}}`, `{{apiKeyId}}`…) that the resource's create request stores from its
 *   response; within a folder creates run first and deletes last, so the collection cleans up after
 *   itself and runs again on the same server.
 * - `Idempotency-Key` is `{{$guid}}`: the spec's single example value would make every POST after
 *   the first a reuse of one key (422).
 * - Operations with their own `servers` (health lives outside `/v1`) use `{{origin}}`, which a
 *   collection pre-request script derives from `{{baseUrl}}`, so one variable moves the whole collection.
 * - Every request tests for the success status the spec documents (its lowest 2xx).
 * - Output is deterministic: the converter's random UUIDs are dropped and its schema faker (which
 *   fills values the spec gives no example for) runs on a fixed seed; re-running gives no diff.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { convertV2, validate } from 'openapi-to-postmanv2';
import { bundledSpec, postmanCollection, postmanEnvironment } from './paths.ts';

export const specPath = bundledSpec;
export const collectionPath = postmanCollection;
export const environmentPath = postmanEnvironment;

const methods = ['get', 'put', 'post', 'delete', 'patch'] as const;

type Schema = { $ref?: string; type?: string; properties?: Record<string, Schema>; allOf?: Schema[] };
type Operation = {
  operationId: string;
  servers?: { url: string }[];
  security?: unknown[];
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: Schema }> }>;
};
type Spec = {
  info: { title: string };
  servers: { url: string }[];
  paths: Record<string, Partial<Record<(typeof methods)[number], Operation>>>;
  components: Record<string, Record<string, unknown>>;
};

type Variable = { key: string; value: string; type?: string; disabled?: boolean; description?: unknown };
type Url = { protocol?: string; port?: string; host?: string[]; path: string[]; query?: Variable[]; variable?: Variable[]; raw?: string };
type Request = { method: string; url: Url; header?: Variable[]; auth?: unknown };
type Script = { listen: 'test' | 'prerequest'; script: { type: 'text/javascript'; exec: string[] } };
type Item = { id?: string; name: string; item?: Item[]; request?: Request; response?: { id?: string; originalRequest?: Request }[]; event?: Script[] };
export type Collection = { info: { _postman_id?: string; name: string; schema: string }; item: Item[]; auth?: unknown; variable?: Variable[]; event?: Script[] };
export type Environment = { id: string; name: string; values: { key: string; value: string; type: 'default' | 'secret'; enabled: boolean }[]; _postman_variable_scope: 'environment' };

/** The operation a converted request was made from, found by method and path template. */
type Located = { path: string; method: string; op: Operation };

/** A collection variable that carries an id from a create request to the requests that need it. */
type Chained = { variable: string; create: string; field: string[] };

export async function buildPostman(spec: Spec = JSON.parse(readFileSync(specPath, 'utf8'))): Promise<{ collection: Collection; environment: Environment }> {
  const collection = await convertSpec(spec);
  const serverUrl = spec.servers[0]?.url;
  if (!serverUrl) throw new Error('the spec names no server');
  const chained = new Map<string, Chained>();
  const originSuffix = { value: undefined as string | undefined };

  walk(collection.item, (item) => {
    if (!item.request) return;
    const at = locate(spec, item.request);
    const { request } = item;
    for (const header of request.header ?? []) {
      if (header.key.toLowerCase() === 'idempotency-key') {
        header.value = '{{$guid}}';
        header.disabled = false;
      }
    }
    for (const param of request.url.variable ?? []) {
      const variable = chain(spec, at.path, param.key, chained);
      if (variable) param.value = `{{${variable}}}`;
    }
    // `PUT /customers?id=` and `GET /customers/usage?customer_id=` name their customer in the query:
    // one of the id or an external id is required, which the spec cannot express, so the id is sent
    // and the alternatives stay unticked.
    for (const param of request.url.query ?? []) {
      const variable =
        param.key === 'id'
          ? chain(spec, `${at.path}/{id}`, 'id', chained)
          : param.key === 'customer_id' && at.path === '/customers/usage'
            ? chain(spec, '/customers/{id}', 'id', chained)
            : undefined;
      if (variable) {
        param.value = `{{${variable}}}`;
        param.disabled = false;
      }
    }
    const ownServer = at.op.servers?.[0]?.url;
    if (ownServer) {
      if (!serverUrl.startsWith(ownServer)) throw new Error(`${at.op.operationId}: its server ${ownServer} is not a prefix of ${serverUrl}`);
      originSuffix.value = serverUrl.slice(ownServer.length);
      for (const req of [request, ...(item.response ?? []).map((r) => r.originalRequest)]) if (req) fromOrigin(req.url);
    }
    if (Array.isArray(at.op.security) && at.op.security.length === 0) request.auth = { type: 'noauth' };
  });

  // Test scripts last: a create stores every variable that some other request turned out to need.
  walk(collection.item, (item) => {
    if (!item.request) return;
    const at = locate(spec, item.request);
    const code = successCode(at.op);
    const exec = [
      `pm.test(${JSON.stringify(`${at.method.toUpperCase()} ${at.path} answers ${code}`)}, function () {`,
      `  pm.response.to.have.status(${code});`,
      '});',
    ];
    const stores = [...chained.values()].filter((c) => c.create === at.op.operationId);
    if (stores.length) {
      exec.push(`if (pm.response.code === ${code}) {`, '  var body = pm.response.json();');
      for (const c of stores) exec.push(`  pm.collectionVariables.set(${JSON.stringify(c.variable)}, body${c.field.map((f) => `[${JSON.stringify(f)}]`).join('')});`);
      exec.push('}');
    }
    item.event = [{ listen: 'test', script: { type: 'text/javascript', exec } }];
  });

  for (const folder of collection.item) if (folder.item) folder.item = order(spec, folder.item);
  walk(collection.item, (item) => {
    delete item.id;
    for (const response of item.response ?? []) delete response.id;
  });

  const stableId = (what: string) => uuidFrom(`${spec.info.title} ${what}`);
  collection.info._postman_id = stableId('postman collection');
  collection.auth = { type: 'apikey', apikey: [{ key: 'key', value: 'x-api-key' }, { key: 'value', value: '{{apiKey}}' }, { key: 'in', value: 'header' }] };
  collection.variable = [
    { key: 'baseUrl', value: serverUrl, type: 'string' },
    { key: 'apiKey', value: '', type: 'string', description: 'Set it in the environment (a secret there); an API key such as sk_01…' },
    ...[...chained.values()].map((c) => ({ key: c.variable, value: '', type: 'string', description: `Set by ${c.create}.` })),
  ];
  if (originSuffix.value !== undefined) {
    collection.event = [
      {
        listen: 'prerequest',
        script: {
          type: 'text/javascript',
          exec: [
            `// {{origin}} is {{baseUrl}} without ${JSON.stringify(originSuffix.value)}: for the operations that live outside it (health).`,
            `var suffix = ${JSON.stringify(originSuffix.value)};`,
            "var baseUrl = String(pm.variables.get('baseUrl') || '').replace(/\\/+$/, '');",
            "pm.variables.set('origin', baseUrl.endsWith(suffix) ? baseUrl.slice(0, baseUrl.length - suffix.length) : baseUrl);",
          ],
        },
      },
    ];
  }

  const environment: Environment = {
    id: stableId('postman environment'),
    name: `${spec.info.title} (local)`,
    values: [
      { key: 'baseUrl', value: serverUrl, type: 'default', enabled: true },
      { key: 'apiKey', value: '', type: 'secret', enabled: true },
    ],
    _postman_variable_scope: 'environment',
  };
  return { collection, environment };
}

/** Two-space JSON with a final newline, as the files are committed. */
export function serialize(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export async function writePostman(): Promise<void> {
  const { collection, environment } = await buildPostman();
  mkdirSync(dirname(collectionPath), { recursive: true });
  writeFileSync(collectionPath, serialize(collection));
  writeFileSync(environmentPath, serialize(environment));
}

async function convertSpec(spec: Spec): Promise<Collection> {
  const input = { type: 'json' as const, data: spec };
  const valid = validate(input);
  if (!valid.result) throw new Error(`openapi-to-postmanv2 rejects the spec: ${valid.reason}`);
  // The converter reports what it could not convert only through console.warn; treat that as an error.
  const warnings: string[] = [];
  const { warn, error } = console;
  console.warn = console.error = (...args: unknown[]) => void warnings.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  const restoreSeed = seedFaker(0x7a11);
  try {
    const result = await new Promise<{ result: boolean; reason?: string; output?: { type: string; data: unknown }[] }>((resolve, reject) =>
      convertV2(
        input,
        {
          folderStrategy: 'Tags',
          requestNameSource: 'Fallback',
          parametersResolution: 'Example',
          // Optional query parameters are listed but unticked: a request as imported is the plain call.
          enableOptionalParameters: false,
          includeAuthInfoInExample: false,
          indentCharacter: 'Space',
        },
        (err: unknown, res: unknown) => (err ? reject(err) : resolve(res as never)),
      ),
    );
    if (!result.result) throw new Error(`openapi-to-postmanv2 failed: ${result.reason}`);
    if (warnings.length) throw new Error(`openapi-to-postmanv2 warned while converting:\n${warnings.join('\n')}`);
    const output = result.output?.find((o) => o.type === 'collection');
    if (!output) throw new Error('openapi-to-postmanv2 returned no collection');
    return output.data as Collection;
  } finally {
    console.warn = warn;
    console.error = error;
    restoreSeed();
  }
}

/**
 * The converter fakes values the spec has no example for with json-schema-faker, which draws from
 * Math.random and dates around `new Date()`. A seeded generator, and dates drawn from the year
 * before a fixed instant, make them the same on every run. Returns a function that undoes it.
 */
function seedFaker(seed: number): () => void {
  const require = createRequire(import.meta.url);
  // The converter's own copy (same file, so the same module instance as the one it requires).
  const jsf = require(join(dirname(require.resolve('openapi-to-postmanv2/package.json')), 'assets/json-schema-faker.js')) as {
    option(options: Record<string, unknown>): void;
    format(): Record<string, (() => string) | undefined>;
  };
  let state = seed >>> 0;
  const random = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const fixedNow = Date.UTC(2025, 0, 1);
  const dateTime = () => new Date(fixedNow - Math.floor(random() * 365 * 86_400) * 1000).toISOString().replace('.000Z', 'Z');
  const dates: Record<string, () => string> = {
    'date-time': dateTime,
    datetime: dateTime,
    date: () => dateTime().slice(0, 10),
    time: () => dateTime().slice(11),
  };
  const formats = jsf.format();
  const before = Object.fromEntries(Object.keys(dates).map((name) => [name, formats[name]]));
  const original = Math.random;
  Math.random = random;
  jsf.option({ random });
  Object.assign(formats, dates);
  return () => {
    Math.random = original;
    jsf.option({ random: original });
    for (const [name, fn] of Object.entries(before)) {
      if (fn) formats[name] = fn;
      else delete formats[name];
    }
  };
}

function walk(items: Item[], visit: (item: Item) => void): void {
  for (const item of items) {
    visit(item);
    if (item.item) walk(item.item, visit);
  }
}

function locate(spec: Spec, request: Request): Located {
  const path = '/' + request.url.path.map((s) => (s.startsWith(':') ? `{${s.slice(1)}}` : s)).join('/');
  const method = request.method.toLowerCase();
  const op = spec.paths[path]?.[method as (typeof methods)[number]];
  if (!op) throw new Error(`the converter made a request ${request.method} ${path} that the spec does not have`);
  return { path, method, op };
}

function successCode(op: Operation): number {
  const codes = Object.keys(op.responses).filter((c) => /^2\d\d$/.test(c)).map(Number).sort((a, b) => a - b);
  if (!codes.length) throw new Error(`${op.operationId} documents no 2xx response`);
  return codes[0];
}

/**
 * The variable for path parameter `param` of `path`: named after the resource whose create
 * operation (`POST` on the nearest enclosing collection path, operationId `create…`) returns it,
 * e.g. `/customers/external/{external_id}` → `customerExternalId`, set from createCustomer's `external_id`.
 * None when no create operation encloses the path: the parameter keeps the converter's value
 * (the spec's example).
 */
function chain(spec: Spec, path: string, param: string, chained: Map<string, Chained>): string | undefined {
  const segments = path.split('/').filter(Boolean);
  const at = segments.indexOf(`{${param}}`);
  for (let end = at; end > 0; end--) {
    const create = spec.paths['/' + segments.slice(0, end).join('/')]?.post;
    if (!create?.operationId.startsWith('create')) continue;
    const resource = create.operationId.slice('create'.length);
    const variable = lowerFirst(resource) + param.split('_').map(upperFirst).join('');
    if (!chained.has(variable)) chained.set(variable, { variable, create: create.operationId, field: fieldOf(spec, create, param, resource) });
    return variable;
  }
  return undefined;
}

/**
 * Where the create's success body carries `name`: at the top, or one object level down (`secret.id`);
 * a path's `{code}` may be the body's `<resource>_code` (`/coupons/code/{code}` ← `coupon_code`).
 */
function fieldOf(spec: Spec, create: Operation, name: string, resource: string): string[] {
  const response = deref(spec, create.responses[String(successCode(create))]);
  const schema = deref(spec, response.content?.['application/json']?.schema);
  const properties = propertiesOf(spec, schema);
  const prefixed = `${resource.replace(/[A-Z]/g, (c, i) => (i ? '_' : '') + c.toLowerCase())}_${name}`;
  for (const field of [name, prefixed]) if (field in properties) return [field];
  for (const [prop, sub] of Object.entries(properties)) if (name in propertiesOf(spec, deref(spec, sub))) return [prop, name];
  throw new Error(`${create.operationId} returns no ${name} (nor ${prefixed})`);
}

function propertiesOf(spec: Spec, schema: Schema | undefined): Record<string, Schema> {
  if (!schema) return {};
  return Object.assign({}, ...(schema.allOf ?? []).map((s) => propertiesOf(spec, deref(spec, s))), schema.properties ?? {});
}

function deref<T extends { $ref?: string }>(spec: Spec, value: T | undefined): T {
  let current: unknown = value;
  while (current && typeof current === 'object' && '$ref' in current && typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (!ref.startsWith('#/')) throw new Error(`external $ref ${ref} in the bundled spec`);
    current = ref.slice(2).split('/').reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
  }
  return (current ?? {}) as T;
}

/** Creates first (they set the ids the rest use), deletes last (the collection cleans up), else the spec's order. */
function order(spec: Spec, items: Item[]): Item[] {
  const rank = (item: Item) => {
    if (!item.request) return 1;
    const { method, op } = locate(spec, item.request);
    return method === 'post' && op.operationId.startsWith('create') ? 0 : method === 'delete' ? 2 : 1;
  };
  return items.map((item, i) => ({ item, i, r: rank(item) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.item);
}

function fromOrigin(url: Url): void {
  delete url.protocol;
  delete url.port;
  url.host = ['{{origin}}'];
}

/** A UUID (v5 layout) from a name, so the collection keeps one identity across regenerations. */
function uuidFrom(name: string): string {
  const h = createHash('sha1').update(name).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

if (import.meta.main) {
  await writePostman();
  console.log(`wrote ${collectionPath}\nwrote ${environmentPath}`);
}
