"""The test client and live components: ``phx-target`` routing, ``live_isolated``,
``render_component``."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from pylive import App, LiveComponent, LiveView, component, live_component
from pylive.html import button, div, form, input, li, p, span, ul
from pylive.testing import (
    IsolatedComponent,
    LiveViewClient,
    StaticRender,
    live,
    live_isolated,
    render_component,
)
from pylive.testing.plugin import LiveFactory


class Box(LiveComponent):
    def mount(self, socket: Any) -> None:
        socket.assign(hits=0, last=None)

    def render(self, assigns: Any) -> Any:
        return div(
            p(f"{assigns.id}: {assigns.hits} {assigns.last}", class_="hits"),
            button(
                "mine", phx_click="hit", phx_value_n=1, phx_target=assigns.myself, class_="mine"
            ),
            button("view", phx_click="hit", class_="to-view"),
            button("all", phx_click="hit", phx_target=".box", class_="to-all"),
            form(
                input(name="q", value=assigns.id, phx_change="own"),
                id=f"form-{assigns.id}",
                phx_submit="hit",
                phx_change="hit",
                phx_target=assigns.myself,
            ),
            id=f"box-{assigns.id}",
            class_="box",
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        socket.assign(hits=socket.assigns.hits + 1, last=f"{event}{sorted(params)}")


class Boxes(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        socket.assign(hits=0)

    def render(self, assigns: Any) -> Any:
        return div(
            p(f"view: {assigns.hits}", id="view-hits"),
            live_component(Box, id="a"),
            live_component(Box, id="b"),
            button("mixed", phx_click="hit", phx_target="#view-hits, #box-a", id="mixed"),
            button("dedupe", phx_click="hit", phx_target="#box-a p, #box-a .mine", id="dedupe"),
            button("ghost", phx_click="hit", phx_target="99", id="ghost"),
            button("nothing", phx_click="hit", phx_target=".nope", id="nothing"),
            form(input(name="q", value="v"), id="outer", phx_submit="hit", phx_target="#box-b"),
            div(phx_window_keydown="hit", phx_key="k", phx_target="#box-b .hits"),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        socket.assign(hits=socket.assigns.hits + 1)


@pytest.fixture
def boxes() -> Iterator[LiveViewClient]:
    app = App(secret_key="k" * 32)
    app.live("/", Boxes)
    with live(app, "/") as view:
        yield view


def hits(view: LiveViewClient) -> tuple[str, str, str]:
    return (
        view.element("#view-hits").find().text_content(),
        view.element("#box-a .hits").find().text_content(),
        view.element("#box-b .hits").find().text_content(),
    )


def test_testing_target_myself_routes_to_that_component(boxes: LiveViewClient) -> None:
    boxes.element("#box-b .mine").click()
    assert hits(boxes) == ("view: 0", "a: 0 None", "b: 1 hit['n']")
    assert boxes.frames[-1]["ref"] == boxes._ref  # the answer carried the component's patch


def test_testing_no_target_inside_a_component_goes_to_the_view(boxes: LiveViewClient) -> None:
    boxes.element("#box-a .to-view").click()
    assert hits(boxes) == ("view: 1", "a: 0 None", "b: 0 None")


def test_testing_selector_target_sends_one_event_per_matched_component(
    boxes: LiveViewClient,
) -> None:
    boxes.element("#box-a .to-all").click()
    assert hits(boxes) == ("view: 0", "a: 1 hit[]", "b: 1 hit[]")


def test_testing_selector_target_outside_components_goes_to_the_view(
    boxes: LiveViewClient,
) -> None:
    boxes.element("#mixed").click()
    assert hits(boxes) == ("view: 1", "a: 1 hit[]", "b: 0 None")


def test_testing_selector_target_dedupes_elements_of_one_component(boxes: LiveViewClient) -> None:
    boxes.element("#dedupe").click()
    assert hits(boxes) == ("view: 0", "a: 1 hit[]", "b: 0 None")


def test_testing_target_naming_no_component_fails(boxes: LiveViewClient) -> None:
    with pytest.raises(AssertionError, match=r"phx-target='99': no component with that id"):
        boxes.element("#ghost").click()
    with pytest.raises(AssertionError, match=r"phx-target='\.nope': the selector matches no"):
        boxes.element("#nothing").click()
    assert hits(boxes) == ("view: 0", "a: 0 None", "b: 0 None")


def test_testing_form_events_follow_the_form_target(boxes: LiveViewClient) -> None:
    boxes.form("#form-a", q="typed").submit()
    boxes.form("#form-b").change()  # the form's phx-change, to the form's target
    assert hits(boxes) == ("view: 0", "a: 1 hit['q']", "b: 1 hit['_unused_q', 'q']")
    boxes.form("#outer").submit()  # a view's form whose phx-target selects box b
    assert hits(boxes)[2] == "b: 2 hit['q']"


def test_testing_control_with_own_change_uses_the_form_target(boxes: LiveViewClient) -> None:
    boxes.form("#form-a", q="x").change(target="q")
    assert hits(boxes) == ("view: 0", "a: 1 own['_target', 'q']", "b: 0 None")


def test_testing_window_key_follows_its_target(boxes: LiveViewClient) -> None:
    boxes.keydown("k")
    assert hits(boxes) == ("view: 0", "a: 0 None", "b: 1 hit['key']")


# -- live_isolated ------------------------------------------------------------------------------


class Counter(LiveComponent):
    updates = 0

    async def update(self, assigns: dict[str, Any], socket: Any) -> None:
        Counter.updates += 1
        socket.assign(**assigns)
        socket.assign_new("count", lambda: 0)

    def render(self, assigns: Any) -> Any:
        return div(
            p(f"{assigns.label}: {assigns.count}"),
            button("Increment", phx_click="inc", phx_target=assigns.myself),
            button("Tell", phx_click="tell", phx_target=assigns.myself),
            id=assigns.id,
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        if event == "inc":
            socket.update("count", lambda n: n + 1)
        else:
            socket.send_parent(("count", socket.assigns.count))


def test_live_isolated_component_from_session_assigns() -> None:
    with live_isolated(Counter, session={"id": "c", "label": "Clicks"}) as view:
        assert isinstance(view, IsolatedComponent)
        assert view.element("#c p").render() == "<p>Clicks: 0</p>"
        view.element("button", "Increment").click()
        assert view.element("#c p").render() == "<p>Clicks: 1</p>"
        assert repr(view) == "<IsolatedComponent Counter joined>"


def test_live_isolated_component_keyword_assigns_win_over_session() -> None:
    with live_isolated(Counter, session={"id": "c", "label": "A"}, label="B") as view:
        assert view.element("#c p").render() == "<p>B: 0</p>"


def test_live_isolated_collects_what_the_component_sends_its_parent() -> None:
    with live_isolated(Counter, id="c", label="L") as view:
        view.element("button", "Increment").click()
        view.element("button", "Tell").click()
        assert view.sent_to_parent == [("count", 1)]


def test_live_isolated_set_assigns_runs_update_only_when_they_change() -> None:
    with live_isolated(Counter, id="c", label="L") as view:
        updates = Counter.updates
        assert "<p>Renamed: 0</p>" in view.set_assigns(label="Renamed")
        assert Counter.updates == updates + 1
        view.set_assigns(label="Renamed")
        assert Counter.updates == updates + 1  # equal assigns: update is not called


def test_live_isolated_send_update_rerenders_the_component() -> None:
    with live_isolated(Counter, id="c", label="L") as view:
        assert "<p>L: 41</p>" in view.send_update(count=41)
        assert view.frames[-1]["type"] == "patch"


def test_live_isolated_static_render() -> None:
    page = live_isolated(Counter, id="c", label="L", connect=False)
    assert isinstance(page, StaticRender)
    assert page.element("#c").render() == (
        '<div id="c" data-phx-component="1"><p>L: 0</p>'
        '<button phx-click="inc" phx-target="1">Increment</button>'
        '<button phx-click="tell" phx-target="1">Tell</button></div>'
    )


class Greeting(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        socket.assign(name=session.get("name", "nobody"))

    def render(self, assigns: Any) -> Any:
        return p(f"Hello, {assigns.name}!", id="hello")


def test_live_isolated_view_gets_the_session() -> None:
    with live_isolated(Greeting, session={"name": "Ada"}) as view:
        assert type(view) is LiveViewClient
        assert view.element("#hello").render() == '<p id="hello">Hello, Ada!</p>'


def test_live_isolated_refuses_bad_arguments() -> None:
    with pytest.raises(TypeError, match=r"live_isolated\(Counter\): expected an id"):
        live_isolated(Counter, label="x")
    with pytest.raises(TypeError, match=r"assign names must be str, got 1"):
        live_isolated(Counter, session={"id": "c", 1: "x"})
    with pytest.raises(ValueError, match=r"'myself' is managed by pylive"):
        live_isolated(Counter, id="c", myself=3)
    with pytest.raises(TypeError, match=r"keyword assigns \(name\) are for a live component"):
        live_isolated(Greeting, name="x")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match=r"expected a LiveComponent or LiveView subclass"):
        live_isolated(dict)  # type: ignore[call-overload]


def test_live_isolated_fixture_closes_its_views() -> None:
    factory = LiveFactory()
    view = factory.isolated(Counter, id="c", label="L")
    assert not view.closed
    factory.close()
    assert view.closed


# -- render_component ---------------------------------------------------------------------------


@component
def card(*children: Any, header: Any = None, footer: Any = None, title: str) -> Any:
    return div(header, div(*children, class_="body"), footer, title=title)


def test_render_component_function_component_with_slots() -> None:
    assert render_component(card, p("body"), header=span("H"), title="t") == (
        '<div title="t"><span>H</span><div class="body"><p>body</p></div></div>'
    )


def test_render_component_plain_function_returning_a_list() -> None:
    def items(*names: str) -> list[Any]:
        return [li(name) for name in names]

    assert render_component(items, "a", "b") == "<li>a</li><li>b</li>"


class Panel(LiveComponent):
    def render(self, assigns: Any) -> Any:
        return div(assigns.get("inner_block"), class_="panel", id=assigns.id)


def test_render_component_live_component_with_inner_block() -> None:
    assert render_component(Panel, p("inside"), id="x") == (
        '<div class="panel" id="x" data-phx-component="1"><p>inside</p></div>'
    )


def test_render_component_resolves_live_components_a_function_places() -> None:
    def panels() -> Any:
        return ul(live_component(Panel, "one", id=1), live_component(Panel, "two", id=2))

    assert render_component(panels) == (
        '<ul><div class="panel" id="1" data-phx-component="1">one</div>'
        '<div class="panel" id="2" data-phx-component="2">two</div></ul>'
    )


def test_render_component_refuses_a_running_loop_and_non_components() -> None:
    async def inside() -> str:
        return render_component(Panel, id="x")

    with pytest.raises(RuntimeError, match=r"from a plain `def` test"):
        asyncio.run(inside())
    with pytest.raises(TypeError, match=r"render_component: expected a component, got 3"):
        render_component(3)  # type: ignore[arg-type]
