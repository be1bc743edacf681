"""Tax rates and tax associations through FlexPrice's Python SDK."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from flexprice.models import errors

from helpers import covers, unique


@covers("tax_rates.create_tax_rate", "tax_rates.get_tax_rate", "tax_rates.get_tax_rates")
def test_creates_reads_and_lists_tax_rates(flexprice):
    code = unique("TAX_US_CA")
    rate = flexprice.tax_rates.create_tax_rate(name="US Sales Tax", code=code, tax_rate_type="percentage", percentage_value="8.250", scope="EXTERNAL", metadata={"region": "us-ca"})
    assert rate.id.startswith("taxrate_") and len(rate.id) == 34
    # This SDK's model has no `fixed_value` (nor does its create request), so only percentage rates are made here.
    assert (rate.code, rate.tax_rate_type, rate.percentage_value, rate.tax_rate_status, rate.scope) == (code, "percentage", "8.25", "ACTIVE", "EXTERNAL")
    assert flexprice.tax_rates.get_tax_rate(id=rate.id).percentage_value == "8.25"

    other = flexprice.tax_rates.create_tax_rate(name="Second", code=unique("SECOND"), tax_rate_type="percentage", percentage_value="0.5")
    listed = flexprice.tax_rates.get_tax_rates(taxrate_codes=[code, other.code], order="asc")
    assert [(r.id, r.percentage_value) for r in listed.items] == [(rate.id, "8.25"), (other.id, "0.5")]
    assert (listed.pagination.total, listed.pagination.limit, listed.pagination.offset) == (2, 50, 50)
    assert [r.id for r in flexprice.tax_rates.get_tax_rates(taxrate_ids=[other.id]).items] == [other.id]

    with pytest.raises(errors.FlexpriceError) as duplicate:
        flexprice.tax_rates.create_tax_rate(name="Again", code=code, tax_rate_type="percentage", percentage_value="1")
    assert duplicate.value.status_code == 409


@covers("tax_rates.update_tax_rate", "tax_rates.delete_tax_rate")
def test_updates_and_deletes_a_tax_rate(flexprice):
    rate = flexprice.tax_rates.create_tax_rate(name="Old name", code=unique("UPD"), tax_rate_type="percentage", percentage_value="3")
    updated = flexprice.tax_rates.update_tax_rate(id=rate.id, name="New name", description="described", tax_rate_status="INACTIVE", metadata={"v": "2"})
    assert (updated.name, updated.description, updated.tax_rate_status, updated.metadata, updated.percentage_value) == ("New name", "described", "INACTIVE", {"v": "2"}, "3")
    flexprice.tax_rates.delete_tax_rate(id=rate.id)
    assert flexprice.tax_rates.get_tax_rate(id=rate.id).status == "archived"


@covers(
    "tax_associations.create_tax_association",
    "tax_associations.get_tax_association",
    "tax_associations.list_tax_associations",
    "tax_associations.update_tax_association",
    "tax_associations.delete_tax_association",
)
def test_links_a_rate_to_a_customer_and_manages_the_association(flexprice):
    rate = flexprice.tax_rates.create_tax_rate(name="VAT", code=unique("VAT"), tax_rate_type="percentage", percentage_value="20")
    external_id = unique("tax-cust")
    customer = flexprice.customers.create_customer(external_id=external_id, name="Taxed")

    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    end = datetime(2027, 1, 1, tzinfo=timezone.utc)
    assoc = flexprice.tax_associations.create_tax_association(
        tax_rate_code=rate.code, external_customer_id=external_id, auto_apply=True, currency="EUR", priority=2, start_date=start, end_date=end, metadata={"k": "v"}
    )
    assert assoc.id.startswith("ta_")
    assert (assoc.tax_rate_id, assoc.entity_type, assoc.entity_id, assoc.auto_apply, assoc.currency, assoc.priority) == (rate.id, "customer", customer.id, True, "eur", 2)
    assert (assoc.start_date, assoc.end_date) == (start, end)

    read = flexprice.tax_associations.get_tax_association(id=assoc.id)
    assert (read.id, read.tax_rate.code, read.tax_rate.percentage_value) == (assoc.id, rate.code, "20")

    listed = flexprice.tax_associations.list_tax_associations(entity_type="customer", entity_id=customer.id, tax_rate_id=rate.id)
    assert [a.id for a in listed.items] == [assoc.id]
    assert [a.id for a in flexprice.tax_associations.list_tax_associations(external_customer_id=external_id).items] == [assoc.id]

    paused = flexprice.tax_associations.update_tax_association(id=assoc.id, auto_apply=False, priority=0)
    assert (paused.auto_apply, paused.priority, paused.currency) == (False, 0, "eur")

    deleted = flexprice.tax_associations.delete_tax_association(id=assoc.id)
    assert (deleted.id, deleted.status) == (assoc.id, "archived")
    assert flexprice.tax_associations.list_tax_associations(entity_type="customer", entity_id=customer.id).items == []

    with pytest.raises(errors.FlexpriceError) as missing:
        flexprice.tax_associations.create_tax_association(tax_rate_code="NO_SUCH_CODE", entity_type="customer", entity_id=customer.id)
    assert missing.value.status_code == 404
