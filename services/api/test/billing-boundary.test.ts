import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Architecture: src/billing is the pure domain. Its code may import only src/billing itself, the
 * decimal core (decimal.js) and luxon — no ORM, no `pg`, no HTTP, no contract types, no AppError:
 * domain errors are plain and mapped to HTTP at the edge. Its tests may also use vitest and
 * fast-check. And it reads no clock: every instant is an argument.
 */
const billing = resolve(dirname(fileURLToPath(import.meta.url)), '../src/billing');
const packages = ['decimal.js', 'luxon'];
const testPackages = ['vitest', 'fast-check'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every import of `source` (file at `path`) that billing may not make, and every clock read. */
function boundaryViolations(path: string, source: string): string[] {
  const isTest = path.endsWith('.test.ts');
  const allowed = isTest ? [...packages, ...testPackages] : packages;
  const violations = ts
    .preProcessFile(source, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((specifier) => {
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(path), specifier);
        return target !== billing && !target.startsWith(billing + sep);
      }
      return !allowed.includes(specifier);
    })
    .map((specifier) => `imports '${specifier}'`);
  if (!isTest && /\bDate\.now\s*\(|new\s+Date\s*\(\s*\)/.test(source)) violations.push('reads the clock (Date.now() or new Date())');
  return violations;
}

describe('src/billing is pure', () => {
  const files = filesUnder(billing);

  it('has code to check', () => {
    expect(files.filter((f) => !f.endsWith('.test.ts')).length).toBeGreaterThan(30);
  });

  it('imports only src/billing, decimal.js and luxon (tests also vitest and fast-check), and reads no clock', () => {
    const found = files.flatMap((file) => boundaryViolations(file, readFileSync(file, 'utf8')).map((v) => `${relative(billing, file)} ${v}`));
    expect(found).toEqual([]);
  });

  it('would catch an ORM, HTTP or contract import, AppError, a path out of billing, and a clock read', () => {
    const file = join(billing, 'pricing', 'example.ts');
    const source = [
      "import { AppError } from '../../errors/app-error.ts';",
      "import type { components } from '@tally/contract';",
      "import { EntityManager } from '@mikro-orm/core';",
      "import pg from 'pg';",
      "export { thing } from '../../modules/prices/price.entity.ts';",
      "const later = await import('koa');",
      "import { ExactDecimal } from '../money/index.ts';",
      "import { DateTime } from 'luxon';",
      'const now = Date.now();',
    ].join('\n');
    expect(boundaryViolations(file, source)).toEqual([
      "imports '../../errors/app-error.ts'",
      "imports '@tally/contract'",
      "imports '@mikro-orm/core'",
      "imports 'pg'",
      "imports '../../modules/prices/price.entity.ts'",
      "imports 'koa'",
      'reads the clock (Date.now() or new Date())',
    ]);
    expect(boundaryViolations(join(billing, 'pricing', 'example.test.ts'), "import fc from 'fast-check';\nimport { it } from 'vitest';")).toEqual([]);
    expect(boundaryViolations(file, "import fc from 'fast-check';")).toEqual(["imports 'fast-check'"]);
  });
});
