"""Telemetry: events for every user callback, raised through the lifecycle seam, for handlers
you attach (Elixir's ``:telemetry``, as LiveView raises them).

Each callback is a span: ``(..., "start")`` with ``{"system_time": ns}``, then ``(..., "stop")``
with ``{"duration": ns}``, or ``(..., "exception")`` with ``{"duration": ns}`` and the error in
the metadata (``"kind"``, ``"reason"``). Event names:

=============================================  ================================================
``("pylive", "live_view", <callback>, ...)``   ``mount``, ``handle_params``, ``handle_event``,
                                               ``handle_info``, ``handle_async``, ``render``
``("pylive", "live_component", <cb>, ...)``    ``update``, ``handle_event``, ``render``
``("pylive", "live_view", "diff", "stop")``    ``{"duration": ns, "ops": n}``
``("pylive", "socket", "frame", "sent")``      ``{"bytes": n}``; metadata ``{"view", "type"}``
``("pylive", "live_view", "join")``            a view mounted live: ``{"system_time": ns}``
``("pylive", "live_view", "leave")``           it left: ``{"duration": ns}``, ``{"view", "reason"}``
=============================================  ================================================

Metadata: ``{"view": name}`` (a component's: ``{"component": name}``), and ``"event"`` for
``handle_event``. The start, stop and exception events of one span are given the very same
metadata dict (the exception's with ``kind`` and ``reason`` added): a handler pairs an end with
its start by identity, never by equality (two clicks on one view have equal metadata), which
holds however callbacks interleave on the loop or move to threads (``pylive.telemetry_otel``).
With no handler attached at all, a callback costs one truthiness check more; with handlers on
other events, a few dict lookups.

>>> seen = []
>>> attach("demo", [("pylive", "live_view", "mount", "stop")], lambda e, m, md: seen.append(e))
>>> execute(("pylive", "live_view", "mount", "stop"), {"duration": 5}, {"view": "Counter"})
>>> seen
[('pylive', 'live_view', 'mount', 'stop')]
>>> detach("demo")
True

A handler that raises is detached (and logged), as ``:telemetry`` does: a broken metrics
handler must not break the views.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

Event = tuple[str, ...]
Handler = Callable[[Event, dict[str, Any], dict[str, Any]], Any]

log = logging.getLogger("pylive.telemetry")

_LOCK = threading.Lock()
_BY_ID: dict[str, tuple[tuple[Event, ...], Handler]] = {}
_BY_EVENT: dict[Event, list[tuple[str, Handler]]] = {}

VIEW_CALLBACKS = ("mount", "handle_params", "handle_event", "handle_info", "handle_async", "render")
COMPONENT_CALLBACKS = ("update", "handle_event", "render")


def attach(handler_id: str, events: Iterable[Event], handler: Handler) -> None:
    """Call ``handler(event, measurements, metadata)`` for each of ``events``; ``handler_id``
    names it for ``detach`` (attaching an id twice is an error)."""
    wanted = tuple(tuple(event) for event in events)
    if not callable(handler):
        raise TypeError(f"telemetry.attach({handler_id!r}): expected a function, got {handler!r}")
    if not wanted or not all(e and all(isinstance(p, str) for p in e) for e in wanted):
        raise ValueError(
            f"telemetry.attach({handler_id!r}): expected events as tuples of names, got {wanted!r}"
        )
    with _LOCK:
        if handler_id in _BY_ID:
            raise ValueError(f"telemetry.attach: a handler {handler_id!r} is already attached")
        _BY_ID[handler_id] = (wanted, handler)
        for event in wanted:
            _BY_EVENT.setdefault(event, []).append((handler_id, handler))


def detach(handler_id: str) -> bool:
    """Remove the handler ``handler_id``; whether it was attached."""
    with _LOCK:
        found = _BY_ID.pop(handler_id, None)
        if found is None:
            return False
        for event in found[0]:
            kept = [(i, h) for i, h in _BY_EVENT.get(event, []) if i != handler_id]
            if kept:
                _BY_EVENT[event] = kept
            else:
                _BY_EVENT.pop(event, None)
        return True


def active() -> bool:
    """Whether any handler is attached at all (the check every callback makes first)."""
    return bool(_BY_EVENT)


def listened(event: Event) -> bool:
    """Whether some handler is attached to ``event`` (the fast path's check)."""
    return event in _BY_EVENT


def execute(event: Event, measurements: dict[str, Any], metadata: dict[str, Any]) -> None:
    """Call the handlers of ``event``, in the order attached."""
    for handler_id, handler in list(_BY_EVENT.get(event, ())):
        try:
            handler(event, measurements, metadata)
        except Exception:
            log.exception("telemetry handler %r failed on %r; it is detached", handler_id, event)
            detach(handler_id)


def log_slow_events(threshold_ms: float = 100.0, handler_id: str = "pylive-slow-events") -> None:
    """Attach a handler that logs a warning for each callback slower than ``threshold_ms``
    (the mount, params, event, message and async callbacks of views and components)."""
    events = [("pylive", "live_view", name, "stop") for name in VIEW_CALLBACKS] + [
        ("pylive", "live_component", name, "stop") for name in COMPONENT_CALLBACKS
    ]
    limit_ns = threshold_ms * 1_000_000

    def warn(event: Event, measurements: dict[str, Any], metadata: dict[str, Any]) -> None:
        duration = measurements.get("duration", 0)
        if duration > limit_ns:
            who = metadata.get("component") or metadata.get("view")
            what = f" {metadata['event']!r}" if "event" in metadata else ""
            log.warning(
                "slow %s%s in %s: %.1f ms (over %.0f ms)",
                event[2],
                what,
                who,
                duration / 1e6,
                threshold_ms,
            )

    attach(handler_id, events, warn)
