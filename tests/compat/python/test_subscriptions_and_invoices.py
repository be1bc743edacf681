"""Subscriptions and invoices through FlexPrice's Python SDK, on the server's wall clock.

A plan of $20 a month in advance plus $0.01 per request in arrears; subscriptions started now,
drafts activated, the period-end invoice previewed; one-off invoices drafted, updated, finalized,
paid by hand, voided, searched and summarised.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any, Tuple

import pytest
from flexprice.models import errors

from helpers import covers, unique

INVOICE_NUMBER = re.compile(r"INV-\d{6}-\d{5}")


def _prices(sdk: Any, plan_id: str, meter_id: str, fee: bool = True) -> None:
    common = dict(entity_id=plan_id, entity_type="PLAN", currency="usd", billing_period="MONTHLY", billing_period_count=1, billing_model="FLAT_FEE", price_unit_type="FIAT")
    if fee:
        sdk.prices.create_price(**common, type_="FIXED", amount="20", invoice_cadence="ADVANCE", display_name="Platform fee")
    sdk.prices.create_price(**common, type_="USAGE", meter_id=meter_id, amount="0.01", invoice_cadence="ARREAR", display_name="Requests")


@pytest.fixture(scope="module")
def catalogue(sdk) -> Tuple[str, str, str]:
    """(plan with the fee and requests, plan with requests only, the meter's event name)."""
    key = unique("si-requests")
    event_name = f"{key}.request"
    meter = {"name": "Requests", "event_name": event_name, "aggregation": {"type": "COUNT"}, "reset_usage": "BILLING_PERIOD"}
    meter_id = sdk.features.create_feature(name="Requests", type_="metered", lookup_key=key, meter=meter).meter_id
    pro = sdk.plans.create_plan(name="Pro", lookup_key=unique("si-pro")).id
    _prices(sdk, pro, meter_id)
    metered = sdk.plans.create_plan(name="Metered", lookup_key=unique("si-metered")).id
    _prices(sdk, metered, meter_id, fee=False)
    return pro, metered, event_name


def _customer(flexprice, name: str) -> Tuple[str, str]:
    external_id = unique(name.lower())
    return flexprice.customers.create_customer(external_id=external_id, name=name).id, external_id


def _subscribe(flexprice, customer_id: str, plan_id: str, **extra):
    return flexprice.subscriptions.create_subscription(customer_id=customer_id, plan_id=plan_id, currency="usd", billing_period="MONTHLY", **extra)


@covers("subscriptions.create_subscription", "subscriptions.get_subscription", "invoices.get_invoice")
def test_subscribes_a_customer_with_a_finalized_opening_invoice(flexprice, catalogue):
    pro, _, _ = catalogue
    customer_id, _ = _customer(flexprice, "Subscriber")
    sub = _subscribe(flexprice, customer_id, pro)
    assert re.fullmatch(r"subs_[0-9A-Z]{26}", sub.id)
    assert (sub.customer_id, sub.plan_id, sub.subscription_status, sub.billing_cadence, sub.billing_cycle) == (customer_id, pro, "active", "RECURRING", "anniversary")
    assert sub.current_period_start == sub.start_date
    opening = sub.latest_invoice
    assert (opening.billing_reason, opening.invoice_status, opening.payment_status, opening.subtotal, opening.total, opening.amount_due) == (
        "SUBSCRIPTION_CREATE",
        "FINALIZED",
        "PENDING",
        "20",
        "20",
        "20",
    )
    assert INVOICE_NUMBER.fullmatch(opening.invoice_number)

    read = flexprice.subscriptions.get_subscription(id=sub.id)
    assert (read.id, read.subscription_status, read.current_period_end, read.plan.id) == (sub.id, "active", sub.current_period_end, pro)
    assert sorted((l.display_name, l.price_type, l.invoice_cadence) for l in read.line_items) == [("Platform fee", "FIXED", "ADVANCE"), ("Requests", "USAGE", "ARREAR")]

    invoice = flexprice.invoices.get_invoice(id=opening.id)
    assert (invoice.subscription_id, invoice.invoice_number, invoice.period_start, invoice.period_end) == (sub.id, opening.invoice_number, sub.start_date, sub.current_period_end)
    assert [(l.display_name, l.quantity, l.amount) for l in invoice.line_items] == [("Platform fee", "1", "20")]  # 1 × $20, in advance


@covers("subscriptions.get_subscription_v2", "subscriptions.query_subscription")
def test_reads_v2_with_expansions_and_searches(flexprice, catalogue):
    pro, _, _ = catalogue
    customer_id, _ = _customer(flexprice, "Searcher")
    sub = _subscribe(flexprice, customer_id, pro)
    v2 = flexprice.subscriptions.get_subscription_v2(id=sub.id, expand="plan,subscription_line_items")
    assert (v2.id, v2.plan.id, v2.plan.name, v2.customer) == (sub.id, pro, "Pro", None)
    assert sorted(l.display_name for l in v2.line_items) == ["Platform fee", "Requests"]
    assert flexprice.subscriptions.get_subscription_v2(id=sub.id).line_items is None
    found = flexprice.subscriptions.query_subscription(customer_id=customer_id, subscription_status=["active"])
    assert ([s.id for s in found.items], found.pagination.total) == ([sub.id], 1)
    assert flexprice.subscriptions.query_subscription(customer_id=customer_id, subscription_status=["cancelled"]).items == []


@covers("subscriptions.activate_subscription", "subscriptions.update_subscription", "invoices.query_invoice")
def test_activates_a_draft_and_sets_cancel_at(flexprice, catalogue):
    pro, _, _ = catalogue
    customer_id, _ = _customer(flexprice, "Drafter")
    draft = _subscribe(flexprice, customer_id, pro, subscription_status="draft")
    assert (draft.subscription_status, draft.latest_invoice) == ("draft", None)
    start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=1)
    active = flexprice.subscriptions.activate_subscription(id=draft.id, start_date=start)
    assert (active.subscription_status, active.start_date, active.current_period_start) == ("active", start, start)
    invoices = flexprice.invoices.query_invoice(subscription_id=draft.id).items
    assert [(i.billing_reason, i.total, i.period_start) for i in invoices] == [("SUBSCRIPTION_CREATE", "20", start)]
    updated = flexprice.subscriptions.update_subscription(id=draft.id, cancel_at=active.current_period_end)
    assert (updated.cancel_at, updated.end_date, updated.cancel_at_period_end, updated.version) == (active.current_period_end, active.current_period_end, False, active.version + 1)


@covers("subscriptions.cancel_subscription")
def test_cancels_on_a_scheduled_date_and_at_once(flexprice, catalogue):
    pro, _, _ = catalogue
    customer_id, _ = _customer(flexprice, "Scheduler")
    sub = _subscribe(flexprice, customer_id, pro)
    when = sub.current_period_start + timedelta(days=10)
    scheduled = flexprice.subscriptions.cancel_subscription(id=sub.id, cancellation_type="scheduled_date", cancel_at=when)
    assert (scheduled.status, scheduled.effective_date, scheduled.total_credit_amount) == ("active", when, "0")
    after = flexprice.subscriptions.get_subscription(id=sub.id)
    assert (after.cancel_at, after.end_date, after.current_period_end) == (when, when, when)
    # The SDK spells the invoice policy correctly; Tally reads both spellings.
    other = _subscribe(flexprice, _customer(flexprice, "Quitter")[0], pro)
    gone = flexprice.subscriptions.cancel_subscription(id=other.id, cancellation_type="immediate", cancel_immediately_invoice_policy="generate_invoice")
    assert (gone.status, gone.total_credit_amount, gone.proration_invoice.billing_reason) == ("cancelled", "0", "PRORATION")


@covers("subscriptions.preview_subscription_plan_change_v2", "subscriptions.execute_subscription_plan_change_v2")
def test_changes_plan_in_place_at_once_and_at_the_period_end(flexprice, catalogue):
    pro, metered, _ = catalogue
    sub = _subscribe(flexprice, _customer(flexprice, "Downgrader")[0], pro)
    # Moments into the period: the unused part of the $20 fee rounds to $20.00; Metered has no fee, so net −$20.00 → wallet.
    preview = flexprice.subscriptions.preview_subscription_plan_change_v2(id=sub.id, target_plan_id=metered, proration_behavior="create_prorations")
    assert (preview.change_type, preview.is_scheduled, preview.from_plan.id, preview.to_plan.id) == ("downgrade", False, pro, metered)
    [quoted] = preview.changed_resources.invoices
    assert (quoted.action, quoted.status, quoted.wallet_transaction.credit_amount) == ("wallet_credit", "preview", "20")
    assert flexprice.subscriptions.get_subscription(id=sub.id).plan_id == pro
    done = flexprice.subscriptions.execute_subscription_plan_change_v2(id=sub.id, target_plan_id=metered, proration_behavior="create_prorations")
    [credit] = done.changed_resources.invoices
    assert (credit.action, credit.status, credit.wallet_transaction.credit_amount, credit.wallet_transaction.transaction_reason) == ("wallet_credit", "issued", "20", "SUBSCRIPTION_CREDIT_GRANT")
    assert (done.subscription.id, done.subscription.plan_id, done.change_type) == (sub.id, metered, "downgrade")
    assert sorted(l.change_action for l in done.changed_resources.line_items) == ["created", "ended", "ended"]

    later = _subscribe(flexprice, _customer(flexprice, "Upgrader")[0], metered)
    scheduled = flexprice.subscriptions.execute_subscription_plan_change_v2(id=later.id, target_plan_id=pro, proration_behavior="none", change_at="end_of_period")
    assert (scheduled.change_type, scheduled.is_scheduled, scheduled.scheduled_at, scheduled.changed_resources.invoices) == ("upgrade", True, later.current_period_end, [])
    [schedule] = flexprice.subscriptions.list_subscription_schedules(id=later.id).schedules
    assert (schedule.id, schedule.schedule_type, schedule.status) == (scheduled.schedule_id, "plan_change", "pending")
    with pytest.raises(errors.FlexpriceError) as refused:
        flexprice.subscriptions.execute_subscription_plan_change_v2(id=later.id, target_plan_id=pro, proration_behavior="none")
    assert refused.value.status_code == 400


@covers("subscriptions.preview_subscription_change", "subscriptions.execute_subscription_change")
def test_changes_plan_by_replacing_the_subscription(flexprice, catalogue):
    pro, metered, _ = catalogue
    sub = _subscribe(flexprice, _customer(flexprice, "Replacer")[0], pro)
    body = dict(target_plan_id=metered, proration_behavior="create_prorations", billing_cadence="RECURRING", billing_period="MONTHLY", billing_cycle="anniversary")
    # Moments into the period: the unused part of the $20 fee rounds to $20.00; Metered has no fee to net it against.
    preview = flexprice.subscriptions.preview_subscription_change(id=sub.id, **body)
    assert (preview.change_type, preview.current_plan.id, preview.target_plan.id) == ("downgrade", pro, metered)
    assert (preview.proration_details.credit_amount, preview.next_invoice_preview.total) == ("20", "0")
    assert any("not carried over" in w for w in preview.warnings)
    assert flexprice.subscriptions.get_subscription(id=sub.id).subscription_status == "active"
    done = flexprice.subscriptions.execute_subscription_change(id=sub.id, **body)
    assert (done.is_scheduled, done.change_type, done.old_subscription.id, done.old_subscription.status) == (False, "downgrade", sub.id, "cancelled")
    assert (done.new_subscription.plan_id, done.new_subscription.status, done.invoice.invoice_status) == (metered, "active", "SKIPPED")
    assert done.new_subscription.id != sub.id

    later = _subscribe(flexprice, _customer(flexprice, "Waiter")[0], metered)
    scheduled = flexprice.subscriptions.execute_subscription_change(id=later.id, **{**body, "target_plan_id": pro, "proration_behavior": "none"}, change_at="end_of_period")
    assert (scheduled.is_scheduled, scheduled.change_type, scheduled.scheduled_at) == (True, "upgrade", later.current_period_end)
    [schedule] = flexprice.subscriptions.list_subscription_schedules(id=later.id).schedules
    assert (schedule.id, schedule.schedule_type, schedule.status) == (scheduled.schedule_id, "plan_change", "pending")


@covers("subscriptions.list_subscription_schedules", "subscriptions.get_subscription_schedule", "subscriptions.list_all_subscription_schedules", "subscriptions.cancel_subscription_schedule")
def test_reads_and_calls_off_a_scheduled_cancellation(flexprice, catalogue):
    pro, _, _ = catalogue
    sub = _subscribe(flexprice, _customer(flexprice, "Hesitant")[0], pro)
    flexprice.subscriptions.cancel_subscription(id=sub.id, cancellation_type="end_of_period")
    mine = flexprice.subscriptions.list_subscription_schedules(id=sub.id)
    assert mine.count == 1
    schedule = mine.schedules[0]
    assert (schedule.schedule_type, schedule.status, schedule.scheduled_at) == ("cancellation", "pending", sub.current_period_end)
    assert flexprice.subscriptions.get_subscription_schedule(schedule_id=schedule.id).id == schedule.id
    pending = flexprice.subscriptions.list_all_subscription_schedules(pending_only=True, subscription_ids=[sub.id], schedule_type=["cancellation"])
    assert [s.id for s in pending.schedules] == [schedule.id]
    assert flexprice.subscriptions.cancel_subscription_schedule(schedule_id_param=schedule.id).status == "cancelled"
    assert flexprice.subscriptions.get_subscription(id=sub.id).cancel_at is None


@covers("subscriptions.pause_subscription", "subscriptions.resume_subscription")
def test_pauses_and_resumes(flexprice, catalogue):
    pro, _, _ = catalogue
    sub = _subscribe(flexprice, _customer(flexprice, "Pauser")[0], pro)
    flexprice.subscriptions.pause_subscription(id=sub.id, reason="holiday")  # no pause_mode: at once
    paused = flexprice.subscriptions.get_subscription(id=sub.id)
    assert (paused.subscription_status, paused.pause_status) == ("paused", "active")
    flexprice.subscriptions.resume_subscription(id=sub.id)
    resumed = flexprice.subscriptions.get_subscription(id=sub.id)
    assert (resumed.subscription_status, resumed.pause_status) == ("active", "none")


@covers("invoices.get_invoice_preview")
def test_previews_the_period_end_invoice(flexprice, catalogue):
    pro, _, event_name = catalogue
    customer_id, external_id = _customer(flexprice, "Previewer")
    sub = _subscribe(flexprice, customer_id, pro)
    for i in range(5):
        flexprice.events.ingest_event(event_name=event_name, external_customer_id=external_id, event_id=f"{sub.id}-{i}")
    preview = flexprice.invoices.get_invoice_preview(subscription_id=sub.id)
    assert (preview.id, preview.invoice_status, preview.billing_reason, preview.period_start, preview.period_end, preview.metadata) == (
        "",
        "DRAFT",
        "SUBSCRIPTION_CYCLE",
        sub.current_period_start,
        sub.current_period_end,
        {"is_preview": "true"},
    )
    assert [(l.display_name, l.quantity, l.amount) for l in preview.line_items] == [("Requests", "5", "0.05"), ("Platform fee", "1", "20")]  # 5 × $0.01; next month's fee
    assert (preview.subtotal, preview.total, preview.invoice_number) == ("20.05", "20.05", None)


@covers("invoices.recalculate_invoice_v2")
def test_recalculates_a_skipped_opening_invoice(flexprice, catalogue):
    _, metered, _ = catalogue
    customer_id, _ = _customer(flexprice, "Metered")
    sub = _subscribe(flexprice, customer_id, metered)
    assert sub.latest_invoice is None  # nothing in advance: the opening invoice is SKIPPED, left out
    (skipped,) = flexprice.invoices.query_invoice(subscription_id=sub.id).items
    assert (skipped.invoice_status, skipped.billing_reason, skipped.subtotal, skipped.invoice_number) == ("SKIPPED", "SUBSCRIPTION_CREATE", "0", None)
    again = flexprice.invoices.recalculate_invoice_v2(id=skipped.id, finalize=False)
    assert (again.id, again.invoice_status, again.subtotal, again.total, again.line_items) == (skipped.id, "SKIPPED", "0", "0", [])
    one_off = flexprice.invoices.create_invoice(customer_id=customer_id, currency="usd", subtotal="1", total="1", amount_due="1", line_items=[{"display_name": "Setup", "amount": "1", "quantity": "1"}])
    with pytest.raises(errors.FlexpriceError) as refused:
        flexprice.invoices.recalculate_invoice_v2(id=one_off.id)
    assert refused.value.status_code == 400


def _one_off(flexprice, customer_id: str, amount: str, **extra):
    return flexprice.invoices.create_invoice(
        customer_id=customer_id,
        currency="usd",
        invoice_type="ONE_OFF",
        subtotal=amount,
        total=amount,
        amount_due=amount,
        line_items=[{"display_name": "Workshop", "amount": amount, "quantity": "1"}],
        **extra,
    )


@covers("invoices.create_invoice", "invoices.update_invoice", "invoices.finalize_invoice", "invoices.get_invoice")
def test_drafts_updates_and_finalizes_a_one_off_invoice(flexprice):
    customer_id, _ = _customer(flexprice, "Trainee")
    draft = _one_off(flexprice, customer_id, "150", invoice_status="DRAFT")
    assert re.fullmatch(r"inv_[0-9A-Z]{26}", draft.id)
    assert (draft.invoice_type, draft.invoice_status, draft.billing_reason, draft.total, draft.invoice_number) == ("ONE_OFF", "DRAFT", "MANUAL", "150", None)
    due = datetime(2031, 3, 1, tzinfo=timezone.utc)
    updated = flexprice.invoices.update_invoice(id=draft.id, due_date=due, metadata={"po": "PO-7"})
    assert (updated.due_date, updated.metadata, updated.invoice_status) == (due, {"po": "PO-7"}, "DRAFT")
    assert flexprice.invoices.finalize_invoice(id=draft.id).message == "invoice finalized successfully"
    final = flexprice.invoices.get_invoice(id=draft.id)
    assert (final.invoice_status, final.total, final.due_date) == ("FINALIZED", "150", due)
    assert INVOICE_NUMBER.fullmatch(final.invoice_number)


@covers("invoices.update_invoice_payment_status", "invoices.void_invoice", "invoices.query_invoice", "invoices.get_customer_invoice_summary")
def test_pays_voids_searches_and_summarises(flexprice):
    customer_id, _ = _customer(flexprice, "Books")
    paid, voided, open_ = (_one_off(flexprice, customer_id, a) for a in ("30", "12.5", "7"))
    after = flexprice.invoices.update_invoice_payment_status(id=paid.id, payment_status="SUCCEEDED")
    assert (after.payment_status, after.amount_paid, after.amount_remaining) == ("SUCCEEDED", "30", "0")
    assert flexprice.invoices.void_invoice(id=voided.id).message == "invoice voided successfully"
    assert flexprice.invoices.get_invoice(id=voided.id).invoice_status == "VOIDED"
    assert [i.id for i in flexprice.invoices.query_invoice(customer_id=customer_id, invoice_status=["VOIDED"]).items] == [voided.id]
    unpaid = flexprice.invoices.query_invoice(customer_id=customer_id, payment_status=["PENDING"], invoice_status=["FINALIZED"]).items
    assert [(i.id, i.amount_remaining) for i in unpaid] == [(open_.id, "7")]
    summary = flexprice.invoices.get_customer_invoice_summary(id=customer_id)
    assert (summary.customer_id, summary.default_currency) == (customer_id, "usd")
    (usd,) = summary.summaries
    # 30 + 7; the voided 12.50 is out of the books. 7 is unpaid, none overdue.
    assert (usd.currency, usd.total_revenue_amount, usd.total_invoice_count, usd.total_unpaid_amount, usd.unpaid_invoice_count, usd.total_overdue_amount, usd.overdue_invoice_count) == (
        "usd",
        "37",
        2,
        "7",
        1,
        "0",
        0,
    )
