"""PubSub: a chat room every open tab shares — across server processes too. Each view
subscribes to the ``gallery:chat`` topic in ``mount`` (``pubsub.subscribe(socket, topic)``:
only once connected) and shows the room's last 50 messages, kept in SQLite. Sending a message
stores it and broadcasts it (``pubsub.broadcast``); every subscribed view — in this tab and in
every other — gets it in ``handle_info`` and renders it. A view's subscription ends with it.

Served by several workers on one Redis (``App(pubsub=RedisPubSub(url))``; the gallery does it
when ``PYLIVE_REDIS_URL`` is set), a tab on one worker talks with a tab on another. If the
connection to Redis drops, each view gets ``PubSubGap`` once it is back and reads the room
again from SQLite, so no tab shows a conversation with holes in it.

Try this: open this page in two tabs, pick a name in each, and talk. Each tab says which
worker process serves it: run the gallery with Redis and two workers
(``PYLIVE_REDIS_URL=redis://127.0.0.1:6379/0 python -m pylive run gallery.app:app --workers 2``)
and open tabs until two workers show.
"""

import os
import sqlite3
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

from pylive import LiveView, pubsub
from pylive.html import button, div, form, input, li, p, span, ul
from pylive.pubsub import PubSubGap

TOPIC = "gallery:chat"
KEEP = 50
DB_PATH = Path(
    os.environ.get("PYLIVE_GALLERY_CHAT_DB")
    or Path(tempfile.gettempdir()) / "pylive-gallery-chat.sqlite3"
)
"""The room, shared by the gallery's worker processes on this machine."""

_lock = threading.Lock()


def _db() -> sqlite3.Connection:
    db = sqlite3.connect(DB_PATH, timeout=5)
    db.execute("CREATE TABLE IF NOT EXISTS chat (id INTEGER PRIMARY KEY, at, name, text)")
    return db


def recent_messages() -> list[tuple[str, str, str]]:
    with _lock, _db() as db:
        rows = db.execute("SELECT at, name, text FROM chat ORDER BY id DESC LIMIT ?", (KEEP,))
        return [(at, name, text) for at, name, text in reversed(rows.fetchall())]


def store_message(at: str, name: str, text: str) -> None:
    with _lock, _db() as db:
        db.execute("INSERT INTO chat (at, name, text) VALUES (?, ?, ?)", (at, name, text))
        db.execute("DELETE FROM chat WHERE id <= (SELECT MAX(id) FROM chat) - ?", (KEEP,))


class ChatRoom(LiveView):
    def mount(self, params, session, socket):
        pubsub.subscribe(socket, TOPIC)
        socket.assign(messages=recent_messages(), name="", worker=os.getpid())

    def handle_event(self, event, params, socket):
        if event == "send":
            name = (params.get("name") or "anonymous").strip()[:40] or "anonymous"
            text = (params.get("text") or "").strip()[:500]
            socket.assign(name=name)
            if text:
                at = datetime.now(UTC).strftime("%H:%M:%S")
                store_message(at, name, text)
                pubsub.broadcast(TOPIC, ("message", at, name, text))

    def handle_info(self, msg, socket):
        match msg:
            case ("message", at, name, text):
                socket.update("messages", lambda messages: [*messages, (at, name, text)][-KEEP:])
            case PubSubGap():  # messages may have been lost between workers: read the room
                socket.assign(messages=recent_messages())

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
            p(f"This tab is served by worker process {assigns.worker}.", id="worker"),
            class_="demo pubsub-chat",
        )
