"""OpenTelemetry for pylive: one span for every callback of a live view or live component,
made from pylive's telemetry events (``pylive.telemetry``), as ``opentelemetry_phoenix`` makes
them from LiveView's.

    from pylive import telemetry_otel

    telemetry_otel.instrument()        # the global tracer provider, or tracer_provider=...
    ...
    telemetry_otel.uninstrument()

================================================  ==========================================
span name                                         attributes
================================================  ==========================================
``pylive.live_view.<callback>``: ``mount``,       ``pylive.view``; ``pylive.event`` for
``handle_params``, ``handle_event``,              ``handle_event``
``handle_info``, ``handle_async``, ``render``
``pylive.live_component.<callback>``: ``update``, ``pylive.component`` (``Row(id='r1')``);
``handle_event``, ``render``                      ``pylive.event``
================================================  ==========================================

A span starts at the start event's ``system_time`` and lasts the stop event's ``duration``
(the callback's own time, measured by the lifecycle seam). A callback that raises ends its span
with the exception recorded (an ``exception`` span event), ``error.type`` set to its class's
name and the status ``ERROR``. Spans are ``INTERNAL``; their parent is the span current when the
callback starts (a server span of the HTTP request, when the server is instrumented), and each
is current while its callback runs: the spans a callback starts (a database query) are its
children, in a worker thread too (``pylive._callbacks`` moves a blocking callback there with
its context).

A span's end is paired with its start by the identity of the events' metadata dict (the
lifecycle seam gives the start, stop and exception events of one span the same dict), so spans
never cross when ``async def`` callbacks of several views interleave on one event loop.

Needs ``opentelemetry-api`` (``pip install 'pylive[opentelemetry]'``), and an SDK to export
anything; ``import pylive`` never imports this module.
"""

from __future__ import annotations

import threading
from contextvars import Token
from typing import Any, Final

from opentelemetry import context, trace
from opentelemetry.context import Context
from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer, TracerProvider

from pylive import telemetry
from pylive.telemetry import COMPONENT_CALLBACKS, VIEW_CALLBACKS, Event
from pylive.version import __version__

HANDLER_ID: Final = "pylive-opentelemetry"
"""The telemetry handler ``instrument`` attaches (``pylive.telemetry.detach`` takes it too)."""
INSTRUMENTATION_SCOPE: Final = "pylive"
"""The tracer's name: the instrumentation scope of every span the bridge makes."""

_SPANS: Final[dict[Event, str]] = {
    ("pylive", scope, callback): f"pylive.{scope}.{callback}"
    for scope, callbacks in (("live_view", VIEW_CALLBACKS), ("live_component", COMPONENT_CALLBACKS))
    for callback in callbacks
}
EVENTS: Final[tuple[Event, ...]] = tuple(
    (*span, phase) for span in _SPANS for phase in ("start", "stop", "exception")
)
"""The telemetry events the bridge listens to: each callback's start, stop and exception."""

_ATTRIBUTES: Final = {
    "view": "pylive.view",
    "component": "pylive.component",
    "event": "pylive.event",
}


class SpanBridge:
    """The telemetry handler that turns each callback's events into a span (what
    ``instrument`` attaches and returns). ``open_spans``: the spans started and not yet ended."""

    def __init__(self, tracer: Tracer, handler_id: str = HANDLER_ID) -> None:
        self.tracer = tracer
        self.handler_id = handler_id
        self._open: dict[int, tuple[dict[str, Any], trace.Span, Token[Context], int]] = {}
        """By ``id(metadata)``: the metadata (held, so that its id is not reused while the span
        is open), the span, the context token that made it current, its start (ns)."""

    @property
    def open_spans(self) -> int:
        return len(self._open)

    def __call__(
        self, event: Event, measurements: dict[str, Any], metadata: dict[str, Any]
    ) -> None:
        if event[-1] == "start":
            self._start(event, measurements["system_time"], metadata)
        else:
            self._end(event[-1] == "exception", measurements["duration"], metadata)

    def _start(self, event: Event, start: int, metadata: dict[str, Any]) -> None:
        attributes = {_ATTRIBUTES[k]: str(v) for k, v in metadata.items() if k in _ATTRIBUTES}
        span = self.tracer.start_span(
            _SPANS[event[:-1]], kind=SpanKind.INTERNAL, attributes=attributes, start_time=start
        )
        token = context.attach(trace.set_span_in_context(span))
        self._open[id(metadata)] = (metadata, span, token, start)

    def _end(self, failed: bool, duration: int, metadata: dict[str, Any]) -> None:
        opened = self._open.pop(id(metadata), None)
        if opened is None:  # it started before the bridge was attached
            return
        _, span, token, start = opened
        end = start + duration
        if failed:
            kind, reason = str(metadata.get("kind")), metadata.get("reason")
            if isinstance(reason, BaseException):
                span.record_exception(reason, timestamp=end, escaped=True)
            span.set_attribute("error.type", kind)
            span.set_status(Status(StatusCode.ERROR, f"{kind}: {reason}"))
        span.end(end_time=end)
        context.detach(token)

    def __repr__(self) -> str:
        return f"<SpanBridge {self.handler_id!r} open={self.open_spans}>"


_LOCK = threading.Lock()
_BRIDGES: dict[str, SpanBridge] = {}


def instrument(
    tracer_provider: TracerProvider | None = None, *, handler_id: str = HANDLER_ID
) -> SpanBridge:
    """Make a span of every callback from now on, with a tracer of ``tracer_provider`` (the
    global one, ``opentelemetry.trace.set_tracer_provider``, by default). Returns the bridge;
    ``uninstrument(handler_id)`` stops it."""
    tracer = trace.get_tracer(INSTRUMENTATION_SCOPE, __version__, tracer_provider=tracer_provider)
    with _LOCK:
        if handler_id in _BRIDGES:
            raise ValueError(
                f"telemetry_otel.instrument: expected one bridge per handler id, got "
                f"{handler_id!r} again (call uninstrument({handler_id!r}) first)"
            )
        bridge = SpanBridge(tracer, handler_id)
        telemetry.attach(handler_id, EVENTS, bridge)
        _BRIDGES[handler_id] = bridge
    return bridge


def uninstrument(handler_id: str = HANDLER_ID) -> bool:
    """Stop making spans (the bridge ``instrument(handler_id=...)`` attached); whether it was
    instrumented. Spans open at that moment are never ended (not exported)."""
    with _LOCK:
        bridge = _BRIDGES.pop(handler_id, None)
        if bridge is None:
            return False
        telemetry.detach(handler_id)
        bridge._open.clear()
        return True
