"""Slots: a card component with a ``header`` slot, a body and an optional
``footer`` slot.

Slots are keyword children: ``live_component(CardComponent, p("body"), id=..., header=...,
footer=...)``. The positional children are the default slot, ``assigns.inner_block``. A slot left
out is simply absent, so the card renders its footer only when one was given.
"""

from datetime import datetime

from pylive import LiveComponent, LiveView, live_component
from pylive.html import button, div, h2, p, small


class CardComponent(LiveComponent):
    def render(self, assigns):
        footer = assigns.get("footer")
        return div(
            div(assigns.get("header"), class_="card-header"),
            div(assigns.get("inner_block"), class_="card-body"),
            div(footer, class_="card-footer") if footer is not None else None,
            id=assigns.id,
            class_="card",
        )


class ProfilePage(LiveView):
    def mount(self, params, session, socket):
        socket.assign(user={"name": "Alice", "email": "alice@example.com", "updated_at": "never"})

    def handle_event(self, event, params, socket):
        if event == "touch":
            stamp = datetime.now().strftime("%H:%M:%S")
            socket.assign(user={**socket.assigns.user, "updated_at": stamp})

    def render(self, assigns):
        user = assigns.user
        return div(
            live_component(
                CardComponent,
                p(f"Name: {user['name']}"),
                p(f"Email: {user['email']}"),
                id="user-card",
                header=[h2("User Profile"), button("Edit", id="touch", phx_click="touch")],
                footer=small(f"Last updated: {user['updated_at']}"),
            ),
            live_component(
                CardComponent,
                p("A card given no footer renders none."),
                id="plain-card",
                header=h2("No footer"),
            ),
            class_="demo cards",
        )
