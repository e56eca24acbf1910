"""The test client's browser side: the page as the browser holds it, and what a user's actions
run there before anything reaches the server.

``Browser`` keeps the server's tree (patched by every frame), the identity of each element
(``_identity``), what JS commands left on them (``_sticky``), the client clock and rate limits
(``_clock``), and what ``dispatch``, ``navigate`` and ``patch`` did. Each user action (a click, a
key, a form change …) runs the chains of the bindings it triggers (``_js.Runner``), then sends
the events they pushed, in order; lifecycle bindings run when the page changes: ``phx-mounted``
for each element a join or a patch adds, ``phx-remove`` for each element a patch removes (on the
page as it was before, since the element is gone after), ``phx-connected`` after each join,
``phx-disconnected`` when the test disconnects.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

from pylive.apply import apply
from pylive.node import Fragment, Node, top_level
from pylive.protocol import (
    OP_HTML,
    OP_REMOVE,
    OP_REPLACE,
    OP_STREAM_DELETE,
    OP_STREAM_INSERT,
    OP_STREAM_RESET,
)
from pylive.testing import _dom
from pylive.testing._clock import DEBOUNCE, THROTTLE, Clock, Limit, RateLimits, limit_of
from pylive.testing._dom import LxmlElement, Page
from pylive.testing._identity import Slots
from pylive.testing._js import Dispatched, Event, Navigation, Push, Runner
from pylive.testing._sticky import ClientState, hidden

LIFECYCLE_ROUNDS: Final = 100
"""Rounds of lifecycle bindings (``phx-mounted`` pushing an event whose render mounts more …)
one call may run before the client calls it a loop."""
REMOVING: Final = frozenset(
    {OP_REMOVE, OP_REPLACE, OP_HTML, OP_STREAM_DELETE, OP_STREAM_RESET, OP_STREAM_INSERT}
)
CLICK_AWAY: Final = "phx-click-away"
HOOK: Final = "hook"
"""The event kind of what lifecycle bindings push."""

Send = Callable[[Push], None]


def values_payload(page: Page, el: LxmlElement) -> dict[str, Any]:
    """A click, focus, blur or lifecycle event's payload (``phx-value-*`` and the value)."""
    return _dom.event_values(el)


def window_payload(page: Page, el: LxmlElement) -> dict[str, Any]:
    """A window binding's payload: only ``phx-value-*``, as ``client.js`` sends it."""
    return _dom.phx_values(el)


def form_payload(page: Page, el: LxmlElement) -> list[list[str]]:
    """A form event's payload from an element that is not the one the test acted on (an
    ``exec``'s target): its form's fields, or a control's own."""
    if el.tag == "form":
        return _dom.serialize(_dom.form_fields(page, el))
    form = next(iter(el.iterancestors("form")), None)
    if form is None:
        return []
    return [[f.name, v] for f in _dom.form_fields(page, form) if f.el is el for v in f.values]


def default_payload(kind: str, key: str | None = None) -> Callable[[Page, LxmlElement], Any]:
    """What a plain event of ``kind`` sends from an element."""
    if kind in ("change", "submit"):
        return form_payload
    if key is not None:
        return lambda page, el: {"key": key, **_dom.event_values(el)}
    return values_payload


def with_source(
    token: int, own: Callable[[Page, LxmlElement], Any], other: Callable[[Page, LxmlElement], Any]
) -> Callable[[Page, LxmlElement], Any]:
    """``own`` for the source element ``token``, ``other`` for any other (an exec's target)."""

    def payload(page: Page, el: LxmlElement) -> Any:
        return own(page, el) if page.token_of.get(el) == token else other(page, el)

    return payload


class Browser:
    """The page as the browser holds it; see the module's docstring."""

    def __init__(self, nodes: Sequence[Node], send: Send) -> None:
        self.nodes: list[Node] = list(nodes)
        """The server's tree, patched by each frame (without client-side state)."""
        self.slots = Slots()
        self.joined = False
        self.state = ClientState()
        self.clock = Clock()
        self.limits = RateLimits(self.clock)
        self.dispatched: list[Dispatched] = []
        self.navigations: list[Navigation] = []
        self.connected = True
        self._send = send
        self._cache: tuple[list[Node], int, Page] | None = None
        self._lifecycle: list[Callable[[], None]] = []
        self._flushing = False
        self._runner: Runner | None = None

    # -- the page -------------------------------------------------------------------------------

    def page(self) -> Page:
        """The page with every element's client-side state laid over the server's tree."""
        cached = self._cache
        version = self.state.version
        if cached is not None and cached[0] is self.nodes and cached[1] == version:
            return cached[2]
        if self.joined:
            roots = self.slots.roots
            page = Page(self.state.overlay(self.nodes, roots), roots)
        else:
            page = Page(self.nodes)
        self._cache = (self.nodes, version, page)
        return page

    def token(self, el: LxmlElement, action: str) -> int:
        """The identity of ``el``, which an action is about to use."""
        page = self.page()
        token = page.token_of.get(el)
        if token is None:
            raise AssertionError(
                f"cannot {action}: the element is inside raw HTML, which the test client does "
                f"not address (only elements built as pylive nodes are):\n{page.describe(el)}"
            )
        return token

    def receive_tree(self, nodes: list[Node]) -> None:
        """A join render, the whole tree anew: every ``phx-mounted`` runs, then each
        ``phx-connected``."""
        self.nodes = self.slots.join(self.nodes if self.joined else [], nodes)
        self.joined = True
        self.connected = True
        self.state.freeze_ignored(self.nodes, self.slots.roots)
        self._forget()
        self._lifecycle.append(self._joined)

    def receive_ops(self, ops: list[list[Any]]) -> None:
        """A patch: apply it; queue ``phx-remove`` of the removed elements (on the page as it was)
        and ``phx-mounted`` of the added ones."""
        before = self.page() if self.joined and any(op[0] in REMOVING for op in ops) else None
        self.nodes = list(top_level(apply(ops, Fragment(self.nodes))))
        if not self.joined:
            return
        added, removed = self.slots.patch(ops)
        self.state.freeze_ignored(self.nodes, self.slots.roots)
        if removed:
            self._forget()
        if before is not None:
            for slot in removed:
                el = before.by_token.get(slot.token)
                if el is not None and el.get("phx-remove") is not None:
                    self._lifecycle.append(self._lifecycle_run(slot.token, "phx-remove", before))
        for slot in added:
            for one in slot.walk():
                self._lifecycle.append(self._lifecycle_run(one.token, "phx-mounted"))

    def _forget(self) -> None:
        alive = self.slots.tokens()
        self.state.prune(alive)
        self.limits.forget(alive)

    # -- running chains -------------------------------------------------------------------------

    def act(self, body: Callable[[Runner], None]) -> None:
        """Run ``body``'s chains as one user action, then send what they pushed. Nested in
        another action (a rate limit letting it through at once), it joins that action."""
        if self._runner is not None:
            body(self._runner)
            return
        runner = self._runner = Runner(self)
        try:
            body(runner)
        finally:
            self._runner = None
        self.send_pushes(runner)

    def send_pushes(self, runner: Runner) -> None:
        for push in runner.pushes:
            if self.connected:
                self._send(push)
        self.run_due()

    def run_binding(self, runner: Runner, token: int, attribute: str, event: Event) -> None:
        """Run the ``attribute`` binding of the element ``token`` (if it is still there)."""
        el = self.page().by_token.get(token)
        if el is not None and el.get(attribute) is not None:
            runner.run(str(el.get(attribute)), token, event, attribute)

    def limited(
        self,
        token: int,
        attribute: str,
        event: Event,
        *,
        control: int | None = None,
        holder: int | None = None,
        trailing: bool = False,
        signature: object = None,
    ) -> None:
        """Run the ``attribute`` binding of the element ``token`` now, later or never, as the
        ``phx-debounce`` or ``phx-throttle`` of ``control`` (the element acted on, default the
        bound one), else of its form ``holder``, says. The rate limit is kept per ``control``;
        ``holder``'s submit runs what it holds back."""
        page = self.page()
        key = token if control is None else control
        control_el = page.by_token[key]
        limit = self.limit(control_el, None if holder is None else page.by_token.get(holder))

        def run() -> None:
            self.act(lambda runner: self.run_binding(runner, token, attribute, event))

        self.limits.run(
            (key, attribute), limit, run, trailing=trailing, signature=signature, form=holder
        )

    def limit(self, el: LxmlElement, holder: LxmlElement | None = None) -> Limit | None:
        pairs = [(el.get(DEBOUNCE), el.get(THROTTLE))]
        if holder is not None and holder is not el:
            pairs.append((holder.get(DEBOUNCE), holder.get(THROTTLE)))
        return limit_of(pairs, lambda: self.page().describe(el))

    # -- lifecycle ------------------------------------------------------------------------------

    def _joined(self) -> None:
        page = self.page()
        for attribute in ("phx-mounted", "phx-connected"):
            tokens = [
                page.token_of[el] for el in page.select(f"[{attribute}]") if el in page.token_of
            ]
            for token in tokens:
                self._lifecycle_run(token, attribute)()

    def _lifecycle_run(
        self, token: int, attribute: str, page: Page | None = None
    ) -> Callable[[], None]:
        def run() -> None:
            current = page or self.page()
            el = current.by_token.get(token)
            if el is None or el.get(attribute) is None:
                return
            runner = Runner(self, None if page is None else (lambda: page))
            runner.run(str(el.get(attribute)), token, Event(HOOK, values_payload), attribute)
            self.send_pushes(runner)

        return run

    def disconnected(self) -> None:
        """The connection dropped: every ``phx-disconnected`` runs (its pushes go nowhere)."""
        self.connected = False
        page = self.page()
        for el in page.select("[phx-disconnected]"):
            if el in page.token_of:
                self._lifecycle.append(self._lifecycle_run(page.token_of[el], "phx-disconnected"))

    def flush(self) -> None:
        """Run the lifecycle bindings the last frames queued (and those their pushes queue)."""
        if self._flushing:
            return
        self._flushing = True
        try:
            for _ in range(LIFECYCLE_ROUNDS):
                if not self._lifecycle:
                    return
                batch, self._lifecycle = self._lifecycle, []
                for run in batch:
                    run()
            self._lifecycle.clear()
            raise AssertionError(
                f"lifecycle bindings (phx-mounted, phx-remove …) kept running for "
                f"{LIFECYCLE_ROUNDS} rounds: each push re-renders elements whose bindings push "
                "again"
            )
        finally:
            self._flushing = False

    # -- the clock ------------------------------------------------------------------------------

    def run_due(self) -> None:
        """Run the client timers that are due now (a ``phx-debounce="0"``)."""
        self.advance(0)

    def advance(self, ms: float, wait: Callable[[float], None] | None = None) -> None:
        """Move the client clock ``ms`` forward, running each timer when its time comes;
        ``wait(ms)`` lets the server's loop run for that long between them."""
        until = self.clock.now + ms
        while True:
            due = self.clock.next_due()
            if due is None or due > until:
                break
            if wait is not None and due > self.clock.now:
                wait(due - self.clock.now)
            timer = self.clock.pop_due(until)
            if timer is not None:
                timer.action()
        if wait is not None and until > self.clock.now:
            wait(until - self.clock.now)
        self.clock.now = until

    # -- user actions ---------------------------------------------------------------------------

    def click_aways(self, page: Page, clicked: LxmlElement | None) -> list[LxmlElement]:
        """The visible ``phx-click-away`` elements that do not contain ``clicked``."""
        return [
            el
            for el in page.select(f"[{CLICK_AWAY}]")
            if el in page.token_of
            and not hidden(el)
            and (clicked is None or (el is not clicked and el not in clicked.iterancestors()))
        ]

    def click(self, el: LxmlElement | None, value: dict[str, Any]) -> None:
        """A click on ``el`` (None: outside every element): the click-aways, then its phx-click."""
        page = self.page()
        aways = [page.token_of[away] for away in self.click_aways(page, el)]
        token = None if el is None or el.get("phx-click") is None else self.token(el, "click")

        def body(runner: Runner) -> None:
            for away in aways:
                self.run_binding(runner, away, CLICK_AWAY, Event("click", values_payload))
            if token is not None:
                own = with_source(
                    token, lambda p, e: {**_dom.event_values(e), **value}, values_payload
                )
                self.limited(token, "phx-click", Event("click", own))

        self.act(body)

    def dispatch_click(self, runner: Runner, token: int) -> None:
        """``JS.dispatch("click")``: a real click on the element, as the browser makes it."""
        page = self.page()
        el = page.by_token.get(token)
        if el is None:
            return
        aways = [page.token_of[away] for away in self.click_aways(page, el)]
        bound = el if el.get("phx-click") is not None else _dom.closest_with(el, "phx-click")
        for away in aways:
            self.run_binding(runner, away, CLICK_AWAY, Event("click", values_payload))
        if bound is not None and bound in page.token_of:
            event = Event("click", values_payload)
            self.run_binding(runner, page.token_of[bound], "phx-click", event)

    def key(self, el: LxmlElement, kind: str, key: str) -> None:
        """A key event on ``el`` (``phx-keydown``/``phx-keyup``, already filtered by phx-key)."""
        token = self.token(el, kind)
        event = Event(kind, default_payload(kind, key))
        self.act(lambda runner: self.limited(token, f"phx-{kind}", event))

    def window_key(self, kind: str, key: str, bound: list[LxmlElement]) -> None:
        """``phx-window-keydown`` / ``phx-window-keyup``: each binding whose phx-key matches."""
        attribute = f"phx-window-{kind}"
        page = self.page()
        tokens = [page.token_of[el] for el in bound if _dom.key_matches(el, key)]

        def payload(page: Page, el: LxmlElement) -> dict[str, Any]:
            return {"key": key, **_dom.phx_values(el)}

        def body(runner: Runner) -> None:
            for token in tokens:
                self.limited(token, attribute, Event(kind, payload))

        self.act(body)

    def window(self, kind: str, bound: list[LxmlElement]) -> None:
        """``phx-window-focus`` / ``phx-window-blur``: every binding runs."""
        attribute = f"phx-window-{kind}"
        page = self.page()
        tokens = [page.token_of[el] for el in bound if el in page.token_of]

        def body(runner: Runner) -> None:
            for token in tokens:
                self.run_binding(runner, token, attribute, Event(kind, window_payload))

        self.act(body)

    def focus(self, el: LxmlElement, value: dict[str, Any]) -> None:
        """Focus ``el``, then run its ``phx-focus``."""
        token = self.token(el, "focus")
        self.state.focused = token
        self.state.version += 1
        own = with_source(token, lambda p, e: {**_dom.event_values(e), **value}, values_payload)
        self.act(lambda runner: self.run_binding(runner, token, "phx-focus", Event("focus", own)))

    def blur(self, el: LxmlElement, value: dict[str, Any]) -> None:
        """``el`` loses focus: its pending debounced events go, then its ``phx-blur`` runs."""
        token = self.token(el, "blur")
        if self.state.focused == token:
            self.state.focused = None
            self.state.version += 1
        self.limits.blur(token)
        own = with_source(token, lambda p, e: {**_dom.event_values(e), **value}, values_payload)
        self.act(lambda runner: self.run_binding(runner, token, "phx-blur", Event("blur", own)))
