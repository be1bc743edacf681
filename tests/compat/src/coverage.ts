import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { notImplementedRoutes } from '../../../services/api/src/http/not-implemented.ts';
import { pythonOperations, typescriptOperations, typescriptSdk, type SdkHelper, type SdkOperation } from './sdk-operations.ts';
import { repoRoot } from './tally-server.ts';

/**
 * docs/flexprice-sdk-coverage.md: every operation of FlexPrice's two SDKs (read from the installed
 * packages) against Tally — covered by a named test of this suite, not implemented yet, or not
 * applicable. `npm run coverage-table -w @tally/compat` (and the root `npm run generate`) writes it;
 * test/coverage.test.ts fails when an operation Tally serves has no test, or the file is stale.
 */

export type Status = 'covered' | 'untested' | 'not-implemented' | 'not-a-flexprice-route' | 'not-applicable';

export type Row = SdkOperation & { status: Status; tests: string[]; note?: string };

const workspace = join(repoRoot, 'tests', 'compat');
export const tablePath = join(repoRoot, 'docs', 'flexprice-sdk-coverage.md');

/** Why an operation behaves as it does against Tally, where the SDK or FlexPrice is odd. Keyed `<sdk>:<operation>`. */
const notes: Record<string, string> = {
  'python:subscriptions.execute_subscription_modify':
    'Tally supports `type` `quantity_change`, `trial_end`, `coupon`, `tax` and `addon`; `inheritance` / `grouped_invoicing` are refused with 400 naming `type` (Tally has no customer hierarchies). See docs/api/subscriptions.md#modifications.',
  'python:subscriptions.preview_subscription_modify':
    'Tally supports `type` `quantity_change`, `trial_end`, `coupon`, `tax` and `addon`; `inheritance` / `grouped_invoicing` are refused with 400 naming `type` (Tally has no customer hierarchies). See docs/api/subscriptions.md#modifications.',
  'typescript:events.getEvent':
    'Calls FlexPrice’s legacy path `GET /events/{id}`, which Tally serves like `/events/lookup?id=`; an id containing `/` must be sent as `%2F` (the SDK does), and proxies may not pass it.',
  'typescript:events.ingestEventsBulk':
    'The SDK types the answer as a map of strings: Tally answers FlexPrice’s `{"message": …}`; Tally’s `event_ids` come only with `?return_event_ids=true`, which the SDK cannot send.',
  'python:events.ingest_events_bulk':
    'The SDK refuses any answer that is not a map of strings: Tally answers FlexPrice’s `{"message": …}`; Tally’s `event_ids` come only with `?return_event_ids=true`, which the SDK cannot send.',
  'python:events.get_event':
    'The SDK requires `external_customer_id` and offers `start_time`/`end_time`; Tally, like FlexPrice’s server of the reference, finds the event by `id` alone and ignores them.',
  'typescript:entitlements.getPlanEntitlements':
    'The SDK types the answer as a plan (as FlexPrice’s spec does); FlexPrice’s server and Tally send `{items, pagination}`, which the SDK reduces to `{}`. The test checks the body as sent. An SDK bug, not Tally’s.',
  'typescript:prices.createPrice':
    'The SDK requires `billing_cadence` and names the trial `trial_period`; FlexPrice’s server reads neither (it reads `trial_period_days`), and Tally ignores both likewise. Use `trial_period_days` through another client.',
  'typescript:prices.createPricesBulk': 'Same request fields as `prices.createPrice` (`billing_cadence` and `trial_period` are ignored).',
  'typescript:addons.createAddon': 'The SDK requires `type` (`onetime`/`multiple_instance`), which FlexPrice’s server no longer reads; Tally ignores it too.',
  'typescript:taxRates.getTaxRates':
    'The SDK expects a bare array; FlexPrice’s server and spec, like Tally, send `{items, pagination}`, which the SDK refuses to parse. The test checks the body as sent. An SDK bug, not Tally’s.',
  'python:tax_rates.create_tax_rate': 'The SDK cannot send `fixed_value` (nor read it back): it makes percentage rates only. Use another client for fixed rates.',
  'typescript:taxAssociations.createTaxAssociation': 'Answers 200, not 201, as FlexPrice’s server does and both SDKs expect.',
  'python:tax_associations.create_tax_association': 'Answers 200, not 201, as FlexPrice’s server does and both SDKs expect. `tax_behavior` is newer than FlexPrice’s server of the reference and is ignored.',
  'typescript:taxAssociations.deleteTaxAssociation': 'Answers the archived association, as the SDK expects (FlexPrice’s server sends an empty body, which the SDK cannot parse).',
  'python:tax_associations.delete_tax_association': 'Answers the archived association, as the SDK expects (FlexPrice’s server sends an empty body, which the SDK cannot parse).',
  'python:subscriptions.pause_subscription':
    'The SDK is newer than FlexPrice’s server of the reference: it sends no `pause_mode` (Tally pauses at once) and expects `{pause, subscription}`; Tally answers the pause itself (the shape the TypeScript SDK reads), so the SDK’s two fields come back empty — read the subscription or `GET …/pauses`.',
  'python:subscriptions.resume_subscription':
    'As `pause_subscription`: no `resume_mode` (Tally resumes at once) and `{pause, subscription}` expected; Tally answers the pause, so the SDK’s fields come back empty.',
  'typescript:subscriptions.getSubscriptionAddonAssociations':
    'The SDK expects a bare array (as FlexPrice’s spec says); FlexPrice’s server, its Python SDK and Tally use `{items, pagination}`, which this SDK refuses to parse. The test checks the body as sent. An SDK bug, not Tally’s.',
  'typescript:subscriptions.addSubscriptionAddon': 'The SDK cannot send `cadence` or `proration_behavior` (recurring, no proration); the Python SDK can.',
  'typescript:subscriptions.listSubscriptionPauses': 'The SDK types each item as a list response; Tally, as FlexPrice’s server did, answers an array of pauses, which the SDK reduces to empty objects. The test checks the body as sent.',
};

const notApplicable = (op: SdkOperation): string | undefined =>
  op.path.startsWith('/webhook-events/')
    ? 'Documents the payload of a webhook FlexPrice sends; not an endpoint of the API.'
    : op.path.startsWith('/v1/')
      ? 'The SDK writes `/v1` twice (the server URL already ends in `/v1`): FlexPrice’s server has no such route either.'
      : undefined;

const template = (path: string) => path.replace(/\{[^}]+\}/g, '{}');
const routeKey = (method: string, path: string) => `${method.toUpperCase()} ${template(path)}`;

/** Tally's operations, from the bundled spec (its paths are relative to the server URL, `/v1`). */
function tallyRoutes(): Set<string> {
  const spec = JSON.parse(readFileSync(join(repoRoot, 'spec', 'dist', 'openapi.json'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  return new Set(Object.entries(spec.paths).flatMap(([path, item]) => Object.keys(item).map((method) => routeKey(method, `/v1${path}`))));
}

/**
 * The route of Tally's 501 table that answers this request, as its router picks it: literal segments
 * before parameters (`/tasks/result` is `/tasks/{id}` there, as in FlexPrice's router).
 */
function pendingRoute(method: string, path: string): string | undefined {
  const concrete = path.replace(/\{[^}]+\}/g, 'x_01');
  const matches = notImplementedRoutes.filter(
    (r) => r.method === method.toUpperCase() && new RegExp(`^${r.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(concrete),
  );
  return matches.sort((a, b) => a.path.split('{').length - b.path.split('{').length)[0]?.path;
}

/** What each test says it covers: `sdkTest('<title>', [<operations>]` (TypeScript) and `@covers(<operations>)` (Python). */
export function declaredCoverage(): Map<string, string[]> {
  const byOperation = new Map<string, string[]>();
  const add = (sdk: SdkOperation['sdk'], operations: string, test: string) => {
    for (const [, op] of operations.matchAll(/['"]([\w.]+)['"]/g)) byOperation.set(`${sdk}:${op}`, [...(byOperation.get(`${sdk}:${op}`) ?? []), test]);
  };
  for (const file of readdirSync(join(workspace, 'test')).filter((f) => f.endsWith('.test.ts')).sort()) {
    const source = readFileSync(join(workspace, 'test', file), 'utf8');
    for (const [, , title, operations] of source.matchAll(/sdkTest\(\s*(['"])(.*?)\1,\s*\[([^\]]*)\]/gs)) add('typescript', operations, `\`test/${file}\` › ${title}`);
  }
  for (const file of readdirSync(join(workspace, 'python')).filter((f) => /^test_.*\.py$/.test(f)).sort()) {
    const source = readFileSync(join(workspace, 'python', file), 'utf8');
    for (const [, operations, name] of source.matchAll(/@covers\(([^)]*)\)\s*\ndef (test_\w+)/g)) add('python', operations, `\`python/${file}::${name}\``);
  }
  return byOperation;
}

export function coverage(): { rows: Row[]; helpers: SdkHelper[]; versions: { typescript: string; python: string }; declared: Map<string, string[]> } {
  const implemented = tallyRoutes();
  const declared = declaredCoverage();
  const ts = typescriptOperations();
  const py = pythonOperations();
  const rows = [...ts.operations, ...py.operations].map((op): Row => {
    const tests = declared.get(`${op.sdk}:${op.operation}`) ?? [];
    const key = routeKey(op.method, `/v1${op.path}`);
    const na = notApplicable(op);
    const answeredAs = implemented.has(key) ? undefined : pendingRoute(op.method, `/v1${op.path}`);
    const status: Status = implemented.has(key)
      ? tests.length
        ? 'covered'
        : 'untested'
      : answeredAs
        ? 'not-implemented'
        : na
          ? 'not-applicable'
          : 'not-a-flexprice-route';
    const note =
      notes[`${op.sdk}:${op.operation}`] ??
      (status === 'not-applicable' ? na : answeredAs && template(answeredAs) !== template(`/v1${op.path}`) ? `Read as \`${op.method} ${answeredAs}\`, as FlexPrice’s router reads it.` : undefined);
    return { ...op, status, tests, note };
  });
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  rows.sort((a, b) => byName(b.sdk, a.sdk) || byName(a.operation, b.operation));
  return { rows, helpers: ts.helpers, versions: { typescript: typescriptSdk().version, python: py.version }, declared };
}

const label: Record<Status, string> = {
  covered: '✅ covered',
  untested: '❌ implemented, no test',
  'not-implemented': '⏳ not implemented yet (501)',
  'not-a-flexprice-route': '⏳ not implemented yet (404)',
  'not-applicable': '➖ not applicable',
};

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderTable(): string {
  const { rows, helpers, versions } = coverage();
  const zod = (JSON.parse(readFileSync(join(workspace, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.zod;
  const count = (sdk: string, status: Status) => rows.filter((r) => r.sdk === sdk && r.status === status).length;
  const lines = [
    '<!-- Generated by tests/compat/src/coverage.ts (npm run coverage-table -w @tally/compat, or npm run generate). Do not edit. -->',
    '',
    '# FlexPrice SDK coverage',
    '',
    `Every operation of FlexPrice's published SDKs — TypeScript \`@flexprice/sdk\` ${versions.typescript} (with \`zod\` ${zod}) and`,
    `Python \`flexprice\` ${versions.python} — against Tally. The operations are read from the installed packages;`,
    'a ✅ row names the test of `tests/compat` that drives a live Tally through it and checks the values it returns.',
    '',
    '- ✅ **covered**: Tally implements the route and the named test passes through the SDK.',
    '- ⏳ **not implemented yet (501)**: a FlexPrice route Tally does not serve yet; it answers 501 `not_implemented`.',
    '- ⏳ **not implemented yet (404)**: the SDK calls a path that is not in FlexPrice’s router of the reference snapshot',
    '  (renamed, removed, or newer than it); Tally answers 404 (405 where Tally serves that path with another method).',
    '- ➖ **not applicable**: not a call of the API (the reason is given).',
    '',
    '| SDK | ✅ covered | ❌ implemented, no test | ⏳ 501 | ⏳ 404 | ➖ n/a | total |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...(['typescript', 'python'] as const).map(
      (sdk) =>
        `| ${sdk === 'typescript' ? 'TypeScript' : 'Python'} | ${count(sdk, 'covered')} | ${count(sdk, 'untested')} | ${count(sdk, 'not-implemented')} | ${count(sdk, 'not-a-flexprice-route')} | ${count(sdk, 'not-applicable')} | ${rows.filter((r) => r.sdk === sdk).length} |`,
    ),
  ];
  for (const sdk of ['typescript', 'python'] as const) {
    lines.push('', `## ${sdk === 'typescript' ? 'TypeScript (`@flexprice/sdk`)' : 'Python (`flexprice`)'}`, '');
    lines.push('| Operation | Request | Tally | Test, or notes |', '| --- | --- | --- | --- |');
    for (const row of rows.filter((r) => r.sdk === sdk)) {
      const detail = [...row.tests, ...(row.note ? [row.note] : [])].join('<br>');
      lines.push(`| \`${row.operation}\` | \`${row.method} ${cell(row.path)}\` | ${label[row.status]} | ${cell(detail)} |`);
    }
    if (sdk === 'typescript' && helpers.length) {
      lines.push('', 'Helpers of the TypeScript package that send no request of their own (➖ not applicable):', '');
      for (const h of helpers) lines.push(`- \`${h.helper}\` combines ${h.calls.map((c) => `\`${c}\``).join(', ')}.`);
    }
  }
  return `${lines.join('\n')}\n`;
}

if (import.meta.main) {
  writeFileSync(tablePath, renderTable());
  console.log(`wrote ${tablePath}`);
}
