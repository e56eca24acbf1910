"""The session layer: one connection's loop, transport-agnostic.

``Connection.run()`` reads frames from a ``Transport`` (the Sanic websocket, or the in-process test
client's queues: both run this very code), joins the view a signed token names, then turns every
event, timer and message into ``callback → render → diff → one frame``. A view handles one thing at
a time (a lock per view, FIFO), like a LiveView process and its mailbox.

A crash in any callback is logged with the view's name and traceback; that view is dropped and the
client is told (``{"type": "error", "reason": "crash"}``) so it shows ``phx-error`` and rejoins,
which mounts a fresh view. Other connections never notice. A view that keeps crashing is given up:
the client is told to reload the page.

With ``App(debug=True)``, and always under the test client (``check=True``), every render is
checked (``pylive.client_hooks.check_hooks``: a failing check is a crash of the view) and, in
debug, every event's reply carries the server's ``timing`` (docs/protocol.md).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Collection
from time import perf_counter_ns, time_ns
from typing import Any, Protocol
from urllib.parse import SplitResult, urlsplit

import orjson

from pylive import lifecycle, telemetry
from pylive.app import App
from pylive.async_result import AsyncCancelled, AsyncResult
from pylive.async_tasks import AsyncTasks, Job
from pylive.component_registry import Components, ComponentState
from pylive.diff import diff
from pylive.exceptions import InvalidParams, ProtocolError
from pylive.forms import decode_form
from pylive.frames import Event, Join, decode_chunk
from pylive.frames import decode as decode_frame
from pylive.lifecycle import InvalidReturn as InvalidReturn
from pylive.lifecycle import name_of as view_name
from pylive.limits import TokenBucket
from pylive.live_component import LiveComponent
from pylive.live_navigation import LiveNavigation, local_of, redirect_frame
from pylive.node import Tree, top_level
from pylive.protocol import (
    CLOSE_POLICY,
    CLOSE_RESTART,
    CLOSE_TOO_BIG,
    CLOSE_UNSUPPORTED,
    KEY_ERROR,
    KEY_EVENTS,
    KEY_NAV,
    KEY_OPS,
    KEY_REPLY,
    KEY_TITLE,
    KEY_TREE,
    KEY_UPLOADS,
    MSG_ERROR,
    MSG_EVENT,
    MSG_HEARTBEAT,
    MSG_NAVIGATE,
    MSG_PATCH,
    MSG_RELOAD,
    MSG_UPLOAD,
    MSG_UPLOAD_ERROR,
    MSG_UPLOAD_PROGRESS,
)
from pylive.routing import Route
from pylive.server_timing import Timing
from pylive.socket import Socket
from pylive.stream_items import StreamCollector
from pylive.tokens import InvalidToken
from pylive.upload_frames import UploadFrames
from pylive.uploads import Uploads, expire_parked
from pylive.view import LiveView
from pylive.view_render import check_rendered, mount_view, render_view, url_params
from pylive.wire import to_wire

log = logging.getLogger("pylive")

DIFF_STOP: telemetry.Event = ("pylive", "live_view", "diff", "stop")
FRAME_SENT: telemetry.Event = ("pylive", "socket", "frame", "sent")
VIEW_JOIN: telemetry.Event = ("pylive", "live_view", "join")
"""A view mounted live and its page has its tree: ``{"system_time": ns}``, ``{"view"}``."""
VIEW_LEAVE: telemetry.Event = ("pylive", "live_view", "leave")
"""A joined view is gone: ``{"duration": ns since its join}``, ``{"view", "reason"}``."""

LIVE_SOCKET_ID = "live_socket_id"
"""The session key that tags a user's live views (``app.disconnect_sessions``)."""

SMALL_FRAME = 4096
"""A frame refused by the rate limit is answered (its ref read) only up to this size."""
HEARTBEAT_PREFIX = '{"type":"hb"'
"""How the client writes a heartbeat: such frames have a reserve of their own
(``HEARTBEATS_PER_SECOND``, ``HEARTBEAT_BURST``) before they share the events' budget."""
HEARTBEATS_PER_SECOND = 1.0
HEARTBEAT_BURST = 10
KEY_TIMING = "timing"
"""With ``App(debug=True)``, an event's reply carries ``"timing": {"callback": µs, "render": µs,
"diff": µs}``: where the server spent its time (docs/protocol.md)."""


class Transport(Protocol):
    """What the session needs from a connection: text frames in and out, and a way to close."""

    async def recv(self) -> str | bytes | None:
        """The next frame, or None once the peer has gone."""
        ...

    async def send(self, text: str) -> None: ...

    async def close(self, code: int, reason: str = "") -> None: ...


class LiveSession:
    """One mounted live view on a connection: its view, socket, last tree and timers."""

    def __init__(
        self,
        connection: Connection,
        view: LiveView,
        route: Route,
        url: str = "",
        session: dict[str, Any] | None = None,
    ) -> None:
        self.connection = connection
        self.view = view
        self.route = route
        self.url = url
        """The page's absolute URL now (a live patch changes it)."""
        self.session = session if session is not None else {}
        """What the join token held: a live navigation mounts the next view with it."""
        self.name = view_name(view)
        self.socket = Socket(self.name, runtime=self)
        self.socket._uploads = Uploads(self.name, connection.app.limits)
        self.uploads = self.socket._uploads.group  # the view's and its components'
        self.watching_uploads = False  # a stall check is armed
        self.tree: Tree | None = None
        self.lock = asyncio.Lock()
        self.timers: dict[int, asyncio.TimerHandle] = {}
        self.next_timer = 0
        self.alive = True
        self.streams = StreamCollector()  # the stream items of a turn, released after its frame
        app = connection.app
        self.components = Components(
            self, self.socket, self.streams, app.hooks, strict=connection.check
        )
        self.components.timed = app.debug
        self.loop = asyncio.get_running_loop()
        # While a callback runs: the send_updates it asked for, sent in the same frame.
        self.pending: list[tuple[type[Any], str, dict[str, Any]]] | None = None
        self.tasks = AsyncTasks(self._async_done)
        self.topics: set[str] = set()
        """The PubSub topics it is subscribed to (``pylive.pubsub``)."""
        """Its ``assign_async``/``start_async`` work (``pylive.async_tasks``)."""
        self.joined_at: int | None = None
        """When its page got its tree (``perf_counter_ns``), until it leaves: the join and
        leave telemetry events (``VIEW_JOIN``, ``VIEW_LEAVE``)."""

    # -- PubSub, for pylive.pubsub ---------------------------------------------------------------

    def subscribe(self, topic: str) -> None:
        if self.alive and topic not in self.topics:
            self.connection.app.pubsub.subscribe(topic, self)
            self.topics.add(topic)

    def unsubscribe(self, topic: str) -> None:
        if topic in self.topics:
            self.topics.discard(topic)
            self.connection.app.pubsub.unsubscribe(topic, self)

    # -- async work, for the socket -------------------------------------------------------------

    def run_async(
        self, cid: int | None, kind: str, name: str, keys: tuple[str, ...], fn: Callable[[], Any]
    ) -> None:
        """Start a job; safe from a callback running in a worker thread (it starts on the
        view's loop)."""
        if self._elsewhere(self.run_async, cid, kind, name, keys, fn):
            return
        if self.alive:
            self.tasks.start((cid, kind, name), keys, fn)

    def cancel_async(self, cid: int | None, kind: str, name: str, reason: Any) -> bool:
        """Cancel a job (on the view's loop, from a worker thread too: then True)."""
        if self._elsewhere(self.cancel_async, cid, kind, name, reason):
            return True
        job = self.tasks.drop((cid, kind, name))
        if job is None:
            return False
        self._async_done(job, ("exit", AsyncCancelled(reason)))
        return True

    def drop_async(self, cid: int) -> None:
        """A live component left the page: its jobs go, none delivers."""
        self.tasks.drop_owner(cid)

    def _async_done(self, job: Job, outcome: tuple[str, Any]) -> None:
        if self.alive:
            connection = self.connection
            connection.post_message(self, connection.async_done, (self, job, outcome))

    def touch_uploads(self, uploads: Uploads) -> ComponentState | None:
        """Mark the owner of ``uploads`` changed: the view renders in ``flush``; a component
        (returned) re-renders alone, through ``rerender``. None for the view, or a gone
        component."""
        if uploads.cid is None:
            self.socket._touch_uploads()
            return None
        state = self.components.by_cid.get(uploads.cid)
        if state is not None:
            state.socket._touch_uploads()
        return state

    async def rerender(self, states: Collection[ComponentState | None]) -> list[Any]:
        """The ops of the components in ``states`` that changed, each re-rendered alone."""
        ops: list[Any] = []
        for state in states:
            if state is not None:
                ops += await self.components.rerender(state)
        return ops

    def turn(self) -> Turn:
        """One thing at a time: hold the view's lock and collect ``send_update``s meanwhile."""
        return Turn(self)

    async def render_view(self) -> Tree | None:
        """Render the view in its layout and resolve the live components it places."""
        app = self.connection.app
        return await render_view(app, self.view, self.socket, self.components, self.route)

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
            self.connection.post_message(self, self.connection.info, (self, msg))

    def schedule(self, msg: Any, ms: float, repeat: bool) -> int:
        return self._timer(ms, repeat, lambda: self.send_self(msg))

    def _timer(self, ms: float, repeat: bool, deliver: Callable[[], Any]) -> int:
        """A timer cancelled with the view: ``deliver`` runs when it fires (again if repeat).

        Safe from a callback running in a worker thread: the ref is known at once, the timer is
        armed on the view's loop."""
        self.next_timer += 1
        ref = self.next_timer
        if not self._elsewhere(self._arm, ref, ms, repeat, deliver):
            self._arm(ref, ms, repeat, deliver)
        return ref

    def _arm(self, ref: int, ms: float, repeat: bool, deliver: Callable[[], Any]) -> None:
        if self.alive:
            self.timers[ref] = self.loop.call_later(
                max(ms, 0) / 1000, self._fire, ref, ms, repeat, deliver
            )

    def _fire(self, ref: int, ms: float, repeat: bool, deliver: Callable[[], Any]) -> None:
        if repeat and self.alive:
            self._arm(ref, ms, repeat, deliver)
        else:
            self.timers.pop(ref, None)
        if self.alive:
            deliver()

    def cancel(self, ref: int) -> bool:
        if self._elsewhere(self.cancel, ref):
            return ref in self.timers
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
            connection = self.connection
            connection.post_message(self, connection.component_update, (self, cls, id, assigns))

        if ms is None:
            deliver()
            return None
        return self._timer(ms, False, deliver)

    def joined(self) -> None:
        """Its page has its tree: the view is live (counted in ``app.live_views``; the join
        event)."""
        self.joined_at = perf_counter_ns()
        self.connection.app.live_views.joined(self.name)
        if telemetry.listened(VIEW_JOIN):
            telemetry.execute(VIEW_JOIN, {"system_time": time_ns()}, {"view": self.name})

    def stop(self, reason: str) -> None:
        """The view is gone (``reason``: terminate's, or ``"crash"``): cancel its timers, free
        its components, forget its tree; a joined view raises the leave event, once."""
        joined_at, self.joined_at = self.joined_at, None
        if joined_at is not None:
            self.connection.app.live_views.left(self.name)
            if telemetry.listened(VIEW_LEAVE):
                measured = {"duration": perf_counter_ns() - joined_at}
                telemetry.execute(VIEW_LEAVE, measured, {"view": self.name, "reason": reason})
        self.alive = False
        for handle in self.timers.values():
            handle.cancel()
        self.timers.clear()
        self.tasks.stop()  # no background work outlives the view, none delivers
        for topic in list(self.topics):
            self.unsubscribe(topic)
        self.components.clear()
        self.uploads.close()  # every temp file goes with the view
        self.tree = None
        # Nothing points back at the session any more, so it is freed when its connection drops
        # it, not at the garbage collector's next full pass.
        self.socket._runtime = None
        self.components.runtime = None


class Turn:
    """``async with live.turn():`` — a plain class, cheaper on the event path than a generator.

    The stream items the turn's renders collected are released when it ends: its frame is sent.
    """

    __slots__ = ("live",)

    def __init__(self, live: LiveSession) -> None:
        self.live = live

    async def __aenter__(self) -> None:
        await self.live.lock.acquire()
        self.live.pending = []

    async def __aexit__(self, *exc: object) -> None:
        self.live.streams.release()
        self.live.pending = None
        self.live.lock.release()


def fill_async(socket: Socket, keys: tuple[str, ...], outcome: tuple[str, Any]) -> None:
    """``assign_async``'s assigns after its function ended: ``ok`` with its value (one key), or
    with its dict's values (several), else ``failed`` with what ended it."""
    status, value = outcome
    if status == "ok" and len(keys) > 1:
        if not isinstance(value, dict) or not all(key in value for key in keys):
            status, value = (
                "exit",
                TypeError(
                    f"assign_async({list(keys)!r}): expected the function to return a dict with "
                    f"{', '.join(repr(k) for k in keys)}, got {value!r}"
                ),
            )
    for key in keys:
        current = socket.assigns.get(key)
        if not isinstance(current, AsyncResult):
            current = AsyncResult()
        if status == "ok":
            socket.assigns._set(key, current.finished(value if len(keys) == 1 else value[key]))
        else:
            socket.assigns._set(key, current.failing(value))


class Connection(UploadFrames, LiveNavigation):
    """One client connection (a websocket) and the live view it hosts.

    Two tasks: ``run`` reads and validates frames and answers heartbeats at once; a worker takes
    everything else from the connection's mailbox in order (client events and joins, and the
    view's timers, messages and ``send_update``s), like a LiveView process and its mailbox. Both
    queues are bounded (``Limits.max_queued_events``: the reader stops reading;
    ``Limits.max_mailbox``: the view is taken down as a crash).
    """

    def __init__(self, app: App, transport: Transport, *, check: bool = False) -> None:
        self.app = app
        self.transport = transport
        self.check = check or app.debug
        """Whether every render is checked (``check_rendered``): ``App(debug=True)``, or the
        test client's ``check=True``. A failing check crashes the view."""
        self.live: LiveSession | None = None
        self.crashes = 0
        self.closed = False
        self.draining = False  # shutting down: frames read from now on are refused
        limits = app.limits
        self.bucket = TokenBucket(limits.events_per_second, limits.event_burst)
        self.heartbeats = TokenBucket(HEARTBEATS_PER_SECOND, HEARTBEAT_BURST)
        self.refusals = TokenBucket(limits.events_per_second, limits.event_burst)
        self.mailbox: deque[tuple[Callable[..., Awaitable[None]], tuple[Any, ...], bool]] = deque()
        self.queued = 0  # client frames in the mailbox
        self.working = False  # the worker is running an item
        self.worker: asyncio.Task[None] | None = None
        self._work_waiter: asyncio.Future[None] | None = None
        self._room_waiter: asyncio.Future[None] | None = None
        self._drained: asyncio.Future[None] | None = None

    @property
    def idle(self) -> bool:
        """Nothing queued and nothing running (what the test client waits for)."""
        return not self.mailbox and not self.working

    # -- the loop -------------------------------------------------------------------------------

    async def run(self) -> None:
        """Read frames until the peer goes away, then terminate the view."""
        loop = asyncio.get_running_loop()
        self.worker = loop.create_task(self._work(), name="pylive connection worker")
        limit = self.app.limits.max_queued_events
        try:
            while not self.closed:
                frame = await self.transport.recv()
                if frame is None:
                    break
                await self.handle_frame(frame)
                if self.queued >= limit and not self.closed:  # backpressure: stop reading
                    self._room_waiter = loop.create_future()
                    await self._room_waiter
        finally:
            try:
                self.draining = True
                await self._drain()  # what the client sent before it left is still done
            finally:  # even when the server cancels this task: the worker never outlives it
                self.closed = True
                self.mailbox.clear()
                self.queued = 0
                worker, self.worker = self.worker, None
                try:
                    if worker is not None and not worker.done():
                        worker.cancel()
                        await asyncio.gather(worker, return_exceptions=True)
                finally:  # cancelled again while waiting: the view still ends
                    await self.end("closed")

    async def handle_frame(self, frame: str | bytes) -> None:
        """Validate one client frame and act on it: answer a heartbeat, queue the rest."""
        limits = self.app.limits
        if not isinstance(frame, str):
            await self._binary(bytes(frame))
            return
        size = len(frame)  # characters: up to 4 bytes each in UTF-8
        limit = limits.max_message_bytes
        if size > limit or (size * 4 > limit and len(frame.encode()) > limit):
            await self.close(1009, "message too big")
            return
        heartbeat = frame.startswith(HEARTBEAT_PREFIX)  # a reserve events never starve
        if not ((heartbeat and self.heartbeats.take()) or self.bucket.take()):
            await self._rate_limited(frame)
            return
        try:
            message = decode_frame(frame)
        except ProtocolError as error:
            await self._bad_frame(error)
            return
        kind = message["type"]
        if heartbeat and kind != MSG_HEARTBEAT and not self.bucket.take():
            await self._rate_limited(frame)  # not a heartbeat after all: it needs an event's token
            return
        if kind == MSG_HEARTBEAT:
            await self.send({"ref": message["ref"]})
        elif self.draining:
            await self.send({"ref": message["ref"], KEY_ERROR: "the server is restarting"})
        elif kind == MSG_EVENT:
            self._post(self.event, (message["ref"], message), True)
        elif kind == MSG_UPLOAD:
            self._post(self.preflight, (message["ref"], message), True)
        elif kind == MSG_UPLOAD_PROGRESS:
            self._post(self.upload_progress, (message["ref"], message), True)
        elif kind == MSG_NAVIGATE:
            self._post(self.navigate, (message["ref"], message), True)
        else:
            self._post(self.join, (message["ref"], message), True)

    async def _binary(self, frame: bytes) -> None:
        """A binary frame: an upload chunk (bounded by ``Limits.max_message_bytes``). A chunk
        for an entry being sent is not rate limited (the client sends one per entry and waits for
        its ack); one with an unknown token is answered ``not_found`` at once and counts as an
        event (past the limit, as a refused one: 1008 when sustained). Anything else binary
        closes the socket (1003)."""
        if len(frame) > self.app.limits.max_message_bytes:
            await self.close(CLOSE_TOO_BIG, "message too big")
            return
        try:
            header, data = decode_chunk(frame)
        except ProtocolError as error:  # binary frames are upload chunks and nothing else
            log.info("websocket closed: a binary frame that is not an upload chunk: %s", error)
            await self.close(CLOSE_UNSUPPORTED, "binary frames are not accepted")
            return
        live = self.live
        known = live is not None and live.uploads.with_token(header["token"]) is not None
        if not known and not self.bucket.take():  # refused chunks share the events' budget
            if not self.refusals.take():
                await self.close(CLOSE_POLICY, "too many events")
                return
        if self.draining or not known:
            await self.send(
                {"type": MSG_UPLOAD_ERROR, "token": header["token"], "error": "not_found"}
            )
            return
        self._post(self.chunk, (header, data), True)

    async def _rate_limited(self, frame: str) -> None:
        """Refused by the rate limit: answered if its ref is cheap to read, never queued. Refusals
        have a budget of their own, as large as the events': a client that keeps sending past the
        limit runs out of it and is disconnected (1008)."""
        limits = self.app.limits
        if not self.refusals.take():  # refused faster than the rate allows events, for a while
            log.warning(
                "websocket closed: more than %g frames/s, sustained", limits.events_per_second
            )
            await self.close(CLOSE_POLICY, "too many events")
            return
        if len(frame) <= SMALL_FRAME:
            ref: int | None
            try:
                ref = decode_frame(frame)["ref"]
            except ProtocolError as error:
                ref = error.ref
            if ref is not None:
                rate = limits.events_per_second
                await self.send(
                    {"ref": ref, KEY_ERROR: f"rate limited: more than {rate:g} events/s"}
                )

    async def _bad_frame(self, error: ProtocolError) -> None:
        waiting = error.kind in (MSG_EVENT, MSG_UPLOAD, MSG_UPLOAD_PROGRESS, MSG_NAVIGATE)
        if waiting and error.ref is not None:  # the client is waiting for it
            await self.send({"ref": error.ref, KEY_ERROR: str(error)})
            return
        reply: dict[str, Any] = {"type": MSG_ERROR, "reason": "bad_frame", "detail": str(error)}
        if error.ref is not None:
            reply["ref"] = error.ref
        await self.send(reply)

    async def send(self, message: dict[str, Any]) -> None:
        if not self.closed:
            data = orjson.dumps(message, default=encodable)
            if telemetry.listened(FRAME_SENT):  # bytes on the wire (UTF-8), not characters
                view = self.live.name if self.live is not None else None
                kind = message.get("type", "reply")
                telemetry.execute(FRAME_SENT, {"bytes": len(data)}, {"view": view, "type": kind})
            await self.transport.send(data.decode())

    async def close(self, code: int, reason: str) -> None:
        """Close the websocket with ``code``; the reader stops."""
        if not self.closed:
            self.closed = True
            await self.transport.close(code, reason)
        self._wake_reader()

    # -- the mailbox ----------------------------------------------------------------------------

    def _post(
        self, fn: Callable[..., Awaitable[None]], args: tuple[Any, ...], client: bool
    ) -> None:
        if client:
            self.queued += 1
        self.mailbox.append((fn, args, client))
        waiter = self._work_waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def post_message(
        self, live: LiveSession, fn: Callable[..., Awaitable[None]], args: tuple[Any, ...]
    ) -> None:
        """Queue server work for ``live`` (a message, a component update), bounded."""
        if len(self.mailbox) - self.queued >= self.app.limits.max_mailbox:
            if live.alive and self.live is live:
                live.stop("crash")  # once: it cannot keep up, so it is remounted
                asyncio.get_running_loop().create_task(self._overflow(live))
            return
        self._post(fn, args, False)

    async def _overflow(self, live: LiveSession) -> None:
        limit = self.app.limits.max_mailbox
        log.error(
            "live view %s has %d messages waiting, more than Limits.max_mailbox: it cannot keep "
            "up; it will be remounted",
            live.name,
            limit,
        )
        await self.crash(live, "its mailbox", None, logged=True)

    async def _work(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self.process_queued()
            drained = self._drained
            if drained is not None and not drained.done():
                drained.set_result(None)
            self._work_waiter = loop.create_future()
            await self._work_waiter
            self._work_waiter = None

    async def process_queued(self) -> None:
        """Run what the mailbox holds, in order, until it is empty (the worker's job; a test
        that feeds ``handle_frame`` by hand calls it)."""
        mailbox = self.mailbox
        limit = self.app.limits.max_queued_events
        while mailbox:
            fn, args, client = mailbox.popleft()
            if client:
                self.queued -= 1
                if self.queued < limit:
                    self._wake_reader()
            self.working = True
            try:
                await fn(*args)
            except Exception:  # the handlers catch their own; this keeps the worker alive
                log.exception("pylive: unexpected error handling %s", getattr(fn, "__name__", fn))
            finally:
                self.working = False

    def _wake_reader(self) -> None:
        waiter = self._room_waiter
        if waiter is not None and not waiter.done():
            self._room_waiter = None
            waiter.set_result(None)

    # -- join -----------------------------------------------------------------------------------

    async def join(self, ref: int, message: Join) -> None:
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
            session, flash = self.app.tokens.claims(message.get("token"), route.pattern, route.name)
            params = url_params(split.query, path_params)
        except InvalidToken as error:
            log.info("join refused for %s: %s", url, error.reason)
            await self.refuse_join(ref, "stale", error.reason)
            return
        except InvalidParams as error:
            await self.refuse_join(ref, "bad_params", str(error))
            return
        await self.start_view(ref, route, params, str(url), session, flash)

    async def start_view(
        self,
        ref: int | None,
        route: Route,
        params: dict[str, Any],
        url: str,
        session: dict[str, Any],
        flash: dict[str, str],
        extra: dict[str, Any] | None = None,
    ) -> None:
        """Mount the view of ``route`` at ``url`` on this connection and send its tree (with
        ``extra`` keys: a live navigation's token and nav), or the redirect its mount asked
        for (then it ends)."""
        view = route.view()
        live = self.live = LiveSession(self, view, route, url, session)
        live_socket_id = session.get(LIVE_SOCKET_ID)
        if isinstance(live_socket_id, str) and live_socket_id:
            self.app.track_live_socket(live_socket_id, self)
        if flash:
            live.socket.assigns._set("flash", flash)
        redirect: str | None = None
        async with live.turn():
            try:
                socket = live.socket
                redirect = await mount_view(view, socket, params, session, url, route)
                if redirect is None:
                    live.tree = await live.render_view()
                    await lifecycle.after_render(socket)
                    socket.assigns._clear_changed()
                    reply: dict[str, Any] = {
                        "ref": ref,
                        KEY_TREE: [to_wire(node) for node in top_level(live.tree)],
                    }
                    if ref is None:
                        reply = {"type": MSG_PATCH, KEY_TREE: reply[KEY_TREE]}
                    if self.check:  # after to_wire, which rendered the memoized calls
                        check_rendered(self.app, live.tree, live.name, live.components)
                    title = socket.assigns.get("page_title")
                    if title is not None:
                        reply[KEY_TITLE] = str(title)
                    events = socket._take_events()
                    if events:
                        reply[KEY_EVENTS] = events
                    await self.send({**reply, **(extra or {})})
                    live.joined()
                else:  # halted: the client loads the target, the view never renders
                    await self.send(redirect_frame(self.app, ref, redirect, socket))
            except Exception:
                await self.crash(live, "mount", ref)
                return
        if redirect is not None:
            await self.end("redirect")

    async def refuse_join(self, ref: int | None, reason: str, detail: str) -> None:
        await self.send({"ref": ref, "type": MSG_ERROR, "reason": reason, "detail": detail})

    # -- events and messages --------------------------------------------------------------------

    async def event(self, ref: int, message: Event) -> None:
        live = self.live
        if live is None or not live.alive:
            await self.send({"ref": ref, KEY_ERROR: "no live view joined on this connection"})
            return
        name = message["event"]
        try:
            params = event_params(message)
        except InvalidParams as error:
            await self.send({"ref": ref, KEY_ERROR: str(error)})
            return
        async with live.turn():
            if not live.alive:
                await self.send({"ref": ref, KEY_ERROR: "the view has closed"})
                return
            cid = message.get("cid")
            ops: list[Any] = []
            where = f"handle_event({name!r})"
            timing = Timing() if self.app.debug else None
            if timing:
                live.components.diff_ns = 0  # what re-renders outside events diffed
            try:
                start = perf_counter_ns() if timing else 0
                chosen = message.get(KEY_UPLOADS) or {}
                owners = []  # the files chosen join their configs before the view hears of it
                for upload_ref, entries in chosen.items():
                    uploads = live.uploads.with_ref(upload_ref)
                    if uploads is not None:
                        uploads.add_entries(upload_ref, entries)
                        owners.append(live.touch_uploads(uploads))
                if cid is not None:
                    state = live.components.by_cid.get(cid)
                    if state is None:
                        await self.send(
                            {"ref": ref, KEY_ERROR: f"no component {cid!r} (it was removed)"}
                        )
                        return
                    where = f"{state.name}.handle_event({name!r})"
                    reply = await lifecycle.component_event(
                        state.instance, state.name, name, params, state.socket
                    )
                    if timing:
                        start = timing.callback_since(start)
                    ops = await live.components.rerender(state)
                    if timing:
                        timing.render_since(start, live.components)
                elif name == "lv:clear-flash":
                    key = params.get("key")
                    live.socket.clear_flash(key if isinstance(key, str) else None)
                    reply = None
                else:
                    reply = await lifecycle.handle_event(live.view, name, params, live.socket)
                    if timing:
                        timing.callback_since(start)
                ops += await live.rerender(owners)  # components whose uploads changed
                await self.flush(live, ref, reply, ops, timing)
                self.crashes = 0
            except Exception:
                await self.crash(live, where, ref)

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

    async def async_done(self, live: LiveSession, job: Job, outcome: tuple[str, Any]) -> None:
        """A background job finished: its assigns take the result (``assign_async``), or its
        owner's ``handle_async`` gets it (``start_async``); then what changed renders."""
        async with live.turn():
            if not live.alive or self.live is not live:
                return
            cid, kind, name = job.key
            state = None if cid is None else live.components.by_cid.get(cid)
            if cid is not None and state is None:
                return  # its component left the page
            socket = live.socket if state is None else state.socket
            owner = live.view if state is None else state.instance
            try:
                if kind == "assign":
                    fill_async(socket, job.keys, outcome)
                else:
                    await lifecycle.handle_async(owner, name, outcome, socket)
                ops = await live.rerender((state,))
                await self.flush(live, None, None, ops)
            except Exception:
                await self.crash(live, f"handle_async({name!r})", None)

    async def info(self, live: LiveSession, msg: Any) -> None:
        """Deliver a message to ``handle_info`` (timers, ``send_self``, other tasks)."""
        async with live.turn():
            if not live.alive or self.live is not live:
                return
            try:
                await lifecycle.handle_info(live.view, msg, live.socket)
                await self.flush(live, None, None)
            except Exception:
                await self.crash(live, "handle_info", None)

    async def flush(
        self,
        live: LiveSession,
        ref: int | None,
        reply: dict[str, Any] | None,
        ops: list[Any] | None = None,
        timing: Timing | None = None,
    ) -> None:
        """Render if anything changed and send one frame: the ops, events, reply and title.

        ``ops`` are those of components that already re-rendered alone; they come first.
        ``timing`` (debug, an event's reply) gets the renders and diffs and goes in the frame.
        """
        socket = live.socket
        patched = None
        if socket._nav is not None:
            gone, patched = await self.follow_nav(live, ref, reply)
            if gone:  # another view was mounted (or the page is loaded): its frame is sent
                return
        message: dict[str, Any] = {"type": MSG_PATCH} if ref is None else {"ref": ref}
        assigns = socket.assigns
        if ops:
            message[KEY_OPS] = ops
        if assigns.changed():
            start = perf_counter_ns() if timing else 0
            tree = await live.render_view()
            if timing:
                start = timing.render_since(start, live.components)
            began = perf_counter_ns()
            view_ops = diff(live.tree, tree)
            if telemetry.listened(DIFF_STOP):
                measured = {"duration": perf_counter_ns() - began, "ops": len(view_ops)}
                telemetry.execute(DIFF_STOP, measured, {"view": live.name})
            if timing:
                timing.diff += perf_counter_ns() - start
            live.tree = tree
            if socket._attached is not None:
                await lifecycle.after_render(socket)
            if view_ops:
                message[KEY_OPS] = [*ops, *view_ops] if ops else view_ops
            if assigns.changed("page_title"):
                message[KEY_TITLE] = str(assigns.get("page_title", ""))
            assigns._clear_changed()
        pending = live.pending
        while pending:  # send_updates asked for by the callback, after the view's render
            cls, id, values = pending.pop(0)
            start = perf_counter_ns() if timing else 0
            component_ops = await live.components.send_update(cls, id, values)
            if timing:
                timing.render_since(start, live.components)
            if component_ops:
                message[KEY_OPS] = [*message.get(KEY_OPS, ()), *component_ops]
        if self.check and KEY_OPS in message:  # no op: the tree checked last time
            check_rendered(self.app, live.tree, live.name, live.components)
        events = socket._take_events()
        if events:
            message[KEY_EVENTS] = events
        if reply is not None:
            message[KEY_REPLY] = reply
        if patched is not None:
            message[KEY_NAV] = {"kind": "patch", "to": patched.to, "replace": patched.replace}
        if socket.redirect_to is not None:
            message.update(redirect_frame(self.app, None, socket.redirect_to, socket))
            socket.redirect_to = None
        if ref is None and len(message) == 1:
            return  # a message that changed nothing: nothing to say
        if timing is not None:
            message[KEY_TIMING] = timing.to_wire()
        await self.send(message)

    # -- failure and closing --------------------------------------------------------------------

    async def crash(
        self, live: LiveSession, callback: str, ref: int | None, logged: bool = False
    ) -> None:
        """The view failed in ``callback``: drop it and tell the client, which rejoins (a fresh
        mount); after ``Limits.max_crashes`` in a row, the client reloads the page."""
        if not logged:
            log.exception("live view %s crashed in %s; it will be remounted", live.name, callback)
        live.stop("crash")
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
        live_socket_id = live.session.get(LIVE_SOCKET_ID)
        if isinstance(live_socket_id, str):
            self.app.untrack_live_socket(live_socket_id, self)
        if reason == "closed":  # the connection dropped: its uploads wait for a resume
            if live.uploads.park():
                grace = self.app.limits.upload_resume_seconds
                asyncio.get_running_loop().call_later(grace, expire_parked)
        live.stop(reason)
        try:
            await lifecycle.terminate(live.view, reason, live.socket)
        except Exception:
            log.exception("live view %s crashed in terminate(%r)", live.name, reason)

    def revoke(self) -> None:
        """The view's session was ended (``app.disconnect_sessions``): the page loads again
        over HTTP, where the app's checks run again. Safe from any thread."""
        live = self.live
        if live is not None and live.alive:
            live.loop.call_soon_threadsafe(self._post, self._revoked, (live,), False)

    async def _revoked(self, live: LiveSession) -> None:
        if self.live is not live or not live.alive:
            return
        async with live.turn():
            await self.send(redirect_frame(self.app, None, local_of(live.url), None))
        await self.end("revoked")

    async def shutdown(self) -> None:
        """Server going away: answer the frames already read (later ones are refused), terminate
        the view and ask the client to reconnect later (1012)."""
        self.draining = True
        await self._drain()
        await self.end("shutdown")
        await self.close(CLOSE_RESTART, "server restarting")

    async def _drain(self) -> None:
        """Wait (``Limits.shutdown_drain`` seconds at most) until the worker has done what the
        mailbox holds."""
        worker = self.worker
        if self.idle or worker is None or worker.done():
            return
        self._drained = asyncio.get_running_loop().create_future()
        try:
            await asyncio.wait_for(asyncio.shield(self._drained), self.app.limits.shutdown_drain)
        except TimeoutError:
            name = self.live.name if self.live else "the connection"
            log.warning("%s did not finish the work it had read in time", name)


def encodable(value: Any) -> Any:
    """What orjson writes for a value it does not know: a ``JS`` chain in a ``push_event``
    payload or a reply (anything with ``to_encodable()``); anything else is an error."""
    to_encodable = getattr(value, "to_encodable", None)
    if to_encodable is None:
        raise TypeError(f"cannot send {value!r} to the browser: it is not JSON")
    return to_encodable()


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


def event_params(message: Event) -> dict[str, Any]:
    """The params ``handle_event`` receives, decoded from a validated event frame: a form's
    fields nested (``user[email]`` → ``{"user": {"email": …}}``), anything else as sent."""
    value = message.get("value")
    if message["kind"] in ("change", "submit"):
        pairs: list[tuple[str, str]] = value or []
        return decode_form(pairs, message.get("target"))
    params: dict[str, Any] = {} if value is None else value
    return params
