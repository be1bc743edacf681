import type { AuthContext } from '../../../src/auth-context.ts';
import { Transactions } from '../../../src/db/transactions.ts';
import { customerReader } from '../../../src/modules/customers/index.ts';
import { WalletService, toWalletResponse, toWalletTransactionResponse } from '../../../src/modules/wallets/index.ts';
import type { TestServer } from '../../support/test-server.ts';

/**
 * The wallet service over a test server's database, on its test clock, acting in the default
 * environment: for what the API does not expose (the consumption used by invoice application) and
 * for reading the ledger after every step of a property test.
 */
export function walletServiceOf(server: TestServer): { wallets: WalletService; auth: AuthContext } {
  const wallets = new WalletService({ db: new Transactions(server.orm), clock: server.clock }, { customers: customerReader, time: { nowFor: async () => server.clock.now() } });
  const auth: AuthContext = { tenantId: server.bootstrap.tenantId, environmentId: server.bootstrap.defaultEnvironmentId, secretId: 'wallet-tests' };
  return { wallets, auth };
}

/** The wallet and its ledger (oldest first) as the API writes them. */
export async function wireLedger(wallets: WalletService, auth: AuthContext, walletId: string): Promise<{ wallet: any; ledger: any[] }> {
  const wallet = toWalletResponse(await wallets.get(auth, walletId));
  const ledger = (await wallets.ledger(auth, walletId)).map(toWalletTransactionResponse);
  return { wallet, ledger };
}
