"""Backoff and Retry-After arithmetic, kept apart from I/O so it is easy to test."""

from __future__ import annotations

import random
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Callable, Optional

#: Longest ``Retry-After`` honoured; a server asking for more gets this, then another retry.
MAX_RETRY_AFTER = 60.0


def backoff_delay(attempt: int, initial: float, maximum: float, rand: Callable[[], float] = random.random) -> float:
    """Seconds to wait before retry number ``attempt`` (0-based): exponential backoff, full jitter."""
    return rand() * min(maximum, initial * (2**attempt))


def retry_after_seconds(header: Optional[str], now: Optional[datetime] = None) -> Optional[float]:
    """``Retry-After`` (delta-seconds or an HTTP date) in seconds; None when absent or unreadable."""
    if header is None or not header.strip():
        return None
    value = header.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - (now or datetime.now(timezone.utc))).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)
