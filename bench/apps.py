"""The benchmark scenarios as a pylive app: S1 counter at ``/s1``, S2 1000-row list at ``/s2``.

Serve it with ``python -m pylive run bench.apps:app --port P`` from the repository root.

- ``app``: S1 and S2 written the obvious way (S2 is a list comprehension of keyed ``li`` rows,
  rebuilt on every render). With ``PYLIVE_BENCH_S2=fast`` in the environment, ``app`` serves the
  fast S2 instead, so one command line selects either variant.
- ``app_fast``: always the fastest idiomatic S2 — a stream (``socket.stream``): the browser keeps
  the rows, the server keeps only the values, and ``change``/``append`` send one row each with no
  render of the other 999.
- ``app_memo`` (for comparison): memoized row components (``@component(memo=True)``): a row whose
  arguments did not change is skipped by the diff in O(1) and never even called.
- ``app_components`` (exploratory, not in the side-by-side table): each row a stateful
  ``LiveComponent``; ``change`` does not touch the view's assigns but ``send_update``s row 500,
  which re-renders alone and answers in the same frame (LiveView's pre-streams idiom).

Every app here raises the per-socket event rate limit (``Limits``; default 50 events/s with a
burst of 100) and the per-address handshake limit (20/s, burst 200): the harness clicks as fast
as the server answers (thousands of events/s on one socket) and opens hundreds of sessions from
one address, and the default limits would answer most clicks with a "rate limited" reply and
most handshakes with a 429 (and the 257th open connection with a 503). The peers have no such
limits. Nothing else differs from the defaults.
"""

from __future__ import annotations

import os
from typing import Any

from pylive import App, Limits, LiveView
from pylive.component import component
from pylive.html import button, div, h1, li, ul
from pylive.live_component import LiveComponent, live_component
from pylive.node import Element

ROWS = 1000
CHANGED_ROW = 500
SECRET = "pylive benchmark secret, not for production"
LIMITS = Limits(
    events_per_second=1_000_000.0,
    event_burst=1_000_000,
    websocket_connects_per_second=1_000_000.0,
    websocket_connect_burst=1_000_000,
    max_connections_per_ip=0,
)


class Counter(LiveView):
    """S1: a counter with a "+" button."""

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        socket.assign(count=0)

    def render(self, assigns: Any) -> Element:
        return div(h1(f"Count is {assigns.count}"), button("+", phx_click="inc"))

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        if event == "inc":
            socket.update("count", lambda count: count + 1)


class Rows(LiveView):
    """S2, the obvious way: every render rebuilds 1000 keyed rows from the list of values."""

    rows = ROWS
    changed = CHANGED_ROW

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        socket.assign(values=[0] * self.rows)

    def render(self, assigns: Any) -> Element:
        return div(
            button("change row 500", phx_click="change"),
            button("append row", phx_click="append"),
            ul(
                [li(f"Row {i}: value {v}", key=i) for i, v in enumerate(assigns.values)],
                id="rows",
            ),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        values = socket.assigns.values
        if event == "change":
            values[self.changed] += 1
        elif event == "append":
            values.append(0)
        socket.assign(values=values)  # edited in place: assigning it again marks it changed


@component(memo=True)
def row(i: int, v: int) -> Element:
    return li(f"Row {i}: value {v}")


class FastRows(Rows):
    """S2, the fastest idiomatic way: memoized row components, skipped when i and v are equal."""

    def render(self, assigns: Any) -> Element:
        return div(
            button("change row 500", phx_click="change"),
            button("append row", phx_click="append"),
            ul([row(i, v, key=i) for i, v in enumerate(assigns.values)], id="rows"),
        )


class StreamRows(Rows):
    """S2, the fastest idiomatic way: a stream. The browser keeps the rows; the server keeps the
    values (the app's own data) and sends only the row that changed or was appended."""

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        values = [0] * self.rows
        socket.assign(values=values)
        socket.stream_configure("rows", dom_id=lambda row: f"r{row[0]}")
        socket.stream("rows", enumerate(values))

    def render(self, assigns: Any) -> Element:
        return div(
            button("change row 500", phx_click="change"),
            button("append row", phx_click="append"),
            ul(id="rows", phx_update="stream")[
                (li(f"Row {i}: value {v}", id=dom_id) for dom_id, (i, v) in assigns.streams.rows)
            ],
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        values = socket.assigns.values  # edited in place, not assigned again: nothing re-renders it
        if event == "change":
            values[self.changed] += 1
            socket.stream_insert("rows", (self.changed, values[self.changed]))
        elif event == "append":
            values.append(0)
            socket.stream_insert("rows", (len(values) - 1, 0))


class RowComponent(LiveComponent):
    def render(self, assigns: Any) -> Element:
        return li(f"Row {assigns.id}: value {assigns.v}")


class ComponentRows(Rows):
    """S2 with a live component per row: ``change`` re-renders row 500 alone."""

    def render(self, assigns: Any) -> Element:
        return div(
            button("change row 500", phx_click="change"),
            button("append row", phx_click="append"),
            ul(
                [live_component(RowComponent, id=i, v=v) for i, v in enumerate(assigns.values)],
                id="rows",
            ),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        values = socket.assigns.values
        if event == "change":
            values[self.changed] += 1  # the view does not re-render; the row is told
            socket.send_update(RowComponent, id=self.changed, v=values[self.changed])
        elif event == "append":
            values.append(0)
            socket.assign(values=values)


def make_app(fast: bool = False, rows: type[LiveView] | None = None) -> App:
    """An app with ``/s1`` and ``/s2`` (``rows`` overrides the S2 view, e.g. for another size)."""
    application = App(secret_key=SECRET, limits=LIMITS, title="pylive bench")
    application.live("/s1", Counter)
    application.live("/s2", rows or (StreamRows if fast else Rows))
    return application


app = make_app(fast=os.environ.get("PYLIVE_BENCH_S2", "") == "fast")
app_fast = make_app(fast=True)
app_memo = make_app(rows=FastRows)
app_components = make_app(rows=ComponentRows)
