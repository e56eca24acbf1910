"""Streams: the server sends stream ops and keeps no item (pylive.stream, pylive.stream_items)."""

from __future__ import annotations

import gc
import random
import re
import tracemalloc
from typing import Any

import pytest

from pylive.app import App
from pylive.component import component
from pylive.diff import diff
from pylive.exceptions import InvalidChild
from pylive.html import button, div, li, p, ul
from pylive.live_component import LiveComponent, live_component
from pylive.node import Element, Fragment, top_level
from pylive.protocol import OP_INSERT, OP_STREAM_DELETE, OP_STREAM_INSERT, OP_STREAM_RESET
from pylive.render import render_html
from pylive.socket import Socket
from pylive.stream_items import StreamCollector
from pylive.testing import apply, live
from pylive.view import LiveView


def songs(*ids: int) -> list[dict[str, Any]]:
    return [{"id": i, "title": f"song {i}"} for i in ids]


def container(socket: Socket) -> Element:
    """What a view renders for the stream ``songs`` of ``socket``."""
    return ul(id="songs", phx_update="stream")[
        (li(song["title"], id=dom_id) for dom_id, song in socket.assigns.streams.songs)
    ]


def collected(socket: Socket, collector: StreamCollector | None = None) -> Element:
    """``container(socket)`` as a session renders it: its stream container collected with the
    socket's streams (by a collector never released unless given, as for the HTTP page)."""
    tree = container(socket)
    (collector or StreamCollector()).collect([tree], socket._stream_sources())
    return tree


def render_turn(socket: Socket) -> Element:
    """One render inside a turn, released afterwards (as a session does after sending)."""
    collector = StreamCollector()
    tree = collected(socket, collector)
    wire_html = render_html(tree)
    collector.release()
    assert render_html(tree) == '<ul id="songs" phx-update="stream"></ul>'  # released
    assert wire_html.startswith('<ul id="songs"')
    return tree


# -- the diff ----------------------------------------------------------------------------------


def test_stream_insert_ops_are_addressed_to_the_container_not_by_index() -> None:
    socket = Socket("V")
    socket.stream("songs", songs(1, 2))
    old = render_turn(socket)
    socket.stream_insert("songs", {"id": 3, "title": "three"}, at=0)
    socket.stream_insert("songs", {"id": 4, "title": "four"})
    new = collected(socket)
    ops = diff(div(old), div(new))
    assert ops == [
        [OP_STREAM_INSERT, [0, 0], 0, ["li", {"id": "songs-3"}, ["three"]]],
        [OP_STREAM_INSERT, [0, 0], -1, ["li", {"id": "songs-4"}, ["four"]]],
    ]


def test_stream_limit_and_update_only_ride_at_the_end_of_the_insert_op() -> None:
    socket = Socket("V")
    socket.stream("songs", [])
    old = render_turn(socket)
    socket.stream_insert("songs", {"id": 1, "title": "a"}, limit=-10)
    socket.stream_insert("songs", {"id": 2, "title": "b"}, update_only=True)
    socket.stream_insert("songs", {"id": 3, "title": "c"}, at=2, limit=3, update_only=True)
    ops = diff(old, collected(socket))
    assert ops == [
        [OP_STREAM_INSERT, [0], -1, ["li", {"id": "songs-1"}, ["a"]], -10],
        [OP_STREAM_INSERT, [0], -1, ["li", {"id": "songs-2"}, ["b"]], None, 1],
        [OP_STREAM_INSERT, [0], 2, ["li", {"id": "songs-3"}, ["c"]], 3, 1],
    ]


def test_stream_delete_and_reset_come_before_the_inserts() -> None:
    socket = Socket("V")
    socket.stream("songs", songs(1, 2))
    old = render_turn(socket)
    socket.stream_delete("songs", {"id": 1})
    socket.stream_delete_by_dom_id("songs", "songs-2")
    ops = diff(old, collected(socket))
    assert ops == [[OP_STREAM_DELETE, [0], "songs-1"], [OP_STREAM_DELETE, [0], "songs-2"]]
    old = render_turn(socket)  # the deletes were sent: forgotten
    socket.stream("songs", songs(7), reset=True)
    ops = diff(old, collected(socket))
    assert ops == [
        [OP_STREAM_RESET, [0]],
        [OP_STREAM_INSERT, [0], -1, ["li", {"id": "songs-7"}, ["song 7"]]],
    ]


def test_stream_delete_then_insert_moves_an_item() -> None:
    socket = Socket("V")
    socket.stream("songs", songs(1, 2))
    old = render_turn(socket)
    socket.stream_delete("songs", {"id": 2})
    socket.stream_insert("songs", {"id": 2, "title": "two"}, at=0)
    assert diff(old, collected(socket)) == [
        [OP_STREAM_DELETE, [0], "songs-2"],
        [OP_STREAM_INSERT, [0], 0, ["li", {"id": "songs-2"}, ["two"]]],
    ]


def test_stream_twice_asked_item_is_sent_once_with_the_last_content() -> None:
    socket = Socket("V")
    socket.stream("songs", [])
    old = render_turn(socket)
    socket.stream_insert("songs", {"id": 1, "title": "a"}, at=0)
    socket.stream_insert("songs", {"id": 1, "title": "b"}, limit=5)
    assert diff(old, collected(socket)) == [
        [OP_STREAM_INSERT, [0], 0, ["li", {"id": "songs-1"}, ["b"]], 5]
    ]


def test_stream_reset_without_items_finds_the_container_it_was_rendered_in() -> None:
    socket = Socket("V")
    socket.stream("songs", songs(1))
    old = render_turn(socket)
    socket.stream("songs", [], reset=True)
    ops = diff(old, collected(socket))
    assert ops == [[OP_STREAM_RESET, [0]]]


def test_stream_nothing_asked_sends_nothing() -> None:
    socket = Socket("V")
    socket.stream("songs", songs(1))
    old = render_turn(socket)
    assert diff(old, collected(socket)) == []


def test_stream_insert_then_delete_of_one_item_in_one_turn_only_deletes() -> None:
    socket = Socket("V")
    socket.stream("songs", songs(5))
    old = render_turn(socket)
    socket.stream_insert("songs", {"id": 5, "title": "x"})
    socket.stream_delete("songs", {"id": 5})
    assert diff(old, collected(socket)) == [[OP_STREAM_DELETE, [0], "songs-5"]]


def test_stream_container_becoming_a_plain_list_is_rebuilt() -> None:
    socket = Socket("V")
    socket.stream("songs", songs(1))
    old = render_turn(socket)
    assert diff(old, ul(li("a"), id="songs")) == [
        [1, [0], {"phx-update": None}],
        [OP_STREAM_RESET, [0], 1],
        [OP_INSERT, [0], 0, ["li", {}, ["a"]]],
    ]


def test_plain_list_becoming_a_stream_container_is_emptied_first() -> None:
    socket = Socket("V")
    socket.stream("songs", songs(1))
    ops = diff(ul(li("a"), li("b"), id="songs"), collected(socket))
    assert ops == [
        [1, [0], {"phx-update": "stream"}],
        [OP_STREAM_RESET, [0], 1],
        [OP_STREAM_INSERT, [0], -1, ["li", {"id": "songs-1"}, ["song 1"]]],
    ]


# -- a fresh container (the HTTP page, the join, a new subtree) ------------------------------------


def test_stream_fresh_render_orders_items_as_the_browser_would() -> None:
    socket = Socket("V")
    socket.stream("songs", songs(1, 2, 3), at=0)  # each prepended in turn: shown reversed
    socket.stream_insert("songs", {"id": 2, "title": "two"}, at=-1)  # shown: updated in place
    socket.stream_insert("songs", {"id": 9, "title": "nine"}, update_only=True)  # not shown
    html = render_html(collected(socket))
    assert html == (
        '<ul id="songs" phx-update="stream"><li id="songs-3">song 3</li>'
        '<li id="songs-2">two</li><li id="songs-1">song 1</li></ul>'
    )


def test_stream_fresh_render_applies_limits() -> None:
    socket = Socket("V")
    socket.stream("songs", songs(1, 2, 3, 4), limit=-2)
    assert [c.attrs["id"] for c in collected(socket).children] == ["songs-3", "songs-4"]
    socket = Socket("V")
    socket.stream("songs", songs(1, 2, 3, 4), at=0, limit=3)
    assert [c.attrs["id"] for c in collected(socket).children] == [
        "songs-4",
        "songs-3",
        "songs-2",
    ]


def test_stream_container_outside_a_session_renders_its_items_in_order() -> None:
    """A builder is pure: what a stream container holds does not depend on a session."""
    socket = Socket("V")
    socket.stream("songs", songs(1, 2))
    tree = container(socket)
    assert type(tree.children) is list
    assert render_html(tree) == (
        '<ul id="songs" phx-update="stream"><li id="songs-1">song 1</li>'
        '<li id="songs-2">song 2</li></ul>'
    )


# -- apply: the browser's semantics in Python ------------------------------------------------------


def test_apply_stream_ops_follow_the_browser() -> None:
    start = ul(li("a", id="x-1"), li("b", id="x-2"), id="x", phx_update="stream")
    ops = [
        [OP_STREAM_INSERT, [0], 0, ["li", {"id": "x-3"}, ["c"]]],
        [OP_STREAM_INSERT, [0], 0, ["li", {"id": "x-1"}, ["A"]]],  # in place: at ignored
        [OP_STREAM_INSERT, [0], -1, ["li", {"id": "x-9"}, ["z"]], None, 1],  # update only
        [OP_STREAM_INSERT, [0], 1, ["li", {"id": "x-4"}, ["d"]], -3],  # then keep the last 3
        [OP_STREAM_DELETE, [0], "x-2"],
        [OP_STREAM_DELETE, [0], "x-404"],
    ]
    out = apply(ops, Fragment([start]))
    assert render_html(out) == (
        '<ul id="x" phx-update="stream"><li id="x-4">d</li><li id="x-1">A</li></ul>'
    )
    assert render_html(apply([[OP_STREAM_RESET, [0]]], out)) == (
        '<ul id="x" phx-update="stream"></ul>'
    )


# -- fixed children: a container's children no stream inserted -------------------------------------


def users_container(socket: Socket) -> Element:
    """A stream container with an "Empty!" placeholder rendered before its items."""
    tree = ul(id="users", phx_update="stream")[
        li("Empty!", id="users-empty", class_="only:block hidden"),
        (li(user["name"], id=dom_id) for dom_id, user in socket.assigns.streams.users),
    ]
    return tree


def users_turn(socket: Socket, old: Element | None = None) -> tuple[Element, list[Any]]:
    """Render, collect, diff against ``old`` (none: the fresh HTML render) and release."""
    collector = StreamCollector()
    tree = users_container(socket)
    collector.collect([tree], socket._stream_sources())
    ops = [] if old is None else diff(old, tree)
    fresh = apply([], Fragment([tree])) if old is None else None
    collector.release()
    return (fresh if fresh is not None else tree), ops  # type: ignore[return-value]


def ids(tree: Any) -> list[str]:
    return [child.attrs["id"] for child in top_level(tree)[0].children]  # type: ignore[union-attr]


def test_stream_fixed_child_renders_after_the_items_marked() -> None:
    socket = Socket("V")
    socket.stream("users", [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}])
    page, _ = users_turn(socket)
    assert render_html(page) == (
        '<ul id="users" phx-update="stream"><li id="users-1">a</li><li id="users-2">b</li>'
        '<li id="users-empty" class="only:block hidden" data-phx-fixed>Empty!</li></ul>'
    )


def test_stream_reset_keeps_items_before_a_fixed_child() -> None:
    """Regression (LiveView #3260): after a reset, the new items go before the placeholder."""
    socket = Socket("V")
    socket.stream("users", [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}])
    page, _ = users_turn(socket)
    old, _ = users_turn(socket, page)
    socket.stream("users", [{"id": 4, "name": "d"}, {"id": 3, "name": "c"}], reset=True)
    new, ops = users_turn(socket, old)
    assert ops[0] == [OP_STREAM_RESET, [0]]  # the items only: the placeholder stays
    assert ids(apply(ops, page)) == ["users-4", "users-3", "users-empty"]


def test_stream_inserts_and_limits_count_items_not_fixed_children() -> None:
    socket = Socket("V")
    socket.stream("users", [{"id": 1, "name": "a"}])
    page, _ = users_turn(socket)
    old, _ = users_turn(socket, page)
    socket.stream_insert("users", {"id": 2, "name": "b"})  # appended: before the placeholder
    new, ops = users_turn(socket, old)
    page = apply(ops, page)
    assert ids(page) == ["users-1", "users-2", "users-empty"]
    socket.stream_insert("users", {"id": 3, "name": "c"}, at=1, limit=2)  # keep the first 2 items
    _, ops = users_turn(socket, new)
    assert ids(apply(ops, page)) == ["users-1", "users-3", "users-empty"]


def test_stream_reset_with_everything_flag_takes_fixed_children_too() -> None:
    start = ul(li("a", id="x-1"), li("Empty!", id="x-e", data_phx_fixed=True), id="x")
    assert render_html(apply([[OP_STREAM_RESET, [0]]], Fragment([start]))) == (
        '<ul id="x"><li id="x-e" data-phx-fixed>Empty!</li></ul>'
    )
    assert render_html(apply([[OP_STREAM_RESET, [0], 1]], Fragment([start]))) == '<ul id="x"></ul>'


# -- errors ----------------------------------------------------------------------------------------


def test_stream_container_needs_an_id() -> None:
    with pytest.raises(InvalidChild, match=r'<ul phx-update="stream"> needs an id.*got id=None'):
        ul(li("a", id="a"), phx_update="stream")
    with pytest.raises(InvalidChild, match=r"needs an id"):
        ul(phx_update="stream")[li("a", id="a")]


def test_stream_children_must_be_elements_with_an_id() -> None:
    with pytest.raises(InvalidChild, match=r"must be elements with an id.*got li\('b'\)"):
        ul(li("a", id="a"), li("b"), id="s", phx_update="stream")
    with pytest.raises(InvalidChild, match=r"must be elements with an id.*got 'text'"):
        ul("text", id="s", phx_update="stream")


def test_stream_bad_arguments_say_what_was_expected() -> None:
    socket = Socket("Songs")
    with pytest.raises(ValueError, match=r"Songs.stream\('my songs'\): expected a stream name"):
        socket.stream("my songs", [])
    with pytest.raises(TypeError, match=r"expected at to be an index >= 0, or -1.*got -2"):
        socket.stream_insert("songs", {"id": 1}, at=-2)
    with pytest.raises(TypeError, match=r"expected limit to be None or an int, got '5'"):
        socket.stream("songs", [], limit="5")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"expected an iterable of items, got 'abc'"):
        socket.stream("songs", "abc")
    with pytest.raises(ValueError, match=r"stream 'songs': expected an item with an id"):
        socket.stream_insert("songs", {"title": "no id"})
    with pytest.raises(ValueError, match=r"expected a non-empty str DOM id, got ''"):
        socket.stream_delete_by_dom_id("songs", "")
    with pytest.raises(ValueError, match=r"stream 'songs' is already in use; configure it once"):
        socket.stream_configure("songs", dom_id=lambda item: "x")
    socket.stream_configure("other", dom_id=lambda item: item)
    with pytest.raises(ValueError, match=r"dom_id function of stream 'other'.*got 3"):
        socket.stream_insert("other", 3)
    with pytest.raises(AttributeError, match=r"Songs has no stream 'nope' \(streams: other, songs"):
        socket.assigns.streams.nope  # noqa: B018


def test_stream_configure_sets_the_dom_id() -> None:
    socket = Socket("V")
    socket.stream_configure("songs", dom_id=lambda song: f"song-{song['id']}")
    socket.stream("songs", songs(4))
    assert list(socket.assigns.streams.songs) == [("song-4", {"id": 4, "title": "song 4"})]


# -- a live view -----------------------------------------------------------------------------------


class Songs(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        socket.assign(count=2)
        socket.stream("songs", songs(1, 2))

    def render(self, assigns: Any) -> Element:
        return div(
            p(f"{assigns.count} songs", id="count"),
            button("add", id="add", phx_click="add"),
            ul(id="songs", phx_update="stream")[
                (
                    li(song["title"], button("x", phx_click="del", phx_value_id=dom_id), id=dom_id)
                    for dom_id, song in assigns.streams.songs
                )
            ],
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        if event == "add":
            socket.update("count", lambda n: n + 1)
            socket.stream_insert("songs", songs(socket.assigns.count)[0], at=0)
        elif event == "del":
            socket.stream_delete_by_dom_id("songs", params["id"])


def songs_app() -> App:
    app = App()
    app.live("/", Songs)
    return app


def test_stream_view_renders_over_http_and_live() -> None:
    app = songs_app()
    expected = (
        '<ul id="songs" phx-update="stream">'
        '<li id="songs-1">song 1<button phx-click="del" phx-value-id="songs-1">x</button></li>'
        '<li id="songs-2">song 2<button phx-click="del" phx-value-id="songs-2">x</button></li></ul>'
    )
    assert live(app, "/", connect=False).element("#songs").render() == expected
    view = live(app, "/")
    assert view.element("#songs").render() == expected
    view.close()


def test_stream_view_events_send_one_item_and_the_server_keeps_none() -> None:
    view = live(songs_app(), "/")
    live_session = view.connection.live
    assert live_session is not None
    kept = live_session.tree
    assert "songs-1" not in render_html(kept)  # the join sent them; the session forgot them
    view.element("#add").click()
    frame = view.frames[-1]
    path = frame["ops"][1][1]
    assert frame["ops"] == [
        [0, [*path[:-1], 0, 0], "3 songs"],
        [
            OP_STREAM_INSERT,
            path,
            0,
            [
                "li",
                {"id": "songs-3"},
                ["song 3", ["button", {"phx-click": "del", "phx-value-id": "songs-3"}, ["x"]]],
            ],
        ],
    ]
    assert re.findall(r'<li id="([^"]+)"', view.element("#songs").render()) == [
        "songs-3",
        "songs-1",
        "songs-2",
    ]
    view.element("#songs-1 button").click()
    assert view.frames[-1]["ops"] == [[OP_STREAM_DELETE, path, "songs-1"]]
    assert view.element("#songs").render().count("<li") == 2
    assert render_html(live_session.tree).count("<li") == 0
    view.close()


class Users(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        socket.stream("users", [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}])

    def render(self, assigns: Any) -> Element:
        return div(
            button("reset", id="reset", phx_click="reset"),
            ul(id="users", phx_update="stream")[
                li("Empty!", id="users-empty"),
                (li(user["name"], id=dom_id) for dom_id, user in assigns.streams.users),
            ],
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        socket.stream("users", [{"id": 4, "name": "d"}, {"id": 3, "name": "c"}], reset=True)


def test_stream_live_reset_keeps_items_before_the_placeholder() -> None:
    """Regression (LiveView #3260), in the test client: items, then the fixed child."""
    app = App()
    app.live("/", Users)
    view = live(app, "/")
    listed = re.compile(r'<li id="([^"]+)"')
    assert listed.findall(view.element("#users").render()) == ["users-1", "users-2", "users-empty"]
    view.element("#reset").click()
    assert listed.findall(view.element("#users").render()) == ["users-4", "users-3", "users-empty"]
    view.close()


def test_stream_session_memory_stays_flat_over_many_inserts() -> None:
    """10,000 rows go through one session; what it keeps does not grow with them."""

    class Log(LiveView):
        def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
            socket.assign(n=0)
            socket.stream("lines", [])

        def render(self, assigns: Any) -> Element:
            return div(
                button("more", phx_click="more"),
                ul(id="lines", phx_update="stream")[
                    (li("x" * 200, id=dom_id) for dom_id, _ in assigns.streams.lines)
                ],
            )

        def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
            start = socket.assigns.n
            socket.assign(n=start + 1000)
            lines = [{"id": i} for i in range(start, start + 1000)]
            socket.stream("lines", lines, limit=-1)  # the browser keeps the last one

    app = App()
    app.live("/", Log)
    view = live(app, "/")
    live_session = view.connection.live
    assert live_session is not None
    more = view.element("button")
    for _ in range(3):
        more.click()
    gc.collect()
    tracemalloc.start()
    try:
        first = tracemalloc.get_traced_memory()[0]
        for _ in range(7):
            more.click()
            view.frames.clear()  # the test client's log of frames, not the session's state
        gc.collect()
        last = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert live_session.socket.assigns.n == 10_000
    assert view.element("#lines").render() == (
        '<ul id="lines" phx-update="stream"><li id="lines-9999">' + "x" * 200 + "</li></ul>"
    )
    assert '<ul id="lines" phx-update="stream"></ul>' in render_html(live_session.tree)
    assert last - first < 32 * 1024
    view.close()


def test_stream_fresh_order_equals_the_ops_applied_to_an_empty_container() -> None:
    """What a fresh container shows is what the browser makes of the same asks as stream ops."""
    rng = random.Random(7)
    for _ in range(300):
        socket = Socket("V")
        socket.stream("songs", [])
        empty = render_turn(socket)
        fresh_socket = Socket("V")
        for _ in range(rng.randrange(1, 9)):
            song = {"id": rng.randrange(6), "title": f"t{rng.randrange(100)}"}
            options = {
                "at": rng.choice([-1, 0, 1, 3]),
                "limit": rng.choice([None, None, 2, -2, 0]),
                "update_only": rng.random() < 0.2,
            }
            socket.stream_insert("songs", song, **options)
            fresh_socket.stream_insert("songs", song, **options)
        fresh = render_html(collected(fresh_socket))
        ops = diff(empty, collected(socket))
        assert render_html(apply(ops, empty)) == fresh, ops


# -- streams behind a memoized call and inside live components -------------------------------------


@component(memo=True)
def song_list(streams: Any, count: int) -> Element:
    return div(
        p(f"{count} songs"),
        ul(id="songs", phx_update="stream")[
            (li(song["title"], id=dom_id) for dom_id, song in streams.songs)
        ],
    )


class MemoSongs(LiveView):
    """The stream container is inside a memoized call: shown when the call is rendered."""

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        socket.assign(count=1, shown=1)
        socket.stream("songs", songs(1))

    def render(self, assigns: Any) -> Element:
        return div(
            song_list(assigns.streams, assigns.shown),
            button("add", id="add", phx_click="add"),
            button("more", id="more", phx_click="more"),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        socket.update("count", lambda n: n + 1)
        socket.stream_insert("songs", songs(socket.assigns.count)[0], at=0)
        if event == "add":
            socket.assign(shown=socket.assigns.count)  # a new argument: the call renders again


def test_stream_inside_a_memoized_call_is_sent_when_the_call_renders() -> None:
    app = App()
    app.live("/", MemoSongs)
    assert live(app, "/", connect=False).element("#songs").render() == (
        '<ul id="songs" phx-update="stream"><li id="songs-1">song 1</li></ul>'
    )
    view = live(app, "/")
    live_session = view.connection.live
    assert live_session is not None
    view.element("#add").click()
    path = view.frames[-1]["ops"][1][1]
    assert view.frames[-1]["ops"] == [
        [0, [*path[:-1], 0, 0], "2 songs"],
        [OP_STREAM_INSERT, path, 0, ["li", {"id": "songs-2"}, ["song 2"]]],
    ]
    assert "songs-2" not in render_html(live_session.tree)  # sent, then forgotten
    view.element("#add").click()
    assert [op[0] for op in view.frames[-1]["ops"]] == [0, OP_STREAM_INSERT]
    assert view.element("#songs").render().count("<li") == 3
    view.close()


def test_stream_inside_a_skipped_memoized_call_waits_until_the_call_renders() -> None:
    """The diff skips a call whose arguments did not change: its stream is not read, so what it
    asked for stays pending (nothing is lost) until the call renders again."""
    app = App()
    app.live("/", MemoSongs)
    view = live(app, "/")
    view.element("#more").click()  # count 2: inserted, but the call is skipped
    assert "ops" not in view.frames[-1]
    view.element("#add").click()  # count 3: the call renders, with both pending inserts
    ops = view.frames[-1]["ops"]
    assert [op[0] for op in ops] == [0, OP_STREAM_INSERT, OP_STREAM_INSERT]
    assert [op[3][1]["id"] for op in ops[1:]] == ["songs-2", "songs-3"]
    view.close()


class SongsComponent(LiveComponent):
    """A live component with a stream of its own."""

    def mount(self, socket: Any) -> None:
        socket.stream("songs", songs(1, 2))

    def render(self, assigns: Any) -> Element:
        return div(
            button("add", id="add-in-component", phx_click="add", phx_target=assigns.myself),
            ul(id="component-songs", phx_update="stream")[
                (li(song["title"], id=dom_id) for dom_id, song in assigns.streams.songs)
            ],
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        socket.stream_insert("songs", {"id": 3, "title": "three"}, at=0)
        socket.stream_delete_by_dom_id("songs", "songs-2")


class ComponentHost(LiveView):
    def render(self, assigns: Any) -> Element:
        return div(p("host"), live_component(SongsComponent, id="songs"))


def test_stream_of_a_live_component_is_sent_and_forgotten() -> None:
    app = App()
    app.live("/", ComponentHost)
    expected = (
        '<ul id="component-songs" phx-update="stream"><li id="songs-1">song 1</li>'
        '<li id="songs-2">song 2</li></ul>'
    )
    assert live(app, "/", connect=False).element("#component-songs").render() == expected
    view = live(app, "/")
    assert view.element("#component-songs").render() == expected
    live_session = view.connection.live
    assert live_session is not None
    view.element("#add-in-component").click()
    ops = view.frames[-1]["ops"]
    path = ops[0][1]
    assert ops == [
        [OP_STREAM_DELETE, path, "songs-2"],
        [OP_STREAM_INSERT, path, 0, ["li", {"id": "songs-3"}, ["three"]]],
    ]
    assert re.findall(r'<li id="([^"]+)"', view.element("#component-songs").render()) == [
        "songs-3",
        "songs-1",
    ]
    (state,) = live_session.components.by_cid.values()
    assert "<li" not in render_html(state.node)  # the registry keeps no item either
    view.close()


def test_stream_container_is_built_alike_inside_and_outside_a_session() -> None:
    """What a builder returns depends on its arguments only, not on a session's turn."""
    socket = Socket("V")
    socket.stream("songs", songs(1, 2), at=0)
    outside = container(socket)
    turn = StreamCollector()
    inside = container(socket)
    assert inside == outside and type(inside.children) is list
    turn.collect([inside], socket._stream_sources())  # the session's step after a render
    assert [child.attrs["id"] for child in inside.children] == ["songs-2", "songs-1"]
