"""The billing loop through the Python SDK against a live Tally.

A plan of $20 a month in advance plus $0.01 per API call in arrears; a customer on a test clock
subscribes, makes 3,000 calls, and the clock is advanced past the period's end. The catalogue lives
on the wall clock (prices take effect when created), so the clock is frozen just after the prices
exist, and every expected date is computed from its time.
"""

from __future__ import annotations

import calendar
import math
import re
import time
import uuid
from datetime import datetime, timedelta, timezone

from tally_sdk import (
    AdvanceTestClockRequest,
    CreateCustomerRequest,
    CreateMeterRequest,
    CreatePlanRequest,
    CreatePriceRequest,
    CreateSubscriptionRequest,
    CreateTestClockRequest,
    DecimalInput,
    IngestEventRequest,
    MeterAggregationRequest,
    Tally,
)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def months_later(d: datetime, n: int) -> datetime:
    """The same instant `n` calendar months later, the day clamped to the month's last (31 Jan + 1 → 28 Feb, + 2 → 31 Mar)."""
    year, month = divmod(d.month - 1 + n, 12)
    year, month = d.year + year, month + 1
    return d.replace(year=year, month=month, day=min(d.day, calendar.monthrange(year, month)[1]))


def number_prefix(d: datetime) -> str:
    return f"INV-{d.astimezone(timezone.utc):%Y%m}-"


def test_bills_the_opening_fee_then_usage_and_the_next_fee_when_the_clock_is_advanced(tally: Tally) -> None:
    event_name = unique("api_call")
    meter = tally.meters.create_meter(
        CreateMeterRequest(name="API calls", event_name=event_name, aggregation=MeterAggregationRequest(type="SUM", field="calls"), reset_usage="BILLING_PERIOD")
    )
    plan = tally.plans.create_plan(CreatePlanRequest(name="Pro", lookup_key=unique("pro")))
    common = dict(entity_type="PLAN", entity_id=plan.id, price_unit_type="FIAT", currency="usd", billing_model="FLAT_FEE", billing_period="MONTHLY", billing_period_count=1)
    tally.prices.create_price(CreatePriceRequest(**common, type="FIXED", amount=DecimalInput("20"), invoice_cadence="ADVANCE", display_name="Platform fee"))
    tally.prices.create_price(CreatePriceRequest(**common, type="USAGE", meter_id=meter.id, amount=DecimalInput("0.01"), invoice_cadence="ARREAR", display_name="API calls"))

    # Frozen at the next whole second and one more: after the prices were created, so the clock sees them.
    frozen = datetime.fromtimestamp(math.ceil(time.time()) + 1, tz=timezone.utc)
    clock = tally.test_clocks.create_test_clock(CreateTestClockRequest(name="billing loop", frozen_time=frozen))
    start = clock.frozen_time
    assert start == frozen
    end = months_later(start, 1)
    customer = tally.customers.create_customer(CreateCustomerRequest(external_id=unique("acme"), name="Acme", test_clock_id=clock.id))

    subscription = tally.subscriptions.create_subscription(
        CreateSubscriptionRequest(customer_id=customer.id, plan_id=plan.id, currency="usd", billing_period="MONTHLY")
    )
    assert (subscription.subscription_status.value, subscription.start_date, subscription.current_period_end) == ("active", start, end)

    # 3,000 calls, sent as three events a minute into the period.
    at = start + timedelta(minutes=1)
    for i, calls in enumerate([1000, 1500, 500]):
        tally.events.ingest_event(
            IngestEventRequest(event_name=event_name, external_customer_id=customer.external_id, event_id=f"{clock.id}-{i}", timestamp=at, properties={"calls": calls})
        )

    # Past the period's end; an answer still `advancing` is polled until the clock is ready.
    target = end + timedelta(minutes=1)
    advanced = tally.test_clocks.advance_test_clock(clock.id, AdvanceTestClockRequest(frozen_time=target))
    for _ in range(600):
        if advanced.status.value != "advancing":
            break
        time.sleep(0.1)
        advanced = tally.test_clocks.get_test_clock(clock.id)
    assert (advanced.status.value, advanced.frozen_time) == ("ready", target)

    invoices = tally.invoices.list_invoices(subscription_id=subscription.id, order="asc").items

    def headline(inv):
        return (
            inv.billing_reason.value,
            inv.invoice_status.value,
            inv.payment_status.value,
            inv.period_start,
            inv.period_end,
            inv.subtotal,
            inv.total,
            inv.amount_due,
            inv.amount_remaining,
            [(l.display_name, l.quantity, l.amount, l.period_start, l.period_end) for l in inv.line_items],
        )

    assert [headline(inv) for inv in invoices] == [
        # The first month's fee, in advance.
        ("SUBSCRIPTION_CREATE", "FINALIZED", "PENDING", start, end, "20", "20", "20", "20", [("Platform fee", "1", "20", start, end)]),
        # 3,000 × $0.01 = $30 of calls + $20, the next month's fee = $50.
        (
            "SUBSCRIPTION_CYCLE",
            "FINALIZED",
            "PENDING",
            start,
            end,
            "50",
            "50",
            "50",
            "50",
            [("API calls", "3000", "30", start, end), ("Platform fee", "1", "20", end, months_later(start, 2))],
        ),
    ]
    opening, renewal = invoices
    # Numbered when finalized, in the clock's month (the server is shared by the session's tests).
    assert re.fullmatch(rf"{number_prefix(start)}\d{{5}}", opening.invoice_number)
    assert re.fullmatch(rf"{number_prefix(end)}\d{{5}}", renewal.invoice_number)
    assert opening.invoice_number != renewal.invoice_number
    assert (opening.finalized_at, renewal.finalized_at) == (start, end)
