"""Client hooks in the test client: ``view.render_hook``, the render check on every render, and
``assert_push_event`` for what components push."""

from __future__ import annotations

from typing import Any

import pytest

from pylive import App, Hook, LiveComponent, LiveView, live_component
from pylive.exceptions import InvalidHook
from pylive.html import button, div, li, p, ul
from pylive.node import Tree
from pylive.socket import Socket
from pylive.testing import ViewCrashed, live

SECRET = "a test secret, long enough"
CHART = Hook("Chart", js="export default { mounted() { this.pushEvent('ready', {}) } }")


class Plot(LiveComponent):
    def mount(self, socket: Any) -> None:
        socket.assign(points=[])

    def render(self, assigns: Any) -> Tree:
        return div(
            div(id=f"{assigns.id}-canvas", phx_hook=CHART),
            p(f"points: {len(assigns.points)}"),
            id=assigns.id,
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> Any:
        socket.update("points", lambda points: [*points, params["x"]])
        socket.push_event("plotted", {"n": len(socket.assigns.points)})
        return {"plotted": params["x"]}


class Dashboard(LiveView):
    hooks = (CHART,)

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(ready=False, page=1, bad=False)

    def render(self, assigns: Any) -> Tree:
        return div(
            div(id="chart", phx_hook=CHART),
            p("ready" if assigns.ready else "waiting", id="state"),
            live_component(Plot, id="plot"),
            ul(
                [li(f"post {n}", id=f"post-{n}") for n in range(assigns.page * 2)],
                id="posts",
                phx_viewport_bottom="next-page",
            ),
            p("plain", id="plain"),
            div(class_="bad", phx_hook=CHART) if assigns.bad else None,
            button("break", id="break", phx_click="break"),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> Any:
        if event == "ready":
            socket.assign(ready=True)
            return {"ok": True, "params": params}
        if event == "next-page":
            socket.update("page", lambda n: n + 1)
            return None
        socket.assign(bad=True)
        return None


def make_app() -> App:
    app = App(secret_key=SECRET)
    app.live("/", Dashboard)
    return app


def test_render_hook_pushes_a_hook_event_to_the_view_with_reply() -> None:
    with live(make_app(), "/") as view:
        html = view.render_hook("#chart", "ready", {"width": 300})
        assert '<p id="state">ready</p>' in html
        assert view.last_reply == {"ok": True, "params": {"width": 300}}
        sent = [f for f in view.frames if f.get("ref") == 1]
        assert sent[0]["reply"] == {"ok": True, "params": {"width": 300}}


def test_render_hook_inside_a_component_goes_to_the_component() -> None:
    with live(make_app(), "/") as view:
        html = view.render_hook("#plot-canvas", "point", {"x": 3})
        assert "<p>points: 1</p>" in html
        assert '<p id="state">waiting</p>' in html  # the view's handle_event did not run
        assert view.last_reply == {"plotted": 3}
        assert view.assert_push_event("plotted") == {"n": 1}


def test_render_hook_on_a_viewport_binding() -> None:
    with live(make_app(), "/") as view:
        assert view.element("#post-3").exists() is False
        view.render_hook("#posts", "next-page", {"id": "post-1"})
        assert view.element("#post-3").render() == '<li id="post-3">post 3</li>'
        assert view.last_reply is None


def test_render_hook_needs_a_hook_element() -> None:
    with live(make_app(), "/") as view:
        with pytest.raises(AssertionError) as error:
            view.render_hook("#plain", "ready")
        assert str(error.value) == (
            "render_hook('#plain', 'ready'): the element has no phx-hook (nor "
            'phx-viewport-top/bottom), so no hook pushes from it:\n    <p id="plain">plain</p>'
        )
        with pytest.raises(AssertionError, match="no element matches '#nope'"):
            view.render_hook("#nope", "ready")
        with pytest.raises(TypeError) as bad_value:
            view.render_hook("#chart", "ready", [1])  # type: ignore[arg-type]
        assert str(bad_value.value) == (
            "render_hook('#chart', 'ready'): expected value= a dict (or None), got [1]"
        )


def test_render_hook_refused_on_a_static_render() -> None:
    static = live(make_app(), "/", connect=False)
    with pytest.raises(AssertionError, match=r"cannot render_hook\('#chart', 'ready'\)"):
        static.render_hook("#chart", "ready")


def test_render_check_runs_on_every_live_render() -> None:
    with live(make_app(), "/") as view, pytest.raises(ViewCrashed) as crashed:
        view.element("#break").click()
    cause = crashed.value.__cause__
    assert isinstance(cause, InvalidHook)
    assert str(cause) == (
        'phx-hook="Chart" on <div class="bad"> in Dashboard.render: the element needs a unique '
        "id (LiveView's rule: hooks find their element by id)"
    )
    assert str(cause) in str(crashed.value)


class Pusher(LiveComponent):
    def render(self, assigns: Any) -> Tree:
        return div(button("go", phx_click="go", phx_target=assigns.myself), id=assigns.id)

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        socket.push_event("from-component", {"id": socket.assigns.id})


class Hosts(LiveView):
    def render(self, assigns: Any) -> Tree:
        return div(live_component(Pusher, id="one"), live_component(Pusher, id="two"))


def test_assert_push_event_sees_events_pushed_from_components() -> None:
    app = App(secret_key=SECRET)
    app.live("/", Hosts)
    with live(app, "/") as view:
        view.element("#two button").click()
        assert view.assert_push_event("from-component", {"id": "two"}) == {"id": "two"}
        with pytest.raises(AssertionError) as error:
            view.assert_push_event("from-component")
        assert str(error.value) == (
            "no pushed event from-component; pushed and not yet asserted:\n    (none)"
        )


def test_render_check_reports_an_unregistered_hook_in_the_test_client() -> None:
    class Typo(LiveView):
        def render(self, assigns: Any) -> Tree:
            return div(id="c", phx_hook="Chrat")

    app = App(secret_key=SECRET, hooks=[CHART, Hook("Clipboard")])
    app.live("/", Typo)
    with pytest.raises(InvalidHook) as error:
        live(app, "/")
    assert str(error.value) == (
        'phx-hook="Chrat" on <div id="c"> in test_render_check_reports_an_unregistered_hook_in_'
        "the_test_client.<locals>.Typo.render names no registered hook; registered: Chart, "
        'Clipboard. Declare it: App(hooks=[Hook("Chrat", js=...)]) or Hook("Chrat") for a hook '
        "defined in the browser"
    )
