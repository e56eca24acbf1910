"""Connection loss and recovery: a server restart, a crash in the view, a refused join token."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from e2e.views import slow_counter_app
from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e

CONNECTED = re.compile(r"\bphx-connected\b")

RECORD_CLASSES = """() => {
    window.classes = [];
    const main = document.querySelector("[data-phx-main]");
    new MutationObserver(() => window.classes.push(main.className))
        .observe(main, {attributes: true, attributeFilter: ["class"]});
}"""


def test_server_restart_on_the_same_port_reconnects_and_remounts(live_server, live_page):
    page = live_page
    app = slow_counter_app()
    server = live_server(app)
    page.goto(server.url + "/")
    sync(page)
    page.click("#inc")
    sync(page)
    expect(page.locator("#count")).to_have_text("Count: 2")
    page.click("#note")
    page.keyboard.type("abc")
    focused = page.evaluate_handle("() => document.activeElement")
    page.evaluate(RECORD_CLASSES)

    server.stop()
    page.wait_for_function("() => window.classes.some((c) => c.includes('phx-client-error'))")
    stopped = time.monotonic()
    live_server(app, port=server.port)
    expect(page.locator("#phx-main")).to_have_class(CONNECTED, timeout=5000)
    sync(page)
    assert time.monotonic() - stopped < 5
    expect(page.locator("#count")).to_have_text("Count: 0")  # a fresh mount
    assert page.evaluate("(el) => [el === document.activeElement, el.value]", focused) == [
        True,
        "abc",
    ]
    assert "phx-loading phx-error phx-client-error" in page.evaluate("() => window.classes")
    page.click("#inc")
    sync(page)
    expect(page.locator("#count")).to_have_text("Count: 2")


def test_crash_shows_server_error_then_remounts(live_server, live_page):
    page = live_page
    server = live_server(slow_counter_app())
    page.goto(server.url + "/")
    sync(page)
    page.click("#inc")
    sync(page)
    page.evaluate(RECORD_CLASSES)
    page.click("#boom")
    expect(page.locator("#count")).to_have_text("Count: 0")
    sync(page)
    classes = page.evaluate("() => window.classes")
    assert classes == ["phx-loading phx-error phx-server-error", "phx-connected"]
    page.click("#inc")
    sync(page)
    expect(page.locator("#count")).to_have_text("Count: 2")


def test_refused_join_token_reloads_the_page(live_server, live_page):
    page = live_page
    server = live_server(slow_counter_app())
    page.goto(server.url + "/")
    sync(page)
    page.evaluate("() => { window.before = true; pylive.disconnect(); }")
    with page.expect_event("load"):
        page.evaluate(
            """() => {
                document.querySelector("[data-phx-main]").dataset.phxSession = "tampered";
                pylive.connect();
            }"""
        )
    sync(page)
    assert page.evaluate("() => window.before") is None  # a new document
    assert page.evaluate("() => sessionStorage.length") == 0  # reload count cleared on join
