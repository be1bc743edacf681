import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerRules } from './layer-rules.ts';

// The layering of docs/development/layers.md, enforced: the import graph of services/api/src is
// read by dependency-cruiser and every rule below must hold with no exception.
const apiRoot = fileURLToPath(new URL('../..', import.meta.url));

let result: ICruiseResult;
beforeAll(async () => {
  const previous = process.cwd();
  process.chdir(apiRoot);
  try {
    const out = await cruise(
      ['src'],
      {
        validate: true,
        ruleSet: { forbidden: layerRules },
        tsPreCompilationDeps: true,
        exclude: { path: ['\\.test\\.ts$', '\\.test-helper\\.ts$', '/generated/'] },
        doNotFollow: { path: ['node_modules'] },
        moduleSystems: ['es6'],
      },
      { extensions: ['.ts', '.js', '.mjs'] },
      { tsConfig: { fileName: 'tsconfig.json' } },
    );
    result = out.output as ICruiseResult;
  } finally {
    process.chdir(previous);
  }
}, 120_000);

const violationsOf = (rule: string) =>
  result.summary.violations.filter((v) => v.rule.name === rule).map((v) => (v.cycle?.length ? v.cycle.map((c) => c.name).join(' → ') : `${v.from} → ${v.to}`));

describe('the layers of services/api/src', () => {
  it('reads the whole source tree', () => {
    expect(result.summary.totalCruised).toBeGreaterThan(100);
  });

  it.each(layerRules.map((r) => [r.name!, r.comment!]))('%s: %s', (rule) => {
    expect(violationsOf(rule)).toEqual([]);
  });
});

/** Every .ts file under `dir` (tests excluded), relative to services/api. */
function sourcesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(apiRoot, dir), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    out.push(relative(apiRoot, join(entry.parentPath, entry.name)));
  }
  return out;
}

describe('time comes from the injected clock', () => {
  it('no use case, billing rule or background job reads the wall clock (Date.now(), new Date() without an argument)', () => {
    const files = [
      ...sourcesUnder('src/billing'),
      ...sourcesUnder('src/modules').filter((f) => /\.(service|repo|reader)\.ts$/.test(f)),
      ...sourcesUnder('src/jobs'),
    ];
    const offenders = files.flatMap((file) =>
      readFileSync(join(apiRoot, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (/Date\.now\(\)|new Date\(\)/.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(files.length).toBeGreaterThan(20);
    expect(offenders).toEqual([]);
  });
});
