"""Payments through FlexPrice's Python SDK: OFFLINE payments of one-off invoices."""

from __future__ import annotations

import pytest
from flexprice.models import errors

from helpers import covers, unique


@pytest.fixture()
def invoice_of(flexprice):
    customer = flexprice.customers.create_customer(external_id=unique("payer"), name="Payer")

    def make(amount: str) -> str:
        invoice = flexprice.invoices.create_invoice(
            customer_id=customer.id,
            currency="usd",
            invoice_type="ONE_OFF",
            subtotal=amount,
            total=amount,
            amount_due=amount,
            line_items=[{"display_name": "Consulting", "amount": amount, "quantity": "1"}],
        )
        return invoice.id

    return make


def _offline(flexprice, invoice_id: str, amount: str, **extra):
    return flexprice.payments.create_payment(
        amount=amount, currency="usd", destination_type="INVOICE", destination_id=invoice_id, payment_method_type="OFFLINE", **extra
    )


@covers("payments.create_payment", "payments.get_payment")
def test_creates_an_offline_payment_and_reads_it(flexprice, invoice_of):
    invoice_id = invoice_of("40")
    payment = _offline(flexprice, invoice_id, "15", metadata={"cheque": "1042"})
    assert payment.id.startswith("pay_") and len(payment.id) == 30
    assert (payment.amount, payment.payment_status, payment.payment_method_type, payment.metadata) == ("15", "SUCCEEDED", "OFFLINE", {"cheque": "1042"})
    assert payment.idempotency_key.startswith("payment-") and len(payment.idempotency_key) == 24
    read = flexprice.payments.get_payment(id=payment.id)
    assert (read.id, read.destination_id, read.invoice_number) == (payment.id, invoice_id, payment.invoice_number)
    assert _offline(flexprice, invoice_id, "15").id == payment.id  # the same payment sent twice is recorded once
    invoice = flexprice.invoices.get_invoice(id=invoice_id)
    assert (invoice.amount_paid, invoice.amount_remaining, invoice.payment_status) == ("15", "25", "PENDING")  # 40 − 15


@covers("payments.process_payment", "payments.delete_payment")
def test_processes_a_waiting_payment_and_deletes_an_initiated_one(flexprice, invoice_of):
    invoice_id = invoice_of("30")
    waiting = _offline(flexprice, invoice_id, "30", process_payment=False)
    assert waiting.payment_status == "INITIATED"
    assert flexprice.payments.process_payment(id=waiting.id).payment_status == "SUCCEEDED"
    with pytest.raises(errors.FlexpriceError) as refused:
        flexprice.payments.delete_payment(id=waiting.id)
    assert refused.value.status_code == 400
    other = _offline(flexprice, invoice_of("5"), "5", process_payment=False)
    assert flexprice.payments.delete_payment(id=other.id).message == "payment deleted successfully"


@covers("payments.update_payment", "payments.list_payments")
def test_fails_a_payment_and_lists_by_status(flexprice, invoice_of):
    invoice_id = invoice_of("20")
    paid = _offline(flexprice, invoice_id, "5")
    bounced = _offline(flexprice, invoice_id, "15", process_payment=False)
    failed = flexprice.payments.update_payment(id=bounced.id, payment_status="FAILED", error_message="cheque bounced")
    assert (failed.payment_status, failed.error_message) == ("FAILED", "cheque bounced")
    assert failed.failed_at is not None
    listed = flexprice.payments.list_payments(destination_id=invoice_id, order="asc")
    assert [(p.id, p.payment_status) for p in listed.items] == [(paid.id, "SUCCEEDED"), (bounced.id, "FAILED")]
    assert [p.id for p in flexprice.payments.list_payments(destination_id=invoice_id, payment_status="FAILED").items] == [bounced.id]


@covers("payments.create_payment", "wallets.create_wallet", "wallets.get_wallet")
def test_pays_from_a_post_paid_wallet_with_a_credits_payment(flexprice, invoice_of):
    invoice_id = invoice_of("40")
    customer_id = flexprice.invoices.get_invoice(id=invoice_id).customer_id
    wallet = flexprice.wallets.create_wallet(customer_id=customer_id, currency="usd", wallet_type="POST_PAID", conversion_rate="0.5", initial_credits_to_load="60")  # $30
    payment = flexprice.payments.create_payment(
        amount="25", currency="usd", destination_type="INVOICE", destination_id=invoice_id, payment_method_type="CREDITS", payment_method_id=wallet.id, idempotency_key=unique("credits")
    )
    assert (payment.payment_method_type, payment.payment_method_id, payment.payment_status) == ("CREDITS", wallet.id, "SUCCEEDED")
    after = flexprice.wallets.get_wallet(id=wallet.id)
    assert (after.credit_balance, after.balance) == ("10", "5")  # 60 − 25 ÷ 0.5
    with pytest.raises(errors.FlexpriceError) as short:
        flexprice.payments.create_payment(
            amount="10", currency="usd", destination_type="INVOICE", destination_id=invoice_id, payment_method_type="CREDITS", payment_method_id=wallet.id, idempotency_key=unique("credits")
        )
    assert short.value.status_code == 400
