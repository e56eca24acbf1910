"""The in-process test client: LiveViewTest, the Python way.

``live(app, "/path")`` renders the page over "HTTP" (``pylive.view_render.dead_render``), then
joins it with the token that render issued, exactly as the browser does, and drives the very
``pylive.session.Connection`` the websocket runs, over a ``MemoryTransport`` of asyncio queues.
The calls are synchronous: each client owns one event loop and runs it only while a call waits
for its answer, so timers advance only when the test calls something (``view.sleep(ms)``,
``view.render()``, an event …).

    view = live(app, "/")
    view.element("button#inc").click()   # the new HTML of the view's container
    view.form("#f", user={"email": "a@b"}).change()

What an event carries is read from the page as ``client.js`` reads it: the ``phx-click`` (…)
attribute names the event, ``phx-value-*`` attributes give its params (names lowercased, as in the
DOM), an input, select or textarea adds its ``value`` (a checkbox or radio only when checked), a
button or option its ``value`` attribute, unless ``phx-value-value`` gave one. ``phx-target``
routes it as LiveView does: ``phx_target=assigns.myself`` (an integer) to that live component, a
CSS selector to the component of each element it matches (or the view), once each; without it the
event goes to the view. Forms serialise
like the browser's ``FormData``. A crash of the view fails the call with ``ViewCrashed``,
chained to the exception the view raised. Every render is checked as in ``App(debug=True)``
(``pylive.client_hooks.check_hooks``: each ``phx-hook`` element has a unique id and names a
registered hook), and ``view.render_hook(selector, event, value)`` pushes what a hook pushes.

The client plays the browser's part too (``pylive.testing._browser``): a binding holding a
``JS`` chain runs in-process as ``client.js`` runs it, what the commands did stays on the page
across patches, lifecycle bindings run, and ``phx-debounce``/``phx-throttle`` work on a client
clock that ``advance(ms)`` moves (docs/testing.md, "JS commands, in-process").
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable, Coroutine, Mapping
from typing import Any, Final, Literal, overload
from urllib.parse import urljoin, urlsplit

import orjson

from pylive.app import App
from pylive.node import Fragment, Node, Tree, top_level
from pylive.protocol import (
    KEY_ERROR,
    KEY_EVENTS,
    KEY_NAV,
    KEY_OPS,
    KEY_REPLY,
    KEY_TITLE,
    KEY_TOKEN,
    KEY_TREE,
    MSG_ERROR,
    MSG_EVENT,
    MSG_JOIN,
    MSG_NAVIGATE,
    MSG_REDIRECT,
    MSG_RELOAD,
    MSG_UPLOAD_ACK,
    MSG_UPLOAD_ERROR,
    OP_INSERT,
)
from pylive.render import render_html
from pylive.session import Connection
from pylive.testing import _dom
from pylive.testing._apply import apply
from pylive.testing._assertions import ServerAssertions
from pylive.testing._browser import HOOK, Browser
from pylive.testing._clock import Clock
from pylive.testing._dom import LxmlElement, Page
from pylive.testing._form_state import TriggerAction
from pylive.testing._js import Dispatched, Navigation, Push
from pylive.testing._loop import run_sync
from pylive.testing._proxies import ElementProxy as ElementProxy
from pylive.testing._proxies import FormProxy as FormProxy
from pylive.testing._proxies import Text
from pylive.testing._sticky import hidden
from pylive.testing._transport import CLOSED, Closed, ErrorRecords, shutdown
from pylive.testing._transport import MemoryTransport as MemoryTransport
from pylive.view_render import DeadRender, dead_render

DEFAULT_BASE_URL: Final = "http://testserver"
SETTLE_ROUNDS: Final = 50
UPLOAD_ANSWERS: Final = (MSG_UPLOAD_ACK, MSG_UPLOAD_ERROR)
"""The frames that answer an upload chunk."""
"""Loop iterations a call runs after its answer so work it started (``send_self``) finishes."""


class ViewCrashed(AssertionError):
    """The live view crashed (the server sent ``{"type": "error", "reason": "crash"}``) or the
    server gave up on it (``reload``). ``__cause__`` is the exception the view raised."""

    def __init__(self, message: str, frame: dict[str, Any]) -> None:
        super().__init__(message)
        self.frame = frame


class Redirected(AssertionError):
    """``live(app, path)`` of a page whose ``mount`` or ``handle_params`` called
    ``socket.redirect(to)``: the view halted and nothing of its render exists. ``to`` is the
    target, as LiveViewTest returns ``{:error, {:redirect, %{to: to}}}``; ``connected`` says
    whether the HTTP render (False) or the live join (True) redirected.

        with pytest.raises(Redirected) as redirect:
            live(app, "/admin")
        assert redirect.value.to == "/login"
    """

    def __init__(self, url: str, to: str, connected: bool) -> None:
        stage = "the live join" if connected else "the HTTP render"
        split = urlsplit(url)
        path = split.path + (f"?{split.query}" if split.query else "")
        super().__init__(
            f"live(app, {path!r}) was redirected to {to!r} by mount or handle_params during {stage}"
        )
        self.url = url
        self.to = to
        self.connected = connected


# -- the shared query API -------------------------------------------------------------------------


class _Rendered:
    """Queries over a rendered page, shared by the live client and the static render."""

    url: str
    title: str | None

    def _nodes(self) -> list[Node]:
        raise NotImplementedError

    def _sync(self) -> None:
        """Let the server finish pending work before the page is read."""

    def _page(self) -> Page:
        """The page as lxml, rebuilt whenever the list of nodes was replaced."""
        nodes = self._nodes()
        cached: tuple[list[Node], Page] | None = getattr(self, "_page_cache", None)
        if cached is None or cached[0] is not nodes:
            cached = (nodes, Page(nodes))
            self._page_cache = cached
        return cached[1]

    @property
    def tree(self) -> Tree:
        """The container's children, as a fragment."""
        self._sync()
        return Fragment(list(self._nodes()))

    def render(self) -> str:
        """The HTML of the view's container's children."""
        self._sync()
        return render_html(Fragment(self._nodes()))

    def element(self, selector: str, text: Text = None) -> ElementProxy:
        """The one element matching ``selector`` (whose text contains ``text``, a str or regex).

        It is looked up when used, so a proxy stays valid across renders.
        """
        return ElementProxy(self, selector, text)

    def form(self, selector: str, **values: Any) -> FormProxy:
        """The ``<form>`` matching ``selector``, with ``values`` laid over its current fields:
        ``user={"email": "a@b"}`` sets the field ``user[email]``."""
        return FormProxy(self, selector, values)

    def render_hook(self, selector: str, event: str, value: Mapping[str, Any] | None = None) -> str:
        """Push ``event`` with ``value`` from the client hook of the one element matching
        ``selector``, as the hook's ``this.pushEvent(event, value)`` does (LiveViewTest's
        ``render_hook``); returns the new render, and ``last_reply`` holds what
        ``handle_event`` replied (a hook's ``pushEvent`` callback gets it).

        The element must have ``phx-hook`` and an id, or be a viewport binding
        (``phx-viewport-top``/``phx-viewport-bottom``, whose pushes are hook events too). An
        element inside a live component sends to that component, as in LiveViewTest; any other
        to the view.
        """
        view = self._live(f"render_hook({selector!r}, {event!r})")
        view._sync()
        el = view._find(selector, None)
        page = view._page()
        call = f"render_hook({selector!r}, {event!r})"
        if el.get("phx-hook") is None:
            if el.get("phx-viewport-top") is None and el.get("phx-viewport-bottom") is None:
                raise AssertionError(
                    f"{call}: the element has no phx-hook (nor phx-viewport-top/bottom), so no "
                    f"hook pushes from it:\n{page.describe(el)}"
                )
        elif not el.get("id"):
            raise AssertionError(
                f"{call}: the element has phx-hook but no id; a hook's element needs a unique "
                f"id:\n{page.describe(el)}"
            )
        if value is not None and not isinstance(value, Mapping):
            raise TypeError(f"{call}: expected value= a dict (or None), got {value!r}")
        view._event(HOOK, event, dict(value or {}), None, _dom.component_id(el))
        return view._html()

    def has_element(self, selector: str, text: Text = None, *, visible: bool | None = None) -> bool:
        """Whether any element matches ``selector`` (and contains ``text``); ``visible=True``
        counts only the ones the browser shows, ``visible=False`` only the hidden ones (see
        ``ElementProxy.visible``)."""
        self._sync()
        found = self._page().select(selector, text)
        if visible is not None:
            found = [el for el in found if hidden(el) is not visible]
        return bool(found)

    def _find(self, selector: str, text: Text) -> LxmlElement:
        page = self._page()
        found = page.select(selector, text)
        if len(found) == 1:
            return found[0]
        what = repr(selector) if text is None else f"{selector!r} with text {text!r}"
        if not found:
            if text is not None:
                others = page.select(selector)
                if others:
                    shown = "\n".join(page.describe(el) for el in others[:5])
                    raise AssertionError(
                        f"no element matches {what}; these match {selector!r} but not the "
                        f"text:\n{shown}"
                    )
            raise AssertionError(f"no element matches {what} in the page:\n{page.pretty()}")
        shown = "\n".join(page.describe(el) for el in found[:5])
        raise AssertionError(
            f"{len(found)} elements match {what}, expected exactly one "
            f"(narrow the selector or pass text=...):\n{shown}"
        )

    def _live(self, action: str) -> LiveViewClient:
        raise AssertionError(
            f"cannot {action}: this page was rendered with live(..., connect=False), so there is "
            "no live view to send events to"
        )


class StaticRender(_Rendered):
    """The HTTP render of a live route (``live(app, path, connect=False)``)."""

    def __init__(self, dead: DeadRender, url: str) -> None:
        self.url = url
        self.dead = dead
        self.token = dead.token
        self.title = dead.title
        self._static_nodes = list(top_level(dead.tree))
        self.html = render_html(Fragment(self._static_nodes))

    def _nodes(self) -> list[Node]:
        return self._static_nodes


# -- the live client ------------------------------------------------------------------------------


class LiveViewClient(ServerAssertions, _Rendered):
    """A live view joined over an in-memory transport. Use ``live(app, path)`` to get one."""

    def __init__(
        self, app: App, url: str, dead: DeadRender, loop: asyncio.AbstractEventLoop, timeout: float
    ) -> None:
        self.app = app
        self.url = url
        self.token = dead.token
        self.title = dead.title
        self.html_render = render_html(dead.tree)
        """The HTML of the HTTP render, before the view joined."""
        self.timeout = timeout
        self.frames: list[dict[str, Any]] = []
        """Every frame the server sent, in order."""
        self.last_reply: dict[str, Any] | None = None
        self._upload_refs: dict[str, int] = {}
        """The next entry ref of each upload config (``file_input``), never reused."""
        """The dict the last event's ``handle_event`` returned (None when it returned None)."""
        self.redirected_to: str | None = None
        self.session: dict[str, Any] = {}
        """What the join token holds (``live(app, path, session=...)``): ``follow_redirect``
        opens the next page with it."""
        self.pushed: list[tuple[str, Any]] = []
        """Events pushed with ``socket.push_event`` not yet consumed by ``assert_push_event``."""
        self.closed = False
        self._loop = loop
        self._ref = -1
        self._browser = Browser(list(top_level(dead.tree)), self._push, self._js_go)
        self._browser.path = urlsplit(url).path or "/"
        self.triggered: list[TriggerAction] = self._browser.triggered
        """The real HTTP submits ``phx-trigger-action`` made, not yet consumed by
        ``assert_trigger_action``."""
        self.dispatched: list[Dispatched] = self._browser.dispatched
        """What ``JS.dispatch`` fired, not yet consumed by ``assert_dispatched``."""
        self.navigations: list[Navigation] = self._browser.navigations
        """What ``JS.navigate`` and ``JS.patch`` asked for, not yet consumed by
        ``assert_navigate`` / ``assert_patch``."""
        self.clock: Clock = self._browser.clock
        """The client-side clock (debounce, throttle): ``advance`` and ``sleep`` move it."""
        self._crash: dict[str, Any] | None = None
        self._errors = ErrorRecords()
        self.transport = MemoryTransport()
        self.connection = Connection(app, self.transport, check=True)
        self._task = loop.create_task(self.connection.run(), name=f"pylive-test {url}")
        self._finalizer = weakref.finalize(self, shutdown, loop, self._task, self.transport)

    def __enter__(self) -> LiveViewClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "joined"
        return f"<LiveViewClient {self.url} {state}>"

    def _nodes(self) -> list[Node]:
        return self._browser.page().nodes

    def _page(self) -> Page:
        return self._browser.page()

    def _live(self, action: str) -> LiveViewClient:
        return self

    # -- public API -------------------------------------------------------------------------------

    def rejoin(self) -> str:
        """Join again with the page's token, as ``client.js`` does after a crash (over a new
        connection after ``disconnect()``); returns the new render. What JS commands did to the
        page stays (see docs/testing.md), ``phx-mounted`` runs for new elements and
        ``phx-connected`` for all."""
        if self._task.done():
            self._connect()
        self._join()
        return self._html()

    def disconnect(self) -> str:
        """The connection drops, as when the network goes: the server's view terminates, every
        ``phx-disconnected`` binding runs, and events go nowhere until ``rejoin()`` connects
        again. Returns the render."""
        self._sync()
        if not self._task.done():
            self.transport.inbox.put_nowait(None)
            self._run(asyncio.wait({self._task}, timeout=self.timeout))
            self._task.result()  # raises what the connection loop raised
        self._browser.disconnected()
        self._browser.flush()
        return self._html()

    def _connect(self) -> None:
        """A new connection to the same app, for a rejoin after ``disconnect()``."""
        self._finalizer.detach()
        self.transport = MemoryTransport()
        self.connection = Connection(self.app, self.transport, check=True)
        self._task = self._loop.create_task(self.connection.run(), name=f"pylive-test {self.url}")
        self._finalizer = weakref.finalize(self, shutdown, self._loop, self._task, self.transport)

    def keydown(self, key: str) -> str:
        """Press ``key`` on the window: every ``phx-window-keydown`` binding whose ``phx-key``
        matches gets an event. Returns the new render."""
        return self._window_key("keydown", key)

    def keyup(self, key: str) -> str:
        """Release ``key`` on the window (``phx-window-keyup`` bindings)."""
        return self._window_key("keyup", key)

    def send(self, msg: Any) -> str:
        """Deliver ``msg`` to the view's ``handle_info`` and process it; returns the new render."""
        self._run(self._deliver(msg))
        return self._html()

    def sleep(self, ms: float) -> str:
        """Let ``ms`` milliseconds pass for the server and the client: the event loop runs for
        that long in real time (``send_after`` timers fire) and the client clock moves with it
        (debounced and throttled events go when their time comes). Returns the new render."""
        if ms < 0:
            raise ValueError(f"sleep(ms): expected ms >= 0, got {ms!r}")
        self._sync()
        self._browser.advance(ms, lambda step: self._run(self._sleep(step)))
        return self._html()

    def render_async(self, timeout: float = 1.0) -> str:
        """Wait (``timeout`` seconds at most) until the view's background work
        (``assign_async``, ``start_async``) has finished and what it changed has rendered;
        returns the render. Fails naming the jobs still running when time is up."""
        self._sync()
        self._run(self._until_async_done(timeout))
        return self._html()

    async def _until_async_done(self, timeout: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            await self._settle()
            live = self.connection.live
            if live is None or live.tasks.idle:
                return
            if loop.time() > deadline:
                running = ", ".join(f"{kind} {name!r}" for _, kind, name in live.tasks.running)
                raise AssertionError(
                    f"render_async: after {timeout} s the view's async work still runs: {running}"
                )
            await asyncio.sleep(0.002)

    def advance(self, ms: float) -> str:
        """Move the client clock ``ms`` milliseconds forward at once, with no real wait:
        debounced and throttled events go when their time comes; the server's timers do not
        run (``sleep`` does both). Returns the new render."""
        if ms < 0:
            raise ValueError(f"advance(ms): expected ms >= 0, got {ms!r}")
        self._sync()
        self._browser.advance(ms)
        return self._html()

    def click_away(self) -> str:
        """Click outside every element of the view: each visible element's ``phx-click-away``
        runs. Returns the new render."""
        self._sync()
        page = self._page()
        if not page.having("phx-click-away"):
            raise AssertionError(f"no element has phx-click-away in the page:\n{page.pretty()}")
        self._browser.click(None, {})
        return self._html()

    def window_focus(self) -> str:
        """The browser window gains focus: every ``phx-window-focus`` binding runs."""
        return self._window("focus")

    def window_blur(self) -> str:
        """The browser window loses focus: every ``phx-window-blur`` binding runs."""
        return self._window("blur")

    def focused(self) -> ElementProxy | None:
        """The element that has focus in the test client (``element(...).focus()``, or
        ``JS.focus``/``focus_first``/``pop_focus``), or None."""
        self._sync()
        token = self._browser.state.focused
        page = self._page()
        el = None if token is None else page.by_token.get(token)
        if el is None:
            return None
        dom_id = el.get("id")
        name = f"#{dom_id}" if dom_id else _dom.opening_tag(page.origin[el])
        return ElementProxy(self, name, token=token)

    def close(self) -> None:
        """Leave: the view's ``terminate("closed")`` runs, its timers are cancelled."""
        if self.closed:
            return
        self.closed = True
        self._finalizer.detach()
        error = shutdown(self._loop, self._task, self.transport, self._errors)
        while not self.transport.outbox.empty():
            item = self.transport.outbox.get_nowait()
            if item is not CLOSED:
                self._receive(item)  # type: ignore[arg-type]
        if error is not None:
            raise error

    # -- events -----------------------------------------------------------------------------------

    def _event(
        self,
        kind: str,
        event: str,
        value: Any,
        target: str | None = None,
        cid: int | None = None,
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        frame: dict[str, Any] = {
            "type": MSG_EVENT,
            "ref": self._next_ref(),
            "kind": kind,
            "event": event,
            "value": value,
        }
        if target is not None:
            frame["target"] = target
        if cid is not None:
            frame["cid"] = cid
        if extra:
            frame.update(extra)
        reply: dict[str, Any] | None = self._run(self._exchange(frame))
        if reply is None:
            raise AssertionError(f"no reply to {frame!r}")
        if KEY_ERROR in reply:
            raise AssertionError(f"the server refused {frame!r}: {reply[KEY_ERROR]}")
        self.last_reply = reply.get(KEY_REPLY)
        return reply

    def _window_key(self, kind: str, key: str) -> str:
        self._browser.window_key(kind, key, self._bound(f"phx-window-{kind}"))
        return self._html()

    def _window(self, kind: str) -> str:
        self._browser.window(kind, self._bound(f"phx-window-{kind}"))
        return self._html()

    def _bound(self, attribute: str) -> list[LxmlElement]:
        self._sync()
        page = self._page()
        bound = page.having(attribute)
        if not bound:
            raise AssertionError(f"no element has {attribute} in the page:\n{page.pretty()}")
        return bound

    def _push(self, push: Push) -> None:
        """Send one event a JS chain pushed."""
        self._event(push.kind, push.event, push.value, push.target, push.cid)

    # -- the loop ---------------------------------------------------------------------------------

    def _next_ref(self) -> int:
        self._ref += 1
        return self._ref

    # -- navigation -------------------------------------------------------------------------------

    @property
    def path(self) -> str:
        """The page's path and query now (a live patch or navigation changes it)."""
        split = urlsplit(self.url)
        return split.path + (f"?{split.query}" if split.query else "")

    def render_patch(self, path: str) -> str:
        """Go to ``path`` in this view, as a ``link(patch=...)`` click or the browser's back
        button does: the view's ``handle_params`` runs (no mount); returns the new render."""
        return self._go("patch", path, False)

    def navigate(self, path: str) -> str:
        """Go to ``path`` as a ``link(navigate=...)`` click does: its view is mounted on this
        connection when it is in the same live session (``follow_redirect`` when the server
        answered with a page load instead); returns the new render."""
        return self._go("navigate", path, False)

    def follow_redirect(self, *, connect: bool = True) -> LiveViewClient:
        """The page a redirect (``socket.redirect``, or a navigation to another live session)
        sent the browser to: that route opened with ``live()``, with this view's session. This
        view is closed."""
        self._sync()
        to = self.redirected_to
        if to is None:
            raise AssertionError(f"{self!r} was not redirected; nothing to follow")
        self.close()
        split = urlsplit(self.url)
        base = f"{split.scheme}://{split.netloc}"
        return live(self.app, to, session=self.session, timeout=self.timeout, base_url=base)

    def _js_go(self, go: Navigation) -> None:
        """A ``JS.navigate``/``JS.patch`` the page ran: its live navigation (recorded already
        for ``assert_navigate``/``assert_patch``); none once the page is loading another one."""
        if self.redirected_to is None:
            self._go(go.kind, go.href, go.replace, record=False)

    def _go(self, kind: str, path: str, replace: bool, *, record: bool = True) -> str:
        if not isinstance(path, str) or not path.startswith("/"):
            raise ValueError(f"{kind}: expected a local path like '/items?page=2', got {path!r}")
        url = urljoin(self.url, path)
        frame = {"type": MSG_NAVIGATE, "ref": self._next_ref(), "url": url, "kind": kind}
        reply: dict[str, Any] | None = self._run(self._exchange(frame))
        if reply is None:
            raise AssertionError(f"no reply to {frame!r}")
        if KEY_ERROR in reply:
            raise AssertionError(f"the server refused {frame!r}: {reply[KEY_ERROR]}")
        if record:
            self.navigations.append(Navigation(kind, path, replace))
        if reply.get("type") != MSG_REDIRECT:
            self.url = url
            self._browser.path = urlsplit(url).path or "/"
        return self._html()

    def _join(self) -> None:
        frame = {"type": MSG_JOIN, "ref": self._next_ref(), "token": self.token, "url": self.url}
        reply = self._run(self._exchange(frame))
        if reply is not None and reply.get("type") == MSG_REDIRECT:
            raise Redirected(self.url, str(reply.get("to")), connected=True)
        if reply is None or KEY_TREE not in reply:
            raise AssertionError(f"the join was refused: {reply!r}")

    def _run(self, coro: Coroutine[Any, Any, Any]) -> Any:
        if self.closed:
            coro.close()
            raise AssertionError(f"{self!r} is closed")
        logger = logging.getLogger("pylive")
        logger.addHandler(self._errors)
        try:
            result = run_sync(self._loop, coro, f"{self!r}")
        finally:
            logger.removeHandler(self._errors)
        crash = self._crash
        if crash is not None:
            self._crash = None
            self._raise_crash(crash)
        self._errors.records.clear()
        self._browser.flush()
        return result

    def _raise_crash(self, frame: dict[str, Any]) -> None:
        records = [r for r in self._errors.records if r.exc_info]
        self._errors.records.clear()
        if frame.get("type") == MSG_RELOAD:
            message = f"the server gave up on the view and asked for a reload: {frame!r}"
        else:
            message = f"the live view crashed: {frame!r}"
        cause = None
        if records:
            record = records[-1]
            cause = record.exc_info[1] if record.exc_info else None
            message = f"{record.getMessage()}\n    {type(cause).__name__}: {cause}\n{message}"
        raise ViewCrashed(message, frame) from cause

    def _sync(self) -> None:
        if not self.closed:
            self._run(self._settle())

    def _html(self) -> str:
        return render_html(Fragment(self._nodes()))

    async def _exchange(self, frame: dict[str, Any]) -> dict[str, Any] | None:
        """Send ``frame``, process frames until its answer, then let started work finish."""
        ref = frame["ref"]
        return await self._send_until(
            orjson.dumps(frame).decode(), lambda answer: answer.get("ref") == ref, repr(frame)
        )

    async def _exchange_chunk(self, data: bytes, token: str) -> dict[str, Any] | None:
        """Send an upload chunk (a binary frame), process frames until its ack or error."""

        def acks(frame: dict[str, Any]) -> bool:
            return frame.get("token") == token and frame.get("type") in UPLOAD_ANSWERS

        return await self._send_until(data, acks, "an upload chunk")

    async def _send_until(
        self, payload: str | bytes, answers: Callable[[dict[str, Any]], bool], what: str
    ) -> dict[str, Any] | None:
        """Send ``payload``, process frames until one ``answers`` it (None if the server asks
        for a reload first), then let started work finish."""
        self.transport.inbox.put_nowait(payload)
        try:
            async with asyncio.timeout(self.timeout):
                while True:
                    item = await self._next_frame()
                    if item is CLOSED:
                        raise AssertionError(
                            f"the server closed the connection ({self.transport.close_code} "
                            f"{self.transport.close_reason}) instead of answering {what}"
                        )
                    frame: dict[str, Any] = item  # type: ignore[assignment]
                    done = answers(frame)
                    self._receive(frame, done and "ref" in frame)  # a reply acknowledges
                    if done:
                        break
                    if frame.get("type") == MSG_RELOAD:
                        return None
        except TimeoutError:
            raise AssertionError(f"no answer to {what} within {self.timeout}s") from None
        await self._settle()
        return frame

    async def _next_frame(self) -> dict[str, Any] | Closed:
        outbox = self.transport.outbox
        if not outbox.empty():
            return outbox.get_nowait()
        if self._task.done():
            self._task.result()  # raises what the connection loop raised
            return CLOSED
        getter = asyncio.ensure_future(outbox.get())
        await asyncio.wait({getter, self._task}, return_when=asyncio.FIRST_COMPLETED)
        if getter.done():
            return getter.result()
        getter.cancel()
        self._task.result()
        return CLOSED

    async def _settle(self) -> None:
        """Run the loop until the connection is idle (its reader and worker wait, timers
        aside), then take every frame the server sent meanwhile. Work in a worker thread (a
        blocking callback) is waited for, within the client's timeout."""
        me = asyncio.current_task()
        connection = self.connection
        ours = {me, self._task, connection.worker}
        deadline = asyncio.get_running_loop().time() + self.timeout
        rounds = 0
        while True:
            await asyncio.sleep(0)
            rounds += 1
            if connection.idle and all(task in ours for task in asyncio.all_tasks()):
                break
            if rounds >= SETTLE_ROUNDS:
                if connection.idle or asyncio.get_running_loop().time() > deadline:
                    break
                await asyncio.sleep(0.001)  # a worker thread is running: give it time
        outbox = self.transport.outbox
        while not outbox.empty():
            item = outbox.get_nowait()
            if item is not CLOSED:
                self._receive(item)  # type: ignore[arg-type]

    async def _deliver(self, msg: Any) -> None:
        live = self.connection.live
        if self._task.done():
            raise AssertionError(
                f"cannot send {msg!r}: the view is disconnected (disconnect()); rejoin() first"
            )
        if live is None:
            raise AssertionError(f"cannot send {msg!r}: no live view is joined (crashed or closed)")
        await self.connection.info(live, msg)
        await self._settle()

    async def _sleep(self, ms: float) -> None:
        await asyncio.sleep(ms / 1000)
        await self._settle()

    def _receive(self, frame: dict[str, Any], answer: bool = False) -> None:
        """Apply one server frame to the page, as ``client.js`` does (``answer``: the reply to
        the event being sent, which acknowledges a submit)."""
        self.frames.append(frame)
        if KEY_TREE in frame:
            inserts = [[OP_INSERT, [], i, node] for i, node in enumerate(frame[KEY_TREE])]
            self._browser.receive_tree(list(top_level(apply(inserts, None))))
        if KEY_OPS in frame:
            self._browser.receive_ops(frame[KEY_OPS])
        if answer and KEY_TREE not in frame:
            self._browser.answered()
        if KEY_OPS in frame or answer:
            self._browser.check_triggers()
        if KEY_TITLE in frame:
            self.title = frame[KEY_TITLE]
        if KEY_TOKEN in frame:  # a live navigation mounted another view: it rejoins with this
            self.token = frame[KEY_TOKEN]
        nav = frame.get(KEY_NAV)
        if isinstance(nav, dict):  # push_patch / push_navigate: the browser's URL follows
            to = str(nav.get("to"))
            self.navigations.append(Navigation(str(nav.get("kind")), to, bool(nav.get("replace"))))
            self.url = urljoin(self.url, to)
            self._browser.path = urlsplit(self.url).path or "/"
        for name, payload in frame.get(KEY_EVENTS, ()):
            self.pushed.append((name, payload))
        kind = frame.get("type")
        if kind == MSG_REDIRECT:
            self.redirected_to = frame.get("to")
        elif kind == MSG_RELOAD or (kind == MSG_ERROR and frame.get("reason") == "crash"):
            self._crash = frame
            self._browser.crashed()


# -- entry point ----------------------------------------------------------------------------------


@overload
def live(
    app: App,
    path: str,
    *,
    session: Mapping[str, Any] | None = None,
    flash: Mapping[str, str] | None = None,
    connect: Literal[True] = True,
    timeout: float = 5.0,
    base_url: str = DEFAULT_BASE_URL,
) -> LiveViewClient: ...


@overload
def live(
    app: App,
    path: str,
    *,
    session: Mapping[str, Any] | None = None,
    flash: Mapping[str, str] | None = None,
    connect: Literal[False],
    timeout: float = 5.0,
    base_url: str = DEFAULT_BASE_URL,
) -> StaticRender: ...


@overload
def live(
    app: App,
    path: str,
    *,
    session: Mapping[str, Any] | None = None,
    flash: Mapping[str, str] | None = None,
    connect: bool,
    timeout: float = 5.0,
    base_url: str = DEFAULT_BASE_URL,
) -> LiveViewClient | StaticRender: ...


def live(
    app: App,
    path: str,
    *,
    session: Mapping[str, Any] | None = None,
    flash: Mapping[str, str] | None = None,
    connect: bool = True,
    timeout: float = 5.0,
    base_url: str = DEFAULT_BASE_URL,
) -> LiveViewClient | StaticRender:
    """Render ``path`` of ``app`` over "HTTP", then (``connect=True``) join it live.

    ``session`` is what the server's session would hold (it reaches ``mount``); ``flash`` the
    messages a redirect brought (the flash cookie: shown on both renders). ``timeout``
    bounds every wait for the server. Fails with ``LookupError`` when no route matches, with
    ``Redirected`` when ``mount`` or ``handle_params`` redirects (on either render) and with
    ``AssertionError`` when the join is refused.
    """
    if not path.startswith("/"):
        raise ValueError(f"live(app, path): expected a path starting with '/', got {path!r}")
    return open_live(app, path, session, connect, timeout, base_url, LiveViewClient, flash)


ClientFactory = Callable[[App, str, DeadRender, asyncio.AbstractEventLoop, float], LiveViewClient]
"""Makes the live client of a joined page: ``LiveViewClient`` or a subclass of it."""


def open_live(
    app: App,
    path: str,
    session: Mapping[str, Any] | None,
    connect: bool,
    timeout: float,
    base_url: str,
    factory: ClientFactory,
    flash: Mapping[str, str] | None = None,
) -> LiveViewClient | StaticRender:
    """``live()``'s work, with the live client made by ``factory`` (``live_isolated``'s)."""
    url = base_url.rstrip("/") + path
    split = urlsplit(url)
    found = app.match(split.path)
    if found is None:
        known = ", ".join(repr(route.pattern) for route in app.routes) or "none"
        raise LookupError(f"no live route matches {split.path!r} (routes: {known})")
    route, params = found
    loop = asyncio.new_event_loop()
    try:
        render = dead_render(
            app, route, params, url, dict(session or {}), check=True, flash=dict(flash or {})
        )
        dead = run_sync(loop, render, f"live({path!r})")
    except BaseException:
        loop.close()
        raise
    if dead.redirect is not None:
        loop.close()
        raise Redirected(url, dead.redirect, connected=False)
    if not connect:
        loop.close()
        return StaticRender(dead, url)
    view = factory(app, url, dead, loop, timeout)
    view.session = dict(session or {})
    try:
        view._join()
    except BaseException:
        view.close()
        raise
    return view
