import type { TestProject } from 'vitest/node';
import { startTally } from './tally-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    tallyBaseUrl: string;
    tallyApiKey: string;
  }
}

/** Starts one real Tally (its own process, a fresh embedded database) for every test file of the run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const tally = await startTally();
  project.provide('tallyBaseUrl', tally.baseUrl);
  project.provide('tallyApiKey', tally.apiKey);
  return tally.stop;
}
