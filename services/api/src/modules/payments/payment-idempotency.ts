import { createHash } from 'node:crypto';

/**
 * FlexPrice's server-generated key for a payment created without one: the scope (`payment`) and the
 * parameters that make two payments the same — sorted by name, unset ones empty — hashed with
 * SHA-256, of which the first 8 bytes in hex follow the scope: `payment-<16 hex>`. The same payment
 * sent twice thus has one key, and is recorded once.
 */
export function derivedPaymentKey(params: {
  invoiceId: string;
  amount: string;
  currency: string;
  paymentMethodType: string;
  paymentMethodId: string | null;
  paymentGateway: string | null;
}): string {
  const scope = 'payment';
  const named: Record<string, string> = {
    invoice_id: params.invoiceId,
    amount: params.amount,
    currency: params.currency,
    payment_method_type: params.paymentMethodType,
    payment_method_id: params.paymentMethodId ?? '',
    payment_gateway: params.paymentGateway ?? '',
  };
  const text = [scope, ...Object.keys(named).sort().map((k) => `${k}=${named[k]}`)].join('|');
  return `${scope}-${createHash('sha256').update(text).digest().subarray(0, 8).toString('hex')}`;
}
