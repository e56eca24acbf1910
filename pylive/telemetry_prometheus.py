"""Prometheus metrics for pylive: the telemetry events (``pylive.telemetry``) counted and timed
with ``prometheus_client``, and served on a route of the app for Prometheus to scrape.

    from pylive.telemetry_prometheus import PrometheusMetrics

    metrics = PrometheusMetrics()      # attaches to the telemetry events; its own registry
    metrics.expose(app, "/metrics")    # GET /metrics: the text exposition format

=================================================  ===========================================
metric                                             labels
=================================================  ===========================================
``pylive_live_view_<cb>_duration_seconds``         ``view``; ``event`` for ``handle_event``
(summary), cb: ``mount``, ``handle_params``,
``handle_event``, ``handle_info``,
``handle_async``, ``render``, ``diff``
``pylive_live_component_<cb>_duration_seconds``    ``component`` (its class); ``event`` for
(summary), cb: ``update``, ``handle_event``,       ``handle_event``
``render``
``pylive_live_view_mounts_total`` (counter)        ``view``
``pylive_live_view_exceptions_total`` (counter)    ``view``, ``callback``, ``kind``
``pylive_live_component_exceptions_total``         ``component``, ``callback``, ``kind``
``pylive_socket_sent_bytes_total`` (counter)       ``view``, ``type`` (``reply``, ``patch`` …)
``pylive_socket_frames_sent_total`` (counter)      ``view``, ``type``
``pylive_live_views`` (gauge)                      ``view``: the live views joined now, of the
                                                   apps the metrics are exposed on
=================================================  ===========================================

Durations are in seconds (Prometheus's base unit), from the stop events: a callback that
raises is counted in ``..._exceptions_total`` instead. ``buckets=[...]`` makes the durations
histograms (percentiles across workers, ``histogram_quantile``) instead of summaries (a count and
a sum: rates and means, as the example's summaries).

Label values stay bounded, since every distinct value is a series held in memory for good: views
and component classes are the code's; an event name comes from the client (any string up to
``pylive.frames.MAX_NAME`` characters), so each view (and each component class) keeps its first
``max_event_labels`` distinct event names as labels and counts every later one as ``"other"``
(an event really named ``other`` shares that series).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Any, Final

from prometheus_client import CollectorRegistry, Counter, Histogram, Summary
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import GaugeMetricFamily, Metric

from pylive import telemetry
from pylive.app import App
from pylive.http import HttpRequest, Response
from pylive.telemetry import COMPONENT_CALLBACKS, VIEW_CALLBACKS, Event

HANDLER_ID: Final = "pylive-prometheus"
"""The telemetry handler a ``PrometheusMetrics`` attaches, unless given another id."""
MAX_EVENT_LABELS: Final = 50
"""Distinct event names kept as label values per view (and per component class)."""
OTHER: Final = "other"
"""The label value of every event name past a view's ``max_event_labels``."""
UNKNOWN: Final = "unknown"
"""The ``view`` of a frame sent while the connection has no view: a refused join's reply, the
error frame of a view that crashed (it is dropped first)."""

_TIMED: Final = (
    *(("live_view", callback) for callback in (*VIEW_CALLBACKS, "diff")),
    *(("live_component", callback) for callback in COMPONENT_CALLBACKS),
)
EVENTS: Final[tuple[Event, ...]] = (
    *(("pylive", scope, callback, "stop") for scope, callback in _TIMED),
    *(("pylive", scope, callback, "exception") for scope, callback in _TIMED if callback != "diff"),
    ("pylive", "socket", "frame", "sent"),
)
"""The telemetry events the metrics are made of."""
_OWNER: Final = {"live_view": "view", "live_component": "component"}


class PrometheusMetrics:
    """The metrics of the module's table in ``registry`` (a fresh ``CollectorRegistry`` by
    default: pass ``prometheus_client.REGISTRY`` to serve them beside the process metrics),
    named ``<namespace>_...``, kept up to date by a telemetry handler ``handler_id`` attached
    from now until ``detach()``."""

    def __init__(
        self,
        registry: CollectorRegistry | None = None,
        *,
        namespace: str = "pylive",
        max_event_labels: int = MAX_EVENT_LABELS,
        buckets: Sequence[float] | None = None,
        handler_id: str = HANDLER_ID,
    ) -> None:
        if type(max_event_labels) is not int or max_event_labels < 0:
            raise ValueError(
                f"PrometheusMetrics(max_event_labels=...): expected a count >= 0, got "
                f"{max_event_labels!r}"
            )
        self.registry = CollectorRegistry() if registry is None else registry
        self.max_event_labels = max_event_labels
        self.handler_id = handler_id
        self._events: dict[tuple[str, str], set[str]] = {}
        self._lock = threading.Lock()
        self._durations: dict[tuple[str, str], Summary | Histogram] = {
            (scope, callback): _duration(
                self.registry, namespace, scope, callback, _labels(scope, callback), buckets
            )
            for scope, callback in _TIMED
        }
        self.mounts = Counter(
            f"{namespace}_live_view_mounts",
            "Live view mounts done (a page's HTTP render mounts too, as in LiveView)",
            ["view"],
            registry=self.registry,
        )
        self._exceptions = {
            scope: Counter(
                f"{namespace}_{scope}_exceptions",
                f"Callbacks of a {scope.replace('_', ' ')} that raised",
                [owner, "callback", "kind"],
                registry=self.registry,
            )
            for scope, owner in _OWNER.items()
        }
        self.sent_bytes = Counter(
            f"{namespace}_socket_sent_bytes",
            "Bytes of the frames sent to the browsers",
            ["view", "type"],
            registry=self.registry,
        )
        self.frames_sent = Counter(
            f"{namespace}_socket_frames_sent",
            "Frames sent to the browsers",
            ["view", "type"],
            registry=self.registry,
        )
        self._live_views = LiveViews(f"{namespace}_live_views")
        self.registry.register(self._live_views)
        telemetry.attach(handler_id, EVENTS, self._handle)

    def detach(self) -> bool:
        """Stop counting (the metrics stay in the registry); whether it was attached."""
        return telemetry.detach(self.handler_id)

    # -- the HTTP route -------------------------------------------------------------------------

    def expose(self, app: App, path: str = "/metrics") -> None:
        """Serve the metrics on ``GET path`` of ``app`` (``serve``), its live views counted."""
        app.get(path, self.serve)
        self._live_views.apps.append(app)

    def serve(self, request: HttpRequest) -> Response:
        """The HTTP handler: the registry in the format the request's ``Accept`` asks for (the
        text format, or OpenMetrics). Wrap it in a handler of your own to guard it."""
        encode, content_type = choose_encoder(request.headers.get("accept", ""))
        return Response(encode(self.registry), content_type)

    # -- the telemetry handler ------------------------------------------------------------------

    def event_label(self, scope: str, owner: str, event: object) -> str:
        """The ``event`` label of ``event`` in ``owner`` (a view, a component class): its name
        while the owner has fewer than ``max_event_labels`` names, else ``OTHER``."""
        name = str(event)
        with self._lock:
            seen = self._events.setdefault((scope, owner), set())
            if name in seen:
                return name
            if len(seen) < self.max_event_labels:
                seen.add(name)
                return name
        return OTHER

    def _handle(self, event: Event, measurements: dict[str, Any], metadata: dict[str, Any]) -> None:
        _, scope, callback, phase = event
        if scope == "socket":
            labels = (_name(metadata.get("view")), str(metadata.get("type")))
            self.sent_bytes.labels(*labels).inc(measurements["bytes"])
            self.frames_sent.labels(*labels).inc()
            return
        owner = _name(metadata.get(_OWNER[scope]))
        if scope == "live_component":
            owner = owner.split("(", 1)[0]  # Row(id='r1') → Row: ids are data, classes code
        if phase == "exception":
            self._exceptions[scope].labels(owner, callback, str(metadata.get("kind"))).inc()
            return
        metric = self._durations[(scope, callback)]
        if callback == "handle_event":
            labelled = metric.labels(owner, self.event_label(scope, owner, metadata.get("event")))
        else:
            labelled = metric.labels(owner)
        labelled.observe(measurements["duration"] / 1e9)
        if scope == "live_view" and callback == "mount":
            self.mounts.labels(owner).inc()

    def __repr__(self) -> str:
        return f"<PrometheusMetrics {self.handler_id!r}>"


class LiveViews:
    """The ``live_views`` gauge, read from the apps' own counts (``app.live_views``) when
    scraped: exact from the start, whenever the metrics were made."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.apps: list[App] = []

    def collect(self) -> Iterator[Metric]:
        family = GaugeMetricFamily(self.name, "Live views joined now, by view", labels=["view"])
        totals: dict[str, int] = {}
        for app in self.apps:
            for view, count in app.live_views.now().items():
                totals[view] = totals.get(view, 0) + count
        for view, count in sorted(totals.items()):
            family.add_metric([view], count)
        yield family


def _labels(scope: str, callback: str) -> list[str]:
    owner = _OWNER[scope]
    return [owner, "event"] if callback == "handle_event" else [owner]


def _duration(
    registry: CollectorRegistry,
    namespace: str,
    scope: str,
    callback: str,
    labels: list[str],
    buckets: Sequence[float] | None,
) -> Summary | Histogram:
    name = f"{namespace}_{scope}_{callback}_duration_seconds"
    what = "the diff of a render" if callback == "diff" else f"{callback} callbacks"
    doc = f"Time spent in {what} of a {scope.replace('_', ' ')}, in seconds"
    if buckets is None:
        return Summary(name, doc, labels, registry=registry)
    return Histogram(name, doc, labels, registry=registry, buckets=buckets)


def _name(value: object) -> str:
    return UNKNOWN if value is None else str(value)
