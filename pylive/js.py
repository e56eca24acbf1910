"""``JS``: commands the browser runs on an event with no round trip, LiveView's ``JS`` done the
Python way.

A ``JS`` is an immutable chain: every method returns a new one, so a chain can be kept in a
module constant and extended per use. It is the value of any binding attribute
(``phx_click=JS().push("inc").hide(to="#modal")``, ``phx_mounted``, ``phx_remove``,
``phx_connected``, ``phx_disconnected``) and can travel in a ``push_event`` payload. It encodes as
a JSON list of ``[kind, {args}]`` (LiveView's ``%JS{ops}``), where each kind is the name of the
method that made it and of the client's ``exec_<kind>`` handler; options left at their default
are not written. Bad arguments fail when the chain is built, not in the browser.

>>> from pylive.js import JS
>>> close = JS().hide(to="#modal", transition="fade-out")
>>> for op in JS().push("save", value={"id": 2}).concat(close).to_encodable():
...     print(op)
['push', {'event': 'save', 'value': {'id': 2}}]
['hide', {'to': '#modal', 'transition': [['fade-out'], [], []]}]
>>> str(JS().add_class("open", closest=".menu"))
'[["add_class",{"names":["open"],"to":{"closest":".menu"}}]]'

Targets: ``to="#id"`` (a selector, searched in the document), or one scope — ``inner=`` (under
the element the event came from), ``closest=`` (its closest ancestor matching) or ``document=``
(the document, said explicitly). Without one, a command acts on the element itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeAlias

import orjson

from pylive._attrs import check_name
from pylive.urls import local_path

Transition: TypeAlias = str | tuple[str, str, str]
"""Classes applied during a transition (``"fade-in"``), or ``(transition, start, end)``:
``("ease-out duration-300", "opacity-0", "opacity-100")``."""
DEFAULT_TIME = 200
"""Milliseconds a transition lasts, as in LiveView."""


class JS:
    """An immutable chain of JS commands; see the module's docstring."""

    __slots__ = ("_ops",)

    def __init__(self) -> None:
        self._ops: tuple[tuple[str, dict[str, Any]], ...] = ()

    # -- talking to the server ------------------------------------------------------------------

    def push(
        self,
        event: str,
        *,
        value: Mapping[str, Any] | None = None,
        target: str | int | None = None,
        loading: str | None = None,
        page_loading: bool = False,
    ) -> JS:
        """Send ``event`` to the view (or to ``target``: a component's ``assigns.myself``, or a
        selector), with ``value`` merged over the element's ``phx-value-*``; ``loading`` is a
        selector that gets the loading class (and is locked) until the reply, ``page_loading``
        fires ``phx:page-loading-start``/``stop`` around it."""
        _check_name("push", "event", event)
        args: dict[str, Any] = {"event": event}
        if value is not None:
            if not isinstance(value, Mapping):
                raise TypeError(f"JS.push({event!r}): value must be a mapping, got {value!r}")
            args["value"] = dict(value)
        if target is not None:
            if type(target) is not int and not (isinstance(target, str) and target):
                raise TypeError(
                    f"JS.push({event!r}): target must be a component (assigns.myself) or a "
                    f"selector, got {target!r}"
                )
            args["target"] = target
        if loading is not None:
            args["loading"] = _selector("push", "loading", loading)
        if page_loading:
            args["page_loading"] = True
        return self._with("push", args)

    def navigate(self, href: str, *, replace: bool = False) -> JS:
        """Go to another live view at ``href`` (a local path) over the same websocket."""
        return self._with("navigate", _href("navigate", href, replace))

    def patch(self, href: str, *, replace: bool = False) -> JS:
        """Go to ``href`` (a local path) in the same live view: its ``handle_params`` runs."""
        return self._with("patch", _href("patch", href, replace))

    # -- events in the browser ------------------------------------------------------------------

    def dispatch(
        self,
        event: str,
        *,
        to: str | None = None,
        inner: str | None = None,
        closest: str | None = None,
        document: str | None = None,
        detail: Mapping[str, Any] | None = None,
        bubbles: bool = True,
        blocking: bool = False,
    ) -> JS:
        """Dispatch a DOM event named ``event`` on the target (a ``CustomEvent`` with ``detail``;
        ``"click"`` a real click). ``blocking`` holds further commands until a listener calls
        ``event.detail.done()``."""
        _check_name("dispatch", "event", event)
        args: dict[str, Any] = {"event": event}
        _target("dispatch", args, to, inner, closest, document)
        if detail is not None:
            if not isinstance(detail, Mapping):
                raise TypeError(f"JS.dispatch({event!r}): detail must be a mapping, got {detail!r}")
            if "done" in detail:
                raise ValueError(
                    f"JS.dispatch({event!r}): detail may not hold 'done', the name the browser "
                    "gives the function that ends a blocking dispatch"
                )
            args["detail"] = dict(detail)
        if not bubbles:
            args["bubbles"] = False
        if blocking:
            args["blocking"] = True
        return self._with("dispatch", args)

    # -- showing and hiding ---------------------------------------------------------------------

    def show(
        self,
        *,
        to: str | None = None,
        inner: str | None = None,
        closest: str | None = None,
        document: str | None = None,
        transition: Transition | None = None,
        time: int = DEFAULT_TIME,
        display: str | None = None,
        blocking: bool = True,
    ) -> JS:
        """Show hidden targets (``display``, default ``block``), through ``transition``."""
        args = self._animated("show", to, inner, closest, document, transition, time, blocking)
        if display is not None:
            args["display"] = _word("show", "display", display)
        return self._with("show", args)

    def hide(
        self,
        *,
        to: str | None = None,
        inner: str | None = None,
        closest: str | None = None,
        document: str | None = None,
        transition: Transition | None = None,
        time: int = DEFAULT_TIME,
        blocking: bool = True,
    ) -> JS:
        """Hide visible targets, through ``transition``."""
        args = self._animated("hide", to, inner, closest, document, transition, time, blocking)
        return self._with("hide", args)

    def toggle(
        self,
        *,
        to: str | None = None,
        inner: str | None = None,
        closest: str | None = None,
        document: str | None = None,
        in_: Transition | None = None,
        out: Transition | None = None,
        time: int = DEFAULT_TIME,
        display: str | None = None,
        blocking: bool = True,
    ) -> JS:
        """Show the targets that are hidden and hide the others (``in_``/``out`` transitions)."""
        args = self._animated("toggle", to, inner, closest, document, None, time, blocking)
        if in_ is not None:
            args["ins"] = _transition("toggle", in_)
        if out is not None:
            args["outs"] = _transition("toggle", out)
        if display is not None:
            args["display"] = _word("toggle", "display", display)
        return self._with("toggle", args)

    # -- classes --------------------------------------------------------------------------------

    def add_class(
        self,
        names: str,
        *,
        to: str | None = None,
        inner: str | None = None,
        closest: str | None = None,
        document: str | None = None,
        transition: Transition | None = None,
        time: int = DEFAULT_TIME,
        blocking: bool = True,
    ) -> JS:
        """Add the space-separated class ``names`` to the targets (kept across patches)."""
        return self._classes("add_class", names, to, inner, closest, document, transition, time,
                             blocking)  # fmt: skip

    def remove_class(
        self,
        names: str,
        *,
        to: str | None = None,
        inner: str | None = None,
        closest: str | None = None,
        document: str | None = None,
        transition: Transition | None = None,
        time: int = DEFAULT_TIME,
        blocking: bool = True,
    ) -> JS:
        """Remove the class ``names`` from the targets (kept across patches)."""
        return self._classes("remove_class", names, to, inner, closest, document, transition,
                             time, blocking)  # fmt: skip

    def toggle_class(
        self,
        names: str,
        *,
        to: str | None = None,
        inner: str | None = None,
        closest: str | None = None,
        document: str | None = None,
        transition: Transition | None = None,
        time: int = DEFAULT_TIME,
        blocking: bool = True,
    ) -> JS:
        """Add each of ``names`` a target lacks, remove those it has."""
        return self._classes("toggle_class", names, to, inner, closest, document, transition,
                             time, blocking)  # fmt: skip

    def transition(
        self,
        transition: Transition,
        *,
        to: str | None = None,
        inner: str | None = None,
        closest: str | None = None,
        document: str | None = None,
        time: int = DEFAULT_TIME,
        blocking: bool = True,
    ) -> JS:
        """Apply ``transition``'s classes for ``time`` ms, then take them away again."""
        args = self._animated("transition", to, inner, closest, document, transition, time,
                              blocking)  # fmt: skip
        return self._with("transition", args)

    # -- attributes -----------------------------------------------------------------------------

    def set_attribute(
        self,
        attr: tuple[str, str],
        *,
        to: str | None = None,
        inner: str | None = None,
        closest: str | None = None,
        document: str | None = None,
    ) -> JS:
        """Set an attribute, ``("aria-expanded", "true")``, on the targets (kept across
        patches). A DOM property such as an input's value is not an attribute: use ``dispatch``."""
        args: dict[str, Any] = {"attr": list(_attr_values("set_attribute", attr, (2,)))}
        _target("set_attribute", args, to, inner, closest, document)
        return self._with("set_attribute", args)

    def remove_attribute(
        self,
        attr: str,
        *,
        to: str | None = None,
        inner: str | None = None,
        closest: str | None = None,
        document: str | None = None,
    ) -> JS:
        """Remove the attribute ``attr`` from the targets (kept across patches)."""
        _check_attr("remove_attribute", attr)
        args: dict[str, Any] = {"attr": attr}
        _target("remove_attribute", args, to, inner, closest, document)
        return self._with("remove_attribute", args)

    def toggle_attribute(
        self,
        attr: tuple[str, str] | tuple[str, str, str],
        *,
        to: str | None = None,
        inner: str | None = None,
        closest: str | None = None,
        document: str | None = None,
    ) -> JS:
        """``(name, value)``: set the attribute if absent, remove it if present;
        ``(name, value1, value2)``: flip it between the two values."""
        args: dict[str, Any] = {"attr": list(_attr_values("toggle_attribute", attr, (2, 3)))}
        _target("toggle_attribute", args, to, inner, closest, document)
        return self._with("toggle_attribute", args)

    def ignore_attributes(
        self,
        attrs: str | Iterable[str],
        *,
        to: str | None = None,
        inner: str | None = None,
        closest: str | None = None,
        document: str | None = None,
    ) -> JS:
        """Keep the browser's own value of ``attrs`` (``"open"``, or a list; ``*`` wildcards:
        ``"data-*"``) against every later server patch, removals included: typically from
        ``phx_mounted``."""
        names = [attrs] if isinstance(attrs, str) else list(attrs)
        if not names:
            raise ValueError("JS.ignore_attributes: expected at least one attribute name")
        for name in names:
            _check_attr("ignore_attributes", name.replace("*", "x"))
        args: dict[str, Any] = {"attrs": names}
        _target("ignore_attributes", args, to, inner, closest, document)
        return self._with("ignore_attributes", args)

    # -- focus ----------------------------------------------------------------------------------

    def focus(
        self,
        *,
        to: str | None = None,
        inner: str | None = None,
        closest: str | None = None,
        document: str | None = None,
    ) -> JS:
        """Focus the target."""
        return self._plain("focus", to, inner, closest, document)

    def focus_first(
        self,
        *,
        to: str | None = None,
        inner: str | None = None,
        closest: str | None = None,
        document: str | None = None,
    ) -> JS:
        """Focus the first focusable element inside the target."""
        return self._plain("focus_first", to, inner, closest, document)

    def push_focus(
        self,
        *,
        to: str | None = None,
        inner: str | None = None,
        closest: str | None = None,
        document: str | None = None,
    ) -> JS:
        """Remember the target (default: the focused element) to focus again by ``pop_focus``."""
        return self._plain("push_focus", to, inner, closest, document)

    def pop_focus(self) -> JS:
        """Focus the element the last ``push_focus`` remembered."""
        return self._with("pop_focus", {})

    # -- composition ----------------------------------------------------------------------------

    def exec(
        self,
        attr: str,
        *,
        to: str | None = None,
        inner: str | None = None,
        closest: str | None = None,
        document: str | None = None,
    ) -> JS:
        """Run the commands stored in the target's attribute ``attr`` (``"phx-remove"``)."""
        _check_attr("exec", attr)
        args: dict[str, Any] = {"attr": attr}
        _target("exec", args, to, inner, closest, document)
        return self._with("exec", args)

    def concat(self, *others: JS) -> JS:
        """This chain followed by ``others``."""
        ops = list(self._ops)
        for other in others:
            if not isinstance(other, JS):
                raise TypeError(f"JS.concat: expected JS chains, got {other!r}")
            ops.extend(other._ops)
        return _chain(tuple(ops))

    # -- encoding -------------------------------------------------------------------------------

    def to_encodable(self) -> list[list[Any]]:
        """The commands as JSON-ready lists: ``[[kind, {args}], ...]``."""
        return [[kind, args] for kind, args in self._ops]

    def __pylive_attr__(self) -> str:
        return orjson.dumps(self.to_encodable()).decode()

    __str__ = __pylive_attr__

    def __repr__(self) -> str:
        return f"JS({self.to_encodable()!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JS) and self._ops == other._ops

    def __hash__(self) -> int:
        return hash(str(self))

    def __len__(self) -> int:
        return len(self._ops)

    def __bool__(self) -> bool:
        return bool(self._ops)

    # -- building -------------------------------------------------------------------------------

    def _with(self, kind: str, args: dict[str, Any]) -> JS:
        return _chain((*self._ops, (kind, args)))

    def _plain(
        self,
        kind: str,
        to: str | None,
        inner: str | None,
        closest: str | None,
        document: str | None,
    ) -> JS:
        args: dict[str, Any] = {}
        _target(kind, args, to, inner, closest, document)
        return self._with(kind, args)

    def _animated(
        self,
        kind: str,
        to: str | None,
        inner: str | None,
        closest: str | None,
        document: str | None,
        transition: Transition | None,
        time: int,
        blocking: bool,
    ) -> dict[str, Any]:
        args: dict[str, Any] = {}
        _target(kind, args, to, inner, closest, document)
        if transition is not None:
            args["transition"] = _transition(kind, transition)
        if type(time) is not int or time < 0:
            raise ValueError(f"JS.{kind}: time must be a whole number of ms >= 0, got {time!r}")
        if time != DEFAULT_TIME:
            args["time"] = time
        if not blocking:
            args["blocking"] = False
        return args

    def _classes(
        self,
        kind: str,
        names: str,
        to: str | None,
        inner: str | None,
        closest: str | None,
        document: str | None,
        transition: Transition | None,
        time: int,
        blocking: bool,
    ) -> JS:
        if not isinstance(names, str) or not names.split():
            raise ValueError(f"JS.{kind}: expected space-separated class names, got {names!r}")
        args = {"names": names.split()}
        args.update(self._animated(kind, to, inner, closest, document, transition, time, blocking))
        return self._with(kind, args)


def _chain(ops: tuple[tuple[str, dict[str, Any]], ...]) -> JS:
    chain = JS.__new__(JS)
    chain._ops = ops
    return chain


def _target(
    kind: str,
    args: dict[str, Any],
    to: str | None,
    inner: str | None,
    closest: str | None,
    document: str | None,
) -> None:
    given = {
        name: value
        for name, value in (("to", to), ("inner", inner), ("closest", closest),
                            ("document", document))
        if value is not None
    }  # fmt: skip
    if len(given) > 1:
        raise TypeError(
            f"JS.{kind}: expected one target (to=, inner=, closest= or document=), got "
            f"{', '.join(f'{k}={v!r}' for k, v in given.items())}"
        )
    for name, value in given.items():
        selector = _selector(kind, name, value)
        args["to"] = selector if name == "to" else {name: selector}


def _selector(kind: str, option: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"JS.{kind}: {option} must be a CSS selector, got {value!r}")
    return value


def _transition(kind: str, value: object) -> list[list[str]]:
    if isinstance(value, str):
        encoded = [value.split(), [], []]
    elif isinstance(value, tuple) and len(value) == 3 and all(isinstance(v, str) for v in value):
        encoded = [part.split() for part in value]
    else:
        encoded = []
    if encoded:
        if not any(encoded):
            raise ValueError(f"JS.{kind}: a transition needs at least one class, got {value!r}")
        return encoded
    raise TypeError(
        f"JS.{kind}: a transition is a class string or a (transition, start, end) tuple of class "
        f"strings, got {value!r}"
    )


def _word(kind: str, option: str, value: object) -> str:
    if not isinstance(value, str) or not value or any(c.isspace() for c in value):
        raise TypeError(f"JS.{kind}: {option} must be a CSS value like 'flex', got {value!r}")
    return value


def _check_name(kind: str, option: str, value: object) -> None:
    if not isinstance(value, str) or not value:
        raise TypeError(f"JS.{kind}: {option} must be a non-empty str, got {value!r}")


def _check_attr(kind: str, name: object) -> None:
    if not isinstance(name, str):
        raise TypeError(f"JS.{kind}: expected an attribute name, got {name!r}")
    try:
        check_name(name)
    except TypeError as error:
        raise TypeError(f"JS.{kind}: {error}") from None


def _attr_values(kind: str, attr: object, sizes: tuple[int, ...]) -> tuple[str, ...]:
    if (
        not isinstance(attr, tuple)
        or len(attr) not in sizes
        or not all(isinstance(part, str) for part in attr)
    ):
        shape = " or ".join({2: "(name, value)", 3: "(name, value1, value2)"}[n] for n in sizes)
        raise TypeError(f"JS.{kind}: expected {shape} of str, got {attr!r}")
    _check_attr(kind, attr[0])
    return attr


def _href(kind: str, href: str, replace: bool) -> dict[str, Any]:
    args: dict[str, Any] = {"href": local_path(href, f"JS.{kind}")}
    if replace:
        args["replace"] = True
    return args
