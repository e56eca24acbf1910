"""The gallery's "Hooks" pages and its infinite-scroll feed, in-process: each renders over HTTP
and live alike, declares the hooks it renders, and answers the events its hooks push
(``render_hook``) as the page's JavaScript expects. What the hooks do in a browser is
e2e/test_hooks_gallery.py's job."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from types import ModuleType
from typing import Any

import pytest

from gallery.app import BASICS, HOOKS, PAGES, SECTIONS, app
from gallery.pages import hooks_push_event, stream_infinite
from pylive.testing import LiveViewClient, live

PATHS = [path for path, *_ in HOOKS] + ["/stream/infinite"]


def text(view: Any, selector: str) -> str:
    return str(view.element(selector).find().text_content())


def posts(view: LiveViewClient) -> list[int]:
    return [int(n) for n in re.findall(r'id="posts-(\d+)"', view.element("#posts").render())]


@pytest.fixture
def view(request: pytest.FixtureRequest) -> Iterator[LiveViewClient]:
    with live(app, request.param) as client:
        yield client


def test_gallery_hooks_section_lists_its_pages() -> None:
    assert ("Hooks", HOOKS) in SECTIONS
    assert [(path, title) for path, title, *_ in HOOKS] == [
        ("/hooks/basics", "Hook basics"),
        ("/hooks/lifecycle", "Hook lifecycle"),
        ("/hooks/push-event", "pushEvent with a reply"),
        ("/hooks/handle-event", "handleEvent from the server"),
        ("/hooks/clipboard", "Copy to clipboard"),
        ("/hooks/chart", "A chart drawn by a hook"),
    ]
    assert ("/stream/infinite", "Infinite scroll") in [(p, t) for p, t, *_ in BASICS]
    assert all(page in PAGES for page in HOOKS)


@pytest.mark.parametrize(
    "module", [module for _, _, module, _ in HOOKS] + [stream_infinite], ids=lambda m: m.__name__
)
def test_gallery_hook_page_docstring_names_its_topic_and_what_to_try(module: ModuleType) -> None:
    doc = module.__doc__ or ""
    topic = doc.split(":", 1)[0]
    assert 0 < len(topic) < 40 and "\n" not in topic
    assert re.search(r"^Try this: ", doc, re.MULTILINE)
    assert "seed" not in doc.lower()


@pytest.mark.parametrize("path", PATHS)
def test_gallery_hook_page_renders_over_http_and_live_alike(path: str) -> None:
    static = live(app, path, connect=False).element(".demo").render()
    with live(app, path) as view:
        assert view.element(".demo").render() == static


@pytest.mark.parametrize("path", [path for path, *_ in HOOKS])
def test_gallery_hook_page_shows_each_hook_module_source(path: str) -> None:
    view_class = next(view for p, _, _, view in HOOKS if p == path)
    with live(app, path) as view:
        for hook in view_class.hooks:
            if hook.source is not None:
                assert view.has_element("details.source summary", text=f"the {hook.name} hook")


@pytest.mark.parametrize("view", ["/hooks/basics"], indirect=True)
def test_gallery_local_time_replies_with_the_servers_time(view: LiveViewClient) -> None:
    view.render_hook("#local-time", "get-current-time", {})
    assert view.last_reply is not None
    stamp = datetime.fromisoformat(view.last_reply["timestamp"])
    assert stamp.utcoffset() is not None and abs((datetime.now(stamp.tzinfo) - stamp).seconds) < 5
    assert text(view, "#asked") == "The server answered 1 times."
    view.element("#toggle-clock").click()
    assert not view.has_element("#local-time")
    assert text(view, "#clock-hidden") == "The clock is hidden: its hook was destroyed."


@pytest.mark.parametrize("view", ["/hooks/lifecycle"], indirect=True)
def test_gallery_lifecycle_buttons_patch_move_rename_and_remove(view: LiveViewClient) -> None:
    def rows() -> list[str]:
        return re.findall(r'<li id="([^"]+)"', view.element("#rows").render())

    assert rows() == ["row-1", "row-2"]
    view.element("#patch-row").click()
    assert text(view, "#row-1") == "row-1, version 1"
    view.element("#move-rows").click()
    view.element("#add-row").click()
    assert rows() == ["row-2", "row-1", "row-3"]
    view.element("#rename-row").click()
    view.element("#remove-row").click()
    assert rows() == ["row-2-renamed", "row-1"]
    assert view.has_element("#box #badge[phx-hook=Logged]")
    view.element("#toggle-box").click()
    assert not view.has_element("#box")
    assert view.has_element("ol#hook-log[phx-update=ignore]")


@pytest.mark.parametrize("view", ["/hooks/push-event"], indirect=True)
def test_gallery_geolocation_reply_names_the_nearest_city(view: LiveViewClient) -> None:
    view.render_hook("#geo-tracker", "location-updated", {"lat": 38.7, "lng": -9.2})
    assert view.last_reply == {"city": "Lisbon", "km": 6}
    assert text(view, "#latitude") == "Latitude: 38.7000"
    assert text(view, "#longitude") == "Longitude: -9.2000"
    view.render_hook("#geo-tracker", "location-updated", {"lat": 91, "lng": 0})
    assert view.last_reply == {"error": "coordinates out of range"}
    view.render_hook("#geo-tracker", "location-error", {"message": "User denied Geolocation"})
    assert text(view, "#flash-group") == "Location error: User denied Geolocation×"


def test_gallery_distance_is_the_great_circle() -> None:
    london, lisbon = hooks_push_event.CITIES["London"], hooks_push_event.CITIES["Lisbon"]
    assert round(hooks_push_event.distance_km(london, lisbon)) == 1585


@pytest.mark.parametrize("view", ["/hooks/handle-event"], indirect=True)
def test_gallery_toasts_are_pushed_events(view: LiveViewClient) -> None:
    view.element("#toast-success").click()
    view.assert_push_event(
        "show-toast", {"title": "Saved", "message": "Your changes are live.", "type": "success"}
    )
    view.element("#toast-later").click()
    view.sleep(1000)
    view.assert_push_event("show-toast", {**_info(), "type": "info"})
    assert text(view, "#pushed") == "2 toasts pushed"


def _info() -> dict[str, str]:
    return {"title": "Heads up", "message": "Your report is being prepared."}


@pytest.mark.parametrize("view", ["/hooks/clipboard"], indirect=True)
def test_gallery_clipboard_counts_copies(view: LiveViewClient) -> None:
    view.render_hook("#copy-invite", "copied", {"from": "#invite-link"})
    view.render_hook("#copy-invite", "copied", {"from": "#invite-link"})
    assert text(view, "#copies") == "Copied 2 times."


@pytest.mark.parametrize("view", ["/hooks/chart"], indirect=True)
def test_gallery_chart_click_goes_to_the_component(view: LiveViewClient) -> None:
    assert view.element("#sales-chart-bars").find().get("data-points") == (
        '[{"label": "Jan", "value": 100}, {"label": "Feb", "value": 150}, '
        '{"label": "Mar", "value": 200}]'
    )
    view.render_hook("#sales-chart-bars", "point-clicked", {"label": "Feb"})
    assert text(view, "#sales-chart-selected") == "Selected: Feb, 150 sold"
    assert view.element("#sales-chart-bars").find().get("data-selected") == "Feb"
    view.element("#add-month").click()
    assert view.element("#sales-chart-bars").find().get("data-points").count("label") == 4
    assert text(view, "#sales-chart-selected") == "Selected: Feb, 150 sold"  # component state


@pytest.mark.parametrize("view", ["/stream/infinite"], indirect=True)
def test_gallery_infinite_feed_pages_down_and_back_up(view: LiveViewClient) -> None:
    assert posts(view) == list(range(1, 21))
    assert view.element("#posts").find().get("phx-viewport-top") is None
    for last in (20, 40, 60):
        view.render_hook("#posts", "next-page", {"id": f"posts-{last}"})
    assert posts(view) == list(range(21, 81))  # 60 kept: the first 20 were pruned
    assert text(view, "#feed-range") == "Showing posts 21–80"
    assert view.element("#posts").find().get("phx-viewport-top") == "prev-page"
    view.render_hook("#posts", "prev-page", {"id": "posts-21"})
    assert posts(view) == list(range(1, 61))  # posts 1-20 back on top, 61-80 pruned
    assert text(view, "#feed-range") == "Showing posts 1–60"
    assert view.element("#posts").find().get("phx-viewport-top") is None
    # The placeholder no stream inserted stays after the posts.
    assert re.findall(r'<li id="([^"]+)"', view.element("#posts").render())[-1] == "posts-empty"


@pytest.mark.parametrize("view", ["/stream/infinite"], indirect=True)
def test_gallery_infinite_feed_overrun_starts_again_and_the_end_ends(view: LiveViewClient) -> None:
    for last in range(20, 120, 20):
        view.render_hook("#posts", "next-page", {"id": f"posts-{last}"})
    assert posts(view) == list(range(61, 121))
    view.render_hook("#posts", "prev-page", {"id": "posts-61", "_overran": True})
    assert posts(view) == list(range(1, 21))  # a reset: the first page alone
    assert text(view, "#feed-range") == "Showing posts 1–20"
    view.render_hook("#posts", "next-page", {"id": "nonsense"})  # not a post: nothing happens
    assert posts(view) == list(range(1, 21))
    for last in range(20, 300, 20):
        view.render_hook("#posts", "next-page", {"id": f"posts-{last}"})
    assert posts(view) == list(range(241, 301))
    assert view.element("#posts").find().get("phx-viewport-bottom") == "next-page"
    view.render_hook("#posts", "next-page", {"id": "posts-300"})
    assert view.element("#posts").find().get("phx-viewport-bottom") is None  # the end
