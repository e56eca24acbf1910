"""Stateful components in a real browser: the gallery's live-component pages.

Each test reproduces what its example describes and checks where the browser sent every
event: ``phx-target`` with a component id sends ``"cid"``, no ``phx-target`` sends the event to
the view (no ``"cid"``), even from inside a component.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e


class Components:
    """A gallery page, the event frames it sent and the errors it logged."""

    def __init__(self, page, url):
        self.page = page
        self.url = url
        self.frames = []
        self.errors = []
        page.on("websocket", self._watch)
        page.on("console", self._console)

    def _watch(self, ws):
        ws.on("framesent", lambda payload: self.frames.append(json.loads(payload)))

    def _console(self, message):
        url = message.location.get("url", "")
        if message.type == "error" and not url.endswith("/favicon.ico"):
            self.errors.append(f"{message.text} ({url})")

    def open(self, path):
        self.page.goto(self.url + path)
        sync(self.page)
        return self.page

    def cid(self, selector):
        """The component id of the component whose root element ``selector`` finds."""
        return int(self.page.get_attribute(selector, "data-phx-component"))

    def events(self):
        """``(event, cid or "view")`` of every event frame sent so far."""
        frames = [frame for frame in self.frames if frame["type"] == "event"]
        return [(frame["event"], frame.get("cid", "view")) for frame in frames]


@pytest.fixture
def components(gallery, live_page):
    helper = Components(live_page, gallery.url)
    yield helper
    assert not helper.errors, f"console errors: {helper.errors}"


def click(page, selector):
    page.click(selector)
    sync(page)


def test_counters_61_two_instances_keep_independent_state(components):
    page = components.open("/components/counters")
    first, second = components.cid("#counter-1"), components.cid("#counter-2")
    assert first != second
    click(page, "#counter-1 button")
    click(page, "#counter-1 button")
    click(page, "#counter-2 button")
    expect(page.locator("#counter-1 p")).to_have_text("Counter A: 2")
    expect(page.locator("#counter-2 p")).to_have_text("Counter B: 1")
    assert components.events() == [("increment", first)] * 2 + [("increment", second)]


def test_counters_61_push_event_to_a_selector_reaches_every_component(components):
    page = components.open("/components/counters")
    replies = page.evaluate(
        """() => pylive.pushEvent("increment", {}, {target: "#counter-1 p, .counter button"})"""
    )
    sync(page)
    assert replies == [{}, {}]  # one event per component, though three elements matched
    expect(page.locator("#counter-1 p")).to_have_text("Counter A: 1")
    expect(page.locator("#counter-2 p")).to_have_text("Counter B: 1")
    cids = [components.cid("#counter-1"), components.cid("#counter-2")]
    assert components.events() == [("increment", cid) for cid in cids]


def test_update_62_parent_rerender_does_not_reload_the_same_user(components):
    page = components.open("/components/update")
    stats = page.locator("#user-card .stats")
    expect(stats).to_have_text("update ran 1×, user loaded 1×")
    cid = components.cid("#user-card")
    click(page, "#rerender")
    click(page, "#rerender")
    # update() ran for each parent render, the user was not loaded again: same id.
    expect(stats).to_have_text("update ran 3×, user loaded 1×")
    expect(page.locator("#user-card h3")).to_have_text("Alice")
    click(page, "#switch")
    expect(stats).to_have_text("update ran 4×, user loaded 2×")
    expect(page.locator("#user-card h3")).to_have_text("Bob")
    assert components.cid("#user-card") == cid  # the same component all along
    assert components.events() == [("rerender", "view")] * 2 + [("switch", "view")]


def test_color_picker_63_selector_tells_the_parent_which_updates_the_display(components):
    page = components.open("/components/via-parent")
    display = page.locator("#display")
    expect(display.locator("p")).to_have_text("Selected: gray")
    click(page, "#pick-blue")
    expect(display.locator("p")).to_have_text("Selected: blue")
    expect(display).to_have_attribute("style", re.compile(r"background-color: blue"))
    click(page, "#pick-green")
    expect(display.locator("p")).to_have_text("Selected: green")
    selector = components.cid("#selector")
    assert components.events() == [("select_color", selector)] * 2
    values = [frame["value"] for frame in components.frames if frame["type"] == "event"]
    assert values == [{"color": "blue"}, {"color": "green"}]


def test_send_update_64_notifies_without_rerendering_the_parent(components):
    page = components.open("/components/send-update")
    renders = page.locator("#parent-renders")
    expect(renders).to_have_text("Parent rendered 1×")
    note = page.locator("#notification")
    expect(note).to_be_hidden()
    click(page, "#save")
    expect(note).to_be_visible()
    expect(note).to_have_text("Settings saved successfully!")
    expect(renders).to_have_text("Parent rendered 1×")  # render() was not called again
    click(page, "#job")  # send_update from another thread, a second later
    expect(note).to_have_text("Background job finished", timeout=5000)
    expect(renders).to_have_text("Parent rendered 1×")
    assert components.events() == [("save", "view"), ("start_job", "view")]


def test_event_payload_65_phx_values_reach_the_component(components):
    page = components.open("/components/payload")
    click(page, "#todo-1 input[type=checkbox]")
    expect(page.locator("#todo-summary")).to_have_text("1 of 3 done")
    expect(page.locator("#todo-1 span")).to_have_class("completed")
    expect(page.locator("#todo-1 input")).to_be_checked()
    todo_2 = components.cid("#todo-2")
    click(page, "#todo-2 button")
    expect(page.locator("#todo-2")).to_have_count(0)
    expect(page.locator("#todo-summary")).to_have_text("1 of 2 done")
    click(page, "#product-1 button")
    click(page, "#product-1 button")
    click(page, "#product-2 button")
    expect(page.locator("#cart")).to_have_text("Cart: Keyboard × 2, Mouse × 1")
    products = components.cid("#product-1"), components.cid("#product-2")
    frames = [frame for frame in components.frames if frame["type"] == "event"]
    assert [(f["event"], f.get("cid"), f["value"]) for f in frames] == [
        ("toggle", components.cid("#todo-1"), {"value": "on"}),
        ("delete", todo_2, {}),
        ("add_to_cart", products[0], {"product-id": "1", "quantity": "1"}),
        ("add_to_cart", products[0], {"product-id": "1", "quantity": "1"}),
        ("add_to_cart", products[1], {"product-id": "2", "quantity": "1"}),
    ]


def test_card_slots_66_render_header_body_and_the_optional_footer(components):
    page = components.open("/components/slots")
    card = page.locator("#user-card")
    expect(card.locator(".card-header h2")).to_have_text("User Profile")
    expect(card.locator(".card-body p")).to_have_text(["Name: Alice", "Email: alice@example.com"])
    expect(card.locator(".card-footer")).to_have_text("Last updated: never")
    plain = page.locator("#plain-card")
    expect(plain.locator(".card-header")).to_have_text("No footer")
    expect(plain.locator(".card-footer")).to_have_count(0)
    # "Edit" sits in the card's header slot but has no phx-target: it goes to the page.
    click(page, "#touch")
    expect(card.locator(".card-footer")).to_have_text(re.compile(r"^Last updated: \d\d:\d\d:\d\d$"))
    expect(plain.locator(".card-footer")).to_have_count(0)
    assert components.events() == [("touch", "view")]


def test_table_slot_67_renders_each_row_with_the_callers_cells(components):
    page = components.open("/components/slot-arguments")
    table = page.locator("#users-table")
    expect(table.locator("thead th")).to_have_text(["ID", "Name", "Email"])
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1).locator("td")).to_have_text(["2", "Bob", "bob@example.com"])
    click(page, "#add")
    expect(rows).to_have_count(3)
    expect(rows.nth(2).locator("td")).to_have_text(["3", "User 3", "user3@example.com"])
    expect(rows.nth(0).locator("td")).to_have_text(["1", "Alice", "alice@example.com"])
    assert components.events() == [("add", "view")]


def test_dynamic_68_widgets_pick_their_class_at_run_time(components):
    page = components.open("/components/dynamic")
    expect(page.locator("#widget-1.text-widget p")).to_have_text("Welcome!")
    expect(page.locator("#widget-2.image-widget img")).to_have_attribute("alt", "Logo")
    expect(page.locator("#widget-3.text-widget p")).to_have_text("Latest updates")
    text_cid = components.cid("#widget-3")
    click(page, "#swap")
    # Another class under the same id is another component: a new cid.
    expect(page.locator("#widget-3.image-widget img")).to_have_attribute("alt", "Updates")
    image_cid = components.cid("#widget-3")
    assert image_cid != text_cid
    click(page, "#swap")
    expect(page.locator("#widget-3.text-widget p")).to_have_text("Latest updates")
    assert components.cid("#widget-3") not in (text_cid, image_cid)
    expect(page.locator("#widget-2.image-widget img")).to_have_attribute("alt", "Logo")
    assert components.events() == [("swap", "view")] * 2


def test_composed_form_69_inputs_target_the_form_component(components):
    page = components.open("/components/composition")
    form = components.cid("#user-form")
    assert form not in (components.cid("#name-input-field"), components.cid("#email-input-field"))
    page.fill("#name-input", "Ann")
    page.fill("#email-input", "ann.example.com")
    page.locator("#email-input").blur()  # typed in an input component, handled by the form
    sync(page)
    expect(page.locator("#email-input-field .error")).to_have_text("must have the @ sign")
    expect(page.locator("#name-input-field .error")).to_have_count(0)
    page.fill("#email-input", "ann@example.com")
    click(page, "#user-form button")
    expect(page.locator("#created li")).to_have_text(["Ann <ann@example.com>"])
    expect(page.locator("#email-input-field .error")).to_have_count(0)
    expect(page.locator("#name-input")).to_have_value("")
    expect(page.locator("#email-input")).to_have_value("")
    blurs = [("validate_field", form)] * 3  # name, email, then email again as the button is hit
    assert components.events() == [*blurs, ("save", form)]


def test_testing_70_the_isolated_counter_renders_and_counts(components):
    page = components.open("/components/testing")
    counter = page.locator("#counter-test")
    expect(counter.locator("p")).to_have_text("Test Counter: 0")
    click(page, "#counter-test button")
    expect(counter.locator("p")).to_have_text("Test Counter: 1")
    assert components.events() == [("increment", components.cid("#counter-test"))]
