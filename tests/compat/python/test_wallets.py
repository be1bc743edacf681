"""Wallets through FlexPrice's Python SDK: initial credits, top-ups at the top-up rate, the ledger, balances, termination."""

from __future__ import annotations

import pytest
from flexprice.models import errors

from helpers import covers, unique


@pytest.fixture()
def customer(flexprice):
    return flexprice.customers.create_customer(external_id=unique("holder"), name="Holder")


@covers("wallets.create_wallet", "wallets.get_wallet")
def test_creates_a_wallet_with_initial_credits_and_reads_it(flexprice, customer):
    wallet = flexprice.wallets.create_wallet(customer_id=customer.id, currency="USD", conversion_rate="0.5", initial_credits_to_load="200")
    assert wallet.id.startswith("wallet_") and len(wallet.id) == 33
    assert (wallet.currency, wallet.name, wallet.wallet_type, wallet.wallet_status) == ("usd", "Prepaid Wallet - USD", "PRE_PAID", "active")
    assert (wallet.credit_balance, wallet.balance, wallet.topup_conversion_rate) == ("200", "100", "0.5")  # 200 credits × 0.5
    assert flexprice.wallets.get_wallet(id=wallet.id).balance == "100"
    with pytest.raises(errors.FlexpriceError) as second:
        flexprice.wallets.create_wallet(customer_id=customer.id, currency="usd")
    assert second.value.status_code == 409


@covers("wallets.top_up_wallet", "wallets.get_wallet_transactions", "wallets.query_wallet_transaction")
def test_tops_up_at_the_top_up_rate_and_lists_the_ledger(flexprice, customer):
    wallet = flexprice.wallets.create_wallet(customer_id=customer.id, currency="eur", conversion_rate="0.5", topup_conversion_rate="0.25")
    top_up = flexprice.wallets.top_up_wallet(id=wallet.id, transaction_reason="PURCHASED_CREDIT_DIRECT", amount="10", idempotency_key=unique("order"))
    assert (top_up.wallet_transaction.credit_amount, top_up.wallet_transaction.amount) == ("40", "10")  # $10 ÷ 0.25
    assert (top_up.wallet.credit_balance, top_up.wallet.balance) == ("40", "20")  # 40 × 0.5
    with pytest.raises(errors.FlexpriceError) as refused:
        flexprice.wallets.top_up_wallet(id=wallet.id, transaction_reason="SUBSCRIPTION_CREDIT_GRANT", credits_to_add="5")
    assert refused.value.status_code == 400
    ledger = flexprice.wallets.get_wallet_transactions(id_path_parameter=wallet.id, type_="credit")
    assert [(t.id, t.credit_amount) for t in ledger.items] == [(top_up.wallet_transaction.id, "40")]
    found = flexprice.wallets.query_wallet_transaction(transaction_reason="PURCHASED_CREDIT_DIRECT", limit=1000)
    assert top_up.wallet_transaction.id in [t.id for t in found.items]


@covers("wallets.get_wallet_balance", "wallets.get_wallets_by_customer_id", "wallets.get_customer_wallets")
def test_reads_real_time_balances_and_a_customers_wallets(flexprice, customer):
    wallet = flexprice.wallets.create_wallet(customer_id=customer.id, currency="usd", conversion_rate="0.5", initial_credits_to_load="200")
    balance = flexprice.wallets.get_wallet_balance(id=wallet.id)
    assert (balance.balance, balance.real_time_balance, balance.real_time_credit_balance, balance.current_period_usage) == ("100", "100", "200", "0")
    assert [w.id for w in flexprice.wallets.get_wallets_by_customer_id(id=customer.id)] == [wallet.id]
    by_key = flexprice.wallets.get_customer_wallets(lookup_key=customer.external_id)
    assert [(w.id, w.balance) for w in by_key] == [(wallet.id, "100")]  # the SDK reads plain wallets; the real-time fields are in the body too


@covers("wallets.query_wallet", "wallets.update_wallet", "wallets.terminate_wallet")
def test_searches_updates_and_terminates_a_wallet(flexprice, customer):
    wallet = flexprice.wallets.create_wallet(external_customer_id=customer.external_id, currency="gbp", initial_credits_to_load="30")
    updated = flexprice.wallets.update_wallet(id=wallet.id, name="Team credits", metadata={"lab": "7"})
    assert (updated.name, updated.metadata) == ("Team credits", {"lab": "7"})
    assert [w.id for w in flexprice.wallets.query_wallet(wallet_ids=[wallet.id], status="active").items] == [wallet.id]
    flexprice.wallets.terminate_wallet(id=wallet.id)
    closed = flexprice.wallets.get_wallet(id=wallet.id)
    assert (closed.wallet_status, closed.credit_balance, closed.balance) == ("closed", "0", "0")
    with pytest.raises(errors.FlexpriceError) as again:
        flexprice.wallets.terminate_wallet(id=wallet.id)
    assert again.value.status_code == 400


@covers("wallets.top_up_wallet", "payments.create_payment", "wallets.get_wallet")
def test_buys_credits_on_an_invoice_pending_until_it_is_paid(flexprice, customer):
    wallet = flexprice.wallets.create_wallet(customer_id=customer.id, currency="chf", topup_conversion_rate="0.5")
    bought = flexprice.wallets.top_up_wallet(id=wallet.id, transaction_reason="PURCHASED_CREDIT_INVOICED", credits_to_add="20", idempotency_key=unique("purchase"))
    t = bought.wallet_transaction
    assert (t.transaction_status, t.transaction_reason, t.credit_amount, t.amount, t.credits_available) == ("pending", "PURCHASED_CREDIT_INVOICED", "20", "10", "0")  # 20 × 0.5
    assert bought.invoice_id.startswith("inv_") and bought.wallet.credit_balance == "0"
    flexprice.payments.create_payment(amount="10", currency="chf", destination_type="INVOICE", destination_id=bought.invoice_id, payment_method_type="OFFLINE")
    paid = flexprice.wallets.get_wallet(id=wallet.id)
    assert (paid.credit_balance, paid.balance) == ("20", "20")
