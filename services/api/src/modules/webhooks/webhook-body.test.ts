import { describe, expect, it } from 'vitest';
import { deliveryBody } from './webhook-body.ts';

describe('deliveryBody', () => {
  it('puts event_type first and keeps the stored payload text (and its digits) as it is', () => {
    expect(deliveryBody('customer.created', '{"customer": {"id": "cust_1"}}')).toBe('{"event_type":"customer.created","customer": {"id": "cust_1"}}');
    expect(deliveryBody('event.rejected', '{"event": {"properties": {"n": 12345678901234567891}}}')).toContain('12345678901234567891');
    expect(deliveryBody('webhook_endpoint.test', '{}')).toBe('{"event_type":"webhook_endpoint.test"}');
  });
});
