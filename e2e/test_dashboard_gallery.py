"""The gallery's live dashboard in Chromium: refused until an operator logs in, then, with no
page load, its views table, slowest events, tiles and charts follow the clicks made on another
page, every second; no page error on either page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from pylive.sanic import LiveServer
from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e


def test_the_dashboard_follows_clicks_on_another_page_live(
    gallery: LiveServer, live_page: Page
) -> None:
    page = live_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(gallery.url + "/telemetry/dashboard")
    page.wait_for_url(gallery.url + "/auth/login")
    sync(page)
    expect(page.locator("#flash-group .flash-error")).to_contain_text(
        "The live dashboard is for operators"
    )
    page.fill("#login-form input[type=email]", "ann@example.com")
    page.fill("#login-form input[type=password]", "correct horse battery")
    page.click("#log-in")
    page.wait_for_url(gallery.url + "/auth/dashboard")
    page.goto(gallery.url + "/telemetry/dashboard")
    sync(page)
    expect(page.locator("h1")).to_have_text("Live dashboard")
    page.click("#reset")  # what earlier tests did on this server does not count
    sync(page)
    loads: list[str] = []
    page.on("request", lambda r: loads.append(r.url) if r.resource_type == "document" else None)

    other: Any = page.context.new_page()
    other_errors: list[str] = []
    other.on("pageerror", lambda e: other_errors.append(str(e)))
    other.on("console", lambda m: other_errors.append(m.text) if m.type == "error" else None)
    other.goto(gallery.url + "/counter")
    sync(other)
    for _ in range(4):
        other.click("#inc")
        sync(other)
    expect(other.locator("#count")).to_have_text("Count: 8")

    counter = page.locator("#views tbody tr").filter(
        has=page.locator("td", has_text=re.compile(r"^CounterPage$"))
    )
    cells = counter.locator("td")
    expect(cells.nth(1)).to_have_text("1")  # live
    expect(cells.nth(4)).to_have_text("4")  # events
    slowest = page.locator("#slowest tbody tr")
    expect(slowest.filter(has_text=re.compile(r"^CounterPageinc"))).to_have_count(4)
    expect(slowest).to_have_count(5)  # and the reset
    expect(page.locator("#tile-sessions .figure")).to_have_text("2")  # the dashboard, the counter
    expect(page.locator("#tile-events polyline")).to_have_count(1)  # a chart, once it has 2 s
    expect(page.locator("#tile-memory .figure")).to_have_text(re.compile(r"^\d+\.\d MiB$"))
    other.close()
    expect(cells.nth(1)).to_have_text("0")  # the counter's tab closed: it left
    expect(page.locator("#tile-sessions .figure")).to_have_text("1")
    assert loads == []  # all of it over the websocket
    assert errors == [] and other_errors == []
