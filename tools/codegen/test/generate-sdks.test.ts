import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { generatorVersion } from '../src/sdk-generator.ts';
import { sdkTargets } from '../src/sdk-targets.ts';

const script = join(dirname(fileURLToPath(import.meta.url)), '../src/generate-sdks.ts');
const target = (name: string) => sdkTargets.find((t) => t.name === name)!;

describe('SDK targets', () => {
  it('keep the sources of each core and drop docs, tests and build files', () => {
    const ts = target('typescript');
    expect(['runtime.ts', 'index.ts', 'apis/CustomersApi.ts', 'models/Pagination.ts'].map(ts.place)).toEqual(['runtime.ts', 'index.ts', 'apis/CustomersApi.ts', 'models/Pagination.ts']);
    expect(['docs/Pagination.md', '.openapi-generator/FILES', 'package.json', 'README.md'].map(ts.place)).toEqual([undefined, undefined, undefined, undefined]);

    const py = target('python');
    expect(py.place('tally_sdk/_generated/api/customers_api.py')).toBe('api/customers_api.py');
    expect(py.place('tally_sdk/_generated/__init__.py')).toBe('__init__.py');
    expect(['tally_sdk/__init__.py', 'tally_sdk/_generated/test/test_pagination.py', 'tally_sdk/_generated/docs/Pagination.md', 'tally_sdk/_generated_README.md'].map(py.place)).toEqual([undefined, undefined, undefined, undefined]);

    const go = target('go');
    expect(go.place('api_customers.go')).toBe('api_customers.go');
    expect(['test/api_customers_test.go', 'api/openapi.yaml', 'git_push.sh', '.travis.yml', 'README.md'].map(go.place)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('mark every kept file DO NOT EDIT, the Go way for Go', () => {
    expect(target('typescript').header('7.25.0')).toMatch(/^\/\/ DO NOT EDIT\. .*openapi-generator 7\.25\.0/);
    expect(target('python').header('7.25.0')).toMatch(/^# DO NOT EDIT\. /);
    expect(target('go').header('7.25.0').split('\n')[0]).toMatch(/^\/\/ Code generated .* DO NOT EDIT\.$/);
  });

  it('pin one generator version, in the POM', () => {
    expect(generatorVersion()).toMatch(/^7\.\d+\.\d+$/);
  });
});

describe('generate-sdks without Java', () => {
  const run = (env: Record<string, string>) => {
    const emptyPath = mkdtempSync(join(tmpdir(), 'no-java-'));
    onTestFinished(() => rmSync(emptyPath, { recursive: true, force: true }));
    return spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...env, PATH: emptyPath } });
  };

  it('says in one line that it skipped, and succeeds', () => {
    const result = run({});
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe('SDK generation skipped: java is not on PATH (openapi-generator needs Java 11 or newer); committed SDKs are used as they are');
  });

  it('fails when TALLY_REQUIRE_SDK_GEN=1', () => {
    const result = run({ TALLY_REQUIRE_SDK_GEN: '1' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('SDK generation failed: java is not on PATH');
  });
});
