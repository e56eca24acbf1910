"""A chart drawn by a hook: the server owns the data, the browser draws it. The chart is a live
component; its element carries the data as ``data-points`` JSON and the ``BarChart`` hook draws
SVG bars from it in ``mounted``, then redraws in ``updated`` whenever the server patches the data.
The element is ``phx-update="ignore"``, so the server's patches change its ``data-*`` attributes
and never touch the bars the hook drew.

Clicking a bar calls ``this.pushEventTo(this.el, "point-clicked", ...)``: an element as the target
sends the event to the component it is in, whose ``handle_event`` selects the bar.

Try this: press "Add a month", then click a bar.
"""

import json
from pathlib import Path

from pylive import Hook, LiveComponent, LiveView, live_component
from pylive.html import button, div, p

BAR_CHART = Hook("BarChart", js=Path(__file__).with_name("hook_bar_chart.js"))

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
SALES = [100, 150, 200, 130, 170, 240, 210, 190, 260, 230, 280, 320]


class SalesChart(LiveComponent):
    hooks = (BAR_CHART,)

    def mount(self, socket):
        socket.assign(selected=None)

    def handle_event(self, event, params, socket):
        if event == "point-clicked" and params.get("label") in MONTHS:
            socket.assign(selected=params["label"])

    def render(self, assigns):
        months = MONTHS[: assigns.months]
        points = [{"label": m, "value": v} for m, v in zip(months, SALES, strict=False)]
        selected = assigns.selected
        return div(
            div(
                id=f"{assigns.id}-bars",
                class_="bar-chart",
                phx_hook=BAR_CHART,
                phx_update="ignore",
                data_points=json.dumps(points),
                data_selected=selected or "",
            ),
            p(
                f"Selected: {selected}, {SALES[MONTHS.index(selected)]} sold"
                if selected
                else "Click a bar.",
                id=f"{assigns.id}-selected",
            ),
            id=assigns.id,
        )


class ChartPage(LiveView):
    hooks = (BAR_CHART,)

    def mount(self, params, session, socket):
        socket.assign(months=3)

    def render(self, assigns):
        return div(
            live_component(SalesChart, id="sales-chart", months=assigns.months),
            button("Add a month", id="add-month", phx_click="add_month"),
            class_="demo hooks-chart",
        )

    def handle_event(self, event, params, socket):
        if event == "add_month":
            socket.update("months", lambda n: min(n + 1, len(MONTHS)))
