import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { bundledSpec, repoRoot, specRoot } from './paths.ts';

export type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown>; [k: string]: unknown };
  security?: Array<Record<string, string[]>>;
  [k: string]: unknown;
};

/** Bundles the multi-file spec into spec/dist/openapi.json with Redocly, offline. */
export function bundleSpec(): OpenApiDocument {
  mkdirSync(dirname(bundledSpec), { recursive: true });
  const cli = resolve(repoRoot, 'node_modules/@redocly/cli/bin/cli.js');
  execFileSync(process.execPath, [cli, 'bundle', specRoot, '-o', bundledSpec], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  // Re-serialise so the committed file is stable and ends with a newline.
  const doc = JSON.parse(readFileSync(bundledSpec, 'utf8')) as OpenApiDocument;
  writeFileSync(bundledSpec, `${JSON.stringify(doc, null, 2)}\n`);
  return doc;
}
