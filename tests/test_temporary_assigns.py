"""Temporary assigns (``socket.temporary_assigns(logs=[])`` in mount, LiveView's mount option) with
``phx_update="append"``/``"prepend"`` containers: the rows of a render go back to the default
after it, the browser keeps them, and what the session holds does not grow as pages load."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pylive.app import App
from pylive.exceptions import InvalidChild
from pylive.html import button, div, p, span
from pylive.live_component import LiveComponent, live_component
from pylive.node import Children, Element, Tree, top_level
from pylive.protocol import OP_APPEND, OP_PREPEND, OP_TEXT
from pylive.session import LiveSession
from pylive.socket import Socket
from pylive.testing import LiveViewClient, ViewCrashed, live
from pylive.view import LiveView

PER_PAGE = 5
MOUNTED: list[Socket] = []
"""The socket of each mount of ``Logs``, the HTTP render's too (which the test cannot reach)."""


def page_of(page: int, per_page: int = PER_PAGE) -> list[dict[str, Any]]:
    first = (page - 1) * per_page + 1
    return [{"id": n, "message": f"log {n}"} for n in range(first, first + per_page)]


def entry(log: dict[str, Any]) -> Element:
    return div(span(log["message"], class_="message"), id=f"log-{log['id']}", class_="log-entry")


class Logs(LiveView):
    """Example 84's first version: ``logs`` is temporary, the container appends."""

    mode = "append"
    per_page = PER_PAGE

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        MOUNTED.append(socket)
        socket.assign(page=1, note="", logs=page_of(1, self.per_page))
        socket.temporary_assigns(logs=[])

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        if event == "load_more":
            socket.update("page", lambda page: page + 1)
            socket.assign(logs=page_of(socket.assigns.page, self.per_page))
        elif event == "note":
            socket.assign(note="a render without new rows")
        elif event == "edit":
            socket.assign(logs=[{"id": 2, "message": "log 2 (edited)"}])

    def render(self, assigns: Any) -> Tree:
        return div(
            div(id="logs", phx_update=self.mode)[[entry(log) for log in assigns.logs]],
            p(f"page {assigns.page} {assigns.note}", id="page"),
            button("Load more", id="load-more", phx_click="load_more"),
            button("Note", id="note", phx_click="note"),
            button("Edit", id="edit", phx_click="edit"),
        )


class PrependedLogs(Logs):
    mode = "prepend"


class TenPerPage(Logs):
    per_page = 10


class HeldLogs(TenPerPage):
    """The control: every loaded row assigned for good, in a plain container."""

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(page=1, note="", logs=page_of(1, self.per_page))

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        socket.update("page", lambda page: page + 1)
        socket.assign(logs=socket.assigns.logs + page_of(socket.assigns.page, self.per_page))

    mode = None  # type: ignore[assignment]


def app_for(view: type[LiveView]) -> App:
    app = App()
    app.live("/", view)
    return app


def shown(view: LiveViewClient) -> list[int]:
    """The ids of the rows the page shows, in order."""
    return [int(n) for n in re.findall(r'<div id="log-(\d+)"', view.element("#logs").render())]


def wire(n: int, message: str | None = None) -> list[Any]:
    text = f"log {n}" if message is None else message
    return [
        "div",
        {"id": f"log-{n}", "class": "log-entry"},
        [["span", {"class": "message"}, [text]]],
    ]


def session_of(view: LiveViewClient) -> LiveSession:
    live_session = view.connection.live
    assert live_session is not None
    return live_session


def held_rows(view: LiveViewClient) -> int:
    """The rows the session holds: in the tree it keeps for the next diff, and in its assigns."""
    live_session = session_of(view)
    in_tree = sum(
        1 for el in elements(top_level(live_session.tree)) if el.attrs.get("class") == "log-entry"
    )
    return in_tree + len(live_session.socket.assigns.logs)


def elements(nodes: Children) -> list[Element]:
    """Every element among ``nodes`` and below them."""
    out: list[Element] = []
    for node in nodes:
        if type(node) is Element:
            out += [node, *elements(node.children)]
    return out


def click(view: LiveViewClient, times: int = 1) -> None:
    for _ in range(times):
        view.element("#load-more").click()


# -- the API --------------------------------------------------------------------------------------


def test_temporary_assigns_sets_an_unset_assign_to_its_default_and_keeps_a_set_one() -> None:
    socket = Socket("LogsView")
    socket.assign(logs=[1, 2])
    assert socket.temporary_assigns(logs=[], extra=None) is socket
    assert socket.assigns.logs == [1, 2]
    assert "extra" in socket.assigns and socket.assigns.extra is None


def test_temporary_assigns_go_back_to_their_default_after_a_render() -> None:
    socket = Socket("LogsView")
    default: list[int] = []
    socket.temporary_assigns(logs=default, count=0)
    socket.assign(logs=[1, 2, 3], count=3, kept="yes")
    socket._reset_temporary()
    assert (socket.assigns.logs, socket.assigns.count, socket.assigns.kept) == ([], 0, "yes")
    socket.assigns.logs.append("edited in place")
    socket._reset_temporary()
    assert socket.assigns.logs == [] and default == []  # a fresh copy of the default each time


def test_temporary_assigns_refuses_what_it_cannot_do() -> None:
    socket = Socket("LogsView")
    with pytest.raises(ValueError) as error:
        socket.temporary_assigns()
    assert str(error.value) == (
        "LogsView.temporary_assigns: expected at least one assign and its default, such as "
        "temporary_assigns(logs=[]), got none"
    )
    for name in ("flash", "streams", "get"):
        with pytest.raises(ValueError, match=rf"LogsView.temporary_assigns: {name!r} is a name"):
            socket.temporary_assigns(**{name: []})
    socket._reset_temporary()  # the view rendered
    with pytest.raises(RuntimeError) as late:
        socket.temporary_assigns(logs=[])
    assert str(late.value) == (
        "LogsView.temporary_assigns(logs=...): expected in mount, before the first render "
        "(LiveView's mount option), got a call after the view rendered"
    )


# -- the HTTP render and the live view ------------------------------------------------------------


def test_temporary_assigns_http_render_shows_the_rows_and_keeps_none() -> None:
    MOUNTED.clear()
    static = live(app_for(Logs), "/", connect=False)
    assert re.findall(r'<div id="log-(\d+)"', static.html) == ["1", "2", "3", "4", "5"]
    [socket] = MOUNTED
    assert socket.assigns.logs == []


def test_temporary_assigns_live_mount_shows_the_rows_and_keeps_none() -> None:
    with live(app_for(Logs), "/") as view:
        assert shown(view) == [1, 2, 3, 4, 5]
        assert session_of(view).socket.assigns.logs == []


def test_load_more_appends_the_new_rows_in_one_op_and_the_page_keeps_the_old() -> None:
    with live(app_for(Logs), "/") as view:
        click(view)
        assert view.frames[-1]["ops"] == [
            [OP_APPEND, [1, 0], [wire(n) for n in range(6, 11)]],
            [OP_TEXT, [1, 1, 0], "page 2 "],
        ]
        click(view)
        assert shown(view) == list(range(1, 16))
        assert session_of(view).socket.assigns.logs == []


def test_prepend_puts_each_new_page_first_in_its_order() -> None:
    with live(app_for(PrependedLogs), "/") as view:
        click(view, 2)
        assert view.frames[-1]["ops"][0] == [OP_PREPEND, [1, 0], [wire(n) for n in range(11, 16)]]
        assert shown(view) == [*range(11, 16), *range(6, 11), *range(1, 6)]


def test_a_render_without_new_rows_sends_none_and_the_page_keeps_them() -> None:
    with live(app_for(Logs), "/") as view:
        click(view)
        view.element("#page").render()
        view.element("#note").click()
        assert view.frames[-1]["ops"] == [[OP_TEXT, [1, 1, 0], "page 2 a render without new rows"]]
        assert shown(view) == list(range(1, 11))


def test_a_row_sent_again_is_updated_in_place_not_repeated() -> None:
    with live(app_for(Logs), "/") as view:
        click(view)
        view.element("#edit").click()
        assert view.frames[-1]["ops"] == [[OP_APPEND, [1, 0], [wire(2, "log 2 (edited)")]]]
        assert shown(view) == list(range(1, 11))
        assert view.element("#log-2").render() == (
            '<div id="log-2" class="log-entry"><span class="message">log 2 (edited)</span></div>'
        )


def test_a_rejoin_resets_the_container_to_what_the_server_renders() -> None:
    """As LiveView's join patch prunes an append container's children: the fresh mount renders
    page 1, and the rows loaded before are gone."""
    with live(app_for(Logs), "/") as view:
        click(view, 2)
        assert shown(view) == list(range(1, 16))
        view.disconnect()
        view.rejoin()
        assert shown(view) == [1, 2, 3, 4, 5]
        click(view)
        assert shown(view) == list(range(1, 11))


def test_phx_update_ignore_beside_an_append_container_keeps_its_content() -> None:
    class Both(Logs):
        def render(self, assigns: Any) -> Tree:
            return div(
                div(p(f"map of page {assigns.page}"), id="map", phx_update="ignore"),
                super().render(assigns),
            )

    with live(app_for(Both), "/") as view:
        click(view)
        assert view.element("#map").render() == (
            '<div id="map" phx-update="ignore"><p>map of page 1</p></div>'
        )
        assert shown(view) == list(range(1, 11))


# -- memory ---------------------------------------------------------------------------------------


def test_held_rows_stay_one_page_however_many_pages_load() -> None:
    """After 1 and after 50 "load more" clicks the session holds the last page's 10 rows (in the
    tree the next diff compares with) and none in its assigns; the page shows every row."""
    with live(app_for(TenPerPage), "/") as view:
        click(view)
        assert (held_rows(view), len(shown(view))) == (10, 20)
        click(view, 49)
        assert (held_rows(view), len(shown(view))) == (10, 510)
        assert session_of(view).socket.assigns.logs == []
        view.element("#note").click()  # a render without rows: the tree holds none either
        assert (held_rows(view), len(shown(view))) == (0, 510)


def test_held_rows_grow_with_every_page_without_temporary_assigns() -> None:
    """The control for the test above: the same pages kept in a plain assign."""
    with live(app_for(HeldLogs), "/") as view:
        click(view)
        assert held_rows(view) == 2 * 20  # the tree's rows and the assign's
        click(view, 9)
        assert held_rows(view) == 2 * 110


# -- live components ------------------------------------------------------------------------------


class Feed(LiveComponent):
    def mount(self, socket: Any) -> None:
        socket.assign(items=["a", "b"])
        socket.temporary_assigns(items=[])

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        socket.assign(items=["c"])

    def render(self, assigns: Any) -> Element:
        return div(
            div(id="items", phx_update="append")[
                [p(item, id=f"item-{item}") for item in assigns.items]
            ],
            button("more", id="more", phx_click="more", phx_target=assigns.myself),
            id="feed",
        )


class FeedPage(LiveView):
    def render(self, assigns: Any) -> Tree:
        return div(live_component(Feed, id="feed"))


def test_a_live_component_declares_temporary_assigns_in_its_mount() -> None:
    with live(app_for(FeedPage), "/") as view:
        [state] = session_of(view).components.by_cid.values()
        assert state.socket.assigns.items == []
        view.element("#more").click()
        assert state.socket.assigns.items == []
        assert view.element("#items").render() == (
            '<div id="items" phx-update="append"><p id="item-a">a</p><p id="item-b">b</p>'
            '<p id="item-c">c</p></div>'
        )


# -- the render check -----------------------------------------------------------------------------


def test_the_render_check_refuses_rows_without_an_id_over_http_and_live() -> None:
    class NoIds(Logs):
        """Rows without an id from the first page (HTTP) or the second (live)."""

        first = 1

        def render(self, assigns: Any) -> Tree:
            rows = [
                p(log["message"], id=None if assigns.page >= self.first else f"log-{log['id']}")
                for log in assigns.logs
            ]
            return div(
                div(id="logs", phx_update="append")[rows],
                button(id="load-more", phx_click="load_more"),
            )

    class LaterNoIds(NoIds):
        first = 2

    app = app_for(NoIds)
    message = (
        r'the children of <div id="logs" phx-update="append"> in .*NoIds.render must be '
        r"elements with an id .*, got p\('log 1'\)"
    )
    with pytest.raises(InvalidChild, match=message):
        live(app, "/", connect=False)
    with live(app_for(LaterNoIds), "/") as view, pytest.raises(ViewCrashed) as crashed:
        view.element("#load-more").click()
    assert isinstance(crashed.value.__cause__, InvalidChild)
    assert "got p('log 6')" in str(crashed.value.__cause__)


def test_the_render_check_refuses_a_live_component_as_a_row() -> None:
    class Rows(LiveView):
        def render(self, assigns: Any) -> Tree:
            return div(div(id="logs", phx_update="append")[live_component(Feed, id="feed")])

    with pytest.raises(InvalidChild, match=r"cannot be live components \(got Feed\(id='feed'\)\)"):
        live(app_for(Rows), "/", connect=False)
