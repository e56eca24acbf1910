"""Test-only views for the navigation e2e suite: a tall list page (patch links through five
pages, so scroll positions can be told apart), a second view of the same live session, and an
admin view in another live session."""

from __future__ import annotations

from typing import Any

from pylive import App, LiveView, link
from pylive.html import button, div, li, p, ul


class Pages(LiveView):
    def mount(self, params: Any, session: Any, socket: Any) -> None:
        socket.assign(clicks=0)

    def handle_params(self, params: dict[str, Any], uri: str, socket: Any) -> None:
        page = int(params.get("page", "1"))
        socket.assign(page=page, page_title=f"Page {page}")

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        if event == "inc":
            socket.update("clicks", lambda n: n + 1)
        elif event == "jump":
            socket.push_patch(f"/pages?page={params['page']}")
        elif event == "other":
            socket.put_flash("info", "Came from pages")
            socket.push_navigate("/other")

    def render(self, assigns: Any) -> Any:
        page = assigns.page
        return div(
            p(f"page {page}, clicks {assigns.clicks}", id="state"),
            button("+", phx_click="inc", id="inc"),
            button("Jump to 4", phx_click="jump", phx_value_page="4", id="jump"),
            button("Other (server)", phx_click="other", id="server-other"),
            ul([li(f"row {page}.{n}", key=str(n)) for n in range(120)], id="rows"),
            p(  # fixed: clicking a link does not scroll the page to it
                [link(f"Page {n}", patch=f"/pages?page={n}", id=f"to-{n}") for n in range(1, 6)],
                link("Other", navigate="/other", id="to-other"),
                link("Admin", navigate="/admin", id="to-admin"),
                id="links",
                style="position: fixed; top: 0; right: 0; background: white",
            ),
        )


class Other(LiveView):
    def mount(self, params: Any, session: Any, socket: Any) -> None:
        socket.assign(page_title="Other")

    def render(self, assigns: Any) -> Any:
        return div(
            p("the other view", id="other"),
            link("Back to pages", navigate="/pages?page=1", id="to-pages"),
        )


class Admin(LiveView):
    def render(self, assigns: Any) -> Any:
        return p("admin area", id="admin")


def nav_app() -> App:
    app = App(secret_key="navigation-e2e-secret-0123456789")
    app.live("/pages", Pages)
    app.live("/other", Other)
    with app.live_session("admin"):
        app.live("/admin", Admin)
    return app
