"""Dynamic components: the component class is chosen at run time from the data,
and each widget's remaining keys are spread in as assigns (``**options``).

A component's identity is its class and its id: turning widget 3 from text into an image replaces
the text component by a new image component.
"""

from urllib.parse import quote

from pylive import LiveComponent, LiveView, live_component
from pylive.html import button, div, img, p

LOGO = "data:image/svg+xml," + quote(
    '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="32">'
    '<rect width="96" height="32" rx="6" fill="#1d2330"/>'
    '<text x="48" y="21" fill="#cfe0ff" font-family="sans-serif" font-size="14" '
    'text-anchor="middle">pylive</text></svg>'
)


class TextWidgetComponent(LiveComponent):
    def render(self, assigns):
        return div(p(assigns.content), id=assigns.id, class_="text-widget")


class ImageWidgetComponent(LiveComponent):
    def render(self, assigns):
        return div(img(src=assigns.url, alt=assigns.alt), id=assigns.id, class_="image-widget")


WIDGETS = {"text": TextWidgetComponent, "image": ImageWidgetComponent}


def widget_component(kind):
    return WIDGETS[kind]


class WidgetDashboard(LiveView):
    def mount(self, params, session, socket):
        widgets = [
            {"id": "widget-1", "type": "text", "content": "Welcome!"},
            {"id": "widget-2", "type": "image", "url": LOGO, "alt": "Logo"},
            {"id": "widget-3", "type": "text", "content": "Latest updates"},
        ]
        socket.assign(widgets=widgets)

    def handle_event(self, event, params, socket):
        if event == "swap":
            text = {"id": "widget-3", "type": "text", "content": "Latest updates"}
            image = {"id": "widget-3", "type": "image", "url": LOGO, "alt": "Updates"}
            *first, last = socket.assigns.widgets
            socket.assign(widgets=[*first, image if last["type"] == "text" else text])

    def render(self, assigns):
        return div(
            *[
                live_component(
                    widget_component(widget["type"]),
                    id=widget["id"],
                    **{k: v for k, v in widget.items() if k not in ("id", "type")},
                )
                for widget in assigns.widgets
            ],
            button("Swap widget 3", id="swap", phx_click="swap"),
            class_="demo dashboard",
        )
