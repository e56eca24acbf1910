"""Async: a dashboard that loads slow data without blocking. The page shows at once; each card
is an ``assign_async``, loading in a worker thread, then ``ok`` or ``failed`` (a failure is a
state of the card, never a crash of the page). "Retry" loads the failed card again,
"Cancel" stops a load (``cancel_async``), and "Build report" runs ``start_async``, whose
outcome reaches ``handle_async``.

Try this: watch the three cards fill in; the revenue card fails — press "Retry" (it works the
second time); reload the visitors card and cancel it before it ends; build the report.
"""

import time

from pylive import LiveView, async_result
from pylive.html import button, div, h3, p, section

DELAY = 0.6


def slow(value, seconds=None):
    time.sleep(DELAY if seconds is None else seconds)  # a slow query, in a worker thread
    return value


def make_revenue_loader():
    attempts = {"n": 0}

    def load():
        attempts["n"] += 1
        time.sleep(DELAY / 2)
        if attempts["n"] == 1:
            raise ConnectionError("the billing service timed out")
        return "$12,340"

    return load


def card(title, assign, retry=None, cancel=None, ok=str):
    return section(
        h3(title),
        p(
            async_result(
                assign,
                loading="Loading…",
                failed=lambda error: f"Failed: {error}",
                ok=ok,
            ),
            class_="value",
        ),
        button("Retry", phx_click="retry", phx_value_card=retry)
        if retry and assign.failed
        else None,
        button("Cancel", phx_click="cancel", phx_value_card=cancel)
        if cancel and assign.loading
        else None,
        class_="card",
        id=f"card-{retry or cancel or title.lower()}",
    )


class AsyncDashboard(LiveView):
    def mount(self, params, session, socket):
        self.revenue = make_revenue_loader()
        socket.assign(report="")
        socket.assign_async("users", lambda: slow(1_204))
        socket.assign_async("visitors", lambda: slow(8_311))
        socket.assign_async("revenue", self.revenue)

    def handle_event(self, event, params, socket):
        which = params.get("card")
        if event == "retry" and which == "revenue":
            socket.assign_async("revenue", self.revenue, reset=True)
        elif event == "reload":
            socket.assign_async("visitors", lambda: slow(8_312, seconds=DELAY * 3), reset=True)
        elif event == "cancel" and which == "visitors":
            socket.cancel_async("visitors", reason="cancelled by you")
        elif event == "report":
            socket.assign(report="Building…")
            socket.start_async("report", lambda: slow("Report ready: 3 pages"))

    def handle_async(self, name, result, socket):
        status, value = result
        socket.assign(report=value if status == "ok" else f"Report failed: {value}")

    def render(self, assigns):
        return div(
            div(
                card("Users", assigns.users),
                card("Visitors", assigns.visitors, cancel="visitors"),
                card("Revenue", assigns.revenue, retry="revenue"),
                class_="cards",
            ),
            p(
                button("Reload visitors", phx_click="reload", id="reload"),
                button("Build report", phx_click="report", id="report"),
            ),
            p(assigns.report, id="report-status"),
            class_="demo async-dashboard",
        )
