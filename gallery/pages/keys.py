"""Key events: ``phx-window-keydown`` with ``phx-key`` listens to one key anywhere on the page;
``phx-keyup`` on an input reports every key."""

from pylive import LiveView
from pylive.html import div, input, kbd, li, p, ul


class KeyEvents(LiveView):
    def mount(self, params, session, socket):
        socket.assign(level=0, keys=[])

    def render(self, assigns):
        return div(
            p("Press ", kbd("ArrowUp"), " / ", kbd("ArrowDown"), " anywhere on the page."),
            div(phx_window_keydown="up", phx_key="ArrowUp"),
            div(phx_window_keydown="down", phx_key="ArrowDown"),
            p(f"Level: {assigns.level}", id="level"),
            input(type="text", id="typing", placeholder="type here", phx_keyup="key"),
            ul(*[li(key) for key in assigns["keys"][-5:]], id="last-keys"),
            class_="demo keys",
        )

    def handle_event(self, event, params, socket):
        if event == "up":
            socket.update("level", lambda level: level + 1)
        elif event == "down":
            socket.update("level", lambda level: level - 1)
        elif event == "key":
            socket.assign(keys=[*socket.assigns["keys"], params["key"]])
