import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Absolute locations the generator reads and writes, relative to the repository root. */
export const repoRoot = resolve(here, '../../..');
export const specRoot = resolve(repoRoot, 'spec/openapi.yaml');
export const bundledSpec = resolve(repoRoot, 'spec/dist/openapi.json');
export const contractGenerated = resolve(repoRoot, 'packages/contract/src/generated');
/** The Postman collection and environment (tests/e2e runs the collection with newman). */
export const postmanCollection = resolve(repoRoot, 'tests/e2e/postman/tally.postman_collection.json');
export const postmanEnvironment = resolve(repoRoot, 'tests/e2e/postman/tally.postman_environment.json');
