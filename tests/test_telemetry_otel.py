"""The OpenTelemetry bridge (``pylive.telemetry_otel``) with the SDK's in-memory exporter: the
exact spans of a scripted session (names, parents, attributes, times, errors), the spans a
callback starts nested under its span (in a worker thread too), and spans that never cross when
callbacks of equal metadata interleave on one loop or in threads."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

from pylive import (
    App,
    LiveComponent,
    LiveView,
    in_thread,
    lifecycle,
    live_component,
    telemetry,
    telemetry_otel,
)
from pylive.html import button, div, p
from pylive.node import Tree
from pylive.socket import Socket
from pylive.testing import ViewCrashed, live
from pylive.version import __version__

SECRET = "a test secret, long enough"
EXPORTER = InMemorySpanExporter()
PROVIDER = TracerProvider()
PROVIDER.add_span_processor(SimpleSpanProcessor(EXPORTER))
APP_TRACER = PROVIDER.get_tracer("the app")
"""What a user's own code traces with (a database query in a callback)."""


class Row(LiveComponent):
    def render(self, assigns: Any) -> Tree:
        return button("bump", phx_click="bump", phx_target=assigns.myself, id="bump")

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        with APP_TRACER.start_as_current_span("row query"):
            socket.assign(bumped=True)


class Counter(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(n=0)

    def render(self, assigns: Any) -> Tree:
        return div(p(str(assigns.n), id="n"), live_component(Row, id="r"))

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        if event == "boom":
            raise RuntimeError("boom")
        with APP_TRACER.start_as_current_span("query"):
            socket.assign(n=socket.assigns.n + 1)


class Blocking(LiveView):
    """A callback pylive runs in a worker thread (``in_thread``)."""

    def render(self, assigns: Any) -> Tree:
        return p("blocking", id="b")

    @in_thread
    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        with APP_TRACER.start_as_current_span("query in a thread"):
            assert threading.current_thread() is not threading.main_thread()


def make_app() -> App:
    app = App(secret_key=SECRET)
    app.live("/", Counter)
    app.live("/blocking", Blocking)
    return app


@pytest.fixture
def spans() -> Iterator[Spans]:
    EXPORTER.clear()
    bridge = telemetry_otel.instrument(PROVIDER)
    try:
        yield Spans()
    finally:
        assert telemetry_otel.uninstrument() is True
        assert bridge.open_spans == 0


class Spans:
    """The spans the exporter has, in the order they ended."""

    def __iter__(self) -> Iterator[ReadableSpan]:
        return iter(EXPORTER.get_finished_spans())

    def __getitem__(self, index: int) -> ReadableSpan:
        return EXPORTER.get_finished_spans()[index]

    def clear(self) -> None:
        EXPORTER.clear()


def shape(span: ReadableSpan, spans: Spans) -> tuple[Any, ...]:
    """A span as ``(name, its parent's name, attributes, status)``, its parent among ``spans``."""
    parent = None
    if span.parent is not None:
        found = [s.name for s in spans if s.context.span_id == span.parent.span_id]
        parent = found[0] if found else "(elsewhere)"
    return span.name, parent, dict(span.attributes or {}), span.status.status_code


UNSET, ERROR = StatusCode.UNSET, StatusCode.ERROR
VIEW = {"pylive.view": "Counter"}


def test_a_scripted_session_makes_exactly_these_spans(spans: Spans) -> None:
    with live(make_app(), "/") as view:
        spans.clear()  # the HTTP render and the join are spans too: the events alone here
        view._event("click", "inc", {})
        view.element("#bump").click()
    row = {"pylive.component": "Row(id='r')"}
    assert [shape(s, spans) for s in spans] == [
        ("query", "pylive.live_view.handle_event", {}, UNSET),
        ("pylive.live_view.handle_event", None, {**VIEW, "pylive.event": "inc"}, UNSET),
        ("pylive.live_view.render", None, VIEW, UNSET),
        ("row query", "pylive.live_component.handle_event", {}, UNSET),
        ("pylive.live_component.handle_event", None, {**row, "pylive.event": "bump"}, UNSET),
        ("pylive.live_component.render", None, row, UNSET),
    ]
    assert {(s.instrumentation_scope.name, s.instrumentation_scope.version) for s in spans} == {
        ("the app", ""),
        ("pylive", __version__),
    }


def test_the_page_and_the_join_are_spans_under_the_current_span(
    spans: Spans,
) -> None:
    """What is current when the page is requested (a server's request span) is the parent."""
    with APP_TRACER.start_as_current_span("GET /"):
        with live(make_app(), "/"):
            pass
    callbacks = [
        ("pylive.live_view.mount", VIEW),
        ("pylive.live_view.handle_params", VIEW),
        ("pylive.live_view.render", VIEW),
        ("pylive.live_component.update", {"pylive.component": "Row(id='r')"}),
        ("pylive.live_component.render", {"pylive.component": "Row(id='r')"}),
    ]
    page = [(name, "GET /", attributes, UNSET) for name, attributes in callbacks]
    assert [shape(s, spans) for s in spans] == [*page, *page, ("GET /", None, {}, UNSET)]
    traces = {s.context.trace_id for s in spans}
    assert len(traces) == 1


def test_a_span_lasts_its_callback_s_measured_time(spans: Spans) -> None:
    measured: list[dict[str, Any]] = []
    events = [("pylive", "live_view", "handle_event", p) for p in ("start", "stop")]
    telemetry.attach("measured", events, lambda e, m, md: measured.append(m))
    try:
        with live(make_app(), "/") as view:
            spans.clear()
            view._event("click", "inc", {})
    finally:
        telemetry.detach("measured")
    (span,) = [s for s in spans if s.name == "pylive.live_view.handle_event"]
    (query,) = [s for s in spans if s.name == "query"]
    start, stop = measured
    assert span.start_time == start["system_time"]
    assert span.end_time == start["system_time"] + stop["duration"]
    assert query.start_time is not None and query.end_time is not None
    assert span.start_time <= query.start_time <= query.end_time <= span.end_time


def test_an_exception_is_recorded_and_ends_its_span_as_an_error(
    spans: Spans,
) -> None:
    with live(make_app(), "/") as view:
        spans.clear()
        with pytest.raises(ViewCrashed):
            view._event("click", "boom", {})
    span = spans[0]
    attributes = {**VIEW, "pylive.event": "boom", "error.type": "RuntimeError"}
    assert shape(span, spans) == ("pylive.live_view.handle_event", None, attributes, ERROR)
    assert span.status.description == "RuntimeError: boom"
    (recorded,) = span.events
    assert recorded.name == "exception"
    assert recorded.timestamp == span.end_time
    assert {
        k: v for k, v in (recorded.attributes or {}).items() if k != "exception.stacktrace"
    } == {
        "exception.type": "RuntimeError",
        "exception.message": "boom",
        "exception.escaped": "True",
    }
    assert 'raise RuntimeError("boom")' in str((recorded.attributes or {})["exception.stacktrace"])


def test_a_callback_in_a_worker_thread_has_its_spans_nested(spans: Spans) -> None:
    with live(make_app(), "/blocking") as view:
        spans.clear()
        view._event("click", "go", {})
        view._event("click", "again", {})
    at = {"pylive.view": "Blocking"}
    assert [shape(s, spans) for s in spans] == [
        ("query in a thread", "pylive.live_view.handle_event", {}, UNSET),
        ("pylive.live_view.handle_event", None, {**at, "pylive.event": "go"}, UNSET),
        ("query in a thread", "pylive.live_view.handle_event", {}, UNSET),
        ("pylive.live_view.handle_event", None, {**at, "pylive.event": "again"}, UNSET),
    ]  # nothing changed: no render
    first_query, first_event, second_query, second_event = spans
    assert first_query.parent is not None and second_query.parent is not None
    assert first_query.parent.span_id == first_event.context.span_id
    assert second_query.parent.span_id == second_event.context.span_id


# -- interleaving: two views with equal metadata, one loop ---------------------------------------


class Waiting(LiveView):
    """``go`` with ``{"who": "a"}`` waits until ``{"who": "b"}`` has run: the two calls
    interleave, with equal telemetry metadata ({"view": "Waiting", "event": "go"})."""

    def __init__(self, started: asyncio.Event, released: asyncio.Event) -> None:
        self.started, self.released = started, released

    def render(self, assigns: Any) -> Tree:
        return p("waiting")

    async def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        if params["who"] == "a":
            self.started.set()
            await self.released.wait()
        else:
            self.released.set()
        with APP_TRACER.start_as_current_span(f"query {params['who']}"):
            pass


def pairs(spans: Spans) -> dict[str, tuple[int, int, int]]:
    """Each user span's name: its parent span's (start, end) and the parent's own parent
    (0: none)."""
    by_id = {s.context.span_id: s for s in spans}
    found = {}
    for span in spans:
        if span.name.startswith("query ") and span.parent is not None:
            parent = by_id[span.parent.span_id]
            assert parent.start_time is not None and parent.end_time is not None
            grand = 0 if parent.parent is None else parent.parent.span_id
            found[span.name] = (parent.start_time, parent.end_time, grand)
    return found


def test_interleaved_async_callbacks_never_cross_their_spans(spans: Spans) -> None:
    async def both() -> None:
        started, released = asyncio.Event(), asyncio.Event()
        a, b = Waiting(started, released), Waiting(started, released)
        first = asyncio.create_task(lifecycle.handle_event(a, "go", {"who": "a"}, Socket("W")))
        await started.wait()  # a is inside its callback, its span open
        await lifecycle.handle_event(b, "go", {"who": "b"}, Socket("W"))
        await first

    asyncio.run(both())
    names = [s.name for s in spans]
    event = "pylive.live_view.handle_event"
    assert names == ["query b", event, "query a", event]  # b started last and ended first
    b_span, a_span = spans[1], spans[3]
    assert a_span.start_time is not None and a_span.end_time is not None
    assert b_span.start_time is not None and b_span.end_time is not None
    assert a_span.start_time < b_span.start_time <= b_span.end_time < a_span.end_time
    assert pairs(spans) == {
        "query a": (a_span.start_time, a_span.end_time, 0),
        "query b": (b_span.start_time, b_span.end_time, 0),  # b's span is not inside a's
    }
    attributes = {"pylive.view": "Waiting", "pylive.event": "go"}
    assert dict(a_span.attributes or {}) == dict(b_span.attributes or {}) == attributes


class Threaded(LiveView):
    """``Waiting``, with a blocking callback in worker threads."""

    def __init__(self, started: threading.Event, released: threading.Event) -> None:
        self.started, self.released = started, released

    def render(self, assigns: Any) -> Tree:
        return p("threaded")

    @in_thread
    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        if params["who"] == "a":
            self.started.set()
            assert self.released.wait(5)
        else:
            self.released.set()
        with APP_TRACER.start_as_current_span(f"query {params['who']}"):
            pass


def test_interleaved_callbacks_in_threads_never_cross_their_spans(
    spans: Spans,
) -> None:
    async def both() -> None:
        started, released = threading.Event(), threading.Event()
        a, b = Threaded(started, released), Threaded(started, released)
        first = asyncio.create_task(lifecycle.handle_event(a, "go", {"who": "a"}, Socket("T")))
        while not started.is_set():
            await asyncio.sleep(0.001)
        await lifecycle.handle_event(b, "go", {"who": "b"}, Socket("T"))
        await first

    asyncio.run(both())
    event = "pylive.live_view.handle_event"
    assert sorted(s.name for s in spans) == [event, event, "query a", "query b"]
    a_span, b_span = sorted((s for s in spans if s.name == event), key=lambda s: s.start_time or 0)
    assert a_span.start_time is not None and a_span.end_time is not None
    assert b_span.start_time is not None and b_span.end_time is not None
    assert a_span.start_time < b_span.start_time  # a's callback started first, b's in its time
    assert pairs(spans) == {
        "query a": (a_span.start_time, a_span.end_time, 0),
        "query b": (b_span.start_time, b_span.end_time, 0),
    }


# -- instrument / uninstrument --------------------------------------------------------------------


def test_uninstrument_stops_the_spans() -> None:
    EXPORTER.clear()
    telemetry_otel.instrument(PROVIDER)
    try:
        with pytest.raises(ValueError, match="expected one bridge per handler id, got 'pylive-"):
            telemetry_otel.instrument(PROVIDER)
    finally:
        assert telemetry_otel.uninstrument() is True
    assert telemetry_otel.uninstrument() is False
    with live(make_app(), "/") as view:
        view._event("click", "inc", {})
    assert [s.name for s in EXPORTER.get_finished_spans()] == ["query"]  # the app's own only
    assert not any(telemetry.listened(event) for event in telemetry_otel.EVENTS)


def test_the_docs_example_runs_as_written() -> None:
    text = (Path(__file__).parent.parent / "docs" / "telemetry.md").read_text()
    code = text.split("## OpenTelemetry", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    seen = InMemorySpanExporter()  # beside the example's console exporter
    try:
        exec(compile(code, "docs/telemetry.md", "exec"), namespace)
        namespace["provider"].add_span_processor(SimpleSpanProcessor(seen))
        with live(make_app(), "/") as view:
            seen.clear()
            view._event("click", "inc", {})
    finally:
        assert telemetry_otel.uninstrument() is True
        namespace["provider"].shutdown()
    event = [s for s in seen.get_finished_spans() if s.name == "pylive.live_view.handle_event"]
    assert [dict(s.attributes or {}) for s in event] == [{**VIEW, "pylive.event": "inc"}]
