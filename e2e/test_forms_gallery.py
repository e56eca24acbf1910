"""The gallery's registration form in Chromium: errors only where the user typed, then a
submit that the server accepts posts the form for real to the HTTP handler."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from gallery.pages import form_registration
from pylive.sanic import LiveServer
from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e


def test_gallery_registration_validates_then_posts_for_real(
    gallery: LiveServer, live_page: Page
) -> None:
    form_registration.db.execute("delete from users")
    page = live_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(gallery.url + "/forms/registration")
    sync(page)
    page.fill("#user_password", "short")
    sync(page)
    shown = page.locator("#registration_form p.error")
    expect(shown).to_have_text(["String should have at least 8 characters"])
    page.fill("#user_email", "ann@example.com")
    page.fill("#user_password", "long enough")
    page.fill("#user_password_confirmation", "long enough")
    page.check("#user_terms")
    sync(page)
    expect(shown).to_have_count(0)
    page.click("#create-account")
    expect(page.locator("#signed-in")).to_have_text("Signed in as ann@example.com.")
    assert errors == []


def test_gallery_testing_forms_page_validates_and_redirects(
    gallery: LiveServer, live_page: Page
) -> None:
    page = live_page
    page.goto(gallery.url + "/forms/testing")
    sync(page)
    page.click("#save-user")
    sync(page)
    expect(page.locator("#user-form p.error")).to_have_text(["can't be blank", "can't be blank"])
    page.fill("#user_name", "Alice")
    page.fill("#user_email", "alice@example.com")
    page.click("#save-user")
    page.wait_for_url(gallery.url + "/")
    expect(page.locator("h1")).to_have_text("pylive gallery")
