"""The runnable examples of the docs, run as written: the first ``python`` block of a page is
executed and its view served to Chromium."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from pylive import App
from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e

DOCS = Path(__file__).resolve().parents[1] / "docs"


def example(page: str) -> dict[str, Any]:
    """The names the first ``python`` block of ``docs/<page>`` defines."""
    found = re.search(r"```python\n(.*?)```", (DOCS / page).read_text(), re.S)
    assert found is not None, f"docs/{page} has no python block"
    names: dict[str, Any] = {}
    exec(compile(found.group(1), f"docs/{page}", "exec"), names)
    return names


def test_js_md_modal_example(live_server, live_page):
    app = App(secret_key="docs-example-secret-key")
    app.live("/", example("js.md")["Modal"])
    page = live_page
    frames: list[dict[str, Any]] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: frames.append(json.loads(f))))
    page.goto(live_server(app).url + "/")
    sync(page)
    modal = page.locator("#modal")
    expect(modal).to_be_hidden()
    page.click("#open")
    expect(modal).to_be_visible()
    expect(page.locator("#modal button").first).to_be_focused()  # focus_first
    page.keyboard.press("Escape")
    expect(modal).to_be_hidden()
    expect(page.locator("#open")).to_be_focused()  # pop_focus
    assert [f for f in frames if f["type"] == "event"] == []  # opening, Escape: no round trip
    page.click("#open")
    page.get_by_role("button", name="Save").click()
    expect(modal).to_be_hidden()
    sync(page)
    events = [(f["kind"], f["event"]) for f in frames if f["type"] == "event"]
    assert events == [("click", "save")]
    page.click("#open")
    expect(modal.locator("p")).to_have_text("Saved 1 times")
    page.mouse.click(5, 400)  # outside the modal: click-away closes it
    expect(modal).to_be_hidden()


def test_hooks_md_width_example(live_server, live_page):
    app = App(secret_key="docs-example-secret-key", head='<link rel="icon" href="data:,">')
    app.live("/", example("hooks.md")["Layout"])
    page = live_page
    page.set_viewport_size({"width": 800, "height": 600})
    page.goto(live_server(app).url + "/")
    sync(page)
    width = page.locator("#width")
    expect(width).to_have_text("The window is 800 px wide")  # pushEvent from mounted
    expect(width).to_have_attribute("data-layout", "wide")  # its reply
    page.set_viewport_size({"width": 500, "height": 600})
    expect(width).to_have_text("The window is 500 px wide")
    expect(width).to_have_attribute("data-layout", "narrow")
    page.click("#flash")
    expect(width).to_have_css("background-color", "rgb(255, 215, 0)")  # handleEvent("flash")


def test_forms_md_registration_example(live_server, live_page):
    app = App(secret_key="docs-example-secret-key", head='<link rel="icon" href="data:,">')
    app.live("/", example("forms.md")["Registration"])
    page = live_page
    page.goto(live_server(app).url + "/")
    sync(page)
    errors = page.locator("#registration_form p.error")
    page.fill("#user_email", "ada")
    sync(page)
    expect(errors).to_have_text(["Value error, must have the @ sign"])  # the others: not used yet
    page.fill("#user_email", "ada@example.com")  # (the browser's own check wants an @ to submit)
    page.click("#registration_form button")
    sync(page)
    # Submitted: every field counts as used, so the untouched password shows its error too.
    expect(errors).to_have_text(["String should have at least 12 characters"])
    page.fill("#user_password", "correct horse battery")
    page.check("#user_terms")
    page.click("#registration_form button")
    expect(page.locator("h1")).to_have_text("Welcome, ada@example.com")
    expect(page.locator("#user_email")).to_have_value("")  # the form the server cleared
