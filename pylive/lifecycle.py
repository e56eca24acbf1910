"""Every call of a user callback, in one place: the stages of a live view's and a live
component's life, each return checked the same way, one error type, and where hooks plug in.

The session and the component registry never call ``view.mount(...)`` or ``component.update(...)``
themselves: they call the stage here (``await lifecycle.mount(view, params, session, socket)``),
which runs the stage's hooks, then the callback (``def`` or ``async def``, through
``pylive._callbacks.call``), then checks what it returned. As in Phoenix's ``lifecycle.ex``, each
stage has its own list of hooks, run in order before the callback; a hook returns ``HALT`` to stop
there (the callback and later hooks do not run) or anything else to go on; the hooks of the
two render stages only observe, synchronously (a page needs its tree). As in Preact's
``options``, the core calls hooks it does not import: on_mount hooks, ``attach_hook``, telemetry
and error reporting attach here (``attach``), and nothing of theirs is imported by this module.

Stages and what their callback may return:

========================  =======================================================
``mount``                 None (or the socket)
``handle_params``         None (or the socket)
``handle_event``          None (or the socket), or a dict: the reply to the client
``handle_info``           None (or the socket)
``handle_async``          None (or the socket)
``render``                an element, a fragment, a str or None
``terminate``             anything (ignored)
``component_mount``       None (or the socket)
``component_update``      None (or the socket)
``component_update_many`` anything (ignored)
``component_event``       None (or the socket), or a dict reply
``component_render``      exactly one root element
========================  =======================================================
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from time import perf_counter_ns, time_ns
from typing import Any, Final, Literal

from pylive import telemetry
from pylive._callbacks import call
from pylive.attached_hooks import verdict
from pylive.exceptions import InvalidReturn as InvalidReturn
from pylive.node import Element, Fragment, Memo, Tree
from pylive.socket import Socket

Stage = Literal[
    "mount",
    "handle_params",
    "handle_event",
    "handle_info",
    "handle_async",
    "render",
    "terminate",
    "component_mount",
    "component_update",
    "component_update_many",
    "component_event",
    "component_render",
]
STAGES: Final[tuple[Stage, ...]] = (
    "mount",
    "handle_params",
    "handle_event",
    "handle_info",
    "handle_async",
    "render",
    "terminate",
    "component_mount",
    "component_update",
    "component_update_many",
    "component_event",
    "component_render",
)
HALT: Final = "halt"
"""What a hook returns to stop the stage: the callback (and the hooks after it) do not run."""


class Invocation:
    """One stage about to run: what a hook is given. ``owner`` is the view or component instance,
    ``name`` how errors and logs name it (``Counter``, ``Card(id='a')``), ``args`` the arguments
    the callback receives."""

    __slots__ = ("args", "name", "owner", "stage")

    def __init__(self, stage: Stage, owner: Any, name: str, args: tuple[Any, ...]) -> None:
        self.stage = stage
        self.owner = owner
        self.name = name
        self.args = args

    def __repr__(self) -> str:
        return f"<Invocation {self.stage} of {self.name}>"


Hook = Callable[[Invocation], Any]
"""A hook: called with the invocation before the callback; ``HALT`` (or an awaitable of it)
stops the stage. Sync or async."""

_hooks: dict[Stage, list[Hook]] = {stage: [] for stage in STAGES}


def attach(stage: Stage, hook: Hook) -> Callable[[], None]:
    """Run ``hook`` before every ``stage`` of every view or component, after the hooks attached
    before it. Returns a function that detaches it."""
    if stage not in _hooks:
        raise ValueError(f"lifecycle.attach: expected one of {', '.join(STAGES)}, got {stage!r}")
    if not callable(hook):
        raise TypeError(f"lifecycle.attach({stage!r}): expected a callable hook, got {hook!r}")
    hooks = _hooks[stage]
    hooks.append(hook)

    def detach() -> None:
        if hook in hooks:
            hooks.remove(hook)

    return detach


def name_of(owner: Any) -> str:
    """How errors name a view (its class's qualified name)."""
    cls = owner if isinstance(owner, type) else type(owner)
    return cls.__qualname__


# -- the stages of a view -----------------------------------------------------------------------


async def mount(view: Any, params: Any, session: Any, socket: Any) -> None:
    result = await _run("mount", view, name_of(view), view.mount, (params, session, socket))
    _none(result, socket, f"{name_of(view)}.mount")


async def on_mount(hook: Any, params: Any, session: Any, socket: Any) -> bool:
    """A live session's ``on_mount`` hook; whether it halted the mount (``"halt"``)."""
    name = getattr(hook, "__qualname__", repr(hook))
    result = await call(hook, params, session, socket)
    halted, _ = verdict(result, "on_mount", name, socket.view_name)
    return halted


async def handle_params(view: Any, params: Any, uri: str, socket: Any) -> None:
    halted, _ = await _attached(socket, "handle_params", (params, uri, socket))
    if halted:
        return
    callback = view.handle_params
    result = await _run("handle_params", view, name_of(view), callback, (params, uri, socket))
    _none(result, socket, f"{name_of(view)}.handle_params")


async def handle_event(view: Any, event: str, params: Any, socket: Any) -> dict[str, Any] | None:
    """The view's ``handle_event``; its reply dict, if it returned one (or a halting attached
    hook's)."""
    halted, reply = await _attached(socket, "handle_event", (event, params, socket))
    if halted:
        return reply
    result = await _run(
        "handle_event", view, name_of(view), view.handle_event, (event, params, socket)
    )
    return _reply(result, socket, f"{name_of(view)}.handle_event({event!r})")


async def handle_info(view: Any, msg: Any, socket: Any) -> None:
    if socket._attached is not None:  # (the fan-out's hot path: no coroutine when none)
        halted, _ = await _attached(socket, "handle_info", (msg, socket))
        if halted:
            return
    name = name_of(view)
    result = await _run("handle_info", view, name, view.handle_info, (msg, socket))
    if result is not None:
        _none(result, socket, f"{name}.handle_info")


async def handle_async(owner: Any, name: str, result: Any, socket: Any) -> None:
    """A view's or a live component's ``handle_async(name, result, socket)``: the outcome of
    its ``start_async(name, fn)``, ``("ok", value)`` or ``("exit", exception)``."""
    halted, _ = await _attached(socket, "handle_async", (name, result, socket))
    if halted:
        return
    where = f"{name_of(owner)}.handle_async({name!r})"
    result = await _run(
        "handle_async", owner, name_of(owner), owner.handle_async, (name, result, socket)
    )
    _none(result, socket, where)


async def after_render(socket: Any) -> None:
    """The ``after_render`` hooks attached to ``socket``, after a render of its owner."""
    attached = socket._attached
    if attached is None:
        return
    for _, fn in attached.of("after_render"):
        await call(fn, socket)


def render(view: Any, assigns: Any) -> Tree:
    """The view's ``render``, checked (synchronous, like the callback)."""
    hooks = _hooks["render"]
    if hooks:
        _run_hooks_sync(hooks, Invocation("render", view, name_of(view), (assigns,)))
    events = _listened("render")
    if events is None:
        tree = view.render(assigns)
    else:
        with _span(events, {"view": name_of(view)}):
            tree = view.render(assigns)
    if tree is not None and type(tree) not in (Element, Fragment, Memo, str):
        raise InvalidReturn(
            f"invalid return from {name_of(view)}.render: expected an element tree "
            f"(an element, a fragment, a str or None), got {tree!r}"
        )
    return tree  # type: ignore[no-any-return]


async def terminate(view: Any, reason: str, socket: Any) -> None:
    await _run("terminate", view, name_of(view), view.terminate, (reason, socket))


# -- the stages of a live component --------------------------------------------------------------


async def component_mount(component: Any, name: str, socket: Any) -> None:
    result = await _run("component_mount", component, name, component.mount, (socket,))
    _none(result, socket, f"{type(component).__qualname__}.mount")


async def component_update(component: Any, name: str, assigns: Any, socket: Any) -> None:
    result = await _run("component_update", component, name, component.update, (assigns, socket))
    _none(result, socket, f"{type(component).__qualname__}.update")


async def component_update_many(
    cls: type[Any], update_many: Callable[..., Any], pairs: list[tuple[Any, Any]]
) -> None:
    await _run("component_update_many", cls, cls.__qualname__, update_many, (pairs,))


async def component_event(
    component: Any, name: str, event: str, params: Any, socket: Any
) -> dict[str, Any] | None:
    """A component's ``handle_event``; its reply dict, if it returned one (or a halting
    attached hook's)."""
    halted, reply = await _attached(socket, "handle_event", (event, params, socket))
    if halted:
        return reply
    result = await _run(
        "component_event", component, name, component.handle_event, (event, params, socket)
    )
    return _reply(result, socket, f"{name}.handle_event({event!r})")


def component_render(component: Any, name: str, assigns: Any) -> Element:
    """A component's ``render``: exactly one root element (a memo resolved)."""
    hooks = _hooks["component_render"]
    if hooks:
        _run_hooks_sync(hooks, Invocation("component_render", component, name, (assigns,)))
    events = _listened("component_render")
    if events is None:
        tree = component.render(assigns)
    else:
        with _span(events, {"component": name}):
            tree = component.render(assigns)
    if type(tree) is Memo:
        tree = tree.resolve()
    if type(tree) is not Element:
        raise InvalidReturn(
            f"invalid return from {type(component).__qualname__}.render: a stateful component "
            f"must render exactly one root element, got {tree!r}"
        )
    return tree


# -- running a stage -----------------------------------------------------------------------------


async def _run(
    stage: Stage, owner: Any, name: str, callback: Callable[..., Any], args: tuple[Any, ...]
) -> Any:
    hooks = _hooks[stage]
    if hooks:
        invocation = Invocation(stage, owner, name, args)
        for hook in list(hooks):
            verdict = hook(invocation)
            if inspect.isawaitable(verdict):
                verdict = await verdict
            if verdict == HALT:
                return None
    events = _listened(stage)
    if events is None:
        return await call(callback, *args)
    with _span(events, _metadata(stage, name, args)):
        return await call(callback, *args)


# -- telemetry (pylive.telemetry): each callback is a span --------------------------------------

_TELEMETRY: dict[str, tuple[telemetry.Event, telemetry.Event, telemetry.Event]] = {
    stage: (
        ("pylive", scope, callback, "start"),
        ("pylive", scope, callback, "stop"),
        ("pylive", scope, callback, "exception"),
    )
    for stage, scope, callback in (
        ("mount", "live_view", "mount"),
        ("handle_params", "live_view", "handle_params"),
        ("handle_event", "live_view", "handle_event"),
        ("handle_info", "live_view", "handle_info"),
        ("handle_async", "live_view", "handle_async"),
        ("render", "live_view", "render"),
        ("component_update", "live_component", "update"),
        ("component_event", "live_component", "handle_event"),
        ("component_render", "live_component", "render"),
    )
}


def _listened(stage: str) -> tuple[telemetry.Event, telemetry.Event, telemetry.Event] | None:
    """The stage's span events, if a handler listens to one of them (else None: no cost)."""
    if not telemetry.active():
        return None
    events = _TELEMETRY.get(stage)
    if events is None or not any(telemetry.listened(event) for event in events):
        return None
    return events


def _metadata(stage: str, name: str, args: tuple[Any, ...]) -> dict[str, Any]:
    who = "component" if stage.startswith("component_") else "view"
    metadata: dict[str, Any] = {who: name}
    if stage in ("handle_event", "component_event"):
        metadata["event"] = args[0]
    return metadata


def _failure(metadata: dict[str, Any], error: BaseException) -> dict[str, Any]:
    """The exception event's metadata: the start's very dict, with ``kind`` and ``reason``
    added, so that a handler pairs the end of a span with its start by identity (what
    ``:telemetry.span``'s ``telemetry_span_context`` is for), however callbacks interleave."""
    metadata["kind"] = type(error).__name__
    metadata["reason"] = error
    return metadata


@contextmanager
def _span(
    events: tuple[telemetry.Event, telemetry.Event, telemetry.Event], metadata: dict[str, Any]
) -> Iterator[None]:
    """A callback's span: its start event, then its stop or its exception (with the start's
    very metadata dict), durations in ns. Sync, so it wraps an ``await`` or a plain call."""
    start, stop, failed = events
    began = perf_counter_ns()
    telemetry.execute(start, {"system_time": time_ns()}, metadata)
    try:
        yield
    except BaseException as error:
        telemetry.execute(
            failed, {"duration": perf_counter_ns() - began}, _failure(metadata, error)
        )
        raise
    telemetry.execute(stop, {"duration": perf_counter_ns() - began}, metadata)


async def _attached(
    socket: Any, stage: str, args: tuple[Any, ...]
) -> tuple[bool, dict[str, Any] | None]:
    """The hooks attached to ``socket`` for ``stage``, in order: ``(halted, reply)``."""
    attached = socket._attached
    if attached is None:
        return False, None
    for name, fn in attached.of(stage):
        halted, reply = verdict(await call(fn, *args), stage, name, socket.view_name)
        if halted:
            return True, reply
    return False, None


def _run_hooks_sync(hooks: list[Hook], invocation: Invocation) -> None:
    """Run the hooks of a render stage: they observe (a render cannot be halted: the page
    needs a tree), synchronously, as the render runs."""
    for hook in list(hooks):
        verdict = hook(invocation)
        if isinstance(verdict, Awaitable):
            raise TypeError(
                f"a {invocation.stage} hook must be synchronous (render is): {hook!r} returned "
                f"an awaitable"
            )


def _none(result: Any, socket: Any, where: str) -> None:
    if result is not None and result is not socket:
        raise InvalidReturn(
            f"invalid return from {where}: expected None (or the socket), got {result!r}"
        )


def _reply(result: Any, socket: Any, where: str) -> dict[str, Any] | None:
    if result is None or result is socket or isinstance(result, Socket):
        return None
    if isinstance(result, dict):
        return result
    raise InvalidReturn(
        f"invalid return from {where}: expected None or a dict reply, got {result!r}"
    )
