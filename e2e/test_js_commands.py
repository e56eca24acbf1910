"""The gallery's "JS commands" pages in Chromium: what each command and binding does in a real
browser, and exactly which event frames it sends (a show/hide/class/attribute chain: none)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from pylive.sanic import LiveServer
from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e

CONNECTED = re.compile(r"\bphx-connected\b")
CLICK_LOADING = re.compile(r"\bphx-click-loading\b")


@dataclass
class Visit:
    """A gallery page open in Chromium, with the frames it sent and the console errors it
    logged."""

    page: Page
    server: LiveServer
    frames: list[dict[str, Any]] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def go(self, path: str) -> Page:
        self.page.goto(self.server.url + path)
        sync(self.page)
        return self.page

    def events(self) -> list[tuple[str, str, Any]]:
        """``(kind, event, value)`` of every event frame sent so far."""
        return [(f["kind"], f["event"], f["value"]) for f in self.frames if f["type"] == "event"]


@pytest.fixture
def visit(gallery: LiveServer, live_page: Page) -> Iterator[Visit]:
    """The gallery in Chromium; the test fails if the page logged an error in the console
    (``live_page`` fails it for an uncaught error)."""
    seen = Visit(live_page, gallery)

    def watch(ws: Any) -> None:
        ws.on("framesent", lambda payload: seen.frames.append(json.loads(payload)))

    live_page.on("websocket", watch)
    live_page.on(
        "console",
        lambda message: (
            seen.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    yield seen
    assert seen.console_errors == []


def reconnect(page: Page) -> None:
    """Drop the live connection and open it again: the view mounts afresh, the page stays."""
    page.evaluate("window.pylive.disconnect()")
    expect(page.locator("#phx-main")).not_to_have_class(CONNECTED)
    page.evaluate("window.pylive.connect()")
    sync(page)


def display(page: Page, selector: str) -> str:
    return str(page.eval_on_selector(selector, "el => getComputedStyle(el).display"))


def focused(page: Page) -> str:
    return str(page.evaluate("() => document.activeElement.id"))


def center(page: Page, selector: str) -> tuple[float, float]:
    box = page.locator(selector).bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def drag(page: Page, start: tuple[float, float], end: tuple[float, float]) -> None:
    """Press at ``start``, release at ``end``."""
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=4)
    page.mouse.up()


def settled(page: Page, ms: int = 400) -> None:
    """Let a transition (200-300 ms) run to its end before looking."""
    page.wait_for_timeout(ms)


# -- modal ---------------------------------------------------------------------------------------


def test_modal_opens_and_closes_with_focus_and_no_frame(visit: Visit) -> None:
    page = visit.go("/js/modal")
    modal = page.locator("#modal")
    expect(modal).to_be_hidden()
    page.click("#open-modal")
    expect(modal).to_be_visible()
    assert display(page, "#modal") == "flex"
    expect(page.locator("#modal-note")).to_be_focused()
    settled(page)
    expect(modal).to_have_class("modal")  # the transition's classes are gone

    page.click("#close-modal")
    expect(modal).to_be_hidden()
    expect(page.locator("#open-modal")).to_be_focused()

    page.click("#open-modal")
    expect(page.locator("#modal-note")).to_be_focused()
    page.keyboard.press("Escape")
    expect(modal).to_be_hidden()
    expect(page.locator("#open-modal")).to_be_focused()
    assert visit.events() == []


def test_modal_click_away_closes_it_but_not_a_click_or_a_drag_from_inside(visit: Visit) -> None:
    page = visit.go("/js/modal")
    modal = page.locator("#modal")
    page.click("#open-modal")
    settled(page)
    page.click("#modal-title")  # inside the panel
    settled(page)
    assert display(page, "#modal") == "flex"
    drag(page, center(page, "#modal-title"), (5, 5))  # pressed inside, released outside
    settled(page)
    assert display(page, "#modal") == "flex"
    page.mouse.click(5, 5)  # outside the panel
    expect(modal).to_be_hidden()
    expect(page.locator("#open-modal")).to_be_focused()
    assert visit.events() == []


def test_modal_stays_open_across_server_patches_and_a_reconnect(visit: Visit) -> None:
    page = visit.go("/js/modal")
    page.click("#open-modal")
    settled(page)
    page.click("#modal-inc")
    sync(page)
    page.click("#modal-inc")
    sync(page)
    expect(page.locator("#modal-count")).to_have_text("Clicks: 2")
    expect(page.locator("#modal")).to_have_attribute("data-clicks", "2")  # patched, and open:
    assert display(page, "#modal") == "flex"
    assert visit.events() == [("click", "inc", {})] * 2

    reconnect(page)
    expect(page.locator("#modal-count")).to_have_text("Clicks: 0")  # a fresh mount
    expect(page.locator("#modal")).to_have_attribute("data-clicks", "0")
    assert display(page, "#modal") == "flex"
    page.keyboard.press("Escape")
    expect(page.locator("#modal")).to_be_hidden()


# -- dropdown ------------------------------------------------------------------------------------


def test_dropdown_toggles_and_flips_aria_expanded_with_no_frame(visit: Visit) -> None:
    page = visit.go("/js/dropdown")
    menu, button = page.locator("#menu"), page.locator("#menu-button")
    expect(button).to_have_attribute("aria-expanded", "false")
    page.click("#menu-button")
    expect(menu).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    settled(page)
    page.click("#menu-button")
    expect(menu).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    page.click("#menu-button")
    expect(menu).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    assert visit.events() == []


def test_dropdown_click_away_and_picking_an_item(visit: Visit) -> None:
    page = visit.go("/js/dropdown")
    menu, button = page.locator("#menu"), page.locator("#menu-button")
    page.click("#menu-button")
    settled(page)
    page.click("#menu-header")  # inside
    settled(page)
    expect(menu).to_be_visible()
    drag(page, center(page, "#menu-header"), center(page, "#elsewhere"))
    settled(page)
    expect(menu).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    page.click("#elsewhere")
    expect(menu).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    assert visit.events() == []

    page.click("#menu-button")
    page.click("#item-settings")
    expect(page.locator("#picked")).to_have_text("Picked: Settings")
    expect(menu).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    assert visit.events() == [("click", "pick", {"item": "Settings"})]


# -- tabs ----------------------------------------------------------------------------------------


def test_tabs_switch_in_the_browser_with_no_frame(visit: Visit) -> None:
    page = visit.go("/js/tabs")
    page.click("#tab-drafts")
    expect(page.locator("#tab-drafts")).to_have_class("tab active")
    expect(page.locator("#tab-drafts")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#tab-inbox")).to_have_class("tab")
    expect(page.locator("#tab-inbox")).to_have_attribute("aria-selected", "false")
    expect(page.locator("#panel-drafts")).to_be_visible()
    expect(page.locator("#panel-inbox")).to_be_hidden()
    page.click("#tab-archive")
    expect(page.locator("#tab-archive")).to_have_class("tab active")
    expect(page.locator("#tab-drafts")).to_have_class("tab")
    expect(page.locator("#panel-archive")).to_be_visible()
    expect(page.locator("#panel-drafts")).to_be_hidden()
    page.click("#compact")
    expect(page.locator("#tabs")).to_have_class("tabs compact")
    page.click("#compact")
    expect(page.locator("#tabs")).to_have_class("tabs")
    assert visit.events() == []


def test_tabs_picked_tab_survives_a_server_patch_of_its_class_and_a_reconnect(
    visit: Visit,
) -> None:
    page = visit.go("/js/tabs")
    inbox, drafts = page.locator("#tab-inbox"), page.locator("#tab-drafts")
    page.click("#tab-drafts")
    page.click("#new-message")
    sync(page)
    # The server sent class="tab active unread" for Inbox; the JS commands' removal of
    # "active" is kept, its "unread" lands.
    expect(inbox).to_have_text("Inbox (1)")
    expect(inbox).to_have_class("tab unread")
    expect(drafts).to_have_class("tab active")
    expect(page.locator("#panel-drafts")).to_be_visible()
    expect(page.locator("#panel-inbox")).to_be_hidden()
    assert visit.events() == [("click", "new_message", {})]

    reconnect(page)
    expect(inbox).to_have_text("Inbox")  # a fresh mount: no unread message
    expect(inbox).to_have_class("tab")
    expect(drafts).to_have_class("tab active")
    expect(page.locator("#panel-drafts")).to_be_visible()
    expect(page.locator("#panel-inbox")).to_be_hidden()


# -- debounce and throttle -----------------------------------------------------------------------


def changes(visit: Visit, event: str) -> list[Any]:
    return [value for kind, name, value in visit.events() if (kind, name) == ("change", event)]


def test_debounce_ten_fast_keys_send_one_change_with_the_last_value(visit: Visit) -> None:
    page = visit.go("/js/debounce")
    page.click("#search")
    page.keyboard.type("isinstance", delay=20)
    expect(page.locator("#found")).to_have_text("1 of 30 names")
    expect(page.locator("#changes")).to_have_text("Changes received: 1")
    settled(page, 500)
    assert changes(visit, "search") == [[["q", "isinstance"]]]
    expect(page.locator("#results li")).to_have_text(["isinstance"])


SEND_TIMES = """() => {
    window.sentAt = [];
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) {
        window.sentAt.push([performance.now(), data]);
        return send.call(this, data);
    };
    document.addEventListener("focusout", () => (window.blurAt = performance.now()), true);
}"""


def test_debounce_blur_sends_the_pending_change_at_once_and_only_once(visit: Visit) -> None:
    visit.page.add_init_script(f"({SEND_TIMES})()")
    page = visit.go("/js/debounce")
    page.click("#search")
    page.keyboard.type("is", delay=20)
    page.keyboard.press("Tab")
    expect(page.locator("#changes")).to_have_text("Changes received: 1")
    settled(page, 500)  # past the 300 ms the debounce would have waited
    expect(page.locator("#changes")).to_have_text("Changes received: 1")
    expect(page.locator("#found")).to_have_text("3 of 30 names")
    assert changes(visit, "search") == [[["q", "is"]]]
    blur_at, sent = page.evaluate(
        """() => [window.blurAt, window.sentAt
            .filter(([, data]) => JSON.parse(data).type === "event").map(([at]) => at)]"""
    )
    assert len(sent) == 1 and 0 <= sent[0] - blur_at < 100  # sent by the blur, not the timer


def test_blur_debounce_sends_on_leaving_the_field_only_if_it_changed(visit: Visit) -> None:
    page = visit.go("/js/debounce")
    page.click("#nickname")
    page.keyboard.type("grace", delay=20)
    settled(page, 500)
    assert changes(visit, "nickname") == []
    page.keyboard.press("Tab")
    expect(page.locator("#nickname-seen")).to_have_text("Nickname: grace (changes received: 1)")
    page.click("#nickname")
    page.keyboard.press("Tab")  # left again, unchanged: nothing to send
    page.click("#nickname")
    page.keyboard.type("!", delay=20)
    page.keyboard.press("Backspace")
    page.keyboard.press("Tab")  # edited back to what was sent: nothing to send
    settled(page)
    assert changes(visit, "nickname") == [[["nickname", "grace"]]]


def test_throttle_five_fast_clicks_count_once(visit: Visit) -> None:
    page = visit.go("/js/debounce")
    page.evaluate(
        """() => document.addEventListener("click", (e) => {
            if (e.target.id === "throttled") (window.throttledAt ??= []).push(Date.now());
        }, true)"""
    )
    button = page.locator("#throttled")
    for _ in range(5):
        button.click()
    clicks = page.evaluate("() => window.throttledAt")
    assert len(clicks) == 5 and clicks[-1] - clicks[0] < 1000  # inside one throttle interval
    expect(page.locator("#clicks")).to_have_text("Clicks counted: 1")
    page.wait_for_function("() => Date.now() > window.throttledAt[0] + 1100", timeout=3000)
    button.click()  # the interval is over
    expect(page.locator("#clicks")).to_have_text("Clicks counted: 2")
    assert visit.events() == [("click", "clicked", {})] * 2


# -- disable-with --------------------------------------------------------------------------------


def test_disable_with_swaps_the_text_and_disables_until_the_reply(visit: Visit) -> None:
    page = visit.go("/js/disable-with")
    save = page.locator("#save")
    page.fill("#title", "Quarterly report")
    page.click("#save")
    expect(save).to_have_text("Saving…")
    expect(save).to_be_disabled()
    expect(page.locator("#saved")).to_have_text("Nothing saved yet")  # the server still sleeps
    expect(page.locator("#saved")).to_have_text("Saved “Quarterly report” (once)")
    expect(save).to_have_text("Save")
    expect(save).to_be_enabled()
    assert visit.events() == [("submit", "save", [["title", "Quarterly report"]])]


# -- loading states, connected / disconnected ----------------------------------------------------

RECORD_TOPBAR = """() => {
    window.topbar = [];
    let clicked = null;
    document.addEventListener("click", () => (clicked = performance.now()), true);
    const bar = document.getElementById("pylive-topbar");
    new MutationObserver(() => window.topbar.push(
        [bar.getAttribute("data-state"), Math.round(performance.now() - clicked)]
    )).observe(bar, {attributes: true, attributeFilter: ["data-state"]});
}"""


def test_loading_push_marks_the_button_and_area_and_runs_the_top_bar(visit: Visit) -> None:
    page = visit.go("/js/loading")
    bar = page.locator("#pylive-topbar")
    expect(bar).not_to_have_attribute("data-state", re.compile("."))
    page.evaluate(RECORD_TOPBAR)
    page.click("#work")
    expect(page.locator("#work")).to_have_class(CLICK_LOADING)
    expect(page.locator("#spinner-area")).to_have_class("spinner-area phx-click-loading")
    expect(page.locator("#spinner-area .spinner")).to_be_visible()
    expect(bar).to_have_attribute("data-state", "loading")
    expect(page.locator("#done")).to_have_text("Jobs done: 0")  # the server is still working
    expect(page.locator("#done")).to_have_text("Jobs done: 1")
    expect(bar).to_have_attribute("data-state", "done")
    expect(page.locator("#work")).to_have_class("")
    expect(page.locator("#spinner-area")).to_have_class("spinner-area")
    expect(page.locator("#spinner-area .spinner")).to_be_hidden()
    (loading, loading_at), (done, done_at) = page.evaluate("() => window.topbar")
    assert (loading, done) == ("loading", "done")
    assert 110 <= loading_at < 400  # shown once the wait passed 120 ms
    assert 750 <= done_at < 2000  # done when the answer came, after the server's 0.8 s
    assert visit.events() == [("click", "work", {})]


def test_connected_badge_flips_on_disconnect_and_connect(visit: Visit) -> None:
    page = visit.go("/js/loading")
    live, offline = page.locator("#badge-live"), page.locator("#badge-offline")
    expect(live).to_be_visible()
    expect(offline).to_be_hidden()
    page.evaluate("window.pylive.disconnect()")
    expect(live).to_be_hidden()
    expect(offline).to_be_visible()
    page.evaluate("window.pylive.connect()")
    sync(page)
    expect(live).to_be_visible()
    expect(offline).to_be_hidden()
    assert visit.events() == []


# -- push and navigate ---------------------------------------------------------------------------


def row_ids(page: Page) -> list[str]:
    return list(page.eval_on_selector_all("#users > li", "els => els.map((el) => el.id)"))


def test_push_delete_hides_the_row_before_the_answer_then_the_server_removes_it(
    visit: Visit,
) -> None:
    page = visit.go("/js/push-navigate")
    settled(page)  # the rows' phx-mounted fade-in
    hidden_at_once = page.evaluate(
        """() => {
            document.getElementById("delete-2").click();
            return document.getElementById("user-2").style.display;  // no answer yet
        }"""
    )
    assert hidden_at_once == "none"
    expect(page.locator("#user-2")).to_have_count(0)
    assert row_ids(page) == ["user-1", "user-3"]
    assert visit.events() == [("click", "delete_user", {"id": 2})]


RECORD_ROWS = """() => {
    window.rows = [];
    const t0 = performance.now();
    let last = null;  // records come in batches: log each class the row shows once
    const log = (what, el) => {
        last = el.className;
        window.rows.push([Math.round(performance.now() - t0), what, el.id, last, el.isConnected]);
    };
    new MutationObserver((records) => {
        for (const r of records) {
            const el = r.target;
            if (r.type === "attributes" && el.id === "user-4" && el.className !== last) {
                log("class", el);
            }
            for (const n of r.addedNodes) if (n.id === "user-4") log("added", n);
            for (const n of r.removedNodes) if (n.id === "user-4") log("removed", n);
        }
    }).observe(document.getElementById("users"),
        {childList: true, subtree: true, attributes: true, attributeFilter: ["class"]});
}"""


def test_mounted_fades_a_new_row_in_and_remove_keeps_a_row_until_it_faded_out(
    visit: Visit,
) -> None:
    page = visit.go("/js/push-navigate")
    settled(page)
    page.evaluate(RECORD_ROWS)
    page.click("#add-user")
    expect(page.locator("#user-4 .name")).to_have_text("Edsger Dijkstra")
    expect(page.locator("#user-4")).to_have_class("user-row")  # faded in, classes gone
    added = page.evaluate("() => window.rows")
    assert [(what, cls) for _, what, _, cls, _ in added] == [
        ("added", "user-row fade-in duration-300 opacity-0"),  # phx-mounted ran at once
        ("class", "user-row fade-in duration-300 opacity-100"),
        ("class", "user-row"),
    ]
    assert 250 <= added[-1][0] - added[0][0] < 1000

    page.click("#remove-last")
    expect(page.locator("#user-4")).to_have_count(0)
    removed = page.evaluate("() => window.rows")[len(added) :]
    assert [(what, cls, connected) for _, what, _, cls, connected in removed] == [
        ("class", "user-row fade-out duration-300 opacity-100", True),
        ("class", "user-row fade-out duration-300 opacity-0", True),
        ("class", "user-row", True),
        ("removed", "user-row", False),
    ]
    assert 250 <= removed[-1][0] - removed[0][0] < 1000  # on the page for the whole fade
    assert row_ids(page) == ["user-1", "user-2", "user-3"]
    assert visit.events() == [("click", "add_user", {}), ("click", "remove_last", {})]


def test_toggle_details_with_no_frame_and_it_stays_open_across_a_patch(visit: Visit) -> None:
    page = visit.go("/js/push-navigate")
    details = page.locator("#details")
    expect(details).to_be_hidden()
    page.click("#toggle-details")
    expect(details).to_be_visible()
    page.click("#toggle-details")
    expect(details).to_be_hidden()
    page.click("#toggle-details")
    assert visit.events() == []
    page.click("#add-user")
    expect(details).to_contain_text("4 users on the server.")
    expect(details).to_be_visible()


def marked(page: Page) -> Callable[[], bool]:
    """Marks the window; the returned function tells whether the mark is still there (no full
    page load since)."""
    page.evaluate("() => (window.galleryMark = true)")
    return lambda: bool(page.evaluate("() => window.galleryMark === true"))


def test_patch_stays_on_this_page_with_the_query_that_handle_params_reads(visit: Visit) -> None:
    page = visit.go("/js/push-navigate")
    still = marked(page)
    page.click("#show-active")
    page.wait_for_url(visit.server.url + "/js/push-navigate?filter=active")
    sync(page)
    assert still()  # a live patch: the same document, no page load
    expect(page.locator("#filter")).to_have_text("Showing: active users")
    expect(page.locator(".user-row")).to_have_count(2)  # the row that left faded out
    assert row_ids(page) == ["user-1", "user-3"]
    page.click("#show-all")
    page.wait_for_url(visit.server.url + "/js/push-navigate")
    sync(page)
    expect(page.locator("#filter")).to_have_text("Showing: all users")
    assert row_ids(page) == ["user-1", "user-2", "user-3"]
    assert visit.events() == []


def test_navigate_goes_to_another_gallery_page(visit: Visit) -> None:
    page = visit.go("/js/push-navigate")
    page.click("#go-counter")
    page.wait_for_url(visit.server.url + "/counter")
    sync(page)
    expect(page.locator("h1")).to_have_text("Counter")
    expect(page.locator("#count")).to_have_text("Count: 0")
    assert visit.events() == []
