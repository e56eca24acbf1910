"""The session layer: one connection's loop, transport-agnostic.

``Connection.run()`` reads frames from a ``Transport`` (the Sanic websocket, or the in-process test
client's queues: both run this very code), joins the view a signed token names, then turns every
event, timer and message into ``callback → render → diff → one frame``. A view handles one thing at
a time (a lock per view, FIFO), like a LiveView process and its mailbox.

A crash in any callback is logged with the view's name and traceback; that view is dropped and the
client is told (``{"type": "error", "reason": "crash"}``) so it shows ``phx-error`` and rejoins,
which mounts a fresh view. Other connections never notice. A view that keeps crashing is given up:
the client is told to reload the page.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import SplitResult, urlsplit

import orjson

from pylive._callbacks import call as call
from pylive._stream_render import begin as streams_begin
from pylive._stream_render import end as streams_end
from pylive._stream_render import rendering
from pylive.app import App
from pylive.components import Components
from pylive.diff import diff
from pylive.exceptions import InvalidParams
from pylive.forms import decode_form
from pylive.live_component import LiveComponent
from pylive.node import Element, Fragment, Live, Memo, Tree, top_level
from pylive.params import decode_query
from pylive.protocol import (
    CLOSE_POLICY,
    CLOSE_RESTART,
    EVENT_KINDS,
    KEY_ERROR,
    KEY_EVENTS,
    KEY_OPS,
    KEY_REPLY,
    KEY_TITLE,
    KEY_TREE,
    MSG_ERROR,
    MSG_EVENT,
    MSG_HEARTBEAT,
    MSG_JOIN,
    MSG_PATCH,
    MSG_REDIRECT,
    MSG_RELOAD,
)
from pylive.routing import Route
from pylive.socket import Socket
from pylive.tokens import InvalidToken
from pylive.view import LiveView
from pylive.wire import to_wire

log = logging.getLogger("pylive")


class Transport(Protocol):
    """What the session needs from a connection: text frames in and out, and a way to close."""

    async def recv(self) -> str | bytes | None:
        """The next frame, or None once the peer has gone."""
        ...

    async def send(self, text: str) -> None: ...

    async def close(self, code: int, reason: str = "") -> None: ...


class InvalidReturn(TypeError):
    """A callback returned something pylive does not understand."""


def view_name(view: LiveView | type[LiveView]) -> str:
    cls = view if isinstance(view, type) else type(view)
    return cls.__qualname__


def check_return(view: LiveView, callback: str, result: Any, socket: Socket) -> None:
    if result is not None and result is not socket:
        raise InvalidReturn(
            f"invalid return from {view_name(view)}.{callback}: expected None (or the socket), "
            f"got {result!r}"
        )


def render_tree(app: App, view: LiveView, socket: Socket) -> Tree:
    """The view's render inside the app's live layout, checked."""
    tree = view.render(socket.assigns)
    if tree is not None and type(tree) not in (Element, Fragment, Memo, str):
        raise InvalidReturn(
            f"invalid return from {view_name(view)}.render: expected an element tree "
            f"(an element, a fragment, a str or None), got {tree!r}"
        )
    return app.layout(tree, socket.assigns)


class DeadRender:
    """The result of the HTTP render of a live route: a tree and its join token, or a redirect.

    A ``mount`` or ``handle_params`` that called ``socket.redirect(to)`` halts the render, as in
    LiveView: ``redirect`` is the target, and there is no tree and no token (nothing of the view's
    render may reach the client).
    """

    __slots__ = ("redirect", "title", "token", "tree")

    def __init__(
        self, tree: Tree | None, token: str, title: str | None, redirect: str | None = None
    ) -> None:
        self.tree = tree
        self.token = token
        self.title = title
        self.redirect = redirect


def url_params(query: str, path_params: dict[str, str]) -> dict[str, Any]:
    """What ``mount`` and ``handle_params`` receive: the query's params, then the path's."""
    return {**decode_query(query), **path_params}


async def mount_view(
    view: LiveView, socket: Socket, params: dict[str, Any], session: dict[str, Any], uri: str
) -> str | None:
    """``mount`` then ``handle_params``; a redirect asked for by either halts (no later callback,
    no render) and is returned."""
    check_return(view, "mount", await call(view.mount, params, session, socket), socket)
    if socket.redirect_to is None:
        result = await call(view.handle_params, params, uri, socket)
        check_return(view, "handle_params", result, socket)
    return socket.redirect_to


async def dead_render(
    app: App, route: Route, path_params: dict[str, str], url: str, session: dict[str, Any]
) -> DeadRender:
    """Mount (not connected), handle_params and render: the page before the websocket joins.

    ``url`` is the absolute URL of the request (``handle_params`` receives it as ``uri``).
    """
    view = route.view()
    socket = Socket(view_name(view))
    params = url_params(urlsplit(url).query, path_params)
    redirect = await mount_view(view, socket, params, session, url)
    if redirect is not None:
        return DeadRender(None, "", None, redirect)
    with rendering():  # the page gets the stream items; nothing is kept after it
        before = Live.created
        rendered = render_tree(app, view, socket)
        tree = await Components(None, socket).resolve_view(rendered, Live.created - before)
    token = app.tokens.issue(route.pattern, route.name, session)
    title = socket.assigns.get("page_title")
    return DeadRender(tree, token, None if title is None else str(title))


class LiveSession:
    """One mounted live view on a connection: its view, socket, last tree and timers."""

    def __init__(self, connection: Connection, view: LiveView, route: Route) -> None:
        self.connection = connection
        self.view = view
        self.route = route
        self.name = view_name(view)
        self.socket = Socket(self.name, runtime=self)
        self.tree: Tree | None = None
        self.lock = asyncio.Lock()
        self.timers: dict[int, asyncio.TimerHandle] = {}
        self.next_timer = 0
        self.alive = True
        self.components = Components(self, self.socket)
        self.loop = asyncio.get_running_loop()
        # While a callback runs: the send_updates it asked for, sent in the same frame.
        self.pending: list[tuple[type[Any], str, dict[str, Any]]] | None = None

    def turn(self) -> Turn:
        """One thing at a time: hold the view's lock and collect ``send_update``s meanwhile."""
        return Turn(self)

    async def render(self) -> Tree | None:
        """Render the view in its layout and resolve the live components it places."""
        before = Live.created
        tree = render_tree(self.connection.app, self.view, self.socket)
        return await self.components.resolve_view(tree, Live.created - before)

    # -- Runtime, for the socket ----------------------------------------------------------------

    def _elsewhere(self, fn: Any, *args: Any) -> bool:
        """Called from another thread: hand ``fn(*args)`` to the view's loop and say so."""
        try:
            if asyncio.get_running_loop() is self.loop:
                return False
        except RuntimeError:
            pass
        try:
            self.loop.call_soon_threadsafe(fn, *args)
        except RuntimeError:  # the loop has closed: the view is gone, like a dead pid
            pass
        return True

    def send_self(self, msg: Any) -> None:
        """Deliver ``msg`` to ``handle_info``; safe from any task or thread."""
        if self._elsewhere(self.send_self, msg):
            return
        if self.alive:
            self.loop.create_task(self.connection.info(self, msg))

    def schedule(self, msg: Any, ms: float, repeat: bool) -> int:
        return self._timer(ms, repeat, lambda: self.send_self(msg))

    def _timer(self, ms: float, repeat: bool, deliver: Callable[[], Any]) -> int:
        """A timer cancelled with the view: ``deliver`` runs when it fires (again if repeat)."""
        self.next_timer += 1
        ref = self.next_timer
        self._arm(ref, ms, repeat, deliver)
        return ref

    def _arm(self, ref: int, ms: float, repeat: bool, deliver: Callable[[], Any]) -> None:
        loop = asyncio.get_running_loop()  # timers are set from the view's own loop
        self.timers[ref] = loop.call_later(max(ms, 0) / 1000, self._fire, ref, ms, repeat, deliver)

    def _fire(self, ref: int, ms: float, repeat: bool, deliver: Callable[[], Any]) -> None:
        if repeat and self.alive:
            self._arm(ref, ms, repeat, deliver)
        else:
            self.timers.pop(ref, None)
        if self.alive:
            deliver()

    def cancel(self, ref: int) -> bool:
        handle = self.timers.pop(ref, None)
        if handle is None:
            return False
        handle.cancel()
        return True

    def update_component(
        self, cls: type[Any], id: str, assigns: dict[str, Any], ms: float | None
    ) -> int | None:
        """``send_update``: now (after the current callback) or in ``ms`` milliseconds.

        Safe from any task or thread; from another thread the timer ref is not known yet (None).
        """
        if self._elsewhere(self.update_component, cls, id, assigns, ms) or not self.alive:
            return None
        if ms is None and self.pending is not None:  # inside a callback: same frame
            self.pending.append((cls, id, assigns))
            return None

        def deliver() -> None:
            self.loop.create_task(self.connection.component_update(self, cls, id, assigns))

        if ms is None:
            deliver()
            return None
        return self._timer(ms, False, deliver)

    def stop(self) -> None:
        self.alive = False
        for handle in self.timers.values():
            handle.cancel()
        self.timers.clear()
        self.components.clear()


class Turn:
    """``async with live.turn():`` — a plain class, cheaper on the event path than a generator."""

    __slots__ = ("live", "streams")

    def __init__(self, live: LiveSession) -> None:
        self.live = live

    async def __aenter__(self) -> None:
        await self.live.lock.acquire()
        self.live.pending = []
        self.streams = streams_begin()  # stream items rendered in this turn, released after it

    async def __aexit__(self, *exc: object) -> None:
        streams_end(*self.streams)
        self.live.pending = None
        self.live.lock.release()


class Connection:
    """One client connection (a websocket) and the live view it hosts."""

    def __init__(self, app: App, transport: Transport) -> None:
        self.app = app
        self.transport = transport
        self.live: LiveSession | None = None
        self.crashes = 0
        self.closed = False
        limits = app.limits
        self._tokens = float(limits.event_burst)
        self._refilled = time.monotonic()

    # -- the loop -------------------------------------------------------------------------------

    async def run(self) -> None:
        """Read frames until the peer goes away, then terminate the view."""
        try:
            while True:
                frame = await self.transport.recv()
                if frame is None:
                    break
                await self.handle_frame(frame)
        finally:
            await self.end("closed")

    async def handle_frame(self, frame: str | bytes) -> None:
        limit = self.app.limits.max_message_bytes
        size = len(frame)  # characters of a text frame: up to 4 bytes each in UTF-8
        if size > limit or (
            type(frame) is str and size * 4 > limit and len(frame.encode()) > limit
        ):
            await self.transport.close(1009, "message too big")
            self.closed = True
            return
        try:
            message = orjson.loads(frame)
        except orjson.JSONDecodeError as error:
            await self.send({"type": MSG_ERROR, "reason": "bad_frame", "detail": str(error)})
            return
        if not isinstance(message, dict):
            await self.send(
                {"type": MSG_ERROR, "reason": "bad_frame", "detail": "expected a JSON object"}
            )
            return
        kind = message.get("type")
        ref = message.get("ref")
        if ref is not None and (type(ref) is not int or ref < 0):
            await self.send(
                {"type": MSG_ERROR, "reason": "bad_frame", "detail": f"bad ref {ref!r}"}
            )
            return
        if kind == MSG_EVENT:
            if not self._allow_event():
                rate = self.app.limits.events_per_second
                await self.send(
                    {"ref": ref, KEY_ERROR: f"rate limited: more than {rate:g} events/s"}
                )
                return
            await self.event(ref, message)
        elif kind == MSG_HEARTBEAT:
            await self.send({"ref": ref})
        elif kind == MSG_JOIN:
            await self.join(ref, message)
        else:
            await self.send(
                {
                    "ref": ref,
                    "type": MSG_ERROR,
                    "reason": "bad_frame",
                    "detail": f"unknown message type {kind!r}",
                }
            )

    def _allow_event(self) -> bool:
        limits = self.app.limits
        now = time.monotonic()
        self._tokens = min(
            float(limits.event_burst),
            self._tokens + (now - self._refilled) * limits.events_per_second,
        )
        self._refilled = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True

    async def send(self, message: dict[str, Any]) -> None:
        if not self.closed:
            await self.transport.send(orjson.dumps(message).decode())

    # -- join -----------------------------------------------------------------------------------

    async def join(self, ref: int | None, message: dict[str, Any]) -> None:
        if self.live is not None:
            await self.end("left")
        url = message.get("url")
        split = absolute_url(url)
        if split is None:
            await self.refuse_join(
                ref, "bad_frame", f"join: expected the page's absolute http(s) URL, got {url!r}"
            )
            return
        found = self.app.match(split.path or "/")
        if found is None:
            await self.refuse_join(ref, "stale", f"no live route for url {url!r}")
            return
        route, path_params = found
        try:
            session = self.app.tokens.check(message.get("token"), route.pattern, route.name)
            params = url_params(split.query, path_params)
        except InvalidToken as error:
            log.info("join refused for %s: %s", url, error.reason)
            await self.refuse_join(ref, "stale", error.reason)
            return
        except InvalidParams as error:
            await self.refuse_join(ref, "bad_params", str(error))
            return
        view = route.view()
        live = self.live = LiveSession(self, view, route)
        redirect: str | None = None
        async with live.turn():
            try:
                socket = live.socket
                redirect = await mount_view(view, socket, params, session, str(url))
                if redirect is None:
                    live.tree = await live.render()
                    socket.assigns._clear_changed()
                    reply: dict[str, Any] = {
                        "ref": ref,
                        KEY_TREE: [to_wire(node) for node in top_level(live.tree)],
                    }
                    title = socket.assigns.get("page_title")
                    if title is not None:
                        reply[KEY_TITLE] = str(title)
                    events = socket._take_events()
                    if events:
                        reply[KEY_EVENTS] = events
                    await self.send(reply)
                else:  # halted: the client loads the target, the view never renders
                    await self.send({"ref": ref, "type": MSG_REDIRECT, "to": redirect})
            except Exception:
                await self.crash(live, "mount", ref)
                return
        if redirect is not None:
            await self.end("redirect")

    async def refuse_join(self, ref: int | None, reason: str, detail: str) -> None:
        await self.send({"ref": ref, "type": MSG_ERROR, "reason": reason, "detail": detail})

    # -- events and messages --------------------------------------------------------------------

    async def event(self, ref: int | None, message: dict[str, Any]) -> None:
        live = self.live
        if live is None or not live.alive:
            await self.send({"ref": ref, KEY_ERROR: "no live view joined on this connection"})
            return
        name = message.get("event")
        kind = message.get("kind", "click")
        if not isinstance(name, str) or kind not in EVENT_KINDS:
            await self.send({"ref": ref, KEY_ERROR: f"bad event {name!r} of kind {kind!r}"})
            return
        try:
            params = event_params(kind, message)
        except ValueError as error:
            await self.send({"ref": ref, KEY_ERROR: str(error)})
            return
        async with live.turn():
            if not live.alive:
                await self.send({"ref": ref, KEY_ERROR: "the view has closed"})
                return
            cid = message.get("cid")
            ops: list[Any] = []
            try:
                if cid is not None:
                    state = live.components.by_cid.get(cid) if type(cid) is int else None
                    if state is None:
                        await self.send(
                            {"ref": ref, KEY_ERROR: f"no component {cid!r} (it was removed)"}
                        )
                        return
                    where = f"{state.name}.handle_event({name!r})"
                    result = await call(state.instance.handle_event, name, params, state.socket)
                    reply = self._event_reply(live, name, result, where)
                    ops = await live.components.rerender(state)
                elif name == "lv:clear-flash":
                    key = params.get("key")
                    live.socket.clear_flash(key if isinstance(key, str) else None)
                    reply = None
                else:
                    result = await call(live.view.handle_event, name, params, live.socket)
                    reply = self._event_reply(live, name, result)
                await self.flush(live, ref, reply, ops)
                self.crashes = 0
            except Exception:
                await self.crash(live, f"handle_event({name!r})", ref)

    def _event_reply(
        self, live: LiveSession, name: str, result: Any, where: str | None = None
    ) -> dict[str, Any] | None:
        if result is None or result is live.socket or isinstance(result, Socket):
            return None
        if isinstance(result, dict):
            return result
        raise InvalidReturn(
            f"invalid return from {where or f'{live.name}.handle_event({name!r})'}: expected None "
            f"or a dict reply, got {result!r}"
        )

    async def component_update(
        self, live: LiveSession, cls: type[LiveComponent], id: str, assigns: dict[str, Any]
    ) -> None:
        """Apply a ``send_update``: only that component re-renders."""
        async with live.turn():
            if not live.alive or self.live is not live:
                return
            try:
                ops = await live.components.send_update(cls, id, assigns)
                await self.flush(live, None, None, ops)
            except Exception:
                await self.crash(live, f"send_update({cls.__qualname__}, id={id!r})", None)

    async def info(self, live: LiveSession, msg: Any) -> None:
        """Deliver a message to ``handle_info`` (timers, ``send_self``, other tasks)."""
        async with live.turn():
            if not live.alive or self.live is not live:
                return
            try:
                result = await call(live.view.handle_info, msg, live.socket)
                check_return(live.view, "handle_info", result, live.socket)
                await self.flush(live, None, None)
            except Exception:
                await self.crash(live, "handle_info", None)

    async def flush(
        self,
        live: LiveSession,
        ref: int | None,
        reply: dict[str, Any] | None,
        ops: list[Any] | None = None,
    ) -> None:
        """Render if anything changed and send one frame: the ops, events, reply and title.

        ``ops`` are those of components that already re-rendered alone; they come first.
        """
        socket = live.socket
        message: dict[str, Any] = {"type": MSG_PATCH} if ref is None else {"ref": ref}
        assigns = socket.assigns
        if ops:
            message[KEY_OPS] = ops
        if assigns.changed():
            tree = await live.render()
            view_ops = diff(live.tree, tree)
            live.tree = tree
            if view_ops:
                message[KEY_OPS] = [*ops, *view_ops] if ops else view_ops
            if assigns.changed("page_title"):
                message[KEY_TITLE] = str(assigns.get("page_title", ""))
            assigns._clear_changed()
        pending = live.pending
        while pending:  # send_updates asked for by the callback, after the view's render
            cls, id, values = pending.pop(0)
            component_ops = await live.components.send_update(cls, id, values)
            if component_ops:
                message[KEY_OPS] = [*message.get(KEY_OPS, ()), *component_ops]
        events = socket._take_events()
        if events:
            message[KEY_EVENTS] = events
        if reply is not None:
            message[KEY_REPLY] = reply
        if socket.redirect_to is not None:
            message["type"] = MSG_REDIRECT
            message["to"] = socket.redirect_to
            socket.redirect_to = None
        if ref is None and len(message) == 1:
            return  # a message that changed nothing: nothing to say
        await self.send(message)

    # -- failure and closing --------------------------------------------------------------------

    async def crash(self, live: LiveSession, callback: str, ref: int | None) -> None:
        log.exception("live view %s crashed in %s; it will be remounted", live.name, callback)
        live.stop()
        if self.live is live:
            self.live = None
        self.crashes += 1
        if self.crashes > self.app.limits.max_crashes:
            await self.send({"type": MSG_RELOAD, "reason": "crash loop"})
            return
        frame: dict[str, Any] = {"type": MSG_ERROR, "reason": "crash"}
        if ref is not None:
            frame["ref"] = ref
        await self.send(frame)

    async def end(self, reason: str) -> None:
        """Terminate the view (timers first), calling its ``terminate`` callback."""
        live = self.live
        if live is None:
            return
        self.live = None
        live.stop()
        try:
            await call(live.view.terminate, reason, live.socket)
        except Exception:
            log.exception("live view %s crashed in terminate(%r)", live.name, reason)

    async def shutdown(self) -> None:
        """Server going away: terminate the view and ask the client to reconnect later."""
        await self.end("shutdown")
        if not self.closed:
            self.closed = True
            await self.transport.close(CLOSE_RESTART, "server restarting")

    async def refuse(self, reason: str) -> None:
        self.closed = True
        await self.transport.close(CLOSE_POLICY, reason)


def absolute_url(url: object) -> SplitResult | None:
    """``url`` split, if it is an absolute http(s) URL (what a browser's ``location.href`` is)."""
    if not isinstance(url, str):
        return None
    try:
        split = urlsplit(url)
    except ValueError:  # a malformed host such as "http://[::1"
        return None
    if split.scheme not in ("http", "https") or not split.netloc:
        return None
    return split


def event_params(kind: str, message: dict[str, Any]) -> dict[str, Any]:
    """The params ``handle_event`` receives, decoded from an event frame."""
    value = message.get("value", {})
    if kind in ("change", "submit"):
        if not isinstance(value, list):
            raise ValueError(f"form event: expected value as [[name, value], ...], got {value!r}")
        target = message.get("target")
        pairs = [tuple(pair) for pair in value if isinstance(pair, list) and len(pair) == 2]
        if len(pairs) != len(value):
            raise ValueError("form event: every field must be a [name, value] pair")
        return decode_form(pairs, target if isinstance(target, str) else None)
    if not isinstance(value, dict):
        raise ValueError(f"{kind} event: expected value as an object, got {value!r}")
    return value
