"""Test-only views for the e2e suite."""

from __future__ import annotations

import asyncio
from typing import Any

from pylive import App, LiveView
from pylive.html import button, div, input, p


class SlowCounter(LiveView):
    """A counter whose ``inc`` waits ``phx-value-delay`` seconds: long enough to see the loading
    class, and to click again while the first click waits."""

    def mount(self, params: Any, session: Any, socket: Any) -> None:
        socket.assign(count=0)

    def render(self, assigns: Any) -> Any:
        return div(
            p(f"Count: {assigns.count}", id="count"),
            button("+2", id="inc", phx_click="inc", phx_value_by=2),
            button("+1 slowly", id="slow", phx_click="inc", phx_value_by=1, phx_value_delay="0.4"),
            button("Boom", id="boom", phx_click="boom"),
            input(type="text", id="note", name="note"),
        )

    async def handle_event(self, event: str, params: Any, socket: Any) -> None:
        if event == "boom":
            raise RuntimeError("boom (a crash the e2e suite provokes on purpose)")
        await asyncio.sleep(float(params.get("delay", 0)))
        socket.update("count", lambda count: count + int(params["by"]))


def slow_counter_app() -> App:
    app = App(secret_key="e2e-secret-key-0123456789", title="e2e")
    app.live("/", SlowCounter)
    return app


class ShowUri(LiveView):
    """Shows the ``uri`` handle_params received, and on which render."""

    def handle_params(self, params: Any, uri: str, socket: Any) -> None:
        socket.assign(uri=uri, connected=socket.connected)

    def render(self, assigns: Any) -> Any:
        return div(p(assigns.uri, id="uri"), p(f"connected={assigns.connected}", id="connected"))


class StaleSession(LiveView):
    """Renders over HTTP, but its connected mount finds the session stale and redirects."""

    def mount(self, params: Any, session: Any, socket: Any) -> None:
        if socket.connected:
            socket.redirect("/login")

    def render(self, assigns: Any) -> Any:
        return p("members only", id="members")


class Login(LiveView):
    def render(self, assigns: Any) -> Any:
        return p("Please log in", id="login")


def navigation_app() -> App:
    app = App(secret_key="e2e-secret-key-0123456789", title="e2e")
    app.live("/products", ShowUri)
    app.live("/members", StaleSession)
    app.live("/login", Login)
    return app
