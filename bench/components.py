"""A parent with 1,000 keyed component rows; one row updated with ``send_update``.

Run: ``uv run python bench/components.py [--rows N]``. Drives the real session code
(``pylive.session.Connection``) over an in-memory transport and reports, per update, the server
time from the ``send_update`` to the frame being handed to the transport, and the frame's bytes.
Figures, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

from pylive import App, LiveView
from pylive.html import button, span, table, tbody, td, tr
from pylive.live_component import LiveComponent, live_component
from pylive.session import Connection
from pylive.view_render import dead_render


class Row(LiveComponent):
    def render(self, assigns: Any) -> Any:
        return tr(
            td(span(f"Row {assigns.id}")),
            td(f"value {assigns.value}", class_="value"),
            td(button("+", phx_click="inc", phx_target=assigns.myself)),
        )


class Rows(LiveView):
    renders = 0

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        socket.assign(rows=int(params.get("rows", "1000")))

    def render(self, assigns: Any) -> Any:
        Rows.renders += 1
        return table(tbody(*[live_component(Row, id=i, value=0) for i in range(assigns.rows)]))


class Transport:
    def __init__(self) -> None:
        self.inbox: asyncio.Queue[str | None] = asyncio.Queue()
        self.sent: list[tuple[float, str]] = []
        self.arrived = asyncio.Event()

    async def recv(self) -> str | None:
        return await self.inbox.get()

    async def send(self, text: str) -> None:
        self.sent.append((time.perf_counter(), text))
        self.arrived.set()

    async def close(self, code: int, reason: str = "") -> None:
        pass


async def main(rows: int, updates: int) -> None:
    app = App(secret_key="bench-secret-0123456789")
    app.live("/", Rows)
    found = app.match("/")
    assert found is not None
    route, params = found
    url = f"http://localhost/?rows={rows}"
    dead = await dead_render(app, route, params, url, {})
    transport = Transport()
    connection = Connection(app, transport)
    task = asyncio.create_task(connection.run())
    transport.inbox.put_nowait(f'{{"type":"join","ref":0,"token":"{dead.token}","url":"{url}"}}')
    await transport.arrived.wait()
    live = connection.live
    assert live is not None
    renders = Rows.renders
    times: list[float] = []
    sizes: list[int] = []
    for n in range(updates):
        transport.arrived.clear()
        start = time.perf_counter()
        live.socket.send_update(Row, id=rows // 2, value=n + 1)
        await transport.arrived.wait()
        sent_at, text = transport.sent[-1]
        times.append(sent_at - start)
        sizes.append(len(text.encode()))
    assert Rows.renders == renders, "the parent re-rendered"
    print(f"# {rows} component rows, {updates} send_update calls to row {rows // 2}")
    print(f"frame: {transport.sent[-1][1]}")
    print(f"bytes per update: {statistics.median(sizes):.0f}")
    print(
        f"server time per update: p50 {statistics.median(times) * 1e3:.3f} ms, "
        f"min {min(times) * 1e3:.3f} ms, max {max(times) * 1e3:.3f} ms"
    )
    print(f"parent renders during the updates: {Rows.renders - renders}")
    transport.inbox.put_nowait(None)
    await task


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--updates", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(main(args.rows, args.updates))
