"""Component to component via the parent: a color selector tells the parent
(``socket.send_parent`` → ``handle_info``), the parent passes the color to a display component.

The selector handles its own clicks (``phx_target=assigns.myself``, ``phx-value-color``) but owns no
color: the parent does, so the data flow stays explicit.
"""

from pylive import LiveComponent, LiveView, live_component
from pylive.html import button, div, p

COLORS = ["red", "blue", "green"]


class ColorSelectorComponent(LiveComponent):
    def handle_event(self, event, params, socket):
        if event == "select_color":
            socket.send_parent(("color_selected", params["color"]))  # send(self(), ...)

    def render(self, assigns):
        return div(
            *[
                button(
                    color.title(),
                    phx_click="select_color",
                    phx_value_color=color,
                    phx_target=assigns.myself,
                    id=f"pick-{color}",
                )
                for color in COLORS
            ],
            id=assigns.id,
            class_="color-selector",
        )


class ColorDisplayComponent(LiveComponent):
    def update(self, assigns, socket):
        socket.assign(**assigns)  # color: from the parent

    def render(self, assigns):
        return div(
            p(f"Selected: {assigns.color}"),
            id=assigns.id,
            class_="color-display",
            style=f"background-color: {assigns.color};",
        )


class ColorPicker(LiveView):
    def mount(self, params, session, socket):
        socket.assign(selected_color="gray")

    def handle_info(self, msg, socket):
        match msg:
            case ("color_selected", color):
                socket.assign(selected_color=color)  # the display's update() gets the new color

    def render(self, assigns):
        return div(
            live_component(ColorSelectorComponent, id="selector"),
            live_component(ColorDisplayComponent, id="display", color=assigns.selected_color),
            class_="demo color-picker",
        )
