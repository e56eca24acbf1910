"""Forms in Chromium: errors only on the fields the user touched, the submit lock (readonly,
disabled, disable-with) and its release, a field the server clears after Enter, trigger-action's
real POST with the submitter and the CSRF token, and every field of three forms recovered after the
server restarts."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.form_views import POSTS, forms_app
from pylive.sanic import LiveServer
from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e

CONNECTED = re.compile(r"\bphx-connected\b")


class Forms:
    def __init__(self, page: Page, server: LiveServer, start: Any) -> None:
        self.page = page
        self.server = server
        self.start = start
        self.frames: list[dict[str, Any]] = []
        self.errors: list[str] = []
        page.on(
            "websocket", lambda ws: ws.on("framesent", lambda f: self.frames.append(json.loads(f)))
        )
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        # While the server is down, Chromium logs each refused reconnect attempt as an error.
        refused = message.text.startswith("WebSocket connection to") and "REFUSED" in message.text
        if message.type == "error" and not refused:
            self.errors.append(message.text)

    def go(self, path: str) -> Page:
        self.page.goto(self.server.url + path)
        sync(self.page)
        return self.page

    def events(self, name: str) -> list[Any]:
        return [f["value"] for f in self.frames if f["type"] == "event" and f["event"] == name]


@pytest.fixture
def forms(live_server: Any, live_page: Page) -> Iterator[Forms]:
    app = forms_app()
    seen = Forms(live_page, live_server(app), lambda port: live_server(app, port=port))
    yield seen
    assert seen.errors == []


def test_form_errors_show_only_for_touched_fields(forms: Forms) -> None:
    page = forms.go("/signup")
    page.click("#name")
    page.keyboard.type("A")
    sync(page)
    expect(page.locator("#errors li")).to_have_text(["name: too short"])  # not the email's
    frame = [f for f in forms.frames if f.get("event") == "validate"][-1]
    assert (frame["value"], frame["target"]) == (
        [["name", "A"], ["_unused_email", ""], ["email", ""], ["source", "e2e"]],
        "name",
    )
    page.click("#email")
    page.keyboard.type("x")
    sync(page)
    expect(page.locator("#errors li")).to_have_text(
        ["email: must have the @ sign", "name: too short"]
    )


def test_form_submit_locks_the_form_until_the_reply_then_triggers_the_post(forms: Forms) -> None:
    page = forms.go("/signup")
    POSTS.clear()
    page.fill("#name", "Ann")
    page.fill("#email", "ann@example.com")
    sync(page)
    page.click("#save")
    form = page.locator("#signup")
    expect(form).to_have_class(re.compile(r"\bphx-submit-loading\b"))
    expect(page.locator("#name")).to_have_attribute("readonly", "")
    expect(page.locator("#save")).to_be_disabled()
    expect(page.locator("#save")).to_have_text("Saving…")
    # The reply sets phx-trigger-action: the browser posts the form for real, with the submitter
    # and the page's CSRF token, and the handler's page replaces the live page.
    expect(page.locator("#welcome")).to_have_text("Welcome, Ann")
    assert POSTS == [
        {"name": "Ann", "email": "ann@example.com", "source": "e2e", "intent": "signup"}
    ]
    assert len(forms.events("save")) == 1


def test_form_submit_failure_releases_the_lock_and_keeps_no_stale_state(forms: Forms) -> None:
    page = forms.go("/signup")
    page.fill("#name", "A")
    page.click("#save")
    sync(page)
    expect(page.locator("#saves")).to_have_text("saves=1")
    expect(page.locator("#name")).not_to_have_attribute("readonly", "")
    expect(page.locator("#save")).to_be_enabled()
    expect(page.locator("#save")).to_have_text("Sign up")
    expect(page.locator("#signup")).not_to_have_class(re.compile(r"\bphx-submit-loading\b"))
    expect(page.locator("#errors li")).to_have_text(
        ["email: must have the @ sign", "name: too short"]
    )


def test_form_submitted_with_enter_is_cleared_by_the_server(forms: Forms) -> None:
    page = forms.go("/todos")
    page.click("#text")
    page.keyboard.type("milk")
    page.keyboard.press("Enter")
    sync(page)
    expect(page.locator("#todos li")).to_have_text(["milk"])
    expect(page.locator("#text")).to_have_value("")  # the focused field takes the server's value
    expect(page.locator("#text")).to_be_focused()
    page.keyboard.press("Enter")  # nothing typed: nothing added twice
    sync(page)
    page.keyboard.type("eggs")
    page.keyboard.press("Enter")
    sync(page)
    expect(page.locator("#todos li")).to_have_text(["milk", "eggs"])


def test_form_recovery_after_a_server_restart_sends_every_field_of_every_form(forms: Forms) -> None:
    page = forms.go("/recover")
    page.fill("#city", "Lisbon")
    page.fill("#zip", "1100")
    page.fill("#first", "Ann")
    page.fill("#last", "Lee")
    page.fill("#note", "call back")
    page.fill("#tag", "urgent")
    sync(page)
    forms.server.stop()
    expect(page.locator("#phx-main")).not_to_have_class(CONNECTED)
    forms.start(forms.server.port)
    expect(page.locator("#phx-main")).to_have_class(CONNECTED, timeout=5000)
    sync(page)
    # The server mounted afresh and learned every field from the recovery events.
    expect(page.locator("#plain-seen")).to_have_text(
        "plain sees [('city', 'Lisbon'), ('zip', '1100')]"
    )
    expect(page.locator("#own-seen")).to_have_text("own sees [('first', 'Ann'), ('last', 'Lee')]")
    expect(page.locator("#notes-seen")).to_have_text(
        "notes sees [('note', 'call back'), ('tag', 'urgent')]"
    )
    for field, value in [
        ("city", "Lisbon"),
        ("zip", "1100"),
        ("first", "Ann"),
        ("note", "call back"),
    ]:
        expect(page.locator(f"#{field}")).to_have_value(value)  # what the user typed, still shown
