import { describe, expect, it } from 'vitest';
import { DueWorkError, DueWorkRunner, type DueScope, type DueWork } from './due-work.ts';

const t = (iso: string) => new Date(`${iso}T00:00:00Z`);
const day = (iso: string) => iso.slice(0, 10);

/**
 * A handler over an in-memory list of due items. Running an item logs `name@day` and may schedule
 * more work (for itself or another handler) through `then`.
 */
class FakeWork implements DueWork {
  readonly name: string;
  readonly #log: string[];
  readonly items: { at: Date; then?: (at: Date) => void }[] = [];
  readonly runs: string[] = [];
  readonly scopes: DueScope[] = [];

  constructor(name: string, log: string[], ...due: Date[]) {
    this.name = name;
    this.#log = log;
    for (const at of due) this.add(at);
  }

  add(at: Date, then?: (at: Date) => void): this {
    this.items.push({ at, then });
    return this;
  }

  async nextDue(scope: DueScope, until: Date): Promise<Date | null> {
    const due = this.items.filter((i) => i.at <= until).map((i) => i.at.getTime());
    return due.length ? new Date(Math.min(...due)) : null;
  }

  async runDue(scope: DueScope, at: Date): Promise<number> {
    this.scopes.push(scope);
    this.runs.push(day(at.toISOString()));
    const due = this.items.filter((i) => i.at <= at).sort((a, b) => a.at.getTime() - b.at.getTime());
    for (const item of due) {
      this.items.splice(this.items.indexOf(item), 1);
      this.#log.push(`${this.name}@${day(item.at.toISOString())}`);
      item.then?.(at);
    }
    return due.length;
  }
}

const clockScope: DueScope = { testClockId: 'clock_1', tenantId: 'tenant_1', environmentId: 'env_1' };

function addMonths(at: Date, n: number): Date {
  const d = new Date(at);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d;
}

/** A monthly renewal (first of the month): each period end it processes schedules the next one. */
function renewals(log: string[], first: Date): FakeWork {
  const work = new FakeWork('renewals', log);
  const schedule = (due: Date): void => void work.add(due, () => schedule(addMonths(due, 1)));
  schedule(first);
  return work;
}

describe('DueWorkRunner.advance', () => {
  it('runs every handler at each instant in chronological order, across handlers, and moves the clock before each', async () => {
    const log: string[] = [];
    const a = new FakeWork('a', log, t('2025-03-01'), t('2025-01-01'));
    const b = new FakeWork('b', log, t('2025-02-01'), t('2025-05-01'));
    const runner = new DueWorkRunner();
    runner.register(a);
    runner.register(b);
    const instants: string[] = [];
    const result = await runner.advance(clockScope, t('2025-04-01'), { onInstant: async (at) => void instants.push(day(at.toISOString())) });

    expect(log).toEqual(['a@2025-01-01', 'b@2025-02-01', 'a@2025-03-01']);
    expect(instants).toEqual(['2025-01-01', '2025-02-01', '2025-03-01']);
    // Every handler runs at every instant, in registration order (b finds nothing on 1 January).
    expect(a.runs).toEqual(['2025-01-01', '2025-02-01', '2025-03-01']);
    expect(b.runs).toEqual(['2025-01-01', '2025-02-01', '2025-03-01']);
    expect(a.scopes.every((s) => s === clockScope)).toBe(true);
    expect(result).toEqual({ instants: 3, processed: 3, stopped: false });
    // Work after the target stays due.
    expect(b.items.map((i) => day(i.at.toISOString()))).toEqual(['2025-05-01']);
  });

  it('runs work due exactly at the target, and nothing when nothing is due', async () => {
    const log: string[] = [];
    const runner = new DueWorkRunner();
    runner.register(new FakeWork('a', log, t('2025-04-01')));
    expect(await runner.advance(clockScope, t('2025-03-31'))).toEqual({ instants: 0, processed: 0, stopped: false });
    expect(await runner.advance(clockScope, t('2025-04-01'))).toEqual({ instants: 1, processed: 1, stopped: false });
    expect(log).toEqual(['a@2025-04-01']);
  });

  it('catches up over many instants: two years of monthly renewals, one instant per period end', async () => {
    const log: string[] = [];
    const runner = new DueWorkRunner();
    runner.register(renewals(log, t('2025-02-01')));
    const instants: string[] = [];
    const result = await runner.advance(clockScope, t('2027-01-15'), { onInstant: async (at) => void instants.push(day(at.toISOString())) });
    // 1 February 2025 … 1 January 2027: 24 period ends.
    const expected = Array.from({ length: 24 }, (_, i) => day(addMonths(t('2025-02-01'), i).toISOString()));
    expect(expected.at(-1)).toBe('2027-01-01');
    expect(instants).toEqual(expected);
    expect(log).toEqual(expected.map((d) => `renewals@${d}`));
    expect(result).toEqual({ instants: 24, processed: 24, stopped: false });
  });

  it('runs work one handler makes due at the same instant for another in a second round, without moving the clock again', async () => {
    const log: string[] = [];
    const finalize = new FakeWork('finalize', log);
    const renew = new FakeWork('renew', log).add(t('2025-02-01'), (at) => finalize.add(at));
    const runner = new DueWorkRunner();
    runner.register(finalize); // registered first: it has nothing until renew has run
    runner.register(renew);
    const instants: string[] = [];
    const result = await runner.advance(clockScope, t('2025-03-01'), { onInstant: async (at) => void instants.push(day(at.toISOString())) });
    expect(log).toEqual(['renew@2025-02-01', 'finalize@2025-02-01']);
    expect(instants).toEqual(['2025-02-01']);
    expect(result).toEqual({ instants: 1, processed: 2, stopped: false });
  });

  it('never goes back in time: work made due earlier than the instant just run is run at that instant', async () => {
    const log: string[] = [];
    const late = new FakeWork('late', log);
    const early = new FakeWork('early', log).add(t('2025-03-01'), () => late.add(t('2025-01-15')));
    const runner = new DueWorkRunner();
    runner.register(late);
    runner.register(early);
    const instants: string[] = [];
    await runner.advance(clockScope, t('2025-04-01'), { onInstant: async (at) => void instants.push(day(at.toISOString())) });
    expect(log).toEqual(['early@2025-03-01', 'late@2025-01-15']);
    expect(late.runs).toEqual(['2025-03-01', '2025-03-01']);
    expect(instants).toEqual(['2025-03-01']);
  });

  it('gives up as a runaway after the bound on instants, having run each of them', async () => {
    const log: string[] = [];
    const forever = new FakeWork('forever', log);
    const schedule = (due: Date): void => void forever.add(due, () => schedule(new Date(due.getTime() + 1000)));
    schedule(t('2025-01-01'));
    const runner = new DueWorkRunner({ maxInstants: 50 });
    runner.register(forever);
    const err = await runner.advance(clockScope, t('2026-01-01')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DueWorkError);
    expect(err).toMatchObject({ kind: 'runaway', work: ['forever'], at: new Date(t('2025-01-01').getTime() + 50_000) });
    expect((err as Error).message).toBe('due work ran at more than 50 instants before 2026-01-01T00:00:00.000Z; stopped at 2025-01-01T00:00:50.000Z');
    expect(log).toHaveLength(50);
  });

  it('gives up as a runaway when work keeps falling due at one instant', async () => {
    const log: string[] = [];
    const echo = new FakeWork('echo', log);
    const again = (at: Date): void => void echo.add(at, again);
    echo.add(t('2025-01-01'), again);
    const runner = new DueWorkRunner({ maxRoundsPerInstant: 5 });
    runner.register(echo);
    const err = await runner.advance(clockScope, t('2025-02-01')).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'runaway', at: t('2025-01-01') });
    expect((err as Error).message).toBe('due work was still finding work due at 2025-01-01T00:00:00.000Z after 5 rounds');
    expect(log).toHaveLength(5);
  });

  it('refuses a handler that reports due work it does not process (it would be reported forever)', async () => {
    const stuck: DueWork = { name: 'stuck', nextDue: async () => t('2025-01-10'), runDue: async () => 0 };
    const runner = new DueWorkRunner();
    runner.register(new FakeWork('ok', []));
    runner.register(stuck);
    const err = await runner.advance(clockScope, t('2025-02-01')).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'stuck', work: ['stuck'], at: t('2025-01-10') });
    expect((err as Error).message).toBe("due work 'stuck' reported work due at 2025-01-10T00:00:00.000Z that it did not process at 2025-01-10T00:00:00.000Z");
  });

  it('stops at a failing instant: the other handlers still run there, later instants do not', async () => {
    const log: string[] = [];
    const boom = new Error('database went away');
    const failing: DueWork = {
      name: 'failing',
      nextDue: async (_, until) => (t('2025-02-01') <= until ? t('2025-02-01') : null),
      runDue: async (_, at) => {
        if (at >= t('2025-02-01')) throw boom;
        return 0;
      },
    };
    const other = new FakeWork('other', log, t('2025-01-01'), t('2025-02-01'), t('2025-03-01'));
    const runner = new DueWorkRunner();
    runner.register(failing);
    runner.register(other);
    const err = await runner.advance(clockScope, t('2025-04-01')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DueWorkError);
    expect(err).toMatchObject({ kind: 'failed', work: ['failing'], at: t('2025-02-01'), causes: [boom] });
    expect((err as Error).message).toBe("due work 'failing' failed at 2025-02-01T00:00:00.000Z");
    expect((err as Error).cause).toBe(boom);
    expect(log).toEqual(['other@2025-01-01', 'other@2025-02-01']);
  });

  it('reports a handler whose nextDue fails', async () => {
    const runner = new DueWorkRunner();
    runner.register({ name: 'blind', nextDue: async () => Promise.reject(new Error('no')), runDue: async () => 0 });
    const err = await runner.advance(clockScope, t('2025-04-01')).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'failed', work: ['blind'], at: t('2025-04-01') });
    expect((err as Error).message).toBe("due work 'blind' failed looking for work due up to 2025-04-01T00:00:00.000Z");
  });

  it('ignores a nextDue answer later than asked', async () => {
    const runner = new DueWorkRunner();
    runner.register({ name: 'eager', nextDue: async () => t('2030-01-01'), runDue: async () => 0 });
    expect(await runner.advance(clockScope, t('2025-04-01'))).toEqual({ instants: 0, processed: 0, stopped: false });
  });

  it('stops before an instant when asked, leaving the rest due', async () => {
    const log: string[] = [];
    const runner = new DueWorkRunner();
    const work = new FakeWork('a', log, t('2025-01-01'), t('2025-02-01'), t('2025-03-01'));
    runner.register(work);
    let stop = false;
    const result = await runner.advance(clockScope, t('2025-04-01'), {
      onInstant: async (at) => {
        if (at >= t('2025-02-01')) stop = true;
      },
      shouldStop: () => stop,
    });
    expect(result).toEqual({ instants: 2, processed: 2, stopped: true });
    expect(log).toEqual(['a@2025-01-01', 'a@2025-02-01']);
    expect(work.items).toHaveLength(1);
  });
});

describe('DueWorkRunner.runDueNow', () => {
  it('does everything due at or before the instant, round after round (catch-up of missed periods, one item per period)', async () => {
    const log: string[] = [];
    const runner = new DueWorkRunner();
    const work = renewals(log, t('2025-01-01'));
    runner.register(work);
    const scope: DueScope = { testClockId: null };
    expect(await runner.runDueNow(scope, t('2025-04-15'))).toBe(4);
    expect(log).toEqual(['renewals@2025-01-01', 'renewals@2025-02-01', 'renewals@2025-03-01', 'renewals@2025-04-01']);
    // Four rounds that did something, and one that found nothing.
    expect(work.runs).toEqual(['2025-04-15', '2025-04-15', '2025-04-15', '2025-04-15', '2025-04-15']);
    expect(work.scopes[0]).toBe(scope);
    expect(await runner.runDueNow(scope, t('2025-04-15'))).toBe(0);
  });

  it('lets the other handlers finish when one throws, then rejects naming it', async () => {
    const log: string[] = [];
    const boom = new Error('boom');
    const runner = new DueWorkRunner();
    let calls = 0;
    runner.register({
      name: 'failing',
      nextDue: async () => null,
      runDue: async () => {
        calls++;
        throw boom;
      },
    });
    runner.register(renewals(log, t('2025-01-01')));
    const err = await runner.runDueNow({ testClockId: null }, t('2025-03-01')).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'failed', work: ['failing'], at: t('2025-03-01'), causes: [boom] });
    expect(log).toEqual(['renewals@2025-01-01', 'renewals@2025-02-01', 'renewals@2025-03-01']);
    expect(calls).toBe(1); // left out of the later rounds
  });

  it('gives up as a runaway after the bound on rounds', async () => {
    const runner = new DueWorkRunner({ maxRoundsPerInstant: 3 });
    runner.register({ name: 'busy', nextDue: async () => null, runDue: async () => 1 });
    await expect(runner.runDueNow({ testClockId: null }, t('2025-01-01'))).rejects.toMatchObject({ kind: 'runaway' });
  });
});

describe('DueWorkRunner.register', () => {
  it('refuses a second handler with the same name and lists them in order', () => {
    const runner = new DueWorkRunner();
    runner.register(new FakeWork('a', []));
    runner.register(new FakeWork('b', []));
    expect(() => runner.register(new FakeWork('a', []))).toThrow("due work 'a' is already registered");
    expect(runner.registered).toEqual(['a', 'b']);
  });
});
