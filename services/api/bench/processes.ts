import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync } from 'node:fs';

/**
 * Child processes and cleanup steps of one bench run. Whatever ends the run — success, an error,
 * Ctrl-C — the steps run in reverse order, and no child outlives the bench: a plain exit still
 * SIGKILLs any child left.
 */
const children = new Set<ChildProcess>();
const cleanups: { name: string; run: () => Promise<void> | void }[] = [];
let cleaning: Promise<void> | undefined;

export function onCleanup(name: string, run: () => Promise<void> | void): () => void {
  const entry = { name, run };
  cleanups.push(entry);
  return () => {
    const i = cleanups.indexOf(entry);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

export function runCleanups(): Promise<void> {
  return (cleaning ??= (async () => {
    while (cleanups.length) {
      const { name, run } = cleanups.pop()!;
      try {
        await run();
      } catch (err) {
        console.error(`cleanup "${name}" failed: ${(err as Error).message}`);
      }
    }
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  })());
}

let interrupted = false;
/** True once a signal started the cleanup: errors that follow are its echo, not news. */
export const wasInterrupted = () => interrupted;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\n${signal}: stopping children and cleaning up…`);
    runCleanups().finally(() => process.exit(130));
  });
}
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

export type Spawned = { child: ChildProcess; pid: number; stop(timeoutMs?: number): Promise<void> };

/** Starts `node <script>` (Node 24, the bench's own binary) with its output appended to `logFile`. */
export function spawnNode(script: string, options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string }): Spawned {
  const fd = openSync(options.logFile, 'a');
  // BENCH_SERVER_NODE_ARGS: extra Node options for the servers (a CPU profile: --cpu-prof is refused in NODE_OPTIONS).
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, script], { cwd: options.cwd, env: options.env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (child.pid === undefined) throw new Error(`could not start ${script}`);
  const stop = async (timeoutMs = 20_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  };
  return { child, pid: child.pid, stop };
}

/** Waits for the first JSON line of `logFile` that `pick` accepts; fails if the child exits first. */
export async function waitForLogLine<T>(spawned: Spawned, logFile: string, pick: (line: Record<string, unknown>) => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const text of readFileSync(logFile, 'utf8').split('\n')) {
      if (!text.startsWith('{')) continue;
      try {
        const found = pick(JSON.parse(text));
        if (found !== undefined) return found;
      } catch {
        // a line still being written
      }
    }
    if (spawned.child.exitCode !== null || spawned.child.signalCode !== null) {
      throw new Error(`process exited (${spawned.child.exitCode ?? spawned.child.signalCode}) before it was ready; last output:\n${tail(logFile)}`);
    }
    if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs / 1000} s; last output:\n${tail(logFile)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

/** Resident and peak resident memory of a process, in MiB, from /proc. */
export function memoryOf(pid: number): { rss_mb: number; peak_rss_mb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss_mb: Math.round(kb('VmRSS') / 1024), peak_rss_mb: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return undefined;
  }
}
