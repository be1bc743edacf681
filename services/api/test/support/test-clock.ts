import type { Clock } from '../../src/clock.ts';

/** A clock tests can move: real time plus an offset, or frozen. */
export class TestClock implements Clock {
  #offsetMs = 0;
  #frozen: Date | undefined;
  now(): Date {
    return this.#frozen ? new Date(this.#frozen) : new Date(Date.now() + this.#offsetMs);
  }
  advance(ms: number): void {
    if (this.#frozen) this.#frozen = new Date(this.#frozen.getTime() + ms);
    else this.#offsetMs += ms;
  }
  freeze(at: Date): void {
    this.#frozen = at;
  }
}
