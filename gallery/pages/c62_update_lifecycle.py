"""update() flow: the card loads its user only when ``user_id`` changed.

``update`` runs on the first render and whenever the parent passes different assigns. Here the
parent also passes its render count, so every parent re-render calls ``update``; the card then
checks whether the user it holds is the one asked for and skips the query when it is. (pylive does
not call ``update`` at all when the parent passes equal assigns: that case costs nothing.)
"""

from pylive import LiveComponent, LiveView, live_component
from pylive.html import button, div, h3, p

USERS = {
    1: {"id": 1, "name": "Alice", "email": "alice@example.com"},
    2: {"id": 2, "name": "Bob", "email": "bob@example.com"},
}


class Accounts:
    """A stand-in for the database that counts its queries."""

    def __init__(self):
        self.loads = 0

    def get_user(self, user_id):
        self.loads += 1
        return dict(USERS[user_id])


accounts = Accounts()


class UserCardComponent(LiveComponent):
    def mount(self, socket):
        socket.assign(updates=0, loads=0)

    def update(self, assigns, socket):
        socket.assign(**assigns)
        socket.update("updates", lambda n: n + 1)
        self.maybe_load_user(socket)

    def maybe_load_user(self, socket):
        user_id = socket.assigns.user_id
        user = socket.assigns.get("user")
        if user is not None and user["id"] == user_id:
            return  # already loaded for this id: no query
        socket.assign(user=accounts.get_user(user_id))
        socket.update("loads", lambda n: n + 1)

    def render(self, assigns):
        return div(
            h3(assigns.user["name"]),
            p(assigns.user["email"]),
            p(f"update ran {assigns.updates}×, user loaded {assigns.loads}×", class_="stats"),
            id=assigns.id,
            class_="user-card",
        )


class UserCardPage(LiveView):
    def mount(self, params, session, socket):
        socket.assign(user_id=1, parent_renders=0)

    def render(self, assigns):
        return div(
            live_component(
                UserCardComponent,
                id="user-card",
                user_id=assigns.user_id,
                parent_render=assigns.parent_renders,
            ),
            button("Re-render parent", id="rerender", phx_click="rerender"),
            button("Switch user", id="switch", phx_click="switch"),
            class_="demo user-cards",
        )

    def handle_event(self, event, params, socket):
        if event == "rerender":
            socket.update("parent_renders", lambda n: n + 1)
        elif event == "switch":
            socket.update("user_id", lambda user_id: 2 if user_id == 1 else 1)
