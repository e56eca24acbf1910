"""The gallery's "JS commands" pages, in-process: each renders over HTTP and mounts live with the
same demo, its bindings hold the chains its module builds, and its plain (server) events work.
What the JS commands do in a browser is e2e/test_js_commands.py's job."""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from gallery.app import JS_COMMANDS, PAGES, SECTIONS, app
from gallery.pages import (
    debounced_search,
    disable_with,
    js_dropdown,
    js_modal,
    js_push_navigate,
    js_tabs,
    loading_states,
)
from pylive.testing import LiveViewClient, live

PATHS = [path for path, *_ in JS_COMMANDS]


@pytest.fixture
def page(request: pytest.FixtureRequest) -> Iterator[LiveViewClient]:
    with live(app, request.param) as view:
        yield view


def attr(view: Any, selector: str, name: str) -> str | None:
    value = view.element(selector).find().get(name)
    return None if value is None else str(value)


def ids(view: Any) -> list[str]:
    """The ids of the demo's elements, in document order."""
    return [str(el.get("id")) for el in view.element(".demo").find().iter() if el.get("id")]


def text(view: Any, selector: str) -> str:
    return str(view.element(selector).find().text_content())


def test_gallery_js_commands_section_lists_the_seven_pages() -> None:
    assert ("JS commands", JS_COMMANDS) in SECTIONS
    assert [(path, title) for path, title, *_ in JS_COMMANDS] == [
        ("/js/modal", "Modal"),
        ("/js/dropdown", "Dropdown"),
        ("/js/tabs", "Tabs"),
        ("/js/debounce", "Debounce and throttle"),
        ("/js/disable-with", "Disable while saving"),
        ("/js/loading", "Loading states"),
        ("/js/push-navigate", "Push and navigate"),
    ]
    assert all(page in PAGES for page in JS_COMMANDS)


@pytest.mark.parametrize("module", [module for _, _, module, _ in JS_COMMANDS])
def test_gallery_js_page_docstring_names_its_topic_and_what_to_try(module: ModuleType) -> None:
    doc = module.__doc__ or ""
    topic = doc.split(":", 1)[0]
    assert 0 < len(topic) < 40 and "\n" not in topic
    assert re.search(r"^Try this: ", doc, re.MULTILINE)
    assert "seed" not in doc.lower()


@pytest.mark.parametrize("path", PATHS)
def test_gallery_js_page_renders_over_http_and_live_alike(path: str) -> None:
    static = live(app, path, connect=False)
    with live(app, path) as view:
        # The same elements; their looks may differ once JS commands ran (phx_connected).
        assert ids(static) == ids(view) != []
        assert view.has_element("nav.sidebar a", text="Modal")


def test_gallery_js_modal_bindings_and_server_counter() -> None:
    with live(app, "/js/modal") as view:
        assert attr(view, "#open-modal", "phx-click") == str(js_modal.OPEN)
        assert attr(view, "#close-modal", "phx-click") == str(js_modal.CLOSE)
        assert attr(view, "#modal-panel", "phx-click-away") == str(js_modal.CLOSE)
        assert attr(view, "#modal", "phx-window-keydown") == str(js_modal.CLOSE)
        assert attr(view, "#modal", "phx-key") == "Escape"
        assert attr(view, "#modal", "style") == "display: none"
        view.element("#modal-inc").click()
        view.element("#modal-inc").click()
        assert text(view, "#modal-count") == "Clicks: 2"
        assert attr(view, "#modal", "data-clicks") == "2"
        assert text(view, "#outside-count") == "Server clicks: 2"


def test_gallery_js_modal_chains_open_with_focus_and_a_three_part_transition() -> None:
    assert js_modal.OPEN.to_encodable() == [
        ["push_focus", {}],
        [
            "show",
            {
                "to": "#modal",
                "transition": [["fade-in"], ["opacity-0"], ["opacity-100"]],
                "display": "flex",
            },
        ],
        [
            "transition",
            {"to": "#modal-panel", "transition": [["zoom"], ["scale-95"], ["scale-100"]]},
        ],
        ["focus_first", {"to": "#modal-panel"}],
    ]
    assert js_modal.CLOSE.to_encodable() == [
        ["hide", {"to": "#modal", "transition": [["fade-out"], ["opacity-100"], ["opacity-0"]]}],
        ["pop_focus", {}],
    ]


def test_gallery_js_dropdown_bindings() -> None:
    with live(app, "/js/dropdown") as view:
        assert attr(view, "#menu-button", "phx-click") == str(js_dropdown.TOGGLE)
        assert attr(view, "#menu-button", "aria-expanded") == "false"
        assert attr(view, "#dropdown", "phx-click-away") == str(js_dropdown.CLOSE)
        assert attr(view, "#item-settings", "phx-click") == str(js_dropdown.pick("Settings"))
        assert text(view, "#picked") == "Picked: nothing yet"
    assert js_dropdown.pick("Settings").to_encodable()[0] == [
        "push",
        {"event": "pick", "value": {"item": "Settings"}},
    ]


def test_gallery_js_tabs_server_patch_of_the_inbox_tab() -> None:
    with live(app, "/js/tabs") as view:
        assert attr(view, "#tab-drafts", "phx-click") == str(js_tabs.select("drafts"))
        assert attr(view, "#tab-inbox", "class") == "tab active"
        assert attr(view, "#panel-inbox", "class") == "tab-panel active"
        assert attr(view, "#panel-drafts", "class") == "tab-panel"
        view.element("#new-message").click()
        assert attr(view, "#tab-inbox", "class") == "tab active unread"
        assert text(view, "#tab-inbox") == "Inbox (1)"
        view.element("#new-message").click()
        assert text(view, "#tab-inbox") == "Inbox (2)"


def test_gallery_js_debounced_search_filters_server_side() -> None:
    with live(app, "/js/debounce") as view:
        assert len(debounced_search.NAMES) == 30
        assert text(view, "#found") == "30 of 30 names"
        assert attr(view, "#search", "phx-debounce") == "300"
        assert attr(view, "#nickname", "phx-debounce") == "blur"
        assert attr(view, "#throttled", "phx-throttle") == "1000"
        view.form("#search-form", q="is").change()
        view.advance(300)  # the field's debounce, on the test client's clock
        assert text(view, "#found") == "3 of 30 names"
        assert [li.text for li in view.element("#results").find()] == [
            "isinstance",
            "issubclass",
            "list",
        ]
        assert text(view, "#changes") == "Changes received: 1"
        view.form("#nickname-form", nickname="grace").submit()
        assert text(view, "#nickname-seen") == "Nickname: grace (changes received: 1)"
        view.element("#throttled").click()
        assert text(view, "#clicks") == "Clicks counted: 1"


def test_gallery_js_disable_with_saves_after_the_await() -> None:
    with live(app, "/js/disable-with") as view:
        assert attr(view, "#save", "phx-disable-with") == "Saving…"
        assert text(view, "#saved") == "Nothing saved yet"
        view.form("#save-form", title="Quarterly report").submit()
        assert text(view, "#saved") == "Saved “Quarterly report” (once)"
        view.form("#save-form", title="Annual report").submit()
        assert text(view, "#saved") == "Saved “Annual report” (2 times)"
    assert disable_with.SAVE_SECONDS == 0.5


def test_gallery_js_loading_states_bindings_and_reset() -> None:
    with live(app, "/js/loading") as view:
        assert attr(view, "#work", "phx-click") == str(loading_states.WORK)
        assert loading_states.WORK.to_encodable() == [
            ["push", {"event": "work", "loading": "#spinner-area", "page_loading": True}]
        ]
        assert attr(view, "#connection", "phx-connected") == str(loading_states.ONLINE)
        assert attr(view, "#connection", "phx-disconnected") == str(loading_states.OFFLINE)
        assert text(view, "#done") == "Jobs done: 0"
        view.element("#reset").click()
        assert text(view, "#done") == "Jobs done: 0"


def test_gallery_js_push_navigate_rows_and_the_filter_from_handle_params() -> None:
    def rows(view: LiveViewClient) -> list[str | None]:
        return [li.get("id") for li in view.element("#users").find()]

    static = live(app, "/js/push-navigate?filter=active", connect=False)
    assert [li.get("id") for li in static.element("#users").find()] == ["user-1", "user-3"]
    with live(app, "/js/push-navigate?filter=active") as view:
        assert text(view, "#filter") == "Showing: active users"
        assert rows(view) == ["user-1", "user-3"]
    with live(app, "/js/push-navigate") as view:
        assert text(view, "#filter") == "Showing: all users"
        assert rows(view) == ["user-1", "user-2", "user-3"]
        assert attr(view, "#delete-2", "phx-click") == str(js_push_navigate.delete(2))
        assert attr(view, "#user-2", "phx-mounted") == str(js_push_navigate.FADE_IN)
        assert attr(view, "#user-2", "phx-remove") == str(js_push_navigate.FADE_OUT)
        assert attr(view, "#show-active", "phx-click") == (
            '[["patch",{"href":"/js/push-navigate?filter=active"}]]'
        )
        assert attr(view, "#go-counter", "phx-click") == '[["navigate",{"href":"/counter"}]]'
        view.element("#add-user").click()
        assert rows(view) == ["user-1", "user-2", "user-3", "user-4"]
        assert text(view, "#user-4 .name") == "Edsger Dijkstra"
        view.element("#remove-last").click()
        view.element("#remove-last").click()
        assert rows(view) == ["user-1", "user-2"]
    assert js_push_navigate.delete(2).to_encodable() == [
        ["push", {"event": "delete_user", "value": {"id": 2}}],
        ["hide", {"to": "#user-2"}],
    ]
