"""The live dashboard: the collector's exact figures for scripted telemetry (bounded memory, per
second series, percentiles, the slowest events), the join and leave events the runtime raises,
the dashboard view through the test client after scripted sessions, and its protection."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pylive import App, LiveView, pubsub, telemetry
from pylive.dashboard import (
    REFRESH,
    format_bytes,
    format_ms,
    format_uptime,
    live_dashboard,
    sparkline,
)
from pylive.dashboard_metrics import (
    COMPONENT_EVENT_STOP,
    EVENT_STOP,
    FRAME_SENT,
    MAX_LABEL,
    MOUNT_STOP,
    OTHER,
    RENDER_STOP,
    DashboardMetrics,
    Percentiles,
    SlowEvent,
    ViewStats,
    percentiles,
    rss_bytes,
)
from pylive.html import button, div, p
from pylive.node import Tree
from pylive.render import render_html
from pylive.session import VIEW_JOIN, VIEW_LEAVE
from pylive.socket import Socket
from pylive.testing import LiveViewClient, Redirected, TestClient, ViewCrashed, live

SECRET = "a test secret, long enough"
MS = 1_000_000


class Clock:
    """The collector's clock, moved by the test."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def metrics(clock: Clock) -> DashboardMetrics:
    return DashboardMetrics(clock=clock, memory=lambda: 64 * 1024 * 1024, history=10)


def event(m: DashboardMetrics, view: str, name: str, ms: float) -> None:
    m.handle(EVENT_STOP, {"duration": int(ms * MS)}, {"view": view, "event": name})


# -- the collector ------------------------------------------------------------------------------


def test_the_collector_counts_scripted_events_exactly(
    metrics: DashboardMetrics, clock: Clock
) -> None:
    for ms in (4, 1, 3, 2):
        metrics.handle(MOUNT_STOP, {"duration": ms * MS}, {"view": "Counter"})
    for ms in range(1, 101):  # 1..100 ms: p50 is 50 ms, p99 99 ms
        event(metrics, "Counter", "inc", ms)
    metrics.handle(RENDER_STOP, {"duration": 7 * MS}, {"view": "Chat"})
    metrics.handle(FRAME_SENT, {"bytes": 300}, {"view": "Counter", "type": "reply"})
    metrics.handle(FRAME_SENT, {"bytes": 40}, {"view": None, "type": "error"})
    metrics.handle(
        ("pylive", "live_view", "handle_event", "exception"),
        {"duration": 1},
        {"view": "Chat", "event": "boom", "kind": "RuntimeError", "reason": RuntimeError()},
    )
    metrics.handle(("pylive", "live_view", "diff", "stop"), {"duration": 1, "ops": 2}, {})
    clock.now = 1001.25
    snap = metrics.snapshot(live_views={"Counter": 1, "Chat": 1, "Idle": 2})
    assert snap.views == (
        ViewStats("Chat", 1, 0, 0, 1, 1, 0, None, None, Percentiles(1, 7 * MS, 7 * MS)),
        ViewStats(
            "Counter",
            1,
            4,
            100,
            0,
            0,
            300,
            Percentiles(4, 2 * MS, 4 * MS),
            Percentiles(100, 50 * MS, 99 * MS),
            None,
        ),
        ViewStats("Idle", 2, 0, 0, 0, 0, 0, None, None, None),  # live, nothing measured
    )
    assert (snap.sessions, snap.events_per_second, snap.bytes_per_second) == (4, 100, 340)
    assert (snap.bytes_sent, snap.memory, snap.uptime) == (340, 64 * 1024 * 1024, 1.25)
    assert [(s.view, s.event, s.duration) for s in snap.slowest] == [
        ("Counter", "inc", ms * MS) for ms in range(100, 90, -1)
    ]
    assert (snap.events_series, snap.bytes_series) == ((100,), (340,))
    assert (snap.sessions_series, snap.memory_series) == ((4,), (64 * 1024 * 1024,))


def test_per_second_series_cover_the_history_and_carry_samples(
    metrics: DashboardMetrics, clock: Clock
) -> None:
    for second in range(12):  # history=10: the first seconds fall out of the ring
        clock.now = 1000 + second + 0.5
        for _ in range(second):
            event(metrics, "Counter", "inc", 1)
        if second % 3 == 0:  # sampled at 1000, 1003, 1006, 1009
            metrics.snapshot(live_views={"Counter": second})
    clock.now = 1012.0
    snap = metrics.snapshot(live_views={"Counter": 12})
    assert snap.events_series == (2, 3, 4, 5, 6, 7, 8, 9, 10, 11)  # seconds 1002..1011
    assert snap.events_per_second == 11
    # seconds 1003..1012: the samples of 1003, 1006 and 1009 carried, then the one of now
    assert snap.sessions_series == (3, 3, 3, 6, 6, 6, 9, 9, 9, 12)
    assert snap.memory_series == (64 * 1024 * 1024,) * 10
    clock.now = 1030.0  # nothing for longer than the history
    later = metrics.snapshot()
    assert later.events_series == (0,) * 10 and later.events_per_second == 0
    assert later.sessions_series == (0,)


def test_memory_is_sampled_once_a_second(clock: Clock) -> None:
    readings = iter([10, 20, 30])
    m = DashboardMetrics(clock=clock, memory=lambda: next(readings))
    assert [m.snapshot().memory for _ in range(3)] == [10, 10, 10]
    clock.now += 1
    assert [m.snapshot().memory for _ in range(2)] == [20, 20]
    assert m.snapshot().memory_series == (10, 20)


def test_memory_stays_bounded_whatever_clients_send(clock: Clock) -> None:
    m = DashboardMetrics(clock=clock, max_views=3, samples=5, slowest=4)
    for n in range(1000):
        view = f"View{n % 7}"
        event(m, view, f"event-{n}" + "x" * 200, n % 50)
    snap = m.snapshot()
    assert [stats.view for stats in snap.views] == ["View0", "View1", "View2", OTHER]
    assert [stats.events for stats in snap.views] == [143, 143, 143, 571]
    assert [stats.handle_event.count for stats in snap.views if stats.handle_event] == [5] * 4
    assert len(snap.slowest) == 4
    assert {len(slow.event) for slow in snap.slowest} == {MAX_LABEL}
    assert [slow.duration for slow in snap.slowest] == [49 * MS] * 4  # the first four of 49 ms
    assert [slow.event[:9] for slow in snap.slowest] == [
        "event-49x",
        "event-99x",
        "event-149",
        "event-199",
    ]


def test_the_percentile_window_is_the_last_samples(clock: Clock) -> None:
    m = DashboardMetrics(clock=clock, samples=3)
    for ms in (100, 100, 1, 2, 3):
        event(m, "Counter", "inc", ms)
    assert m.snapshot().views[0].handle_event == Percentiles(3, 2 * MS, 3 * MS)
    assert percentiles([]) is None
    assert percentiles([5]) == Percentiles(1, 5, 5)
    assert percentiles(range(1, 201)) == Percentiles(200, 100, 198)


def test_component_events_count_under_their_class(metrics: DashboardMetrics) -> None:
    metrics.handle(
        COMPONENT_EVENT_STOP, {"duration": 3 * MS}, {"component": "Row(id='r1')", "event": "bump"}
    )
    snap = metrics.snapshot()
    assert snap.views == ()
    assert snap.slowest == (SlowEvent("Row", "bump", 3 * MS, 1000.0),)


def test_reset_forgets_counts_but_not_the_history(metrics: DashboardMetrics, clock: Clock) -> None:
    event(metrics, "Counter", "inc", 2)
    metrics.handle(FRAME_SENT, {"bytes": 10}, {"view": "Counter", "type": "reply"})
    metrics.reset()
    clock.now += 1
    snap = metrics.snapshot(live_views={"Counter": 1})
    assert snap.views == (ViewStats("Counter", 1, 0, 0, 0, 0, 0, None, None, None),)
    assert (snap.sessions, snap.bytes_sent, snap.slowest) == (1, 0, ())
    assert (snap.events_series, snap.bytes_series) == ((1,), (10,))


def test_attach_listens_once_and_detach_stops(clock: Clock) -> None:
    m = DashboardMetrics(clock=clock)
    assert m.attach() is m and m.attach() is m and m.attached
    telemetry.execute(EVENT_STOP, {"duration": MS}, {"view": "Counter", "event": "inc"})
    assert m.detach() is True and not m.attached and m.detach() is False
    telemetry.execute(EVENT_STOP, {"duration": MS}, {"view": "Counter", "event": "inc"})
    assert m.snapshot().views[0].events == 1


def test_the_collector_refuses_bad_bounds() -> None:
    with pytest.raises(ValueError, match=r"DashboardMetrics\(samples=...\): expected an int >= 1"):
        DashboardMetrics(samples=0)


def test_rss_bytes_is_the_resident_memory_of_the_process() -> None:
    status = Path("/proc/self/status").read_text()
    vm_rss = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
    assert abs(rss_bytes() - vm_rss * 1024) < 4 * 1024 * 1024  # the same pages, read twice
    assert rss_bytes() % os.sysconf("SC_PAGE_SIZE") == 0


# -- the runtime's join and leave events ---------------------------------------------------------


class Counter(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        pubsub.subscribe(socket, "counts")
        socket.assign(n=0)

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        if event == "boom":
            raise RuntimeError("boom")
        if event == "away":
            socket.push_navigate("/other")
        socket.assign(n=socket.assigns.n + 1)

    def render(self, assigns: Any) -> Tree:
        return div(p(str(assigns.n), id="n"), button("inc", phx_click="inc", id="inc"))


class Other(LiveView):
    def render(self, assigns: Any) -> Tree:
        return p("other", id="other")


def require_operator(params: dict[str, Any], session: dict[str, Any], socket: Socket) -> str:
    if session.get("role") != "operator":
        socket.put_flash("error", "Operators only")
        socket.redirect("/")
        return "halt"
    return "cont"


def make_app() -> App:
    app = App(secret_key=SECRET)
    app.live("/", Counter)
    app.live("/other", Other)
    return app


@pytest.fixture
def lifecycle_events() -> Iterator[list[tuple[Any, ...]]]:
    seen: list[tuple[Any, ...]] = []

    def record(e: Any, measurements: dict[str, Any], metadata: dict[str, Any]) -> None:
        seen.append((e[2], sorted(measurements), metadata))

    telemetry.attach("test-join-leave", [VIEW_JOIN, VIEW_LEAVE], record)
    yield seen
    telemetry.detach("test-join-leave")


def test_views_raise_join_and_leave_with_the_reason(lifecycle_events: list[Any]) -> None:
    app = make_app()
    with live(app, "/") as view:
        assert lifecycle_events == [("join", ["system_time"], {"view": "Counter"})]
        assert app.live_views.now() == {"Counter": 1}
        view.element("#inc").click()
        view._event("click", "away", {})
        view.assert_navigate("/other")
        assert app.live_views.now() == {"Other": 1}
    assert app.live_views.now() == {}
    assert lifecycle_events == [
        ("join", ["system_time"], {"view": "Counter"}),
        ("leave", ["duration"], {"view": "Counter", "reason": "navigate"}),
        ("join", ["system_time"], {"view": "Other"}),
        ("leave", ["duration"], {"view": "Other", "reason": "closed"}),
    ]


def test_a_crash_leaves_and_the_rejoin_joins(lifecycle_events: list[Any]) -> None:
    app = make_app()
    with live(app, "/") as view, live(app, "/"):
        assert (app.live_views.now(), app.live_views.total()) == ({"Counter": 2}, 2)
        with pytest.raises(ViewCrashed):
            view._event("click", "boom", {})
        assert app.live_views.now() == {"Counter": 1}
        view.rejoin()
        assert app.live_views.now() == {"Counter": 2}
    assert [(name, metadata) for name, _, metadata in lifecycle_events] == [
        ("join", {"view": "Counter"}),
        ("join", {"view": "Counter"}),
        ("leave", {"view": "Counter", "reason": "crash"}),
        ("join", {"view": "Counter"}),  # the rejoin: a fresh mount
        ("leave", {"view": "Counter", "reason": "closed"}),
        ("leave", {"view": "Counter", "reason": "closed"}),
    ]


class Bounce(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        if socket.connected:
            socket.redirect("/other")

    def render(self, assigns: Any) -> Tree:
        return p("bounce")


def test_a_view_whose_live_mount_redirects_never_joins(lifecycle_events: list[Any]) -> None:
    app = make_app()
    app.live("/bounce", Bounce)
    with pytest.raises(Redirected) as redirected:
        live(app, "/bounce")
    assert (redirected.value.to, redirected.value.connected) == ("/other", True)
    assert (lifecycle_events, app.live_views.now()) == ([], {})


# -- the dashboard view --------------------------------------------------------------------------


def rows(view: LiveViewClient, selector: str) -> list[list[str]]:
    """The body rows of a table, each cell's text."""
    found = view.element(selector).find()
    return [[str(cell.text_content()) for cell in row] for row in found.iter("tr")][1:]


def counts(row: list[str]) -> list[str]:
    """A views row without its timings (measured, so not exact): view, live, mounts, events,
    renders, errors, sent."""
    return [row[0], row[1], row[2], row[4], row[6], row[8], row[9]]


def text(view: LiveViewClient, selector: str) -> str:
    return str(view.element(selector).find().text_content())


@pytest.fixture
def operator_app(clock: Clock) -> Iterator[tuple[App, DashboardMetrics]]:
    app = make_app()
    collector = DashboardMetrics(clock=clock, memory=lambda: 50 * 1024 * 1024).attach()
    returned = live_dashboard(app, "/dashboard", on_mount=[require_operator], metrics=collector)
    assert returned is collector
    yield app, returned
    returned.detach()


OPERATOR = {"role": "operator"}


def test_the_dashboard_shows_exact_counts_after_scripted_sessions(
    operator_app: tuple[App, DashboardMetrics], clock: Clock
) -> None:
    app, collector = operator_app
    assert collector.attached
    sent: list[int] = []  # the bytes of Counter's frames, counted apart

    def count_bytes(e: Any, measurements: dict[str, Any], metadata: dict[str, Any]) -> None:
        if metadata["view"] == "Counter":
            sent.append(measurements["bytes"])

    telemetry.attach("test-bytes", [FRAME_SENT], count_bytes)
    try:
        with live(app, "/") as ann, live(app, "/") as bo:
            ann.element("#inc").click()
            ann.element("#inc").click()
            bo.element("#inc").click()
        with live(app, "/"):
            clock.now = 1001.5
            with live(app, "/dashboard", session=OPERATOR) as dash:
                assert [counts(row) for row in rows(dash, "#views")] == [
                    ["Counter", "1", "6", "3", "9", "0", format_bytes(sum(sent))],
                    ["LiveDashboard", "0", "1", "0", "1", "0", "0 B"],  # its HTTP render
                ]
                assert text(dash, "#tile-sessions .figure") == "1"
                assert text(dash, "#tile-events .figure") == "3"  # in second 1000
                assert text(dash, "#tile-memory .figure") == "50.0 MiB"
                assert [row[:2] for row in rows(dash, "#slowest")] == [["Counter", "inc"]] * 3
                assert rows(dash, "#topics") == [["counts", "1"]]
                assert text(dash, "#uptime") == "up 1 s, refreshed every 1 s"
                dash.send(REFRESH)
                assert [counts(row)[:5] for row in rows(dash, "#views")] == [
                    ["Counter", "1", "6", "3", "9"],
                    ["LiveDashboard", "1", "2", "0", "2"],  # and now its live mount
                ]
                assert text(dash, "#tile-sessions .figure") == "2"
                dash.element("#reset").click()
                assert [counts(row) for row in rows(dash, "#views")] == [
                    ["Counter", "1", "0", "0", "0", "0", "0 B"],
                    ["LiveDashboard", "1", "0", "0", "0", "0", "0 B"],  # reset in its own event
                ]
                assert rows(dash, "#slowest") == []
    finally:
        telemetry.detach("test-bytes")


def test_it_measures_from_its_first_opening_and_refreshes_itself() -> None:
    app = make_app()
    collector = live_dashboard(app, "/dashboard", public=True, refresh_ms=10)
    try:
        with live(app, "/") as early:
            early.element("#inc").click()  # before the dashboard was opened: not measured
            assert not collector.attached
            with live(app, "/dashboard") as dash:
                assert collector.attached
                assert [counts(row)[:5] for row in rows(dash, "#views")] == [
                    ["Counter", "1", "0", "0", "0"]  # live, whenever it was measured
                ]
                assert text(dash, "#tile-sessions .figure") == "1"  # taken in its own mount
                with live(app, "/") as counter:
                    counter.element("#inc").click()
                    for _ in range(100):  # its timer redraws it every 10 ms (a busy machine: later)
                        dash.sleep(20)
                        if text(dash, "#tile-sessions .figure") == "3":
                            break
                    assert text(dash, "#tile-sessions .figure") == "3"
                    assert [counts(row)[:5] for row in rows(dash, "#views")][0] == [
                        "Counter",
                        "2",
                        "2",
                        "1",
                        "3",
                    ]
                    assert [row[:2] for row in rows(dash, "#slowest")] == [["Counter", "inc"]]
    finally:
        collector.detach()


def test_the_on_mount_check_refuses_everyone_else(
    operator_app: tuple[App, DashboardMetrics],
) -> None:
    app, _ = operator_app
    with pytest.raises(Redirected) as redirected:
        live(app, "/dashboard")
    assert (redirected.value.to, redirected.value.connected) == ("/", False)
    with pytest.raises(Redirected):
        live(app, "/dashboard", session={"role": "visitor"})
    with TestClient(app) as client:
        refused = client.get("/dashboard")
        assert (refused.status, refused.location) == (302, "/")
        assert "Live dashboard" not in refused.text
    static = live(app, "/dashboard", session=OPERATOR, connect=False)
    assert static.element("h1").render() == "<h1>Live dashboard</h1>"


def test_it_is_never_public_by_omission() -> None:
    app = make_app()
    with pytest.raises(ValueError) as missing:
        live_dashboard(app, "/dashboard")
    assert str(missing.value) == (
        "live_dashboard(app, '/dashboard'): expected on_mount=[check] (a hook that halts with a "
        "redirect for anyone who may not see it) or public=True to serve it to anyone; got "
        "neither"
    )
    with pytest.raises(ValueError, match=r"expected on_mount=\[\.\.\.\] or public=True, not both"):
        live_dashboard(app, "/dashboard", on_mount=[require_operator], public=True)
    with pytest.raises(ValueError, match=r"expected refresh_ms > 0, got 0"):
        live_dashboard(app, "/dashboard", public=True, refresh_ms=0)
    with pytest.raises(TypeError, match=r"expected metrics=DashboardMetrics\(...\), got 'x'"):
        live_dashboard(app, "/dashboard", public=True, metrics="x")  # type: ignore[arg-type]
    assert app.match("/dashboard") is None  # nothing was routed
    collector = live_dashboard(app, "/dashboard", on_mount=require_operator)  # one hook
    assert app.live_sessions["live_dashboard"].on_mount == (require_operator,)
    with pytest.raises(Redirected):
        live(app, "/dashboard")
    assert not collector.attached  # refused: nothing measured


def test_a_dashboard_in_another_live_session_is_refused_as_nesting() -> None:
    app = make_app()
    with app.live_session("admin", on_mount=[require_operator]):
        with pytest.raises(ValueError, match="live sessions do not nest"):
            live_dashboard(app, "/dashboard", public=True)


# -- rendering -----------------------------------------------------------------------------------


def test_sparklines_are_inline_svg_right_aligned() -> None:
    assert render_html(sparkline([0, 5, 10], 5, "Events per second")) == (
        '<svg class="spark" width="120" height="28" viewBox="0 0 120 28" role="img" '
        'aria-label="Events per second, the last 3 s, at most 10">'
        '<polyline points="60.0,27.0 90.0,14.0 120.0,1.0" fill="none" stroke="currentColor" '
        'stroke-width="1.5"></polyline></svg>'
    )
    assert render_html(sparkline([], 60, "Memory")) == (
        '<svg class="spark" width="120" height="28" viewBox="0 0 120 28" role="img" '
        'aria-label="Memory, the last 0 s, at most 0"></svg>'
    )


def test_figures_are_formatted_for_people() -> None:
    assert [format_bytes(n) for n in (0, 1023, 1536, 12 * 1024**2, 3 * 1024**4)] == [
        "0 B",
        "1023 B",
        "1.5 KiB",
        "12.0 MiB",
        "3072.0 GiB",
    ]
    assert [format_ms(ns) for ns in (420_000, 12_340_000, 1_504_000_000)] == [
        "0.42",
        "12.3",
        "1504",
    ]
    assert [format_uptime(s) for s in (42.9, 185, 7500)] == ["42 s", "3 min", "2 h 5 min"]


def test_the_docs_examples_run_as_written() -> None:
    """docs/dashboard.md's python blocks, in order: the app, then its test."""
    text_ = (Path(__file__).parent.parent / "docs" / "dashboard.md").read_text()
    blocks = [part.split("```", 1)[0] for part in text_.split("```python\n")[1:]]
    assert len(blocks) == 2
    namespace: dict[str, Any] = {}
    exec(compile(blocks[0], "docs/dashboard.md", "exec"), namespace)
    app, collector = namespace["app"], namespace["metrics"]
    try:
        with pytest.raises(Redirected) as redirected:
            live(app, "/dashboard")
        assert redirected.value.to == "/"
        exec(compile(blocks[1], "docs/dashboard.md", "exec"), namespace)
        assert collector.attached
    finally:
        collector.detach()
