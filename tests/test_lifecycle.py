"""The LiveView lifecycle, driven in-process through ``pylive.testing`` (the real session code)."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest

from pylive.app import App
from pylive.html import button, div, p
from pylive.node import Tree
from pylive.session import Connection, InvalidReturn, LiveSession
from pylive.socket import Socket
from pylive.testing.client import LiveViewClient, ViewCrashed, live
from pylive.view import LiveView

# -- lifecycle order ------------------------------------------------------------------------------


class Recorder(LiveView):
    """Records every callback in ``log`` (a class attribute each test replaces)."""

    log: list[tuple[Any, ...]] = []

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        self.log.append(("mount", socket.connected, params, session))
        socket.assign(n=0)

    def handle_params(self, params: dict[str, Any], uri: str, socket: Socket) -> None:
        self.log.append(("handle_params", socket.connected, uri))

    def render(self, assigns: Any) -> Tree:
        self.log.append(("render", assigns.n))
        return div(p(f"n={assigns.n}", id="n"), button("+", id="inc", phx_click="inc"))

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        self.log.append(("handle_event", event, params))
        socket.assign(n=socket.assigns.n + 1)

    def terminate(self, reason: str, socket: Socket) -> None:
        self.log.append(("terminate", reason))


class AsyncRecorder(Recorder):
    """The same callbacks, as coroutines."""

    async def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        await asyncio.sleep(0)
        super().mount(params, session, socket)

    async def handle_params(self, params: dict[str, Any], uri: str, socket: Socket) -> None:
        await asyncio.sleep(0)
        super().handle_params(params, uri, socket)

    async def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        await asyncio.sleep(0)
        super().handle_event(event, params, socket)

    async def terminate(self, reason: str, socket: Socket) -> None:  # type: ignore[override]
        await asyncio.sleep(0)
        super().terminate(reason, socket)


@pytest.mark.parametrize("view", [Recorder, AsyncRecorder], ids=["def", "async def"])
def test_lifecycle_callbacks_run_in_liveview_order(
    view: type[Recorder], monkeypatch: pytest.MonkeyPatch
) -> None:
    log: list[tuple[Any, ...]] = []
    monkeypatch.setattr(Recorder, "log", log)
    app = App()
    app.live("/items/{id}", view)
    client = live(app, "/items/7?tab=a", session={"user": "ann"})
    params = {"id": "7", "tab": "a"}
    uri = "http://testserver/items/7?tab=a"
    assert log == [
        ("mount", False, params, {"user": "ann"}),
        ("handle_params", False, uri),
        ("render", 0),
        ("mount", True, params, {"user": "ann"}),
        ("handle_params", True, uri),
        ("render", 0),
    ]
    del log[:]
    assert client.element("#inc").click() == (
        '<div id="flash-group"></div><div><p id="n">n=1</p>'
        '<button id="inc" phx-click="inc">+</button></div>'
    )
    assert log == [("handle_event", "inc", {}), ("render", 1)]
    client.close()
    assert log == [("handle_event", "inc", {}), ("render", 1), ("terminate", "closed")]


def test_lifecycle_http_render_and_live_mount_agree() -> None:
    app = App()
    app.live("/", Recorder)
    static = live(app, "/", connect=False)
    with live(app, "/") as view:
        assert static.html == view.html_render == view.render()
        assert static.html == (
            '<div id="flash-group"></div><div><p id="n">n=0</p>'
            '<button id="inc" phx-click="inc">+</button></div>'
        )


# -- change tracking ------------------------------------------------------------------------------


class Tracked(LiveView):
    renders = 0

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(n=0, rows=[1])

    def render(self, assigns: Any) -> Tree:
        type(self).renders += 1
        return p(f"{assigns.n} {len(assigns.rows)}", id="out")

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        if event == "same":
            socket.assign(n=socket.assigns.n)  # an equal immutable value: not a change
        elif event == "touch-list":
            rows = socket.assigns.rows
            rows.append(2)
            socket.assign(rows=rows)  # the same list, edited in place: a change
        elif event == "bump":
            socket.update("n", lambda n: n + 1)


def test_change_tracking_skips_render_when_nothing_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(Tracked, "renders", 0)
    app = App()
    app.live("/", Tracked)
    with live(app, "/") as view:
        assert Tracked.renders == 2  # the HTTP render and the connected mount
        view._event("click", "same", {})
        view._event("click", "nothing", {})
        assert Tracked.renders == 2
        assert view.frames[-2:] == [{"ref": 1}, {"ref": 2}]
        view._event("click", "touch-list", {})
        assert Tracked.renders == 3
        assert view.frames[-1] == {"ref": 3, "ops": [[0, [1, 0], "0 2"]]}
        view._event("click", "bump", {})
        assert view.frames[-1] == {"ref": 4, "ops": [[0, [1, 0], "1 2"]]}
        assert Tracked.renders == 4


# -- replies, push_event, flash, title ------------------------------------------------------------


class Talker(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(page_title="Home", saved=0)
        socket.push_event("mounted", {"connected": socket.connected})

    def render(self, assigns: Any) -> Tree:
        return div(
            button("save", id="save", phx_click="save"),
            button("ask", id="ask", phx_click="ask"),
            button("rename", id="rename", phx_click="rename"),
            p(str(assigns.saved), id="saved"),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> Any:
        if event == "ask":
            return {"answer": 42, "echo": params}
        if event == "save":
            socket.update("saved", lambda n: n + 1)
            socket.put_flash("info", "Saved")
            socket.push_event("highlight", {"id": "saved"})
        if event == "rename":
            socket.assign(page_title="Renamed")
        return None


@pytest.fixture
def talker() -> App:
    app = App()
    app.live("/", Talker)
    return app


def test_reply_dict_returned_from_handle_event(talker: App) -> None:
    with live(talker, "/") as view:
        view.element("#ask").click({"q": "life"})
        assert view.last_reply == {"answer": 42, "echo": {"q": "life"}}
        assert view.frames[-1] == {"ref": 1, "reply": {"answer": 42, "echo": {"q": "life"}}}
        view.element("#save").click()
        assert view.last_reply is None


def test_push_event_reaches_the_client_in_order(talker: App) -> None:
    with live(talker, "/") as view:
        assert view.assert_push_event("mounted") == {"connected": True}
        view.element("#save").click()
        view.element("#save").click()
        assert view.frames[-1]["events"] == [["highlight", {"id": "saved"}]]
        view.assert_push_event("highlight", {"id": "saved"})
        view.assert_push_event("highlight", {"id": "saved"})
        assert view.pushed == []


def test_put_flash_rendered_and_cleared_by_lv_clear_flash(talker: App) -> None:
    with live(talker, "/") as view:
        assert view.element("#flash-group").render() == '<div id="flash-group"></div>'
        view.element("#save").click()
        assert view.element("#flash-group").render() == (
            '<div id="flash-group"><p class="flash flash-info" role="alert" '
            'phx-click="lv:clear-flash" phx-value-key="info">Saved'
            '<button type="button" aria-label="close">×</button></p></div>'
        )
        view.element(".flash-info").click()
        assert view.frames[-1] == {"ref": 2, "ops": [[3, [0, 0]]]}
        assert view.element("#flash-group").render() == '<div id="flash-group"></div>'


def test_page_title_sent_on_join_and_when_changed(talker: App) -> None:
    static = live(talker, "/", connect=False)
    assert static.title == "Home"
    with live(talker, "/") as view:
        assert view.frames[0]["title"] == "Home"
        view.element("#save").click()
        assert "title" not in view.frames[-1]
        view.element("#rename").click()
        assert view.frames[-1]["title"] == "Renamed"
        assert view.title == "Renamed"


# -- timers ---------------------------------------------------------------------------------------


class Ticker(LiveView):
    received: list[Any] = []

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(ticks=0, once="no")
        socket.send_interval("tick", 5)
        socket.send_after("once", 1)

    def render(self, assigns: Any) -> Tree:
        return p(f"ticks={assigns.ticks} once={assigns.once}", id="t")

    def handle_info(self, msg: Any, socket: Socket) -> None:
        self.received.append(msg)
        if msg == "tick":
            socket.update("ticks", lambda n: n + 1)
        else:
            socket.assign(once="yes")


def test_timers_send_after_and_send_interval_deliver(monkeypatch: pytest.MonkeyPatch) -> None:
    received: list[Any] = []
    monkeypatch.setattr(Ticker, "received", received)
    app = App()
    app.live("/", Ticker)
    with live(app, "/") as view:
        assert view.render() == '<div id="flash-group"></div><p id="t">ticks=0 once=no</p>'
        for _ in range(200):
            if received.count("tick") >= 3:
                break
            view.sleep(5)
        ticks = received.count("tick")
        assert ticks >= 3
        assert received.count("once") == 1
        assert view.render() == (
            f'<div id="flash-group"></div><p id="t">ticks={ticks} once=yes</p>'
        )
        assert {frame.get("type") for frame in view.frames[1:]} == {"patch"}


class LongTicker(Ticker):
    """Ticker's timers, long enough that none fires before the test closes the view."""

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(ticks=0, once="no")
        socket.send_interval("tick", 60_000)
        socket.send_after("once", 60_000)


def test_timers_cancelled_on_close(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Ticker, "received", [])
    app = App()
    app.live("/", LongTicker)
    view = live(app, "/")
    session = view.connection.live
    assert isinstance(session, LiveSession)
    handles = list(session.timers.values())
    assert len(handles) == 2
    view.close()
    assert session.alive is False
    assert session.timers == {}
    assert [handle.cancelled() for handle in handles] == [True, True]
    assert view.connection.live is None


class QueueTransport:
    """Frames in from a queue (None: the client left), frames out recorded."""

    def __init__(self) -> None:
        self.incoming: asyncio.Queue[str | None] = asyncio.Queue()
        self.sent: list[dict[str, Any]] = []

    async def recv(self) -> str | None:
        return await self.incoming.get()

    async def send(self, text: str) -> None:
        self.sent.append(orjson.loads(text))

    async def close(self, code: int, reason: str = "") -> None:
        self.incoming.put_nowait(None)


def test_timers_deliver_nothing_after_close(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loop keeps running after the view closed: no timer reaches ``handle_info``."""
    received: list[Any] = []
    monkeypatch.setattr(Ticker, "received", received)
    app = App()
    app.live("/", Ticker)
    route = app.routes[0]

    async def scenario() -> QueueTransport:
        transport = QueueTransport()
        connection = Connection(app, transport)
        running = asyncio.create_task(connection.run())
        token = app.tokens.issue(route.pattern, route.name, {})
        join = {"type": "join", "ref": 0, "token": token, "url": "http://testserver/"}
        transport.incoming.put_nowait(orjson.dumps(join).decode())
        async with asyncio.timeout(5):
            while received.count("tick") < 2:
                await asyncio.sleep(0.005)
        await connection.end("closed")
        before = len(received)
        await asyncio.sleep(0.05)
        assert len(received) == before
        transport.incoming.put_nowait(None)
        await running
        return transport

    transport = asyncio.run(scenario())
    assert transport.sent[0]["ref"] == 0


# -- errors ---------------------------------------------------------------------------------------


class Misbehaving(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> Any:
        socket.assign(n=0, mounts=socket.connected)
        return params.get("mount")

    def render(self, assigns: Any) -> Any:
        if assigns.n == 99:
            return 42
        return div(
            p(f"n={assigns.n}", id="n"),
            *(button(name, id=name, phx_click=name) for name in ("inc", "x", "boom", "render")),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> Any:
        if event == "inc":
            socket.update("n", lambda n: n + 1)
        elif event == "x":
            return 42
        elif event == "boom":
            raise ZeroDivisionError("boom")
        elif event == "render":
            socket.assign(n=99)
        return None

    def handle_info(self, msg: Any, socket: Socket) -> Any:
        return msg


@pytest.fixture
def misbehaving() -> App:
    app = App()
    app.live("/", Misbehaving)
    return app


def crash_cause(view: LiveViewClient, selector: str) -> BaseException:
    with pytest.raises(ViewCrashed) as info:
        view.element(selector).click()
    cause = info.value.__cause__
    assert cause is not None
    return cause


def test_error_invalid_handle_event_return_names_view_and_event(misbehaving: App) -> None:
    with live(misbehaving, "/") as view:
        cause = crash_cause(view, "#x")
        assert type(cause) is InvalidReturn
        assert str(cause) == (
            "invalid return from Misbehaving.handle_event('x'): expected None or a dict reply, "
            "got 42"
        )
        assert view.frames[-1] == {"type": "error", "reason": "crash", "ref": 1}


def test_error_invalid_render_return(misbehaving: App) -> None:
    with live(misbehaving, "/") as view:
        assert str(crash_cause(view, "#render")) == (
            "invalid return from Misbehaving.render: expected an element tree (an element, a "
            "fragment, a str or None), got 42"
        )


def test_error_invalid_mount_return_in_http_render(misbehaving: App) -> None:
    with pytest.raises(InvalidReturn) as info:
        live(misbehaving, "/?mount=nope")
    assert str(info.value) == (
        "invalid return from Misbehaving.mount: expected None (or the socket), got 'nope'"
    )


def test_error_invalid_handle_info_return(misbehaving: App) -> None:
    with live(misbehaving, "/") as view:
        with pytest.raises(ViewCrashed) as info:
            view.send(7)
        assert str(info.value.__cause__) == (
            "invalid return from Misbehaving.handle_info: expected None (or the socket), got 7"
        )
        assert view.frames[-1] == {"type": "error", "reason": "crash"}


def test_crash_sends_error_frame_and_rejoin_remounts(misbehaving: App) -> None:
    with live(misbehaving, "/") as view:
        view.element("#inc").click()
        assert view.element("#n").render() == '<p id="n">n=1</p>'
        cause = crash_cause(view, "#boom")
        assert repr(cause) == "ZeroDivisionError('boom')"
        assert view.frames[-1] == {"type": "error", "reason": "crash", "ref": 2}
        assert view.connection.live is None
        view.rejoin()
        assert view.frames[-1]["ref"] == 3 and "tree" in view.frames[-1]
        assert view.element("#n").render() == '<p id="n">n=0</p>'
        view.element("#inc").click()
        assert view.element("#n").render() == '<p id="n">n=1</p>'
