import { AppError } from '../../errors/app-error.ts';
import type { ServiceContext } from '../../service-context.ts';
import { HealthRepo } from './health.repo.ts';

/** Whether this instance can serve: its database answers. */
export class HealthService {
  readonly #ctx: ServiceContext;
  readonly #repo = new HealthRepo();

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  async check(): Promise<void> {
    try {
      await this.#ctx.db.read((tx) => this.#repo.ping(tx));
    } catch {
      throw new AppError('service_unavailable', 'The database does not answer');
    }
  }
}
