/** A wallet's real-time balance: its parts in the wallet's currency, the instant it is for, and whether it is the periodic check's. */
export type RealTimeBalance = {
  currentPeriodUsage: string;
  unpaidInvoicesAmount: string;
  realTimeBalance: string;
  realTimeCreditBalance: string;
  at: Date;
  cached: boolean;
};
