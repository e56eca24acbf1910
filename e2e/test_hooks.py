"""Client hooks in Chromium: the exact order of every callback across mount, patch, move,
removal (under a ``phx-remove`` parent too), an id change, disconnect and reconnect; the
replies of ``pushEvent`` and ``pushEventTo``; ``handleEvent`` for ``push_event``; a hook
registered after the page joined; and the latency simulator's delay, measured."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.hook_views import hooks_app
from pylive.sanic import LiveServer
from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e

CONNECTED = re.compile(r"\bphx-connected\b")


@pytest.fixture
def hooks(live_server: Any, live_page: Page) -> Iterator[Page]:
    """The hooks test view in Chromium, joined; the test fails on a console error."""
    server: LiveServer = live_server(hooks_app())
    errors: list[str] = []
    live_page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    live_page.goto(server.url + "/")
    sync(live_page)
    yield live_page
    assert errors == []


def calls(page: Page) -> list[str]:
    """The callbacks recorded since the last call, and forget them."""
    return list(page.evaluate("() => (window.hookCalls ?? []).splice(0)"))


def click(page: Page, selector: str) -> None:
    page.click(selector)
    sync(page)


def test_hook_lifecycle_order_across_patch_move_removal_and_reconnect(hooks: Page) -> None:
    page = hooks
    assert calls(page) == [
        "mounted:parent",
        "mounted:child",
        "mounted:row-a",
        "mounted:row-b",
        "mounted:doomed",
        "mounted:counter-hook",
    ]
    click(page, "#patch-child")  # the child's text: the child changes, and so does its parent
    assert calls(page) == [
        "beforeUpdate:parent",
        "beforeUpdate:child",
        "updated:parent",
        "updated:child",
    ]
    click(page, "#patch-parent")  # the parent's own attribute only
    assert calls(page) == ["beforeUpdate:parent", "updated:parent"]
    click(page, "#move")  # a keyed move: same elements, same instances, no callback
    assert calls(page) == []
    assert page.eval_on_selector_all("ul li", "els => els.map(e => e.id)") == ["row-b", "row-a"]
    click(page, "#remove-row")
    assert calls(page) == ["destroyed:row-a"]
    click(page, "#rename")  # same element, new id: a new element to hooks (no ghost hook)
    assert calls(page) == ["destroyed:row-b", "mounted:row-b-2"]
    click(page, "#remove-box")  # phx-remove: the box stays while it fades out
    expect(page.locator("#box")).to_have_class(re.compile(r"\bfading\b"))
    assert calls(page) == []
    expect(page.locator("#box")).to_have_count(0)
    assert calls(page) == ["destroyed:doomed"]

    page.evaluate("window.pylive.disconnect()")
    expect(page.locator("#phx-main")).not_to_have_class(CONNECTED)
    assert calls(page) == [
        "disconnected:parent",
        "disconnected:child",
        "disconnected:row-b-2",
        "disconnected:counter-hook",
    ]
    page.evaluate("window.pylive.connect()")
    sync(page)
    # The server mounted the view afresh: its first render comes back. Elements it re-created
    # get new instances; the others reconnect, once each.
    assert calls(page) == [
        "destroyed:row-b-2",
        "mounted:row-a",
        "mounted:row-b",
        "mounted:doomed",
        "reconnected:parent",
        "reconnected:child",
        "reconnected:counter-hook",
    ]
    instances = page.evaluate("() => Object.keys(window.hookInstances).sort()")
    assert page.evaluate("() => document.querySelectorAll('[phx-hook=Recorder]').length") == 6
    assert "row-b-2" in instances  # recorded when it mounted; destroyed since


def test_hook_push_event_reply_as_promise_and_callback(hooks: Page) -> None:
    page = hooks
    reply = page.evaluate("() => window.hookInstances.parent.pushEvent('ping', {n: 5})")
    assert reply == {"pong": 1, "echo": 5}
    reply = page.evaluate(
        """() => new Promise(resolve =>
            window.hookInstances.child.pushEvent('ping', {n: 6}, reply => resolve(reply)))"""
    )
    assert reply == {"pong": 2, "echo": 6}
    expect(page.locator("#pings")).to_have_text("pings=2")


def test_hook_push_event_to_a_component_by_element_selector_and_cid(hooks: Page) -> None:
    page = hooks
    hook = "window.hookInstances['counter-hook']"
    reply = page.evaluate(f"() => {hook}.pushEventTo({hook}.el, 'bump', {{by: 2}})")
    assert reply == {"bumps": 2, "who": "component"}
    expect(page.locator("#counter-bumps")).to_have_text("bumps=2")
    replies = page.evaluate("() => window.hookInstances.parent.pushEventTo('#counter', 'bump', {})")
    assert replies == [{"bumps": 3, "who": "component"}]
    cid = int(page.get_attribute("#counter", "data-phx-component") or "")
    reply = page.evaluate(f"() => window.hookInstances.parent.pushEventTo({cid}, 'bump', {{}})")
    assert reply == {"bumps": 4, "who": "component"}
    expect(page.locator("#counter-bumps")).to_have_text("bumps=4")
    assert page.locator("#pings").text_content() == "pings=0"  # the view got none of them


def test_hook_handle_event_gets_push_event_then_stops_after_remove(hooks: Page) -> None:
    page = hooks
    page.evaluate(
        """() => {
            window.notices = [];
            window.addEventListener('phx:notice', e => window.notices.push(['window', e.detail]));
            const hook = window.hookInstances.parent;
            window.noticeRef = hook.handleEvent('notice', p => window.notices.push(['hook', p]));
        }"""
    )
    click(page, "#push")
    assert page.evaluate("() => window.notices") == [["hook", {"n": 1}], ["window", {"n": 1}]]
    page.evaluate("() => window.hookInstances.parent.removeHandleEvent(window.noticeRef)")
    click(page, "#push")
    assert page.evaluate("() => window.notices.length") == 3  # the window's listener only


def test_hook_registered_after_the_join_mounts_on_the_elements_there(hooks: Page) -> None:
    page = hooks
    assert page.evaluate("() => window.lateMounted") is None
    page.evaluate(
        """() => { window.pylive.hooks.Late = {
            mounted() { window.lateMounted = this.el.id; },
        }; }"""
    )
    page.wait_for_function("() => window.lateMounted === 'late'", timeout=2000)


def round_trips(page: Page, n: int) -> list[float]:
    return list(
        page.evaluate(
            """async n => {
                const times = [];
                for (let i = 0; i < n; i++) {
                    const start = performance.now();
                    await window.hookInstances.parent.pushEvent('ping', {n: i});
                    times.push(performance.now() - start);
                }
                return times;
            }""",
            n,
        )
    )


def test_latency_simulator_adds_its_delay_each_way(hooks: Page) -> None:
    page = hooks
    base = statistics.median(round_trips(page, 7))
    page.evaluate("() => window.pylive.enableLatencySim(150)")
    assert page.evaluate("() => window.pylive.getLatencySim()") == 150
    delayed = statistics.median(round_trips(page, 7))
    added = delayed - base
    assert 240 <= added <= 360, (base, delayed)  # 2 × 150 ms, within ±20 %
    page.reload()
    sync(page)
    assert page.evaluate("() => window.pylive.getLatencySim()") == 150  # kept for the tab
    page.evaluate("() => window.pylive.disableLatencySim()")
    assert page.evaluate("() => window.pylive.getLatencySim()") is None


DEAD_PAGE = """<!doctype html><html><head>
<script type="module" src="/_pylive/client.js"></script>
<script type="module">
window.pylive.hooks.Recorder = {
  mounted() { (window.hookCalls ??= []).push(`mounted:${this.el.id}`); window.deadHook = this; },
  updated() { window.hookCalls.push(`updated:${this.el.id}`); },
  destroyed() { window.hookCalls.push(`destroyed:${this.el.id}`); },
  disconnected() { window.hookCalls.push(`disconnected:${this.el.id}`); },
};
</script></head><body><p id="dead" phx-hook="Recorder">a page with no live view</p></body></html>
"""


def test_hook_on_a_page_without_live_view_only_mounts(live_server: Any, live_page: Page) -> None:
    page = live_page
    server: LiveServer = live_server(hooks_app())
    page.route(
        server.url + "/dead",
        lambda route: route.fulfill(status=200, content_type="text/html", body=DEAD_PAGE),
    )
    page.goto(server.url + "/dead")
    page.wait_for_function("() => window.deadHook !== undefined", timeout=3000)
    error = page.evaluate(
        "() => window.deadHook.pushEvent('ping', {}).then(() => 'sent', e => e.message)"
    )
    assert error == "pylive: this page has no live view"
    page.wait_for_timeout(300)
    assert calls(page) == ["mounted:dead"]


def test_debug_replies_carry_server_timing_logged_with_the_round_trip(
    live_server: Any, live_page: Page
) -> None:
    page = live_page
    server: LiveServer = live_server(hooks_app(debug=True))
    lines: list[str] = []
    page.on("console", lambda m: lines.append(m.text) if m.type == "debug" else None)
    page.goto(server.url + "/")
    sync(page)
    page.evaluate("() => window.pylive.enableDebug()")
    click(page, "#patch-child")
    timing = [line for line in lines if line.startswith("pylive reply")]
    assert len(timing) == 1, lines
    assert re.fullmatch(
        r'pylive reply ref=\d+ "child": \d+\.\d ms round trip '
        r"\(server: callback \d+ µs, render \d+ µs, diff \d+ µs\)",
        timing[0],
    ), timing
