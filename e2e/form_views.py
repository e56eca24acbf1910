"""Test-only views for the forms e2e suite: used-field errors, submit lifecycle, trigger-action to
a real POST handler, and recovery after a server restart (three kinds of form)."""

from __future__ import annotations

import asyncio
from typing import Any

from markupsafe import escape

from pylive import App, LiveComponent, LiveView, live_component
from pylive.html import button, div, form, input, li, p, ul
from pylive.http import HttpRequest

POSTS: list[dict[str, Any]] = []
"""What the POST handler received, for the tests to read."""


def shown_errors(params: dict[str, Any]) -> list[str]:
    """Errors of the used fields only (a field is unused while ``_unused_<name>`` is sent)."""
    errors = []
    if "_unused_email" not in params and "@" not in params.get("email", ""):
        errors.append("email: must have the @ sign")
    if "_unused_name" not in params and len(params.get("name", "")) < 2:
        errors.append("name: too short")
    return errors


class Signup(LiveView):
    def mount(self, params: Any, session: Any, socket: Any) -> None:
        socket.assign(values={}, errors=[], trigger=False, saves=0)

    def render(self, assigns: Any) -> Any:
        values = assigns.values
        return div(
            form(
                input(type="text", name="name", id="name", value=values.get("name", "")),
                input(type="text", name="email", id="email", value=values.get("email", "")),
                input(type="hidden", name="source", value="e2e"),
                button(
                    "Sign up",
                    id="save",
                    name="intent",
                    value="signup",
                    phx_disable_with="Saving…",
                ),
                id="signup",
                action="/signed_up",
                method="post",
                phx_change="validate",
                phx_submit="save",
                phx_trigger_action=assigns.trigger,
            ),
            ul([li(error) for error in assigns.errors], id="errors"),
            p(f"saves={assigns.saves}", id="saves"),
        )

    async def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        if event == "validate":
            socket.assign(values=params, errors=shown_errors(params))
        elif event == "save":
            await asyncio.sleep(float(params.get("delay", 0.3)))  # long enough to see the lock
            socket.update("saves", lambda n: n + 1)
            errors = shown_errors({k: v for k, v in params.items() if k != "_target"})
            socket.assign(values=params, errors=errors, trigger=not errors)


class Todos(LiveView):
    """Submitting with Enter adds one todo and clears the field (the server renders it empty)."""

    def mount(self, params: Any, session: Any, socket: Any) -> None:
        socket.assign(todos=[])

    def render(self, assigns: Any) -> Any:
        return div(
            form(
                input(type="text", name="text", id="text", value="", autocomplete="off"),
                id="todo-form",
                phx_submit="add",
            ),
            ul([li(text) for text in assigns.todos], id="todos"),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        if params.get("text"):
            socket.update("todos", lambda todos: [*todos, params["text"]])


class Notes(LiveComponent):
    def mount(self, socket: Any) -> None:
        socket.assign(seen={})

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        socket.assign(seen=params)

    def render(self, assigns: Any) -> Any:
        seen = assigns.seen
        return div(
            form(
                input(type="text", name="note", id="note", value=seen.get("note", "")),
                input(type="text", name="tag", id="tag", value=seen.get("tag", "")),
                id="notes-form",
                phx_change="notes",
                phx_target=assigns.myself,
            ),
            p(f"notes sees {sorted(seen.items())}", id="notes-seen"),
            id=assigns.id,
        )


class Recovery(LiveView):
    """Three forms the client must recover after the server restarts: a plain one, one whose
    inputs carry their own phx-change, and one inside a live component."""

    def mount(self, params: Any, session: Any, socket: Any) -> None:
        socket.assign(plain={}, own={})

    def render(self, assigns: Any) -> Any:
        plain, own = assigns.plain, assigns.own
        return div(
            form(
                input(type="text", name="city", id="city", value=plain.get("city", "")),
                input(type="text", name="zip", id="zip", value=plain.get("zip", "")),
                id="plain-form",
                phx_change="plain",
            ),
            p(f"plain sees {sorted(plain.items())}", id="plain-seen"),
            form(
                input(
                    type="text",
                    name="first",
                    id="first",
                    value=own.get("first", ""),
                    phx_change="own",
                ),
                input(
                    type="text", name="last", id="last", value=own.get("last", ""), phx_change="own"
                ),
                id="own-form",
            ),
            p(f"own sees {sorted(own.items())}", id="own-seen"),
            live_component(Notes, id="notes"),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        fields = {k: v for k, v in params.items() if not k.startswith("_")}
        if event == "plain":
            socket.assign(plain=fields)
        elif event == "own":
            socket.assign(own={**socket.assigns.own, **fields})


def signed_up(request: HttpRequest) -> Any:
    POSTS.append(request.form)
    name = escape(request.form.get("name", "?"))
    return f"<link rel='icon' href='data:,'><p id='welcome'>Welcome, {name}</p>"


def forms_app() -> App:
    app = App(
        secret_key="e2e-secret-key-0123456789",
        title="e2e forms",
        head='<link rel="icon" href="data:,">',
    )
    app.live("/signup", Signup)
    app.live("/todos", Todos)
    app.live("/recover", Recovery)
    app.post("/signed_up", signed_up)
    return app
