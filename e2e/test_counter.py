"""Clicks: values, the loading class until the server answers, repeated clicks while waiting,
push_event to a ``phx:`` window listener."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from e2e.views import slow_counter_app
from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e

LOADING = re.compile(r"\bphx-click-loading\b")


def sent_events(page):
    """Every event frame the page sends from now on (a list that fills up)."""
    frames = []

    def watch(ws):
        ws.on("framesent", lambda payload: frames.append(json.loads(payload)))

    page.on("websocket", watch)
    return frames


@pytest.fixture
def counter(live_server, live_page):
    frames = sent_events(live_page)
    server = live_server(slow_counter_app())
    live_page.goto(server.url + "/")
    sync(live_page)
    return live_page, frames


def test_counter_click_sends_phx_values(counter):
    page, frames = counter
    page.click("#inc")
    sync(page)
    expect(page.locator("#count")).to_have_text("Count: 2")
    page.click("#inc")
    sync(page)
    expect(page.locator("#count")).to_have_text("Count: 4")
    events = [frame for frame in frames if frame["type"] == "event"]
    assert [(e["kind"], e["event"], e["value"]) for e in events] == [
        ("click", "inc", {"by": "2"}),
    ] * 2


def test_counter_loading_class_until_the_reply(counter):
    page, _ = counter
    slow = page.locator("#slow")
    slow.click()
    expect(slow).to_have_class(LOADING)
    expect(page.locator("#count")).to_have_text("Count: 0")  # still waiting for the server
    expect(page.locator("#count")).to_have_text("Count: 1")
    expect(slow).not_to_have_class(LOADING)
    expect(page.locator("#phx-main")).to_have_class(re.compile(r"\bphx-connected\b"))


def test_counter_double_click_while_waiting_counts_once(counter):
    page, frames = counter
    page.locator("#slow").dblclick()
    sync(page)
    expect(page.locator("#count")).to_have_text("Count: 1")
    clicks = [frame for frame in frames if frame.get("kind") == "click"]
    assert len(clicks) == 1
    page.click("#slow")  # answered: the button sends again
    sync(page)
    expect(page.locator("#count")).to_have_text("Count: 2")


def test_push_event_reaches_a_phx_window_listener_after_the_patch(gallery, live_page):
    page = live_page
    page.goto(gallery.url + "/counter")
    sync(page)
    page.click("#inc")
    sync(page)
    expect(page.locator("#count")).to_have_text("Count: 2")
    page.evaluate(
        """() => window.addEventListener("phx:counter-reset", (e) => {
            window.seen = {detail: e.detail, count: document.querySelector("#count").textContent};
        })"""
    )
    page.click("#reset")
    page.wait_for_function("() => window.seen !== undefined")
    assert page.evaluate("() => window.seen") == {"detail": {"at": 0}, "count": "Count: 0"}
