import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.ts';

/** A write that records each call's items and completes when released. */
function controlledWrite(fail?: (items: number[]) => boolean) {
  const calls: number[][] = [];
  const pending: Array<() => void> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const write = (items: number[]) =>
    new Promise<void>((resolve, reject) => {
      calls.push(items);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      pending.push(() => {
        inFlight--;
        if (fail?.(items)) reject(new Error(`bad ${items.join(',')}`));
        else resolve();
      });
    });
  const releaseAll = async () => {
    while (pending.length) pending.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { write, calls, releaseAll, maxInFlight: () => maxInFlight };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('writes items added together in one call, and items arriving during a write in the next', async () => {
    const w = controlledWrite();
    const gc = new GroupCommit<number>(w.write, { maxConcurrent: 1, maxBatch: 100 });
    const first = [1, 2, 3].map((i) => gc.add(i));
    await tick();
    expect(w.calls).toEqual([[1, 2, 3]]);
    const second = [4, 5].map((i) => gc.add(i));
    await tick();
    expect(w.calls).toHaveLength(1); // waits for the write in flight
    await w.releaseAll();
    expect(w.calls).toEqual([[1, 2, 3], [4, 5]]);
    await w.releaseAll();
    await Promise.all([...first, ...second]);
  });

  it('resolves a caller only when the write holding its item completes', async () => {
    const w = controlledWrite();
    const gc = new GroupCommit<number>(w.write, { maxConcurrent: 1, maxBatch: 100 });
    let done = false;
    const p = gc.add(1).then(() => (done = true));
    await tick();
    expect(done).toBe(false);
    await w.releaseAll();
    await p;
    expect(done).toBe(true);
  });

  it('keeps to maxConcurrent writes and maxBatch items per write', async () => {
    const w = controlledWrite();
    const gc = new GroupCommit<number>(w.write, { maxConcurrent: 2, maxBatch: 3 });
    const all = Array.from({ length: 10 }, (_, i) => gc.add(i));
    await tick();
    expect(w.calls).toEqual([[0, 1, 2], [3, 4, 5]]);
    for (let i = 0; i < 5; i++) await w.releaseAll();
    await Promise.all(all);
    expect(w.calls.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(w.calls.every((c) => c.length <= 3)).toBe(true);
    expect(w.maxInFlight()).toBe(2);
  });

  it('fails only the caller whose item fails when a shared write fails', async () => {
    const w = controlledWrite((items) => items.includes(13));
    const gc = new GroupCommit<number>(w.write, { maxConcurrent: 1, maxBatch: 100 });
    const results = [12, 13, 14].map((i) => gc.add(i).then(() => 'ok', (err: Error) => err.message));
    for (let i = 0; i < 5; i++) await w.releaseAll();
    expect(await Promise.all(results)).toEqual(['ok', 'bad 13', 'ok']);
    expect(w.calls).toEqual([[12, 13, 14], [12], [13], [14]]);
  });
});
