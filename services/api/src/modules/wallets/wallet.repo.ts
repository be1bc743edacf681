import { LockMode } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import type { Tx } from '../../db/transactions.ts';
import { oneOf } from '../../listing/list-where.ts';
import type { WalletQuery } from './wallet.convert.ts';
import { Wallet, type WalletType } from './wallet.entity.ts';
import { walletSearchFields } from './wallet.search.ts';

/** Every query of wallets. */
export class WalletRepo extends RecordRepo<Wallet> {
  constructor() {
    super(Wallet, walletSearchFields, 'wallet');
  }

  /**
   * The wallet, locked (`SELECT … FOR UPDATE`) until the unit of work ends: every change to its
   * ledger takes this lock first, so two debits never read the same balance.
   */
  locked(tx: Tx, auth: AuthContext, id: string): Promise<Wallet | null> {
    return tx.findOne(Wallet, { ...scopeOf(auth), id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  }

  /** Whether the customer already has an active wallet of this currency and type. */
  async hasActive(tx: Tx, auth: AuthContext, customerId: string, currency: string, walletType: WalletType): Promise<boolean> {
    return (await tx.count(Wallet, { ...scopeOf(auth), customerId, currency, walletType, walletStatus: 'active', status: 'published' })) > 0;
  }

  /** The customer's active wallet of this currency and type, locked. */
  activeOf(tx: Tx, auth: AuthContext, customerId: string, currency: string, walletType: WalletType): Promise<Wallet | null> {
    return tx.findOne(Wallet, { ...scopeOf(auth), customerId, currency, walletType, walletStatus: 'active', status: 'published' }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  }

  /** The customer's wallets, newest first. */
  ofCustomer(tx: Tx, auth: AuthContext, customerId: string): Promise<Wallet[]> {
    return tx.find(Wallet, { ...scopeOf(auth), customerId, status: 'published' }, { orderBy: { createdAt: 'desc', id: 'desc' } });
  }

  page(tx: Tx, auth: AuthContext, query: WalletQuery): Promise<PageOf<Wallet>> {
    const where: Record<string, unknown>[] = [...oneOf('id', query.walletIds)];
    if (query.walletStatus !== undefined) where.push({ walletStatus: query.walletStatus });
    if (query.alertEnabled !== undefined) {
      where.push(query.alertEnabled ? { alertSettings: { alert_enabled: true } } : { $or: [{ alertSettings: null }, { alertSettings: { alert_enabled: { $ne: true } } }] });
    }
    return this.findPage(tx, auth, query, where);
  }
}
