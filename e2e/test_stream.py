"""The Stream gallery page in a real browser: stream ops insert, limit, update in place, delete and
reset rows the server does not keep, and an updated row keeps its element and typed text."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from pylive.protocol import OP_STREAM_INSERT, OP_TEXT
from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e

ROWS = """() => Array.from(document.querySelectorAll('#messages > li'),
                        (li) => [li.id, li.querySelector('.text').textContent])"""


def rows(*ids: int, edited: dict[int, str] | None = None) -> list[list[str]]:
    """The rows ``#messages`` should show, in order: ``[dom id, text]``."""
    texts = edited or {}
    return [[f"messages-{n}", texts.get(n, f"message {n}")] for n in ids]


@pytest.fixture
def feed(gallery: Any, live_page: Any) -> Iterator[Any]:
    """The Stream page, connected; the test fails on any console error too."""
    page = live_page
    errors: list[str] = []

    def on_console(msg: Any) -> None:
        url = msg.location.get("url", "")
        if msg.type == "error" and not url.endswith("/favicon.ico"):  # the gallery has none
            errors.append(f"{msg.text} ({url})")

    page.on("console", on_console)
    page.goto(gallery.url + "/stream")
    sync(page)
    yield page
    assert not errors, f"console errors: {errors}"


def click(page: Any, selector: str) -> None:
    page.click(selector)
    sync(page)


def test_stream_http_render_already_shows_the_initial_rows(gallery, page):
    html = page.request.get(gallery.url + "/stream").text()
    feed = re.search(r'<ul id="messages" phx-update="stream">(.*?)</ul>', html)
    assert feed is not None
    shown = re.findall(r'<li id="([^"]+)"><span class="text">([^<]*)</span>', feed.group(1))
    assert [list(row) for row in shown] == rows(1, 2, 3, 4, 5)
    assert '<p id="sent">5 messages sent</p>' in html


def test_stream_initial_rows_live(feed):
    assert feed.evaluate(ROWS) == rows(1, 2, 3, 4, 5)
    expect(feed.locator("#sent")).to_have_text("5 messages sent")


def test_stream_prepend_append_and_limit(feed):
    click(feed, "#prepend")
    assert feed.evaluate(ROWS) == rows(6, 1, 2, 3, 4, 5)
    expect(feed.locator("#sent")).to_have_text("6 messages sent")

    click(feed, "#append")
    assert feed.evaluate(ROWS) == rows(6, 1, 2, 3, 4, 5, 7)
    expect(feed.locator("#sent")).to_have_text("7 messages sent")

    click(feed, "#append-3")  # 10 rows, the browser keeps the last 6
    assert feed.evaluate(ROWS) == rows(4, 5, 7, 8, 9, 10)
    expect(feed.locator("#sent")).to_have_text("10 messages sent")

    click(feed, "#append-3")
    assert feed.evaluate(ROWS) == rows(8, 9, 10, 11, 12, 13)
    expect(feed.locator("#sent")).to_have_text("13 messages sent")


def test_stream_counter_patch_and_stream_insert_travel_in_one_frame(gallery, live_page):
    page = live_page
    frames: list[dict[str, Any]] = []

    def on_websocket(ws: Any) -> None:
        ws.on("framereceived", lambda payload: frames.append(json.loads(payload)))

    page.on("websocket", on_websocket)
    page.goto(gallery.url + "/stream")
    sync(page)
    frames.clear()
    click(page, "#prepend")
    answers = [frame for frame in frames if frame.get("ops")]
    assert len(answers) == 1, frames
    ops = answers[0]["ops"]
    assert [op[0] for op in ops] == [OP_TEXT, OP_STREAM_INSERT]
    assert ops[0][-1] == "6 messages sent"
    assert ops[1][2] == 0 and ops[1][3][1] == {"id": "messages-6"}


def test_stream_edit_updates_the_row_in_place_keeping_its_input(feed):
    row = feed.locator("#messages-1")
    note = row.locator("input")
    handles = {"row": row.element_handle(), "input": note.element_handle()}
    feed.evaluate(
        "([row, input]) => { row.marker = 'row-1'; input.marker = 'input-1'; }",
        [
            handles["row"],
            handles["input"],
        ],
    )

    # The input has the focus while the update arrives (pushEvent leaves the focus alone).
    note.click()
    feed.keyboard.type("typed")
    feed.keyboard.press("ArrowLeft")  # caret after "type"
    assert feed.evaluate("() => pylive.pushEvent('edit_first', {})") == {}
    sync(feed)
    assert feed.evaluate(ROWS) == rows(1, 2, 3, 4, 5, edited={1: "message 1 (edit 1)"})
    state = feed.evaluate(
        """([row, input]) => ({
            row: [row.isConnected, row.marker, row === document.getElementById('messages-1')],
            input: [input.isConnected, input.marker, input === document.activeElement],
            value: input.value, caret: [input.selectionStart, input.selectionEnd],
        })""",
        [handles["row"], handles["input"]],
    )
    assert state == {
        "row": [True, "row-1", True],
        "input": [True, "input-1", True],
        "value": "typed",
        "caret": [4, 4],
    }

    # Not focused: the click moves the focus to the button; the typed text stays all the same.
    click(feed, "#edit-first")
    assert feed.evaluate(ROWS) == rows(1, 2, 3, 4, 5, edited={1: "message 1 (edit 2)"})
    state = feed.evaluate(
        """([row, input]) => [
            row.isConnected, row.marker, input.isConnected, input.marker,
            input === document.querySelector('#messages-1 input'), input.value,
        ]""",
        [handles["row"], handles["input"]],
    )
    assert state == [True, "row-1", True, "input-1", True, "typed"]


def test_stream_edit_follows_the_prepended_first_row(feed):
    feed.fill("#messages-2 input", "second")
    click(feed, "#prepend")
    click(feed, "#edit-first")
    assert feed.evaluate(ROWS) == rows(6, 1, 2, 3, 4, 5, edited={6: "message 6 (edit 1)"})
    expect(feed.locator("#messages-2 input")).to_have_value("second")
    expect(feed.locator("#sent")).to_have_text("6 messages sent")  # an edit sends no message


def test_stream_delete_a_row(feed):
    feed.fill("#messages-4 input", "kept")
    click(feed, "#messages-3 button[aria-label=delete]")
    assert feed.evaluate(ROWS) == rows(1, 2, 4, 5)
    expect(feed.locator("#messages-4 input")).to_have_value("kept")
    click(feed, "#messages-1 button[aria-label=delete]")
    click(feed, "#messages-5 button[aria-label=delete]")
    assert feed.evaluate(ROWS) == rows(2, 4)
    # Deleting the first row: "Edit first" then finds nothing to update and inserts nothing.
    click(feed, "#edit-first")
    assert feed.evaluate(ROWS) == rows(2, 4)
    expect(feed.locator("#sent")).to_have_text("5 messages sent")


def test_stream_reset_shows_only_the_fresh_rows(feed):
    click(feed, "#append")
    feed.fill("#messages-2 input", "gone")
    click(feed, "#reset")
    assert feed.evaluate(ROWS) == rows(7, 8)
    expect(feed.locator("#sent")).to_have_text("8 messages sent")
    expect(feed.locator("#messages input")).to_have_count(2)
    expect(feed.locator("#messages-7 input")).to_have_value("")

    click(feed, "#edit-first")  # the first fresh row
    assert feed.evaluate(ROWS) == rows(7, 8, edited={7: "message 7 (edit 1)"})
    click(feed, "#prepend")
    click(feed, "#append-3")
    assert feed.evaluate(ROWS) == rows(9, 7, 8, 10, 11, 12, edited={7: "message 7 (edit 1)"})
