"""Live navigation in Chromium against the real server: a patch keeps the view's state, a
navigate inside a live session makes no document request and one across sessions does, back
and forward through five entries restore URL, content, title and scroll, phx:before-navigate
can cancel, and a flash crosses a push_navigate."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.nav_views import nav_app
from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e


class Documents:
    """The document (page-load) requests the page made."""

    def __init__(self, page: Page) -> None:
        self.urls: list[str] = []
        page.on("request", self._seen)

    def _seen(self, request: Any) -> None:
        if request.resource_type == "document":
            self.urls.append(request.url)


@pytest.fixture
def nav(live_server: Any, live_page: Page) -> tuple[Page, str, Documents]:
    server = live_server(nav_app())
    documents = Documents(live_page)
    live_page.goto(server.url + "/pages?page=1")
    sync(live_page)
    return live_page, server.url, documents


def test_a_patch_keeps_the_views_state_and_loads_no_document(nav: Any) -> None:
    page, base, documents = nav
    page.click("#inc")
    expect(page.locator("#state")).to_have_text("page 1, clicks 1")
    page.click("#to-3")
    expect(page.locator("#state")).to_have_text("page 3, clicks 1")
    assert page.url == base + "/pages?page=3"
    expect(page).to_have_title("Page 3")
    page.click("#jump")  # push_patch from the server
    expect(page.locator("#state")).to_have_text("page 4, clicks 1")
    assert page.url == base + "/pages?page=4"
    assert documents.urls == [base + "/pages?page=1"]


def test_navigate_inside_a_session_is_live_and_across_sessions_loads(nav: Any) -> None:
    page, base, documents = nav
    page.click("#to-other")
    expect(page.locator("#other")).to_have_text("the other view")
    assert page.url == base + "/other"
    expect(page).to_have_title("Other")
    assert documents.urls == [base + "/pages?page=1"]
    page.click("#to-pages")
    expect(page.locator("#state")).to_have_text("page 1, clicks 0")  # mounted anew
    page.click("#to-admin")
    expect(page.locator("#admin")).to_have_text("admin area")
    sync(page)
    assert documents.urls == [base + "/pages?page=1", base + "/admin"]


def test_back_and_forward_restore_url_content_title_and_scroll(nav: Any) -> None:
    page, base, documents = nav
    scrolls = {}
    for n in range(1, 6):
        if n > 1:
            page.click(f"#to-{n}")
            expect(page.locator("#state")).to_have_text(f"page {n}, clicks 0")
        y = 150 * n
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_function(f"Math.round(window.scrollY) === {y}")
        scrolls[n] = y
    for n in (4, 3, 2, 1):
        page.go_back()
        expect(page.locator("#state")).to_have_text(f"page {n}, clicks 0")
        assert page.url == base + f"/pages?page={n}"
        expect(page).to_have_title(f"Page {n}")
        page.wait_for_function(f"Math.round(window.scrollY) === {scrolls[n]}")
    for n in (2, 3):
        page.go_forward()
        expect(page.locator("#state")).to_have_text(f"page {n}, clicks 0")
        page.wait_for_function(f"Math.round(window.scrollY) === {scrolls[n]}")
    page.click("#to-5")  # a new navigation from the middle: kept scroll (a patch), new entry
    expect(page.locator("#state")).to_have_text("page 5, clicks 0")
    assert documents.urls == [base + "/pages?page=1"]


def test_before_navigate_can_cancel_a_live_navigation(nav: Any) -> None:
    page, base, _ = nav
    page.evaluate(
        """() => {
        window.seen = [];
        window.addEventListener("phx:before-navigate", (e) => {
          window.seen.push(e.detail.to);
          if (e.detail.to.endsWith("page=2")) e.preventDefault();
        });
        window.addEventListener("phx:navigate", (e) => window.seen.push("did " + e.detail.href));
      }"""
    )
    page.click("#to-2")
    page.click("#to-3")
    expect(page.locator("#state")).to_have_text("page 3, clicks 0")
    assert page.url == base + "/pages?page=3"
    assert page.evaluate("window.seen") == [
        base + "/pages?page=2",
        base + "/pages?page=3",
        "did " + base + "/pages?page=3",
    ]


def test_a_flash_crosses_a_push_navigate_once(nav: Any) -> None:
    page, base, documents = nav
    page.click("#server-other")
    expect(page.locator("#other")).to_have_text("the other view")
    expect(page.locator("#flash-group .flash-info")).to_contain_text("Came from pages")
    assert page.url == base + "/other"
    page.click("#to-pages")
    expect(page.locator("#state")).to_have_text("page 1, clicks 0")
    expect(page.locator("#flash-group .flash-info")).to_have_count(0)
    assert documents.urls == [base + "/pages?page=1"]
