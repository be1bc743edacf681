import { listResponse } from '../../listing/pagination.ts';
import type { HandlersOf } from '../../request-context.ts';
import {
  fromCreateWalletRequest,
  fromCustomerWalletsRequest,
  fromDebitRequest,
  fromTopUpRequest,
  fromUpdateWalletRequest,
  fromWalletListRequest,
  fromWalletTransactionListRequest,
  toWalletBalanceResponse,
  toWalletResponse,
  toWalletTransactionResponse,
} from './wallet.convert.ts';
import type { WalletService } from './wallet.service.ts';
import type { WalletRealTime } from './wallet-real-time.ts';

type WalletHandlers = HandlersOf<
  | 'createWallet' | 'listWallets' | 'queryWallet' | 'getWallet' | 'updateWallet' | 'topUpWallet' | 'debitWallet' | 'terminateWallet' | 'modifyWallet'
  | 'getWalletTransactions' | 'queryWalletTransaction' | 'getWalletBalance' | 'getWalletBalanceCached' | 'getWalletsByCustomerId' | 'getCustomerWallets'
>;

export function walletHandlers(wallets: WalletService, realTime: WalletRealTime): WalletHandlers {
  return {
    createWallet: async ({ body }, ctx) => toWalletResponse(await wallets.create(ctx.auth, fromCreateWalletRequest(body))),
    listWallets: async ({ query }, ctx) => {
      const q = fromWalletListRequest(query);
      return listResponse(await wallets.list(ctx.auth, q), q.page, toWalletResponse);
    },
    queryWallet: async ({ body }, ctx) => {
      const q = fromWalletListRequest(body);
      return listResponse(await wallets.list(ctx.auth, q), q.page, toWalletResponse);
    },
    getWallet: async ({ path }, ctx) => toWalletResponse(await wallets.get(ctx.auth, path.id)),
    updateWallet: async ({ path, body }, ctx) => toWalletResponse(await wallets.update(ctx.auth, path.id, fromUpdateWalletRequest(body))),
    topUpWallet: async ({ path, body }, ctx) => {
      const input = fromTopUpRequest(body);
      if (input.reason === 'PURCHASED_CREDIT_INVOICED') {
        const { transaction, view, invoiceId } = await wallets.topUpInvoiced(ctx.auth, path.id, input);
        return { wallet_transaction: toWalletTransactionResponse(transaction), invoice_id: invoiceId, wallet: toWalletResponse(view) };
      }
      const { transaction, view } = await wallets.topUp(ctx.auth, path.id, input);
      return { wallet_transaction: toWalletTransactionResponse(transaction), wallet: toWalletResponse(view) };
    },
    debitWallet: async ({ path, body }, ctx) => toWalletResponse(await wallets.debit(ctx.auth, path.id, fromDebitRequest(body))),
    terminateWallet: async ({ path }, ctx) => {
      await wallets.terminate(ctx.auth, path.id);
      return { message: 'wallet terminated successfully' };
    },
    modifyWallet: async ({ path, body }, ctx) => {
      const { original, created } = await wallets.modify(ctx.auth, path.id, body.modification_type);
      return { original_wallet: toWalletResponse(original), new_wallet: toWalletResponse(created) };
    },
    getWalletTransactions: async ({ path, query }, ctx) => {
      const q = fromWalletTransactionListRequest(query, path.id);
      return listResponse(await wallets.transactions(ctx.auth, q, path.id), q.page, toWalletTransactionResponse);
    },
    queryWalletTransaction: async ({ body }, ctx) => {
      const q = fromWalletTransactionListRequest(body);
      return listResponse(await wallets.transactions(ctx.auth, q), q.page, toWalletTransactionResponse);
    },
    getWalletBalance: async ({ path, query }, ctx) => {
      const { view, balance } = query.from_cache ? await realTime.cached(ctx.auth, path.id) : await realTime.balance(ctx.auth, path.id);
      return toWalletBalanceResponse(view, balance);
    },
    getWalletBalanceCached: async ({ path }, ctx) => {
      const { view, balance } = await realTime.cached(ctx.auth, path.id);
      return toWalletBalanceResponse(view, balance);
    },
    getWalletsByCustomerId: async ({ path }, ctx) => (await wallets.ofCustomer(ctx.auth, { id: path.id })).views.map(toWalletResponse),
    getCustomerWallets: async ({ query }, ctx) => {
      const answer = await realTime.ofCustomer(ctx.auth, fromCustomerWalletsRequest(query));
      return answer.map(({ view, balance }) => toWalletBalanceResponse(view, balance));
    },
  };
}
