"""The gallery's chat room in Chromium: two tabs, each message shows in both."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from pylive.sanic import LiveServer
from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e


def test_two_tabs_chat_through_pubsub(gallery: LiveServer, live_page: Page) -> None:
    ann = live_page
    ann.goto(gallery.url + "/pubsub/chat")
    sync(ann)
    bo: Any = ann.context.new_page()
    bo.goto(gallery.url + "/pubsub/chat")
    sync(bo)
    before = ann.locator("#messages li").count()
    ann.fill("#name", "Ann")
    ann.fill("#text", "hello from tab one")
    ann.click("#send")
    for page in (ann, bo):
        expect(page.locator("#messages li").last).to_contain_text("Ann: hello from tab one")
    bo.fill("#name", "Bo")
    bo.fill("#text", "and back")
    bo.press("#text", "Enter")
    for page in (ann, bo):
        expect(page.locator("#messages li").last).to_contain_text("Bo: and back")
    expect(ann.locator("#messages li")).to_have_count(before + 2)
    expect(bo.locator("#text")).to_have_value("")  # the submit cleared the field
    bo.close()
