"""Upload lies and hostile file names (plan rows S11, S12), against the session and against the real
Sanic server (binary chunks travel as bytes end to end)."""

from __future__ import annotations

import asyncio
import json
import os
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

import pylive.uploads
from pylive.app import App, Limits
from pylive.html import p
from pylive.node import Tree
from pylive.sanic import LiveServer
from pylive.session import Connection
from pylive.socket import Socket
from pylive.view import LiveView

SECRET = "a test secret, long enough"
KB = 1024
CHUNK = 64_000


class Drop(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.allow_upload("f", accept=":any", max_entries=20, max_file_size=10_000_000)

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        pass

    def render(self, assigns: Any) -> Tree:
        entries = assigns.uploads.f.entries
        return p(" ".join(f"{e.ref}:{e.progress}:{','.join(e.errors)}" for e in entries), id="u")


class Transport:
    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.closed: tuple[int, str] | None = None

    async def recv(self) -> str | None:
        return None

    async def send(self, text: str) -> None:
        self.sent.append(json.loads(text))

    async def close(self, code: int, reason: str = "") -> None:
        self.closed = (code, reason)


def app_with(**limits: Any) -> App:
    app = App(secret_key=SECRET, limits=Limits(**limits))
    app.live("/", Drop)
    return app


def chunk(token: str, offset: int, data: bytes) -> bytes:
    header = json.dumps({"token": token, "offset": offset}).encode()
    return len(header).to_bytes(2, "big") + header + data


def frame(**fields: Any) -> str:
    return json.dumps(fields)


async def joined(app: App) -> tuple[Connection, Transport]:
    transport = Transport()
    connection = Connection(app, transport)
    found = app.match("/")
    assert found is not None
    token = app.tokens.issue(found[0].pattern, found[0].name, {})
    await feed(connection, frame(type="join", ref=0, token=token, url="http://t/"))
    assert transport.sent[-1]["ref"] == 0
    return connection, transport


async def feed(connection: Connection, data: str | bytes) -> None:
    await connection.handle_frame(data)
    await connection.process_queued()


def entry(ref: str, name: str, size: int) -> dict[str, Any]:
    return {"ref": ref, "name": name, "size": size, "type": "application/octet-stream"}


@pytest.fixture
def updir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(pylive.uploads, "_DIR", str(tmp_path))
    return tmp_path


def test_s11_declare_1_kb_send_10_mb_stopped_within_one_chunk(updir: Path) -> None:
    """Declared 1 KB, 10 MB sent in 64 KB chunks without waiting for acks: the entry fails at
    the first chunk past 1 KB, the file never holds more than the declared size and is gone;
    every later chunk is refused, the view lives."""

    async def scenario() -> None:
        connection, transport = await joined(app_with())
        event = frame(type="event", ref=1, kind="change", event="v", value=[],
                      uploads={"phx-upload-0": [entry("0", "a.bin", KB)]})  # fmt: skip
        await feed(connection, event)
        await feed(connection, frame(type="upload", ref=2, upload="phx-upload-0", entries=["0"]))
        token = transport.sent[-1]["reply"]["entries"]["0"]["token"]
        path = connection.live.socket.uploads.configs["f"].entries[0].path  # type: ignore[union-attr]
        assert path is not None and os.path.dirname(path) == str(updir)
        transport.sent.clear()
        sizes: list[int] = []
        offset = 0
        while offset < 10_000_000:
            data = b"x" * min(CHUNK, 10_000_000 - offset)
            await feed(connection, chunk(token, offset, data))
            sizes.append(os.path.getsize(path) if os.path.exists(path) else -1)
            offset += len(data)
        assert sizes[0] == -1  # the first chunk already passes 1 KB: nothing was written
        assert transport.sent[:2] == [
            {"type": "upload_error", "token": token, "error": "too_large"},
            {"type": "patch", "ops": [[0, [1, 0], "0:0:too_large"]]},
        ]
        errors = transport.sent[2:]
        assert errors == [{"type": "upload_error", "token": token, "error": "not_found"}] * (
            len(sizes) - 1
        )
        assert os.listdir(updir) == []
        assert connection.live is not None and connection.live.alive

    asyncio.run(scenario())


def test_s11_small_chunks_stop_at_declared_size_plus_one_chunk(updir: Path) -> None:
    """With 100-byte chunks: received stops at the last chunk within 1 KB; the one past it fails
    the entry before it is written."""

    async def scenario() -> None:
        connection, transport = await joined(app_with())
        event = frame(type="event", ref=1, kind="change", event="v", value=[],
                      uploads={"phx-upload-0": [entry("0", "a.bin", KB)]})  # fmt: skip
        await feed(connection, event)
        await feed(connection, frame(type="upload", ref=2, upload="phx-upload-0", entries=["0"]))
        token = transport.sent[-1]["reply"]["entries"]["0"]["token"]
        path = connection.live.socket.uploads.configs["f"].entries[0].path  # type: ignore[union-attr]
        assert path is not None
        largest = 0
        for n in range(20):
            await feed(connection, chunk(token, n * 100, b"y" * 100))
            if os.path.exists(path):
                largest = max(largest, os.path.getsize(path))
        acks = [sent["received"] for sent in transport.sent if sent.get("type") == "upload_ack"]
        assert acks == [100 * n for n in range(1, 11)]
        assert largest == 1000 <= KB
        assert [s for s in transport.sent if s.get("type") == "upload_error"][0]["error"] == (
            "too_large"
        )
        assert os.listdir(updir) == []

    asyncio.run(scenario())


def test_s11_declared_over_the_max_and_too_many_answered_before_any_byte(updir: Path) -> None:
    async def scenario() -> None:
        connection, transport = await joined(app_with())
        event = frame(type="event", ref=1, kind="change", event="v", value=[],
                      uploads={"phx-upload-0": [entry("0", "big.bin", 100_000_000)]})  # fmt: skip
        await feed(connection, event)
        await feed(connection, frame(type="upload", ref=2, upload="phx-upload-0", entries=["0"]))
        assert transport.sent[-1]["reply"] == {"entries": {}, "errors": {"0": ["too_large"]}}
        many = [entry(str(n), "a", 1) for n in range(1, 22)]
        await feed(connection, frame(type="event", ref=3, kind="change", event="v", value=[],
                                     uploads={"phx-upload-0": many}))  # fmt: skip
        assert connection.live is not None
        assert connection.live.socket.uploads.configs["f"].errors == ["too_many_files"]
        assert os.listdir(updir) == []

    asyncio.run(scenario())


HOSTILE = [
    "../../x",
    "..\\..\\x",
    "../..\\/x",
    "C:\\x",
    "\\\\?\\C:\\x",
    "/etc/passwd",
    "..",
    ".",
    "a\x00b",
    "x" * 10_000,
    "\u202eevil.png",
    "~/.ssh/id_rsa",
    "/dev/null",
    "//server/share/x",
    "%2e%2e%2fx",
    "a/../../../b",
    "CON",
    " ",
    "\n",
    "日本/../../x",
]


def test_s12_hostile_names_never_reach_a_path(updir: Path) -> None:
    """20 hostile names: every file is inside the upload dir, named at random; the name is kept
    only as display data (255 characters at most)."""

    async def scenario() -> None:
        connection, transport = await joined(app_with())
        entries = [entry(str(n), name[:1024], 1) for n, name in enumerate(HOSTILE)]
        event = frame(type="event", ref=1, kind="change", event="v", value=[],
                      uploads={"phx-upload-0": entries})  # fmt: skip
        await feed(connection, event)
        refs = [str(n) for n in range(20)]
        await feed(connection, frame(type="upload", ref=2, upload="phx-upload-0", entries=refs))
        reply = transport.sent[-1]["reply"]
        assert sorted(reply["entries"], key=int) == refs and reply["errors"] == {}
        for ref in refs:
            await feed(connection, chunk(reply["entries"][ref]["token"], 0, b"z"))
        assert connection.live is not None
        config = connection.live.socket.uploads.configs["f"]
        root = updir.resolve()
        stored = [Path(e.path or "").resolve() for e in config.entries]
        assert [e.done for e in config.entries] == [True] * 20
        assert all(path.parent == root for path in stored)
        assert sorted(os.listdir(updir)) == sorted(path.name for path in stored)
        for e, path in zip(config.entries, stored, strict=True):
            assert re.fullmatch(r"up-[a-z0-9_]+", path.name), path.name
            assert e.client_name == HOSTILE[int(e.ref)][:255]
        await connection.end("left")
        assert os.listdir(updir) == []

    asyncio.run(scenario())


def test_s11_chunks_over_the_real_server_arrive_as_bytes(updir: Path) -> None:
    """Through Sanic: the binary frames reach the session as bytes, each is acked, the file is
    complete, and the lie (a chunk past the declared size) is refused there too."""
    app = app_with()
    with LiveServer(app) as server:
        response = httpx.get(server.url + "/")
        token = re.search(r'data-phx-session="([^"]+)"', response.text)
        csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', response.text)
        assert token and csrf
        cookie = response.cookies["_pylive_csrf"]

        async def scenario() -> list[Any]:
            async with websockets.connect(
                f"ws://127.0.0.1:{server.port}/live?csrf={csrf.group(1)}",
                additional_headers={"Cookie": f"_pylive_csrf={cookie}", "Origin": server.url},
            ) as ws:
                url = server.url + "/"
                await ws.send(frame(type="join", ref=0, token=token.group(1), url=url))
                await ws.recv()
                await ws.send(frame(type="event", ref=1, kind="change", event="v", value=[],
                                    uploads={"phx-upload-0": [entry("0", "a", 5)]}))  # fmt: skip
                await ws.recv()
                await ws.send(frame(type="upload", ref=2, upload="phx-upload-0", entries=["0"]))
                t = json.loads(await ws.recv())["reply"]["entries"]["0"]["token"]
                got = []
                for offset, data in ((0, b"abc"), (3, b"de"), (5, b"f")):
                    await ws.send(chunk(t, offset, data))
                    got.append(json.loads(await ws.recv()))
                    if got[-1]["type"] == "upload_ack":
                        await ws.recv()  # the progress render
                return [t, got]

        t, got = asyncio.run(scenario())
        assert got == [
            {"type": "upload_ack", "token": t, "received": 3},
            {"type": "upload_ack", "token": t, "received": 5},
            {"type": "upload_error", "token": t, "error": "not_found"},
        ]


def test_s11_a_stall_mid_upload_times_out_within_20_percent(updir: Path) -> None:
    """Half the file, then nothing: the entry fails with timeout at the stall time (+ at most a
    fifth: the check's period), its file is gone, the view lives."""
    stall = 0.5

    async def scenario() -> float:
        connection, transport = await joined(app_with(upload_stall_seconds=stall))
        worker = asyncio.get_running_loop().create_task(connection._work())
        event = frame(type="event", ref=1, kind="change", event="v", value=[],
                      uploads={"phx-upload-0": [entry("0", "a.bin", 10)]})  # fmt: skip
        await feed(connection, event)
        await feed(connection, frame(type="upload", ref=2, upload="phx-upload-0", entries=["0"]))
        token = transport.sent[-1]["reply"]["entries"]["0"]["token"]
        loop = asyncio.get_running_loop()
        await feed(connection, chunk(token, 0, b"12345"))
        sent_at = loop.time()
        timeout = {"type": "patch", "ops": [[0, [1, 0], "0:50:timeout"]]}
        while transport.sent[-1] != timeout:
            assert loop.time() - sent_at < stall * 2, transport.sent
            await asyncio.sleep(0.01)
        took = loop.time() - sent_at
        assert os.listdir(updir) == []
        assert connection.live is not None and connection.live.alive
        worker.cancel()
        return took

    took = asyncio.run(scenario())
    assert stall * 0.8 <= took <= stall * 1.2 + 0.05, took
