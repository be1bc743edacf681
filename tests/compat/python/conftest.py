"""The live Tally and FlexPrice's Python SDK pointed at it, for every test of this folder."""

from __future__ import annotations

from typing import Any, Iterator, Set

import pytest
from flexprice import Flexprice

from tally_server import RunningTally, start_tally


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "covers(*operations): the SDK operations (`group.method`) the test exercises; "
        "src/coverage.ts reads them for docs/flexprice-sdk-coverage.md",
    )


class _Recorded:
    """The SDK with every operation call noted, so that a test's `covers` marker is checked."""

    def __init__(self, sdk: Flexprice, calls: Set[str]) -> None:
        self._sdk = sdk
        self._calls = calls

    def __getattr__(self, group: str) -> Any:
        return _RecordedGroup(group, getattr(self._sdk, group), self._calls)


class _RecordedGroup:
    def __init__(self, group: str, sub: Any, calls: Set[str]) -> None:
        self._group = group
        self._sub = sub
        self._calls = calls

    def __getattr__(self, method: str) -> Any:
        fn = getattr(self._sub, method)
        if not callable(fn):
            return fn

        def call(*args: Any, **kwargs: Any) -> Any:
            self._calls.add(f"{self._group}.{method}")
            return fn(*args, **kwargs)

        return call


@pytest.fixture(scope="session")
def server() -> Iterator[RunningTally]:
    running = start_tally()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def calls() -> Set[str]:
    return set()


@pytest.fixture(scope="session")
def sdk(server: RunningTally) -> Iterator[Flexprice]:
    # As a FlexPrice user constructs it: the server URL (ending in /v1) and the API key.
    with Flexprice(server_url=server.base_url, api_key_auth=server.api_key) as client:
        yield client


@pytest.fixture()
def flexprice(sdk: Flexprice, calls: Set[str]) -> Any:
    return _Recorded(sdk, calls)


@pytest.fixture(autouse=True)
def _declared_operations_are_called(request: pytest.FixtureRequest, calls: Set[str]) -> Iterator[None]:
    calls.clear()
    yield
    declared = [op for marker in request.node.iter_markers("covers") for op in marker.args]
    missing = [op for op in declared if op not in calls]
    assert not missing, f"operations the test declares but never called: {missing}"
