/**
 * What the committed generated code was made from: a digest of every generator input (spec/,
 * redocly.yaml, tools/codegen's sources, package.json and POM) and one of every generated file,
 * written to spec/dist/codegen-stamp.json by a generation that produced everything.
 *
 * While both digests still match, the generated code is current and `generate` (the task turbo runs
 * before `test` and `typecheck`) has nothing to do: a fresh clone runs no Java for `npm test`.
 * `npm run generate` regenerates regardless, and CI's drift check compares its result with git.
 *
 * Digests are over file contents (line endings normalised to LF) and repository-relative paths,
 * never timestamps, so a checkout anywhere gives the same ones.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { bundledSpec, contractGenerated, postmanCollection, postmanEnvironment, repoRoot } from './paths.ts';
import { sdkTargets } from './sdk-targets.ts';

export const stampPath = join(repoRoot, 'spec/dist/codegen-stamp.json');

/** Files and folders the generated code depends on. */
export const inputPaths = ['spec', 'redocly.yaml', 'tools/codegen/package.json', 'tools/codegen/src', 'tools/codegen/sdk/pom.xml'].map((p) => join(repoRoot, p));

/** Files and folders the generators write (the stamp itself excluded). */
export const outputPaths = [bundledSpec, contractGenerated, ...sdkTargets.map((t) => t.outputDir), postmanCollection, postmanEnvironment];

/** Never part of a digest: the generated bundle inside spec/ (an output), caches that tests leave next to sources. */
const notInputs = [join(repoRoot, 'spec/dist')];
const skipName = (name: string) => name.startsWith('.') || name === 'node_modules' || name === '__pycache__' || name.endsWith('.pyc');

export type Stamp = { inputs: string; outputs: string };

function files(path: string, out: string[], excluded: Set<string>): void {
  if (excluded.has(path) || !existsSync(path)) return;
  if (!statSync(path).isDirectory()) {
    out.push(path);
    return;
  }
  for (const name of readdirSync(path)) if (!skipName(name)) files(join(path, name), out, excluded);
}

/**
 * sha256 over the sorted lines `<path relative to root> <sha256 of the content>` of every file under
 * `paths` (minus `exclude`); a missing path contributes nothing.
 */
export function digest(paths: string[], { root = repoRoot, exclude = [] as string[] } = {}): string {
  const list: string[] = [];
  for (const path of paths) files(path, list, new Set([...exclude, stampPath]));
  const lines = list
    .map((full) => ({ full, rel: relative(root, full).split('\\').join('/') }))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))
    .map(({ full, rel }) => `${rel} ${createHash('sha256').update(readFileSync(full, 'utf8').replace(/\r\n/g, '\n')).digest('hex')}`);
  return `sha256:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
}

export function currentStamp(): Stamp {
  return { inputs: digest(inputPaths, { exclude: notInputs }), outputs: digest(outputPaths) };
}

export function readStamp(): Stamp | undefined {
  try {
    const { inputs, outputs } = JSON.parse(readFileSync(stampPath, 'utf8')) as Partial<Stamp>;
    return typeof inputs === 'string' && typeof outputs === 'string' ? { inputs, outputs } : undefined;
  } catch {
    return undefined;
  }
}

export function writeStamp(stamp: Stamp): void {
  const about =
    'Written by `npm run generate` (tools/codegen/src/stamp.ts): digests of the generator inputs and of the generated files. ' +
    'While both match, the `generate` task that turbo runs before `test` and `typecheck` has nothing to do. Never edit by hand.';
  writeFileSync(stampPath, `${JSON.stringify({ about, ...stamp }, null, 2)}\n`);
}
