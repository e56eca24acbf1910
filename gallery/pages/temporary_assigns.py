"""Temporary assigns and append containers: a server log (5,000 lines in SQLite) loaded 50 lines
at a time, two ways side by side. On the left, LiveView's first answer: ``logs`` is a temporary
assign (``socket.temporary_assigns(logs=[])`` in mount), so after each render it goes back to
``[]``, and its container has ``phx_update="append"``, so the browser keeps the lines it has and
adds each new page after them. On the right, the stream version: ``socket.stream`` sends each
line once and the server keeps none. Either way the server's memory stays flat however many
pages you load; only the browser's list grows.

Try this: press "Load more" a few times on each side; the older lines stay, the new page joins
them at the end, and the count the server holds stays at 0.
"""

import sqlite3

from pylive import LiveView
from pylive.html import button, div, h2, p, section, span

PER_PAGE = 50
LINES = 5_000
LEVELS = ("info", "info", "info", "debug", "warning", "info", "error")

db = sqlite3.connect(":memory:", check_same_thread=False)
db.execute("create table logs (id integer primary key, timestamp text, level text, message text)")
db.executemany(
    "insert into logs values (?, ?, ?, ?)",
    [
        (n, f"12:{n // 60 % 60:02}:{n % 60:02}", LEVELS[n % 7], f"request {n} handled")
        for n in range(1, LINES + 1)
    ],
)


def list_logs(page, per_page=PER_PAGE):
    rows = db.execute(
        "select id, timestamp, level, message from logs order by id limit ? offset ?",
        (per_page, (page - 1) * per_page),
    )
    return [
        {"id": id, "timestamp": timestamp, "level": level, "message": message}
        for id, timestamp, level, message in rows
    ]


def log_line(log, dom_id):
    return div(
        span(log["timestamp"], class_="timestamp"),
        span(log["level"], class_=f"level {log['level']}"),
        span(log["message"], class_="message"),
        id=dom_id,
        class_="log-entry",
    )


class LogsPage(LiveView):
    def mount(self, params, session, socket):
        # The first version: a page of logs, temporary, in an append container.
        socket.assign(page=1, logs=list_logs(1))
        socket.temporary_assigns(logs=[])
        # The stream version: the same first page, sent once.
        socket.assign(stream_page=1)
        socket.stream("logs", list_logs(1))

    def handle_event(self, event, params, socket):
        if event == "load_more":
            socket.update("page", lambda page: page + 1)
            socket.assign(logs=list_logs(socket.assigns.page))
        elif event == "stream_load_more":
            socket.update("stream_page", lambda page: page + 1)
            socket.stream("logs", list_logs(socket.assigns.stream_page))

    def render(self, assigns):
        return div(
            section(
                h2('Temporary assigns, phx-update="append"'),
                status("append-status", assigns.page, len(assigns.logs)),
                div(id="logs-container", phx_update="append", class_="log-list")[
                    [log_line(log, f"log-{log['id']}") for log in assigns.logs]
                ],
                button("Load more", id="load-more", phx_click="load_more"),
                class_="log-panel",
            ),
            section(
                h2("A stream"),
                status("stream-status", assigns.stream_page, len(assigns.streams.logs)),
                div(id="logs", phx_update="stream", class_="log-list")[
                    [log_line(log, dom_id) for dom_id, log in assigns.streams.logs]
                ],
                button("Load more", id="stream-load-more", phx_click="stream_load_more"),
                class_="log-panel",
            ),
            class_="demo temporary-assigns",
        )


def status(dom_id, page, rendering):
    """What the browser shows and what the server holds: rows ``rendering`` now, none after."""
    return p(
        f"{page * PER_PAGE} lines in your browser (page {page}); this render sends {rendering}, "
        "and the server holds 0 once it is sent",
        id=dom_id,
    )
