"""Running the Sanic application: ``serve`` (the command line, ``app.run``) and ``LiveServer``
(an app in a background thread, for tests and benchmarks)."""

from __future__ import annotations

import asyncio
import importlib
import socket
import threading
import warnings
from functools import partial
from typing import Any

from sanic import Sanic
from sanic.worker.loader import AppLoader

from pylive.app import App
from pylive.sanic._app import create_sanic
from pylive.sanic._protocol import LiveProtocol
from pylive.version import __version__

CLOSE_GRACE = 1.0
"""Seconds ``LiveServer.stop`` lets connections finish their closing handshake."""


def load_app(target: str) -> App:
    """``"package.module:attribute"`` → the ``App`` it names (clear errors otherwise)."""
    module_name, sep, attribute = target.partition(":")
    if not sep or not module_name or not attribute:
        raise ValueError(f"expected 'module:attribute' naming a pylive App, got {target!r}")
    module = importlib.import_module(module_name)
    app = getattr(module, attribute, None)
    if not isinstance(app, App):
        raise TypeError(f"{target!r} is {app!r}, expected a pylive.App")
    return app


def in_debug(app: App, debug: bool) -> App:
    """``app``, in debug mode (``App(debug=True)``: every render checked, server timing on
    replies) when ``debug`` — what ``--debug`` asks of the app besides Sanic's debug logs."""
    if debug:
        app.debug = True
    return app


def _factory(target: str, debug: bool = False) -> Sanic[Any, Any]:
    return create_sanic(in_debug(load_app(target), debug), name="pylive", serving=True)


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
    ``debug``: Sanic's debug logs and tracebacks, and the app in debug mode (``App.debug``).
    """
    label = app if isinstance(app, str) else f"App(title={app.title!r})"
    print(f"pylive {__version__} serving {label} on http://{host}:{port}", flush=True)
    if workers > 1 or reload:
        if not isinstance(app, str):
            raise ValueError("workers > 1 and reload need the app as 'module:attribute'")
        loader = AppLoader(factory=partial(_factory, app, debug))
        sanic = loader.load()
        sanic.prepare(
            host=host,
            port=port,
            workers=workers,
            auto_reload=reload,
            debug=debug,
            motd=False,
            access_log=False,
            protocol=LiveProtocol,
        )
        Sanic.serve(primary=sanic, app_loader=loader)
        return
    instance = in_debug(load_app(app) if isinstance(app, str) else app, debug)
    if instance.secret_is_ephemeral:
        warnings.warn(
            "App has no secret_key (nor PYLIVE_SECRET_KEY): using a random one, so pages "
            "open before a restart will reload to get new join tokens",
            stacklevel=2,
        )
    sanic = create_sanic(instance, name="pylive", serving=True)
    sanic.run(
        host=host,
        port=port,
        single_process=True,
        motd=False,
        debug=debug,
        access_log=False,
        protocol=LiveProtocol,
    )


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
            sock=sock, return_asyncio_server=True, access_log=False, protocol=LiveProtocol
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
            if not connection.close_if_idle():
                connection.abort()
        deadline = asyncio.get_running_loop().time() + CLOSE_GRACE
        while server.connections and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.01)  # closing handshakes finish
        for connection in list(server.connections):
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

    def drop_connections(self) -> int:
        """Fail every live websocket as a network failure would (close code 1006; the server
        keeps running, so browsers reconnect at once); returns how many were dropped. For tests
        of what survives a dropped connection."""
        loop = self._loop
        if loop is None or self.sanic is None:
            return 0
        connections = list(self.sanic.ctx.pylive_connections)

        def drop() -> None:
            for connection in connections:
                connection.transport.fail_connection(1006, "dropped by the test")

        loop.call_soon_threadsafe(drop)
        return len(connections)

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
