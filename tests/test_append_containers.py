"""Append and prepend containers (``phx_update="append"``/``"prepend"``): their children are
``Additions``, the diff sends the new and changed ones as one ``OP_APPEND``/``OP_PREPEND`` op, the
test client's ``apply`` keeps what the browser keeps, and the render check wants ids."""

from __future__ import annotations

import re
from typing import Any

import pytest
from markupsafe import Markup

from pylive.client_hooks import Hooks, check_hooks
from pylive.component import component
from pylive.diff import diff, diff_node
from pylive.exceptions import InvalidChild
from pylive.html import div, li, p, span, ul
from pylive.node import Additions, Element
from pylive.protocol import (
    OP_APPEND,
    OP_ATTRS,
    OP_INSERT,
    OP_PREPEND,
    OP_STREAM_INSERT,
    OP_STREAM_RESET,
    OP_TEXT,
)
from pylive.render import render_html
from pylive.socket import Socket
from pylive.stream_items import StreamCollector
from pylive.testing import apply


def rows(*ids: int, mode: str = "append", text: str = "row") -> Element:
    """``<div id="logs" phx-update=mode>`` with a ``<p id="log-n">`` per id."""
    return div(id="logs", phx_update=mode)[[p(f"{text} {n}", id=f"log-{n}") for n in ids]]


def wire(n: int, text: str = "row") -> list[Any]:
    return ["p", {"id": f"log-{n}"}, [f"{text} {n}"]]


def shown(tree: Any) -> list[str]:
    """The ids of the rows of ``#logs`` in a (patched) tree."""
    return re.findall(r'<p id="log-(\d+)">', render_html(tree))


# -- the children ---------------------------------------------------------------------------------


def test_append_container_children_are_additions_in_calls_and_brackets() -> None:
    called = div(p("a", id="a"), id="logs", phx_update="append")
    bracketed = div(id="logs", phx_update="prepend")[p("a", id="a"), p("b", id="b")]
    plain = div(p("a", id="a"), id="logs")
    assert type(called.children) is Additions and called.children.prepend is False
    assert type(bracketed.children) is Additions and bracketed.children.prepend is True
    assert type(plain.children) is list
    assert render_html(bracketed) == (
        '<div id="logs" phx-update="prepend"><p id="a">a</p><p id="b">b</p></div>'
    )


def test_append_container_children_stay_a_list_of_rows_however_many() -> None:
    """Many uniform rows are not compacted into text rows: the diff finds each by its id."""
    many = ul(id="logs", phx_update="append")[[li("x", key=n) for n in range(40)]]
    assert type(many.children) is Additions
    assert len(many.children) == 40


def test_append_container_refuses_raw_html() -> None:
    with pytest.raises(InvalidChild, match=r'<div phx-update="append"> cannot hold raw HTML'):
        div(Markup("<b>x</b>"), phx_update="append")


# -- the diff -------------------------------------------------------------------------------------


def test_diff_append_sends_new_rows_in_one_op() -> None:
    assert diff(rows(1, 2), rows(3, 4)) == [[OP_APPEND, [0], [wire(3), wire(4)]]]


def test_diff_prepend_sends_new_rows_in_one_op() -> None:
    old, new = rows(1, mode="prepend"), rows(2, 3, mode="prepend")
    assert diff(old, new) == [[OP_PREPEND, [0], [wire(2), wire(3)]]]


def test_diff_append_skips_rows_the_last_render_sent_unchanged() -> None:
    """A row the browser already has as it is costs nothing; a changed one is sent whole."""
    old = rows(1, 2, 3)
    new = div(id="logs", phx_update="append")[
        p("row 1", id="log-1"), p("row 2!", id="log-2"), p("row 3", id="log-3"), p("4", id="log-4")
    ]
    assert diff(old, new) == [
        [OP_APPEND, [0], [["p", {"id": "log-2"}, ["row 2!"]], ["p", {"id": "log-4"}, ["4"]]]]
    ]
    assert diff(old, rows(1, 2, 3)) == []


def test_diff_append_with_no_new_rows_sends_nothing() -> None:
    """A render after the temporary rows went back to ``[]``: the browser keeps what it has."""
    assert diff(rows(1, 2), rows()) == []
    assert diff(rows(), rows()) == []


def test_diff_append_among_other_changes_addresses_the_container() -> None:
    old = div(p("page 1"), rows(1), id="page")
    new = div(p("page 2"), rows(2), id="page")
    assert diff(old, new) == [[OP_TEXT, [0, 0, 0], "page 2"], [OP_APPEND, [0, 1], [wire(2)]]]


def test_diff_memoized_rows_called_alike_are_not_rendered_again() -> None:
    renders: list[int] = []

    @component(memo=True)
    def entry(n: int) -> Element:
        renders.append(n)
        return p(f"row {n}", id=f"log-{n}")

    old = div(id="logs", phx_update="append")[entry(1), entry(2)]
    assert diff(None, old)[0][0] == OP_INSERT
    assert renders == [1, 2]
    new = div(id="logs", phx_update="append")[entry(1), entry(3)]
    assert diff(old, new) == [[OP_APPEND, [0], [wire(3)]]]
    assert renders == [1, 2, 1, 3]  # its id is read by rendering it; then it is not sent


def test_diff_plain_children_becoming_append_ones_keep_what_the_browser_has() -> None:
    old = div(p("row 1", id="log-1"), p("x"), id="logs")
    new = rows(1, 2)
    ops = diff(old, new)
    assert ops == [[OP_ATTRS, [0], {"phx-update": "append"}], [OP_APPEND, [0], [wire(2)]]]
    assert render_html(apply(ops, old)) == (
        '<div id="logs" phx-update="append"><p id="log-1">row 1</p><p>x</p>'
        '<p id="log-2">row 2</p></div>'
    )


def test_diff_append_container_becoming_plain_rebuilds_its_children() -> None:
    """The server does not know what the browser kept: every child goes, the new ones come."""
    ops = diff(rows(1), div(p("only", id="only"), id="logs"))
    assert ops == [
        [OP_ATTRS, [0], {"phx-update": None}],
        [OP_STREAM_RESET, [0], 1],
        [OP_INSERT, [0], 0, ["p", {"id": "only"}, ["only"]]],
    ]


def test_diff_append_container_becoming_a_stream_resets_every_child() -> None:
    socket = Socket("LogsView")
    socket.stream("s", [{"id": 1}])
    new = div(id="logs", phx_update="stream")[
        (p("s", id=dom_id) for dom_id, _ in socket.assigns.streams.s)
    ]
    StreamCollector().collect([new], socket._stream_sources())  # as the session does
    ops = diff(rows(1), new)
    assert ops == [
        [OP_ATTRS, [0], {"phx-update": "stream"}],
        [OP_STREAM_RESET, [0], 1],
        [OP_STREAM_INSERT, [0], -1, ["p", {"id": "s-1"}, ["s"]]],
    ]


def test_diff_node_of_a_component_holding_an_append_container() -> None:
    """A component re-rendered alone diffs its container as the view's diff does."""
    old = div(rows(1), id="card")
    new = div(rows(1, 2), id="card")
    assert diff_node(old, new, [3, 1]) == [[OP_APPEND, [3, 1, 0], [wire(2)]]]


def test_diff_append_leaves_phx_update_ignore_alone() -> None:
    old = div(rows(1), div(span("map"), id="map", phx_update="ignore"))
    new = div(rows(2), div(span("other"), id="map", phx_update="ignore"))
    assert diff(old, new) == [[OP_APPEND, [0, 0], [wire(2)]]]


# -- apply: what the browser keeps ----------------------------------------------------------------


def test_apply_append_keeps_rows_and_adds_the_new_ones_after() -> None:
    page = apply(diff(rows(1, 2), rows(3, 4)), rows(1, 2))
    assert shown(page) == ["1", "2", "3", "4"]


def test_apply_prepend_adds_the_new_ones_before_in_their_order() -> None:
    page = rows(1, 2, mode="prepend")
    page = apply([[OP_PREPEND, [0], [wire(3), wire(4)]]], page)
    page = apply([[OP_PREPEND, [0], [wire(5)]]], page)
    assert shown(page) == ["5", "3", "4", "1", "2"]


def test_apply_a_row_sent_again_is_updated_where_it_stands() -> None:
    for code, order in ((OP_APPEND, ["1", "2", "3", "9"]), (OP_PREPEND, ["9", "1", "2", "3"])):
        page = apply([[code, [0], [wire(9), wire(2, "new")]]], rows(1, 2, 3))
        assert shown(page) == order
        assert '<p id="log-2">new 2</p>' in render_html(page)


# -- the render check -----------------------------------------------------------------------------


def check(tree: Element) -> None:
    check_hooks(tree, Hooks(), "LogsView")


def test_render_check_passes_an_append_container_with_ids() -> None:
    check(div(rows(1, 2), div(p("a", id="a"), id="other", phx_update="prepend")))


def test_render_check_wants_an_id_on_each_child() -> None:
    with pytest.raises(InvalidChild) as error:
        check(div(div(p("a", id="a"), p("no id"), id="logs", phx_update="append")))
    assert str(error.value) == (
        'the children of <div id="logs" phx-update="append"> in LogsView.render must be elements '
        "with an id (the browser keeps them and updates the one with a new child's id in place), "
        "got p('no id')"
    )
    with pytest.raises(InvalidChild, match=r"must be elements with an id .* got 'text'"):
        check(div("text", id="logs", phx_update="prepend"))


def test_render_check_wants_an_id_on_the_container() -> None:
    with pytest.raises(InvalidChild) as error:
        check(div(ul(li("a", id="a"), class_="logs", phx_update="append")))
    assert str(error.value) == (
        '<ul class="logs" phx-update="append"> in LogsView.render needs an id (LiveView\'s rule '
        'for phx-update="append": the browser keeps its children across renders and rejoins)'
    )
