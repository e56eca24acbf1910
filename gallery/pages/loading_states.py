"""Loading states: while an event waits for the server, the browser marks what is waiting with
classes and the page's progress bar.

The button runs ``JS().push("work", loading="#spinner-area", page_loading=True)``: the button and
the ``#spinner-area`` get the ``phx-click-loading`` class until the answer comes (the stylesheet
dims the button and shows a spinner), and ``page_loading`` runs the layout's progress bar at the
top of the page (it shows once the wait passes 120 ms). The server takes most of a second to do
the work. The badge in the corner is driven by ``phx_connected`` and ``phx_disconnected``: JS
commands the browser runs when the live connection comes up or goes down.

Try this: click "Do some work" and watch the bar at the top of the page, the dimmed button and
the spinner.
"""

import asyncio

from pylive import JS, LiveView
from pylive.html import button, div, p, span

WORK_SECONDS = 0.8

WORK = JS().push("work", loading="#spinner-area", page_loading=True)
ONLINE = JS().show(to="#badge-live", display="inline-block").hide(to="#badge-offline")
OFFLINE = JS().hide(to="#badge-live").show(to="#badge-offline", display="inline-block")


class LoadingPage(LiveView):
    def mount(self, params, session, socket):
        socket.assign(done=0)

    def render(self, assigns):
        return div(
            div(
                span("live", id="badge-live", class_="badge live", style="display: none"),
                span("offline", id="badge-offline", class_="badge offline"),
                id="connection",
                class_="connection",
                phx_connected=ONLINE,
                phx_disconnected=OFFLINE,
            ),
            button("Do some work", id="work", phx_click=WORK),
            button("Reset", id="reset", phx_click="reset"),
            div(
                span(class_="spinner", aria_hidden="true"),
                span("Working…", class_="working"),
                id="spinner-area",
                class_="spinner-area",
            ),
            p(f"Jobs done: {assigns.done}", id="done"),
            class_="demo loading-states",
        )

    async def handle_event(self, event, params, socket):
        if event == "work":
            await asyncio.sleep(WORK_SECONDS)
            socket.update("done", lambda n: n + 1)
        elif event == "reset":
            socket.assign(done=0)
