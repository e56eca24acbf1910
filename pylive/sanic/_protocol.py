"""The asyncio protocol pylive serves with: Sanic's HTTP protocol, upgrading to pylive's websocket
layer (``_websocket``), with a cap on open connections per client address.

Sanic is told to use it (``protocol=LiveProtocol``) by ``serve`` and ``LiveServer``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sanic.exceptions import SanicException
from sanic.server.protocols.websocket_protocol import WebSocketProtocol
from websockets.protocol import State
from websockets.server import ServerProtocol

from pylive.limits import Limits
from pylive.sanic._websocket import LiveWebsocket

log = logging.getLogger("pylive")

TOO_MANY_CONNECTIONS = (
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\ncontent-length: 38\r\n"
    b"connection: close\r\nretry-after: 5\r\n\r\ntoo many connections from this address\n"
)


class ConnectionCounts:
    """Open TCP connections per client address, for ``Limits.max_connections_per_ip``."""

    __slots__ = ("by_address", "limit")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.by_address: dict[str, int] = {}

    def admit(self, address: str) -> bool:
        count = self.by_address.get(address, 0)
        if self.limit and count >= self.limit:
            return False
        self.by_address[address] = count + 1
        return True

    def release(self, address: str) -> None:
        count = self.by_address.get(address, 0) - 1
        if count > 0:
            self.by_address[address] = count
        else:
            self.by_address.pop(address, None)


class LiveProtocol(WebSocketProtocol):
    """One TCP connection: HTTP, then (on ``/live``) pylive's websocket layer."""

    __slots__ = ("_pylive_address", "_pylive_http")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pylive_address: str | None = None
        self._pylive_http: Any = None

    def _setup_connection(self, *args: Any, **kwargs: Any) -> None:
        super()._setup_connection(*args, **kwargs)  # type: ignore[no-untyped-call]
        self._pylive_http = self._http

    async def connection_task(self) -> None:
        try:
            await super().connection_task()  # type: ignore[no-untyped-call]
        finally:
            # Sanic's Http keeps a bound method of itself (response_func) and its request keeps
            # it (request.stream): reference cycles holding the protocol, the transport and the
            # request until the garbage collector's next full pass, which a server collecting
            # rarely (tune_gc) reaches seldom. Once the connection is done with them, cut them.
            http, self._pylive_http = self._pylive_http, None
            if http is not None:
                http.response_func = None
                http.request = None

    # -- the TCP connection ----------------------------------------------------------------------

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)  # type: ignore[no-untyped-call]
        peer = transport.get_extra_info("peername")
        address = peer[0] if isinstance(peer, tuple) and peer else None
        counts: ConnectionCounts | None = getattr(self.app.ctx, "pylive_connections_by_ip", None)
        if address is None or counts is None:
            return
        if counts.admit(address):
            self._pylive_address = address
            return
        log.warning("connection refused: %s has %d open connections", address, counts.limit)
        transport.write(TOO_MANY_CONNECTIONS)
        transport.close()

    def connection_lost(self, exc: BaseException | None) -> None:
        address = self._pylive_address
        if address is not None:
            self._pylive_address = None
            self.app.ctx.pylive_connections_by_ip.release(address)
        super().connection_lost(exc)  # type: ignore[no-untyped-call]
        # Nothing of the connection outlives it: without these, the protocol, its request and its
        # websocket wait in reference cycles for the garbage collector's next full pass.
        self.websocket = None
        timer = getattr(self, "_callback_check_timeouts", None)
        if timer is not None:
            timer.cancel()
            self._callback_check_timeouts = None
        self.transport = None  # the transport points back at its protocol

    def pause_writing(self) -> None:
        super().pause_writing()  # type: ignore[no-untyped-call]
        if isinstance(self.websocket, LiveWebsocket):
            self.websocket.writing_paused()

    def resume_writing(self) -> None:
        super().resume_writing()  # type: ignore[no-untyped-call]
        if isinstance(self.websocket, LiveWebsocket):
            self.websocket.writing_resumed()

    # -- the upgrade -----------------------------------------------------------------------------

    async def websocket_handshake(
        self, request: Any, subprotocols: Sequence[str] | None = None
    ) -> LiveWebsocket:
        limits: Limits = request.app.ctx.pylive_app.limits
        ws_proto = ServerProtocol(max_size=limits.max_message_bytes, state=State.OPEN)
        response = ws_proto.accept(self.sanic_request_to_ws_request(request))
        if not 100 <= response.status_code <= 299:
            raise SanicException(bytes(response.body), status_code=response.status_code)
        head = f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in response.headers.raw_items())
        await self.send((head + "\r\n").encode())  # type: ignore[no-untyped-call]
        websocket = LiveWebsocket(self, ws_proto, limits)
        self.websocket = websocket  # type: ignore[assignment]
        return websocket

    def close(self, timeout: float | None = None) -> None:
        if isinstance(self.websocket, LiveWebsocket):
            self.websocket.end_connection(1001)
        else:
            super().close(timeout)

    def close_if_idle(self) -> bool:
        websocket = self.websocket
        if isinstance(websocket, LiveWebsocket):
            if websocket.ws_proto.state is State.OPEN:
                websocket.fail(1001, "server shutting down")
            return True
        return bool(super().close_if_idle())  # type: ignore[no-untyped-call]
