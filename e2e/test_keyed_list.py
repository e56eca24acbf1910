"""Keyed moves keep the focused input: the same node, still focused, its typed value and caret."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e

ROW_IDS = "() => Array.from(document.querySelectorAll('#rows > li'), (li) => li.id)"


def test_keyed_reorder_keeps_the_focused_input_value_and_caret(gallery, live_page):
    page = live_page
    page.goto(gallery.url + "/keyed-list")
    sync(page)
    page.click("#row-1 input")
    page.keyboard.type("hello")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")  # caret after "he"
    focused = page.evaluate_handle("() => document.activeElement")
    page.evaluate(
        "(el) => { window.blurs = 0; el.addEventListener('blur', () => window.blurs++); }", focused
    )
    order = page.evaluate(ROW_IDS)
    assert order == ["row-1", "row-2", "row-3", "row-4", "row-5"]

    for event in ("reverse", "shuffle", "sort"):
        # pushEvent, not a click on the toolbar: the input keeps the focus meanwhile.
        assert page.evaluate(f"() => pylive.pushEvent({event!r}, {{}})") == {}
        sync(page)
        new_order = page.evaluate(ROW_IDS)
        assert sorted(new_order) == sorted(order)
        if event != "sort":
            assert new_order != order, event
        order = new_order
        state = page.evaluate(
            """(el) => ({same: el === document.activeElement, connected: el.isConnected,
                         row: el.closest("li").id, value: el.value,
                         caret: [el.selectionStart, el.selectionEnd], blurs: window.blurs})""",
            focused,
        )
        assert state == {
            "same": True,
            "connected": True,
            "row": "row-1",
            "value": "hello",
            "caret": [2, 2],
            "blurs": 0,
        }, event
    assert order == ["row-1", "row-2", "row-3", "row-4", "row-5"]


def test_keyed_insert_and_remove_by_click(gallery, live_page):
    page = live_page
    page.goto(gallery.url + "/keyed-list")
    sync(page)
    page.click("#insert")
    sync(page)
    assert page.evaluate(ROW_IDS) == ["row-1", "row-2", "row-6", "row-3", "row-4", "row-5"]
    page.click("#row-2 button[aria-label=remove]")
    sync(page)
    assert page.evaluate(ROW_IDS) == ["row-1", "row-6", "row-3", "row-4", "row-5"]
    expect(page.locator("#row-6 .name")).to_have_text("item 6")
