import { mkdirSync } from 'node:fs';
import lockfile from 'proper-lockfile';

/**
 * PGlite has no lock of its own: two processes on one data directory would both write and
 * corrupt it. The lock is a directory refreshed every few seconds, so a crashed holder's lock
 * goes stale and the next start takes it over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  mkdirSync(dataDir, { recursive: true });
  try {
    return await lockfile.lock(dataDir, {
      lockfilePath: `${dataDir}/tally.lock`,
      stale: 10_000,
      update: 2_000,
      retries: { retries: 6, minTimeout: 500, maxTimeout: 2_000 },
      onCompromised: (err) => {
        throw new Error(`lost the lock on ${dataDir}: ${err.message}`);
      },
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'ELOCKED') {
      throw new Error(
        `Another Tally process is using the data directory ${dataDir}. ` +
          'Stop it first, or point TALLY_DATA_DIR at another directory (or set DATABASE_URL to use PostgreSQL).',
      );
    }
    throw err;
  }
}
