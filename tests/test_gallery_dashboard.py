"""The gallery's telemetry page and its live dashboard in-process: the example's handlers log
each mount and event and warn of a slow one; the dashboard refuses visitors who are not logged
in operators and counts the gallery's pages for one who is."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from gallery.app import DASHBOARD_METRICS, PAGES, TELEMETRY, app
from gallery.pages import auth_session, pubsub_chat, telemetry_dashboard
from pylive import telemetry
from pylive.dashboard import REFRESH
from pylive.testing import LiveViewClient, Redirected, TestClient, live

ANN = 1  # ann@example.com, the gallery's operator


@pytest.fixture(autouse=True)
def detached(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The page and the dashboard attach handlers to the process: detached after each test."""
    monkeypatch.setattr(telemetry_dashboard, "SLOW_MS", 30)
    monkeypatch.setattr(telemetry_dashboard, "SLOW_SECONDS", 0.06)
    telemetry_dashboard.LOG.clear()
    yield
    telemetry_dashboard.detach_handlers()
    DASHBOARD_METRICS.detach()
    DASHBOARD_METRICS.reset()


def logged(view: LiveViewClient) -> list[tuple[str, str]]:
    """The page's log: each line's class, and its text up to the duration."""
    found = view.element("#telemetry-log").find()
    return [(str(li.get("class")), str(li.text_content()).split(" in ")[0]) for li in found]


def test_the_page_is_listed_and_says_what_to_try() -> None:
    assert [(path, title) for path, title, *_ in TELEMETRY] == [
        ("/telemetry", "Telemetry and the live dashboard")
    ]
    assert TELEMETRY[0] in PAGES
    assert "Try this: " in (telemetry_dashboard.__doc__ or "")
    assert app.url_for("live_dashboard") == "/telemetry/dashboard"


def test_the_example_handlers_log_events_and_warn_of_a_slow_one() -> None:
    assert not telemetry.listened(telemetry_dashboard.EVENTS[1])  # importing attached nothing
    with live(app, "/telemetry") as view:
        view.element("#quick").click()
        view.element("#quick").click()
        view.element("#slow").click()
        assert view.element("#events-sent").render() == '<p id="events-sent">3 events sent</p>'
        assert logged(view) == [
            ("log-info", "LiveView event handled: TelemetryPage 'quick'"),
            ("log-info", "LiveView event handled: TelemetryPage 'quick'"),
            ("log-info", "LiveView event handled: TelemetryPage 'slow'"),
            ("log-warning", "Slow LiveView event: TelemetryPage 'slow'"),
        ]
        with live(app, "/counter"):  # another page's mounts are logged too
            view.send("log")
        assert logged(view)[-2:] == [
            ("log-info", "LiveView mounted: CounterPage"),
            ("log-info", "LiveView mounted: CounterPage"),
        ]


def test_the_dashboard_refuses_visitors_and_non_operators() -> None:
    with pytest.raises(Redirected) as redirected:
        live(app, "/telemetry/dashboard")
    assert redirected.value.to == auth_session.LOGIN_PATH
    email = f"bo-{uuid.uuid4().hex[:8]}@example.com"
    auth_session.add_user(email, "a password of bo's", [])
    bo = auth_session.authenticate(email, "a password of bo's")
    with pytest.raises(Redirected):
        live(
            app,
            "/telemetry/dashboard",
            session={"user_token": auth_session.build_session_token(bo)},
        )
    with TestClient(app) as client:
        refused = client.get("/telemetry/dashboard")
        assert (refused.status, refused.location) == (302, auth_session.LOGIN_PATH)
        page = client.follow(refused)
        assert page.has_element(".flash-error", "The live dashboard is for operators: log in first")
    assert not DASHBOARD_METRICS.attached  # nobody saw it: nothing measured


def rows(view: LiveViewClient) -> dict[str, list[str]]:
    """The views table by view: live, mounts, events."""
    found = view.element("#views").find()
    cells = [[str(cell.text_content()) for cell in row] for row in found.iter("tr")][1:]
    return {row[0]: [row[1], row[2], row[4]] for row in cells}


def test_an_operator_watches_the_gallery_pages_on_the_dashboard() -> None:
    session: dict[str, Any] = {"user_token": auth_session.build_session_token(ANN)}
    with live(app, "/telemetry/dashboard", session=session) as dash:
        assert DASHBOARD_METRICS.attached
        assert dash.element("h1").render() == "<h1>Live dashboard</h1>"
        assert dash.has_element("nav.sidebar")  # in the gallery's shell
        with live(app, "/counter") as counter, live(app, "/pubsub/chat"):
            for _ in range(3):
                counter.element("#inc").click()
            dash.send(REFRESH)
            shown = rows(dash)
            assert shown["CounterPage"] == ["1", "2", "3"]  # live, mounts, events
            assert shown["ChatRoomPage"] == ["1", "2", "0"]
            assert dash.element("#tile-sessions .figure").render() == (
                '<span class="figure">3</span>'  # the counter, the chat room and the dashboard
            )
            topics = dash.element("#topics").find()
            assert [str(row.text_content()) for row in topics.iter("td")][:2] == [
                pubsub_chat.TOPIC,
                "1",
            ]
        dash.send(REFRESH)
        assert "CounterPage" in rows(dash)
        assert rows(dash)["CounterPage"][0] == "0"  # gone
