"""JS command chains run by the test client, as ``client.js`` runs them in the browser.

A binding's value (``phx-click``, ``phx-mounted`` …) is a chain when it starts with ``[``: the
JSON of ``pylive.js.JS.to_encodable()``, ``[[kind, {args}], ...]``. Any other value is an event
name, the chain ``[["push", {"event": name}]]``. ``Runner`` runs the chains of one user action
(a click runs the clicked element's ``phx-click`` and the ``phx-click-away`` of others) command by
command, in order, against the page as the previous command left it; each ``exec_<kind>`` method
runs one kind (``pylive.protocol.JS_COMMANDS`` lists them). What only the browser shows (sticky
display, classes and attributes, focus) goes to the host's ``ClientState``; ``dispatch``,
``navigate`` and ``patch`` are recorded; the events ``push`` sends are collected, in order, and the
host sends them once every chain of the action ran, as the browser's replies can only come after
its synchronous handlers return.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

import attrs
import orjson

from pylive.protocol import JS_COMMANDS
from pylive.testing import _dom
from pylive.testing._dom import LxmlElement, Page
from pylive.testing._sticky import ClientState, hidden

MAX_DEPTH = 32
"""How deep ``exec`` (and a dispatched click) may nest chains before the client gives up."""

TARGET_SCOPES = ("inner", "closest", "document")
FOCUSABLE = (
    "a[href], area[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), "
    "select:not([disabled]), textarea:not([disabled]), iframe, [tabindex]:not([tabindex='-1']), "
    "[contenteditable]:not([contenteditable='false'])"
)
"""What ``focus_first`` may focus, as ``client.js`` has it."""
LISTENED = frozenset({"click", "input", "submit"})
"""Dispatched events a pylive binding hears, as the browser's document listeners do."""

Command = tuple[str, dict[str, Any]]
Payload = Callable[[Page, LxmlElement], Any]
"""What a plain event of the binding sends from a source element (``push``'s base value)."""


class JSCommandError(AssertionError):
    """A binding holds a chain the client cannot run (malformed, an unknown command, an
    ``exec`` with nothing to run)."""


@attrs.frozen
class Event:
    """How the events a binding pushes look: their frame ``kind`` and base payload."""

    kind: str
    payload: Payload
    target: str | None = None
    """A form event's changed field (its ``_target``)."""
    holder: int | None = None
    """The element whose ``phx-target`` routes the event when the source has none (a control's
    form), by identity."""


@attrs.frozen
class Push:
    """One event frame a ``push`` asks for."""

    kind: str
    event: str
    value: Any
    target: str | None
    cid: int | None


@attrs.frozen
class Dispatched:
    """A DOM event ``JS.dispatch`` fired: its name, ``detail``, ``bubbles`` and the opening tag of
    the element it was fired on."""

    event: str
    detail: dict[str, Any]
    target: str
    bubbles: bool = True
    matches: Callable[[str], bool] = attrs.field(
        default=lambda selector: False, eq=False, repr=False
    )
    """Whether the target matched a selector when the event was fired."""


@attrs.frozen
class Navigation:
    """A ``JS.navigate`` (``kind="navigate"``) or ``JS.patch`` (``kind="patch"``)."""

    kind: str
    href: str
    replace: bool = False


class Host(Protocol):
    """What a ``Runner`` needs of the test client's browser side."""

    state: ClientState
    dispatched: list[Dispatched]
    navigations: list[Navigation]

    def page(self) -> Page: ...

    def dispatched_event(self, runner: Runner, token: int, event: str) -> None: ...

    def move_focus(self, runner: Runner, token: int | None) -> None: ...


def parse(value: str, binding: str, describe: Callable[[], str]) -> list[Command]:
    """A binding's value as commands (see the module's docstring); ``describe`` shows the
    element in errors."""
    if not value.startswith("["):
        return [("push", {"event": value})]
    try:
        data = orjson.loads(value)
    except orjson.JSONDecodeError as error:
        raise JSCommandError(
            f"{binding}={value!r} is not a JS command chain (invalid JSON: {error}):\n{describe()}"
        ) from None
    if type(data) is not list:
        raise JSCommandError(
            f"{binding}={value!r}: expected a list of [kind, {{args}}] commands:\n{describe()}"
        )
    commands: list[Command] = []
    for item in data:
        if (
            type(item) is not list
            or len(item) != 2
            or type(item[0]) is not str
            or type(item[1]) is not dict
        ):
            raise JSCommandError(
                f"{binding}: expected each JS command to be [kind, {{args}}], got "
                f"{orjson.dumps(item).decode()}:\n{describe()}"
            )
        commands.append((item[0], item[1]))
    return commands


class Runner:
    """Runs the chains of one user action; ``pushes`` collects the events they send."""

    def __init__(self, host: Host, page: Callable[[], Page] | None = None) -> None:
        self.host = host
        self._page = host.page if page is None else page
        self.pushes: list[Push] = []
        self.goes: list[Navigation] = []
        """The live navigations its ``JS.navigate``/``JS.patch`` asked for, made after the
        pushes."""
        self.submitted: list[int] = []
        """The forms whose ``phx-submit`` pushed: their controls take the server's values once
        the pushes are answered (the submit's ack)."""
        self.depth = 0

    def run(self, value: str, source: int, event: Event, binding: str) -> None:
        """Run the chain (or event name) ``value`` of ``binding`` with the element of identity
        ``source`` as the source element."""
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise JSCommandError(
                    f"{binding}: JS commands nest more than {MAX_DEPTH} deep (an exec or a "
                    "dispatched click that runs itself?)"
                )
            page = self._page()
            el = page.by_token.get(source)
            if el is None:
                return  # the source left the page: its chain has nothing to run on
            where = el
            commands = parse(value, binding, lambda: page.describe(where))
            for kind, args in commands:
                handler = _HANDLERS.get(kind)
                if handler is None:
                    raise JSCommandError(
                        f"{binding} holds an unknown JS command {kind!r} (known: "
                        f"{', '.join(JS_COMMANDS)}):\n    {value}\n{page.describe(el)}"
                    )
                page = self._page()
                el = page.by_token.get(source)
                if el is None:
                    return  # an earlier command's effect removed it
                try:
                    handler(self, _Context(page, el, source, event, binding), args)
                except (KeyError, TypeError, ValueError, IndexError) as error:
                    raise JSCommandError(
                        f"{binding}: malformed JS command {orjson.dumps([kind, args]).decode()} "
                        f"({type(error).__name__}: {error}):\n{page.describe(el)}"
                    ) from None
        finally:
            self.depth -= 1

    # -- targets ----------------------------------------------------------------------------

    def targets(self, ctx: _Context, args: dict[str, Any]) -> list[LxmlElement]:
        """The elements a command acts on: its ``to`` (see ``pylive.js``), else the source."""
        to = args.get("to")
        page, source = ctx.page, ctx.el
        if to is None:
            return [source]
        if isinstance(to, str):
            return page.select(to)
        if isinstance(to, dict) and len(to) == 1:
            ((scope, selector),) = to.items()
            if scope == "document" and isinstance(selector, str):
                return page.select(selector)
            if scope == "inner" and isinstance(selector, str):
                return [el for el in page.select(selector) if source in el.iterancestors()]
            if scope == "closest" and isinstance(selector, str):
                matched = set(page.select(selector))
                for node in (source, *source.iterancestors()):
                    if node in matched:
                        return [node]
                return []
        raise ValueError(
            f"expected to= a selector or one of {{{', '.join(TARGET_SCOPES)}: selector}}, "
            f"got {to!r}"
        )

    def _each(self, ctx: _Context, args: dict[str, Any]) -> Iterable[tuple[LxmlElement, int]]:
        """The targets that have an identity (raw HTML's elements have none) with it."""
        for el in self.targets(ctx, args):
            token = ctx.page.token_of.get(el)
            if token is not None:
                yield el, token

    # -- commands ---------------------------------------------------------------------------

    def exec_push(self, ctx: _Context, args: dict[str, Any]) -> None:
        event = args["event"]
        if not isinstance(event, str) or not event:
            raise TypeError(f"push: event must be a non-empty str, got {event!r}")
        kind = ctx.event.kind
        value = ctx.event.payload(ctx.page, ctx.el)
        extra = args.get("value")
        if extra is not None:
            if not isinstance(extra, dict):
                raise TypeError(f"push: value must be an object, got {extra!r}")
            value = merge_value(value, extra)
        target = args.get("target")
        if target is not None:
            cids = _dom.resolve_targets(ctx.page, str(target), ctx.el, "JS.push target")
        else:
            holder = None if ctx.event.holder is None else ctx.page.by_token.get(ctx.event.holder)
            cids = _dom.event_targets(ctx.page, ctx.el, holder)
        for cid in cids:
            self.pushes.append(Push(kind, event, value, ctx.event.target, cid))

    def exec_navigate(self, ctx: _Context, args: dict[str, Any]) -> None:
        go = Navigation("navigate", _href(args), bool(args.get("replace")))
        self.host.navigations.append(go)
        self.goes.append(go)

    def exec_patch(self, ctx: _Context, args: dict[str, Any]) -> None:
        go = Navigation("patch", _href(args), bool(args.get("replace")))
        self.host.navigations.append(go)
        self.goes.append(go)

    def exec_dispatch(self, ctx: _Context, args: dict[str, Any]) -> None:
        event = args["event"]
        detail = args.get("detail", {})
        if not isinstance(event, str) or not isinstance(detail, dict):
            raise TypeError(f"dispatch: expected an event name and a detail object, got {args!r}")
        page = ctx.page
        for el, token in self._each(ctx, args):
            self.host.dispatched.append(
                Dispatched(
                    event,
                    dict(detail),
                    _dom.opening_tag(page.origin[el]),
                    bool(args.get("bubbles", True)),
                    _matcher(page, el),
                )
            )
            if args.get("bubbles", True) is not False and event in LISTENED:
                self.host.dispatched_event(self, token, event)

    def exec_show(self, ctx: _Context, args: dict[str, Any]) -> None:
        _transition(args)
        for el, token in list(self._each(ctx, args)):
            if hidden(el):  # show acts on hidden elements only, hide on visible ones
                self.host.state.get(token).display = str(args.get("display", "block"))

    def exec_hide(self, ctx: _Context, args: dict[str, Any]) -> None:
        _transition(args)
        for el, token in list(self._each(ctx, args)):
            if not hidden(el):
                self.host.state.get(token).display = "none"

    def exec_toggle(self, ctx: _Context, args: dict[str, Any]) -> None:
        display = args.get("display", "block")
        for key in ("ins", "outs"):
            _transition({"transition": args.get(key)})
        for el, token in list(self._each(ctx, args)):
            self.host.state.get(token).display = str(display) if hidden(el) else "none"

    def exec_add_class(self, ctx: _Context, args: dict[str, Any]) -> None:
        names = _names(args)
        _transition(args)
        for _, token in self._each(ctx, args):
            self.host.state.get(token).add_class(names)

    def exec_remove_class(self, ctx: _Context, args: dict[str, Any]) -> None:
        names = _names(args)
        _transition(args)
        for _, token in self._each(ctx, args):
            self.host.state.get(token).remove_class(names)

    def exec_toggle_class(self, ctx: _Context, args: dict[str, Any]) -> None:
        names = _names(args)
        _transition(args)
        for el, token in list(self._each(ctx, args)):
            have = str(el.get("class") or "").split()
            sticky = self.host.state.get(token)
            sticky.remove_class([n for n in names if n in have])
            sticky.add_class([n for n in names if n not in have])

    def exec_transition(self, ctx: _Context, args: dict[str, Any]) -> None:
        _transition(args)
        list(self._each(ctx, args))  # the classes come and go within the transition's time

    def exec_set_attribute(self, ctx: _Context, args: dict[str, Any]) -> None:
        name, value = _attr(args, (2,))
        for _, token in self._each(ctx, args):
            self.host.state.get(token).set_attribute(name, value)

    def exec_remove_attribute(self, ctx: _Context, args: dict[str, Any]) -> None:
        name = args["attr"]
        if not isinstance(name, str):
            raise TypeError(f"remove_attribute: attr must be a name, got {name!r}")
        for _, token in self._each(ctx, args):
            self.host.state.get(token).set_attribute(name, None)

    def exec_toggle_attribute(self, ctx: _Context, args: dict[str, Any]) -> None:
        parts = _attr(args, (2, 3))
        name = parts[0]
        for el, token in list(self._each(ctx, args)):
            current = el.get(name)
            if len(parts) == 2:
                value = None if current is not None else parts[1]
            else:
                value = parts[2] if current == parts[1] else parts[1]
            self.host.state.get(token).set_attribute(name, value)

    def exec_ignore_attributes(self, ctx: _Context, args: dict[str, Any]) -> None:
        patterns = args["attrs"]
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise TypeError(f"ignore_attributes: attrs must be a list of names, got {patterns!r}")
        for el, token in list(self._each(ctx, args)):
            current = {str(name): str(value) for name, value in el.attrib.items()}
            self.host.state.get(token).ignore(patterns, current)

    def exec_focus(self, ctx: _Context, args: dict[str, Any]) -> None:
        for _, token in list(self._each(ctx, args))[:1]:
            self.host.move_focus(self, token)

    def exec_focus_first(self, ctx: _Context, args: dict[str, Any]) -> None:
        for el, _ in list(self._each(ctx, args))[:1]:
            inside = [f for f in ctx.page.select(FOCUSABLE) if el in f.iterancestors()]
            inside = [f for f in inside if not hidden(f)]
            if inside and inside[0] in ctx.page.token_of:
                self.host.move_focus(self, ctx.page.token_of[inside[0]])

    def exec_push_focus(self, ctx: _Context, args: dict[str, Any]) -> None:
        state = self.host.state
        if "to" in args:
            for _, token in list(self._each(ctx, args))[:1]:
                state.focus_stack.append(token)
        elif state.focused is not None:
            state.focus_stack.append(state.focused)

    def exec_pop_focus(self, ctx: _Context, args: dict[str, Any]) -> None:
        state = self.host.state
        if state.focus_stack:
            self.host.move_focus(self, state.focus_stack.pop())

    def exec_exec(self, ctx: _Context, args: dict[str, Any]) -> None:
        attr = args["attr"]
        if not isinstance(attr, str):
            raise TypeError(f"exec: attr must be an attribute name, got {attr!r}")
        found = list(self._each(ctx, args))
        shown = f"JS.exec({attr!r}" + (f", to={args['to']!r})" if "to" in args else ")")
        if not found:
            raise JSCommandError(
                f"{shown} in {ctx.binding} matches no element, so there is nothing to run; the "
                f"source element:\n{ctx.page.describe(ctx.el)}"
            )
        for el, token in found:
            value = el.get(attr)
            if value is None:
                raise JSCommandError(
                    f"{shown} in {ctx.binding}: the target has no {attr} attribute holding "
                    f"commands to run:\n{ctx.page.describe(el)}"
                )
            self.run(str(value), token, ctx.event, attr)


class _Context:
    """Where one command runs: the page, the source element (and its identity), the event."""

    __slots__ = ("binding", "el", "event", "page", "source")

    def __init__(self, page: Page, el: LxmlElement, source: int, event: Event, binding: str):
        self.page = page
        self.el = el
        self.source = source
        self.event = event
        self.binding = binding


_HANDLERS: dict[str, Callable[[Runner, _Context, dict[str, Any]], None]] = {
    name.removeprefix("exec_"): getattr(Runner, name)
    for name in dir(Runner)
    if name.startswith("exec_")
}


def handled_commands() -> frozenset[str]:
    """The command kinds the test client runs (a test checks they are ``JS_COMMANDS``)."""
    return frozenset(_HANDLERS)


def _matcher(page: Page, el: LxmlElement) -> Callable[[str], bool]:
    def matches(selector: str) -> bool:
        return el in page.select(selector)

    return matches


def merge_value(value: Any, extra: dict[str, Any]) -> Any:
    """A plain event's payload with ``JS.push``'s ``value`` merged over it, as ``client.js``
    does: a dict's keys replaced; a form's ``[[name, value], ...]`` pairs followed by one pair per
    key, its value as JavaScript's ``String()`` writes it (the server decodes the last of repeated
    names, so it wins)."""
    if isinstance(value, list):
        return [*value, *([name, js_string(item)] for name, item in extra.items())]
    return {**(value or {}), **extra}


def js_string(value: Any) -> str:
    """``String(value)`` in JavaScript, for a JSON value."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list):
        return ",".join("" if item is None else js_string(item) for item in value)
    return "[object Object]"


def _href(args: dict[str, Any]) -> str:
    href = args["href"]
    if not isinstance(href, str):
        raise TypeError(f"expected href to be a path, got {href!r}")
    return href


def _names(args: dict[str, Any]) -> list[str]:
    names = args["names"]
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise TypeError(f"names must be a list of class names, got {names!r}")
    return names


def _attr(args: dict[str, Any], sizes: tuple[int, ...]) -> list[str]:
    attr = args["attr"]
    if (
        not isinstance(attr, list)
        or len(attr) not in sizes
        or not all(isinstance(part, str) for part in attr)
    ):
        raise TypeError(
            f"attr must be a list of {' or '.join(map(str, sizes))} strings, got {attr!r}"
        )
    return attr


def _transition(args: dict[str, Any]) -> None:
    """Check a transition's shape; it completes at once, leaving the classes as they were."""
    transition = args.get("transition")
    if transition is None:
        return
    if (
        not isinstance(transition, list)
        or len(transition) != 3
        or not all(isinstance(part, list) for part in transition)
    ):
        raise TypeError(f"a transition is [[classes], [start], [end]], got {transition!r}")
