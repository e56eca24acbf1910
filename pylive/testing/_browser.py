"""The test client's browser side: the page as the browser holds it, and what a user's actions
run there before anything reaches the server.

``Browser`` keeps the server's tree (patched by every frame), the identity of each element
(``_identity``), what JS commands left on them (``_sticky``), the client clock and rate limits
(``_clock``), and what ``dispatch``, ``navigate`` and ``patch`` did. Each user action (a click, a
key, a form change …) runs the chains of the bindings it triggers (``_js.Runner``), then sends
the events they pushed, in order. Lifecycle bindings run when the page changes, as in
``client.js``: ``phx-mounted`` for each element a join or a patch adds (a rejoin skips elements
with an id that were mounted before), ``phx-remove`` for each element a patch removes and for the
elements inside it (on the page as it was before the patch), ``phx-connected`` after each join
and ``phx-disconnected`` when the view crashes or the test disconnects. Their pushes send
``hook`` events with the element's ``phx-value-*``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

from pylive.node import Element, Fragment, Memo, Node, top_level
from pylive.protocol import (
    OP_APPEND,
    OP_HTML,
    OP_PREPEND,
    OP_REMOVE,
    OP_REPLACE,
    OP_STREAM_DELETE,
    OP_STREAM_INSERT,
    OP_STREAM_RESET,
)
from pylive.testing import _dom
from pylive.testing import _form_state as forms
from pylive.testing._apply import apply
from pylive.testing._clock import DEBOUNCE, THROTTLE, Clock, Limit, RateLimits, limit_of
from pylive.testing._dom import LxmlElement, Page
from pylive.testing._identity import Slots
from pylive.testing._js import Dispatched, Event, Navigation, Payload, Push, Runner
from pylive.testing._sticky import ClientState, hidden

LIFECYCLE_ROUNDS: Final = 100
"""Rounds of lifecycle bindings (``phx-mounted`` pushing an event whose render mounts more …)
one call may run before the client calls it a loop."""
REMOVING: Final = frozenset(
    {
        OP_REMOVE,
        OP_REPLACE,
        OP_HTML,
        OP_STREAM_DELETE,
        OP_STREAM_RESET,
        OP_STREAM_INSERT,
        OP_APPEND,
        OP_PREPEND,
    }
)
CLICK: Final = "phx-click"
CLICK_AWAY: Final = "phx-click-away"
HOOK: Final = "hook"
"""The event kind of what lifecycle bindings push."""
VALUE_ELEMENTS: Final = frozenset(
    {"input", "select", "textarea", "option", "output", "li", "meter", "progress", "param", "data"}
)
"""Elements with a DOM ``value`` a user changes: a throttle sends their last value at the end of
the interval (``rate_limit.mjs``'s ``hasValue``; a button's value is not the user's)."""

Send = Callable[[Push], None]


def values_payload(page: Page, el: LxmlElement) -> dict[str, Any]:
    """A focus, blur or key event's payload (``phx-value-*`` and the value)."""
    return _dom.event_values(el)


def click_payload(page: Page, el: LxmlElement) -> dict[str, Any]:
    """A click's payload: ``values_payload``, a checkbox or radio checked (a checkbox: toggled)
    first, as the browser does before the click's listeners run."""
    return _dom.event_values(el, _dom.checked_after_click(el))


def phx_values_payload(page: Page, el: LxmlElement) -> dict[str, Any]:
    """The payload of a window, click-away or lifecycle binding: only ``phx-value-*``."""
    return _dom.phx_values(el)


def form_payload(page: Page, el: LxmlElement) -> list[list[str]]:
    """A form event's payload from an element the test did not act on (an ``exec``'s target, a
    dispatched event): a form's fields, or a control's own."""
    if el.tag == "form":
        return _dom.serialize(_dom.form_fields(page, el))
    return _dom.control_pairs(el)


def change_payload(page: Page, el: LxmlElement) -> list[list[str]]:
    """``form_payload`` of a ``phx-change``: with the ``_unused_*`` markers."""
    if el.tag == "form":
        return forms.change_pairs(page, el)
    return forms.control_change_pairs(page, el)


def checked_payload(token: int, checked: bool) -> Payload:
    """``change_payload`` with the checkbox or radio ``token`` checked or not (a click's)."""

    def payload(page: Page, el: LxmlElement) -> list[list[str]]:
        control = page.by_token.get(token)
        if control is None:
            return change_payload(page, el)
        if el.tag != "form":
            return forms.control_change_pairs(page, el, checked if el is control else None)
        fields = _dom.form_fields(page, el)
        _dom.set_checked(fields, control, checked)
        return forms.with_unused(page, forms.form_controls(page, el), _dom.serialize(fields))

    return payload


def fixed(pairs: list[list[str]]) -> Payload:
    """A payload saved beforehand (a recovery's), whatever the page holds when it goes."""
    return lambda page, el: [list(pair) for pair in pairs]


def key_payload(key: str) -> Payload:
    return lambda page, el: {"key": key, **_dom.event_values(el)}


def with_source(token: int, own: Payload, other: Payload) -> Payload:
    """``own`` for the source element ``token``, ``other`` for any other (an exec's target)."""

    def payload(page: Page, el: LxmlElement) -> Any:
        return own(page, el) if page.token_of.get(el) == token else other(page, el)

    return payload


def merged(value: dict[str, Any], base: Payload = values_payload) -> Payload:
    """``base`` with the test's ``value`` (``click({...})``) merged over it."""
    return lambda page, el: {**base(page, el), **value}


def _any_attribute(nodes: Sequence[Node], names: tuple[str, ...]) -> bool:
    """Whether an element of ``nodes`` (descendants included) has one of the attributes."""
    for node in nodes:
        if type(node) is Memo:
            node = node.resolve()
        if type(node) is Element:
            if any(name in node.attrs for name in names):
                return True
            if not node.raw and _any_attribute(node.children, names):
                return True
    return False


class Browser:
    """The page as the browser holds it; see the module's docstring."""

    def __init__(
        self,
        nodes: Sequence[Node],
        send: Send,
        go: Callable[[Navigation], None] | None = None,
    ) -> None:
        self.nodes: list[Node] = list(nodes)
        """The server's tree, patched by each frame (without client-side state)."""
        self.slots = Slots()
        self.joined = False
        self.state = ClientState()
        self.clock = Clock()
        self.limits = RateLimits(self.clock)
        self.dispatched: list[Dispatched] = []
        self.navigations: list[Navigation] = []
        self.connected = False
        self._send = send
        self._go = go
        """Makes a live navigation a ``JS.navigate``/``JS.patch`` asked for (the test client)."""
        self._cache: tuple[list[Node], int, Page] | None = None
        self._lifecycle: list[Callable[[], None]] = []
        self._flushing = False
        self._runner: Runner | None = None
        self._mounted_ids: set[str] = set()
        self._down = False
        self.triggered: list[forms.TriggerAction] = []
        """The real HTTP submits ``phx-trigger-action`` made, not yet asserted."""
        self.path = "/"
        """The page's path: where a form without ``action`` posts."""
        self._triggering: set[int] = set()
        self._submitters: dict[int, tuple[int, str, str] | None] = {}
        self._acking: list[int] = []

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
            page.used = frozenset(self.state.used)
            if self.state.typed:
                forms.lay_over(page, self.state.typed, self.state.focused)
        else:
            page = Page(self.nodes)
        self._cache = (self.nodes, version, page)
        return page

    def token(self, el: LxmlElement, action: str) -> int:
        """The identity of ``el`` (of the current page), which an action is about to use."""
        page = self.page()
        token = page.token_of.get(el)
        if token is None:
            raise AssertionError(
                f"cannot {action}: the element is inside raw HTML, which the test client does "
                f"not address (only elements built as pylive nodes are):\n{page.describe(el)}"
            )
        return token

    def receive_tree(self, nodes: list[Node]) -> None:
        """A join render, the whole tree anew: ``phx-mounted`` runs (but for elements with an id
        mounted before), then every ``phx-connected``. A join after the first recovers the
        forms (``pylive.testing._form_state``): their live values are saved before the render
        and put back after it, and their ``phx-change`` events go once the lifecycle ran."""
        saved = forms.save_forms(self.page()) if self.joined else []
        self.nodes = self.slots.join(self.nodes if self.joined else [], nodes)
        self.joined = True
        self.connected = True
        self._down = False
        self.state.freeze_ignored(self.nodes, self.slots.roots)
        self._forget()
        if saved:
            self.state.version += 1
            page = self.page()
            saved = [form for form in saved if forms.restore(page, form, self.state.typed)]
            self.state.version += 1
        self._lifecycle.append(self._joined)
        if not self.check_triggers() and saved:  # a triggered form leaves the page
            self._lifecycle.append(lambda: self._recover(saved))

    def receive_ops(self, ops: list[list[Any]]) -> None:
        """A patch: apply it (but what reaches inside a ``phx-update="ignore"`` element); queue
        the ``phx-remove`` of what it removes, on the page as it was, and the ``phx-mounted`` of
        what it adds."""
        if not self.joined:
            self.nodes = list(top_level(apply(ops, Fragment(self.nodes))))
            return
        before = self.page() if any(op[0] in REMOVING for op in ops) else None
        kept, added, removed = self.slots.patch(ops)
        self.nodes = list(top_level(apply(kept, Fragment(self.nodes))))
        self.state.freeze_ignored(self.nodes, self.slots.roots)
        if removed:
            self._forget()
        if before is not None:
            for root in removed:
                for slot in root.walk():
                    el = before.by_token.get(slot.token)
                    if el is not None and el.get("phx-remove") is not None:
                        run = self._lifecycle_run(slot.token, "phx-remove", before)
                        self._lifecycle.append(run)
        for root in added:
            for slot in root.walk():
                self._lifecycle.append(self._lifecycle_run(slot.token, "phx-mounted"))

    def crashed(self) -> None:
        """The view crashed (or the server gave up on it): every ``phx-disconnected`` runs. Later
        events are still sent, so that the server's refusal shows in the test."""
        self._run_disconnected()

    def disconnected(self) -> None:
        """The connection dropped: every ``phx-disconnected`` runs, and events go nowhere until
        the next join."""
        self._run_disconnected()
        self.connected = False

    def _run_disconnected(self) -> None:
        """Queue every ``phx-disconnected`` (its pushes go nowhere), once until the next join."""
        if self._down:
            return
        self._down = True
        page = self.page()
        for el in page.having("phx-disconnected"):
            if el in page.token_of:
                run = self._lifecycle_run(page.token_of[el], "phx-disconnected", send=False)
                self._lifecycle.append(run)

    def _forget(self) -> None:
        state = self.state
        if not (
            state.elements
            or state.focused
            or state.focus_stack
            or state.typed
            or state.used
            or self.limits.active
            or self._triggering
            or self._submitters
        ):
            return  # nothing kept about any element
        alive = self.slots.tokens()
        self.state.prune(alive)
        self.limits.forget(alive)
        self._triggering &= alive
        for token in [t for t in self._submitters if t not in alive]:
            del self._submitters[token]

    # -- running chains -------------------------------------------------------------------------

    def act(
        self, body: Callable[[Runner], None], page: Page | None = None, send: bool = True
    ) -> None:
        """Run ``body``'s chains as one user action, then send what they pushed (``send=False``:
        drop it). Nested in another action (a rate limit letting it through at once, a focus
        change), it joins that action. ``page``: run on that page (as it was before a patch)."""
        if self._runner is not None and page is None:
            body(self._runner)
            return
        outer = self._runner
        runner = self._runner = Runner(self, None if page is None else (lambda: page))
        try:
            body(runner)
        finally:
            self._runner = outer
        if send:
            self.send_pushes(runner)

    def send_pushes(self, runner: Runner) -> None:
        if self.connected:
            for push in runner.pushes:
                self._acking = runner.submitted if push.kind == "submit" else []
                try:
                    self._send(push)
                finally:
                    self._acking = []
            if self._go is not None:
                for go in runner.goes:
                    self._go(go)
        self.run_due()

    # -- forms ----------------------------------------------------------------------------------

    def submit(
        self,
        runner: Runner,
        token: int,
        event: Event,
        submitter: tuple[int, str, str] | None = None,
    ) -> None:
        """Run the ``phx-submit`` of the form ``token``: the whole form is used from now on; if
        it pushed, its controls take the server's values when the push is answered (the ack),
        and ``submitter`` is the one a ``phx-trigger-action`` submit of the form posts."""
        page = self.page()
        form = page.by_token.get(token)
        if form is None:
            return
        self.limits.submit(token)  # the pending changes go first, as they were typed
        page = self.page()
        form = page.by_token.get(token)
        if form is None:
            return
        self.state.mark_used([token, *forms.form_tokens(page, form)])
        self._submitters[token] = submitter
        before = len(runner.pushes)
        self.run_binding(runner, token, "phx-submit", event)
        if any(push.kind == "submit" for push in runner.pushes[before:]):
            runner.submitted.append(token)

    def answered(self) -> None:
        """The reply to the event being sent arrived (its patch applied): when it answers a
        submit, every control of the form shows the value the server rendered, the focused one
        too."""
        page = self.page()
        for token in self._acking:
            form = page.by_token.get(token)
            if form is not None:
                self.state.clear_typed(forms.form_tokens(page, form))
        self._acking = []

    def type_fields(self, fields: list[_dom.Field], used: bool = True) -> None:
        """The user set ``fields`` (of the current page) to their ``values``: they are used
        (unless ``used`` is False: an input event the client drops), and the page shows what
        they hold until the server's value changes (or a submit's ack, or a reset)."""
        page = self.page()
        tokens: list[int] = []
        for field in fields:
            token = page.token_of.get(field.el)
            value = forms.field_live(field)
            if token is None or value is None:
                continue
            tokens.append(token)
            base = forms.server_live(page, field.el)
            if base is not None and value != forms.read_live(field.el):
                self.state.type_value(token, value, base)
        if used:
            self.state.mark_used(tokens)

    def check_triggers(self) -> bool:
        """After a patch (and a submit's ack) or a join render: the first form with
        ``phx-trigger-action`` turned on makes its real HTTP submit, once until the attribute
        goes; whether one did."""
        if not self._triggering and not _any_attribute(self.nodes, (forms.TRIGGER_ACTION,)):
            return False
        page = self.page()
        on: list[int] = []
        for form in page.root.iter("form"):
            token = page.token_of.get(form)
            if token is not None and forms.triggers(form):
                on.append(token)
        self._triggering &= set(on)
        new = [token for token in on if token not in self._triggering]
        if new:  # the first one: the page leaves with its submit
            form = page.by_token[new[0]]
            submitter = self._submitters.get(new[0])
            self.triggered.append(forms.trigger_action(page, form, self.path, submitter))
            self._triggering.add(new[0])
            return True
        return False

    def _recover(self, saved: list[forms.SavedForm]) -> None:
        """Send each recovered form's ``phx-change`` (or its ``phx-auto-recover`` event) with
        all its fields, then each of its controls' own ``phx-change`` with its own field."""
        page = self.page()
        runs: list[tuple[int, str, Event]] = []
        for entry in saved:
            form = forms.find_form(page, entry.form_id)
            if form is None or form not in page.token_of:
                continue
            if form.get(forms.AUTO_RECOVER) == "ignore":
                continue
            form_token = page.token_of[form]
            name = form.get(forms.AUTO_RECOVER) or form.get("phx-change")
            if name:
                event = Event("change", fixed(entry.pairs))
                runs.append((form_token, str(name), event))
            controls = {(n, i): el for el, n, i in forms.placed(page, form)}
            for own_name, index, pairs in entry.own:
                control = controls.get((own_name, index))
                binding = None if control is None else control.get("phx-change")
                if binding and control in page.token_of:
                    event = Event("change", fixed(pairs), holder=form_token)
                    runs.append((page.token_of[control], str(binding), event))

        def body(runner: Runner) -> None:
            for token, value, event in runs:
                runner.run(value, token, event, "phx-change")

        self.act(body)

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
        signature: object = None,
        initial: object = None,
    ) -> None:
        """Run the ``attribute`` binding of the element ``token`` now, later or never, as the
        ``phx-debounce`` or ``phx-throttle`` of ``control`` (the element acted on, default the
        bound one), else of its form ``holder``, says. The rate limit is kept per ``control``
        and binding; ``signature`` is the control's value now, ``initial`` as rendered (a
        ``"blur"`` debounce sends only a change)."""
        page = self.page()
        key = token if control is None else control
        control_el = page.by_token[key]
        limit = self.limit(control_el, None if holder is None else page.by_token.get(holder))

        def run() -> None:
            self.act(lambda runner: self.run_binding(runner, token, attribute, event))

        self.limits.run(
            (key, attribute),
            limit,
            run,
            trailing=control_el.tag in VALUE_ELEMENTS,
            signature=signature,
            initial=initial,
            form=holder,
        )

    def limit(self, el: LxmlElement, holder: LxmlElement | None = None) -> Limit | None:
        """The rate limit of events from ``el``: its own, else its form's (``holder``)."""
        pairs = [(el.get(DEBOUNCE), el.get(THROTTLE))]
        if holder is not None and holder is not el:
            pairs.append((holder.get(DEBOUNCE), holder.get(THROTTLE)))
        return limit_of(pairs, lambda: self.page().describe(el))

    # -- lifecycle ------------------------------------------------------------------------------

    def _joined(self) -> None:
        if not _any_attribute(self.nodes, ("phx-mounted", "phx-connected")):
            return  # nothing to run: no need to build the page
        page = self.page()
        mounted = [
            page.token_of[el]
            for el in page.having("phx-mounted")
            if el in page.token_of and not (el.get("id") and el.get("id") in self._mounted_ids)
        ]
        connected = [
            page.token_of[el] for el in page.having("phx-connected") if el in page.token_of
        ]
        for token in mounted:
            self._lifecycle_run(token, "phx-mounted")()
        for token in connected:
            self._lifecycle_run(token, "phx-connected")()

    def _lifecycle_run(
        self, token: int, attribute: str, page: Page | None = None, send: bool = True
    ) -> Callable[[], None]:
        """Run the element ``token``'s lifecycle binding ``attribute`` (on ``page``, the page
        before a patch for ``phx-remove``); ``send=False`` drops its pushes (disconnected)."""

        def run() -> None:
            current = page or self.page()
            el = current.by_token.get(token)
            if el is None or el.get(attribute) is None:
                return
            if attribute == "phx-mounted" and el.get("id"):
                self._mounted_ids.add(str(el.get("id")))
            value, event = str(el.get(attribute)), Event(HOOK, phx_values_payload)
            self.act(lambda runner: runner.run(value, token, event, attribute), page, send)

        return run

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
            for el in page.having(CLICK_AWAY)
            if el in page.token_of
            and not hidden(el)
            and (clicked is None or (el is not clicked and el not in clicked.iterancestors()))
        ]

    def click(self, el: LxmlElement | None, value: dict[str, Any]) -> None:
        """A click on ``el`` (None: outside every element): the ``phx-click-away`` of the visible
        elements outside which it happened, then its ``phx-click`` (rate-limited), as in
        ``client.js``: a button that opens a menu does not see the same click close it."""
        page = self.page()
        token = None if el is None or el.get(CLICK) is None else self.token(el, "click")
        aways = [page.token_of[away] for away in self.click_aways(page, el)]
        clicked = None if el is None else page.token_of.get(el)
        own = merged(value, click_payload)

        def body(runner: Runner) -> None:
            for away in aways:
                self.run_binding(runner, away, CLICK_AWAY, Event("click", phx_values_payload))
            if token is not None:
                self.limited(token, CLICK, Event("click", with_source(token, own, values_payload)))
            if clicked is None:
                return
            current = self.page().by_token.get(clicked)
            if current is not None:
                self.clicked_change(current)
            current = self.page().by_token.get(clicked)  # the page as the change left it
            if current is not None and _dom.is_reset_button(current):
                self.reset(runner, current)  # the click's default action, after its listeners

        self.act(body)

    def reset(self, runner: Runner, button: LxmlElement) -> None:
        """The reset button ``button`` resets its form, as ``client.js`` has it: the form's
        pending debounced changes go first (as they were typed); then every control of it shows
        the server's value (what was typed is dropped, the focused control's too), none counts
        as used any more, nor the form as submitted (LiveView's rule), and the form's
        ``phx-change`` runs with every field and the button's name as ``_target``."""
        page = self.page()
        form = _dom.form_of(page, button)
        form_token = None if form is None else page.token_of.get(form)
        if form_token is None:
            return
        self.limits.submit(form_token)
        page = self.page()
        form = page.by_token.get(form_token)
        if form is None:
            return
        tokens = forms.form_tokens(page, form)
        self.state.clear_typed(tokens)
        self.state.forget_used([form_token, *tokens])
        name = button.get("name")
        event = Event("change", change_payload, target=str(name) if name else None)
        self.run_binding(runner, form_token, "phx-change", event)

    def dispatched_event(self, runner: Runner, token: int, event: str) -> None:
        """``JS.dispatch`` fired a bubbling DOM event that pylive's listeners hear: a ``click``
        clicks (the closest ``phx-click``, then click-aways), an ``input`` on a control is its
        change, a ``submit`` on a form submits it (without a submitter)."""
        page = self.page()
        el = page.by_token.get(token)
        if el is None:
            return
        if event == "click":
            bound = el if el.get(CLICK) is not None else _dom.closest_with(el, CLICK)
            for away in self.click_aways(page, el):
                event_ = Event("click", phx_values_payload)
                self.run_binding(runner, page.token_of[away], CLICK_AWAY, event_)
            if bound is not None and bound in page.token_of:
                target = page.token_of[bound]
                self.limited(target, CLICK, Event("click", click_payload))
            self.clicked_change(el)
        elif event == "input" and el.tag in ("input", "select", "textarea"):
            self.dispatched_change(el)
        elif event == "submit" and el.tag == "form" and el.get("phx-submit") is not None:
            self.submit(runner, token, Event("submit", form_payload))

    def clicked_change(self, el: LxmlElement) -> None:
        """A click that checks a checkbox or radio (or unchecks a checkbox) changes it: its
        ``input`` event sends the change, as ``dispatched_change``, with the new state."""
        checked = _dom.checked_after_click(el)
        page = self.page()
        if checked is None or checked == _dom.is_checked(el) or el not in page.token_of:
            return
        token = page.token_of[el]
        self.dispatched_change(el, checked)
        page = self.page()
        control = page.by_token.get(token)
        if control is None:
            return
        group = [control]
        form = _dom.form_of(page, control)
        if checked and _dom.input_type(control) == "radio" and control.get("name"):
            scope = page.root if form is None else form
            group = [
                radio
                for radio in scope.iter("input")
                if radio is control
                or (
                    _dom.input_type(radio) == "radio"
                    and radio.get("name") == control.get("name")
                    and _dom.form_of(page, radio) is form
                )
            ]
        for box in group:
            box_token = page.token_of.get(box)
            base = forms.server_live(page, box)
            if box_token is not None and isinstance(base, bool):
                self.state.type_value(box_token, box is control and checked, base)

    def dispatched_change(self, control: LxmlElement, checked: bool | None = None) -> None:
        """An ``input`` event on ``control``: its own ``phx-change`` runs, else its form's;
        ``checked``: the checkbox or radio was just checked (True) or unchecked (False). The
        control is used from now on."""
        control_token = self.page().token_of.get(control)
        if control_token is None:
            return
        self.state.mark_used([control_token])
        page = self.page()
        control = page.by_token[control_token]
        form = _dom.form_of(page, control)
        own = control.get("phx-change") is not None
        bound = control if own or form is None else form
        if bound.get("phx-change") is None:
            return
        token = page.token_of[bound]
        holder = None if form is None else page.token_of.get(form)
        name = control.get("name")
        payload: Payload = change_payload
        if checked is not None:
            payload = checked_payload(page.token_of[control], checked)
        event = Event("change", payload, target=name, holder=holder if own and holder else None)
        initial = _dom.element_value(control)
        value = initial if checked is None else _dom.element_value(control, checked)
        self.limited(
            token,
            "phx-change",
            event,
            control=page.token_of[control],
            holder=holder,
            signature=value,
            initial=initial,
        )

    def key(self, el: LxmlElement, kind: str, key: str) -> None:
        """A key event on ``el`` (``phx-keydown``/``phx-keyup``, already filtered by phx-key)."""
        token = self.token(el, kind)
        event = Event(kind, key_payload(key))
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
                self.run_binding(runner, token, attribute, Event(kind, phx_values_payload))

        self.act(body)

    def focus(self, el: LxmlElement, value: dict[str, Any]) -> None:
        """Focus ``el`` (the element that had the focus loses it first), then run its
        ``phx-focus``."""
        token = self.token(el, "focus")
        event = Event("focus", with_source(token, merged(value), values_payload))

        def body(runner: Runner) -> None:
            before = self.state.focused
            if before is not None and before != token:
                self.state.focused = None
                self._leave(runner, before, Event("blur", values_payload))
            self.state.focused = token
            self.state.mark_used([token])
            self.run_binding(runner, token, "phx-focus", event)

        self.act(body)

    def blur(self, el: LxmlElement, value: dict[str, Any]) -> None:
        """``el`` loses focus: its pending debounced events go, then its ``phx-blur`` runs."""
        token = self.token(el, "blur")
        if self.state.focused == token:
            self.state.focused = None
        event = Event("blur", with_source(token, merged(value), values_payload))
        self.act(lambda runner: self._leave(runner, token, event))

    def move_focus(self, runner: Runner, token: int | None) -> None:
        """A JS focus command moves the focus to ``token`` (None: nowhere): as the browser's
        ``el.focus()`` does, the element that had it loses it (its pending debounced events go,
        its ``phx-blur`` runs), then the new one's ``phx-focus`` runs."""
        before = self.state.focused
        if before == token:
            return
        self.state.focused = token
        if before is not None:
            self._leave(runner, before, Event("blur", values_payload))
        if token is not None:
            self.state.mark_used([token])
            self.run_binding(runner, token, "phx-focus", Event("focus", values_payload))

    def _leave(self, runner: Runner, token: int, event: Event) -> None:
        self.limits.blur(token)
        self.run_binding(runner, token, "phx-blur", event)
