"""Hook lifecycle: every callback a hook gets, written to a log as it happens — ``mounted``,
``beforeUpdate``, ``updated``, ``destroyed``, ``disconnected`` and ``reconnected``.

Each row of the list and the box's badge carry the ``Logged`` hook; the log itself is
``phx-update="ignore"``, so the server's renders leave the lines the hooks write. A patch of a row
calls its ``beforeUpdate`` then ``updated``; a move keeps the same element and instance, so it
calls nothing; a new id is a new element to a hook (``destroyed``, then ``mounted``); the box
leaves with a ``phx-remove`` fade, and the badge inside it is ``destroyed`` once it has gone.

Try this: press the buttons and read the log; then run ``pylive.disconnect()`` in the browser
console (every hook logs ``disconnected``) and ``pylive.connect()`` (``reconnected``, never a
second ``mounted``).
"""

from pathlib import Path

from pylive import JS, Hook, LiveView
from pylive.html import button, div, li, ol, span, ul

LOGGED = Hook("Logged", js=Path(__file__).with_name("hook_logged.js"))

FADE_OUT = JS().transition(("fade-out duration-300", "opacity-100", "opacity-0"), time=300)


class LifecyclePage(LiveView):
    hooks = (LOGGED,)

    def mount(self, params, session, socket):
        socket.assign(rows=[(1, "row-1", 0), (2, "row-2", 0)], next=3, box=True)

    def render(self, assigns):
        return div(
            div(
                button("Patch the first row", id="patch-row", phx_click="patch"),
                button("Reverse the rows", id="move-rows", phx_click="reverse"),
                button("Add a row", id="add-row", phx_click="add"),
                button("Rename the first row's id", id="rename-row", phx_click="rename"),
                button("Remove the last row", id="remove-row", phx_click="remove"),
                button(
                    "Remove the box" if assigns.box else "Bring the box back",
                    id="toggle-box",
                    phx_click="toggle_box",
                ),
                class_="toolbar",
            ),
            ul(
                [
                    li(f"{dom_id}, version {version}", id=dom_id, key=key, phx_hook=LOGGED)
                    for key, dom_id, version in assigns.rows
                ],
                id="rows",
            ),
            div(
                span("badge", id="badge", class_="badge", phx_hook=LOGGED),
                id="box",
                class_="box",
                phx_remove=FADE_OUT,
            )
            if assigns.box
            else None,
            ol(id="hook-log", class_="hook-log", phx_update="ignore"),
            class_="demo hooks-lifecycle",
        )

    def handle_event(self, event, params, socket):
        rows = list(socket.assigns.rows)
        if event == "patch" and rows:
            key, dom_id, version = rows[0]
            rows[0] = (key, dom_id, version + 1)
        elif event == "reverse":
            rows.reverse()
        elif event == "add":
            rows.append((socket.assigns.next, f"row-{socket.assigns.next}", 0))
            socket.update("next", lambda n: n + 1)
        elif event == "rename" and rows:
            key, dom_id, version = rows[0]
            rows[0] = (key, f"{dom_id}-renamed", version)
        elif event == "remove" and rows:
            rows.pop()
        elif event == "toggle_box":
            socket.update("box", lambda box: not box)
        socket.assign(rows=rows)
