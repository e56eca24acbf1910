"""The Stream gallery page, driven in-process through the gallery app: the rows each action shows,
the ops it sends, and that the session keeps no message."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from gallery.app import BASICS, app
from gallery.pages import stream
from pylive.protocol import OP_STREAM_DELETE, OP_STREAM_INSERT, OP_STREAM_RESET, OP_TEXT
from pylive.render import render_html
from pylive.testing import LiveViewClient, live


@pytest.fixture
def view() -> Iterator[LiveViewClient]:
    with live(app, "/stream") as view:
        yield view


def shown(view: LiveViewClient) -> list[tuple[str, str]]:
    """``(dom id, text)`` of each row of the feed, in order."""
    html = view.element("#messages").render()
    return re.findall(r'<li id="messages-(\d+)"><span class="text">([^<]*)</span>', html)


def rows(*ids: int, **edited: str) -> list[tuple[str, str]]:
    return [(str(n), edited.get(f"m{n}", f"message {n}")) for n in ids]


def test_gallery_stream_is_a_basics_page() -> None:
    assert ("/stream", "Stream", stream, stream.Feed) in BASICS


def test_gallery_stream_renders_over_http_and_live(view: LiveViewClient) -> None:
    static = live(app, "/stream", connect=False)
    assert shown(static) == shown(view) == rows(1, 2, 3, 4, 5)
    assert static.element("#sent").render() == '<p id="sent">5 messages sent</p>'


def test_gallery_stream_each_action(view: LiveViewClient) -> None:
    view.element("#prepend").click()
    assert shown(view) == rows(6, 1, 2, 3, 4, 5)
    assert [op[0] for op in view.frames[-1]["ops"]] == [OP_TEXT, OP_STREAM_INSERT]
    view.element("#append").click()
    assert shown(view) == rows(6, 1, 2, 3, 4, 5, 7)
    view.element("#append-3").click()
    assert shown(view) == rows(4, 5, 7, 8, 9, 10)
    assert [op[-1] for op in view.frames[-1]["ops"][1:]] == [-6, -6, -6]
    view.element("#edit-first").click()  # message 6 was dropped by the limit: nothing to update
    assert view.frames[-1]["ops"][0][0] == OP_STREAM_INSERT
    assert view.frames[-1]["ops"][0][-1] == 1  # update only
    assert shown(view) == rows(4, 5, 7, 8, 9, 10)
    view.element("#messages-8 button").click()
    [[kind, _, dom_id]] = view.frames[-1]["ops"]
    assert (kind, dom_id) == (OP_STREAM_DELETE, "messages-8")
    assert shown(view) == rows(4, 5, 7, 9, 10)
    view.element("#reset").click()
    assert [op[0] for op in view.frames[-1]["ops"]] == [
        OP_TEXT,
        OP_STREAM_RESET,
        OP_STREAM_INSERT,
        OP_STREAM_INSERT,
    ]
    assert shown(view) == rows(11, 12)
    view.element("#edit-first").click()
    assert shown(view) == rows(11, 12, m11="message 11 (edit 2)")
    assert view.element("#sent").render() == '<p id="sent">12 messages sent</p>'


def test_gallery_stream_session_keeps_no_message(view: LiveViewClient) -> None:
    for _ in range(3):
        view.element("#append-3").click()
    live_session = view.connection.live
    assert live_session is not None
    assert '<ul id="messages" phx-update="stream"></ul>' in render_html(live_session.tree)
