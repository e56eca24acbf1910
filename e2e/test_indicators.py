"""The default layout's indicators: the disconnected notice while the server is away, the
crash notice once a crashed view has joined again, and ``App(indicators=False)``."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.views import SlowCounter, slow_counter_app
from pylive import App
from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e


def test_disconnected_notice_shows_while_the_server_is_away_and_goes_on_rejoin(
    live_server, live_page
):
    page = live_page
    app = slow_counter_app()
    server = live_server(app)
    page.goto(server.url + "/")
    sync(page)
    notice = page.locator("#pylive-disconnected")
    expect(notice).to_be_hidden()
    expect(notice).to_have_attribute("role", "status")
    server.stop()
    expect(notice).to_be_visible(timeout=3000)
    expect(notice).to_have_text("Disconnected — reconnecting…")
    live_server(app, port=server.port)
    expect(notice).to_be_hidden(timeout=6000)
    sync(page)
    expect(page.locator("#pylive-crashed")).to_be_hidden()


def test_crash_notice_shows_after_the_rejoin_and_is_dismissed(live_server, live_page):
    page = live_page
    server = live_server(slow_counter_app())
    page.goto(server.url + "/")
    sync(page)
    page.click("#inc")
    sync(page)
    crashed = page.locator("#pylive-crashed")
    expect(crashed).to_be_hidden()
    page.click("#boom")
    expect(page.locator("#count")).to_have_text("Count: 0")
    expect(crashed).to_be_visible()
    expect(crashed).to_have_text("Something went wrong — the page was reset. Dismiss")
    expect(page.locator("#pylive-disconnected")).to_be_hidden()  # the socket never went down
    crashed.get_by_role("button", name="Dismiss").click()
    expect(crashed).to_be_hidden()


def test_indicators_false_leaves_them_out(live_server, live_page):
    app = App(secret_key="e2e-secret-key-0123456789", indicators=False)
    app.live("/", SlowCounter)
    server = live_server(app)
    live_page.goto(server.url + "/")
    sync(live_page)
    for selector in ("#pylive-topbar", "#pylive-disconnected", "#pylive-crashed"):
        expect(live_page.locator(selector)).to_have_count(0)
    live_page.click("#inc")
    sync(live_page)
    expect(live_page.locator("#count")).to_have_text("Count: 2")
