"""The Tally client: the generated API classes, configured and wrapped."""

from __future__ import annotations

import inspect
import os
import re
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Optional

import urllib3

from tally_sdk._generated import api as generated_apis
from tally_sdk._generated.configuration import Configuration
from tally_sdk.pagination import collect_all, paginate
from tally_sdk.transport import RetrySettings, TallyApiClient

DEFAULT_BASE_URL = "http://localhost:8080/v1"
__version__ = "0.1.0"


if TYPE_CHECKING:
    from tally_sdk._generated.api.addons_api import AddonsApi
    from tally_sdk._generated.api.coupons_api import CouponsApi
    from tally_sdk._generated.api.credit_grants_api import CreditGrantsApi
    from tally_sdk._generated.api.credit_notes_api import CreditNotesApi
    from tally_sdk._generated.api.customers_api import CustomersApi
    from tally_sdk._generated.api.entitlements_api import EntitlementsApi
    from tally_sdk._generated.api.environments_api import EnvironmentsApi
    from tally_sdk._generated.api.events_api import EventsApi
    from tally_sdk._generated.api.features_api import FeaturesApi
    from tally_sdk._generated.api.health_api import HealthApi
    from tally_sdk._generated.api.invoices_api import InvoicesApi
    from tally_sdk._generated.api.meters_api import MetersApi
    from tally_sdk._generated.api.payments_api import PaymentsApi
    from tally_sdk._generated.api.plans_api import PlansApi
    from tally_sdk._generated.api.price_units_api import PriceUnitsApi
    from tally_sdk._generated.api.prices_api import PricesApi
    from tally_sdk._generated.api.secrets_api import SecretsApi
    from tally_sdk._generated.api.settings_api import SettingsApi
    from tally_sdk._generated.api.subscriptions_api import SubscriptionsApi
    from tally_sdk._generated.api.tax_associations_api import TaxAssociationsApi
    from tally_sdk._generated.api.tax_rates_api import TaxRatesApi
    from tally_sdk._generated.api.test_clocks_api import TestClocksApi
    from tally_sdk._generated.api.wallets_api import WalletsApi
    from tally_sdk._generated.api.webhooks_api import WebhooksApi


def _property_name(api_class_name: str) -> str:
    """``CustomersApi`` → ``customers``, ``CustomerUsageApi`` → ``customer_usage``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", api_class_name[: -len("Api")]).lower()


def _env(name: str) -> Optional[str]:
    value = os.environ.get(name)
    return value if value else None


class Tally:
    """A Tally API client.

    ``api_key`` defaults to ``TALLY_API_KEY``; ``base_url`` to ``TALLY_BASE_URL``, else
    ``http://localhost:8080/v1``. ``timeout`` (seconds, per attempt) and the retry settings apply
    to every call: network errors, timeouts, 429 and 5xx are retried up to ``max_retries`` times
    with exponential backoff and full jitter (``Retry-After`` wins when the server sends it), and
    every POST carries one ``Idempotency-Key`` across its retries. Error answers raise
    :class:`tally_sdk.TallyApiError` subclasses.

    ``pool_manager`` replaces the urllib3 pool the requests go through (a ``ProxyManager``, or a
    test double).

    Every generated API class is an attribute: ``CustomersApi`` is ``tally.customers``,
    ``SecretsApi`` is ``tally.secrets``; a resource added to the spec appears at the next
    ``npm run generate``.
    """

    addons: "AddonsApi"
    coupons: "CouponsApi"
    credit_grants: "CreditGrantsApi"
    credit_notes: "CreditNotesApi"
    customers: "CustomersApi"
    entitlements: "EntitlementsApi"
    environments: "EnvironmentsApi"
    events: "EventsApi"
    features: "FeaturesApi"
    health: "HealthApi"
    invoices: "InvoicesApi"
    meters: "MetersApi"
    payments: "PaymentsApi"
    plans: "PlansApi"
    price_units: "PriceUnitsApi"
    prices: "PricesApi"
    secrets: "SecretsApi"
    settings: "SettingsApi"
    subscriptions: "SubscriptionsApi"
    tax_associations: "TaxAssociationsApi"
    tax_rates: "TaxRatesApi"
    test_clocks: "TestClocksApi"
    wallets: "WalletsApi"
    webhooks: "WebhooksApi"

    def __init__(
        self,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        *,
        timeout: Optional[float] = 30.0,
        max_retries: int = 3,
        initial_retry_delay: float = 0.5,
        max_retry_delay: float = 8.0,
        headers: Optional[Dict[str, str]] = None,
        pool_manager: Optional[urllib3.PoolManager] = None,
        sleep: Optional[Callable[[float], None]] = None,
    ) -> None:
        api_key = api_key or _env("TALLY_API_KEY")
        if not api_key:
            raise ValueError("Tally needs an API key: pass api_key=... or set TALLY_API_KEY")
        if max_retries < 0 or initial_retry_delay < 0 or max_retry_delay < 0:
            raise ValueError("max_retries and the retry delays must be >= 0")
        self.base_url = (base_url or _env("TALLY_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        # retries=False: urllib3 must not retry behind our back (it would not reuse the key rules).
        configuration = Configuration(host=self.base_url, api_key={"ApiKeyAuth": api_key}, retries=False)
        settings = RetrySettings(max_retries=max_retries, initial_delay=initial_retry_delay, max_delay=max_retry_delay, timeout=timeout)
        extra = {"sleep": sleep} if sleep is not None else {}
        self.api_client = TallyApiClient(configuration, settings, **extra)
        self.api_client.user_agent = f"tally-sdk-python/{__version__}"
        for name, value in (headers or {}).items():
            self.api_client.set_default_header(name, value)
        if pool_manager is not None:
            self.api_client.rest_client.pool_manager = pool_manager
        for name, api_class in inspect.getmembers(generated_apis, inspect.isclass):
            if name.endswith("Api"):
                setattr(self, _property_name(name), api_class(self.api_client))

    def __getattr__(self, name: str) -> Any:
        # Only reached for attributes not set above; typed Any so that API classes newer than the
        # annotations above still type-check.
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def paginate(self, fetch_page: Callable[[int, int], Any], *, limit: int = 100, offset: int = 0) -> Iterator[Any]:
        """Every item of every page of a list or search; see :func:`tally_sdk.paginate`."""
        return paginate(fetch_page, limit=limit, offset=offset)

    def collect_all(self, fetch_page: Callable[[int, int], Any], *, limit: int = 100, offset: int = 0) -> List[Any]:
        """Every item of every page of a list or search, in one list."""
        return collect_all(fetch_page, limit=limit, offset=offset)

    def close(self) -> None:
        """Closes the pooled connections."""
        self.api_client.rest_client.pool_manager.clear()

    def __enter__(self) -> "Tally":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
