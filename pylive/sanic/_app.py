"""A Sanic application serving a pylive ``App``: its pages, ``client.js`` and the websocket.

HTTP requests on live routes and on the app's HTTP handlers are served by
``pylive.http_dispatch.dispatch`` (the code the test client runs too): this module only turns a
Sanic request into its arguments and its ``HttpResult`` into a response. ``client.js``
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
import itertools
import logging
import os
from typing import Any

from sanic import Request, Sanic, response

from pylive.app import App
from pylive.client_hooks import HOOKS_PATH
from pylive.http_dispatch import HttpResult, dispatch
from pylive.http_session import CSRF_COOKIE as CSRF_COOKIE
from pylive.limits import BucketsByKey
from pylive.origins import loopback_origins, origin_allowed
from pylive.sanic._protocol import ConnectionCounts
from pylive.sanic._websocket import LiveWebsocket
from pylive.session import Connection

log = logging.getLogger("pylive")

LIVE_PATH = "/live"
_names = itertools.count(1)


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


def cookies_of(request: Request) -> dict[str, str]:
    """The request's cookies, the first value of each name."""
    return {name: request.cookies.get(name) or "" for name in request.cookies}


async def serve_http(request: Request, **_: Any) -> response.HTTPResponse:
    """A live page or an HTTP handler's route: ``pylive.http_dispatch.dispatch``'s answer."""
    app: App = request.app.ctx.pylive_app
    fields: dict[str, list[str]] = request.form or {}
    result = await dispatch(
        app,
        request.method,
        request.path,
        query=request.query_string,
        form=[(name, value) for name, values in fields.items() for value in values],
        headers={name.lower(): str(value) for name, value in request.headers.items()},
        cookies=cookies_of(request),
        https=request.scheme == "https",
        url=request.url,
        native=request,
    )
    return to_response(result)


def to_response(result: HttpResult) -> response.HTTPResponse:
    """An ``HttpResult`` as a Sanic response, one ``Set-Cookie`` header per cookie."""
    resp = response.raw(
        result.body,
        status=result.status,
        content_type=result.content_type,
        headers=result.headers,
    )
    for cookie in result.set_cookies:
        resp.headers.add("Set-Cookie", cookie.header())
    return resp


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

    for index, route in enumerate(app.routes):
        sanic.add_route(serve_http, sanic_path(route.pattern), methods=["GET"], name=f"live{index}")

    for index, http_route in enumerate(app.http_routes):
        sanic.add_route(
            serve_http,
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

    async def start_pubsub(*_: Any) -> None:
        await app.pubsub.start()  # RedisPubSub connects (in the background) in each worker

    async def stop_pubsub(*_: Any) -> None:
        await app.pubsub.stop()

    sanic.register_listener(start_pubsub, "before_server_start")
    sanic.register_listener(stop_pubsub, "after_server_stop")
    if serving:

        async def tune(*_: Any) -> None:
            tune_gc()

        sanic.register_listener(tune, "after_server_start")
    return sanic
