import { describe, expect, it } from 'vitest';
import { BillingWorker } from './billing-worker.ts';
import { DueWorkRunner, type DueScope } from './due-work.ts';

const at = new Date('2025-03-01T12:00:00Z');
const clock = { now: () => at };

function recording() {
  const calls: { scope: DueScope; at: Date }[] = [];
  const runner = new DueWorkRunner();
  let due = 2;
  runner.register({
    name: 'renewals',
    nextDue: async () => null,
    runDue: async (scope, when) => {
      calls.push({ scope, at: when });
      const n = due;
      due = 0;
      return n;
    },
  });
  return { runner, calls };
}

describe('BillingWorker', () => {
  it('runs every handler for the customers not on a test clock at the wall clock, after taking over abandoned advances', async () => {
    const { runner, calls } = recording();
    const order: string[] = [];
    const worker = new BillingWorker(runner, clock, {
      automatic: false,
      pollMs: 10_000,
      resumeAdvances: async () => {
        order.push('resume');
        return 1;
      },
      onError: (err) => {
        throw err;
      },
    });
    expect(await worker.tick()).toEqual({ processed: 2, resumedAdvances: 1 });
    expect(calls).toEqual([
      { scope: { testClockId: null }, at },
      { scope: { testClockId: null }, at },
    ]);
    expect(order).toEqual(['resume']);
  });

  it('never runs two ticks at once: a tick asked for while one runs is that one', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const runner = new DueWorkRunner();
    runner.register({
      name: 'slow',
      nextDue: async () => null,
      runDue: async () => {
        runs++;
        await gate;
        return 0;
      },
    });
    const worker = new BillingWorker(runner, clock, { automatic: false, pollMs: 10_000, onError: () => undefined });
    const first = worker.tick();
    const second = worker.tick();
    expect(second).toBe(first);
    release();
    await first;
    expect(runs).toBe(1);
    await worker.tick();
    expect(runs).toBe(2);
  });

  it('reports failures and carries on at the next tick', async () => {
    const errors: string[] = [];
    const runner = new DueWorkRunner();
    let fail = true;
    runner.register({
      name: 'flaky',
      nextDue: async () => null,
      runDue: async () => {
        if (fail) throw new Error('database went away');
        return 0;
      },
    });
    const worker = new BillingWorker(runner, clock, {
      automatic: false,
      pollMs: 10_000,
      resumeAdvances: async () => Promise.reject(new Error('no')),
      onError: (err, what) => errors.push(`${what}: ${(err as Error).message}`),
    });
    expect(await worker.tick()).toEqual({ processed: 0, resumedAdvances: 0 });
    expect(errors).toEqual(['resuming test clock advances: no', "running due billing work: due work 'flaky' failed at 2025-03-01T12:00:00.000Z"]);
    fail = false;
    errors.length = 0;
    await worker.tick();
    expect(errors).toEqual(['resuming test clock advances: no']);
  });

  it('polls on its own when automatic, and does nothing once stopped', async () => {
    const { runner, calls } = recording();
    const worker = new BillingWorker(runner, clock, { automatic: true, pollMs: 20, onError: () => undefined });
    worker.start();
    await new Promise((resolve) => setTimeout(resolve, 120));
    await worker.stop(1000);
    const seen = calls.length;
    // The first tick ran at once (two rounds), then one round per poll.
    expect(seen).toBeGreaterThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(calls.length).toBe(seen);
    expect(await worker.tick()).toEqual({ processed: 0, resumedAdvances: 0 });
    expect(calls.length).toBe(seen);
  });

  it('stays idle when not automatic', async () => {
    const { runner, calls } = recording();
    const worker = new BillingWorker(runner, clock, { automatic: false, pollMs: 20, onError: () => undefined });
    worker.start();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(calls).toEqual([]);
    await worker.stop(0);
  });
});
