"""Credit notes through FlexPrice's Python SDK: a refund into the prepaid wallet, an adjustment, drafts finalized and voided."""

from __future__ import annotations

import pytest
from flexprice.models import errors

from helpers import covers, unique


@pytest.fixture()
def invoice_of_100(flexprice):
    """A finalized one-off invoice of $100 (Platform $60, Support $40), paid in full when `paid`."""
    customer = flexprice.customers.create_customer(external_id=unique("credited"), name="Credited")

    def make(paid: bool):
        invoice = flexprice.invoices.create_invoice(
            customer_id=customer.id,
            currency="usd",
            invoice_type="ONE_OFF",
            subtotal="100",
            total="100",
            amount_due="100",
            line_items=[{"display_name": "Platform", "amount": "60", "quantity": "1"}, {"display_name": "Support", "amount": "40", "quantity": "1"}],
        )
        if paid:
            flexprice.payments.create_payment(amount="100", currency="usd", destination_type="INVOICE", destination_id=invoice.id, payment_method_type="OFFLINE")
        return customer.id, invoice.id, invoice.line_items[0].id, invoice.line_items[1].id

    return make


@covers("credit_notes.create_credit_note", "credit_notes.get_credit_note")
def test_refunds_30_of_a_paid_invoice_into_the_wallet(flexprice, invoice_of_100):
    customer_id, invoice_id, platform, support = invoice_of_100(True)
    note = flexprice.credit_notes.create_credit_note(
        invoice_id=invoice_id, reason="SERVICE_ISSUE", memo="Outage", refund_target="PREPAID_WALLET", line_items=[{"invoice_line_item_id": platform, "amount": "30"}]
    )
    assert note.id.startswith("cn_") and len(note.id) == 29
    assert (note.credit_note_status, note.credit_note_type, note.total_amount, note.currency) == ("FINALIZED", "REFUND", "30", "usd")
    assert [(l.invoice_line_item_id, l.amount) for l in note.line_items] == [(platform, "30")]
    read = flexprice.credit_notes.get_credit_note(id=note.id)
    assert (read.id, read.invoice.refunded_amount, read.invoice.payment_status, read.customer.id) == (note.id, "30", "PARTIALLY_REFUNDED", customer_id)
    wallets = flexprice.wallets.get_wallets_by_customer_id(id=customer_id)
    assert [(w.wallet_type, w.credit_balance) for w in wallets] == [("PRE_PAID", "30")]  # $30 at rate 1
    with pytest.raises(errors.FlexpriceError) as refused:
        flexprice.credit_notes.create_credit_note(invoice_id=invoice_id, reason="DUPLICATE", line_items=[{"invoice_line_item_id": support, "amount": "40.01"}])
    assert refused.value.status_code == 400


@covers("credit_notes.process_credit_note", "credit_notes.void_credit_note")
def test_adjusts_an_unpaid_invoice_with_a_draft_and_voids_another(flexprice, invoice_of_100):
    _, invoice_id, platform, support = invoice_of_100(False)
    draft = flexprice.credit_notes.create_credit_note(invoice_id=invoice_id, reason="BILLING_ERROR", process_credit_note=False, line_items=[{"invoice_line_item_id": support, "amount": "40"}])
    assert (draft.credit_note_status, draft.credit_note_type) == ("DRAFT", "ADJUSTMENT")
    flexprice.credit_notes.process_credit_note(id=draft.id)
    invoice = flexprice.invoices.get_invoice(id=invoice_id)
    assert (invoice.adjustment_amount, invoice.amount_due, invoice.amount_remaining) == ("40", "60", "60")  # 100 − 40
    other = flexprice.credit_notes.create_credit_note(invoice_id=invoice_id, reason="DUPLICATE", process_credit_note=False, line_items=[{"invoice_line_item_id": platform, "amount": "5"}])
    flexprice.credit_notes.void_credit_note(id=other.id)
    assert flexprice.credit_notes.get_credit_note(id=other.id).credit_note_status == "VOIDED"
    with pytest.raises(errors.FlexpriceError) as again:
        flexprice.credit_notes.process_credit_note(id=other.id)
    assert again.value.status_code == 400
