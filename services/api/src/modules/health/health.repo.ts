import { rawQuery, type Tx } from '../../db/transactions.ts';

export class HealthRepo {
  /** Throws when the database does not answer. */
  async ping(tx: Tx): Promise<void> {
    await rawQuery(tx, 'select 1', []);
  }
}
