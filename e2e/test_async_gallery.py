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


def test_the_testing_page_runs_its_task_and_shares_its_room(
    gallery: LiveServer, live_page: Page
) -> None:
    page = live_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(gallery.url + "/async/testing")
    sync(page)
    other = page.context.new_page()
    other.goto(gallery.url + "/async/testing")
    sync(other)
    page.click("#start-task")
    expect(page.locator("#status")).to_have_text("Status: Processing...")
    expect(page.locator("#status")).to_have_text("Status: Complete", timeout=10_000)
    expect(page.locator("#task-result")).to_have_text("42 rows imported")
    expect(other.locator("#status")).to_have_text("Status: Idle")  # its own view's task
    page.fill("#room-text", "hello room")
    page.press("#room-text", "Enter")
    for tab in (page, other):
        expect(tab.locator("#room-messages li").last).to_have_text("You: hello room")
    other.close()
    assert errors == []
