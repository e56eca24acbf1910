"""Live navigation against a full page load, in Chromium: the time from the click (or the
``goto``) to the next view connected and on the page, and the bytes of a patch navigation.

    uv run python bench/navigation.py [--rounds 30]

Two views of one live session, A (``/a``) and B (``/b``), each a list of 50 rows and a
``link(navigate=...)`` to the other. Each round, from A, measures in the page, with one
MutationObserver installed before any page script (``add_init_script``): (1) a live navigate to
B, from the link's click to B's marker on the page with the view connected; (2) a full page
load of B, from the navigation's start (``performance.now()``'s origin) to the same. Then a
patch link on A (``?n=``) is clicked and the websocket bytes of that navigation counted both
ways. Figures, not a test.
"""

from __future__ import annotations

import argparse
import statistics
from typing import Any

from playwright.sync_api import sync_playwright

from pylive import App, LiveView, link
from pylive.html import div, li, p, ul
from pylive.sanic import LiveServer
from pylive.testing.browser import HOST_RULES, chromium_path, sync

CONNECTED = "document.getElementById('phx-main').classList.contains('phx-connected')"
WATCH = """
window.__connectedAt = null;
new MutationObserver(() => {
  const main = document.getElementById("phx-main");
  const b = document.getElementById("marker-b");
  if (window.__connectedAt === null && b && main && main.classList.contains("phx-connected")) {
    window.__connectedAt = performance.now();
  }
}).observe(document, { subtree: true, childList: true, attributes: true });
"""
"""In every page from its start: the moment B's marker is on the page with the view connected
(``performance.now()``: since the navigation started, for a page load)."""
CLICK = """() => {
  window.__connectedAt = null;
  window.__clickAt = performance.now();
  document.getElementById("other").click();
}"""


class Page(LiveView):
    other = "/b"

    def handle_params(self, params: dict[str, Any], uri: str, socket: Any) -> None:
        socket.assign(n=params.get("n", "0"))

    def render(self, assigns: Any) -> Any:
        name = type(self).__name__.lower()
        return div(
            p(f"view {name} n={assigns.n}", id=f"marker-{name}"),
            ul([li(f"row {i} of {name}", key=str(i)) for i in range(50)]),
            link("other", navigate=self.other, id="other"),
            link("patch", patch=f"/{name}?n={int(assigns.n) + 1}", id="patch"),
        )


class A(Page):
    other = "/b"


class B(Page):
    other = "/a"


def size(payload: str | bytes) -> int:
    return len(payload.encode() if isinstance(payload, str) else payload)


def there(name: str) -> str:
    return f"document.getElementById('marker-{name}') !== null && {CONNECTED}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    app = App(secret_key="bench-navigation-secret-key")
    app.live("/a", A)
    app.live("/b", B)
    server = LiveServer(app).start()
    live: list[float] = []
    full: list[float] = []
    frames: list[tuple[str, int]] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=[HOST_RULES])
            page = browser.new_page()
            page.add_init_script(WATCH)
            page.goto(server.url + "/a")
            sync(page)
            for _ in range(args.rounds):  # each round from A: B live, then B loaded in full
                page.evaluate(CLICK)
                page.wait_for_function("window.__connectedAt !== null")
                live.append(page.evaluate("window.__connectedAt - window.__clickAt") / 1000)
                page.goto(server.url + "/b")
                page.wait_for_function("window.__connectedAt !== null")
                full.append(page.evaluate("window.__connectedAt") / 1000)
                page.goto(server.url + "/a")
                page.wait_for_function(there("a"))
            page.goto(server.url + "/a")
            page.wait_for_function(there("a"))

            def seen(ws: Any) -> None:
                ws.on("framesent", lambda f: frames.append(("sent", size(f))))
                ws.on("framereceived", lambda f: frames.append(("received", size(f))))

            page.on("websocket", seen)
            page.reload()
            page.wait_for_function(there("a"))
            page.wait_for_timeout(200)
            frames.clear()
            page.click("#patch")
            page.wait_for_function(
                "document.getElementById('marker-a').textContent.endsWith('n=1')"
            )
            page.wait_for_timeout(200)
            browser.close()
    finally:
        server.stop()
    live_ms = statistics.median(live) * 1000
    full_ms = statistics.median(full) * 1000
    sent = sum(size for way, size in frames if way == "sent")
    received = sum(size for way, size in frames if way == "received")
    print(f"{args.rounds} rounds, medians: live navigate {live_ms:.1f} ms, full page load "
          f"{full_ms:.1f} ms: live / full {live_ms / full_ms:.2f}")  # fmt: skip
    print(f"a patch navigation: {sent} bytes sent, {received} bytes received "
          f"({len(frames)} frames)")  # fmt: skip


if __name__ == "__main__":
    main()
