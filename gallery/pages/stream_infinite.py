"""Infinite scroll: a feed of 300 posts (in SQLite) loaded 20 at a time as you scroll, both ways,
with at most 60 in the page. ``phx_viewport_bottom="next-page"`` sends an event when the last
post comes into view, ``phx_viewport_top="prev-page"`` when the first one does, with that post's
DOM id; the view loads the 20 posts after (or before) it — keyset pagination, no page counter to
drift — as a ``stream`` insert with ``at`` and ``limit``, so the browser drops the posts furthest
away and the server keeps none of them. Scrolling back up past the top of what is left (the
event then carries ``_overran: true``) starts again from the first post, with ``reset=True``.
"No posts yet" is a child no stream inserted: it stays after the posts.

Try this: scroll down the feed past post 60 (post 1 is pruned), then back up; the list does not
jump as posts come and go.
"""

import sqlite3

from pylive import LiveView
from pylive.html import article, div, h3, li, p, ul

PER_PAGE = 20
KEEP = 3 * PER_PAGE
POSTS = 300

db = sqlite3.connect(":memory:", check_same_thread=False)
db.execute("create table posts (id integer primary key, author text, body text)")
db.executemany(
    "insert into posts values (?, ?, ?)",
    [(n, f"author {n % 7 + 1}", f"Post number {n}.") for n in range(1, POSTS + 1)],
)


def posts_after(post_id, limit=PER_PAGE):
    rows = db.execute(
        "select id, author, body from posts where id > ? order by id limit ?", (post_id, limit)
    )
    return [{"id": id, "author": author, "body": body} for id, author, body in rows]


def posts_before(post_id, limit=PER_PAGE):
    """The ``limit`` posts before ``post_id``, nearest first (the order they are prepended)."""
    rows = db.execute(
        "select id, author, body from posts where id < ? order by id desc limit ?",
        (post_id, limit),
    )
    return [{"id": id, "author": author, "body": body} for id, author, body in rows]


def post_id(params):
    """The post id of the event's ``id`` (``"posts-21"`` → 21), or None."""
    dom_id = params.get("id")
    if isinstance(dom_id, str) and dom_id.startswith("posts-") and dom_id[6:].isdigit():
        return int(dom_id[6:])
    return None


class InfiniteFeed(LiveView):
    def mount(self, params, session, socket):
        socket.assign(first=0, last=0, end_of_timeline=False)
        socket.stream("posts", [])
        self.first_page(socket)

    def render(self, assigns):
        first, last, end = assigns.first, assigns.last, assigns.end_of_timeline
        return div(
            p(f"Showing posts {first}–{last}", id="feed-range"),
            div(
                ul(
                    li("No posts yet.", id="posts-empty", class_="only-child"),
                    [
                        li(article(h3(post["author"]), p(post["body"])), id=dom_id, class_="post")
                        for dom_id, post in assigns.streams.posts
                    ],
                    id="posts",
                    phx_update="stream",
                    phx_viewport_top=first > 1 and "prev-page",
                    phx_viewport_bottom=not end and "next-page",
                    class_="feed",
                    style=f"padding-top: {'0' if first <= 1 else '150vh'};"
                    f" padding-bottom: {'2rem' if end else '150vh'}",
                ),
                id="feed-scroll",
                class_="feed-scroll",
            ),
            class_="demo stream-infinite",
        )

    def handle_event(self, event, params, socket):
        shown = post_id(params)
        if event == "prev-page" and params.get("_overran") is True:
            self.first_page(socket)  # past the top of what is left: start again
        elif event == "next-page" and shown is not None:
            posts = posts_after(shown)
            if not posts:
                socket.assign(end_of_timeline=True)
                return
            socket.stream("posts", posts, at=-1, limit=-KEEP)  # keep the last 60
            last = posts[-1]["id"]
            socket.assign(last=last, first=max(socket.assigns.first, last - KEEP + 1))
        elif event == "prev-page" and shown is not None:
            posts = posts_before(shown)
            if not posts:
                return
            socket.stream("posts", posts, at=0, limit=KEEP)  # keep the first 60
            first = posts[-1]["id"]
            socket.assign(
                first=first,
                last=min(socket.assigns.last, first + KEEP - 1),
                end_of_timeline=False,
            )

    def first_page(self, socket):
        posts = posts_after(0)
        socket.stream("posts", posts, reset=True)
        socket.assign(first=posts[0]["id"], last=posts[-1]["id"], end_of_timeline=False)
