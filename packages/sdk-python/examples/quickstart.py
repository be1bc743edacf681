"""Runnable against a local Tally: `npm start` at the repository root, then

    export TALLY_API_KEY=$(cat .data/bootstrap-api-key)
    pip install ./packages/sdk-python
    python packages/sdk-python/examples/quickstart.py
"""

import time

from tally_sdk import CreateCustomerRequest, Tally, TallyNotFoundError, UpdateCustomerRequest

with Tally() as tally:  # TALLY_API_KEY; TALLY_BASE_URL or http://localhost:8080/v1
    customer = tally.customers.create_customer(
        CreateCustomerRequest(external_id=f"quickstart-{int(time.time() * 1000)}", name="Acme Corp", email="billing@acme.test")
    )
    print(f"created {customer.id} ({customer.external_id})")

    tally.customers.update_customer_by_id(customer.id, UpdateCustomerRequest(timezone="Europe/Berlin"))

    everyone = tally.collect_all(lambda limit, offset: tally.customers.list_customers(limit=limit, offset=offset), limit=50)
    print(f"{len(everyone)} customers in this environment")

    tally.customers.delete_customer(customer.id)
    try:
        tally.customers.get_customer(customer.id)
    except TallyNotFoundError as err:
        print(f"deleted: {err.code} (HTTP {err.http_status_code}, request {err.request_id})")
