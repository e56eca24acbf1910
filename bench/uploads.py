"""Upload throughput through the real websocket: a 50 MB file sent in 64 KB chunks to pylive
(``allow_upload``: preflight, binary chunk frames, acks, a temp file), to pyview (``pyview-web``,
the Python peer that speaks Phoenix LiveView's upload protocol; ``bench/pyview_upload_app.py``)
and to the floor — a bare Sanic websocket that writes each binary frame to a file and acks it,
with no protocol, view or render. Each client sends as its framework's browser client does:
pylive two chunks in flight per entry (client.js's ``CHUNKS_IN_FLIGHT``; the floor the same),
pyview one (Phoenix's JS client waits for each chunk's reply); ``--window 1`` runs pylive and the
floor one at a time too. Each upload goes to a fresh server in its own process; the three kinds
are interleaved round by round and their RSS is sampled during the upload. Figures, not a test.

The pyview client does what Phoenix's JS client does (``phoenix_live_view`` 0.20.17, bundled with
pyview): page GET, ``phx_join`` on ``lv:<id>``, the file input's form ``event`` with ``uploads``,
the ``allow_upload`` preflight, ``phx_join`` on ``lvu:<entry ref>`` with the entry as its token,
then binary ``chunk`` pushes, each waiting for its ``phx_reply``, with a ``progress`` push whenever
the whole percentage rises; the upload is done when the 100 % ``progress`` is answered, and that
answer must show the byte count the server wrote. As for pylive, the clock runs from the first
chunk. pyview runs under uvicorn in its own venv (``../shared/peers/setup.sh`` makes it):

    .venv/bin/python bench/uploads.py [--mb 50] [--rounds 3] [--pyview-python PATH]

``--pyview-python`` defaults to ``~/.cache/pylive-peers/venv-pyview/bin/python``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._client import (
    HOST,
    WAIT,
    aget_page,
    join_frame,
    reply_for,
    repo_root,
    start_server,
    stop_server,
    vmrss_kib,
    wait_http,
    ws_connect,
)
from pylive import App, LiveView
from pylive.html import form, p
from pylive.inputs import live_file_input

CHUNK = 64_000
KINDS = ("pylive", "pyview", "floor")
PYVIEW_PYTHON = Path.home() / ".cache" / "pylive-peers" / "venv-pyview" / "bin" / "python"


class UploadBench(LiveView):
    def mount(self, params: Any, session: Any, socket: Any) -> None:
        socket.allow_upload("doc", accept=":any", max_file_size=200_000_000, chunk_size=CHUNK)

    def render(self, assigns: Any) -> Any:
        upload = assigns.uploads.doc
        return form(
            live_file_input(upload),
            [p(f"{e.client_name} {e.progress}%") for e in upload.entries],
            id="f",
            phx_change="validate",
        )

    def handle_event(self, event: str, params: Any, socket: Any) -> None:
        return None


app = App(secret_key="bench-secret-key-0123456789")
app.live("/s1", UploadBench)


def floor_app() -> Any:
    """The floor: a Sanic websocket that writes each binary frame to a file and acks it."""
    from sanic import Request, Sanic, response

    floor = Sanic("upload_floor")
    floor.config.ACCESS_LOG = False
    floor.config.MOTD = False
    floor.config.WEBSOCKET_MAX_SIZE = 1 << 20

    @floor.get("/s1")
    async def page(request: Request) -> Any:
        return response.text("ok")

    @floor.websocket("/live")
    async def live(request: Request, ws: Any) -> None:
        received = 0
        with tempfile.TemporaryFile() as out:
            while True:
                frame = await ws.recv()
                if frame is None:
                    return
                out.write(frame)
                received += len(frame)
                await ws.send(json.dumps({"type": "upload_ack", "received": received}))

    return floor


def sample_rss(pid: int, stop: threading.Event, peak: list[int]) -> None:
    while not stop.is_set():
        try:
            peak[0] = max(peak[0], vmrss_kib(pid))
        except (OSError, RuntimeError):
            return
        time.sleep(0.05)


async def until(ws: Any, match: Any) -> dict[str, Any]:
    while True:
        msg = await asyncio.wait_for(ws.recv(), WAIT)
        if isinstance(msg, str):
            frame = json.loads(msg)
            if match(frame):
                return frame


async def pylive_upload(port: int, data: bytes) -> float:
    base = f"http://{HOST}:{port}"
    page = await aget_page(base + "/s1")
    ws = await ws_connect(base, page)
    await ws.send(join_frame(0, page.token, base + "/s1"))
    await until(ws, lambda f: reply_for(json.dumps(f), 0) is not None)
    entry = {"ref": "0", "name": "big.bin", "size": len(data), "type": "", "last_modified": 0}
    change = {"type": "event", "ref": 1, "kind": "change", "event": "validate", "value": []}
    await ws.send(json.dumps({**change, "target": "doc", "uploads": {"phx-upload-0": [entry]}}))
    await until(ws, lambda f: f.get("ref") == 1)
    await ws.send(
        json.dumps({"type": "upload", "ref": 2, "upload": "phx-upload-0", "entries": ["0"]})
    )
    reply = await until(ws, lambda f: f.get("ref") == 2)
    token = reply["reply"]["entries"]["0"]["token"]
    start = time.perf_counter()

    def chunk(offset: int) -> bytes:
        header = json.dumps({"token": token, "offset": offset}).encode()
        return len(header).to_bytes(2, "big") + header + data[offset : offset + CHUNK]

    async def acked() -> int:
        frame = await until(ws, lambda f: f.get("type") in ("upload_ack", "upload_error"))
        if frame["type"] == "upload_error":
            raise RuntimeError(f"pylive refused a chunk: {frame!r}")
        return int(frame["received"])

    received = await windowed(ws, data, chunk, acked)
    elapsed = time.perf_counter() - start
    await ws.close()
    if received != len(data):
        raise RuntimeError(f"pylive acknowledged {received} bytes of {len(data)}")
    return elapsed


WINDOW = 2
"""Chunks in flight for pylive and the floor (``--window``): client.js's ``CHUNKS_IN_FLIGHT``."""


async def windowed(ws: Any, data: bytes, chunk: Any, acked: Any) -> int:
    """Send ``chunk(offset)`` for each chunk of ``data``, ``WINDOW`` at most not acknowledged
    (``acked()`` waits for the next ack and gives the bytes received); the last ack's count."""
    offsets = range(0, len(data), CHUNK)
    in_flight = 0
    received = 0
    for offset in offsets:
        if in_flight == WINDOW:
            received = await acked()
            in_flight -= 1
        await ws.send(chunk(offset))
        in_flight += 1
    for _ in range(in_flight):
        received = await acked()
    return received


async def floor_upload(port: int, data: bytes) -> float:
    import websockets

    ws = await websockets.connect(f"ws://{HOST}:{port}/live", max_size=None, compression=None)
    start = time.perf_counter()

    async def acked() -> int:
        frame = await until(ws, lambda f: f.get("type") == "upload_ack")
        return int(frame["received"])

    received = await windowed(ws, data, lambda offset: data[offset : offset + CHUNK], acked)
    elapsed = time.perf_counter() - start
    await ws.close()
    if received != len(data):
        raise RuntimeError(f"the floor acknowledged {received} bytes of {len(data)}")
    return elapsed


_PV_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
_PV_SESSION = re.compile(r'data-phx-session="([^"]*)"')
_PV_ROOT = re.compile(r'id="(phx-[0-9a-f-]+)"')
_PV_UPLOAD_REF = re.compile(r'data-phx-upload-ref="([^"]+)"')


def strings(tree: Any) -> Iterator[str]:
    """Every string in a rendered tree or diff (statics and dynamics)."""
    if isinstance(tree, str):
        yield tree
    elif isinstance(tree, dict):
        for value in tree.values():
            yield from strings(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from strings(value)


class PhxSocket:
    """Phoenix channels over one websocket (serializer vsn 2.0.0): text pushes are
    ``[join_ref, ref, topic, event, payload]``; binary pushes are kind 0, four 1-byte lengths, then
    join_ref, ref, topic, event and the raw payload. Refs count up across the socket, as phoenix.js
    does; a channel's join_ref is the ref of its ``phx_join``."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.ref = 0

    def _next(self) -> str:
        self.ref += 1
        return str(self.ref)

    async def push(self, join_ref: str | None, topic: str, event: str, payload: Any) -> str:
        ref = self._next()
        await self.ws.send(json.dumps([join_ref or ref, ref, topic, event, payload]))
        return ref

    async def push_binary(self, join_ref: str, topic: str, event: str, payload: bytes) -> str:
        ref = self._next()
        meta = (join_ref + ref + topic + event).encode()
        lengths = bytes((0, len(join_ref), len(ref), len(topic), len(event)))
        await self.ws.send(lengths + meta + payload)
        return ref

    async def reply(self, ref: str) -> dict[str, Any]:
        """The ``response`` of the ``phx_reply`` to ``ref`` (other frames are skipped)."""
        while True:
            msg = await asyncio.wait_for(self.ws.recv(), WAIT)
            if not isinstance(msg, str):
                continue
            frame = json.loads(msg)
            if frame[1] == ref and frame[3] == "phx_reply":
                if frame[4].get("status") != "ok":
                    raise RuntimeError(f"pyview answered ref {ref} with an error: {msg[:300]}")
                response: dict[str, Any] = frame[4].get("response", {})
                return response


def http_get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=WAIT) as response:
        body: bytes = response.read()
    return body.decode()


async def pyview_upload(port: int, data: bytes) -> float:
    import websockets

    base = f"http://{HOST}:{port}"
    text = await asyncio.to_thread(http_get, base + "/s1")
    found = [rx.search(text) for rx in (_PV_CSRF, _PV_SESSION, _PV_ROOT)]
    if None in found:
        raise RuntimeError(f"GET {base}/s1: no csrf-token, data-phx-session or root id in the page")
    csrf, session, root_id = (m.group(1) for m in found if m is not None)
    ws = await websockets.connect(
        f"ws://{HOST}:{port}/live/websocket?_csrf_token={csrf}&vsn=2.0.0",
        compression=None,
        max_size=None,
        open_timeout=WAIT,
        ping_interval=None,
        close_timeout=2,
    )
    try:
        phx = PhxSocket(ws)
        lv = "lv:" + root_id
        params = {"_csrf_token": csrf, "_mounts": 0}
        join = {"url": base + "/s1", "params": params, "session": session, "static": ""}
        lv_join = await phx.push(None, lv, "phx_join", join)
        rendered = await phx.reply(lv_join)
        refs = {m.group(1) for s in strings(rendered) for m in _PV_UPLOAD_REF.finditer(s)}
        if len(refs) != 1:
            raise RuntimeError(f"pyview's join render has upload refs {refs}, not one")
        (upload_ref,) = refs
        size = len(data)
        entry = {
            "ref": "0",
            "name": "big.bin",
            "relative_path": "",
            "size": size,
            "type": "",
            "last_modified": 0,
        }
        # the file input's change: the form event carries the entry (with its input's name)
        change = {
            "type": "form",
            "event": "validate",
            "value": "_target=doc",
            "uploads": {upload_ref: [{"path": "doc", **entry}]},
            "cid": None,
        }
        await phx.reply(await phx.push(lv_join, lv, "event", change))
        # auto upload: the preflight, then one upload channel per entry
        preflight = {"ref": upload_ref, "entries": [entry], "cid": None}
        allowed = await phx.reply(await phx.push(lv_join, lv, "allow_upload", preflight))
        token = allowed.get("entries", {}).get("0")
        if token is None or allowed.get("config", {}).get("chunk_size") != CHUNK:
            raise RuntimeError(f"pyview's preflight answered {json.dumps(allowed)[:300]}")
        topic = "lvu:0"
        upload_join = await phx.push(None, topic, "phx_join", {"token": token})
        await phx.reply(upload_join)
        sent, ref = -1, ""
        start = time.perf_counter()
        for offset in range(0, size, CHUNK):
            chunk = data[offset : offset + CHUNK]
            await phx.reply(await phx.push_binary(upload_join, topic, "chunk", chunk))
            percent = (offset + len(chunk)) * 100 // size
            if percent > sent:  # as phoenix.js: a progress push per whole percent, not awaited
                sent = percent
                progress = {"event": None, "ref": upload_ref, "entry_ref": "0", "cid": None}
                ref = await phx.push(lv_join, lv, "progress", {**progress, "progress": percent})
        done = await phx.reply(ref)  # the 100 % progress: the entry is complete
        elapsed = time.perf_counter() - start
        if sent != 100 or f"received {size} bytes" not in strings(done):
            raise RuntimeError(f"pyview did not confirm {size} bytes: {json.dumps(done)[:300]}")
        return elapsed
    finally:
        await ws.close()


def spawn(kind: str, port: int, scratch: Path, pyview_python: Path) -> subprocess.Popen[bytes]:
    """A fresh server of one kind on ``port``, answering ``/s1``; stopped again if it fails."""
    if kind == "pylive":
        return start_server("bench.uploads:app", port)
    root = repo_root()
    if kind == "pyview":
        argv = [str(pyview_python), str(root / "bench" / "pyview_upload_app.py"), str(port)]
    else:
        argv = [str(root / ".venv" / "bin" / "python"), str(root / "bench" / "uploads.py"),
                "--floor", str(port)]  # fmt: skip
    with open(scratch / "server.log", "wb") as log:
        proc = subprocess.Popen(
            argv, cwd=root, env={**os.environ, "TMPDIR": str(scratch)},
            stdout=subprocess.DEVNULL, stderr=log, start_new_session=True,
        )  # fmt: skip
    try:
        wait_http(proc, f"http://{HOST}:{port}/s1", 60)
    except BaseException:
        stop_server(proc)
        raise
    return proc


def run(kind: str, port: int, data: bytes, pyview_python: Path) -> tuple[float, int, int]:
    """One upload to a fresh server: seconds, RSS before and peak during (KiB)."""
    with tempfile.TemporaryDirectory(prefix=f"upload-bench-{kind}-") as scratch:
        proc = spawn(kind, port, Path(scratch), pyview_python)
        stop = threading.Event()
        try:
            before = vmrss_kib(proc.pid)
            peak = [before]
            sampler = threading.Thread(target=sample_rss, args=(proc.pid, stop, peak), daemon=True)
            sampler.start()
            upload = {"pylive": pylive_upload, "pyview": pyview_upload, "floor": floor_upload}
            seconds = asyncio.run(upload[kind](port, data))
            stop.set()
            sampler.join(2)
            return seconds, before, peak[0]
        except BaseException:
            log = Path(scratch) / "server.log"
            if log.exists() and log.stat().st_size:
                tail = log.read_text(errors="replace")[-2000:]
                print(f"{kind} server's stderr (tail):\n{tail}", file=sys.stderr)
            raise
        finally:
            stop.set()
            stop_server(proc)


def main() -> None:
    global WINDOW
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pyview-python", type=Path, default=PYVIEW_PYTHON)
    parser.add_argument("--window", type=int, default=WINDOW, help="pylive's and the floor's")
    parser.add_argument("--floor", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    WINDOW = args.window
    if args.floor is not None:
        floor_app().run(host=HOST, port=args.floor, single_process=True, access_log=False)
        return
    if not args.pyview_python.exists():
        parser.error(f"no pyview interpreter at {args.pyview_python} (../shared/peers/setup.sh)")
    data = os.urandom(args.mb * 1_000_000)
    results: dict[str, list[tuple[float, int, int]]] = {kind: [] for kind in KINDS}
    for round_ in range(args.rounds):
        for i, kind in enumerate(KINDS):  # interleaved: all see the same machine
            port = 8400 + round_ * len(KINDS) + i
            results[kind].append(run(kind, port, data, args.pyview_python))
    mb = len(data) / 1e6
    chunks = f"{CHUNK // 1000} KB chunks, {WINDOW} in flight for pylive and the floor, 1 for pyview"
    print(f"{args.mb} MB in {chunks}; best (and median) of {args.rounds}")
    best = {kind: min(r[0] for r in rows) for kind, rows in results.items()}
    median = {kind: statistics.median([r[0] for r in rows]) for kind, rows in results.items()}
    for kind, rows in results.items():
        growth = max((peak - before) / 1024 for _, before, peak in rows)
        print(
            f"  {kind:7} {mb / best[kind]:7.1f} MB/s (median {mb / median[kind]:5.1f})   "
            f"RSS growth during the upload ≤ {growth:.1f} MiB"
        )
    for other in ("floor", "pyview"):  # throughput ratios: > 1 means pylive is faster
        ratio, mid = best[other] / best["pylive"], median[other] / median["pylive"]
        print(f"  pylive / {other + ':':7} {ratio:.2f} (medians {mid:.2f})")


if __name__ == "__main__":
    main()
