"""The Prometheus bridge (``pylive.telemetry_prometheus``): the exact exposition lines of a
scripted session read from its route (in-process, and once through the real Sanic server),
seconds from the events' nanoseconds, exceptions and bytes counted, histograms on demand, and
event labels bounded whatever a client sends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client import CollectorRegistry

from pylive import App, telemetry
from pylive.http import HttpRequest
from pylive.sanic import LiveServer
from pylive.telemetry_prometheus import OTHER, PrometheusMetrics
from pylive.testing import TestClient, ViewCrashed, live
from tests.test_telemetry import Counter

SECRET = "a test secret, long enough"
TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8"


def make_app(metrics: PrometheusMetrics) -> App:
    app = App(secret_key=SECRET)
    app.live("/", Counter)
    metrics.expose(app, "/metrics")
    return app


@pytest.fixture
def metrics() -> Iterator[PrometheusMetrics]:
    made = PrometheusMetrics()
    try:
        yield made
    finally:
        assert made.detach() is True


def samples(text: str, *names: str) -> list[str]:
    """The sample lines named ``names`` (a summary's ``_count`` …), in the exposition's order."""
    return [line for line in text.splitlines() if line.split("{")[0].split(" ")[0] in names]


def value(line: str) -> float:
    return float(line.rsplit(" ", 1)[1])


VIEW = "pylive_live_view_"
COMPONENT = "pylive_live_component_"


def test_a_scripted_session_is_counted_on_the_route(metrics: PrometheusMetrics) -> None:
    app = make_app(metrics)
    with live(app, "/") as view:
        view._event("click", "inc", {})
        view._event("click", "inc", {})
        view.element("#bump").click()
        with pytest.raises(ViewCrashed):
            view._event("click", "boom", {})
    response = TestClient(app).get("/metrics")
    assert (response.status, response.headers["content-type"]) == (200, TEXT_FORMAT)
    text = response.text
    counts = [
        f"{VIEW}{name}_duration_seconds_count"
        for name in ("mount", "handle_params", "handle_event", "render", "diff")
    ] + [
        f"{COMPONENT}{name}_duration_seconds_count" for name in ("update", "handle_event", "render")
    ]
    # mounted twice (the page's HTTP render, then live), as in LiveView; the crash is counted
    assert samples(text, *counts) == [
        f'{VIEW}mount_duration_seconds_count{{view="Counter"}} 2.0',
        f'{VIEW}handle_params_duration_seconds_count{{view="Counter"}} 2.0',
        f'{VIEW}handle_event_duration_seconds_count{{event="inc",view="Counter"}} 2.0',
        f'{VIEW}render_duration_seconds_count{{view="Counter"}} 4.0',
        f'{VIEW}diff_duration_seconds_count{{view="Counter"}} 2.0',
        f'{COMPONENT}update_duration_seconds_count{{component="Row"}} 2.0',
        f'{COMPONENT}handle_event_duration_seconds_count{{component="Row",event="bump"}} 1.0',
        f'{COMPONENT}render_duration_seconds_count{{component="Row"}} 3.0',
    ]
    sums = samples(text, *(name.replace("_count", "_sum") for name in counts))
    assert len(sums) == 8 and all(0 < value(line) < 1 for line in sums), sums
    assert samples(text, f"{VIEW}mounts_total", f"{VIEW}exceptions_total") == [
        f'{VIEW}mounts_total{{view="Counter"}} 2.0',
        f'{VIEW}exceptions_total{{callback="handle_event",kind="RuntimeError",view="Counter"}} 1.0',
    ]
    sent = samples(text, "pylive_socket_sent_bytes_total")
    assert [line.rsplit(" ", 1)[0] for line in sent] == [
        'pylive_socket_sent_bytes_total{type="reply",view="Counter"}',
        'pylive_socket_sent_bytes_total{type="error",view="unknown"}',  # the crashed view is gone
    ]
    crash_frame = '{"type":"error","reason":"crash","ref":4}'  # the 4th event's answer
    assert value(sent[0]) > 200 and value(sent[1]) == len(crash_frame)
    assert samples(text, "pylive_socket_frames_sent_total") == [
        'pylive_socket_frames_sent_total{type="reply",view="Counter"} 4.0',  # join, 3 events
        'pylive_socket_frames_sent_total{type="error",view="unknown"} 1.0',
    ]
    assert "# TYPE pylive_live_view_mount_duration_seconds summary" in text.splitlines()


def test_the_live_views_gauge_counts_the_app_s_joined_views(metrics: PrometheusMetrics) -> None:
    app = make_app(metrics)
    client = TestClient(app)
    assert samples(client.get("/metrics").text, "pylive_live_views") == []
    with live(app, "/"), live(app, "/"):
        during = samples(client.get("/metrics").text, "pylive_live_views")
    assert during == ['pylive_live_views{view="Counter"} 2.0']
    assert samples(client.get("/metrics").text, "pylive_live_views") == []


def test_durations_are_the_events_nanoseconds_in_seconds(metrics: PrometheusMetrics) -> None:
    stop = ("pylive", "live_view", "handle_event", "stop")
    telemetry.execute(stop, {"duration": 1_500_000}, {"view": "Shop", "event": "buy"})
    telemetry.execute(stop, {"duration": 2_500_000}, {"view": "Shop", "event": "buy"})
    telemetry.execute(
        ("pylive", "live_component", "render", "stop"),
        {"duration": 250_000_000},
        {"component": "Cart(id='cart-42')"},
    )
    telemetry.execute(
        ("pylive", "live_component", "update", "exception"),
        {"duration": 1},
        {"component": "Cart(id='cart-42')", "kind": "KeyError", "reason": KeyError("sku")},
    )
    telemetry.execute(
        ("pylive", "socket", "frame", "sent"), {"bytes": 40}, {"view": "Shop", "type": "reply"}
    )
    telemetry.execute(
        ("pylive", "socket", "frame", "sent"), {"bytes": 2}, {"view": "Shop", "type": "patch"}
    )
    text = metrics.serve(request()).body.decode()
    assert samples(
        text,
        f"{VIEW}handle_event_duration_seconds_count",
        f"{VIEW}handle_event_duration_seconds_sum",
        f"{COMPONENT}render_duration_seconds_sum",
        f"{COMPONENT}exceptions_total",
        "pylive_socket_sent_bytes_total",
    ) == [
        f'{VIEW}handle_event_duration_seconds_count{{event="buy",view="Shop"}} 2.0',
        f'{VIEW}handle_event_duration_seconds_sum{{event="buy",view="Shop"}} 0.004',
        f'{COMPONENT}render_duration_seconds_sum{{component="Cart"}} 0.25',  # the class, not ids
        f'{COMPONENT}exceptions_total{{callback="update",component="Cart",kind="KeyError"}} 1.0',
        'pylive_socket_sent_bytes_total{type="reply",view="Shop"} 40.0',
        'pylive_socket_sent_bytes_total{type="patch",view="Shop"} 2.0',
    ]


def request(accept: str = "") -> HttpRequest:
    return HttpRequest("GET", "/metrics", headers={"accept": accept} if accept else {})


def test_event_labels_are_bounded_per_view_whatever_a_client_sends() -> None:
    """Event names come from the client: past ``max_event_labels`` per view (and per component
    class), any new one is counted as ``other``, so a client cannot grow the series."""
    metrics = PrometheusMetrics(max_event_labels=2)
    try:
        app = make_app(metrics)
        with live(app, "/") as view:
            for event in ("inc", "dec", "x1", "x2", "inc", "x3"):
                view._event("click", event, {})
            view.element("#bump").click()  # the component's first name: a bound of its own
        text = TestClient(app).get("/metrics").text
    finally:
        metrics.detach()
    assert samples(
        text,
        f"{VIEW}handle_event_duration_seconds_count",
        f"{COMPONENT}handle_event_duration_seconds_count",
    ) == [
        f'{VIEW}handle_event_duration_seconds_count{{event="inc",view="Counter"}} 2.0',
        f'{VIEW}handle_event_duration_seconds_count{{event="dec",view="Counter"}} 1.0',
        f'{VIEW}handle_event_duration_seconds_count{{event="{OTHER}",view="Counter"}} 3.0',
        f'{COMPONENT}handle_event_duration_seconds_count{{component="Row",event="bump"}} 1.0',
    ]
    assert metrics.event_label("live_view", "Counter", "dec") == "dec"  # kept names stay
    assert metrics.event_label("live_view", "Other", "x1") == "x1"  # per view


def test_buckets_make_the_durations_histograms() -> None:
    metrics = PrometheusMetrics(buckets=[0.001, 0.01])
    try:
        stop = ("pylive", "live_view", "mount", "stop")
        for ns in (500_000, 5_000_000, 50_000_000):
            telemetry.execute(stop, {"duration": ns}, {"view": "Shop"})
        text = metrics.serve(request()).body.decode()
    finally:
        metrics.detach()
    name = f"{VIEW}mount_duration_seconds"
    assert f"# TYPE {name} histogram" in text.splitlines()
    assert samples(text, f"{name}_bucket", f"{name}_count", f"{name}_sum") == [
        f'{name}_bucket{{le="0.001",view="Shop"}} 1.0',
        f'{name}_bucket{{le="0.01",view="Shop"}} 2.0',
        f'{name}_bucket{{le="+Inf",view="Shop"}} 3.0',
        f'{name}_count{{view="Shop"}} 3.0',
        f'{name}_sum{{view="Shop"}} 0.0555',
    ]


def test_a_registry_of_your_own_openmetrics_and_detach() -> None:
    registry = CollectorRegistry()
    metrics = PrometheusMetrics(registry, handler_id="mine")
    try:
        with pytest.raises(ValueError, match="a handler 'mine' is already attached"):
            PrometheusMetrics(CollectorRegistry(), handler_id="mine")
        telemetry.execute(("pylive", "live_view", "mount", "stop"), {"duration": 1}, {"view": "V"})
    finally:
        assert metrics.detach() is True
    assert metrics.detach() is False
    telemetry.execute(("pylive", "live_view", "mount", "stop"), {"duration": 1}, {"view": "V"})
    assert registry.get_sample_value(f"{VIEW}mounts_total", {"view": "V"}) == 1.0  # once
    answer = metrics.serve(request("application/openmetrics-text; version=1.0.0"))
    assert answer.content_type.startswith("application/openmetrics-text; version=1.0.0")
    assert answer.body.endswith(b"# EOF\n")
    with pytest.raises(ValueError, match=r"max_event_labels=...\): expected a count >= 0, got -1"):
        PrometheusMetrics(max_event_labels=-1)
    assert not telemetry.listened(("pylive", "live_view", "mount", "stop"))


def test_the_route_through_the_real_server(metrics: PrometheusMetrics) -> None:
    with LiveServer(make_app(metrics)) as server:
        page = httpx.get(server.url + "/")
        response = httpx.get(server.url + "/metrics")
    assert (page.status_code, response.status_code) == (200, 200)
    assert response.headers["content-type"] == TEXT_FORMAT
    assert samples(response.text, f"{VIEW}mounts_total") == [
        f'{VIEW}mounts_total{{view="Counter"}} 1.0'  # the page's HTTP render
    ]


def test_the_docs_example_runs_as_written() -> None:
    text = (Path(__file__).parent.parent / "docs" / "telemetry.md").read_text()
    code = text.split("## Prometheus", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(compile(code, "docs/telemetry.md", "exec"), namespace)
    metrics = namespace["metrics"]
    try:
        app = namespace["app"]
        app.live("/", Counter)
        with live(app, "/") as view:
            view._event("click", "inc", {})
        client = TestClient(app)
        public = client.get("/metrics")
        refused = client.get("/internal/metrics")
        allowed = client.get("/internal/metrics", headers={"authorization": "Bearer change me"})
    finally:
        metrics.detach()
    line = f'{VIEW}handle_event_duration_seconds_count{{event="inc",view="Counter"}} 1.0'
    assert samples(public.text, f"{VIEW}handle_event_duration_seconds_count") == [line]
    assert (refused.status, refused.text) == (403, "forbidden\n")
    assert allowed.status == 200 and line in allowed.text.splitlines()
