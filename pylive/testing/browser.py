"""Browser tests for pylive apps: pytest-playwright's chromium against the real server.

These fixtures are registered by pylive's pytest plugin whenever pytest-playwright is installed
(``pip install pylive[testing]``): nothing to enable. ``live_server(app)`` serves an app on a
free loopback port for the test, ``live_page`` is pytest-playwright's ``page`` that also fails
the test on any uncaught error in the page, and ``sync(page)`` waits until the view is
connected and no element waits for an event's answer::

    from playwright.sync_api import expect
    from pylive.testing.browser import sync

    def test_counter(live_server, live_page):
        server = live_server(app)
        live_page.goto(server.url + "/")
        sync(live_page)
        live_page.click("#inc")
        sync(live_page)
        expect(live_page.locator("#count")).to_have_text("Count: 2")

The browser is the system's chromium when there is one (``$PYLIVE_CHROMIUM``, else ``chromium``
on ``PATH``, e.g. Debian's ``apt-get install chromium``), otherwise the one Playwright installed
(``playwright install chromium``). ``-p no:pylive.testing.browser`` turns the fixtures off.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
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
    """pylive: pytest-playwright's launch arguments, pointed at the system chromium if any."""
    args = {**browser_type_launch_args}
    args["args"] = [*browser_type_launch_args.get("args", []), HOST_RULES]
    path = chromium_path()
    if path is not None:
        args["executable_path"] = path
    return args


def pytest_configure(config: pytest.Config) -> None:
    # pytest-playwright's fallback ``base_url`` fixture is a method on a plugin object, which
    # pytest 9 deprecates; under ``filterwarnings = error`` that would fail every browser test.
    config.addinivalue_line(
        "filterwarnings",
        "ignore:Session-scoped fixtures defined as instance methods"
        ":pytest.PytestRemovedIn10Warning",
    )


@pytest.fixture
def live_server() -> Iterator[Callable[..., LiveServer]]:
    """pylive: ``live_server(app)`` serves ``app`` on a free loopback port (or ``port=``) and
    returns the ``LiveServer`` (``.url``); every server it started stops when the test ends."""
    from pylive.sanic import LiveServer

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
    """pylive: pytest-playwright's ``page``; the test fails if the page raised an uncaught
    error."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert not errors, f"uncaught errors in the page: {errors}"
