"""Stream: a message feed the browser keeps and the server forgets. Each message is sent once,
as a stream op; an edit updates its row in place, so a note typed in the row survives it.

The server keeps only counters, never the messages: it does not know which rows are shown."""

from dataclasses import dataclass

from pylive import LiveView
from pylive.html import button, div, input, li, p, span, ul


@dataclass
class Message:
    id: int
    text: str


class Feed(LiveView):
    def mount(self, params, session, socket):
        socket.assign(next=6, top=1, sent=5, edits=0)
        socket.stream("messages", [Message(n, f"message {n}") for n in range(1, 6)])

    def render(self, assigns):
        return div(
            div(
                button("Prepend", id="prepend", phx_click="prepend"),
                button("Append", id="append", phx_click="append"),
                button("Append 3 keep 6", id="append-3", phx_click="append_3"),
                button("Edit first", id="edit-first", phx_click="edit_first"),
                button("Reset", id="reset", phx_click="reset"),
                class_="toolbar",
            ),
            p(f"{assigns.sent} messages sent", id="sent"),
            ul(id="messages", phx_update="stream")[
                (
                    li(
                        span(message.text, class_="text"),
                        input(type="text", placeholder="note", aria_label=f"note on {dom_id}"),
                        button("×", phx_click="delete", phx_value_id=dom_id, aria_label="delete"),
                        id=dom_id,
                    )
                    for dom_id, message in assigns.streams.messages
                )
            ],
            class_="demo stream",
        )

    def handle_event(self, event, params, socket):
        if event == "prepend":
            message = self.new_messages(socket, 1)[0]
            socket.stream_insert("messages", message, at=0)
            socket.assign(top=message.id)
        elif event == "append":
            socket.stream_insert("messages", self.new_messages(socket, 1)[0], at=-1)
        elif event == "append_3":
            # The browser keeps the last 6 rows and drops the rest.
            socket.stream("messages", self.new_messages(socket, 3), limit=-6)
        elif event == "edit_first":
            # The same DOM id: the row is updated in place (or, if it was deleted, left alone).
            edits = socket.assigns.edits + 1
            top = socket.assigns.top
            edited = Message(top, f"message {top} (edit {edits})")
            socket.stream_insert("messages", edited, update_only=True)
            socket.assign(edits=edits)
        elif event == "delete":
            socket.stream_delete_by_dom_id("messages", params["id"])
        elif event == "reset":
            messages = self.new_messages(socket, 2)
            socket.stream("messages", messages, reset=True)
            socket.assign(top=messages[0].id)

    def new_messages(self, socket, count):
        """``count`` new messages, counted as sent."""
        first = socket.assigns.next
        socket.assign(next=first + count, sent=socket.assigns.sent + count)
        return [Message(n, f"message {n}") for n in range(first, first + count)]
