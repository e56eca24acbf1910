"""PubSub fan-out: 1,000 live sessions subscribed to one topic, one broadcast, and the time until
every session's websocket has its patch — pylive in process (1 worker), pylive through Redis
(``--workers 2``), pyview's in-process PubSub and a floor, side by side in one run. Figures,
not a test.

Each server is a real process on a free loopback port, started and stopped here (pylive by
``python -m pylive run bench.fanout:app``, the Redis setup by ``... :app_redis --workers 2``
beside a ``redis-server`` started on its own free port, pyview by ``bench/pyview_fanout_app.py``
under uvicorn in its own venv, the floor by ``bench/fanout.py --floor PORT``: a bare asyncio
server writing one prebuilt frame to each of its websockets, the least any framework can do).
Every session does what a browser does: GET the page, open the websocket, join (pylive's
``join`` frame, or pyview's Phoenix ``phx_join``), and its view subscribes to the topic
``fanout`` in ``mount``.

One round: every client is told the round's marker (``round-000007``), then the coordinator reads
the monotonic clock (``t0``) and sends ``POST /fire`` with ``msg=<marker>`` on a fresh loopback
connection (opened before ``t0``); the handler broadcasts ``msg`` to the topic, and each view's
``handle_info`` assigns it and renders it, so its patch carries the marker. Each client stamps
the moment its socket's bytes with the marker reach it (``data_received``, the same
``CLOCK_MONOTONIC`` in every process of the machine); the latency of a session is that stamp
minus ``t0``: the HTTP request, the broadcast, every view's handle_info → render → diff → send,
the kernel, and the client's own loop reaching the socket — nothing subtracted. p50, p99 and max
over the sessions of a round; the report gives the median over the rounds (and their range).
Setups take turns round by round, their order rotated, so each sees the same machine.

The clients are a minimal websocket client of its own (handshake, masked text frames, pongs; an
``asyncio.Protocol`` per socket, no task per session), spread over ``--procs`` processes, so that
what is measured is the server rather than a websocket library's per-message tasks. Each client
process measures its own loop while a round runs: how late a 1 ms timer fires (its lag: how
long a socket with a patch could wait for the loop) and its CPU time over the round.

Memory: the server's RSS (``VmRSS`` from /proc; for ``--workers 2`` the sum of the two workers)
after one page load, then after every session joined and subscribed, 1 s later.

    .venv/bin/python bench/fanout.py [--sessions 1000] [--rounds 9] [--procs 2]
        [--setups pylive,redis,pyview,floor] [--pyview-python PATH]
    .venv/bin/python bench/fanout.py --in-process [--sessions 1000] [--rounds 9]

``--in-process`` runs pylive's share alone: the same sessions' code (``Connection``) over
in-memory transports in one process, from the broadcast to the last frame handed over.

``--pyview-python`` defaults to ``~/.cache/pylive-peers/venv-pyview/bin/python``
(``../shared/peers/setup.sh`` makes it). The Redis setup needs ``redis-server`` on the PATH and
``pylive.pubsub_redis``; it is left out (and said so) when either is missing.

The bench app raises the per-address limits (``Limits``: handshakes per second and open
connections per address, which a thousand sessions from one address would pass) and turns the
idle timeout off (the sessions send nothing between rounds); pyview has no such limits.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import importlib.util
import json
import multiprocessing
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from multiprocessing.connection import Connection as Pipe
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._client import HOST, get_page, pct, repo_root, vmrss_kib, wait_http
from pylive import App, Limits, LiveView, pubsub
from pylive._callbacks import runs_in_thread
from pylive.html import div, p
from pylive.http import HttpRequest
from pylive.sanic._app import tune_gc
from pylive.session import Connection
from pylive.view_render import dead_render

TOPIC = "fanout"
SECRET = "pylive fan-out benchmark secret, not for production"
REDIS_ENV = "PYLIVE_FANOUT_REDIS"
LIMITS = Limits(
    websocket_connects_per_second=1_000_000.0,
    websocket_connect_burst=1_000_000,
    max_connections_per_ip=0,
    idle_timeout=0,
)
PYVIEW_PYTHON = Path.home() / ".cache" / "pylive-peers" / "venv-pyview" / "bin" / "python"
WAIT = 30.0  # seconds: the most any one step (a session's join, a round) may take


class Fanout(LiveView):
    """Subscribes to the topic once connected and shows the last message it got."""

    def mount(self, params: Any, session: Any, socket: Any) -> None:
        socket.assign(msg="waiting")
        pubsub.subscribe(socket, TOPIC)  # nothing on the HTTP render

    def handle_info(self, msg: Any, socket: Any) -> None:
        socket.assign(msg=msg)

    def render(self, assigns: Any) -> Any:
        return div(p(assigns.msg, id="msg"), id="fan")


def fire(request: HttpRequest) -> dict[str, Any]:
    """``POST /fire`` with ``msg``: broadcast it to the topic."""
    return {"subscribers": pubsub.broadcast(TOPIC, str(request.form.get("msg")))}


def make_app(hub: Any = None) -> App:
    fan = App(secret_key=SECRET, limits=LIMITS, pubsub=hub)
    fan.live("/fan", Fanout)
    fan.post("/fire", fire)
    return fan


app = make_app()
if os.environ.get(REDIS_ENV):  # the Redis setup's workers (bench.fanout:app_redis)
    from pylive.pubsub_redis import RedisPubSub  # type: ignore[import-not-found,unused-ignore]

    app_redis = make_app(RedisPubSub(os.environ[REDIS_ENV]))


# --- the client: a minimal websocket client, one asyncio.Protocol per socket --------------------


class Wire(asyncio.Protocol):
    """One client websocket: the upgrade, then frames. Text messages go to ``inbox`` while
    someone waits for one (the join); while ``marker`` is set, the first message holding it
    is stamped (``got``) and reported to ``on_hit``."""

    def __init__(self, request: bytes, key: str) -> None:
        self.request = request
        self.accept = base64.b64encode(
            hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()
        )
        self.transport: Any = None
        self.buf = bytearray()
        self.parts: list[bytes] = []
        loop = asyncio.get_running_loop()
        self.upgraded: asyncio.Future[None] = loop.create_future()
        self.inbox: asyncio.Queue[bytes] | None = None
        self.marker: bytes | None = None
        self.got = 0.0
        self.on_hit: Callable[[], None] = lambda: None
        self.closed = False

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        sock = transport.get_extra_info("socket")
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        transport.write(self.request)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if not self.upgraded.done():
            self.upgraded.set_exception(ConnectionError("closed before the upgrade"))

    def data_received(self, data: bytes) -> None:
        now = time.perf_counter()
        buf = self.buf
        buf += data
        if not self.upgraded.done():
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(buf[:end])
            del buf[: end + 4]
            if not head.startswith(b"HTTP/1.1 101") or self.accept not in head:
                self.upgraded.set_exception(ConnectionError(f"upgrade refused: {head[:200]!r}"))
                return
            self.upgraded.set_result(None)
        while len(buf) >= 2:
            b0, n = buf[0], buf[1] & 0x7F
            at = 2
            if n == 126:
                if len(buf) < 4:
                    return
                n, at = int.from_bytes(buf[2:4], "big"), 4
            elif n == 127:
                if len(buf) < 10:
                    return
                n, at = int.from_bytes(buf[2:10], "big"), 10
            if len(buf) < at + n:
                return
            payload = bytes(buf[at : at + n])
            del buf[: at + n]
            self.frame(b0 & 0x0F, bool(b0 & 0x80), payload, now)

    def frame(self, opcode: int, fin: bool, payload: bytes, now: float) -> None:
        if opcode == 9:  # ping
            self.send(payload, 0xA)
        elif opcode == 8:  # close: answer it
            self.closed = True
            self.send(payload[:2], 0x8)
        elif opcode in (0, 1, 2):
            self.parts.append(payload)
            if fin:
                message = b"".join(self.parts)
                self.parts.clear()
                self.message(message, now)

    def message(self, message: bytes, now: float) -> None:
        marker = self.marker
        if marker is not None and marker in message:
            self.marker = None
            self.got = now
            self.on_hit()
        elif self.inbox is not None:
            self.inbox.put_nowait(message)

    def send(self, data: bytes, opcode: int = 0x1) -> None:
        n = len(data)
        if n < 126:
            head = bytes((0x80 | opcode, 0x80 | n))
        elif n < 65536:
            head = bytes((0x80 | opcode, 0x80 | 126)) + n.to_bytes(2, "big")
        else:
            head = bytes((0x80 | opcode, 0x80 | 127)) + n.to_bytes(8, "big")
        mask = os.urandom(4)
        masked = int.from_bytes(data, "big") ^ int.from_bytes((mask * (n // 4 + 1))[:n], "big")
        self.transport.write(head + mask + masked.to_bytes(n, "big"))

    async def receive(self) -> dict[str, Any] | list[Any]:
        """The next text message, decoded (the join's answer)."""
        if self.inbox is None:
            self.inbox = asyncio.Queue()
        try:
            decoded: Any = json.loads(await asyncio.wait_for(self.inbox.get(), WAIT))
            return decoded
        finally:
            self.inbox = None


async def http_get(port: int, path: str) -> tuple[str, dict[str, str]]:
    """GET ``path`` (one connection, closed after): the body and the cookies set."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n\r\n".encode()
        )
        raw = await asyncio.wait_for(reader.read(-1), WAIT)
    finally:
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    if " 200 " not in lines[0] + " ":
        raise RuntimeError(f"GET {path}: {lines[0]}")
    cookies = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "set-cookie":
            cname, _, rest = value.strip().partition("=")
            cookies[cname] = rest.split(";", 1)[0]
    return body.decode(), cookies


async def ws_open(port: int, path: str, cookie: str = "") -> Wire:
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        + (f"Cookie: {cookie}\r\n" if cookie else "")
        + "\r\n"
    )
    loop = asyncio.get_running_loop()
    _, wire = await loop.create_connection(lambda: Wire(request.encode(), key), HOST, port)
    await asyncio.wait_for(wire.upgraded, WAIT)
    return wire


_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
_SESSION = re.compile(r'data-phx-session="([^"]*)"')
_PV_ROOT = re.compile(r'id="(phx-[0-9A-Za-z_-]+)"')


def found(rx: re.Pattern[str], text: str, what: str) -> str:
    match = rx.search(text)
    if match is None:
        raise RuntimeError(f"the page has no {what}")
    return match.group(1)


async def open_pylive(port: int) -> Wire:
    """A pylive session: page, websocket with the CSRF cookie, ``join``, its answer."""
    body, cookies = await http_get(port, "/fan")
    csrf, token = found(_CSRF, body, "csrf-token"), found(_SESSION, body, "join token")
    cookie = f"_pylive_csrf={cookies['_pylive_csrf']}"
    wire = await ws_open(port, f"/live?csrf={urllib.parse.quote(csrf)}", cookie)
    url = f"http://{HOST}:{port}/fan"
    wire.send(json.dumps({"type": "join", "ref": 0, "token": token, "url": url}).encode())
    while True:
        frame = await wire.receive()
        if isinstance(frame, dict) and frame.get("ref") == 0:
            if "tree" not in frame:
                raise RuntimeError(f"pylive refused the join: {json.dumps(frame)[:300]}")
            return wire


async def open_pyview(port: int) -> Wire:
    """A pyview session: page, Phoenix websocket, ``phx_join`` on ``lv:<id>``, its reply."""
    body, _ = await http_get(port, "/fan")
    csrf = found(_CSRF, body, "csrf-token")
    session, root = found(_SESSION, body, "data-phx-session"), found(_PV_ROOT, body, "root id")
    wire = await ws_open(port, f"/live/websocket?_csrf_token={csrf}&vsn=2.0.0")
    url = f"http://{HOST}:{port}/fan"
    join = {"url": url, "params": {"_csrf_token": csrf, "_mounts": 0}, "session": session}
    wire.send(json.dumps(["1", "1", "lv:" + root, "phx_join", {**join, "static": ""}]).encode())
    while True:
        frame = await wire.receive()
        if isinstance(frame, list) and frame[1] == "1" and frame[3] == "phx_reply":
            if frame[4].get("status") != "ok":
                raise RuntimeError(f"pyview refused the join: {json.dumps(frame)[:300]}")
            return wire


async def open_floor(port: int) -> Wire:
    """A floor session: the websocket alone (the floor has no page, join or view)."""
    return await ws_open(port, "/live")


OPENERS = {"pylive": open_pylive, "pyview": open_pyview, "floor": open_floor}


class Fleet:
    """The sessions of one client process, by setup; run by ``fleet_main`` in its own process,
    told what to do over a pipe: ``open``, ``arm`` (a round), ``close``."""

    def __init__(self, pipe: Pipe) -> None:
        self.pipe = pipe
        self.sessions: dict[str, list[Wire]] = {}
        self.commands: asyncio.Queue[Any] = asyncio.Queue()

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        loop.add_reader(self.pipe.fileno(), lambda: self.commands.put_nowait(self.pipe.recv()))
        try:
            while True:
                command, *args = await self.commands.get()
                if command == "open":
                    self.pipe.send(await self.open(*args))
                elif command == "arm":
                    await self.round(*args)
                elif command == "close":
                    break
        finally:
            loop.remove_reader(self.pipe.fileno())
            for wires in self.sessions.values():
                for wire in wires:
                    if wire.transport is not None:
                        wire.transport.close()

    async def open(self, setup: str, kind: str, port: int, count: int) -> tuple[int, float]:
        opener = OPENERS[kind]
        limit = asyncio.Semaphore(16)
        t0 = time.perf_counter()

        async def one() -> Wire:
            async with limit:
                return await opener(port)

        self.sessions[setup] = list(await asyncio.gather(*(one() for _ in range(count))))
        return count, time.perf_counter() - t0

    async def round(self, setup: str, marker: bytes) -> None:
        """Arm every session of ``setup`` with the marker, say so, then wait until each has it
        (or ``WAIT``) and send back the stamps, the loop's worst lag and the CPU time spent."""
        loop = asyncio.get_running_loop()
        wires = self.sessions[setup]
        left = [len(wires)]
        done: asyncio.Future[None] = loop.create_future()

        def hit() -> None:
            left[0] -= 1
            if left[0] == 0 and not done.done():
                done.set_result(None)

        for wire in wires:
            wire.marker, wire.got, wire.on_hit = marker, 0.0, hit
        lag = [0.0]
        due = [loop.time() + 0.001]

        def tick() -> None:
            now = loop.time()
            lag[0] = max(lag[0], now - due[0])
            due[0] = now + 0.001
            handle[0] = loop.call_at(due[0], tick)

        handle = [loop.call_at(due[0], tick)]
        cpu = time.process_time()
        self.pipe.send("armed")
        try:
            await asyncio.wait_for(done, WAIT)
        except TimeoutError:
            pass
        cpu = time.process_time() - cpu
        handle[0].cancel()
        for wire in wires:
            wire.marker = None
        stamps = [wire.got for wire in wires if wire.got]
        closed = sum(wire.closed for wire in wires)
        self.pipe.send((stamps, len(wires) - len(stamps), closed, lag[0], cpu))


def fleet_main(pipe: Pipe) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the coordinator stops us
    asyncio.run(Fleet(pipe).run())


# --- the floor: 1,000 websocket frames written, and nothing else -------------------------------


class FloorProtocol(asyncio.Protocol):
    """The floor's server side of one connection: a websocket upgrade (kept in ``sockets``),
    ``POST /fire`` (one prebuilt text frame with the message written to every socket, in one
    loop), or any other request (200, for the readiness probe). Client frames are ignored."""

    def __init__(self, sockets: set[Any]) -> None:
        self.sockets = sockets
        self.buf = bytearray()
        self.transport: Any = None
        self.upgraded = False

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def connection_lost(self, exc: Exception | None) -> None:
        self.sockets.discard(self.transport)

    def data_received(self, data: bytes) -> None:
        if self.upgraded:
            return
        self.buf += data
        end = self.buf.find(b"\r\n\r\n")
        if end < 0:
            return
        head = bytes(self.buf[:end]).decode("latin-1")
        body = bytes(self.buf[end + 4 :])
        key = re.search(r"(?im)^sec-websocket-key:\s*(\S+)", head)
        if head.startswith("GET /live") and key is not None:
            accept = base64.b64encode(
                hashlib.sha1(
                    (key.group(1) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()
                ).digest()
            ).decode()
            self.transport.write(
                b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept.encode() + b"\r\n\r\n"
            )
            self.upgraded = True
            self.sockets.add(self.transport)
            return
        if head.startswith("POST /fire"):
            length = re.search(r"(?im)^content-length:\s*(\d+)", head)
            if length is None or len(body) < int(length.group(1)):
                return
            msg = urllib.parse.parse_qs(body.decode())["msg"][0]
            payload = json.dumps({"ops": [[0, [1, 0, 0], msg]]}).encode()
            frame = bytes((0x81, len(payload))) + payload
            for transport in list(self.sockets):
                transport.write(frame)
        self.transport.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        self.transport.close()


def serve_floor(port: int) -> None:
    """Serve the floor on ``port`` until stopped (uvloop when installed, as Sanic runs)."""

    async def serve() -> None:
        sockets: set[Any] = set()
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: FloorProtocol(sockets), HOST, port)
        async with server:
            await server.serve_forever()

    try:
        import uvloop

        uvloop.run(serve())
    except ImportError:
        asyncio.run(serve())


# --- pylive's own share: the same sessions in process, over in-memory transports ---------------


class MemoryTransport:
    """A session's transport that keeps nothing: ``send`` counts the frame and stamps the last."""

    def __init__(self, sent: list[float]) -> None:
        self.sent = sent
        self.inbox: asyncio.Queue[str | None] = asyncio.Queue()

    async def recv(self) -> str | None:
        return await self.inbox.get()

    async def send(self, text: str) -> None:
        self.sent.append(time.perf_counter())

    async def close(self, code: int, reason: str = "") -> None:
        pass


async def in_process(sessions: int, rounds: int) -> list[float]:
    """``sessions`` pylive sessions of this app (``Connection``, the session code the server
    runs) over in-memory transports in this process; per round, ms from the broadcast until
    the last has handed its frame to its transport: pylive's own work, without sockets."""
    found = app.match("/fan")
    assert found is not None
    route, params = found
    url = f"http://{HOST}/fan"
    dead = await dead_render(app, route, params, url, {})
    sent: list[float] = []
    transports = [MemoryTransport(sent) for _ in range(sessions)]
    tasks = [asyncio.create_task(Connection(app, t).run()) for t in transports]
    join = json.dumps({"type": "join", "ref": 0, "token": dead.token, "url": url})
    for transport in transports:
        transport.inbox.put_nowait(join)
    while len(sent) < sessions:
        await asyncio.sleep(0.01)
    times = []
    for n in range(rounds + 1):
        sent.clear()
        t0 = time.perf_counter()
        pubsub.broadcast(TOPIC, f"round-{n:06d}")
        while len(sent) < sessions:
            await asyncio.sleep(0)
        if n:
            times.append((max(sent) - t0) * 1000)
    for transport in transports:
        transport.inbox.put_nowait(None)
    await asyncio.gather(*tasks)
    return times


def run_in_process(sessions: int, rounds: int) -> None:
    tune_gc()  # as the server does
    try:
        import uvloop

        times = uvloop.run(in_process(sessions, rounds))
    except ImportError:
        times = asyncio.run(in_process(sessions, rounds))
    mid = statistics.median(times)
    print(
        f"in process, {sessions} sessions over in-memory transports: broadcast to the last frame "
        f"{mid:.1f} ms median of {rounds} [{min(times):.1f}-{max(times):.1f}], "
        f"{mid / sessions * 1000:.0f} µs per session"
    )
    if runs_in_thread(Fanout.handle_info):
        print("(tainted: pylive moved Fanout.handle_info to a worker thread during the run)")


# --- the coordinator ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (a Sanic main process's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def listening(port: int) -> set[str]:
    """The inodes of the sockets listening on ``port`` (from /proc/net/tcp)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(f":{port:04X}") and fields[3] == "0A":
            inodes.add(fields[9])
    return inodes


def holds(pid: int, inodes: set[str]) -> bool:
    """Whether the process has one of these sockets open."""
    links = {f"socket:[{inode}]" for inode in inodes}
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if os.readlink(fd) in links:
                return True
        except OSError:
            pass
    return False


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc (clock ticks: 10 ms steps)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sockets(pid: int) -> int:
    """Open sockets of a process (each live session holds one)."""
    n = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            n += os.readlink(fd).startswith("socket:")
        except OSError:
            pass
    return n


class Server:
    """One setup's server process (and its Redis, for the Redis setup), stopped by ``stop``."""

    def __init__(self, setup: str, scratch: Path, pyview_python: Path) -> None:
        self.setup = setup
        self.kind = setup if setup in ("pyview", "floor") else "pylive"
        self.port = free_port()
        self.redis: subprocess.Popen[bytes] | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        self._workers: list[int] = []
        self.log = scratch / f"{setup}.log"
        root = repo_root()
        env = dict(os.environ)
        python = str(root / ".venv" / "bin" / "python")
        run = [python, "-m", "pylive", "run", "--port", str(self.port)]
        try:
            if setup == "pylive":
                argv = [*run, "bench.fanout:app"]
            elif setup == "redis":
                redis_port = free_port()
                self.redis = subprocess.Popen(
                    ["redis-server", "--bind", HOST, "--port", str(redis_port), "--save", "",
                     "--appendonly", "no", "--dir", str(scratch)],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                )  # fmt: skip
                wait_redis(self.redis, redis_port)
                env[REDIS_ENV] = f"redis://{HOST}:{redis_port}/0"
                argv = [*run, "--workers", "2", "bench.fanout:app_redis"]
            elif setup == "floor":
                argv = [python, str(root / "bench" / "fanout.py"), "--floor", str(self.port)]
            else:
                argv = [str(pyview_python), str(root / "bench" / "pyview_fanout_app.py"),
                        str(self.port)]  # fmt: skip
            with open(self.log, "wb") as log:
                self.proc = subprocess.Popen(
                    argv, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
            wait_http(self.proc, f"http://{HOST}:{self.port}/fan", 180)
            if setup == "redis":  # the workers: the children serving the port
                deadline = time.monotonic() + 60
                while len(self.workers()) < 2 and time.monotonic() < deadline:
                    time.sleep(0.1)
                self._workers = self.workers()
                if len(self._workers) != 2:
                    raise RuntimeError(f"expected 2 workers, found {self._workers}")
        except BaseException:
            self.stop()
            print(f"{setup} server's output (tail):\n{self.tail()}", file=sys.stderr)
            raise

    @property
    def pids(self) -> list[int]:
        """The processes serving (the workers, for ``--workers 2``)."""
        assert self.proc is not None
        return self._workers if self.setup == "redis" else [self.proc.pid]

    def workers(self) -> list[int]:
        assert self.proc is not None
        inodes = listening(self.port)
        return [pid for pid in children(self.proc.pid) if holds(pid, inodes)]

    def rss_kib(self) -> int:
        return sum(vmrss_kib(pid) for pid in self.pids)

    def cpu(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.pids)

    def fire_headers(self) -> str:
        """What ``POST /fire`` needs beside its body: pylive's CSRF cookie and token."""
        if self.kind != "pylive":
            return ""
        page = get_page(f"http://{HOST}:{self.port}/fan")
        return f"Cookie: _pylive_csrf={page.cookie}\r\nx-csrf-token: {page.csrf}\r\n"

    def warnings(self) -> list[str]:
        """What the server logged at warning level or above (a view moved to a worker thread,
        a mailbox overflow...): such a run's figures are not the path the report describes."""
        if not self.log.exists():
            return []
        lines = self.log.read_text(errors="replace").splitlines()
        return [line for line in lines if re.search(r"WARNING|ERROR|CRITICAL|Traceback", line)]

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""

    def stop(self) -> None:
        try:
            if self.proc is not None:
                stop_group(self.proc)
        finally:
            if self.redis is not None:
                stop_group(self.redis)


def stop_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop a process started in its own session, and what it started: SIGTERM to it alone,
    as an operator stops a server (Sanic's main process then stops its workers and its
    manager), then SIGKILL to the whole group for anything left. A loaded machine can take
    its time: the waits are long, and bounded."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # the group: workers left behind, or a stuck main
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        print(f"warning: process {proc.pid} did not stop", file=sys.stderr)


def wait_redis(proc: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"redis-server exited with rc={proc.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"redis-server did not answer on port {port}")


def post_fire(port: int, marker: str, headers: str) -> tuple[float, float]:
    """``POST /fire`` on a fresh connection: (t0, when the answer's first bytes came)."""
    body = f"msg={marker}"
    request = (
        f"POST /fire HTTP/1.1\r\nHost: {HOST}:{port}\r\n{headers}"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}"
    ).encode()
    with socket.create_connection((HOST, port), timeout=WAIT) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        t0 = time.perf_counter()
        s.sendall(request)
        first = s.recv(65536)
        answered = time.perf_counter()
        rest = first
        while chunk := s.recv(65536):
            rest += chunk
    if not first.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(f"POST /fire answered {rest[:300]!r}")
    return t0, answered


class Rounds:
    """Per setup, per round: the latency figures (ms) and the client's and server's load."""

    def __init__(self) -> None:
        self.rows: list[dict[str, float]] = []

    def add(self, **row: float) -> None:
        self.rows.append(row)

    def median(self, key: str) -> float:
        return statistics.median(row[key] for row in self.rows)

    def span(self, key: str) -> tuple[float, float]:
        values = [row[key] for row in self.rows]
        return min(values), max(values)


def one_round(
    server: Server, pipes: list[Pipe], marker: str, headers: str, sessions: int
) -> dict[str, float]:
    for pipe in pipes:
        pipe.send(("arm", server.setup, marker.encode()))
    for pipe in pipes:
        if not pipe.poll(WAIT) or pipe.recv() != "armed":
            raise RuntimeError("a client process did not arm")
    cpu0 = server.cpu()
    t0, answered = post_fire(server.port, marker, headers)
    stamps: list[float] = []
    lags, cpus = [], []
    for pipe in pipes:
        if not pipe.poll(WAIT + 10):
            raise RuntimeError("a client process did not report")
        got, missing, closed, lag, cpu = pipe.recv()
        if missing:
            raise RuntimeError(
                f"{server.setup}: {missing} sessions did not get {marker} within {WAIT} s "
                f"({closed} closed)\n{server.tail()}"
            )
        stamps += got
        lags.append(lag)
        cpus.append(cpu)
    latencies = [(t - t0) * 1000 for t in stamps]
    wall = max(latencies)
    return {
        "p50": pct(latencies, 50),
        "p99": pct(latencies, 99),
        "max": wall,
        "first": min(latencies),
        "answered": (answered - t0) * 1000,
        "server_cpu": (server.cpu() - cpu0) * 1000,
        "client_lag": max(lags) * 1000,
        "client_busy": max(cpus) * 1000 / wall,
        "n": float(len(latencies)),
    }


def redis_available() -> str | None:
    """Why the Redis setup cannot run, or None."""
    if shutil.which("redis-server") is None:
        return "no redis-server on the PATH"
    if importlib.util.find_spec("pylive.pubsub_redis") is None:
        return "no pylive.pubsub_redis yet"
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--procs", type=int, default=2, help="client processes")
    parser.add_argument("--setups", default="pylive,redis,pyview,floor")
    parser.add_argument("--pyview-python", type=Path, default=PYVIEW_PYTHON)
    parser.add_argument("--floor", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument(
        "--in-process", action="store_true", help="pylive's own share only: no server, no sockets"
    )
    args = parser.parse_args()
    if args.floor is not None:
        serve_floor(args.floor)
        return
    if args.in_process:
        run_in_process(args.sessions, args.rounds)
        return
    setups = [s for s in args.setups.split(",") if s]
    if unknown := set(setups) - {"pylive", "redis", "pyview", "floor"}:
        parser.error(f"unknown setups {sorted(unknown)}")
    if "pyview" in setups and not args.pyview_python.exists():
        parser.error(f"no pyview interpreter at {args.pyview_python} (../shared/peers/setup.sh)")
    if "redis" in setups and (why := redis_available()) is not None:
        print(f"(the Redis setup is left out: {why})")
        setups.remove("redis")
    clock = time.get_clock_info("perf_counter").implementation
    if args.procs > 1 and "CLOCK_MONOTONIC" not in clock:
        parser.error(f"several client processes need one clock; perf_counter is {clock}")

    ctx = multiprocessing.get_context("spawn")
    servers: dict[str, Server] = {}
    fleets: list[tuple[Any, Pipe]] = []
    scratch = Path(tempfile.mkdtemp(prefix="fanout-bench-"))
    results = {setup: Rounds() for setup in setups}
    rss: dict[str, tuple[int, int]] = {}
    opened: dict[str, float] = {}
    spread: dict[str, list[int]] = {}
    try:
        for _ in range(args.procs):
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(target=fleet_main, args=(theirs,), daemon=True)
            proc.start()
            fleets.append((proc, mine))
        pipes = [pipe for _, pipe in fleets]
        shares = [args.sessions // args.procs + (i < args.sessions % args.procs)
                  for i in range(args.procs)]  # fmt: skip
        headers: dict[str, str] = {}
        for setup in setups:
            server = servers[setup] = Server(setup, scratch, args.pyview_python)
            headers[setup] = server.fire_headers()  # also the one page load before the RSS
            time.sleep(1)
            before = server.rss_kib()
            socks = [sockets(pid) for pid in server.pids]
            t0 = time.perf_counter()
            for pipe, share in zip(pipes, shares, strict=True):
                pipe.send(("open", setup, server.kind, server.port, share))
            for pipe in pipes:
                if not pipe.poll(args.sessions * 0.2 + 60):
                    raise RuntimeError(f"{setup}: the sessions did not open\n{server.tail()}")
                pipe.recv()
            opened[setup] = time.perf_counter() - t0
            time.sleep(1)
            rss[setup] = (before, server.rss_kib())
            spread[setup] = [sockets(pid) - n for pid, n in zip(server.pids, socks, strict=True)]
            print(f"{setup}: {args.sessions} sessions joined in {opened[setup]:.1f} s", flush=True)
        for round_ in range(args.rounds + 1):  # round 0 warms up and is not counted
            k = round_ % len(setups)
            for setup in setups[k:] + setups[:k]:
                marker = f"round-{round_:06d}"
                row = one_round(servers[setup], pipes, marker, headers[setup], args.sessions)
                if round_:
                    results[setup].add(**row)
                time.sleep(0.5)
            print(f"round {round_} done", flush=True)
        for pipe in pipes:
            pipe.send(("close",))
    finally:
        for proc, pipe in fleets:
            proc.join(5)
            if proc.is_alive():
                proc.terminate()
                proc.join(5)
            pipe.close()
        for server in servers.values():
            server.stop()
        logged = {setup: server.warnings() for setup, server in servers.items()}
        shutil.rmtree(scratch, ignore_errors=True)
    report(args, setups, results, rss, spread)
    for setup, lines in logged.items():
        if lines:
            print(f"\n{setup}'s server logged {len(lines)} warnings, the first:")
            print("\n".join("    " + line[:300] for line in lines[:5]))


def report(
    args: Any,
    setups: list[str],
    results: dict[str, Rounds],
    rss: dict[str, tuple[int, int]],
    spread: dict[str, list[int]],
) -> None:
    names = {
        "pylive": "pylive, in-process PubSub, 1 worker",
        "redis": "pylive, Redis PubSub, 2 workers",
        "pyview": "pyview 0.9.0, in-process PubSub",
        "floor": "floor: the frames written, no framework",
    }
    print()
    print(f"{args.sessions} sessions on one topic, one broadcast; medians of {args.rounds} rounds"
          f" [min-max], ms from the POST; {args.procs} client process(es)")  # fmt: skip
    print("| setup | p50 | p99 | last session | first | POST answered | server CPU | "
          "client lag | client busy |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for setup in setups:
        r = results[setup]

        def cell(key: str, r: Rounds = r) -> str:
            lo, hi = r.span(key)
            return f"{r.median(key):.1f} [{lo:.1f}-{hi:.1f}]"

        print(
            f"| {names[setup]} | {cell('p50')} | {cell('p99')} | **{cell('max')}** | "
            f"{r.median('first'):.1f} | {r.median('answered'):.1f} | "
            f"{r.median('server_cpu'):.0f} | {r.median('client_lag'):.1f} | "
            f"{r.median('client_busy') * 100:.0f} % |"
        )
    print()
    if "pylive" in setups:
        base = results["pylive"]
        for other in [s for s in setups if s != "pylive"]:
            ratios = [f"{key} {results[other].median(key) / base.median(key):.2f}×"
                      for key in ("p50", "p99", "max")]  # fmt: skip
            print(f"{other} / pylive in process: " + ", ".join(ratios))
        print(f"target: last session ≤ 100 ms in process: {base.median('max'):.1f} ms")
    print()
    print("| setup | RSS before | RSS with the sessions | per 1,000 subscribed sessions | "
          "sessions per process |")  # fmt: skip
    print("|---|---|---|---|---|")
    for setup in setups:
        before, after = rss[setup]
        per = (after - before) / args.sessions * 1000 / 1024
        print(f"| {names[setup]} | {before / 1024:.1f} MiB | {after / 1024:.1f} MiB | "
              f"{per:.1f} MiB | {' + '.join(map(str, spread[setup]))} |")  # fmt: skip


if __name__ == "__main__":
    main()
