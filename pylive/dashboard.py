"""The live dashboard (Phoenix LiveDashboard's idea), itself a pylive live view: live views per
view, events per second, p50/p99 of mount, handle_event and render per view, bytes sent, the
slowest events, PubSub topics and their subscribers, memory — refreshed every second, with
small charts drawn as inline SVG by the server.

It is opt-in, at a path the app chooses, and never public by accident::

    from pylive.dashboard import live_dashboard

    def require_admin(params, session, socket):
        if not is_admin(session.get("user_token")):
            socket.redirect("/login")
            return "halt"

    live_dashboard(app, "/dashboard", on_mount=[require_admin])

Without an ``on_mount`` check it refuses (``ValueError``) unless the app says ``public=True``.
Its timings come from a ``pylive.dashboard_metrics.DashboardMetrics`` (``live_dashboard``
returns it), attached to telemetry when the dashboard is first opened — importing or serving
the app measures nothing until then; pass ``metrics=DashboardMetrics().attach()`` to measure
from the start. From then on every callback of every view of the process is timed (a few
dict lookups and a lock per callback). The live views are the app's own count
(``app.live_views``), exact whenever the collector was attached.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from pylive.app import App
from pylive.assigns import Assigns
from pylive.dashboard_metrics import DashboardMetrics, Percentiles, Snapshot, ViewStats
from pylive.html import (
    button,
    div,
    h1,
    h2,
    header,
    p,
    polyline,
    section,
    span,
    style,
    svg,
    table,
    tbody,
    td,
    th,
    thead,
    tr,
)
from pylive.node import Element, Tree, fragment
from pylive.routing import OnMount
from pylive.socket import Socket
from pylive.view import LiveView

REFRESH = "pylive.dashboard:refresh"
"""The message the dashboard's timer sends itself."""
MAX_TOPICS = 20
"""Topics listed (the most subscribed first); the rest are counted."""
SPARK_WIDTH = 120
SPARK_HEIGHT = 28

CSS = style(
    """
.live-dashboard { font: 14px/1.4 system-ui, sans-serif; color: #1f2933; }
.live-dashboard header { display: flex; gap: 1rem; align-items: baseline; }
.live-dashboard .tiles { display: flex; flex-wrap: wrap; gap: .75rem; margin: .75rem 0; }
.live-dashboard .tile { border: 1px solid #d9e2ec; border-radius: 6px; padding: .5rem .75rem;
  min-width: 10rem; }
.live-dashboard .tile .figure { font-size: 1.4rem; font-weight: 600; display: block; }
.live-dashboard .spark { color: #2680c2; display: block; }
.live-dashboard table { border-collapse: collapse; margin-bottom: 1rem; }
.live-dashboard th, .live-dashboard td { padding: .2rem .6rem; border-bottom: 1px solid #e4e7eb;
  text-align: right; }
.live-dashboard th:first-child, .live-dashboard td:first-child { text-align: left; }
"""
)


def format_bytes(n: int) -> str:
    """``512 B``, ``1.5 KiB``, ``12.0 MiB``, ``1.2 GiB``."""
    if n < 1024:
        return f"{n} B"
    size = float(n)
    for unit in ("KiB", "MiB", "GiB"):
        size /= 1024
        if size < 1024 or unit == "GiB":
            break
    return f"{size:.1f} {unit}"


def format_ms(ns: int) -> str:
    """Nanoseconds as milliseconds: ``0.42``, ``12.3``, ``1504``."""
    ms = ns / 1e6
    if ms < 10:
        return f"{ms:.2f}"
    return f"{ms:.1f}" if ms < 1000 else f"{ms:.0f}"


def format_uptime(seconds: float) -> str:
    """``42 s``, ``3 min``, ``2 h 5 min``."""
    whole = int(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min"
    return f"{whole // 3600} h {whole % 3600 // 60} min"


def sparkline(values: Sequence[int], slots: int, label: str) -> Element:
    """A line of ``values`` (oldest first) over ``slots`` seconds, right-aligned: the last
    value is now. Scaled to its own maximum; an empty series is an empty chart."""
    last = max(slots - 1, 1)
    top = max(values, default=0) or 1
    start = slots - len(values)
    points = " ".join(
        f"{(start + i) * SPARK_WIDTH / last:.1f},"
        f"{SPARK_HEIGHT - 1 - value * (SPARK_HEIGHT - 2) / top:.1f}"
        for i, value in enumerate(values)
    )
    return svg(
        polyline(points=points, fill="none", stroke="currentColor", stroke_width="1.5")
        if len(values) > 1
        else None,
        class_="spark",
        width=SPARK_WIDTH,
        height=SPARK_HEIGHT,
        viewBox=f"0 0 {SPARK_WIDTH} {SPARK_HEIGHT}",
        role="img",
        aria_label=f"{label}, the last {len(values)} s, at most {max(values, default=0)}",
    )


def tile(id: str, title: str, figure: str, chart: Element, note: str = "") -> Element:
    return section(
        span(title),
        span(figure, class_="figure"),
        chart,
        span(note, class_="note") if note else None,
        class_="tile",
        id=id,
    )


def timing(percentiles: Percentiles | None) -> str:
    if percentiles is None:
        return "–"
    return f"{format_ms(percentiles.p50)} / {format_ms(percentiles.p99)}"


def view_row(stats: ViewStats) -> Element:
    return tr(
        td(stats.view),
        td(str(stats.sessions)),
        td(str(stats.mounts)),
        td(timing(stats.mount)),
        td(str(stats.events)),
        td(timing(stats.handle_event)),
        td(str(stats.renders)),
        td(timing(stats.render)),
        td(str(stats.errors)),
        td(format_bytes(stats.bytes_sent)),
        key=stats.view,
    )


VIEWS_HEAD = thead(
    tr(
        th("View"),
        th("Live"),
        th("Mounts"),
        th("mount p50 / p99 ms"),
        th("Events"),
        th("handle_event p50 / p99 ms"),
        th("Renders"),
        th("render p50 / p99 ms"),
        th("Errors"),
        th("Sent"),
    )
)
SLOWEST_HEAD = thead(tr(th("View"), th("Event"), th("ms")))
TOPICS_HEAD = thead(tr(th("Topic"), th("Subscribers")))


def topics_table(topics: dict[str, int]) -> Tree:
    ranked = sorted(topics.items(), key=lambda item: (-item[1], item[0]))
    shown, rest = ranked[:MAX_TOPICS], len(ranked) - MAX_TOPICS
    return fragment(
        table(
            TOPICS_HEAD,
            tbody([tr(td(topic), td(str(n)), key=topic) for topic, n in shown]),
            id="topics",
        )
        if shown
        else p("No topic has a subscriber.", id="topics"),
        p(f"and {rest} more topics", id="more-topics") if rest > 0 else None,
    )


def dashboard(snap: Snapshot, topics: dict[str, int], history: int, refresh_ms: float) -> Tree:
    """The dashboard's page for one snapshot."""
    return div(
        CSS,
        header(
            h1("Live dashboard"),
            span(
                f"up {format_uptime(snap.uptime)}, refreshed every {refresh_ms / 1000:g} s",
                id="uptime",
            ),
            button("Reset counts", phx_click="reset", id="reset"),
        ),
        div(
            tile(
                "tile-sessions",
                "Live views",
                str(snap.sessions),
                sparkline(snap.sessions_series, history, "Live views"),
            ),
            tile(
                "tile-events",
                "Events / s",
                str(snap.events_per_second),
                sparkline(snap.events_series, history, "Events per second"),
            ),
            tile(
                "tile-bytes",
                "Sent / s",
                format_bytes(snap.bytes_per_second),
                sparkline(snap.bytes_series, history, "Bytes sent per second"),
                f"{format_bytes(snap.bytes_sent)} in all",
            ),
            tile(
                "tile-memory",
                "Memory (RSS)",
                format_bytes(snap.memory),
                sparkline(snap.memory_series, history, "Memory"),
            ),
            class_="tiles",
        ),
        h2("Views"),
        table(VIEWS_HEAD, tbody([view_row(stats) for stats in snap.views]), id="views"),
        h2("Slowest events"),
        table(
            SLOWEST_HEAD,
            tbody(
                [
                    tr(td(slow.view), td(slow.event), td(format_ms(slow.duration)))
                    for slow in snap.slowest
                ]
            ),
            id="slowest",
        ),
        h2("PubSub topics"),
        topics_table(topics),
        class_="live-dashboard",
        id="live-dashboard",
    )


class LiveDashboard(LiveView):
    """The dashboard's view; ``live_dashboard`` serves a subclass bound to its app and
    collector."""

    metrics: ClassVar[DashboardMetrics]
    app: ClassVar[App]
    refresh_ms: ClassVar[float] = 1000

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(page_title="Live dashboard")
        if socket.connected:
            self.metrics.attach()  # measuring starts the first time the dashboard is opened
            socket.send_interval(REFRESH, self.refresh_ms)
        self.refresh(socket)

    def refresh(self, socket: Socket) -> None:
        app = self.app
        snapshot = self.metrics.snapshot(live_views=app.live_views.now())
        socket.assign(snapshot=snapshot, topics=app.pubsub.topics())

    def handle_info(self, msg: Any, socket: Socket) -> None:
        if msg == REFRESH:
            self.refresh(socket)

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        if event == "reset":
            self.metrics.reset()
            self.refresh(socket)

    def render(self, assigns: Assigns) -> Tree:
        return dashboard(assigns.snapshot, assigns.topics, self.metrics.history, self.refresh_ms)


def live_dashboard(
    app: App,
    path: str,
    *,
    on_mount: OnMount | Sequence[OnMount] = (),
    public: bool = False,
    metrics: DashboardMetrics | None = None,
    refresh_ms: float = 1000,
    live_session: str = "live_dashboard",
    layout: Callable[[Tree, Assigns], Tree] | None = None,
) -> DashboardMetrics:
    """Serve the live dashboard at ``path`` in a live session of its own (``live_session``),
    whose ``on_mount`` hooks run before every mount of it, on the HTTP render and the live one
    — the check that keeps it private. Returns its collector (``metrics``, or a new one),
    which it attaches to telemetry when it is first opened.

    ``public=True`` serves it to anyone instead; one of the two is required, so that the
    dashboard (every view's name, timings and topics) is never exposed by omission."""
    where = f"live_dashboard(app, {path!r})"
    hooks = tuple(on_mount) if isinstance(on_mount, Sequence) else (on_mount,)
    if not hooks and not public:
        raise ValueError(
            f"{where}: expected on_mount=[check] (a hook that halts with a redirect for anyone "
            f"who may not see it) or public=True to serve it to anyone; got neither"
        )
    if hooks and public:
        raise ValueError(
            f"{where}: expected on_mount=[...] or public=True, not both (got on_mount={hooks!r})"
        )
    if not isinstance(refresh_ms, int | float) or refresh_ms <= 0:
        raise ValueError(f"{where}: expected refresh_ms > 0, got {refresh_ms!r}")
    if metrics is not None and not isinstance(metrics, DashboardMetrics):
        raise TypeError(f"{where}: expected metrics=DashboardMetrics(...), got {metrics!r}")
    collector = metrics if metrics is not None else DashboardMetrics()
    view = type(
        "LiveDashboard",
        (LiveDashboard,),
        {"metrics": collector, "app": app, "refresh_ms": refresh_ms, "__module__": __name__},
    )
    with app.live_session(live_session, on_mount=hooks, layout=layout):
        app.live(path, view, name=live_session)
    return collector
