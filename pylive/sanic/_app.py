"""A Sanic application serving a pylive ``App``: its pages, ``client.js`` and the websocket.

HTTP requests on live routes become HTTP renders (a 302 when ``mount`` redirects); ``client.js``
and the app's hook modules (``/_pylive/hooks/<Name>.<hash>.js``) are served content-hashed and
cached for a year. The websocket handshake is guarded in one place
(``guard_websocket``): the ``Origin`` must be allowed (403), the CSRF token must be the signed
form of the ``_pylive_csrf`` cookie (403), and each client address has a budget of handshakes per
second (429). Each websocket then runs one ``pylive.session.Connection`` over pylive's own
websocket layer; on shutdown every connection answers what it already read and is told to
reconnect (1012), so browsers remount on the next server by themselves.
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import itertools
import logging
import os
import re
import secrets
from typing import Any

from sanic import Request, Sanic, response

from pylive.app import App
from pylive.client_hooks import HOOKS_PATH
from pylive.document import page
from pylive.exceptions import InvalidParams
from pylive.http import CSRF_FIELD, HttpRequest, HttpRoute, answer, csrf_token
from pylive.limits import BucketsByKey
from pylive.origins import loopback_origins, origin_allowed
from pylive.params import decode_pairs, decode_query
from pylive.sanic._protocol import ConnectionCounts
from pylive.sanic._websocket import LiveWebsocket
from pylive.session import Connection
from pylive.view_render import dead_render

log = logging.getLogger("pylive")

CSRF_COOKIE = "_pylive_csrf"
LIVE_PATH = "/live"
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
_names = itertools.count(1)
_NONCE = re.compile(r"[A-Za-z0-9_-]{16,128}")
"""A CSRF cookie worth keeping: urlsafe base64, as ``secrets.token_urlsafe`` makes it; any other
value (a browser's junk, bytes that are not UTF-8) is replaced by a fresh nonce."""


def sanic_path(pattern: str) -> str:
    """``/users/{id}`` → ``/users/<id:str>`` (Sanic's syntax); pylive still does the matching."""
    return pattern.replace("{", "<").replace("}", ":str>")


GC_THRESHOLD = (50_000, 50, 100)
"""The collector's thresholds while serving (CPython's defaults are 700, 10, 10)."""


def tune_gc() -> None:
    """Make the cyclic garbage collector cheap for a server that builds trees all day.

    Every render allocates thousands of short-lived, acyclic objects (elements, texts, lists), so
    with CPython's default threshold (a collection every 700 allocations) a 1000-row render spends
    about as long in the collector as in building the tree. Collecting every 50,000 allocations
    removes that cost; ``gc.freeze()`` first moves everything loaded at start (modules, the app)
    out of the collector's sight for good. Set ``PYLIVE_GC=default`` to keep CPython's settings.
    """
    if os.environ.get("PYLIVE_GC", "").lower() == "default":
        return
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an ``Accept-Encoding`` header admits gzip (``gzip;q=0`` refuses it)."""
    for part in accept_encoding.lower().split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def client_address(request: Request) -> str:
    """The client's address: the proxy's word when Sanic is told to trust it, else the peer."""
    return str(request.remote_addr or request.ip or "")


def http_endpoint(app: App, route: HttpRoute) -> Any:
    """The Sanic handler of a plain HTTP route (``pylive.http``): the request decoded, the CSRF
    token checked for a POST or DELETE (403 without the handler), the answer as its response."""

    async def endpoint(request: Request, **path_params: Any) -> response.HTTPResponse:
        try:
            query = decode_query(request.query_string)
            fields: dict[str, list[str]] = request.form or {}
            pairs = [(name, value) for name, values in fields.items() for value in values]
            form = decode_pairs(pairs, "form body")
        except InvalidParams as error:
            return response.text(f"bad request: {error}", status=400)
        if route.needs_csrf:
            token = csrf_token(form, request.headers)
            if not app.csrf.valid(request.cookies.get(CSRF_COOKIE) or "", token):
                log.warning(
                    "%s %s refused: missing or wrong CSRF token", route.method, request.path
                )
                return response.text("invalid CSRF token", status=403)
        form.pop(CSRF_FIELD, None)
        http_request = HttpRequest(
            request.method,
            request.path,
            params={name: str(value) for name, value in path_params.items()},
            query=query,
            form=form,
            headers={name.lower(): str(value) for name, value in request.headers.items()},
            cookies=dict(request.cookies.items()),
        )
        result = route.handler(http_request)
        if inspect.isawaitable(result):
            result = await result
        status, content_type, body, headers = answer(result, f"{route.name} ({route.method})")
        return response.raw(
            body, status=status, content_type=content_type, headers={**SECURITY_HEADERS, **headers}
        )

    return endpoint


def create_sanic(app: App, name: str | None = None, *, serving: bool = False) -> Sanic[Any, Any]:
    """A Sanic application serving ``app``; ``serving=True`` also tunes the process for it."""
    sanic: Sanic[Any, Any] = Sanic(name or f"pylive{next(_names)}")
    limits = app.limits
    config = sanic.config
    config.WEBSOCKET_MAX_SIZE = limits.max_message_bytes
    config.KEEP_ALIVE_TIMEOUT = limits.http_keep_alive_timeout
    config.REQUEST_TIMEOUT = limits.http_request_timeout
    config.ACCESS_LOG = False
    # Sanic's default error page for a browser is 70 KB of HTML with inline scripts, for a 40-byte
    # request: an amplifier, and script the app did not write. Errors are short plain text.
    config.FALLBACK_ERROR_FORMAT = "text"
    config.MOTD = False
    connections: set[Connection] = set()
    sanic.ctx.pylive_app = app
    sanic.ctx.pylive_connections = connections
    sanic.ctx.pylive_connections_by_ip = ConnectionCounts(limits.max_connections_per_ip)
    handshakes = BucketsByKey(limits.websocket_connects_per_second, limits.websocket_connect_burst)

    async def client_js(request: Request) -> response.HTTPResponse:
        immutable = request.path == app.client_js_url
        headers = {
            "Cache-Control": "public, max-age=31536000, immutable" if immutable else "no-cache",
            "Vary": "Accept-Encoding",
        }
        body = app.client_js
        if accepts_gzip(request.headers.get("accept-encoding", "")):
            body = app.client_js_gzip  # compressed once, at the first request
            headers["Content-Encoding"] = "gzip"
        return response.raw(body, content_type="text/javascript; charset=utf-8", headers=headers)

    sanic.add_route(client_js, app.client_js_url, methods=["GET"], name="client_js_hashed")
    sanic.add_route(client_js, "/_pylive/client.js", methods=["GET"], name="client_js")

    async def hook_module(request: Request, file: str) -> response.HTTPResponse:
        # Looked up now, not when the route was made: app.hook(...) may come after create_sanic.
        hook = app.hooks.by_file(file)
        if hook is None or hook.source is None:
            return response.text("not found", status=404)
        headers = {
            "Cache-Control": "public, max-age=31536000, immutable",
            "Vary": "Accept-Encoding",
        }
        body = hook.source
        if accepts_gzip(request.headers.get("accept-encoding", "")):
            body = hook.gzip
            headers["Content-Encoding"] = "gzip"
        return response.raw(body, content_type="text/javascript; charset=utf-8", headers=headers)

    sanic.add_route(hook_module, HOOKS_PATH + "<file:str>", methods=["GET"], name="hook_module")

    async def live_page(request: Request, **_: Any) -> response.HTTPResponse:
        found = app.match(request.path)
        if found is None:  # pragma: no cover — sanic routed it here from the same pattern
            return response.text("not found", status=404)
        route, params = found
        nonce = request.cookies.get(CSRF_COOKIE) or ""
        fresh = _NONCE.fullmatch(nonce) is None  # absent, or not one this server would make
        if fresh:
            nonce = secrets.token_urlsafe(24)
        session = app.session(request) if app.session else {}
        try:
            dead = await dead_render(app, route, params, request.url, session)
        except InvalidParams as error:
            return response.text(f"bad request: {error}", status=400)
        if dead.redirect is not None:  # mount or handle_params halted: no byte of the view
            return response.redirect(dead.redirect, headers=SECURITY_HEADERS)
        body = page(app, dead.tree, dead.token, dead.title, app.csrf.for_nonce(nonce))
        resp = response.html(body, headers=SECURITY_HEADERS)
        if fresh:
            resp.add_cookie(
                CSRF_COOKIE, nonce, path="/", httponly=True, samesite="Lax", secure=False
            )
        return resp

    for index, route in enumerate(app.routes):
        sanic.add_route(live_page, sanic_path(route.pattern), methods=["GET"], name=f"live{index}")

    for index, http_route in enumerate(app.http_routes):
        sanic.add_route(
            http_endpoint(app, http_route),
            sanic_path(http_route.pattern),
            methods=[http_route.method],
            name=f"http{index}",
        )

    socket_route = f"{sanic.name}.live_socket"

    @sanic.on_request
    async def guard_websocket(request: Request) -> response.HTTPResponse | None:
        # By the route it reached, not by its path: Sanic routes "/live/" there too.
        if getattr(request.route, "name", None) != socket_route:
            return None
        # The budget first, so that a flood is refused cheaply whatever its handshakes carry (and
        # logged at debug level only: a flood must not become one of the log).
        if not handshakes.take(client_address(request)):
            log.debug("websocket refused: too many handshakes from %s", client_address(request))
            return response.text("too many connections", status=429, headers={"Retry-After": "1"})
        origin = request.headers.get("origin")
        allowed = app.allowed_origins or loopback_origins(
            int(request.server_port), "https" if request.scheme in ("wss", "https") else "http"
        )
        if not origin_allowed(origin, allowed):
            hint = "" if app.allowed_origins else " (set App(allowed_origins=[...]))"
            log.warning("websocket refused: origin %r is not allowed%s", origin, hint)
            return response.text("forbidden origin", status=403)
        nonce = request.cookies.get(CSRF_COOKIE) or ""
        if not app.csrf.valid(nonce, request.args.get("csrf") or ""):
            log.warning("websocket refused: missing or wrong CSRF token")
            return response.text("invalid CSRF token", status=403)
        return None

    async def live_socket(request: Request, ws: LiveWebsocket) -> None:
        connection = Connection(app, ws)
        connections.add(connection)
        try:
            await connection.run()
        finally:
            connections.discard(connection)

    sanic.add_websocket_route(live_socket, LIVE_PATH, name="live_socket", strict_slashes=True)

    async def tell_clients_to_reconnect(*_: Any) -> None:
        await asyncio.gather(*(c.shutdown() for c in list(connections)), return_exceptions=True)

    sanic.register_listener(tell_clients_to_reconnect, "before_server_stop")
    if serving:

        async def tune(*_: Any) -> None:
            tune_gc()

        sanic.register_listener(tune, "after_server_start")
    return sanic
