"""Click → DOM change for a ``JS.show``/``JS.hide`` chain in Chromium: no round trip, so the
element changes in the click's own task, before the next animation frame.

    uv run python bench/js_show.py [--clicks 200]

Real input (Playwright's mouse: mousedown, mouseup, click, as a user's) on a button holding
``JS().toggle(to="#box")``. In the page, a capture-phase listener notes the click's time and
the animation frame count; a MutationObserver notes when ``#box``'s style changes. Prints the
median and p99 of click → mutation, how many mutations landed before the next frame, and the
websocket frames the page sent meanwhile (expected: none).
"""

from __future__ import annotations

import argparse
import json
import statistics
from typing import Any

from playwright.sync_api import sync_playwright

from pylive import JS, App, LiveView
from pylive.html import button, div, p
from pylive.sanic import LiveServer
from pylive.testing.browser import HOST_RULES, chromium_path, sync

PROBE = """() => {
  const box = document.getElementById("box");
  window.__frames = 0;
  const tick = () => { window.__frames++; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  window.__samples = [];
  let clicked = null;
  document.addEventListener("click", () => {
    clicked = { at: performance.now(), frame: window.__frames };
  }, true);
  new MutationObserver(() => {
    if (clicked === null) return;
    window.__samples.push({ ms: performance.now() - clicked.at,
                            sameFrame: window.__frames === clicked.frame });
    clicked = null;
  }).observe(box, { attributes: true, attributeFilter: ["style"] });
}"""


class Toggle(LiveView):
    def render(self, assigns: Any) -> Any:
        return div(
            button("Toggle", id="toggle", phx_click=JS().toggle(to="#box")),
            div(p("shown"), id="box", style="display: none"),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=200)
    args = parser.parse_args()
    app = App(secret_key="bench-js-show-secret-key")
    app.live("/", Toggle)
    server = LiveServer(app).start()
    sent: list[Any] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=[HOST_RULES])
            page = browser.new_page()
            page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(f)))
            page.goto(server.url + "/")
            sync(page)
            page.evaluate(PROBE)
            before = len(sent)
            box = page.locator("#toggle").bounding_box()
            assert box is not None
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            for _ in range(args.clicks):
                page.mouse.click(x, y)
            page.wait_for_function(f"window.__samples.length >= {args.clicks}", timeout=10_000)
            samples = page.evaluate("window.__samples")
            frames = [json.loads(f) for f in sent[before:]]
            browser.close()
    finally:
        server.stop()
    times = sorted(s["ms"] for s in samples)
    same = sum(1 for s in samples if s["sameFrame"])
    events = [f for f in frames if f.get("type") == "event"]
    median_us = statistics.median(times) * 1000
    p99_us = times[int(len(times) * 0.99) - 1] * 1000
    print(
        f"JS toggle, {len(times)} clicks: click -> DOM change median {median_us:.0f} us, "
        f"p99 {p99_us:.0f} us; {same}/{len(times)} before the next animation frame; "
        f"{len(events)} event frames sent"
    )


if __name__ == "__main__":
    main()
