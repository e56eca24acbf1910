"""What the reliability tests need to attack a real server: the server as a subprocess, a pylive
client as the browser speaks it, a raw RFC 6455 client that can send anything, and a canary of
well-behaved sessions whose latency says whether an attack hurt anyone else.

Loopback only; every wait is bounded.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import websockets

T = TypeVar("T")
HERE = Path(__file__).resolve().parent
SERVER_APP = HERE / "server_app.py"
HOST = "127.0.0.1"
WAIT = 10.0
_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
_SESSION = re.compile(r'data-phx-session="([^"]+)"')
UNHANDLED = ("Traceback", "Task exception was never retrieved", "Task was destroyed")
"""What a server log must never show (the handled crashes the tests provoke aside)."""


def run(coro: Coroutine[Any, Any, T], timeout: float = 60) -> T:
    """Run a scenario with a bound on the whole of it."""
    return asyncio.run(asyncio.wait_for(coro, timeout))


def figure(name: str, value: object) -> None:
    """Print a measured figure for docs/reliability.md (shown with ``pytest -s``)."""
    print(f"FIGURE {os.environ.get('PYTEST_CURRENT_TEST', '?').split(' ')[0]} {name}={value}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class ServerProcess:
    """``server_app.py`` (or another such script, ``app=``) in its own process, on a free
    loopback port."""

    def __init__(
        self, limits: dict[str, Any] | None = None, app: Path = SERVER_APP, port: int = 0
    ) -> None:
        self.limits = limits or {}
        self.app = app
        self.port = port or free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="pylive-server-", suffix=".log", delete=False)
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> ServerProcess:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, str(self.app), str(self.port), json.dumps(self.limits)],
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            env=env,
        )
        assert self.process.stdout is not None
        deadline = time.monotonic() + 30
        line = ""
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if line.startswith("READY") or not line:
                break
        if not line.startswith("READY"):
            self.stop()
            raise RuntimeError(f"the test server did not start: {self.log_text()[-2000:]}")
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def rss_kib(self) -> int:
        """The server's resident memory, KiB."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        assert found is not None
        return int(found.group(1))

    def stats(self, collect: bool = False) -> dict[str, int]:
        """Tasks, connections and views in the server (``collect``: after a gc.collect())."""
        query = "?collect=1" if collect else ""
        with urllib.request.urlopen(f"{self.url}/_stats{query}", timeout=WAIT) as reply:
            data: dict[str, int] = json.loads(reply.read())
        return data

    def log_text(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return Path(self.log.name).read_text(errors="replace")

    def unhandled(self) -> list[str]:
        """Lines of the log that show an error nobody handled."""
        return [line for line in self.log_text().splitlines() if any(m in line for m in UNHANDLED)]

    def kill(self) -> None:
        """SIGKILL: the server dies without a word to its clients."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)

    def terminate(self) -> None:
        """SIGTERM: the graceful shutdown (1012 to every client), waited for."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(20)

    def stop(self) -> None:
        process = self.process
        if process is None:
            return
        self.process = None
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        if process.stdout is not None:
            process.stdout.close()
        self.log.close()

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
        Path(self.log.name).unlink(missing_ok=True)


# -- the page and a pylive session ----------------------------------------------------------------


class Page:
    """A live route's HTTP render: its join token, CSRF token and CSRF cookie."""

    def __init__(self, url: str) -> None:
        with urllib.request.urlopen(url, timeout=WAIT) as reply:
            text = reply.read().decode()
            cookies = reply.headers.get_all("Set-Cookie") or []
        meta = _CSRF_META.search(text)
        session = _SESSION.search(text)
        assert meta and session, text[:500]
        self.url = url
        self.csrf = meta.group(1)
        self.token = session.group(1)
        self.cookie = next(c.split(";")[0].split("=", 1)[1] for c in cookies if "_pylive_csrf" in c)


async def get_page(url: str) -> Page:
    return await asyncio.to_thread(Page, url)


class Session:
    """One live view over a real websocket, as ``client.js`` drives it."""

    def __init__(self, ws: Any, page: Page) -> None:
        self.ws = ws
        self.page = page
        self.ref = 0
        self.join_reply: dict[str, Any] = {}

    @classmethod
    async def open(cls, base: str, path: str = "/", origin: str | None = None) -> Session:
        page = await get_page(base + path)
        ws = await websockets.connect(
            base.replace("http", "ws", 1) + f"/live?csrf={page.csrf}",
            additional_headers={"Cookie": f"_pylive_csrf={page.cookie}", "Origin": origin or base},
            open_timeout=WAIT,
            ping_interval=None,
            max_size=None,
        )
        session = cls(ws, page)
        session.join_reply = await session.call(
            {"type": "join", "token": page.token, "url": base + path}
        )
        return session

    async def send(self, frame: dict[str, Any]) -> int:
        self.ref += 1
        await self.ws.send(json.dumps({**frame, "ref": self.ref}))
        return self.ref

    async def call(self, frame: dict[str, Any], timeout: float = WAIT) -> dict[str, Any]:
        """Send ``frame`` and wait for the frame answering it."""
        ref = await self.send(frame)
        async with asyncio.timeout(timeout):
            while True:
                reply: dict[str, Any] = json.loads(await self.ws.recv())
                if reply.get("ref") == ref:
                    return reply

    async def click(
        self, event: str = "inc", value: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        return await self.call(
            {"type": "event", "kind": "click", "event": event, "value": value or {}}
        )

    async def close(self) -> None:
        await self.ws.close()


# -- a canary: well-behaved sessions measuring their latency ---------------------------------------


class Canary:
    """``n`` sessions clicking ``rate`` times a second each; their round trips, in ms."""

    def __init__(self, base: str, n: int = 20, rate: float = 2.0) -> None:
        self.base = base
        self.n = n
        self.rate = rate
        self.times: list[float] = []
        self.failures: list[str] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._sessions: list[Session] = []
        self._running = False

    async def start(self) -> Canary:
        self._sessions = [await Session.open(self.base) for _ in range(self.n)]
        self._running = True
        self._tasks = [asyncio.create_task(self._run(s, i)) for i, s in enumerate(self._sessions)]
        return self

    async def _run(self, session: Session, index: int) -> None:
        await asyncio.sleep(index / self.n / self.rate)  # spread them out
        while self._running:
            start = time.perf_counter()
            try:
                click = {"type": "event", "kind": "click", "event": "inc", "value": {}}
                reply = await session.call(click, timeout=5)
                if "ops" not in reply:
                    self.failures.append(repr(reply))
            except Exception as error:  # a canary that fails is a finding, not a crash
                self.failures.append(repr(error))
                return
            self.times.append((time.perf_counter() - start) * 1000)
            await asyncio.sleep(max(0.0, 1 / self.rate - (time.perf_counter() - start)))

    def reset(self) -> None:
        self.times = []

    def p50(self) -> float:
        return statistics.median(self.times)

    def p99(self) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]

    async def stop(self) -> None:
        self._running = False
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for session in self._sessions:
            await session.close()


# -- a raw RFC 6455 client -------------------------------------------------------------------------


OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


def frame_bytes(
    opcode: int, payload: bytes, *, fin: bool = True, mask: bool = True, rsv: int = 0
) -> bytes:
    """One websocket frame as a client must send it (masked), or malformed on purpose."""
    head = bytes([(0x80 if fin else 0) | (rsv << 4) | opcode])
    length = len(payload)
    bit = 0x80 if mask else 0
    if length < 126:
        head += bytes([bit | length])
    elif length < 65536:
        head += bytes([bit | 126]) + struct.pack("!H", length)
    else:
        head += bytes([bit | 127]) + struct.pack("!Q", length)
    if not mask:
        return head + payload
    key = os.urandom(4)
    return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def close_payload(code: int, reason: bytes = b"") -> bytes:
    return struct.pack("!H", code) + reason


class RawWebsocket:
    """A websocket over a plain TCP socket: send any bytes, read the server's frames."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, base: str, path: str = "/") -> RawWebsocket:
        page = await get_page(base + path)
        reader, writer = await asyncio.open_connection(HOST, int(base.rsplit(":", 1)[1]))
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET /live?csrf={page.csrf} HTTP/1.1\r\nHost: {base.split('//')[1]}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Origin: {base}\r\nCookie: _pylive_csrf={page.cookie}\r\n\r\n"
        )
        writer.write(request.encode())
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), WAIT)
        assert head.startswith(b"HTTP/1.1 101"), head
        raw = cls(reader, writer)
        raw.page = page  # type: ignore[attr-defined]
        return raw

    def send(self, data: bytes) -> None:
        self.writer.write(data)

    def send_text(self, text: str | bytes, **options: Any) -> None:
        payload = text.encode() if isinstance(text, str) else text
        self.writer.write(frame_bytes(OP_TEXT, payload, **options))

    async def read_frame(self, timeout: float = WAIT) -> tuple[int, bytes] | None:
        """The next frame from the server as (opcode, payload), or None if the TCP connection
        ended."""
        try:
            async with asyncio.timeout(timeout):
                first, second = await self.reader.readexactly(2)
                length = second & 0x7F
                if length == 126:
                    (length,) = struct.unpack("!H", await self.reader.readexactly(2))
                elif length == 127:
                    (length,) = struct.unpack("!Q", await self.reader.readexactly(8))
                return first & 0x0F, await self.reader.readexactly(length)
        except (asyncio.IncompleteReadError, ConnectionError):
            return None

    async def texts_then_close(
        self, timeout: float = WAIT
    ) -> tuple[list[dict[str, Any]], int | None]:
        """Every text frame (decoded) until the server's close frame: (texts, close code)."""
        texts: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        while True:
            frame = await self.read_frame(max(0.01, deadline - time.monotonic()))
            if frame is None:
                return texts, None
            opcode, payload = frame
            if opcode == OP_TEXT:
                texts.append(json.loads(payload))
            elif opcode == OP_CLOSE:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                return texts, code

    async def eof(self, timeout: float = WAIT) -> bool:
        """Whether the server ends the TCP connection within ``timeout``."""
        try:
            async with asyncio.timeout(timeout):
                while await self.reader.read(65536):
                    pass
            return True
        except TimeoutError:
            return False

    def close(self) -> None:
        self.writer.close()

    async def closed(self, timeout: float = 2) -> None:
        """Wait until the connection, closed, is gone; drop what is still unsent after
        ``timeout`` (a flooder's buffer would keep the transport flushing past the test)."""
        try:
            await asyncio.wait_for(self.writer.wait_closed(), timeout)
        except TimeoutError:
            self.writer.transport.abort()
        except ConnectionError:
            pass


def click_frames(count: int, first_ref: int = 1) -> bytes:
    """``count`` masked event frames, ready to write at once."""
    return b"".join(
        frame_bytes(OP_TEXT, json.dumps({"type": "event", "ref": ref, "kind": "click",
                                         "event": "inc", "value": {}}).encode())
        for ref in range(first_ref, first_ref + count)
    )  # fmt: skip


async def flood(server: ServerProcess, seconds: float) -> tuple[int, int | None]:
    """Write events as fast as the server takes them for ``seconds``: (bytes written, the close
    code the server sent, if any)."""
    raw = await RawWebsocket.open(server.url)
    join = {"type": "join", "ref": 0, "token": raw.page.token, "url": server.url + "/"}  # type: ignore[attr-defined]
    raw.send(frame_bytes(OP_TEXT, json.dumps(join).encode()))
    chunk = click_frames(500)
    written = 0
    deadline = time.monotonic() + seconds
    code: int | None = None
    reading = asyncio.create_task(raw.texts_then_close(seconds + 5))
    try:
        while time.monotonic() < deadline and not reading.done():
            raw.send(chunk)
            written += len(chunk)
            try:
                await asyncio.wait_for(raw.writer.drain(), max(0.01, deadline - time.monotonic()))
            except (TimeoutError, ConnectionError):
                break
    finally:
        raw.close()
    try:
        _, code = await asyncio.wait_for(reading, 5)
    except (TimeoutError, ConnectionError):
        pass
    await raw.closed()  # no transport left flushing after the test
    return written, code


NOT_STARVED_P50_MS, NOT_STARVED_P99_MS = 50, 250
"""What other sessions' round trip must stay under while one client misbehaves, in the suite.
The defects these tests guard against starved them (p50 345-800 ms); the bounds catch that on
a shared, noisy 2-core machine where the misbehaving client, the canary and the server compete
for the same cores. The plan's strict figure (p99 < 50 ms) is measured where it means
something, with the server and the load on cores of their own: ``scripts/soak --only D5``."""


def assert_not_starved(canary: Canary) -> None:
    """The canary's sessions were answered about as fast as with no one misbehaving."""
    latency = {"p50": canary.p50(), "p99": canary.p99()}
    assert latency["p50"] < NOT_STARVED_P50_MS, latency
    assert latency["p99"] < NOT_STARVED_P99_MS, latency
