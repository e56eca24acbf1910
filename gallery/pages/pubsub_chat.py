"""PubSub: a chat room every open tab shares. Each view subscribes to the ``gallery:chat``
topic in ``mount`` (``pubsub.subscribe(socket, topic)``: only once connected); sending a
message broadcasts it (``pubsub.broadcast``), and every subscribed view — in this tab and in
every other — gets it in ``handle_info`` and renders it. A view's subscription ends with it.
Each view keeps the last 50 messages.

Try this: open this page in two tabs, pick a name in each, and talk.
"""

from datetime import UTC, datetime

from pylive import LiveView, pubsub
from pylive.html import button, div, form, input, li, span, ul

TOPIC = "gallery:chat"
KEEP = 50


class ChatRoom(LiveView):
    def mount(self, params, session, socket):
        pubsub.subscribe(socket, TOPIC)
        socket.assign(messages=[], name="")

    def handle_event(self, event, params, socket):
        if event == "send":
            name = (params.get("name") or "anonymous").strip()[:40] or "anonymous"
            text = (params.get("text") or "").strip()[:500]
            socket.assign(name=name)
            if text:
                at = datetime.now(UTC).strftime("%H:%M:%S")
                pubsub.broadcast(TOPIC, ("message", at, name, text))

    def handle_info(self, msg, socket):
        if msg[0] == "message":
            socket.update("messages", lambda messages: [*messages, msg[1:]][-KEEP:])

    def render(self, assigns):
        return div(
            ul(
                [
                    li(span(at, class_="at"), " ", span(name, class_="who"), ": ", text)
                    for at, name, text in assigns.messages
                ],
                id="messages",
            ),
            form(
                input(name="name", value=assigns.name, placeholder="Your name", id="name"),
                input(name="text", value="", placeholder="Say something", id="text"),
                button("Send", type="submit", id="send"),
                phx_submit="send",
                id="chat-form",
            ),
            class_="demo pubsub-chat",
        )
