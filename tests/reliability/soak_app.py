"""The app ``scripts/soak`` serves with the real command line (``python -m pylive run
soak_app:app --workers 2``): a counter that shows which worker process holds it."""

from __future__ import annotations

import os
from typing import Any

from pylive import App, Limits, LiveView
from pylive.html import button, div, p


class Counter(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        socket.assign(count=0)

    def render(self, assigns: Any) -> Any:
        return div(
            p(f"Count: {assigns.count}", id="count"),
            button("+", id="inc", phx_click="inc"),
            p(f"pid={os.getpid()}", id="pid"),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        socket.update("count", lambda n: n + 1)


app = App(
    limits=Limits(
        websocket_connects_per_second=1e6, websocket_connect_burst=10**6, max_connections_per_ip=0
    )
)
app.live("/", Counter)
