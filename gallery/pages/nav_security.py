"""Security: authorization per event and a rate limit, in one view. Two hooks attached in
``mount`` with ``socket.attach_hook(name, "handle_event", fn)`` run before ``handle_event``:
the first refuses events the current role may not send (a flash says why, ``"halt"`` stops
there), the second lets each viewer make five changes per ten seconds. Outside both, the server
already bounds every socket (``Limits.events_per_second``, message sizes, queued frames), so a
client that floods is cut off before any view code runs.

Try this: as a viewer, press "Add note" (refused); switch to editor and add notes quickly until
the rate limit answers; as admin, delete one.
"""

import time
from collections import deque

from pylive import LiveView
from pylive.html import button, div, form, li, option, select, span, ul

NEEDS = {"add": "editor", "delete": "admin"}
RANK = {"viewer": 0, "editor": 1, "admin": 2}
PER_WINDOW = 5
WINDOW_SECONDS = 10.0


def authorize(event, params, socket):
    needed = NEEDS.get(event)
    if needed is None or RANK[socket.assigns.role] >= RANK[needed]:
        return "cont"
    socket.put_flash("error", f"Not allowed: {event} needs the {needed} role")
    return "halt"


class SecurityPage(LiveView):
    def mount(self, params, session, socket):
        socket.assign(role="viewer", notes=["Welcome"], next_note=1)
        self.recent = deque()
        socket.attach_hook("authorize", "handle_event", authorize)
        socket.attach_hook("rate_limit", "handle_event", self.rate_limit)

    def rate_limit(self, event, params, socket):
        if event not in NEEDS:
            return "cont"
        now = time.monotonic()
        while self.recent and now - self.recent[0] > WINDOW_SECONDS:
            self.recent.popleft()
        if len(self.recent) >= PER_WINDOW:
            socket.put_flash("error", "Too many requests: wait a few seconds")
            return "halt"
        self.recent.append(now)
        return "cont"

    def handle_event(self, event, params, socket):
        if event == "as" and params.get("role") in RANK:
            socket.assign(role=params["role"])
            socket.clear_flash()
        elif event == "add":
            socket.update("notes", lambda notes: [*notes, f"Note {socket.assigns.next_note}"])
            socket.update("next_note", lambda n: n + 1)
        elif event == "delete":
            doomed = params.get("note")
            socket.update("notes", lambda notes: [n for n in notes if n != doomed])

    def render(self, assigns):
        return div(
            form(
                "Acting as ",
                select(
                    [option(role, value=role, selected=role == assigns.role) for role in RANK],
                    name="role",
                    id="role",
                ),
                phx_change="as",
                id="role-form",
            ),
            button("Add note", phx_click="add", id="add"),
            ul(
                [
                    li(
                        span(note),
                        button("Delete", phx_click="delete", phx_value_note=note),
                        key=note,
                    )
                    for note in assigns.notes
                ],
                id="notes",
            ),
            class_="demo nav-security",
        )
