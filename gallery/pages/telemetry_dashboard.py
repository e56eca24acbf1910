"""Telemetry: every callback of every view is a span of events that handlers can count, and the
live dashboard is one such handler, itself a live view. This page attaches the handlers of
LiveView's telemetry example (a log line for each mount and each event, a warning for a slow
event) and shows the last lines they logged; the gallery's live dashboard, at
/telemetry/dashboard, counts every page of the gallery behind an on_mount check for operators.

Try this: press "Quick event" a few times and "Slow event" once: the log shows each event with
its duration, and the warning for the slow one. Then log in on the "Log in" page as
ann@example.com with "correct horse battery" (ann is an operator) and open the live
dashboard; in another tab, click around the other demos and watch the dashboard's live views,
events per second and slowest events change every second. Logged out, the dashboard sends you
to the log-in page.
"""

import asyncio
import itertools
import logging
from collections import deque

from gallery.pages import auth_session
from pylive import LiveView, link, telemetry
from pylive.dashboard import live_dashboard
from pylive.html import button, div, h3, li, ol, p

DASHBOARD_PATH = "/telemetry/dashboard"
OPERATORS = {"ann@example.com"}
SLOW_MS = 500  # the example's threshold: a slow event is logged as a warning
SLOW_SECONDS = 0.6  # what "Slow event" takes

log = logging.getLogger("gallery.telemetry")
LOG = deque(maxlen=8)  # the last lines the handlers logged, shown on the page
numbers = itertools.count(1)

# -- the example's handlers (MyApp.Telemetry.attach_handlers) ----------------------------------

EVENTS = [
    ("pylive", "live_view", "mount", "start"),
    ("pylive", "live_view", "mount", "stop"),
    ("pylive", "live_view", "handle_event", "start"),
    ("pylive", "live_view", "handle_event", "stop"),
    ("pylive", "live_view", "handle_params", "start"),
]


def record(level, line):
    log.log(level, line)
    LOG.append((next(numbers), logging.getLevelName(level).lower(), line))


def handle_event(event, measurements, metadata):
    if event[2:] == ("mount", "stop"):
        duration_ms = measurements["duration"] / 1_000_000
        record(logging.INFO, f"LiveView mounted: {metadata['view']} in {duration_ms:.2f} ms")
    elif event[2:] == ("handle_event", "stop"):
        duration_ms = measurements["duration"] / 1_000_000
        view, name = metadata["view"], metadata["event"]
        record(logging.INFO, f"LiveView event handled: {view} {name!r} in {duration_ms:.2f} ms")
        if duration_ms > SLOW_MS:
            line = f"Slow LiveView event: {view} {name!r} in {duration_ms:.0f} ms (over {SLOW_MS})"
            record(logging.WARNING, line)


def attach_handlers():
    """What the example's Application.start does. Here the page does it when first opened:
    importing the gallery (every test run does) must not attach handlers to the process."""
    telemetry.detach("liveview-telemetry")  # once, however many visitors open the page
    telemetry.attach("liveview-telemetry", EVENTS, handle_event)


def detach_handlers():
    telemetry.detach("liveview-telemetry")


# -- the live dashboard, for operators ---------------------------------------------------------


def require_operator(params, session, socket):
    token = session.get("user_token")
    user = auth_session.user_by_session_token(token) if token else None
    if user is None or user[1] not in OPERATORS:
        socket.put_flash("error", "The live dashboard is for operators: log in first")
        socket.redirect(auth_session.LOGIN_PATH)
        return "halt"
    return "cont"


def mount_dashboard(app, layout=None):
    """The gallery's dashboard (gallery/app.py calls it): never without its check."""
    return live_dashboard(app, DASHBOARD_PATH, on_mount=[require_operator], layout=layout)


# -- the page ----------------------------------------------------------------------------------


class Telemetry(LiveView):
    def mount(self, params, session, socket):
        if socket.connected:
            attach_handlers()
            socket.send_interval("log", 1000)  # other pages' lines too
        socket.assign(log=tuple(LOG), events=0)

    async def handle_event(self, event, params, socket):
        if event == "slow":
            await asyncio.sleep(SLOW_SECONDS)  # a slow query, without blocking other views
        socket.update("events", lambda n: n + 1)
        socket.send_self("log")  # this event's line is logged once it returns

    def handle_info(self, msg, socket):
        socket.assign(log=tuple(LOG))

    def render(self, assigns):
        return div(
            p(
                button("Quick event", phx_click="quick", id="quick"),
                button("Slow event", phx_click="slow", id="slow", phx_disable_with="Working…"),
            ),
            p(f"{assigns.events} events sent", id="events-sent"),
            h3("What the handlers logged"),
            ol(
                [li(line, class_=f"log-{level}", key=n) for n, level, line in assigns.log],
                id="telemetry-log",
            ),
            p(
                link("Open the live dashboard", href=DASHBOARD_PATH, id="open-dashboard"),
                " (operators only: ",
                link("log in", href=auth_session.LOGIN_PATH),
                " as ann@example.com first)",
            ),
            class_="demo telemetry",
        )
