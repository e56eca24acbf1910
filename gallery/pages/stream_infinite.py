"""Infinite scroll: a feed of 300 posts (in SQLite) loaded 20 at a time as you scroll, both ways,
with at most 60 in the page. ``phx_viewport_bottom="next-page"`` sends an event when the last
post comes into view, ``phx_viewport_top="prev-page"`` when the first one does; each page is a
``stream`` insert with ``at`` and ``limit``, so the browser drops the posts furthest away and the
server keeps none of them. Scrolling back up past the top of what is left (the event then
carries ``_overran: true``) starts again from page 1, with ``reset=True``. "No posts yet" is a
child no stream inserted: it stays after the posts.

Try this: scroll down the feed past post 60 (the first page is pruned: post 1 is gone), then back
up; the list does not jump as posts come and go.
"""

import sqlite3

from pylive import LiveView
from pylive.html import article, div, h3, li, p, ul

PER_PAGE = 20
POSTS = 300

db = sqlite3.connect(":memory:", check_same_thread=False)
db.execute("create table posts (id integer primary key, author text, body text)")
db.executemany(
    "insert into posts values (?, ?, ?)",
    [(n, f"author {n % 7 + 1}", f"Post number {n}.") for n in range(1, POSTS + 1)],
)


def list_posts(offset, limit):
    rows = db.execute(
        "select id, author, body from posts order by id limit ? offset ?", (limit, offset)
    )
    return [{"id": id, "author": author, "body": body} for id, author, body in rows]


class InfiniteFeed(LiveView):
    def mount(self, params, session, socket):
        socket.assign(page=1, per_page=PER_PAGE, end_of_timeline=False)
        socket.stream("posts", [])
        self.paginate_posts(socket, 1)

    def render(self, assigns):
        page, end = assigns.page, assigns.end_of_timeline
        return div(
            p(f"Page {page}", id="feed-page"),
            div(
                ul(
                    li("No posts yet.", id="posts-empty", class_="only-child"),
                    [
                        li(
                            article(h3(post["author"]), p(post["body"])),
                            id=dom_id,
                            class_="post",
                        )
                        for dom_id, post in assigns.streams.posts
                    ],
                    id="posts",
                    phx_update="stream",
                    phx_viewport_top=page > 1 and "prev-page",
                    phx_viewport_bottom=not end and "next-page",
                    class_="feed",
                    style=f"padding-top: {'0' if page == 1 else '150vh'};"
                    f" padding-bottom: {'2rem' if end else '150vh'}",
                ),
                id="feed-scroll",
                class_="feed-scroll",
            ),
            class_="demo stream-infinite",
        )

    def handle_event(self, event, params, socket):
        if event == "next-page":
            self.paginate_posts(socket, socket.assigns.page + 1)
        elif event == "prev-page" and params.get("_overran") is True:
            # Past the top of what is left: start again from page 1, not below stale posts.
            socket.assign(page=1)
            socket.stream("posts", list_posts(0, socket.assigns.per_page), reset=True)
        elif event == "prev-page" and socket.assigns.page > 1:
            self.paginate_posts(socket, socket.assigns.page - 1)

    def paginate_posts(self, socket, new_page):
        per_page, page = socket.assigns.per_page, socket.assigns.page
        posts = list_posts((new_page - 1) * per_page, per_page)
        if new_page >= page:
            at, limit = -1, -per_page * 3  # appended: keep the last three pages
        else:
            posts.reverse()  # prepended one by one: reversed, they end in order
            at, limit = 0, per_page * 3  # keep the first three pages
        if not posts:
            socket.assign(end_of_timeline=at == -1)
        else:
            socket.assign(end_of_timeline=False, page=new_page)
            socket.stream("posts", posts, at=at, limit=limit)
