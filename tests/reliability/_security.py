"""What the security tests share: the recording server (``security_app.py``), a raw websocket
handshake whose every header the test chooses, and readers of what the server recorded.

Loopback only; every read is bounded.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

import websockets
from _wire import HOST, UNHANDLED, WAIT, ServerProcess, Session, get_page

SECURITY_APP = Path(__file__).resolve().parent / "security_app.py"
FORBIDDEN_ORIGIN = b"forbidden origin"
INVALID_CSRF = b"invalid CSRF token"
NO_HEADER = object()
"""``origin=NO_HEADER``: send no ``Origin`` header at all."""


class Reply:
    """A handshake's answer: status, headers (lower-case names) and body."""

    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    def __repr__(self) -> str:
        return f"Reply({self.status}, {self.body!r})"


def parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return status, headers


async def handshake(
    port: int,
    *,
    origin: object = None,
    csrf: str | None = None,
    cookie: str | None = None,
    host: str | None = None,
    path: str = "/live",
    timeout: float = WAIT,
) -> Reply:
    """One websocket upgrade request on a fresh TCP connection, closed once answered.

    ``origin=None`` sends the server's own loopback origin, ``NO_HEADER`` none; ``csrf`` goes in
    the query (``?csrf=...``, percent-encoded so the server reads exactly it), ``cookie`` in
    ``_pylive_csrf``; ``host`` replaces ``Host``.
    """
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        target = path if csrf is None else f"{path}?csrf={quote(csrf, safe='')}"
        lines = [
            f"GET {target} HTTP/1.1",
            f"Host: {host or f'{HOST}:{port}'}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}",
            "Sec-WebSocket-Version: 13",
        ]
        if origin is None:
            lines.append(f"Origin: http://{HOST}:{port}")
        elif origin is not NO_HEADER:
            lines.append(f"Origin: {origin}")
        if cookie is not None:
            lines.append(f"Cookie: _pylive_csrf={cookie}")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogateescape"))
        async with asyncio.timeout(timeout):
            head = await reader.readuntil(b"\r\n\r\n")
            status, headers = parse_head(head)
            body = b""
            if status != 101 and "content-length" in headers:
                body = await reader.readexactly(int(headers["content-length"]))
        return Reply(status, headers, body)
    finally:
        writer.close()


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=WAIT) as reply:
        return json.loads(reply.read())


def probe(base: str, reset: bool = False) -> dict[str, Any]:
    """What the recording views saw (``security_app.py``), and a snapshot of each live view."""
    record: dict[str, Any] = get_json(base + "/_probe" + ("?reset=1" if reset else ""))
    return record


async def aprobe(base: str, reset: bool = False) -> dict[str, Any]:
    return await asyncio.to_thread(probe, base, reset)


async def connect(base: str, path: str = "/") -> Session:
    """A websocket opened as ``client.js`` opens it, with no join sent yet."""
    page = await get_page(base + path)
    ws = await websockets.connect(
        base.replace("http", "ws", 1) + f"/live?csrf={page.csrf}",
        additional_headers={"Cookie": f"_pylive_csrf={page.cookie}", "Origin": base},
        open_timeout=WAIT,
        ping_interval=None,
        max_size=None,
    )
    return Session(ws, page)


async def quiet(server: ServerProcess, timeout: float = 3.0) -> dict[str, int]:
    """Wait until the server holds no websocket (those of earlier tests have gone)."""
    deadline = time.monotonic() + timeout
    while True:
        stats = await asyncio.to_thread(server.stats)
        if stats["connections"] == 0 or time.monotonic() > deadline:
            return stats
        await asyncio.sleep(0.05)


PROVOKED = "live view Go crashed in handle_event('go')"
"""The one crash the security tests provoke on purpose (a refused redirect target)."""


def unexpected_errors(server: ServerProcess) -> list[str]:
    """``server.unhandled()`` less the tracebacks of the crashes provoked on purpose: each of
    those follows the line that names the crash."""
    lines = server.log_text().splitlines()
    allowed: set[int] = set()
    for index, line in enumerate(lines):
        if PROVOKED in line and index + 1 < len(lines) and "Traceback" in lines[index + 1]:
            allowed.add(index + 1)
    return [
        line
        for index, line in enumerate(lines)
        if index not in allowed and any(marker in line for marker in UNHANDLED)
    ]
