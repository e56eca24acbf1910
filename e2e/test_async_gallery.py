"""The gallery's async dashboard in Chromium: the page shows at once with three loading cards,
they fill in, the failing one is retried, a reload is cancelled, the report arrives."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pylive.sanic import LiveServer
from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e


def test_async_dashboard_loading_ok_failed_retry_cancel(
    gallery: LiveServer, live_page: Page
) -> None:
    page = live_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(gallery.url + "/async/dashboard")
    expect(page.locator(".cards .value")).to_have_text(["Loading…", "Loading…", "Loading…"])
    sync(page)
    expect(page.locator("#card-users .value")).to_have_text("1204")
    expect(page.locator("#card-visitors .value")).to_have_text("8311")
    expect(page.locator("#card-revenue .value")).to_have_text(
        "Failed: the billing service timed out"
    )
    page.click("#card-revenue button")
    expect(page.locator("#card-revenue .value")).to_have_text("$12,340")
    page.click("#reload")
    expect(page.locator("#card-visitors .value")).to_have_text("Loading…")
    page.click("#card-visitors button")
    expect(page.locator("#card-visitors .value")).to_have_text("Failed: cancelled by you")
    page.click("#report")
    expect(page.locator("#report-status")).to_have_text("Report ready: 3 pages")
    assert errors == []
