import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { coverage, renderTable, tablePath, type Row } from '../src/coverage.ts';
import { apiKey, baseUrl } from '../src/sdk-test.ts';

let rows: Row[];
let declared: Map<string, string[]>;

beforeAll(() => {
  ({ rows, declared } = coverage());
});

describe('docs/flexprice-sdk-coverage.md', () => {
  it('lists both SDKs’ operations, and a test for every one Tally implements', () => {
    expect(rows.filter((r) => r.sdk === 'typescript').length).toBeGreaterThan(150);
    expect(rows.filter((r) => r.sdk === 'python').length).toBeGreaterThan(250);
    expect(rows.filter((r) => r.status === 'untested').map((r) => `${r.sdk}:${r.operation}`)).toEqual([]);
    expect(rows.filter((r) => r.status === 'covered').length).toBeGreaterThanOrEqual(120);
  });

  it('names only operations the SDKs have', () => {
    const known = new Set(rows.map((r) => `${r.sdk}:${r.operation}`));
    expect([...declared.keys()].filter((op) => !known.has(op))).toEqual([]);
  });

  it('is up to date (npm run coverage-table -w @tally/compat)', () => {
    expect(readFileSync(tablePath, 'utf8')).toBe(renderTable());
  });

  it('tells the truth about what Tally answers for the operations it does not implement', async () => {
    const wrong: string[] = [];
    for (const row of rows.filter((r) => r.status === 'not-implemented' || r.status === 'not-a-flexprice-route')) {
      const url = `${baseUrl}${row.path.replace(/\{[^}]+\}/g, 'x_01')}`;
      const res = await fetch(url, { method: row.method, headers: { 'x-api-key': apiKey, 'content-type': 'application/json' }, body: row.method === 'GET' ? undefined : '{}' });
      const body = (await res.json()) as { code?: string };
      // A path FlexPrice does not route is Tally's 404, or its 405 when Tally serves that path with another method.
      const expected: Array<[number, string]> =
        row.status === 'not-implemented' ? [[501, 'not_implemented']] : [[404, 'not_found'], [405, 'invalid_operation']];
      if (!expected.some(([status, code]) => res.status === status && body.code === code)) {
        wrong.push(`${row.sdk}:${row.operation} ${row.method} ${row.path} → ${res.status} ${body.code}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('the pinned zod', () => {
  it('is the one FlexPrice’s SDK loads (zod 4.4 and later reject responses that omit optional keys)', () => {
    const sdkRequire = createRequire(createRequire(import.meta.url).resolve('@flexprice/sdk/package.json'));
    const pinned = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { devDependencies: { zod: string } }).devDependencies.zod;
    expect((sdkRequire('zod/package.json') as { version: string }).version).toBe(pinned);
    expect(pinned).toMatch(/^4\.[0-3]\.\d+$/);
  });
});
