"""The gallery's "Temporary assigns and append containers" page in Chromium: "Load more" keeps
the loaded lines (their very elements) on both sides, the append op carries only the new page,
a rejoin resets the append container to what the server renders, and the page has no error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from pylive.protocol import OP_APPEND
from pylive.sanic import LiveServer
from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e

IDS = "sel => Array.from(document.querySelectorAll(sel + ' > .log-entry'), (el) => el.id)"


@pytest.fixture
def logs(gallery: LiveServer, live_page: Page) -> Iterator[Page]:
    """The page, connected; the test fails on a console error too (and, by ``live_page``, on an
    uncaught one)."""
    page = live_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(gallery.url + "/temporary-assigns")
    sync(page)
    yield page
    assert errors == []


def ids(page: Page, container: str) -> list[str]:
    result: list[str] = page.evaluate(IDS, container)
    return result


def expected(prefix: str, last: int) -> list[str]:
    return [f"{prefix}-{n}" for n in range(1, last + 1)]


def test_load_more_appends_and_keeps_the_loaded_lines(logs: Page) -> None:
    assert ids(logs, "#logs-container") == expected("log", 50)
    logs.evaluate("() => { document.getElementById('log-1').marker = 'first'; }")
    logs.click("#load-more")
    sync(logs)
    logs.click("#load-more")
    sync(logs)
    assert ids(logs, "#logs-container") == expected("log", 150)
    assert logs.evaluate("() => document.getElementById('log-1').marker") == "first"
    expect(logs.locator("#append-status")).to_contain_text("150 lines in your browser (page 3)")
    assert ids(logs, "#logs") == expected("logs", 50)


def test_each_load_sends_only_the_new_page(gallery: LiveServer, live_page: Page) -> None:
    page = live_page
    frames: list[dict[str, Any]] = []
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda payload: frames.append(json.loads(payload))),
    )
    page.goto(gallery.url + "/temporary-assigns")
    sync(page)
    frames.clear()
    page.click("#load-more")
    sync(page)
    [answer] = [frame for frame in frames if frame.get("ops")]
    [append] = [op for op in answer["ops"] if op[0] == OP_APPEND]
    assert [row[1]["id"] for row in append[2]] == [f"log-{n}" for n in range(51, 101)]


def test_stream_load_more_keeps_the_loaded_lines(logs: Page) -> None:
    logs.evaluate("() => { document.getElementById('logs-1').marker = 'first'; }")
    for _ in range(3):
        logs.click("#stream-load-more")
        sync(logs)
    assert ids(logs, "#logs") == expected("logs", 200)
    assert logs.evaluate("() => document.getElementById('logs-1').marker") == "first"
    assert ids(logs, "#logs-container") == expected("log", 50)


def test_a_rejoin_resets_the_append_container_to_the_server_render(logs: Page) -> None:
    logs.click("#load-more")
    sync(logs)
    assert len(ids(logs, "#logs-container")) == 100
    logs.evaluate("() => { window.pylive.disconnect(); window.pylive.connect(); }")
    sync(logs)
    expect(logs.locator("#logs-container > .log-entry")).to_have_count(50)
    assert ids(logs, "#logs-container") == expected("log", 50)
    logs.click("#load-more")
    sync(logs)
    assert ids(logs, "#logs-container") == expected("log", 100)
