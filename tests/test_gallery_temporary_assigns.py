"""The gallery's "Temporary assigns and append containers" page in-process: both versions of the
log (a temporary assign in an append container, and a stream) keep the loaded lines in the page,
send each page once, and leave the session holding none of them."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from gallery.app import BASICS, app
from gallery.pages import temporary_assigns
from pylive.node import Children, Element, top_level
from pylive.protocol import OP_APPEND, OP_STREAM_INSERT, OP_TEXT
from pylive.session import LiveSession
from pylive.testing import LiveViewClient, live

PATH = "/temporary-assigns"


@pytest.fixture
def view() -> Iterator[LiveViewClient]:
    with live(app, PATH) as view:
        yield view


def lines(view: LiveViewClient, container: str) -> list[int]:
    """The log ids the page shows in ``#container``, in order."""
    return [int(n) for n in re.findall(r'id="logs?-(\d+)"', view.element(container).render())]


def session_of(view: LiveViewClient) -> LiveSession:
    live_session = view.connection.live
    assert live_session is not None
    return live_session


def held_lines(view: LiveViewClient) -> int:
    """The log lines the session holds: in the tree kept for the next diff, and in assigns."""

    def count(nodes: Children) -> int:
        found = 0
        for node in nodes:
            if type(node) is Element:
                found += node.attrs.get("class") == "log-entry"
                found += count(node.children)
        return found

    live_session = session_of(view)
    return count(top_level(live_session.tree)) + len(live_session.socket.assigns.logs)


def test_gallery_temporary_assigns_is_a_basics_page_with_steps() -> None:
    assert (
        PATH,
        "Temporary assigns and append containers",
        temporary_assigns,
        temporary_assigns.LogsPage,
    ) in BASICS
    assert "Try this: " in (temporary_assigns.__doc__ or "")


def test_gallery_temporary_assigns_renders_the_first_page_over_http_and_live(
    view: LiveViewClient,
) -> None:
    static = live(app, PATH, connect=False)
    first = list(range(1, 51))
    assert lines(static, "#logs-container") == lines(view, "#logs-container") == first
    assert lines(static, "#logs") == lines(view, "#logs") == first
    assert view.element("#log-3").render() == (
        '<div id="log-3" class="log-entry"><span class="timestamp">12:00:03</span>'
        '<span class="level debug">debug</span><span class="message">request 3 handled</span>'
        "</div>"
    )


def test_gallery_temporary_assigns_load_more_appends_and_keeps_the_loaded(
    view: LiveViewClient,
) -> None:
    view.element("#load-more").click()
    ops = view.frames[-1]["ops"]
    [append] = [op for op in ops if op[0] == OP_APPEND]
    assert [row[1]["id"] for row in append[2]] == [f"log-{n}" for n in range(51, 101)]
    assert {op[0] for op in ops} == {OP_APPEND, OP_TEXT}  # the rows, and the two status lines
    view.element("#load-more").click()
    assert lines(view, "#logs-container") == list(range(1, 151))
    assert lines(view, "#logs") == list(range(1, 51))  # the stream's side did not move
    assert view.element("#append-status").render() == (
        '<p id="append-status">150 lines in your browser (page 3); this render sends 50, and the '
        "server holds 0 once it is sent</p>"
    )


def test_gallery_temporary_assigns_stream_load_more_inserts_and_keeps_the_loaded(
    view: LiveViewClient,
) -> None:
    view.element("#stream-load-more").click()
    ops = view.frames[-1]["ops"]
    inserts = [op for op in ops if op[0] == OP_STREAM_INSERT]
    assert [op[3][1]["id"] for op in inserts] == [f"logs-{n}" for n in range(51, 101)]
    assert lines(view, "#logs") == list(range(1, 101))
    assert lines(view, "#logs-container") == list(range(1, 51))
    assert view.element("#append-status").render() == (
        '<p id="append-status">50 lines in your browser (page 1); this render sends 0, and the '
        "server holds 0 once it is sent</p>"
    )


def test_gallery_temporary_assigns_server_holds_no_line_however_many_pages(
    view: LiveViewClient,
) -> None:
    """After 1 and after 6 loads on each side, the session holds the append side's last page
    (the tree the next diff compares with) and nothing else; the browser holds them all."""
    view.element("#load-more").click()
    view.element("#stream-load-more").click()
    assert held_lines(view) == 0  # the last render (the stream's) had no temporary lines
    view.element("#load-more").click()
    assert held_lines(view) == 50
    for _ in range(4):
        view.element("#load-more").click()
        view.element("#stream-load-more").click()
    assert held_lines(view) == 0
    view.element("#load-more").click()
    assert held_lines(view) == 50
    assert len(lines(view, "#logs-container")) == 8 * 50
    assert len(lines(view, "#logs")) == 6 * 50
