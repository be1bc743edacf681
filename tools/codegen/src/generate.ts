import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { bundleSpec } from './bundle.ts';
import { emitHandlers, emitOperationTable } from './emit-table.ts';
import { emitTypes } from './emit-types.ts';
import { emitValidators } from './emit-validators.ts';
import { collectOperations } from './operations.ts';
import { contractGenerated, repoRoot } from './paths.ts';

function listFiles(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    out = statSync(full).isDirectory() ? out.concat(listFiles(full)) : out.concat(full);
  }
  return out;
}

/** Writes the generated files and removes any file in the generated folder that is no longer produced. */
function writeGenerated(root: string, files: Record<string, string>): void {
  mkdirSync(root, { recursive: true });
  const manifest = Object.keys(files).sort();
  for (const name of manifest) {
    const full = join(root, name);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, files[name]);
  }
  writeFileSync(join(root, 'manifest.json'), `${JSON.stringify({ files: manifest }, null, 2)}\n`);
  for (const full of listFiles(root)) {
    const rel = relative(root, full);
    if (rel !== 'manifest.json' && !manifest.includes(rel)) {
      rmSync(full);
      console.log(`removed orphaned generated file ${relative(repoRoot, full)}`);
    }
  }
}

/** spec/ → spec/dist/openapi.json → packages/contract/src/generated (types, operation table, Handlers, validators). */
export async function generateContract(): Promise<void> {
  const doc = bundleSpec();
  const ops = collectOperations(doc);
  writeGenerated(contractGenerated, {
    'types.ts': await emitTypes(doc),
    'operations.ts': emitOperationTable(ops),
    'handlers.ts': emitHandlers(ops),
    ...emitValidators(doc, ops),
  });
  console.log(`generated contract for ${ops.length} operations into ${relative(repoRoot, contractGenerated)}`);
}

if (import.meta.main) await generateContract();
