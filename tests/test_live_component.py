"""Stateful components at the session level: identity, isolation, targets, send_update, freeing."""

from __future__ import annotations

import asyncio
import gc
import threading
import tracemalloc
from typing import Any

import orjson
import pytest

from pylive import App, Limits, LiveView
from pylive.html import button, div, h2, li, p, span, ul
from pylive.live_component import LiveComponent, live_component
from pylive.protocol import OP_INSERT, OP_MOVE, OP_REMOVE, OP_TEXT
from pylive.session import Connection
from pylive.view_render import dead_render


class Recorder:
    """A transport: frames in from a queue, frames out into a list."""

    def __init__(self) -> None:
        self.inbox: asyncio.Queue[str | None] = asyncio.Queue()
        self.frames: list[dict[str, Any]] = []

    async def recv(self) -> str | None:
        return await self.inbox.get()

    async def send(self, text: str) -> None:
        self.frames.append(orjson.loads(text))

    async def close(self, code: int, reason: str = "") -> None:
        self.frames.append({"closed": code})


class Session:
    """Drive one Connection synchronously: join, then send frames and read the answers."""

    def __init__(self, app: App, path: str = "/") -> None:
        self.loop = asyncio.new_event_loop()
        self.transport = Recorder()
        self.connection = Connection(app, self.transport)
        found = app.match(path)
        assert found is not None
        route, params = found
        url = f"http://testserver{path}"
        self.dead = self.loop.run_until_complete(dead_render(app, route, params, url, {}))
        self.task = self.loop.create_task(self.connection.run())
        self.ref = 0
        self.join_reply = self.frame({"type": "join", "token": self.dead.token, "url": url})

    def frame(self, message: dict[str, Any]) -> dict[str, Any]:
        self.ref += 1
        message["ref"] = self.ref
        sent = len(self.transport.frames)
        self.transport.inbox.put_nowait(orjson.dumps(message).decode())
        for _ in range(2000):
            self.loop.run_until_complete(asyncio.sleep(0))
            for frame in self.transport.frames[sent:]:
                if frame.get("ref") == self.ref:
                    return frame
        raise AssertionError(f"no reply to {message}: {self.transport.frames[sent:]}")

    def click(self, event: str, cid: int | None = None, **value: Any) -> dict[str, Any]:
        message: dict[str, Any] = {"type": "event", "kind": "click", "event": event, "value": value}
        if cid is not None:
            message["cid"] = cid
        return self.frame(message)

    def pushes(self, after: int = 0) -> list[dict[str, Any]]:
        self.loop.run_until_complete(asyncio.sleep(0.01))
        return [f for f in self.transport.frames[after:] if f.get("type") == "patch"]

    def close(self) -> None:
        self.transport.inbox.put_nowait(None)
        self.loop.run_until_complete(self.task)
        self.loop.close()


class Counter(LiveComponent):
    mounts = 0

    def mount(self, socket: Any) -> None:
        Counter.mounts += 1

    def update(self, assigns: dict[str, Any], socket: Any) -> None:
        socket.assign(**assigns)
        socket.assign_new("count", lambda: 0)

    def render(self, assigns: Any) -> Any:
        return div(
            p(f"{assigns.label}: {assigns.count}"),
            button("+", phx_click="increment", phx_target=assigns.myself),
            class_="counter",
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> Any:
        socket.update("count", lambda n: n + 1)
        if event == "reply":
            return {"count": socket.assigns.count}
        return None


class Dashboard(LiveView):
    renders = 0

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        socket.assign(ids=["a", "b"], title="Counters")

    def render(self, assigns: Any) -> Any:
        Dashboard.renders += 1
        return div(
            h2(assigns.title),
            *[live_component(Counter, id=i, label=i.upper()) for i in assigns.ids],
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        if event == "ids":
            socket.assign(ids=params["ids"])
        elif event == "title":
            socket.assign(title=params["title"])
        elif event == "poke":
            socket.send_update(Counter, id="a", count=100)
        elif event == "poke_later":
            socket.send_update_after(Counter, id="b", ms=5, count=7)


@pytest.fixture
def session() -> Any:
    app = App(secret_key="k" * 32)
    app.live("/", Dashboard)
    Counter.mounts = 0
    s = Session(app)
    yield s
    s.close()


def test_live_component_renders_with_cid_and_target(session: Session) -> None:
    tree = session.join_reply["tree"]
    assert tree[1] == [
        "div",
        {},
        [
            ["h2", {}, ["Counters"]],
            [
                "div",
                {"class": "counter", "data-phx-component": "1"},
                [
                    ["p", {}, ["A: 0"]],
                    ["button", {"phx-click": "increment", "phx-target": "1"}, ["+"]],
                ],
            ],
            [
                "div",
                {"class": "counter", "data-phx-component": "2"},
                [
                    ["p", {}, ["B: 0"]],
                    ["button", {"phx-click": "increment", "phx-target": "2"}, ["+"]],
                ],
            ],
        ],
    ]


def test_live_component_event_rerenders_only_that_component(session: Session) -> None:
    renders = Dashboard.renders
    assert session.click("increment", cid=2) == {"ref": 2, "ops": [[OP_TEXT, [1, 2, 0, 0], "B: 1"]]}
    assert session.click("increment", cid=2)["ops"] == [[OP_TEXT, [1, 2, 0, 0], "B: 2"]]
    assert session.click("increment", cid=1)["ops"] == [[OP_TEXT, [1, 1, 0, 0], "A: 1"]]
    assert Dashboard.renders == renders  # the parent never re-rendered


def test_live_component_event_reply(session: Session) -> None:
    assert session.click("reply", cid=1) == {
        "ref": 2,
        "ops": [[OP_TEXT, [1, 1, 0, 0], "A: 1"]],
        "reply": {"count": 1},
    }


def test_live_component_unknown_cid_is_refused(session: Session) -> None:
    assert session.click("increment", cid=99) == {
        "ref": 2,
        "error": "no component 99 (it was removed)",
    }


def test_live_component_parent_rerender_with_same_assigns_keeps_state(session: Session) -> None:
    session.click("increment", cid=1)
    reply = session.click("title", title="Still counting")
    assert reply["ops"] == [[OP_TEXT, [1, 0, 0], "Still counting"]]
    assert Counter.mounts == 4  # two for the HTTP render, two once connected: none since


def test_live_component_moved_not_remounted(session: Session) -> None:
    session.click("increment", cid=1)
    reply = session.click("ids", ids=["b", "a"])
    assert reply["ops"] == [[OP_MOVE, [1], 2, 1]]
    assert Counter.mounts == 4  # two for the HTTP render, two once connected: none since
    # still the same state, now at its new place
    assert session.click("increment", cid=1)["ops"] == [[OP_TEXT, [1, 2, 0, 0], "A: 2"]]


def test_live_component_removed_is_destroyed_and_added_is_mounted(session: Session) -> None:
    reply = session.click("ids", ids=["b", "c"])
    assert reply["ops"][0] == [OP_REMOVE, [1, 1]]
    assert reply["ops"][1][:3] == [OP_INSERT, [1], 2]
    components = session.connection.live.components  # type: ignore[union-attr]
    assert sorted(state.id for state in components.by_cid.values()) == ["b", "c"]
    assert session.click("increment", cid=1) == {
        "ref": 3,
        "error": "no component 1 (it was removed)",
    }


def test_live_component_send_update_rerenders_only_the_component(session: Session) -> None:
    """A send_update made by an event handler rides in that event's reply: one frame."""
    renders = Dashboard.renders
    before = len(session.transport.frames)
    assert session.click("poke") == {"ref": 2, "ops": [[OP_TEXT, [1, 1, 0, 0], "A: 100"]]}
    assert session.pushes(before) == []
    assert Dashboard.renders == renders


def test_live_component_send_update_after(session: Session) -> None:
    before = len(session.transport.frames)
    session.click("poke_later")
    session.loop.run_until_complete(asyncio.sleep(0.03))
    assert session.pushes(before) == [{"type": "patch", "ops": [[OP_TEXT, [1, 2, 0, 0], "B: 7"]]}]


class Multi(LiveComponent):
    def render(self, assigns: Any) -> Any:
        return [p("one"), p("two")]


class Bad(LiveView):
    def render(self, assigns: Any) -> Any:
        return div(live_component(Multi, id="m"))


def test_live_component_must_have_one_root_element() -> None:
    app = App(secret_key="k" * 32)
    app.live("/", Bad)
    route, params = app.match("/")  # type: ignore[misc]
    with pytest.raises(
        TypeError,
        match=r"invalid return from Multi.render: a stateful component must render exactly one "
        r"root element",
    ):
        asyncio.run(dead_render(app, route, params, "/", {}))


class Item(LiveComponent):
    def render(self, assigns: Any) -> Any:
        return li(span(assigns.text), id=f"item-{assigns.id}")


class Rows(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        socket.assign(rows=[], big="x" * 2000)

    def render(self, assigns: Any) -> Any:
        return ul(*[live_component(Item, id=n, text=f"{n} {assigns.big}") for n in assigns.rows])

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        socket.assign(rows=params["rows"])


def test_live_component_memory_flat_over_many_add_remove_cycles() -> None:
    # 20,000 events in a few seconds: far over the default rate limit, which would refuse most.
    app = App(secret_key="k" * 32, limits=Limits(events_per_second=1e9, event_burst=10**9))
    app.live("/", Rows)
    s = Session(app)
    try:

        def cycle(start: int) -> None:
            for n in range(start, start + 1000):
                s.click("rows", rows=[n, n + 1_000_000])
                s.click("rows", rows=[])

        cycle(0)  # warm up caches and the frame list
        s.transport.frames.clear()
        gc.collect()
        tracemalloc.start()
        first = tracemalloc.take_snapshot()
        for round_ in range(1, 10):  # 9,000 more add/remove cycles, 18,000 components
            cycle(round_ * 1000)
            s.transport.frames.clear()
        gc.collect()
        grown = sum(
            stat.size_diff for stat in tracemalloc.take_snapshot().compare_to(first, "filename")
        )
        tracemalloc.stop()
        components = s.connection.live.components  # type: ignore[union-attr]
        assert len(components) == 0
        assert components.by_key == {}
        assert grown < 64 * 1024, f"memory grew by {grown} bytes over 9,000 cycles"
    finally:
        s.close()


class Card(LiveComponent):
    def render(self, assigns: Any) -> Any:
        return div(assigns.get("header"), assigns.get("inner_block"), class_="card")


def test_live_component_positional_children_are_the_inner_block() -> None:
    """Regression: the default slot of a live component is its positional children, as for
    function components (``assigns.inner_block``, LiveView's name)."""
    placed = live_component(Card, p("a"), "b", id="c", header=h2("H"))
    assert placed.assigns == {"id": "c", "header": h2("H"), "inner_block": (p("a"), "b")}
    assert "inner_block" not in live_component(Card, id="c").assigns
    with pytest.raises(TypeError, match=r"got both positional children and inner_block="):
        live_component(Card, p("a"), id="c", inner_block=p("b"))


class FromThread(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        socket.assign(got="nothing")

    def render(self, assigns: Any) -> Any:
        return div(p(assigns.got), live_component(Counter, id="a", label="A"))

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        def job() -> None:
            socket.send_update(Counter, id="a", count=5)
            socket.send_self("from a thread")

        worker = threading.Thread(target=job)
        worker.start()
        worker.join()

    def handle_info(self, msg: Any, socket: Any) -> None:
        socket.assign(got=msg)


def test_live_component_send_update_and_send_self_from_another_thread() -> None:
    """Regression: ``send_update`` (and ``send_self``) from a thread other than the view's loop
    thread used ``asyncio.get_running_loop()`` there and raised; they are handed to the loop."""
    app = App(secret_key="k" * 32)
    app.live("/", FromThread)
    s = Session(app)
    try:
        before = len(s.transport.frames)
        assert s.click("start") == {"ref": 2}
        assert s.pushes(before) == [
            {"type": "patch", "ops": [[OP_TEXT, [1, 1, 0, 0], "A: 5"]]},
            {"type": "patch", "ops": [[OP_TEXT, [1, 0, 0], "from a thread"]]},
        ]
    finally:
        s.close()
