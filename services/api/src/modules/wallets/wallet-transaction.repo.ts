import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import type { Tx } from '../../db/transactions.ts';
import type { WalletTransactionQuery } from './wallet.convert.ts';
import { WalletTransaction } from './wallet-transaction.entity.ts';
import { walletTransactionSearchFields } from './wallet.search.ts';

/** Every query of wallet transactions. */
export class WalletTransactionRepo extends RecordRepo<WalletTransaction> {
  constructor() {
    super(WalletTransaction, walletTransactionSearchFields, 'wallet transaction');
  }

  /** The wallet's transaction with this idempotency key. */
  byKey(tx: Tx, auth: AuthContext, walletId: string, idempotencyKey: string): Promise<WalletTransaction | null> {
    return tx.findOne(WalletTransaction, { ...scopeOf(auth), walletId, idempotencyKey });
  }

  /** The credit transaction made as the bonus of `parentId`, if any. */
  bonusOf(tx: Tx, auth: AuthContext, walletId: string, parentId: string): Promise<WalletTransaction | null> {
    return tx.findOne(WalletTransaction, { ...scopeOf(auth), walletId, parentTransactionId: parentId });
  }

  /**
   * The wallet's completed credits with credits left, unexpired at `at` unless `includeExpired`. Read
   * under the wallet's lock, which every writer of `credits_available` holds.
   */
  available(tx: Tx, auth: AuthContext, walletId: string, at: Date, includeExpired = false): Promise<WalletTransaction[]> {
    return tx.find(WalletTransaction, {
      ...scopeOf(auth),
      walletId,
      type: 'credit',
      transactionStatus: 'completed',
      creditsAvailable: { $gt: '0' },
      ...(includeExpired ? {} : { $or: [{ expiryDate: null }, { expiryDate: { $gte: at } }] }),
    });
  }

  /** Every transaction of the wallet, oldest first (the ledger in order). */
  ledger(tx: Tx, auth: AuthContext, walletId: string): Promise<WalletTransaction[]> {
    return tx.find(WalletTransaction, { ...scopeOf(auth), walletId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  page(tx: Tx, auth: AuthContext, query: WalletTransactionQuery): Promise<PageOf<WalletTransaction>> {
    const eq = (column: string, value: unknown) => (value === undefined ? [] : [{ [column]: value }]);
    return this.findPage(tx, auth, query, [
      ...eq('walletId', query.walletId),
      ...eq('id', query.id),
      ...eq('type', query.type),
      ...eq('transactionStatus', query.transactionStatus),
      ...eq('transactionReason', query.transactionReason),
      ...eq('referenceType', query.referenceType),
      ...eq('referenceId', query.referenceId),
      ...eq('priority', query.priority),
      ...eq('createdBy', query.createdBy),
      ...(query.expiryDateBefore ? [{ expiryDate: { $lt: query.expiryDateBefore } }] : []),
      ...(query.expiryDateAfter ? [{ expiryDate: { $gt: query.expiryDateAfter } }] : []),
      ...(query.creditsAvailableGt !== undefined ? [{ creditsAvailable: { $gt: String(query.creditsAvailableGt) } }] : []),
    ]);
  }
}
