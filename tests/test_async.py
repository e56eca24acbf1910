"""Async work: assign_async (AsyncResult states, threads and coroutines, reset, failures as
``failed``), start_async and handle_async, cancel_async, jobs replaced or outliving their view
delivering nothing, live components, the HTTP render showing the loading state, render_async."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest

import pylive._callbacks
from pylive import App, LiveComponent, LiveView, live_component
from pylive.async_result import AsyncCancelled, AsyncResult, async_result
from pylive.html import button, div, p
from pylive.node import Tree
from pylive.session import Connection
from pylive.socket import Socket
from pylive.testing import live
from tests.test_session import FakeTransport, feed, join, token_for

SECRET = "a test secret, long enough"
GATE = threading.Event()


def fetch_org() -> dict[str, str]:
    GATE.wait(5)  # a slow query, in a worker thread
    return {"name": "Acme"}


async def fetch_stats() -> dict[str, int]:
    await asyncio.sleep(0)
    return {"users": 3, "orders": 7}


def broken() -> None:
    raise LookupError("no such org")


class Dashboard(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign_async("org", fetch_org)
        socket.assign_async(["users", "orders"], fetch_stats)
        socket.assign(log=[])

    def render(self, assigns: Any) -> Tree:
        return div(
            p(
                async_result(
                    assigns.org,
                    loading="Loading organization…",
                    failed=lambda error: f"Failed: {error}",
                    ok=lambda org: f"Org: {org['name']}",
                ),
                id="org",
            ),
            p(
                async_result(assigns.users, loading="…", ok=lambda n: f"{n} users"),
                " / ",
                async_result(assigns.orders, loading="…", ok=lambda n: f"{n} orders"),
                id="stats",
            ),
            p(" ".join(assigns.log), id="log"),
            button("reload", phx_click="reload", id="reload"),
            button("break", phx_click="break", id="break"),
            button("cancel", phx_click="cancel", id="cancel"),
            button("report", phx_click="report", id="report"),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        if event == "reload":
            socket.assign_async("org", fetch_org, reset=params.get("reset") == "1")
        elif event == "break":
            socket.assign_async("org", broken)
        elif event == "cancel":
            socket.cancel_async(socket.assigns.org, reason="user cancelled")
        elif event == "report":
            socket.start_async("report", lambda: 42)
        elif event == "slow_report":
            socket.start_async("report", fetch_org)
        elif event == "cancel_report":
            socket.cancel_async("report")

    def handle_async(self, name: str, result: tuple[str, Any], socket: Socket) -> None:
        status, value = result
        shown = f"{type(value).__name__}({value})" if status == "exit" else str(value)
        socket.update("log", lambda log: [*log, f"{name}:{status}:{shown}"])


def make_app() -> App:
    app = App(secret_key=SECRET)
    app.live("/", Dashboard)
    return app


@pytest.fixture(autouse=True)
def gate() -> Any:
    GATE.set()
    yield
    GATE.set()


def test_the_http_render_shows_loading_and_never_runs_the_work() -> None:
    GATE.clear()
    static = live(make_app(), "/", connect=False)
    assert '<p id="org">Loading organization…</p>' in static.html
    assert '<p id="stats">… / …</p>' in static.html


def test_assign_async_loads_in_a_thread_and_a_task() -> None:
    GATE.clear()
    with live(make_app(), "/") as view:
        assert view.element("#org").render() == '<p id="org">Loading organization…</p>'
        GATE.set()
        view.render_async()
        assert view.element("#org").render() == '<p id="org">Org: Acme</p>'
        assert view.element("#stats").render() == '<p id="stats">3 users / 7 orders</p>'


def test_a_failing_function_is_failed_not_a_crash_and_reset_drops_the_result() -> None:
    with live(make_app(), "/") as view:
        view.render_async()
        view.element("#break").click()
        view.render_async()
        assert view.element("#org").render() == ('<p id="org">Failed: no such org</p>')
        GATE.clear()
        view.element("#reload").click()  # a reload forgets the failure (LiveView's rule)
        assert view.element("#org").render() == '<p id="org">Loading organization…</p>'
        GATE.set()
        view.render_async()
        assert view.element("#org").render() == '<p id="org">Org: Acme</p>'
        GATE.clear()
        view.element("#reload").click()  # no reset: the result shows while it reloads
        assert view.element("#org").render() == '<p id="org">Org: Acme</p>'
        GATE.set()
        view.render_async()
        GATE.clear()
        view.element("#reload").click(value={"reset": "1"})
        assert view.element("#org").render() == '<p id="org">Loading organization…</p>'
        GATE.set()
        view.render_async()


def test_cancel_async_fails_the_assign_and_the_result_never_lands() -> None:
    GATE.clear()
    with live(make_app(), "/") as view:
        view.element("#cancel").click()
        assert view.element("#org").render() == '<p id="org">Failed: user cancelled</p>'
        GATE.set()
        view.render_async()  # the thread finished: its result is dropped
        assert view.element("#org").render() == '<p id="org">Failed: user cancelled</p>'


def test_start_async_reaches_handle_async_and_cancel_sends_the_exit() -> None:
    with live(make_app(), "/") as view:
        view.element("#report").click()
        view.render_async()
        assert view.element("#log").render() == '<p id="log">report:ok:42</p>'
        GATE.clear()
        view._event("click", "slow_report", {})
        view._event("click", "cancel_report", {})
        assert view.element("#log").render() == (
            '<p id="log">report:ok:42 report:exit:AsyncCancelled(cancelled)</p>'
        )
        GATE.set()
        view.render_async()
        assert view.element("#log").render() == (
            '<p id="log">report:ok:42 report:exit:AsyncCancelled(cancelled)</p>'
        )


def test_a_job_outliving_its_view_delivers_nothing() -> None:
    async def scenario() -> None:
        GATE.clear()
        app = make_app()
        transport = FakeTransport()
        connection = Connection(app, transport)
        await feed(connection, join(0, token_for(app)))
        live_session = connection.live
        assert live_session is not None and not live_session.tasks.idle
        await connection.end("closed")
        assert live_session.tasks.idle
        sent = len(transport.sent)
        GATE.set()
        await asyncio.sleep(0.05)
        await connection.process_queued()
        assert len(transport.sent) == sent

    asyncio.run(scenario())


def test_render_async_names_what_still_runs() -> None:
    GATE.clear()
    with live(make_app(), "/") as view:
        with pytest.raises(AssertionError, match=r"still runs: assign 'org'"):
            view.render_async(timeout=0.05)
        GATE.set()


class Card(LiveComponent):
    def mount(self, socket: Any) -> None:
        socket.assign_async("quote", lambda: "carpe diem")
        socket.start_async("count", lambda: 5)
        socket.assign(count=None)

    def render(self, assigns: Any) -> Tree:
        text = async_result(assigns.quote, loading="…", ok=lambda q: q)
        return p(text, f" ({assigns.count})", id="card")

    def handle_async(self, name: str, result: tuple[str, Any], socket: Any) -> None:
        socket.assign(count=result[1])


class Holder(LiveView):
    def render(self, assigns: Any) -> Tree:
        return div(live_component(Card, id="c"))


def test_live_components_load_async_too() -> None:
    app = App(secret_key=SECRET)
    app.live("/", Holder)
    with live(app, "/") as view:
        view.render_async()
        assert (
            view.element("#card").render()
            == '<p id="card" data-phx-component="1">carpe diem (5)</p>'
        )


def test_the_api_refuses_what_it_cannot_run() -> None:
    socket = Socket("V")
    with pytest.raises(ValueError, match=r"V.assign_async\('flash'\): 'flash' is a name"):
        socket.assign_async("flash", fetch_org)
    with pytest.raises(TypeError, match=r"V.assign_async\('org'\): expected a function"):
        socket.assign_async("org", "nope")  # type: ignore[arg-type]
    assert socket.assign_async("org", fetch_org).assigns.org == AsyncResult(loading=True)
    with pytest.raises(KeyError, match="that AsyncResult is no assign"):
        socket.cancel_async(AsyncResult())
    assert str(AsyncCancelled("why")) == "why"
    with pytest.raises(TypeError, match="async_result: expected an AsyncResult"):
        async_result(None)  # type: ignore[arg-type]


def test_the_docs_example_runs_as_written() -> None:
    text = (Path(__file__).parent.parent / "docs" / "async.md").read_text()
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(compile(code, "docs/async.md", "exec"), namespace)
    app = App(secret_key=SECRET)
    app.live("/", namespace["OrgPage"])
    assert "Loading organization…" in live(app, "/", connect=False).html
    with live(app, "/") as view:
        html = view.render_async()
        assert "Organization: Acme" in html
        view.element("button").click()
        assert "12 pages" in view.render_async()


class BlockingMount(LiveView):
    """A mount pylive moved to a worker thread (it once held the loop too long)."""

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign_async("org", lambda: {"name": "Acme"})
        socket.start_async("count", lambda: 3)
        socket.assign(count=None)

    def handle_async(self, name: str, result: tuple[str, Any], socket: Socket) -> None:
        socket.assign(count=result[1])

    def render(self, assigns: Any) -> Tree:
        org = async_result(assigns.org, loading="…", ok=lambda o: o["name"])
        return p(org, f" {assigns.count}", id="org")


def test_async_work_started_by_a_callback_in_a_worker_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pylive._callbacks, "_blocking", {BlockingMount.mount})
    app = App(secret_key=SECRET)
    app.live("/", BlockingMount)
    with live(app, "/") as view:
        view.render_async()
        assert view.element("#org").render() == '<p id="org">Acme 3</p>'


class SlowCard(LiveComponent):
    def mount(self, socket: Any) -> None:
        socket.assign_async("quote", self.load)

    async def load(self) -> str:
        await asyncio.sleep(30)
        return "never"

    def render(self, assigns: Any) -> Tree:
        return p(async_result(assigns.quote, loading="…", ok=str), id="slow")


class Toggle(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(show=True)

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        socket.assign(show=False)

    def render(self, assigns: Any) -> Tree:
        return div(live_component(SlowCard, id="s") if assigns.show else None, id="holder")


def test_a_component_leaving_the_page_takes_its_background_work() -> None:
    app = App(secret_key=SECRET)
    app.live("/", Toggle)
    with live(app, "/") as view:
        live_session = view.connection.live
        assert live_session is not None and list(live_session.tasks.running) == [
            (1, "assign", "quote")
        ]
        view._event("click", "hide", {})
        assert live_session.tasks.idle
        assert view.render_async() == view.render()
