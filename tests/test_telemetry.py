"""Telemetry: the exact events of a scripted session (names, order, metadata), exceptions as
spans, failing handlers detached, the slow-event logger, and no cost when nothing listens."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pylive import App, LiveComponent, LiveView, live_component, telemetry
from pylive.html import button, div, p
from pylive.node import Tree
from pylive.socket import Socket
from pylive.testing import ViewCrashed, live

SECRET = "a test secret, long enough"
SEEN: list[tuple[Any, ...]] = []


class Row(LiveComponent):
    def render(self, assigns: Any) -> Tree:
        return button("bump", phx_click="bump", phx_target=assigns.myself, id="bump")

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        socket.assign(bumped=True)


class Counter(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(n=0)

    def render(self, assigns: Any) -> Tree:
        return div(p(str(assigns.n), id="n"), live_component(Row, id="r"))

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        if event == "boom":
            raise RuntimeError("boom")
        socket.assign(n=socket.assigns.n + 1)


def record(event: tuple[str, ...], measurements: dict[str, Any], metadata: dict[str, Any]) -> None:
    shown = {k: v for k, v in metadata.items() if k != "reason"}
    SEEN.append((event[1:], sorted(measurements), shown))


EVENTS = [
    ("pylive", scope, name, phase)
    for scope, names in (
        ("live_view", telemetry.VIEW_CALLBACKS),
        ("live_component", telemetry.COMPONENT_CALLBACKS),
    )
    for name in names
    for phase in ("start", "stop", "exception")
] + [("pylive", "live_view", "diff", "stop"), ("pylive", "socket", "frame", "sent")]


@pytest.fixture
def recorded() -> Iterator[list[tuple[Any, ...]]]:
    SEEN.clear()
    telemetry.attach("test-recorder", EVENTS, record)
    yield SEEN
    telemetry.detach("test-recorder")


def make_app() -> App:
    app = App(secret_key=SECRET)
    app.live("/", Counter)
    return app


def test_a_scripted_session_raises_exactly_these_events(recorded: list[Any]) -> None:
    with live(make_app(), "/") as view:
        recorded.clear()  # the HTTP render and the join are spans too; the event alone here
        view.element("#n").find()
        view._event("click", "inc", {})
        view.element("#bump").click()
    start, stop = ["system_time"], ["duration"]
    assert recorded == [
        (("live_view", "handle_event", "start"), start, {"view": "Counter", "event": "inc"}),
        (("live_view", "handle_event", "stop"), stop, {"view": "Counter", "event": "inc"}),
        (("live_view", "render", "start"), start, {"view": "Counter"}),
        (("live_view", "render", "stop"), stop, {"view": "Counter"}),
        (("live_view", "diff", "stop"), ["duration", "ops"], {"view": "Counter"}),
        (("socket", "frame", "sent"), ["bytes"], {"view": "Counter", "type": "reply"}),
        (
            ("live_component", "handle_event", "start"),
            start,
            {"component": "Row(id='r')", "event": "bump"},
        ),
        (
            ("live_component", "handle_event", "stop"),
            stop,
            {"component": "Row(id='r')", "event": "bump"},
        ),
        (("live_component", "render", "start"), start, {"component": "Row(id='r')"}),
        (("live_component", "render", "stop"), stop, {"component": "Row(id='r')"}),
        (("socket", "frame", "sent"), ["bytes"], {"view": "Counter", "type": "reply"}),
    ]


def test_the_join_mounts_and_renders_as_spans(recorded: list[Any]) -> None:
    with live(make_app(), "/"):
        pass
    names = [event for event, _, _ in recorded]
    mount = [("live_view", "mount", "start"), ("live_view", "mount", "stop")]
    params = [("live_view", "handle_params", "start"), ("live_view", "handle_params", "stop")]
    render = [("live_view", "render", "start"), ("live_view", "render", "stop")]
    update = [("live_component", "update", "start"), ("live_component", "update", "stop")]
    component = [("live_component", "render", "start"), ("live_component", "render", "stop")]
    http = [*mount, *params, *render, *update, *component]
    assert names == [*http, *http, ("socket", "frame", "sent")]  # then the join's reply


def test_an_exception_ends_its_span_with_the_error(recorded: list[Any]) -> None:
    with live(make_app(), "/") as view:
        recorded.clear()
        with pytest.raises(ViewCrashed):
            view._event("click", "boom", {})
    assert recorded[:2] == [
        (
            ("live_view", "handle_event", "start"),
            ["system_time"],
            {"view": "Counter", "event": "boom"},
        ),
        (
            ("live_view", "handle_event", "exception"),
            ["duration"],
            {"view": "Counter", "event": "boom", "kind": "RuntimeError"},
        ),
    ]


def test_a_span_s_events_share_one_metadata_dict() -> None:
    """How a handler pairs an end with its start (``pylive.telemetry_otel`` does): by identity,
    since two clicks on one view have equal metadata."""
    given: list[tuple[str, dict[str, Any]]] = []
    events = [("pylive", "live_view", "handle_event", p) for p in ("start", "stop", "exception")]
    telemetry.attach("identity", events, lambda e, m, md: given.append((e[-1], md)))
    try:
        with live(make_app(), "/") as view:
            view._event("click", "inc", {})
            view._event("click", "inc", {})
            with pytest.raises(ViewCrashed):
                view._event("click", "boom", {})
    finally:
        telemetry.detach("identity")
    phases = [phase for phase, _ in given]
    assert phases == ["start", "stop", "start", "stop", "start", "exception"]
    (_, one), (_, one_end), (_, two), (_, two_end), (_, boom), (_, boom_end) = given
    assert one_end is one and two_end is two and boom_end is boom
    assert one == two and one is not two
    assert (boom["kind"], type(boom["reason"])) == ("RuntimeError", RuntimeError)


def test_a_failing_handler_is_detached_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    def broken(event: Any, measurements: Any, metadata: Any) -> None:
        raise ValueError("bad handler")

    telemetry.attach("broken", [("pylive", "live_view", "mount", "stop")], broken)
    with live(make_app(), "/") as view:
        assert view.element("#n").render() == '<p id="n">0</p>'  # the views never noticed
    assert telemetry.detach("broken") is False  # already gone
    assert "telemetry handler 'broken' failed" in caplog.text


def test_slow_events_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    telemetry.log_slow_events(threshold_ms=0)
    try:
        with caplog.at_level(logging.WARNING, "pylive.telemetry"):
            with live(make_app(), "/") as view:
                view._event("click", "inc", {})
    finally:
        telemetry.detach("pylive-slow-events")
    assert "slow handle_event 'inc' in Counter:" in caplog.text


def test_attach_refuses_what_it_cannot_call() -> None:
    with pytest.raises(TypeError, match=r"telemetry.attach\('x'\): expected a function"):
        telemetry.attach("x", [("pylive",)], "nope")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="expected events as tuples of names"):
        telemetry.attach("x", [], print)
    telemetry.attach("x", [("a", "b")], print)
    with pytest.raises(ValueError, match="a handler 'x' is already attached"):
        telemetry.attach("x", [("a", "b")], print)
    assert telemetry.detach("x") is True
    assert not telemetry.listened(("a", "b"))


def test_the_docs_example_runs_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    text = (Path(__file__).parent.parent / "docs" / "telemetry.md").read_text()
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    try:
        exec(compile(code, "docs/telemetry.md", "exec"), {})
        with live(make_app(), "/") as view:
            view._event("click", "inc", {})
        printed = capsys.readouterr().out.splitlines()
        assert printed[-1].startswith("('pylive', 'live_view', 'handle_event', 'stop') ")
        assert printed[-1].endswith(" ms {'view': 'Counter', 'event': 'inc'}")
    finally:
        telemetry.detach("my-metrics")
        telemetry.detach("pylive-slow-events")


class Words(LiveView):
    def render(self, assigns: Any) -> Tree:
        return p("déjà vu ✓" if assigns.live_action == "accents" else "deja vu v", id="words")


def test_frames_sent_are_counted_in_bytes_on_the_wire_not_characters() -> None:
    app = App(secret_key=SECRET)
    app.live("/a", Words, "plain")
    app.live("/b", Words, "accents")
    sizes: list[int] = []
    telemetry.attach(
        "bytes", [("pylive", "socket", "frame", "sent")], lambda e, m, md: sizes.append(m["bytes"])
    )
    try:
        for path in ("/a", "/b"):
            with live(app, path):
                pass
    finally:
        telemetry.detach("bytes")
    plain, accents = sizes  # the join replies: the same characters, é à ✓ are 4 bytes more
    assert accents - plain == 4
