"""Save with phx-disable-with: a button shows other text and is disabled while its event waits for
the server.

The Save button has ``phx_disable_with="Saving…"``: from the submit until the server's answer, the
browser swaps its text and disables it, so it cannot be pressed twice, then gives it back. The
``handle_event`` here is an ``async def`` that awaits half a second, as a slow database would;
other views keep running meanwhile.

Try this: type a title and press Save; the button reads "Saving…" for half a second.
"""

import asyncio

from pylive import LiveView
from pylive.html import button, div, form, input, label, p

SAVE_SECONDS = 0.5


def times(n):
    return "once" if n == 1 else f"{n} times"


class SavePage(LiveView):
    def mount(self, params, session, socket):
        socket.assign(title="", saves=0)

    def render(self, assigns):
        return div(
            form(
                label("Title ", input(type="text", id="title", name="title", value=assigns.title)),
                button("Save", type="submit", id="save", phx_disable_with="Saving…"),
                id="save-form",
                phx_submit="save",
            ),
            p(f"Saved “{assigns.title}” ({times(assigns.saves)})", id="saved")
            if assigns.saves
            else p("Nothing saved yet", id="saved"),
            class_="demo disable-with",
        )

    async def handle_event(self, event, params, socket):
        if event == "save":
            await asyncio.sleep(SAVE_SECONDS)
            socket.assign(title=str(params.get("title", "")))
            socket.update("saves", lambda n: n + 1)
