"""Live navigation on a connection (docs/protocol.md, "Live navigation"): the client's
``navigate`` frames (a live link, a JS navigate/patch, back and forward) and what a callback asked
for with ``push_patch``/``push_navigate``. Mixed into ``pylive.session.Connection``.

- A **patch** stays in the view: the URL's route must mount the same view class; its
  ``live_action`` and params change and ``handle_params`` runs, then the view renders as after an
  event (a server-made patch says so with ``"nav"`` in its frame).
- A **navigate** ends the view and mounts the route's view on the same connection, with the
  same session, when the route is in the same live session (``app.live_session``): the reply
  carries its tree and the join token the client rejoins with later.
- Anything else (another live session, no live route) is a full page load: a ``redirect`` frame.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urljoin, urlsplit

from pylive import lifecycle
from pylive.app import App
from pylive.exceptions import InvalidParams
from pylive.frames import Navigate
from pylive.http_session import dump_flash
from pylive.navigation import Nav
from pylive.protocol import KEY_ERROR, KEY_NAV, KEY_TOKEN, MSG_REDIRECT
from pylive.routing import Route
from pylive.view_render import url_params

log = logging.getLogger("pylive")

MAX_HOPS = 8
"""Patches in a row one callback may cause (a ``handle_params`` patching again …): past it the
view crashes rather than loop."""


def local_of(url: str) -> str:
    """The path and query of an absolute URL: what a page load of it asks this site for."""
    split = urlsplit(url)
    return (split.path or "/") + (f"?{split.query}" if split.query else "")


def redirect_frame(app: App, ref: int | None, to: str, socket: Any) -> dict[str, Any]:
    """The frame that sends the page to ``to`` over HTTP (``external`` when it is another
    site's URL), with the flash of ``socket`` (None: none) for that page (``flash``: the token
    client.js puts in the flash cookie)."""
    frame: dict[str, Any] = {"type": MSG_REDIRECT, "to": to}
    if ref is not None:
        frame["ref"] = ref
    if not to.startswith("/"):
        frame["external"] = True
    elif socket is not None and socket.assigns["flash"]:
        frame["flash"] = dump_flash(app, socket.assigns["flash"])
    return frame


class LiveNavigation:
    """``Connection``'s navigation, over what the connection provides."""

    app: App
    live: Any
    send: Callable[[dict[str, Any]], Awaitable[None]]
    flush: Callable[..., Awaitable[None]]
    crash: Callable[..., Awaitable[None]]
    end: Callable[[str], Awaitable[None]]
    start_view: Callable[..., Awaitable[None]]

    async def navigate(self, ref: int, message: Navigate) -> None:
        """The client went to ``message["url"]``: patch the view, mount another, or load it."""
        live = self.live
        if live is None or not live.alive:
            await self.send({"ref": ref, KEY_ERROR: "no live view joined on this connection"})
            return
        url = message["url"]
        split = urlsplit(url)
        if split.scheme not in ("http", "https") or not split.netloc:
            await self.send(
                {"ref": ref, KEY_ERROR: f"navigate: expected an absolute URL, got {url!r}"}
            )
            return
        async with live.turn():
            if not live.alive or self.live is not live:
                await self.send({"ref": ref, KEY_ERROR: "the view has closed"})
                return
            found = self.app.match(split.path or "/")
            if (
                found is not None
                and message["kind"] == "patch"
                and found[0].view is type(live.view)
            ):
                try:
                    await self._patch(live, url, found[0], found[1])
                    await self.flush(live, ref, None)
                except InvalidParams as error:
                    await self.send({"ref": ref, KEY_ERROR: str(error)})
                except Exception:
                    await self.crash(live, f"handle_params (live patch to {url!r})", ref)
                return
            await self._leave_for(live, ref, url, None)

    async def follow_nav(self, live: Any, ref: int | None, reply: Any) -> tuple[bool, Nav | None]:
        """After a callback: follow the ``push_patch``/``push_navigate`` it asked for.
        ``(True, None)``: the view is gone (another mounted, or a page load), its frame sent;
        ``(False, nav)``: patched in place (``nav`` goes in the frame), or nothing asked."""
        socket = live.socket
        patched: Nav | None = None
        for _ in range(MAX_HOPS):
            nav = socket._nav
            if nav is None or socket.redirect_to is not None:
                socket._nav = None
                return False, patched
            socket._nav = None
            url = urljoin(live.url, nav.to)
            found = self.app.match(urlsplit(url).path or "/")
            if nav.kind == "patch" and found is not None and found[0].view is type(live.view):
                await self._patch(live, url, found[0], found[1])
                patched = nav if patched is None else Nav("patch", nav.to, patched.replace)
                continue
            await self._leave_for(live, ref, url, nav)
            return True, None
        raise RuntimeError(
            f"{live.name}: more than {MAX_HOPS} live patches in a row (does handle_params "
            "push_patch again and again?)"
        )

    async def _patch(self, live: Any, url: str, route: Route, path_params: dict[str, str]) -> None:
        """The view's URL becomes ``url`` (of ``route``): live_action, then ``handle_params``."""
        params = url_params(urlsplit(url).query, path_params)
        live.url = url
        live.route = route
        socket = live.socket
        if socket.assigns.get("live_action") != route.action:
            socket.assigns._set("live_action", route.action)
        await lifecycle.handle_params(live.view, params, url, socket)

    async def _leave_for(self, live: Any, ref: int | None, url: str, nav: Nav | None) -> None:
        """The page goes to ``url``, out of this view: the route's view mounted on this
        connection (same live session), else a page load. ``nav``: the server asked for it
        (the client updates its history from the frame)."""
        split = urlsplit(url)
        found = self.app.match(split.path or "/")
        if found is None or found[0].live_session is not live.route.live_session:
            # A callback's navigation takes the flash it put; a link's takes none.
            socket = live.socket if nav is not None else None
            await self.send(redirect_frame(self.app, ref, local_of(url), socket))
            await self.end("redirect")
            return
        route, path_params = found
        try:
            params = url_params(split.query, path_params)
        except InvalidParams as error:
            if ref is not None:
                await self.send({"ref": ref, KEY_ERROR: str(error)})
            return
        session = live.session
        # The flash a callback put goes with its push_navigate; a link's navigation takes none.
        flash = dict(live.socket.assigns.get("flash") or {}) if nav is not None else {}
        await self.end("navigate")
        extra: dict[str, Any] = {
            KEY_TOKEN: self.app.tokens.issue(route.pattern, route.name, session)
        }
        if nav is not None:
            extra[KEY_NAV] = {"kind": "navigate", "to": nav.to, "replace": nav.replace}
        await self.start_view(ref, route, params, url, session, flash, extra)
