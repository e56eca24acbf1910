"""JS commands — push and navigate: LiveView's classic example of ``JS.push``, ``JS.hide``,
``JS.navigate`` and ``JS.patch``, ported to pylive.

Each Delete button runs ``JS().push("delete_user", value={"id": ...}).hide(to="#user-<id>")``:
the event goes to the server and the row disappears at once, before the answer (an optimistic
update). New rows fade in through ``phx_mounted`` and removed rows fade out through
``phx_remove``: the browser keeps a removed row on the page until its transition ends.
``JS().toggle(to="#details")`` shows and hides a box with no round trip. ``JS().patch`` goes to
this page with a query that ``handle_params`` reads (the view stays mounted), ``JS().navigate``
goes to another page of the gallery, mounted over the same websocket: neither loads the page.

Try this: delete a user, add one and remove the last; show only the active users; open the
details box.
"""

from pylive import JS, LiveView
from pylive.html import button, div, li, p, span, ul

PATH = "/js/push-navigate"
USERS = [(1, "Ada Lovelace", True), (2, "Alan Turing", False), (3, "Grace Hopper", True)]
NEW_NAMES = ["Edsger Dijkstra", "Barbara Liskov", "Donald Knuth", "Frances Allen", "Ken Thompson"]

FADE_IN = JS().transition(("fade-in duration-300", "opacity-0", "opacity-100"), time=300)
FADE_OUT = JS().hide(transition=("fade-out duration-300", "opacity-100", "opacity-0"), time=300)


def delete(user_id):
    return JS().push("delete_user", value={"id": user_id}).hide(to=f"#user-{user_id}")


class UsersPage(LiveView):
    def mount(self, params, session, socket):
        socket.assign(users=list(USERS), next_id=len(USERS) + 1, filter="all")

    def handle_params(self, params, uri, socket):
        socket.assign(filter="active" if params.get("filter") == "active" else "all")

    def render(self, assigns):
        users = [u for u in assigns.users if assigns.filter == "all" or u[2]]
        return div(
            div(
                button("All users", id="show-all", phx_click=JS().patch(PATH)),
                button(
                    "Active users", id="show-active", phx_click=JS().patch(f"{PATH}?filter=active")
                ),
                button("Go to the counter", id="go-counter", phx_click=JS().navigate("/counter")),
                class_="toolbar",
            ),
            p(
                "For now JS patch and navigate load the page in full; live navigation, "
                "without a reload, comes in a later pylive.",
                class_="note",
            ),
            p(f"Showing: {assigns.filter} users", id="filter"),
            ul(
                [
                    li(
                        span(name, class_="name"),
                        span("active" if active else "away", class_="status"),
                        button("Delete", id=f"delete-{user_id}", phx_click=delete(user_id)),
                        id=f"user-{user_id}",
                        class_="user-row",
                        phx_mounted=FADE_IN,
                        phx_remove=FADE_OUT,
                    )
                    for user_id, name, active in users
                ],
                id="users",
                class_="users",
            ),
            button("Add user", id="add-user", phx_click="add_user"),
            button("Remove last", id="remove-last", phx_click="remove_last"),
            button("Details", id="toggle-details", phx_click=JS().toggle(to="#details")),
            div(
                p("Rows leave with a fade (phx_remove), arrive with one (phx_mounted)."),
                p(f"{len(assigns.users)} users on the server."),
                id="details",
                class_="details",
                style="display: none",
            ),
            class_="demo js-push-navigate",
        )

    def handle_event(self, event, params, socket):
        if event == "delete_user":
            user_id = int(params["id"])
            socket.assign(users=[u for u in socket.assigns.users if u[0] != user_id])
        elif event == "add_user":
            n = socket.assigns.next_id
            name = NEW_NAMES[(n - len(USERS) - 1) % len(NEW_NAMES)]
            socket.assign(users=[*socket.assigns.users, (n, name, True)], next_id=n + 1)
        elif event == "remove_last":
            socket.assign(users=socket.assigns.users[:-1])
