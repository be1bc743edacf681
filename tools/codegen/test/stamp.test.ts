import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { bundledSpec, contractGenerated, postmanCollection, postmanEnvironment, repoRoot } from '../src/paths.ts';
import { sdkTargets } from '../src/sdk-targets.ts';
import { digest, inputPaths, outputPaths, stampPath } from '../src/stamp.ts';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'tally-stamp-'));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

const of = (root: string, paths = ['a', 'b.txt']) => digest(paths.map((p) => join(root, p)), { root });

describe('codegen stamp digest', () => {
  const files = { 'a/one.yaml': 'x: 1\n', 'a/sub/two.yaml': 'y: 2\n', 'b.txt': 'b\n' };

  it('depends on paths and contents only: the same files elsewhere, CRLF line endings and caches give the same digest', () => {
    const base = of(tree(files));
    expect(base).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(of(tree(files))).toBe(base);
    expect(of(tree({ ...files, 'a/one.yaml': 'x: 1\r\n' }))).toBe(base);
    expect(of(tree({ ...files, 'a/__pycache__/one.cpython-311.pyc': 'bytecode', 'a/.DS_Store': '', 'a/node_modules/m/index.js': '' }))).toBe(base);
  });

  it('changes with any content, name or file added or removed', () => {
    const base = of(tree(files));
    expect(of(tree({ ...files, 'a/one.yaml': 'x: 2\n' }))).not.toBe(base);
    const { 'a/sub/two.yaml': two, ...rest } = files;
    expect(of(tree({ ...rest, 'a/sub/three.yaml': two }))).not.toBe(base);
    expect(of(tree(rest))).not.toBe(base);
    expect(of(tree({ ...files, 'a/new.yaml': '' }))).not.toBe(base);
  });

  it('leaves out what it is told to', () => {
    const root = tree({ ...files, 'a/dist/bundle.json': '{}' });
    expect(digest([join(root, 'a'), join(root, 'b.txt')], { root, exclude: [join(root, 'a/dist')] })).toBe(of(tree(files)));
  });
});

describe('what the stamp covers', () => {
  const rel = (p: string) => relative(repoRoot, p);

  it('every generated folder and file, and every generator input', () => {
    expect(outputPaths.map(rel).sort()).toEqual(
      [bundledSpec, contractGenerated, ...sdkTargets.map((t) => t.outputDir), postmanCollection, postmanEnvironment].map(rel).sort(),
    );
    expect(inputPaths.map(rel)).toEqual(['spec', 'redocly.yaml', 'tools/codegen/package.json', 'tools/codegen/src', 'tools/codegen/sdk/pom.xml']);
    expect(rel(stampPath)).toBe('spec/dist/codegen-stamp.json');
  });

  it("matches turbo.json's generate task: its outputs hold every generated path, its inputs every generator input", () => {
    const task = JSON.parse(readFileSync(join(repoRoot, 'turbo.json'), 'utf8')).tasks.generate as { inputs: string[]; outputs: string[] };
    const covered = (globs: string[], path: string) =>
      globs.some((glob) => {
        const fromRoot = glob.replace(/^\$TURBO_ROOT\$\//, '');
        const prefix = fromRoot.replace(/\/?\*.*$/, '');
        return fromRoot === path || (fromRoot.includes('*') && (path === prefix || path.startsWith(`${prefix}/`)));
      });
    for (const path of [...outputPaths, stampPath].map(rel)) expect(covered(task.outputs, path), `turbo.json generate.outputs misses ${path}`).toBe(true);
    // The codegen package's own files come in through $TURBO_DEFAULT$.
    expect(task.inputs).toContain('$TURBO_DEFAULT$');
    for (const path of inputPaths.map(rel).filter((p) => !p.startsWith('tools/codegen/'))) {
      expect(covered(task.inputs, path), `turbo.json generate.inputs misses ${path}`).toBe(true);
    }
    const turbo = JSON.parse(readFileSync(join(repoRoot, 'turbo.json'), 'utf8')).tasks;
    expect(turbo.test.dependsOn).toContain('@tally/codegen#generate');
    expect(turbo.typecheck.dependsOn).toContain('@tally/codegen#generate');
  });
});
