import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';

/** How old an unrefreshed lock must be before another process may take it (the holder refreshes every 2 s). */
const staleMs = 10_000;
/** The same, once the holder is known to be dead: still well above the refresh interval. */
const deadHolderStaleMs = 5_000;

type Owner = { pid: number; hostname: string };

function readOwner(file: string): Owner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Partial<Owner>;
    return typeof owner.pid === 'number' && typeof owner.hostname === 'string' ? (owner as Owner) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid exists on this machine (EPERM: it exists but is someone else's). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

/**
 * The recorded holder is a process of this machine that no longer runs (killed, crashed). A reused
 * pid reads as running, and a holder on another machine (a shared volume) cannot be checked: both
 * fall back to the ordinary staleness wait, never to an early takeover.
 */
function holderIsDead(ownerFile: string): boolean {
  const owner = readOwner(ownerFile);
  return owner !== undefined && owner.hostname === hostname() && owner.pid !== process.pid && !isRunning(owner.pid);
}

/**
 * PGlite has no lock of its own: two processes on one data directory would both write and
 * corrupt it. The lock is a directory refreshed every few seconds, so a crashed holder's lock
 * goes stale and the next start takes it over. The holder's pid is recorded beside it, so a
 * restart after a crash (kill -9) takes over after 5 s instead of 10.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  mkdirSync(dataDir, { recursive: true });
  const ownerFile = join(dataDir, 'tally.lock.owner');
  const lock = (stale: number) =>
    lockfile.lock(dataDir, {
      lockfilePath: `${dataDir}/tally.lock`,
      stale,
      update: 2_000,
      // About 9.5 s in all: enough to outwait a dead holder's lock (5 s once its death is known).
      retries: { retries: 6, minTimeout: 500, maxTimeout: 2_000 },
      onCompromised: (err) => {
        throw new Error(`lost the lock on ${dataDir}: ${err.message}`);
      },
    });
  let release: () => Promise<void>;
  try {
    release = await lock(holderIsDead(ownerFile) ? deadHolderStaleMs : staleMs);
  } catch (err) {
    if ((err as { code?: string }).code === 'ELOCKED') {
      throw new Error(
        `Another Tally process is using the data directory ${dataDir}. ` +
          'Stop it first, or point TALLY_DATA_DIR at another directory (or set DATABASE_URL to use PostgreSQL).',
      );
    }
    throw err;
  }
  writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, hostname: hostname() } satisfies Owner));
  return async () => {
    rmSync(ownerFile, { force: true });
    await release();
  };
}
