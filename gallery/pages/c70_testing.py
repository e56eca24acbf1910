"""Component testing: the counter component alone, as ``live_isolated`` mounts
it, and the tests written for it, in Python (they run with the project's test suite).

``live_isolated(Component, session={...})`` joins the component in a generated parent with those
assigns; ``live(app, "/components/counters")`` tests it in its real parent;
``view.element("#counter-1 button", "Increment").click()`` finds the button and routes the click to
the component its ``phx-target`` names. ``render_component`` renders one component to HTML.
"""

from gallery.pages.c61_counters import CounterComponent
from pylive import LiveView, live_component
from pylive.html import div


class IsolatedCounter(LiveView):
    """What ``live_isolated(CounterComponent, session=...)`` renders: the component alone."""

    def render(self, assigns):
        return div(
            live_component(CounterComponent, id="counter-test", label="Test Counter"),
            class_="demo isolated",
        )


def test_increments_counter_on_button_click():
    from pylive.testing import live_isolated

    with live_isolated(
        CounterComponent, session={"id": "counter-test", "label": "Test Counter"}
    ) as view:
        assert "Test Counter: 0" in view.render()
        view.element("button", "Increment").click()
        assert "Test Counter: 1" in view.render()


def test_components_maintain_independent_state():
    from gallery.app import app
    from pylive.testing import live

    with live(app, "/components/counters") as view:
        counter1 = view.element("#counter-1 button", "Increment")
        counter2 = view.element("#counter-2 button", "Increment")
        counter1.click()
        counter1.click()
        counter2.click()
        html = view.element(".counters").render()
        assert "Counter A: 2" in html
        assert "Counter B: 1" in html


def test_renders_the_component_alone():
    from pylive.testing import render_component

    html = render_component(CounterComponent, id="counter-x", label="Static")
    assert "<p>Static: 0</p>" in html
