"""``App``: routes, layouts, secrets and limits of a pylive application.

The app is server-agnostic: nothing here imports a server. ``pylive.sanic`` serves it
(``python -m pylive run module:app``, or ``pylive.sanic.serve(app)`` from Python) and
``pylive.testing`` drives it in-process; both run the same session code (``pylive.session``).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import secrets
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from importlib.resources import files
from typing import Any

from pylive.assigns import Assigns
from pylive.client_hooks import Hook, Hooks
from pylive.html import button, div, p
from pylive.http import Handler, HttpRoute
from pylive.limits import Limits as Limits
from pylive.node import Tree, fragment
from pylive.origins import parse_allowed_origins
from pylive.pubsub import RESERVED, LocalPubSub
from pylive.routing import DEFAULT_SESSION, LiveSessionConfig, OnMount, Route, compile_route
from pylive.tokens import CsrfTokens, JoinTokens
from pylive.view import LiveView
from pylive.view_counts import ViewCounts

TWO_WEEKS = 14 * 24 * 3600


NO_FLASH = div(id="flash-group")
"""The empty flash group: one object for every render without flash, so the diff skips it."""


def default_live_layout(content: Tree, assigns: Assigns) -> Tree:
    """The live layout: flash messages above the view. Override with ``App(layout=...)``."""
    flash: dict[str, str] = assigns["flash"]
    if not flash:
        return fragment(NO_FLASH, content)
    return fragment(
        div(
            [
                p(
                    message,
                    button("×", type="button", aria_label="close"),
                    class_=f"flash flash-{kind}",
                    role="alert",
                    phx_click="lv:clear-flash",
                    phx_value_key=kind,
                    key=kind,
                )
                for kind, message in flash.items()
            ],
            id="flash-group",
        ),
        content,
    )


def client_js_path(minified: bool = False) -> Any:
    """The packaged client.js, or its minified build client.min.js (a Traversable)."""
    return files("pylive").joinpath("client.min.js" if minified else "client.js")


class App:
    """A pylive application: ``app.live("/path", View)`` for each page."""

    def __init__(
        self,
        *,
        secret_key: str | bytes | None = None,
        title: str = "pylive",
        layout: Callable[[Tree, Assigns], Tree] = default_live_layout,
        root_layout: Callable[..., str] | None = None,
        allowed_origins: Iterable[str] | None = None,
        session: Callable[[Any], dict[str, Any]] | None = None,
        limits: Limits | None = None,
        token_max_age: int = TWO_WEEKS,
        head: str = "",
        indicators: bool = True,
        debug: bool = False,
        hooks: Iterable[Hook] = (),
        pubsub: LocalPubSub | None = None,
    ) -> None:
        key = secret_key or os.environ.get("PYLIVE_SECRET_KEY")
        if not key:
            key = secrets.token_urlsafe(32)
            self.secret_is_ephemeral = True
        else:
            self.secret_is_ephemeral = False
        if isinstance(key, str) and len(key) < 16:
            raise ValueError("App(secret_key=...): expected at least 16 characters")
        self.secret_key = key
        self.title = title
        self.layout = layout
        self.root_layout = root_layout
        self.allowed_origins = (
            None if allowed_origins is None else parse_allowed_origins(allowed_origins)
        )
        """The origins allowed to open a live websocket; None: the loopback names on the port
        served (``pylive.origins``)."""
        self.session = session
        self.limits = limits or Limits()
        self.tokens = JoinTokens(key, token_max_age)
        self.csrf = CsrfTokens(key)
        self.head = head
        self.indicators = indicators
        """Whether pages get the default progress bar and the disconnected and crash notices
        (``pylive.document.indicators``)."""
        self.debug = debug
        """Debug mode: every render is checked (``pylive.client_hooks.check_hooks``) and every
        event's reply carries its server timing (docs/protocol.md)."""
        self.hooks = Hooks()
        """The client hooks the app serves and its renders may name (``pylive.client_hooks``)."""
        for hook in hooks:
            self.hooks.add(hook, "App(hooks=[...])")
        self.pubsub = pubsub if pubsub is not None else LocalPubSub()
        """Where its views subscribe (``pylive.pubsub``): in process by default."""
        self.live_views = ViewCounts()
        """Its live views now, by view (``pylive.view_counts``; the live dashboard's count)."""
        self.routes: list[Route] = []
        self.live_sessions: dict[str, LiveSessionConfig] = {}
        self._live_socket_ids: dict[str, weakref.WeakSet[Any]] = {}
        """The connections whose view's session has a ``live_socket_id``, by that id."""
        self._ended_elsewhere = _EndedElsewhere(self)
        self.pubsub.subscribe(SESSIONS_TOPIC, self._ended_elsewhere)
        self._live_session = DEFAULT_SESSION  # the one routes are declared in now
        self.http_routes: list[HttpRoute] = []
        """The plain HTTP handlers (``app.get``, ``app.post``, ``app.delete``)."""
        self._client_js: bytes | None = None
        self._client_js_debug = False
        self._client_js_gzip: bytes | None = None

    def live(
        self,
        path: str,
        view: type[LiveView],
        action: str | None = None,
        /,
        *,
        name: str | None = None,
    ) -> None:
        """Serve ``view`` at ``path`` (``"/users/{id}"`` passes ``params["id"]``), with the live
        ``action`` it reads as ``assigns.live_action`` (``app.live("/users/new", UserLive,
        "new")``), in the live session being declared (``live_session``). The hooks of
        ``view.hooks`` are registered; ``url_for`` finds the route by ``name`` (default: the
        view's module and qualified name, and the action), or by view and action."""
        if not (isinstance(view, type) and issubclass(view, LiveView)):
            raise TypeError(f"app.live({path!r}, ...): expected a LiveView subclass, got {view!r}")
        route = compile_route(path, view, name, action, self._live_session)
        for existing in self.routes:
            if existing.pattern == route.pattern:
                raise ValueError(f"app.live: {path!r} is already routed to {existing.name}")
        for handler in self.http_routes:
            if handler.method == "GET" and handler.pattern == route.pattern:
                raise ValueError(f"app.live: GET {path!r} is already handled by {handler.name}")
        self.hooks.add_all(view.hooks, f"{view.__qualname__}.hooks")
        self.routes.append(route)

    @contextmanager
    def live_session(
        self,
        name: str,
        *,
        on_mount: Sequence[OnMount] = (),
        layout: Callable[[Tree, Assigns], Tree] | None = None,
    ) -> Iterator[LiveSessionConfig]:
        """Declare the routes of one live session::

            with app.live_session("admin", on_mount=[ensure_admin], layout=admin_layout):
                app.live("/admin", AdminDashboard)

        ``on_mount`` hooks run in order before each of its views' ``mount``, on the HTTP render
        and the live mount: ``hook(params, session, socket)`` returns None (or ``"cont"``) to go
        on, or ``"halt"`` after asking for a redirect. ``layout`` replaces ``App(layout=...)``
        for its views. Live navigation (``push_navigate``, ``link(navigate=...)``) stays inside
        a session; a route of another session is reached by a full page load."""
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"app.live_session: expected a name like 'admin', got {name!r}")
        if self._live_session is not DEFAULT_SESSION:
            raise ValueError(
                f"app.live_session({name!r}): live sessions do not nest (inside "
                f"{self._live_session.name!r})"
            )
        if name in self.live_sessions or name == DEFAULT_SESSION.name:
            raise ValueError(f"app.live_session: {name!r} is already declared")
        hooks = tuple(on_mount)
        for hook in hooks:
            if not callable(hook):
                raise TypeError(
                    f"app.live_session({name!r}, on_mount=...): expected functions "
                    f"hook(params, session, socket), got {hook!r}"
                )
        if layout is not None and not callable(layout):
            raise TypeError(f"app.live_session({name!r}, layout=...): expected a function")
        config = LiveSessionConfig(name, hooks, layout)
        self.live_sessions[name] = config
        self._live_session = config
        try:
            yield config
        finally:
            self._live_session = DEFAULT_SESSION

    # -- sessions that can be ended ------------------------------------------------------------

    def track_live_socket(self, live_socket_id: str, connection: Any) -> None:
        """``connection`` shows a view whose session has ``live_socket_id`` (the session)."""
        self._live_socket_ids.setdefault(live_socket_id, weakref.WeakSet()).add(connection)

    def untrack_live_socket(self, live_socket_id: str, connection: Any) -> None:
        tracked = self._live_socket_ids.get(live_socket_id)
        if tracked is not None:
            tracked.discard(connection)
            if not tracked:
                del self._live_socket_ids[live_socket_id]

    def disconnect_sessions(self, live_socket_id: str) -> int:
        """End every live view whose session holds ``live_socket_id`` (LiveView's
        ``live_socket_id``: put it in the session at login, e.g. ``f"users_sessions:{token}"``):
        each page loads again over HTTP, where the app's checks (an ``on_mount`` that finds the
        session revoked) send it to the login page. Safe from any thread; returns how many
        views of this process were told. The other workers and machines sharing the app's
        PubSub (``RedisPubSub``) end theirs when the message reaches them."""
        if not isinstance(live_socket_id, str) or not live_socket_id:
            raise ValueError(
                f"app.disconnect_sessions: expected a live_socket_id string, got {live_socket_id!r}"
            )
        self.pubsub.broadcast(SESSIONS_TOPIC, live_socket_id, exclude=self._ended_elsewhere)
        return self._disconnect_here(live_socket_id)

    def _disconnect_here(self, live_socket_id: str) -> int:
        connections = list(self._live_socket_ids.get(live_socket_id, ()))
        for connection in connections:
            connection.revoke()
        return len(connections)

    def url_for(
        self, target: str | type[LiveView], action: str | None = None, /, **params: Any
    ) -> str:
        """The path of a live route, by its name (``app.url_for("users")``) or by view and
        action (``app.url_for(UserLive, "edit", id=3)``): the pattern's ``{segments}`` filled
        from ``params``, the other params as the query string."""
        for route in self.routes:
            if (
                route.name == target
                if isinstance(target, str)
                else (route.view is target and route.action == action)
            ):
                return route.path(params)
        wanted = target if isinstance(target, str) else f"{target.__qualname__}, {action!r}"
        known = ", ".join(f"{r.name} ({r.pattern})" for r in self.routes) or "none"
        raise LookupError(f"url_for({wanted}): no such live route (routes: {known})")

    def get(self, path: str, handler: Handler) -> Handler:
        """Serve ``GET path`` with ``handler(request)`` (``pylive.http``); returns the handler."""
        return self._http("GET", path, handler)

    def post(self, path: str, handler: Handler) -> Handler:
        """Serve ``POST path`` with ``handler(request)``, CSRF-checked (``pylive.http``): where a
        ``phx-trigger-action`` form submits; returns the handler."""
        return self._http("POST", path, handler)

    def delete(self, path: str, handler: Handler) -> Handler:
        """Serve ``DELETE path`` with ``handler(request)``, CSRF-checked; returns the handler."""
        return self._http("DELETE", path, handler)

    def _http(self, method: str, path: str, handler: Handler) -> Handler:
        route = HttpRoute(method, path, handler)
        for existing in self.http_routes:
            if existing.method == method and existing.pattern == path:
                raise ValueError(
                    f"app.{method.lower()}: {method} {path!r} is already handled by {existing.name}"
                )
        if method == "GET" and any(live.pattern == path for live in self.routes):
            raise ValueError(f"app.get: {path!r} is a live route")
        self.http_routes.append(route)
        return handler

    def hook(self, hook: Hook) -> Hook:
        """Register a client hook (``pylive.client_hooks``) and return it: pages served from now
        on load its module, renders may name it."""
        self.hooks.add(hook, f"app.hook({hook!r})")
        return hook

    def match(self, path: str) -> tuple[Route, dict[str, str]] | None:
        """The route for ``path`` and its path params, or None."""
        for route in self.routes:
            params = route.match(path)
            if params is not None:
                return route, params
        return None

    def route_named(self, name: str) -> Route | None:
        for route in self.routes:
            if route.name == name:
                return route
        return None

    # -- client.js ------------------------------------------------------------------------------

    @property
    def client_js(self) -> bytes:
        """The client pages load: the minified build, or the readable ``client.js`` in debug
        (``App(debug=True)``, ``--debug``), where a stack trace should read as the sources."""
        if self._client_js is None or self._client_js_debug != self.debug:
            self._client_js = client_js_path(minified=not self.debug).read_bytes()
            self._client_js_debug = self.debug
            self._client_js_gzip = None
        return self._client_js

    @property
    def client_js_gzip(self) -> bytes:
        """``client_js`` gzip-compressed, once (served to browsers that accept gzip)."""
        client = self.client_js
        if self._client_js_gzip is None:
            self._client_js_gzip = gzip.compress(client, compresslevel=9, mtime=0)
        return self._client_js_gzip

    @property
    def client_js_url(self) -> str:
        """``/_pylive/client.<hash>.js``: cacheable forever, changes when the file does."""
        digest = hashlib.sha256(self.client_js).hexdigest()[:12]
        return f"/_pylive/client.{digest}.js"


SESSIONS_TOPIC = RESERVED + "disconnect_sessions"
"""Where ``app.disconnect_sessions`` tells the other processes of the app."""


class _EndedElsewhere:
    """The app's subscriber to ``SESSIONS_TOPIC``: ends this process's views of a session
    another process ended."""

    def __init__(self, app: App) -> None:
        self._app = weakref.ref(app)

    def send_self(self, msg: Any) -> None:
        app = self._app()
        if app is not None and isinstance(msg, str) and msg:
            app._disconnect_here(msg)
