"""The gallery's chat room in Chromium: two tabs, each message shows in both — in one
process, and with two worker processes sharing Redis."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from gallery.pages import pubsub_chat
from pylive.sanic import LiveServer
from pylive.testing.app_process import AppProcess
from pylive.testing.browser import sync
from pylive.testing.redis_server import RedisServer

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[1]


def converse(ann: Any, bo: Any) -> None:
    """Ann says something, then Bo, each by another way of sending: both tabs show both."""
    ann.fill("#name", "Ann")
    ann.fill("#text", "hello from tab one")
    ann.click("#send")
    for tab in (ann, bo):
        expect(tab.locator("#messages li").last).to_contain_text("Ann: hello from tab one")
    bo.fill("#name", "Bo")
    bo.fill("#text", "and back")
    bo.press("#text", "Enter")
    for tab in (ann, bo):
        expect(tab.locator("#messages li").last).to_contain_text("Bo: and back")
        expect(tab.locator("#messages li")).to_have_count(2)  # each room starts empty
    expect(bo.locator("#text")).to_have_value("")  # the submit cleared the field


def test_two_tabs_chat_through_pubsub(
    gallery: LiveServer, live_page: Page, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pubsub_chat, "DB_PATH", tmp_path / "chat.sqlite3")
    ann = live_page
    ann.goto(gallery.url + "/pubsub/chat")
    sync(ann)
    bo: Any = ann.context.new_page()
    bo.goto(gallery.url + "/pubsub/chat")
    sync(bo)
    converse(ann, bo)
    bo.close()


def test_two_tabs_on_two_workers_chat_through_redis(
    live_page: Page, redis_server: RedisServer, tmp_path: Path
) -> None:
    """The gallery served by two worker processes sharing Redis: tabs on different workers."""
    env = {"PYLIVE_REDIS_URL": redis_server.url, "PYLIVE_GALLERY_CHAT_DB": str(tmp_path / "c.db")}
    with AppProcess("gallery.app:app", workers=2, cwd=ROOT, env=env) as server:
        tabs: dict[str, Any] = {}
        page: Any = live_page
        for _ in range(12):  # the kernel hands each websocket to either worker
            page.goto(server.url + "/pubsub/chat")
            sync(page)
            tabs.setdefault(str(page.locator("#worker").text_content()), page)
            if len(tabs) == 2:
                break
            page = live_page.context.new_page()
        assert len(tabs) == 2, f"every tab landed on one worker: {list(tabs)}"
        converse(*tabs.values())
    assert "Traceback" not in server.log_text()
