"""Upload throughput through the real websocket: a 50 MB file sent in 64 KB chunks, one in
flight (each waits for its ack, as client.js sends them), to pylive (``allow_upload``: preflight,
binary chunk frames, acks, a temp file) and to the floor — a bare Sanic websocket that writes each
binary frame to a file and acks it, with no protocol, view or render. Servers run in their own
process; their RSS is sampled during the upload. Figures, not a test.

    .venv/bin/python bench/uploads.py [--mb 50] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
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
    for offset in range(0, len(data), CHUNK):
        header = json.dumps({"token": token, "offset": offset}).encode()
        await ws.send(len(header).to_bytes(2, "big") + header + data[offset : offset + CHUNK])
        await until(ws, lambda f: f.get("type") in ("upload_ack", "upload_error"))
    elapsed = time.perf_counter() - start
    await ws.close()
    return elapsed


async def floor_upload(port: int, data: bytes) -> float:
    import websockets

    ws = await websockets.connect(f"ws://{HOST}:{port}/live", max_size=None, compression=None)
    start = time.perf_counter()
    for offset in range(0, len(data), CHUNK):
        await ws.send(data[offset : offset + CHUNK])
        await until(ws, lambda f: f.get("type") == "upload_ack")
    elapsed = time.perf_counter() - start
    await ws.close()
    return elapsed


def run(kind: str, port: int, data: bytes) -> tuple[float, int, int]:
    """One upload to a fresh server: seconds, RSS before and peak during (KiB)."""
    if kind == "pylive":
        proc = start_server("bench.uploads:app", port)
    else:
        root = repo_root()
        proc = subprocess.Popen(
            [str(root / ".venv" / "bin" / "python"), str(root / "bench" / "uploads.py"), "--floor",
             str(port)],
            cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        wait_http(proc, f"http://{HOST}:{port}/s1", 60)
    try:
        before = vmrss_kib(proc.pid)
        peak = [before]
        stop = threading.Event()
        sampler = threading.Thread(target=sample_rss, args=(proc.pid, stop, peak), daemon=True)
        sampler.start()
        upload = pylive_upload if kind == "pylive" else floor_upload
        seconds = asyncio.run(upload(port, data))
        stop.set()
        sampler.join(2)
        return seconds, before, peak[0]
    finally:
        stop_server(proc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--floor", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor is not None:
        floor_app().run(host=HOST, port=args.floor, single_process=True, access_log=False)
        return
    data = os.urandom(args.mb * 1_000_000)
    results: dict[str, list[tuple[float, int, int]]] = {"pylive": [], "floor": []}
    for round_ in range(args.rounds):
        for kind in ("pylive", "floor"):  # interleaved: both see the same machine
            results[kind].append(run(kind, 8400 + round_ * 2 + (kind == "floor"), data))
    mb = len(data) / 1e6
    print(f"{args.mb} MB in {CHUNK // 1000} KB chunks, one in flight; best of {args.rounds}")
    best = {kind: min(r[0] for r in rows) for kind, rows in results.items()}
    for kind, rows in results.items():
        growth = max((peak - before) / 1024 for _, before, peak in rows)
        print(
            f"  {kind:7} {mb / best[kind]:7.1f} MB/s   RSS growth during the upload "
            f"≤ {growth:.1f} MiB"
        )
    print(f"  pylive / floor: {best['floor'] / best['pylive']:.2f}")


if __name__ == "__main__":
    main()
