import type { AuthContext } from '../auth-context.ts';

/**
 * Catalogue reads remembered for one run of due work (one `runDue`): a plan, its prices, its
 * entitlements, meters — what every subscription of a plan reads alike, so a bill run reads each
 * once instead of once per subscription. Made afresh by each run and dropped when it ends, so the next
 * run (the next tick, the next instant of an advance) reads the catalogue again; within a run each
 * item is read as it was when the run first needed it. Keys carry the tenant and environment: a run
 * over several environments never answers one with another's rows. Due work never changes what it
 * remembers here (plans, prices, meters, features, a plan's entitlements), and callers only read the
 * values. Only resolved values are kept — loops running side by side may each read an item once, but
 * never wait on a read made in another's transaction.
 */
export class RunMemo {
  readonly #values = new Map<string, unknown>();

  #key(kind: string, auth: AuthContext, id: string): string {
    return `${kind}\u0000${auth.tenantId}\u0000${auth.environmentId}\u0000${id}`;
  }

  /** The remembered value of `kind` `id` in the caller's environment, else `load`'s (remembered, null too). */
  async one<T>(kind: string, auth: AuthContext, id: string, load: () => Promise<T>): Promise<T> {
    const key = this.#key(kind, auth, id);
    if (this.#values.has(key)) return this.#values.get(key) as T;
    const value = await load();
    this.#values.set(key, value);
    return value;
  }

  /**
   * The values of `kind` with these ids (unset ones skipped), by id: remembered ones, and the rest read
   * by one `load` of the missing ids. An id `load` does not answer is remembered as absent.
   */
  async many<T>(kind: string, auth: AuthContext, ids: (string | null | undefined)[], load: (missing: string[]) => Promise<Map<string, T>>): Promise<Map<string, T>> {
    const wanted = [...new Set(ids.filter((id): id is string => !!id))];
    const missing = wanted.filter((id) => !this.#values.has(this.#key(kind, auth, id)));
    if (missing.length) {
      const loaded = await load(missing);
      for (const id of missing) this.#values.set(this.#key(kind, auth, id), loaded.get(id));
    }
    const answer = new Map<string, T>();
    for (const id of wanted) {
      const value = this.#values.get(this.#key(kind, auth, id)) as T | undefined;
      if (value !== undefined) answer.set(id, value);
    }
    return answer;
  }
}
