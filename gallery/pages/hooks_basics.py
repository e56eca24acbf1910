"""Hook basics: a ``phx-hook`` element gets JavaScript of its own, declared next to the view in
Python (``Hook("LocalTime", js=...)``) and served by the app, with no script tag to write.

The hook's ``mounted`` asks the server for the time every second with ``pushEvent``; the server's
``handle_event`` answers with a dict, which resolves the promise, and the hook shows that instant
in the browser's own time zone and format — something only the browser knows. "Hide the clock"
removes the element: the hook's ``destroyed`` stops the timer.

Try this: watch the time tick in your locale; hide the clock, then show it again (a new hook
instance mounts); open the browser console and run ``pylive.enableDebug()`` to see each
``get-current-time`` event and its reply go by.
"""

from datetime import UTC, datetime
from pathlib import Path

from pylive import Hook, LiveView
from pylive.html import button, div, p

LOCAL_TIME = Hook("LocalTime", js=Path(__file__).with_name("hook_local_time.js"))


class ClockPage(LiveView):
    hooks = (LOCAL_TIME,)

    def mount(self, params, session, socket):
        socket.assign(shown=True, asked=0)

    def render(self, assigns):
        return div(
            p("Loading time…", id="local-time", class_="local-time", phx_hook=LOCAL_TIME)
            if assigns.shown
            else p("The clock is hidden: its hook was destroyed.", id="clock-hidden"),
            p(f"The server answered {assigns.asked} times.", id="asked"),
            button(
                "Hide the clock" if assigns.shown else "Show the clock",
                id="toggle-clock",
                phx_click="toggle",
            ),
            class_="demo hooks-basics",
        )

    def handle_event(self, event, params, socket):
        if event == "get-current-time":
            socket.update("asked", lambda n: n + 1)
            return {"timestamp": datetime.now(UTC).isoformat()}
        if event == "toggle":
            socket.update("shown", lambda shown: not shown)
        return None
