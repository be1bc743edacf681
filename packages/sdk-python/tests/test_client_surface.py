"""Type checkers see every resource of the spec on ``Tally``: each generated API class is declared."""

import inspect

from tally_sdk import Tally
from tally_sdk._generated import api as generated_apis
from tally_sdk.client import _property_name


def test_every_generated_api_is_a_declared_attribute():
    generated = {
        _property_name(name): name
        for name, cls in inspect.getmembers(generated_apis, inspect.isclass)
        if name.endswith("Api")
    }
    assert "plans" in generated and "price_units" in generated
    # The annotations are the quoted class names (forward references).
    assert {k: v.strip("\x27\"") for k, v in Tally.__annotations__.items()} == generated
    client = Tally(api_key="sk_test", base_url="http://127.0.0.1:9/v1")
    for attribute, class_name in generated.items():
        assert type(getattr(client, attribute)).__name__ == class_name
