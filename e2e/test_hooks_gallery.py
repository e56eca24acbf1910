"""The gallery's Hooks pages and its infinite-scroll feed in Chromium: what each hook does in a
real browser, with no error in the console."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from pylive.sanic import LiveServer
from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e


class Visit:
    """A gallery page open in Chromium, with the event frames it sent and its console errors."""

    def __init__(self, page: Page, server: LiveServer) -> None:
        self.page = page
        self.server = server
        self.frames: list[dict[str, Any]] = []
        self.errors: list[str] = []
        page.on("websocket", lambda ws: ws.on("framesent", self._sent))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _sent(self, payload: Any) -> None:
        self.frames.append(json.loads(payload))

    def go(self, path: str) -> Page:
        self.page.goto(self.server.url + path)
        sync(self.page)
        return self.page

    def events(self, name: str) -> int:
        return sum(1 for f in self.frames if f["type"] == "event" and f["event"] == name)


@pytest.fixture
def visit(gallery: LiveServer, live_page: Page) -> Iterator[Visit]:
    seen = Visit(live_page, gallery)
    yield seen
    assert seen.errors == []


@pytest.fixture
def granted(gallery: LiveServer, browser: Browser) -> Iterator[Visit]:
    """A page in a context allowed the clipboard and geolocation (at Lisbon)."""
    context = browser.new_context(
        permissions=["clipboard-read", "clipboard-write", "geolocation"],
        geolocation={"latitude": 38.7223, "longitude": -9.1393},
    )
    seen = Visit(context.new_page(), gallery)
    yield seen
    context.close()
    assert seen.errors == []


def log(page: Page) -> list[str]:
    return list(page.eval_on_selector_all("#hook-log li", "els => els.map(e => e.textContent)"))


def test_gallery_local_time_shows_the_servers_time_in_the_browsers_format(visit: Visit) -> None:
    page = visit.go("/hooks/basics")
    clock = page.locator("#local-time")
    expect(clock).to_have_attribute("data-timestamp", re.compile(r"^\d{4}-\d\d-\d\dT"))
    shown = page.evaluate(
        "() => { const el = document.getElementById('local-time');"
        " return [el.textContent, new Date(el.dataset.timestamp).toLocaleString()]; }"
    )
    assert shown[0] == shown[1]
    page.click("#toggle-clock")
    expect(page.locator("#clock-hidden")).to_be_visible()
    asked = visit.events("get-current-time")
    page.wait_for_timeout(1300)
    assert visit.events("get-current-time") == asked  # destroyed: the timer stopped


def test_gallery_lifecycle_log_shows_each_callback(visit: Visit) -> None:
    page = visit.go("/hooks/lifecycle")
    expect(page.locator("#hook-log li")).to_have_count(3)
    assert log(page) == ["mounted row-1", "mounted row-2", "mounted badge"]
    page.click("#patch-row")
    sync(page)
    page.click("#move-rows")
    sync(page)
    page.click("#rename-row")
    sync(page)
    page.click("#toggle-box")
    expect(page.locator("#box")).to_have_count(0)
    assert log(page)[3:] == [
        "beforeUpdate row-1",
        "updated row-1",
        "destroyed row-2",
        "mounted row-2-renamed",
        "destroyed badge",
    ]


def test_gallery_push_event_reply_names_the_nearest_city(granted: Visit) -> None:
    page = granted.go("/hooks/push-event")
    page.click("#geo-tracker .share")
    expect(page.locator("#geo-tracker .reply")).to_have_text("Nearest city: Lisbon (0 km)")
    expect(page.locator("#latitude")).to_have_text("Latitude: 38.7223")
    expect(page.locator("#longitude")).to_have_text("Longitude: -9.1393")


def test_gallery_toasts_come_from_push_event(visit: Visit) -> None:
    page = visit.go("/hooks/handle-event")
    page.click("#toast-success")
    toast = page.locator("#notification-container .toast-success")
    expect(toast).to_have_text("SavedYour changes are live.")
    page.click("#toast-later")
    expect(page.locator("#notification-container .toast-info")).to_have_count(1, timeout=3000)
    expect(page.locator("#pushed")).to_have_text("2 toasts pushed")


def test_gallery_clipboard_copies_the_link(granted: Visit) -> None:
    page = granted.go("/hooks/clipboard")
    page.click("#copy-invite")
    expect(page.locator("#copy-invite .copied")).to_be_visible()
    expect(page.locator("#copies")).to_have_text("Copied 1 times.")
    assert page.evaluate("() => navigator.clipboard.readText()") == (
        "https://example.com/join/7f3a9c"
    )
    expect(page.locator("#copy-invite .copied")).to_be_hidden(timeout=3000)


def test_gallery_chart_redraws_and_sends_clicks_to_its_component(visit: Visit) -> None:
    page = visit.go("/hooks/chart")
    bars = page.locator("#sales-chart-bars rect")
    expect(bars).to_have_count(3)
    page.click("#add-month")
    expect(bars).to_have_count(4)  # updated(): redrawn from the patched data-points
    page.click("#sales-chart-bars rect[data-label=Feb]")
    expect(page.locator("#sales-chart-selected")).to_have_text("Selected: Feb, 150 sold")
    expect(page.locator("#sales-chart-bars rect.selected")).to_have_attribute("data-label", "Feb")
    clicks = [f for f in visit.frames if f.get("event") == "point-clicked"]
    assert [(f["kind"], "cid" in f) for f in clicks] == [("hook", True)]  # to the component


def ids(page: Page) -> list[int]:
    found = page.eval_on_selector_all("#posts li.post", "els => els.map(e => e.id)")
    return [int(dom_id.removeprefix("posts-")) for dom_id in found]


def reveal(page: Page, which: str) -> None:
    """Scroll the feed until its first or last post just shows, as a user's scrolling does."""
    page.evaluate(
        """which => {
            const posts = [...document.querySelectorAll('#posts li.post')];
            const post = which === 'last' ? posts.at(-1) : posts[0];
            post.scrollIntoView({block: which === 'last' ? 'end' : 'start'});
        }""",
        which,
    )


def top_of(page: Page, selector: str) -> float:
    return float(page.eval_on_selector(selector, "el => el.getBoundingClientRect().top"))


def test_gallery_infinite_scroll_loads_both_ways_and_prunes(visit: Visit) -> None:
    page = visit.go("/stream/infinite")
    shown = page.locator("#feed-range")
    assert ids(page) == list(range(1, 21))
    for last in (40, 60, 80):
        reveal(page, "last")
        expect(shown).to_have_text(f"Showing posts {max(1, last - 59)}–{last}")
        sync(page)
    assert ids(page) == list(range(21, 81))  # 60 kept: posts 1-20 pruned by the limit
    reveal(page, "first")  # post 21 shows: posts 1-20 come back above it
    expect(shown).to_have_text("Showing posts 1–60")
    sync(page)
    assert ids(page) == list(range(1, 61))
    assert page.get_attribute("#posts", "phx-viewport-top") is None
    assert (visit.events("next-page"), visit.events("prev-page")) == (3, 1)


def test_gallery_infinite_scroll_keeps_what_is_on_screen_in_place(visit: Visit) -> None:
    """While a page loads (slowed by the latency simulator, so it can be watched), the post that
    triggered it stays where it is on the screen, though posts are added and pruned around it."""
    page = visit.go("/stream/infinite")
    shown = page.locator("#feed-range")
    for last in (40, 60, 80):
        reveal(page, "last")
        expect(shown).to_have_text(f"Showing posts {max(1, last - 59)}–{last}")
        sync(page)
    page.evaluate("() => window.pylive.enableLatencySim(300)")
    reveal(page, "last")  # post 80: posts 81-100 come, 21-40 go above it
    page.wait_for_timeout(150)  # the event is on its way; the scroll has settled
    before = top_of(page, "#posts-80")
    expect(shown).to_have_text("Showing posts 41–100")
    sync(page)
    assert ids(page) == list(range(41, 101))
    assert abs(top_of(page, "#posts-80") - before) < 2
    reveal(page, "first")  # post 41: posts 21-40 come back above it, 81-100 go below
    page.wait_for_timeout(150)
    before = top_of(page, "#posts-41")
    expect(shown).to_have_text("Showing posts 21–80")
    sync(page)
    assert ids(page) == list(range(21, 81))
    assert abs(top_of(page, "#posts-41") - before) < 2
    page.evaluate("() => window.pylive.disableLatencySim()")
