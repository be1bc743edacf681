import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './paths.ts';

/** The Maven project that pins openapi-generator and copies its CLI JAR next to itself. */
export const generatorPom = join(repoRoot, 'tools/codegen/sdk/pom.xml');
const jarDir = join(repoRoot, 'tools/codegen/sdk/.jar');

/** Thrown when this machine cannot run the generator (no Java, no Maven, JAR not resolvable). */
export class GeneratorUnavailable extends Error {
  override name = 'GeneratorUnavailable';
}

/** The one pinned version, read from the POM so that it is written down once. */
export function generatorVersion(): string {
  const match = /<openapi-generator\.version>([^<]+)<\/openapi-generator\.version>/.exec(readFileSync(generatorPom, 'utf8'));
  if (!match) throw new Error(`${generatorPom} does not pin <openapi-generator.version>`);
  return match[1].trim();
}

function runs(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return !result.error && result.status === 0;
}

/**
 * Path of openapi-generator-cli-<version>.jar. Maven resolves the artefact through the local
 * repository cache (~/.m2) and copies it to tools/codegen/sdk/.jar/; later runs reuse the copy.
 */
export function obtainGeneratorJar(version: string): string {
  if (!runs('java', ['-version'])) throw new GeneratorUnavailable('java is not on PATH (openapi-generator needs Java 11 or newer)');
  const jar = join(jarDir, `openapi-generator-cli-${version}.jar`);
  if (existsSync(jar)) return jar;
  if (!runs('mvn', ['-v'])) throw new GeneratorUnavailable(`mvn is not on PATH and ${relative(repoRoot, jar)} is absent`);
  const mvn = spawnSync(
    'mvn',
    ['-B', '-q', '--no-transfer-progress', '-Dstyle.color=never', '-f', generatorPom, 'dependency:copy@openapi-generator-cli'],
    { encoding: 'utf8' },
  );
  if (mvn.status !== 0 || !existsSync(jar)) {
    // A half-written JAR would make every later run fail obscurely.
    rmSync(jar, { force: true });
    const tail = `${mvn.stdout ?? ''}${mvn.stderr ?? ''}`.trim().split('\n').slice(-5).join(' | ');
    throw new GeneratorUnavailable(`Maven could not fetch org.openapitools:openapi-generator-cli:${version} (${tail || `exit ${mvn.status}`})`);
  }
  return jar;
}

/** Runs the generator's `batch` command: every SDK in one JVM, one after the other. */
export function runGeneratorBatch(jar: string, configFiles: string[]): void {
  const result = spawnSync('java', ['-jar', jar, 'batch', '--fail-fast', '--threads', '1', ...configFiles], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error || result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    throw new Error(`openapi-generator batch failed (exit ${result.status ?? result.error?.message})`);
  }
}

/** gofmt the Go SDK when Go is installed (the generator leaves it unformatted); false when it is not. */
export function gofmt(dir: string): boolean {
  const result = spawnSync('gofmt', ['-w', dir], { encoding: 'utf8' });
  if (result.error) return false;
  if (result.status !== 0) throw new Error(`gofmt failed: ${result.stderr}`);
  return true;
}
