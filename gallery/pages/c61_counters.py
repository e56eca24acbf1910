"""Stateful counters: one LiveComponent, two instances, two independent states.

``update`` merges what the parent passes and starts the count at 0 (``assign_new``); a click
targets its own instance (``phx_target=assigns.myself``) and re-renders that component only, never
the parent.
"""

from pylive import LiveComponent, LiveView, live_component
from pylive.html import button, div, h2, p


class CounterComponent(LiveComponent):
    def update(self, assigns, socket):
        socket.assign(**assigns)  # id, label: whatever the parent passed
        socket.assign_new("count", lambda: 0)  # only the first time

    def handle_event(self, event, params, socket):
        if event == "increment":
            socket.update("count", lambda count: count + 1)

    def render(self, assigns):
        return div(
            p(f"{assigns.label}: {assigns.count}"),
            # Without phx_target the click would go to the parent view.
            button("Increment", phx_click="increment", phx_target=assigns.myself),
            id=assigns.id,
            class_="counter",
        )


class CountersDashboard(LiveView):
    def render(self, assigns):
        return div(
            h2("Multiple Independent Counters"),
            live_component(CounterComponent, id="counter-1", label="Counter A"),
            live_component(CounterComponent, id="counter-2", label="Counter B"),
            class_="demo counters",
        )
