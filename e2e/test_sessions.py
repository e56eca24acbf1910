"""Sessions in Chromium against the gallery: log in through the live form and its real POST,
the protected dashboard in two tabs, log out in one, and the other tab meets the log-in page
within a second; the flash of each redirect shown once."""

from __future__ import annotations

import time
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from pylive.sanic import LiveServer
from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e


def test_log_in_then_log_out_closes_the_other_tabs_dashboard(
    gallery: LiveServer, live_page: Page
) -> None:
    page = live_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(gallery.url + "/auth/dashboard")
    sync(page)
    assert page.url == gallery.url + "/auth/login"
    expect(page.locator("#flash-group .flash-error")).to_contain_text("You must log in")
    page.fill("#login-form input[type=email]", "ann@example.com")
    page.fill("#login-form input[type=password]", "correct horse battery")
    page.click("#log-in")
    page.wait_for_url(gallery.url + "/auth/dashboard")
    sync(page)
    expect(page.locator("#signed-in")).to_have_text("Signed in as ann@example.com")
    expect(page.locator("#flash-group .flash-info")).to_contain_text("Logged in successfully")
    other: Any = page.context.new_page()
    other_errors: list[str] = []
    other.on("pageerror", lambda e: other_errors.append(str(e)))
    other.goto(gallery.url + "/auth/dashboard")
    sync(other)
    expect(other.locator("#signed-in")).to_have_text("Signed in as ann@example.com")
    expect(other.locator("#flash-group .flash-info")).to_have_count(0)  # shown once
    page.click("#log-out")
    page.wait_for_url(gallery.url + "/auth/login")
    expect(page.locator("#flash-group .flash-info")).to_contain_text("Logged out successfully")
    start = time.monotonic()
    other.wait_for_url(gallery.url + "/auth/login", timeout=5_000)
    elapsed = time.monotonic() - start
    expect(other.locator("#flash-group .flash-error")).to_contain_text("You must log in")
    other.close()
    assert elapsed < 1.0, f"the other tab reached the log-in page after {elapsed:.2f} s"
    assert errors == [] and other_errors == []
