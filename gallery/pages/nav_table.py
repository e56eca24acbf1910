"""Navigation: a paginated table with patch links. Each page link is a
``link(patch="?page=N")``: clicking one runs ``handle_params``, which reads ``page`` from the URL
and loads that slice of the table from SQLite (``LIMIT``/``OFFSET``); the view is never mounted
again, so the row you selected stays selected across pages. "First" and "Last" replace the
history entry (``replace=True``) instead of adding one.

Try this: select a row, go to page 3 with the links, press back twice, then "Last".
"""

import sqlite3

from pylive import LiveView, link
from pylive.html import button, div, nav, p, table, tbody, td, th, thead, tr

PATH = "/nav/table"
PER_PAGE = 5

db = sqlite3.connect(":memory:", check_same_thread=False)
db.execute("create table planets (id integer primary key, name text, moons integer)")
NAMES = ["Mercury", "Venus", "Earth", "Mars", "Ceres", "Jupiter", "Saturn", "Uranus", "Neptune",
         "Pluto", "Haumea", "Makemake", "Eris", "Sedna", "Gonggong", "Quaoar", "Orcus",
         "Salacia", "Varda", "Ixion", "Varuna", "Chaos"]  # fmt: skip
db.executemany(
    "insert into planets (name, moons) values (?, ?)",
    [(name, (index * 7) % 13) for index, name in enumerate(NAMES)],
)
TOTAL = db.execute("select count(*) from planets").fetchone()[0]
LAST = (TOTAL + PER_PAGE - 1) // PER_PAGE


def load_page(page):
    return db.execute(
        "select id, name, moons from planets order by id limit ? offset ?",
        (PER_PAGE, (page - 1) * PER_PAGE),
    ).fetchall()


def page_number(value):
    return int(value) if isinstance(value, str) and value.isdigit() else 1


class TablePage(LiveView):
    def mount(self, params, session, socket):
        socket.assign(selected=None)

    def handle_params(self, params, uri, socket):
        page = min(max(page_number(params.get("page")), 1), LAST)
        socket.assign(page=page, rows=load_page(page))

    def handle_event(self, event, params, socket):
        if event == "select":
            socket.assign(selected=params.get("id"))

    def render(self, assigns):
        page = assigns.page
        return div(
            table(
                thead(tr(th("#"), th("Name"), th("Moons"), th(""))),
                tbody(
                    [
                        tr(
                            td(str(row_id)),
                            td(name),
                            td(str(moons)),
                            td(
                                button(
                                    "Selected" if str(row_id) == assigns.selected else "Select",
                                    phx_click="select",
                                    phx_value_id=str(row_id),
                                )
                            ),
                            key=row_id,
                            class_="selected" if str(row_id) == assigns.selected else None,
                        )
                        for row_id, name, moons in assigns.rows
                    ],
                    id="rows",
                ),
            ),
            nav(
                link("First", patch=f"{PATH}?page=1", replace=True, id="first"),
                [
                    link(
                        str(n),
                        patch=f"{PATH}?page={n}",
                        id=f"page-{n}",
                        aria_current="page" if n == page else None,
                    )
                    for n in range(1, LAST + 1)
                ],
                link("Last", patch=f"{PATH}?page={LAST}", replace=True, id="last"),
                class_="pages",
            ),
            p(f"Page {page} of {LAST}", id="where"),
            class_="demo nav-table",
        )
