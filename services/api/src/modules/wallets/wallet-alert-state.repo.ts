import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { newId } from '../../ids.ts';
import { newRecord, touch } from '../../records.ts';
import type { Wallet } from './wallet.entity.ts';
import { WalletAlertState, type AlertKind } from './wallet-alert-state.entity.ts';

export type AlertStateValues = Pick<WalletAlertState, 'alertState' | 'balance' | 'creditBalance' | 'computedAt'> & Partial<Pick<WalletAlertState, 'currentPeriodUsage' | 'unpaidInvoicesAmount' | 'nextCheckAt'>>;

/** Every query of wallets' alert states (one row per wallet and kind). */
export class WalletAlertStateRepo {
  of(tx: Tx, auth: AuthContext, walletId: string, kind: AlertKind): Promise<WalletAlertState | null> {
    return tx.findOne(WalletAlertState, { ...scopeOf(auth), walletId, kind });
  }

  ofWallet(tx: Tx, auth: AuthContext, walletId: string): Promise<WalletAlertState[]> {
    return tx.find(WalletAlertState, { ...scopeOf(auth), walletId }, { orderBy: { kind: 'asc' } });
  }

  /** Writes the wallet's state of `kind` (creating the row the first time); the caller holds the wallet's lock. */
  async save(tx: Tx, auth: AuthContext, wallet: Wallet, kind: AlertKind, values: AlertStateValues, at: Date): Promise<WalletAlertState> {
    const row = await this.of(tx, auth, wallet.id, kind);
    if (row) {
      Object.assign(row, values);
      touch(row, auth, at);
      return row;
    }
    return tx.create(WalletAlertState, { id: newId('walletAlertState'), walletId: wallet.id, customerId: wallet.customerId, kind, ...values, ...newRecord(auth, at) } as WalletAlertState);
  }
}
