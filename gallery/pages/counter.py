"""Counter: state in assigns, a click with a value, loading classes while the server answers."""

from pylive import LiveView
from pylive.html import button, div, p


class Counter(LiveView):
    def mount(self, params, session, socket):
        socket.assign(count=0)

    def render(self, assigns):
        return div(
            p(f"Count: {assigns.count}", id="count"),
            button("+1", id="inc1", phx_click="inc", phx_value_by=1),
            button("+2", id="inc", phx_click="inc", phx_value_by=2),
            button("Reset", id="reset", phx_click="reset"),
            class_="demo counter",
        )

    def handle_event(self, event, params, socket):
        if event == "inc":
            socket.update("count", lambda count: count + int(params["by"]))
        elif event == "reset":
            socket.assign(count=0)
            socket.push_event("counter-reset", {"at": 0})
