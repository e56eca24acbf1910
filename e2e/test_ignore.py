"""What the browser keeps against the server: a ``phx-update="ignore"`` element's children and
attributes (``data-*`` still merge), and attributes a ``JS.ignore_attributes`` names."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import expect

from pylive import JS, App, LiveView
from pylive.html import button, details, div, p, summary
from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e

DRAW = """() => {
    const chart = document.getElementById("chart");
    const drawn = document.createElement("canvas");
    drawn.id = "drawn";
    chart.appendChild(drawn);
    chart.classList.add("ready");
}"""


class Widgets(LiveView):
    def mount(self, params: Any, session: Any, socket: Any) -> None:
        socket.assign(n=0)

    def render(self, assigns: Any) -> Any:
        n = assigns.n
        return div(
            p(f"n={n}", id="n"),
            button("+", id="inc", phx_click="inc"),
            div(
                p(f"server says {n}", id="inside"),
                id="chart",
                phx_update="ignore",
                class_=f"chart v{n}",
                data_points=str(n),
            ),
            details(
                summary("More"),
                p(f"details {n}"),
                id="more",
                phx_mounted=JS().ignore_attributes("open"),
            ),
        )

    def handle_event(self, event: str, params: Any, socket: Any) -> None:
        socket.update("n", lambda n: n + 1)


def test_ignored_element_keeps_its_children_and_attributes_and_data_merges(live_server, live_page):
    app = App(secret_key="e2e-ignore-secret-key")
    app.live("/", Widgets)
    page = live_page
    frames: list[dict[str, Any]] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(json.loads(f))))
    page.goto(live_server(app).url + "/")
    sync(page)
    page.evaluate(DRAW)
    page.click("#more summary")  # the user opens the details
    expect(page.locator("#more")).to_have_attribute("open", "")
    page.click("#inc")
    sync(page)
    expect(page.locator("#n")).to_have_text("n=1")
    chart = page.locator("#chart")
    expect(chart).to_have_attribute("data-points", "1")  # data-* merge
    expect(chart).to_have_attribute("class", "chart v0 ready")  # the rest is the browser's
    expect(page.locator("#inside")).to_have_text("server says 0")
    expect(page.locator("#drawn")).to_have_count(1)
    expect(page.locator("#more")).to_have_attribute("open", "")  # ignore_attributes("open")
    expect(page.locator("#more p")).to_have_text("details 1")
    patch = [f for f in frames if "ops" in f][-1]
    assert "server says 1" not in json.dumps(patch["ops"])  # the server sent nothing below it
    page.evaluate("window.pylive.disconnect()")
    page.evaluate("window.pylive.connect()")
    sync(page)
    expect(page.locator("#n")).to_have_text("n=0")  # a fresh mount
    expect(page.locator("#drawn")).to_have_count(1)  # the rejoin kept the ignored element
    expect(chart).to_have_attribute("data-points", "0")
    expect(page.locator("#inside")).to_have_text("server says 0")
