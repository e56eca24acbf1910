"""Slot arguments: a table component that owns the rows and asks the caller how
to render each one.

A slot that needs data from the component is a callable: ``col=lambda user: [td(...), ...]`` is
LiveView's ``<:col :let={user}>``; the table calls it for every row (``render_slot(@col, row)``).
The ``header`` slot is plain content.
"""

from pylive import LiveComponent, LiveView, live_component
from pylive.html import button, div, table, tbody, td, th, thead, tr


class TableComponent(LiveComponent):
    def render(self, assigns):
        return table(
            thead(tr(assigns.header)),
            tbody(*[tr(assigns.col(row), key=row["id"]) for row in assigns.rows]),
            id=assigns.id,
        )


class UsersPage(LiveView):
    def mount(self, params, session, socket):
        users = [
            {"id": 1, "name": "Alice", "email": "alice@example.com"},
            {"id": 2, "name": "Bob", "email": "bob@example.com"},
        ]
        socket.assign(users=users)

    def handle_event(self, event, params, socket):
        if event == "add":
            users = socket.assigns.users
            n = len(users) + 1
            user = {"id": n, "name": f"User {n}", "email": f"user{n}@example.com"}
            socket.assign(users=[*users, user])

    def render(self, assigns):
        return div(
            live_component(
                TableComponent,
                id="users-table",
                rows=assigns.users,
                header=[th("ID"), th("Name"), th("Email")],
                col=lambda user: [td(user["id"]), td(user["name"]), td(user["email"])],
            ),
            button("Add user", id="add", phx_click="add"),
            class_="demo users-table",
        )
