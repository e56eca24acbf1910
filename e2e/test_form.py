"""phx-change and phx-submit against the gallery's live-validated form."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e


@pytest.fixture
def form_page(gallery, live_page):
    frames = []
    live_page.on(
        "websocket",
        lambda ws: ws.on("framesent", lambda payload: frames.append(json.loads(payload))),
    )
    live_page.goto(gallery.url + "/form")
    sync(live_page)
    return live_page, frames


def test_form_change_round_trip_with_nested_params(form_page):
    page, frames = form_page
    email = page.locator("#user_email")
    email.click()
    page.keyboard.type("ab")
    sync(page)
    # The server decoded user[email] into params["user"]["email"] and _target into a key path.
    expect(page.locator("#email-error")).to_have_text("must contain @")
    expect(page.locator("#target")).to_have_text("Target: user.email")
    expect(page.locator("#name-error")).to_have_count(0)  # not touched yet
    changes = [frame for frame in frames if frame.get("kind") == "change"]
    assert [c["value"] for c in changes] == [
        [["user[_unused_name]", ""], ["user[name]", ""], ["user[email]", "a"]],  # name: not used
        [["user[_unused_name]", ""], ["user[name]", ""], ["user[email]", "ab"]],
    ]
    assert {c["event"] for c in changes} == {"validate"}
    assert {c["target"] for c in changes} == {"user[email]"}

    page.keyboard.type("@x.io")
    sync(page)
    expect(page.locator("#email-error")).to_have_count(0)
    expect(email).to_have_value("ab@x.io")  # every patch left the focused input's value alone
    expect(email).to_be_focused()


def test_form_submit_with_phx_submit(form_page):
    page, frames = form_page
    page.fill("#user_name", "Al")
    page.fill("#user_email", "al@example.com")
    page.click("#save")
    sync(page)
    expect(page.locator("#saved")).to_have_text("Saved Al <al@example.com>")
    expect(page.locator(".flash-info")).to_contain_text("Welcome, Al!")
    submit = [frame for frame in frames if frame.get("kind") == "submit"]
    assert [s["value"] for s in submit] == [
        [["user[name]", "Al"], ["user[email]", "al@example.com"]],
    ]
    assert page.url.endswith("/form")  # no HTTP submit
    page.click(".flash-info")  # lv:clear-flash
    sync(page)
    expect(page.locator(".flash-info")).to_have_count(0)


def test_rejoin_keeps_the_focused_input_and_what_was_typed(form_page):
    page, _ = form_page
    name = page.locator("#user_name")
    name.click()
    page.keyboard.type("Alice")
    page.keyboard.press("Home")
    sync(page)
    focused = page.evaluate_handle("() => document.activeElement")
    page.evaluate("() => { pylive.disconnect(); pylive.connect(); }")
    sync(page)
    expect(page.locator("#phx-main")).to_have_class(re.compile(r"\bphx-connected\b"))
    # The fresh mount rendered value="" for the name, then the form's recovery sent every field:
    # the server renders "Alice" again, and the focused input kept "Alice" and its caret.
    assert page.evaluate(
        "(el) => [el === document.activeElement, el.value, el.getAttribute('value'), "
        "el.selectionStart]",
        focused,
    ) == [True, "Alice", "Alice", 0]
    expect(page.locator("#target")).to_have_text("Target: ")
