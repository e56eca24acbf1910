"""Seed examples 61–70 (LiveComponents), each as its gallery page, driven in-process.

Every test goes through the gallery app, so the page a visitor sees is the page tested. Queries are
scoped to the demo (``.demo``), never the page's shown source.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from gallery.app import COMPONENTS, app
from gallery.pages import (
    c62_update_lifecycle,
    c64_send_update,
    c65_event_payload,
    c70_testing,
)
from pylive.protocol import OP_TEXT
from pylive.testing import LiveViewClient, live

# Example 70's tests live in its gallery page (shown as its source); they run here.
test_seed70_isolated_counter_increments = c70_testing.test_increments_counter_on_button_click
test_seed70_counters_in_their_parent = c70_testing.test_components_maintain_independent_state
test_seed70_render_component_alone = c70_testing.test_renders_the_component_alone


@pytest.fixture
def page(request: pytest.FixtureRequest) -> Iterator[LiveViewClient]:
    with live(app, request.param) as view:
        yield view


def on(path: str) -> Any:
    return pytest.mark.parametrize("page", [path], indirect=True)


def text(view: LiveViewClient, selector: str) -> str:
    return str(view.element(selector).find().text_content())


def wait_for(view: LiveViewClient, selector: str, content: str, seconds: float = 3.0) -> None:
    """Run the view's loop until ``selector`` contains ``content`` (work done by a thread)."""
    deadline = time.monotonic() + seconds
    while not view.has_element(selector, content):
        if time.monotonic() > deadline:
            raise AssertionError(f"{selector!r} never showed {content!r}:\n{view.render()}")
        view.sleep(10)


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("/components/counters", ["Counter A: 0", "Counter B: 0"]),
        ("/components/update", ["Alice", "update ran 1×, user loaded 1×"]),
        ("/components/via-parent", ["Selected: gray"]),
        ("/components/send-update", ["Parent rendered 1×"]),
        ("/components/payload", ["0 of 3 done", "Cart: empty"]),
        ("/components/slots", ["User Profile", "Last updated: never"]),
        ("/components/slot-arguments", ["alice@example.com", "bob@example.com"]),
        ("/components/dynamic", ["Welcome!", "Latest updates"]),
        ("/components/composition", ["Create User"]),
        ("/components/testing", ["Test Counter: 0"]),
    ],
)
def test_seed_component_pages_render_over_http_and_live(path: str, shown: list[str]) -> None:
    static = live(app, path, connect=False)
    with live(app, path) as view:
        for html in (static.element(".demo").render(), view.element(".demo").render()):
            for content in shown:
                assert content in html


def test_seed_component_pages_are_all_in_the_gallery() -> None:
    assert [module.__name__.rsplit(".", 1)[-1][:3] for _, _, module, _ in COMPONENTS] == [
        f"c{n}" for n in range(61, 71)
    ]
    for _, _, module, _ in COMPONENTS:
        doc = module.__doc__ or ""
        topic = doc.split(":", 1)[0]
        assert topic and "\n" not in topic, (module.__name__, doc[:80])  # "Topic: what it shows"
        assert "seed" not in doc.lower(), module.__name__  # pages speak of pylive, not of sources


# -- 61: stateful LiveComponent with its own state ------------------------------------------------


@on("/components/counters")
def test_seed61_counters_keep_independent_state(page: LiveViewClient) -> None:
    counter_a = page.element("#counter-1 button", "Increment")
    counter_b = page.element("#counter-2 button", "Increment")
    counter_a.click()
    counter_a.click()
    counter_b.click()
    assert text(page, "#counter-1 p") == "Counter A: 2"
    assert text(page, "#counter-2 p") == "Counter B: 1"


@on("/components/counters")
def test_seed61_click_rerenders_only_its_component(page: LiveViewClient) -> None:
    page.element("#counter-2 button").click()
    (op,) = page.frames[-1]["ops"]  # one text change: the parent did not re-render
    assert op[0] == OP_TEXT and op[-1] == "Counter B: 1"


# -- 62: update() runs on parent re-renders, the user loads once per id ---------------------------


@on("/components/update")
def test_seed62_update_does_not_reload_when_the_id_is_unchanged(page: LiveViewClient) -> None:
    loads = c62_update_lifecycle.accounts.loads
    assert text(page, "#user-card .stats") == "update ran 1×, user loaded 1×"
    for _ in range(3):
        page.element("#rerender").click()
    assert text(page, "#user-card .stats") == "update ran 4×, user loaded 1×"
    assert c62_update_lifecycle.accounts.loads == loads  # three updates, no query
    page.element("#switch").click()
    assert text(page, "#user-card h3") == "Bob"
    assert text(page, "#user-card .stats") == "update ran 5×, user loaded 2×"
    assert c62_update_lifecycle.accounts.loads == loads + 1


# -- 63: selector → parent (send_parent → handle_info) → display ----------------------------------


@on("/components/via-parent")
def test_seed63_selector_tells_parent_which_updates_display(page: LiveViewClient) -> None:
    page.element("#pick-red").click()
    assert page.element("#display").render() == (
        '<div id="display" class="color-display" style="background-color: red;" '
        'data-phx-component="2"><p>Selected: red</p></div>'
    )
    page.element("#pick-blue").click()
    assert text(page, "#display p") == "Selected: blue"
    assert page.element("#selector").render().count("phx-target") == 3  # selector unchanged


# -- 64: send_update without a parent re-render ---------------------------------------------------


@on("/components/send-update")
def test_seed64_send_update_rerenders_the_component_not_the_parent(page: LiveViewClient) -> None:
    parent = page.connection.live.view  # type: ignore[union-attr]
    assert parent.renders == 1
    assert page.element("#notification").find().get("hidden") is not None
    page.element("#save").click()
    assert text(page, "#notification") == "Settings saved successfully!"
    assert page.element("#notification").find().get("hidden") is None
    assert parent.renders == 1  # the parent's render was not called
    assert text(page, "#parent-renders") == "Parent rendered 1×"


@on("/components/send-update")
def test_seed64_send_update_from_a_background_thread(
    page: LiveViewClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(c64_send_update, "JOB_SECONDS", 0.01)
    parent = page.connection.live.view  # type: ignore[union-attr]
    page.element("#job").click()
    wait_for(page, "#notification", "Background job finished")
    assert parent.renders == 1


# -- 65: payloads via phx-value-* to component handlers -------------------------------------------


@on("/components/payload")
def test_seed65_phx_values_reach_the_component_handler(
    page: LiveViewClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    received: list[tuple[str, dict[str, Any]]] = []
    handle = c65_event_payload.ProductCardComponent.handle_event

    def spy(self: Any, event: str, params: dict[str, Any], socket: Any) -> Any:
        received.append((event, params))
        return handle(self, event, params, socket)

    monkeypatch.setattr(c65_event_payload.ProductCardComponent, "handle_event", spy)
    page.element("#product-1 button").click()
    page.element("#product-1 button").click()
    page.element("#product-2 button").click()
    assert received[0] == ("add_to_cart", {"product-id": "1", "quantity": "1"})
    assert text(page, "#cart") == "Cart: Keyboard × 2, Mouse × 1"


@on("/components/payload")
def test_seed65_todo_items_toggle_and_delete_through_the_parent(page: LiveViewClient) -> None:
    page.element("#todo-1 input").click()
    assert page.element("#todo-1 span").render() == '<span class="completed">Write the spec</span>'
    assert page.element("#todo-1 input").find().get("checked") is not None
    assert text(page, "#todo-summary") == "1 of 3 done"
    page.element("#todo-2 button", "Delete").click()
    assert not page.has_element("#todo-2")
    assert text(page, "#todo-summary") == "1 of 2 done"
    page.element("#todo-1 input").click()
    assert text(page, "#todo-summary") == "0 of 2 done"


# -- 66: card slots, the footer optional -----------------------------------------------------------


@on("/components/slots")
def test_seed66_card_renders_slots_and_only_a_given_footer(page: LiveViewClient) -> None:
    assert page.element("#user-card .card-header").render() == (
        '<div class="card-header"><h2>User Profile</h2>'
        '<button id="touch" phx-click="touch">Edit</button></div>'
    )
    assert page.element("#user-card .card-body").render() == (
        '<div class="card-body"><p>Name: Alice</p><p>Email: alice@example.com</p></div>'
    )
    assert text(page, "#user-card .card-footer") == "Last updated: never"
    assert not page.has_element("#plain-card .card-footer")
    page.element("#touch").click()
    assert re.fullmatch(r"Last updated: \d\d:\d\d:\d\d", text(page, "#user-card .card-footer"))


# -- 67: a table slot called with each row ---------------------------------------------------------


@on("/components/slot-arguments")
def test_seed67_table_calls_the_col_slot_for_each_row(page: LiveViewClient) -> None:
    assert page.element("#users-table thead").render() == (
        "<thead><tr><th>ID</th><th>Name</th><th>Email</th></tr></thead>"
    )
    assert page.element("#users-table tbody").render() == (
        "<tbody><tr><td>1</td><td>Alice</td><td>alice@example.com</td></tr>"
        "<tr><td>2</td><td>Bob</td><td>bob@example.com</td></tr></tbody>"
    )
    page.element("#add").click()
    assert page.element("#users-table tbody tr:last-child").render() == (
        "<tr><td>3</td><td>User 3</td><td>user3@example.com</td></tr>"
    )


# -- 68: dynamic components ------------------------------------------------------------------------


@on("/components/dynamic")
def test_seed68_class_chosen_at_runtime_with_spread_assigns(page: LiveViewClient) -> None:
    assert page.element("#widget-1").render() == (
        '<div id="widget-1" class="text-widget" data-phx-component="1"><p>Welcome!</p></div>'
    )
    image = page.element("#widget-2 img").find()
    assert image.get("alt") == "Logo" and image.get("src").startswith("data:image/svg+xml,")
    assert page.element("#widget-3").find().get("class") == "text-widget"
    page.element("#swap").click()
    widget = page.element("#widget-3").find()
    assert widget.get("class") == "image-widget"
    assert widget.get("data-phx-component") == "4"  # a new component: (class, id) changed
    assert page.element("#widget-3 img").find().get("alt") == "Updates"
    page.element("#swap").click()
    assert text(page, "#widget-3") == "Latest updates"


# -- 69: a form component containing input components that target it -----------------------------


@on("/components/composition")
def test_seed69_input_blur_targets_the_form_component(page: LiveViewClient) -> None:
    form_cid = page.element("#user-form").find().get("data-phx-component")
    assert page.element("#name-input").find().get("phx-target") == form_cid
    page.element("#name-input").blur()
    assert text(page, "#name-input-field .error") == "can't be blank"
    page.element("#email-input").blur({"value": "ada"})
    assert text(page, "#email-input-field .error") == "must have the @ sign"
    assert page.element("#email-input").find().get("value") == "ada"
    page.element("#email-input").blur({"value": "ada@example.com"})
    assert not page.has_element("#email-input-field .error")


@on("/components/composition")
def test_seed69_submit_goes_to_the_form_which_tells_the_parent(page: LiveViewClient) -> None:
    page.form("#user-form", user={"name": "Ada", "email": "nope"}).submit()
    assert not page.has_element("#name-input-field .error")
    assert text(page, "#email-input-field .error") == "must have the @ sign"
    assert page.element("#name-input").find().get("value") == "Ada"
    assert text(page, "#created") == ""
    page.form("#user-form", user={"name": "Ada", "email": "ada@example.com"}).submit()
    assert (
        page.element("#created").render()
        == '<ul id="created"><li>Ada &lt;ada@example.com&gt;</li></ul>'
    )
    assert page.element("#name-input").find().get("value") == ""
