"""A minimal pylive wire client for the benchmarks (stdlib + ``websockets`` only, no pylive import).

It does what the browser does (docs/protocol.md): GET the page, read the CSRF token
(``<meta name="csrf-token">``: the ``_pylive_csrf`` cookie's nonce, signed) and the join token
(``data-phx-session``), open ``ws://HOST:PORT/live?csrf=<csrf>`` with the cookie, send ``join``
and then one ``event`` frame per click. Used by ``bench/pylive_peer.py`` (the shared peer
harness, which may run in another venv) and ``bench/live.py``.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import websockets

HOST = "127.0.0.1"
WAIT = 15.0  # seconds: timeout for any single expected message or request
CSRF_COOKIE = "_pylive_csrf"
_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
_SESSION = re.compile(r'data-phx-session="([^"]+)"')
_MAJOR = int(websockets.__version__.split(".")[0])


class Page:
    """The HTTP render of a live route: body size, CSRF token and join token."""

    __slots__ = ("cookie", "csrf", "nbytes", "token", "url")

    def __init__(self, url: str, body: bytes, cookie_csrf: str | None) -> None:
        text = body.decode("utf-8")
        meta = _CSRF_META.search(text)
        session = _SESSION.search(text)
        if meta is None or session is None:
            raise RuntimeError(f"GET {url}: no csrf-token meta or data-phx-session in the page")
        self.url = url
        self.nbytes = len(body)
        self.csrf = meta.group(1)
        if cookie_csrf is None or not self.csrf.startswith(cookie_csrf + "."):
            raise RuntimeError(f"GET {url}: cookie {cookie_csrf!r} does not match {self.csrf!r}")
        self.cookie = cookie_csrf
        self.token = session.group(1)


def get_page(url: str) -> Page:
    """GET a live route (blocking): the page and its tokens."""
    with urllib.request.urlopen(url, timeout=WAIT) as response:
        body = response.read()
        cookie = None
        for header in response.headers.get_all("Set-Cookie") or ():
            name, _, rest = header.partition("=")
            if name.strip() == CSRF_COOKIE:
                cookie = rest.split(";", 1)[0]
    return Page(url, body, cookie)


async def aget_page(url: str) -> Page:
    return await asyncio.to_thread(get_page, url)


async def ws_connect(base: str, page: Page) -> Any:
    """The live websocket, as the harness opens its sockets (no compression, no pings)."""
    url = base.replace("http://", "ws://") + f"/live?csrf={page.csrf}"
    headers = {"Cookie": f"{CSRF_COOKIE}={page.cookie}"}
    # websockets >= 14 (new asyncio API) names it additional_headers; the legacy API extra_headers
    key = "additional_headers" if _MAJOR >= 14 else "extra_headers"
    options: dict[str, Any] = {key: headers}
    return await websockets.connect(
        url,
        compression=None,
        max_size=None,
        open_timeout=WAIT,
        ping_interval=None,
        close_timeout=2,
        **options,
    )


def join_frame(ref: int, token: str, url: str) -> str:
    return json.dumps({"type": "join", "ref": ref, "token": token, "url": url})


def event_frame(ref: int, event: str) -> str:
    return json.dumps({"type": "event", "ref": ref, "kind": "click", "event": event, "value": {}})


def reply_for(msg: str | bytes, ref: int) -> dict[str, Any] | None:
    """The decoded frame if it answers ``ref``; raises if it is an error answer."""
    if not isinstance(msg, str):
        return None
    try:
        frame = json.loads(msg)
    except ValueError:
        return None
    if not isinstance(frame, dict) or frame.get("ref") != ref:
        return None
    if "error" in frame or frame.get("type") == "error":
        raise RuntimeError(f"pylive answered ref {ref} with an error: {msg[:300]}")
    return frame


class Client:
    """One live session: page, websocket, join, then clicks (for bench/live.py)."""

    def __init__(self, base: str, path: str) -> None:
        self.base = base
        self.path = path
        self.ws: Any = None
        self.ref = 0
        self.page_bytes = 0
        self.join_bytes = 0

    async def open(self) -> Client:
        url = self.base + self.path
        page = await aget_page(url)
        self.page_bytes = page.nbytes
        self.ws = await ws_connect(self.base, page)
        await self.ws.send(join_frame(0, page.token, url))
        while True:
            msg = await asyncio.wait_for(self.ws.recv(), WAIT)
            frame = reply_for(msg, 0)
            if frame is not None:
                if "tree" not in frame:
                    raise RuntimeError(f"join of {url} answered without a tree: {msg[:300]}")
                self.join_bytes = len(msg.encode())
                return self

    async def click(self, event: str) -> tuple[int, float]:
        """One click: (payload bytes of the reply, seconds from send to reply)."""
        self.ref += 1
        ref = self.ref
        t0 = time.perf_counter()
        await self.ws.send(event_frame(ref, event))
        while True:
            msg = await asyncio.wait_for(self.ws.recv(), WAIT)
            if reply_for(msg, ref) is not None:
                return len(msg.encode()), time.perf_counter() - t0

    async def close(self) -> None:
        if self.ws is not None:
            try:
                await asyncio.wait_for(self.ws.close(), 3)
            except Exception:
                pass


# --- server processes and memory ----------------------------------------------------------------


def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


def start_server(
    target: str, port: int, env: dict[str, str] | None = None, python: str | None = None
) -> subprocess.Popen[bytes]:
    """``python -m pylive run TARGET --port PORT`` from the repo root; returns once it answers."""
    import os

    root = repo_root()
    exe = python or str(root / ".venv" / "bin" / "python")
    proc = subprocess.Popen(
        [exe, "-m", "pylive", "run", target, "--port", str(port)],
        cwd=root,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_http(proc, f"http://{HOST}:{port}/s1", 60)
    return proc


def wait_http(proc: subprocess.Popen[bytes], url: str, timeout: float, step: float = 0.05) -> float:
    """Poll ``url`` until it answers 200; the seconds it took. Raises if the process exits."""
    t0 = time.perf_counter()
    deadline = t0 + timeout
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with rc={proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    response.read()
                    return time.perf_counter() - t0
        except OSError:
            pass
        time.sleep(step)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server started by ``start_server`` (its own process group only)."""
    import os
    import signal

    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def vmrss_kib(pid: int) -> int:
    """Resident set size of one process in KiB, from /proc/<pid>/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def pct(xs: Sequence[float], p: float) -> float:
    """The harness's percentile (nearest rank on the sorted list)."""
    s = sorted(xs)
    k = min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))
    return s[k]
