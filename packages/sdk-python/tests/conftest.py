from __future__ import annotations

from typing import Iterator

import pytest

from tally_sdk import Tally
from tally_server import RunningTally, start_tally


@pytest.fixture(scope="session")
def server() -> Iterator[RunningTally]:
    running = start_tally()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture()
def tally(server: RunningTally) -> Iterator[Tally]:
    with Tally(server.api_key, server.base_url, initial_retry_delay=0.01, max_retry_delay=0.05) as client:
        yield client
