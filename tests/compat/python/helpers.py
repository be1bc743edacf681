"""Small helpers shared by the compatibility tests."""

from __future__ import annotations

import secrets
import time

import pytest

#: Marks the SDK operations a test exercises: `@covers("customers.create_customer", …)`.
covers = pytest.mark.covers


def unique(prefix: str) -> str:
    """A name or key no other test or run uses."""
    return f"{prefix}-{int(time.time() * 1000):x}-{secrets.token_hex(3)}"
