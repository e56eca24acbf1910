"""The Sanic adapter: serve a pylive ``App`` over HTTP and one websocket.

This is the only module that imports sanic. It turns HTTP requests on live routes into dead
renders, serves ``client.js`` (content-hashed, cached for a year), checks each websocket's Origin
(allowlist, 403) and CSRF token (the page's token must match the ``_pylive_csrf`` cookie), and runs
one ``pylive.session.Connection`` per websocket. On shutdown every connection is told to reconnect
(close code 1012), so browsers remount on the next server by themselves.
"""

from __future__ import annotations

import asyncio
import gc
import hmac
import itertools
import logging
import os
import secrets
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from sanic import Request, Sanic, response
from sanic.server.websockets.impl import WebsocketImplProtocol
from sanic.worker.loader import AppLoader

from pylive.app import App
from pylive.exceptions import InvalidParams
from pylive.layout import page
from pylive.session import Connection, dead_render
from pylive.version import __version__

log = logging.getLogger("pylive")

CSRF_COOKIE = "_pylive_csrf"
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
LIVE_PATH = "/live"
_names = itertools.count(1)


class SanicTransport:
    """A Sanic websocket as a ``pylive.session.Transport``."""

    __slots__ = ("ws",)

    def __init__(self, ws: WebsocketImplProtocol) -> None:
        self.ws = ws

    async def recv(self) -> str | bytes | None:
        try:
            return await self.ws.recv()
        except Exception:  # closed, reset, cancelled by shutdown: the peer is gone either way
            return None

    async def send(self, text: str) -> None:
        try:
            await self.ws.send(text)
        except Exception:
            log.debug("send on a closed websocket dropped")

    async def close(self, code: int, reason: str = "") -> None:
        try:
            await self.ws.close(code, reason)
        except Exception:
            log.debug("close on a closed websocket ignored")


def origin_allowed(app: App, origin: str | None, host: str | None) -> bool:
    """Same-origin (the Origin's host is the Host header), or listed in ``allowed_origins``."""
    if origin is None:
        return True  # not a browser: browsers always send Origin on a websocket handshake
    if app.allowed_origins is not None and origin in app.allowed_origins:
        return True
    return bool(host) and urlsplit(origin).netloc == host


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


def create_sanic(app: App, name: str | None = None, *, serving: bool = False) -> Sanic[Any, Any]:
    """A Sanic application serving ``app``; ``serving=True`` also tunes the process for it."""
    sanic: Sanic[Any, Any] = Sanic(name or f"pylive{next(_names)}")
    sanic.config.WEBSOCKET_MAX_SIZE = app.limits.max_message_bytes
    sanic.config.ACCESS_LOG = False
    sanic.config.MOTD = False
    connections: set[Connection] = set()
    sanic.ctx.pylive_connections = connections

    async def client_js(request: Request) -> response.HTTPResponse:
        immutable = request.path == app.client_js_url
        return response.raw(
            app.client_js,
            content_type="text/javascript; charset=utf-8",
            headers={
                "Cache-Control": "public, max-age=31536000, immutable" if immutable else "no-cache"
            },
        )

    sanic.add_route(client_js, app.client_js_url, methods=["GET"], name="client_js_hashed")
    sanic.add_route(client_js, "/_pylive/client.js", methods=["GET"], name="client_js")

    async def live_page(request: Request, **_: Any) -> response.HTTPResponse:
        found = app.match(request.path)
        if found is None:  # pragma: no cover — sanic routed it here from the same pattern
            return response.text("not found", status=404)
        route, params = found
        csrf = request.cookies.get(CSRF_COOKIE) or ""
        fresh = len(csrf) < 16
        if fresh:
            csrf = secrets.token_urlsafe(24)
        session = app.session(request) if app.session else {}
        try:
            dead = await dead_render(app, route, params, request.url, session)
        except InvalidParams as error:
            return response.text(f"bad request: {error}", status=400)
        if dead.redirect is not None:  # mount or handle_params halted: no byte of the view
            return response.redirect(dead.redirect, headers=SECURITY_HEADERS)
        body = page(app, dead.tree, dead.token, dead.title, csrf)
        resp = response.html(body, headers=SECURITY_HEADERS)
        if fresh:
            resp.add_cookie(
                CSRF_COOKIE, csrf, path="/", httponly=True, samesite="Lax", secure=False
            )
        return resp

    for index, route in enumerate(app.routes):
        sanic.add_route(live_page, sanic_path(route.pattern), methods=["GET"], name=f"live{index}")

    @sanic.on_request
    async def guard_websocket(request: Request) -> response.HTTPResponse | None:
        if request.path != LIVE_PATH:
            return None
        if not origin_allowed(app, request.headers.get("origin"), request.headers.get("host")):
            log.warning("websocket refused: origin %r", request.headers.get("origin"))
            return response.text("forbidden origin", status=403)
        cookie = request.cookies.get(CSRF_COOKIE) or ""
        given = request.args.get("csrf") or ""
        if not cookie or not hmac.compare_digest(cookie.encode(), given.encode()):
            log.warning("websocket refused: missing or wrong CSRF token")
            return response.text("invalid CSRF token", status=403)
        return None

    async def live_socket(request: Request, ws: WebsocketImplProtocol) -> None:
        connection = Connection(app, SanicTransport(ws))
        connections.add(connection)
        try:
            await connection.run()
        finally:
            connections.discard(connection)

    sanic.add_websocket_route(live_socket, LIVE_PATH, name="live_socket")

    async def tell_clients_to_reconnect(*_: Any) -> None:
        await asyncio.gather(*(c.shutdown() for c in list(connections)), return_exceptions=True)

    sanic.register_listener(tell_clients_to_reconnect, "before_server_stop")
    if serving:

        async def tune(*_: Any) -> None:
            tune_gc()

        sanic.register_listener(tune, "after_server_start")
    return sanic


def load_app(target: str) -> App:
    """``"package.module:attribute"`` → the ``App`` it names (clear errors otherwise)."""
    import importlib

    module_name, sep, attribute = target.partition(":")
    if not sep or not module_name or not attribute:
        raise ValueError(f"expected 'module:attribute' naming a pylive App, got {target!r}")
    module = importlib.import_module(module_name)
    app = getattr(module, attribute, None)
    if not isinstance(app, App):
        raise TypeError(f"{target!r} is {app!r}, expected a pylive.App")
    return app


def _factory(target: str) -> Sanic[Any, Any]:
    return create_sanic(load_app(target), name="pylive", serving=True)


def serve(
    app: App | str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    reload: bool = False,
    workers: int = 1,
    debug: bool = False,
) -> None:
    """Serve an app (or ``"module:app"``). One process unless ``workers > 1`` or ``reload``.

    Several workers or auto-reload need the app importable by name (``"module:app"``), because
    Sanic starts fresh worker processes that import it again. Prints the address it serves.
    """
    label = app if isinstance(app, str) else f"App(title={app.title!r})"
    print(f"pylive {__version__} serving {label} on http://{host}:{port}", flush=True)
    if workers > 1 or reload:
        if not isinstance(app, str):
            raise ValueError("workers > 1 and reload need the app as 'module:attribute'")
        loader = AppLoader(factory=partial(_factory, app))
        sanic = loader.load()
        sanic.prepare(
            host=host,
            port=port,
            workers=workers,
            auto_reload=reload,
            debug=debug,
            motd=False,
            access_log=False,
        )
        Sanic.serve(primary=sanic, app_loader=loader)
        return
    instance = load_app(app) if isinstance(app, str) else app
    sanic = create_sanic(instance, name="pylive", serving=True)
    sanic.run(host=host, port=port, single_process=True, motd=False, debug=debug, access_log=False)


class LiveServer:
    """An app served in a background thread on a loopback port (for tests and benchmarks).

    ``LiveServer(app).start()`` binds ``127.0.0.1`` on a port the kernel picks (or ``port=``),
    serves until ``stop()``, and can ``start()`` again on the same port: a restart, as far as
    connected browsers can tell.
    """

    def __init__(self, app: App, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._thread: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: Any = None
        self.sanic: Sanic[Any, Any] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> LiveServer:
        import socket
        import threading

        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        self.sanic = create_sanic(self.app)
        # TouchUp rewrites Sanic's request handler in place once per process; a second app in
        # the same process (a restart, another test) must not run it again.
        self.sanic.config.TOUCHUP = False
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._start(sock))
            except BaseException as error:  # reported to the starting thread
                failure.append(error)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._stop())
            pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
            for task in pending:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

        self._thread = threading.Thread(target=run, name=f"pylive-server-{self.port}", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError(f"pylive server on {self.url} did not start within 10 s")
        if failure:
            raise RuntimeError(f"pylive server on {self.url} failed to start") from failure[0]
        return self

    async def _start(self, sock: Any) -> None:
        assert self.sanic is not None
        self._server = await self.sanic.create_server(
            sock=sock, return_asyncio_server=True, access_log=False
        )
        server = self._server
        await server.startup()
        await server.before_start()
        await server.start_serving()
        await server.after_start()

    async def _stop(self) -> None:
        server = self._server
        await server.before_stop()  # tells every live connection to reconnect (1012)
        server.close()
        for connection in list(server.connections):
            websocket = getattr(connection, "websocket", None)
            if websocket is not None:
                websocket.fail_connection(code=1012)
            elif not connection.close_if_idle():
                connection.abort()
        await server.wait_closed()
        assert self.sanic is not None
        self.sanic.shutdown_tasks(timeout=0)
        await server.after_stop()

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        self._loop = self._thread = self._server = None
        if self.sanic is not None:
            Sanic.unregister_app(self.sanic)
            self.sanic = None

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
