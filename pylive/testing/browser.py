"""Browser tests for pylive apps: pytest-playwright on Debian's chromium, against the real server.

Enable in a ``conftest.py``::

    pytest_plugins = ["pylive.testing.browser"]

Then a test gets a server with ``live_server(app)`` and a page with ``live_page``
(pytest-playwright's ``page``, failing the test on any uncaught page error), and waits for the
view with ``sync``::

    def test_counter(live_server, live_page):
        server = live_server(app)
        live_page.goto(server.url + "/")
        sync(live_page)
        live_page.click("#inc")
        sync(live_page)
        expect(live_page.locator("#count")).to_have_text("Count: 2")

Playwright cannot download its own browsers here; the system's chromium is used instead:
``$PYLIVE_CHROMIUM``, else ``chromium`` on ``PATH`` (``apt-get install chromium``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pylive.app import App
from pylive.sanic import LiveServer

LOADING = ", ".join(
    f".phx-{kind}-loading"
    for kind in ("click", "change", "submit", "keydown", "keyup", "focus", "blur", "hook")
)

# Chromium looks up Google's hosts at start; this machine (and CI) has no network but loopback.
HOST_RULES = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"


def chromium_path() -> str | None:
    """``$PYLIVE_CHROMIUM`` or ``chromium`` on ``PATH``."""
    return os.environ.get("PYLIVE_CHROMIUM") or shutil.which("chromium")


def sync(page: Any, timeout: float = 5000) -> None:
    """Wait until the view is connected and no element waits for an event's answer."""
    page.wait_for_selector("[data-phx-main].phx-connected", timeout=timeout)
    page.wait_for_function("sel => !document.querySelector(sel)", arg=LOADING, timeout=timeout)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch arguments, pointed at the system chromium."""
    path = chromium_path()
    if path is None:
        pytest.fail(
            "chromium not found: install it (`apt-get install chromium`, done by scripts/test) "
            "or set PYLIVE_CHROMIUM to its path"
        )
    args = [*browser_type_launch_args.get("args", []), HOST_RULES]
    return {**browser_type_launch_args, "executable_path": path, "args": args}


def pytest_configure(config: pytest.Config) -> None:
    # pytest-playwright's fallback ``base_url`` fixture is a method on a plugin object, which
    # pytest 9 deprecates; under ``filterwarnings = error`` that would fail every browser test.
    config.addinivalue_line(
        "filterwarnings",
        "ignore:Session-scoped fixtures defined as instance methods"
        ":pytest.PytestRemovedIn10Warning",
    )


@pytest.fixture
def live_server() -> Iterator[Callable[[App], LiveServer]]:
    """``live_server(app)`` serves ``app`` on a free loopback port until the test ends."""
    servers: list[LiveServer] = []

    def start(app: App, port: int = 0) -> LiveServer:
        server = LiveServer(app, port=port).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def live_page(page: Any) -> Iterator[Any]:
    """pytest-playwright's ``page``; the test fails if the page raised an uncaught error."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert not errors, f"uncaught errors in the page: {errors}"
