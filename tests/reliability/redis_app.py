"""The app the Redis PubSub tests serve with ``python -m pylive run redis_app:app --workers 2``:
a board whose value lives in SQLite (``$BOARD_DB``) and whose changes are broadcast through
``RedisPubSub($PYLIVE_REDIS_URL)``. Each view shows the worker it lives in, the value it shows
and how many gap notices it got (after each, it reads the value again)."""

from __future__ import annotations

import os
import sqlite3
from typing import Any

from pylive import App, Limits, LiveView, pubsub
from pylive.html import button, div, p
from pylive.pubsub import PubSubGap
from pylive.pubsub_redis import RedisPubSub

TOPIC = "board"


def read_value() -> int:
    with sqlite3.connect(os.environ["BOARD_DB"]) as db:
        db.execute("CREATE TABLE IF NOT EXISTS board (id INTEGER PRIMARY KEY, value INTEGER)")
        row = db.execute("SELECT value FROM board WHERE id = 1").fetchone()
    return int(row[0]) if row else 0


def write_value(value: int) -> None:
    with sqlite3.connect(os.environ["BOARD_DB"]) as db:
        db.execute("CREATE TABLE IF NOT EXISTS board (id INTEGER PRIMARY KEY, value INTEGER)")
        db.execute("INSERT OR REPLACE INTO board (id, value) VALUES (1, ?)", (value,))


class Board(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        pubsub.subscribe(socket, TOPIC)
        socket.assign(value=read_value(), gaps=0, pid=os.getpid())

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        value = int(params["v"])
        if event == "set":
            write_value(value)
            pubsub.broadcast(TOPIC, ("value", value))
        elif event == "local":
            pubsub.local_broadcast(TOPIC, ("value", value))

    def handle_info(self, msg: Any, socket: Any) -> None:
        match msg:
            case PubSubGap():
                socket.assign(value=read_value(), gaps=socket.assigns.gaps + 1)
            case ("value", value):
                socket.assign(value=value)

    def render(self, assigns: Any) -> Any:
        return div(
            p(f"pid:{assigns.pid}", id="pid"),
            p(f"value:{assigns.value}", id="value"),
            p(f"gaps:{assigns.gaps}", id="gaps"),
            button("set", id="set", phx_click="set"),
        )


app = App(
    secret_key="redis pubsub tests secret, long enough",
    # every test session comes from 127.0.0.1: 500 of them in waves are not a flood
    limits=Limits(websocket_connects_per_second=1000.0, websocket_connect_burst=1000),
    pubsub=RedisPubSub(os.environ.get("PYLIVE_REDIS_URL", "redis://127.0.0.1:6379/0")),
)
app.live("/", Board)
