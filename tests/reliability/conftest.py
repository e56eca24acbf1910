"""Fixtures of the reliability suite: the server under attack, started per test (or module) in
its own process and always stopped."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from _wire import ServerProcess


@pytest.fixture
def start_server() -> Iterator[Callable[..., ServerProcess]]:
    """``start_server(**limits)``: a fresh server process with those ``Limits``."""
    servers: list[ServerProcess] = []

    def start(**limits: Any) -> ServerProcess:
        server = ServerProcess(limits).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__()


@pytest.fixture(scope="module")
def shared_server() -> Iterator[ServerProcess]:
    """One server with the default limits, for the tests that do not break it."""
    with ServerProcess() as server:
        yield server
