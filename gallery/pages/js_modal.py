"""Modal: a dialog opened and closed by ``JS`` commands in the browser, with no round trip.

``JS().show(to="#modal", transition=...)`` fades the dialog in through a three-part transition
(classes held for the whole time, at its start, at its end) and ``focus_first`` moves the focus
into it; ``push_focus`` remembered where the focus was and ``pop_focus`` puts it back on close.
The dialog closes from its button, from Escape (``phx_window_keydown`` with ``phx_key`` holding
the same chain) and from a click outside its panel (``phx_click_away``; a press that starts
inside the panel and ends outside is no click away). The counter inside lives on the server:
each click patches the dialog, and it stays open, because what JS commands did to an element is
sticky across server patches and reconnects.

Try this: open the dialog, click "+1" a few times, press Escape; open it again and click
outside the panel; notice the focus comes back to the "Open dialog" button each time.
"""

from pylive import JS, LiveView
from pylive.html import button, div, h2, input, label, p

FADE_IN = ("fade-in", "opacity-0", "opacity-100")
FADE_OUT = ("fade-out", "opacity-100", "opacity-0")
ZOOM_IN = ("zoom", "scale-95", "scale-100")

OPEN = (
    JS()
    .push_focus()
    .show(to="#modal", transition=FADE_IN, display="flex")
    .transition(ZOOM_IN, to="#modal-panel")
    .focus_first(to="#modal-panel")
)
CLOSE = JS().hide(to="#modal", transition=FADE_OUT).pop_focus()


class ModalPage(LiveView):
    def mount(self, params, session, socket):
        socket.assign(clicks=0)

    def render(self, assigns):
        return div(
            p("The dialog below opens and closes in the browser: no message to the server."),
            button("Open dialog", id="open-modal", phx_click=OPEN),
            p(f"Server clicks: {assigns.clicks}", id="outside-count"),
            div(
                div(
                    h2("A pylive dialog", id="modal-title"),
                    p("Opened by JS commands; the counter below is server state."),
                    label("Note ", input(type="text", id="modal-note", name="note")),
                    p(f"Clicks: {assigns.clicks}", id="modal-count"),
                    button("+1", id="modal-inc", phx_click="inc"),
                    button("Close", id="close-modal", phx_click=CLOSE),
                    id="modal-panel",
                    class_="modal-panel",
                    role="dialog",
                    aria_modal="true",
                    aria_labelledby="modal-title",
                    phx_click_away=CLOSE,
                ),
                id="modal",
                class_="modal",
                style="display: none",
                data_clicks=str(assigns.clicks),
                phx_window_keydown=CLOSE,
                phx_key="Escape",
            ),
            class_="demo js-modal",
        )

    def handle_event(self, event, params, socket):
        if event == "inc":
            socket.update("clicks", lambda n: n + 1)
