"""Mounting and rendering a live view: the steps the HTTP render of a live route
(``dead_render``, the page before the websocket joins) and the live session
(``pylive.session``) share — ``mount`` then ``handle_params`` (a redirect halts), the render in the
app's layout with its temporary assigns reset, its stream containers collected and its live
components resolved, and, with
``App(debug=True)`` or under the test client, the render check of its client hooks.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from pylive import lifecycle
from pylive.app import App
from pylive.client_hooks import check_hooks
from pylive.component_registry import COMPONENT_ATTR, Components
from pylive.exceptions import InvalidReturn
from pylive.lifecycle import name_of as view_name
from pylive.node import Element, Tree, top_level
from pylive.params import decode_query
from pylive.routing import Route
from pylive.socket import Socket
from pylive.view import LiveView


def render_in_layout(app: App, view: LiveView, socket: Socket, route: Route | None = None) -> Tree:
    """The view's render inside its live session's layout (or the app's), checked."""
    layout = (route.live_session.layout if route is not None else None) or app.layout
    return layout(lifecycle.render(view, socket.assigns), socket.assigns)


async def render_view(
    app: App, view: LiveView, socket: Socket, components: Components, route: Route | None = None
) -> Tree | None:
    """Render the view in its layout, put its temporary assigns back to their defaults, collect
    its stream containers (the components collect their own) and resolve the live components it
    places."""
    tree = render_in_layout(app, view, socket, route)
    socket._reset_temporary()
    streams = socket._stream_sources()
    if streams:  # a view without streams is not walked
        components.streams.collect(top_level(tree), streams)
    return await components.resolve_view(tree)


class DeadRender:
    """The result of the HTTP render of a live route: a tree and its join token, or a redirect.

    A ``mount`` or ``handle_params`` that called ``socket.redirect(to)`` halts the render, as in
    LiveView: ``redirect`` is the target, and there is no tree and no token (nothing of the view's
    render may reach the client).
    """

    __slots__ = ("flash", "redirect", "title", "token", "tree")

    def __init__(
        self,
        tree: Tree | None,
        token: str,
        title: str | None,
        redirect: str | None = None,
        flash: dict[str, str] | None = None,
    ) -> None:
        self.tree = tree
        self.token = token
        self.title = title
        self.redirect = redirect
        self.flash = flash or {}
        """With a redirect: the flash the halted mount put, for the page it leads to."""


def url_params(query: str, path_params: dict[str, str]) -> dict[str, Any]:
    """What ``mount`` and ``handle_params`` receive: the query's params, then the path's."""
    return {**decode_query(query), **path_params}


async def mount_view(
    view: LiveView,
    socket: Socket,
    params: dict[str, Any],
    session: dict[str, Any],
    uri: str,
    route: Route | None = None,
) -> str | None:
    """The route's live session's ``on_mount`` hooks, ``mount`` then ``handle_params``, with
    ``assigns.live_action`` set from the route; a redirect (or navigation) asked for by any of
    them halts (no later callback, no render) and its target is returned. An ``on_mount`` that
    halts without asking for one is an ``InvalidReturn``."""
    if route is not None:
        socket.assigns._set("live_action", route.action)
        for hook in route.live_session.on_mount:
            if await lifecycle.on_mount(hook, params, session, socket):
                target = halted_to(socket)
                if target is None:
                    name = getattr(hook, "__qualname__", repr(hook))
                    raise InvalidReturn(
                        f"the on_mount hook {name} of live session "
                        f"{route.live_session.name!r} halted {socket.view_name} without a "
                        "redirect: call socket.redirect(...) or socket.push_navigate(...) "
                        "before returning 'halt'"
                    )
                return target
            if halted_to(socket) is not None:
                return halted_to(socket)
    await lifecycle.mount(view, params, session, socket)
    if halted_to(socket) is None:
        await lifecycle.handle_params(view, params, uri, socket)
    return halted_to(socket)


def halted_to(socket: Socket) -> str | None:
    """Where a mount that asked to leave goes: its redirect, or its patch's or navigation's
    target (before the view is on the page, both are a page load of the target)."""
    if socket.redirect_to is not None:
        return socket.redirect_to
    return None if socket._nav is None else socket._nav.to


def check_rendered(
    app: App, tree: Tree | None, view: str, components: Components, resolve: bool = False
) -> None:
    """The render check (``pylive.client_hooks.check_hooks``) of a view's whole tree, its
    components' elements reported in their own render."""

    def scope(el: Element) -> str | None:
        cid = el.attrs.get(COMPONENT_ATTR)
        if type(cid) is not str or not cid.isdigit():
            return None
        state = components.by_cid.get(int(cid))
        return None if state is None else state.name

    check_hooks(tree, app.hooks, view, scope if components.by_cid else None, resolve=resolve)


async def dead_render(
    app: App,
    route: Route,
    path_params: dict[str, str],
    url: str,
    session: dict[str, Any],
    *,
    check: bool = False,
    flash: dict[str, str] | None = None,
) -> DeadRender:
    """Mount (not connected), handle_params and render: the page before the websocket joins.

    ``url`` is the absolute URL of the request (``handle_params`` receives it as ``uri``). The
    render is checked (``check_rendered``) with ``App(debug=True)`` or ``check`` (the test
    client). ``flash`` (the messages a redirect brought, from the flash cookie) is in the
    socket's flash from the start, and in the join token for the live mount.
    """
    view = route.view()
    socket = Socket(view_name(view))
    if flash:
        socket.assigns._set("flash", dict(flash))
    params = url_params(urlsplit(url).query, path_params)
    redirect = await mount_view(view, socket, params, session, url, route)
    if redirect is not None:
        return DeadRender(None, "", None, redirect, dict(socket.assigns["flash"]))
    # The page gets the stream items, in a collector never released: the tree is dropped after.
    components = Components(None, socket, hooks=app.hooks)
    tree = await render_view(app, view, socket, components, route)
    if check or app.debug:
        check_rendered(app, tree, socket.view_name, components, resolve=True)
    token = app.tokens.issue(route.pattern, route.name, session, flash)
    title = socket.assigns.get("page_title")
    return DeadRender(tree, token, None if title is None else str(title))
