"""Key bindings: phx-window-keydown filtered by phx-key, phx-keyup on an input."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e


def test_window_keydown_hears_only_its_phx_key(gallery, live_page):
    page = live_page
    frames = []
    page.on(
        "websocket",
        lambda ws: ws.on("framesent", lambda payload: frames.append(json.loads(payload))),
    )
    page.goto(gallery.url + "/keys")
    sync(page)
    level = page.locator("#level")
    page.keyboard.press("ArrowUp")
    sync(page)
    expect(level).to_have_text("Level: 1")
    for key in ("x", "ArrowLeft", "Enter", "Shift"):
        page.keyboard.press(key)
    page.keyboard.press("ArrowUp")
    sync(page)
    expect(level).to_have_text("Level: 2")
    page.keyboard.press("ArrowDown")
    sync(page)
    expect(level).to_have_text("Level: 1")
    keydowns = [(f["event"], f["value"]) for f in frames if f.get("kind") == "keydown"]
    assert keydowns == [
        ("up", {"key": "ArrowUp"}),
        ("up", {"key": "ArrowUp"}),
        ("down", {"key": "ArrowDown"}),
    ]


def test_keyup_on_an_input_sends_every_key(gallery, live_page):
    page = live_page
    page.goto(gallery.url + "/keys")
    sync(page)
    page.click("#typing")
    page.keyboard.type("hi")
    page.keyboard.press("ArrowUp")  # the window binding hears it too, focus or not
    sync(page)
    expect(page.locator("#last-keys li")).to_have_text(["h", "i", "ArrowUp"])
    expect(page.locator("#level")).to_have_text("Level: 1")
    expect(page.locator("#typing")).to_have_value("hi")
