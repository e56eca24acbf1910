"""Upload frames fed to a ``Connection`` over a fake transport: the exact frames it answers."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import pytest

import pylive.uploads
from pylive.app import App, Limits
from pylive.html import form, p
from pylive.inputs import live_file_input, live_img_preview
from pylive.node import Tree
from pylive.session import Connection
from pylive.socket import Socket
from pylive.uploads import UploadEntry, consume_uploaded_entries
from pylive.view import LiveView
from tests.test_session import FakeTransport, feed, frame, join, token_for

SECRET = "a test secret, long enough"
SEEN: list[Any] = []


class Photos(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.allow_upload(
            "photos", accept=[".png"], max_entries=2, max_file_size=100, progress=self.progress
        )

    def progress(self, name: str, entry: UploadEntry, socket: Socket) -> None:
        SEEN.append((name, entry.ref, entry.progress))

    def render(self, assigns: Any) -> Tree:
        config = assigns.uploads.photos
        shown = [f"{e.ref}:{e.progress}:{','.join(e.errors) or '-'}" for e in config.entries]
        return p(" ".join(shown) + "|" + ",".join(config.errors), id="u")

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        if event == "save":
            SEEN.append(consume_uploaded_entries(socket, "photos", self.read))
        elif event == "cancel":
            socket.cancel_upload("photos", params["ref"])
        elif event == "boom":
            raise RuntimeError("boom")

    @staticmethod
    def read(meta: dict[str, Any], entry: UploadEntry) -> Any:
        return Path(meta["path"]).read_bytes()


@pytest.fixture
def updir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(pylive.uploads, "_DIR", str(tmp_path))
    SEEN.clear()
    return tmp_path


def make_app(**limits: Any) -> App:
    app = App(secret_key=SECRET, limits=Limits(**limits))
    app.live("/", Photos)
    return app


def choose(ref: int, *entries: dict[str, Any]) -> str:
    return frame(
        type="event",
        ref=ref,
        kind="change",
        event="validate",
        value=[["_target", "photos"]],
        target="photos",
        uploads={"phx-upload-0": list(entries)},
    )


def file(ref: str, size: int, name: str = "a.png") -> dict[str, Any]:
    return {"ref": ref, "name": name, "size": size, "type": "image/png", "last_modified": 1}


def chunk(token: str, offset: int, data: bytes) -> bytes:
    header = json.dumps({"token": token, "offset": offset}).encode()
    return len(header).to_bytes(2, "big") + header + data


def text(transport: FakeTransport) -> str:
    """The paragraph's text as the last frame that set it said."""
    for sent in reversed(transport.sent):
        for op in sent.get("ops", ()):
            if op[0] == 0:
                return str(op[2])
    raise AssertionError(f"no text op in {transport.sent!r}")


async def joined(app: App) -> tuple[Connection, FakeTransport]:
    transport = FakeTransport()
    connection = Connection(app, transport)
    await feed(connection, join(0, token_for(app)))
    assert transport.sent[0]["tree"][1] == ["p", {"id": "u"}, ["|"]]
    transport.sent.clear()
    return connection, transport


async def preflight(
    connection: Connection, transport: FakeTransport, ref: int, *entries: str
) -> dict[str, Any]:
    await feed(connection, frame(type="upload", ref=ref, upload="phx-upload-0", entries=entries))
    reply = transport.sent[-1]
    assert reply["ref"] == ref
    return dict(reply["reply"])


def test_choose_preflight_chunks_progress_consume(updir: Path) -> None:
    async def scenario() -> None:
        connection, transport = await joined(make_app())
        await feed(connection, choose(1, file("0", 10), file("1", 5, "x.gif")))
        assert transport.sent == [{"ref": 1, "ops": [[0, [1, 0], "0:0:- 1:0:not_accepted|"]]}]
        reply = await preflight(connection, transport, 2, "0", "1", "9")
        token = reply["entries"]["0"]["token"]
        assert reply == {
            "entries": {"0": {"token": token, "chunk_size": 64_000, "offset": 0}},
            "errors": {"1": ["not_accepted"], "9": ["not_found"]},
        }
        assert len(token) >= 22 and len(os.listdir(updir)) == 1
        transport.sent.clear()
        await feed(connection, chunk(token, 0, b"abcd"))
        assert transport.sent == [
            {"type": "upload_ack", "token": token, "received": 4},
            {"type": "patch", "ops": [[0, [1, 0], "0:40:- 1:0:not_accepted|"]]},
        ]
        await feed(connection, chunk(token, 4, b"efghij"))
        assert transport.sent[2:] == [
            {"type": "upload_ack", "token": token, "received": 10},
            {"type": "patch", "ops": [[0, [1, 0], "0:100:- 1:0:not_accepted|"]]},
        ]
        assert SEEN == [("photos", "0", 40), ("photos", "0", 100)]
        await feed(connection, frame(type="event", ref=3, kind="click", event="save", value={}))
        assert SEEN[-1] == [b"abcdefghij"]
        assert os.listdir(updir) == []
        assert text(transport) == "1:0:not_accepted|"

    asyncio.run(scenario())


def test_too_many_files_is_the_configs_error(updir: Path) -> None:
    async def scenario() -> None:
        connection, transport = await joined(make_app())
        await feed(connection, choose(1, file("0", 1), file("1", 1), file("2", 1)))
        assert transport.sent == [{"ref": 1, "ops": [[0, [1, 0], "|too_many_files"]]}]

    asyncio.run(scenario())


def test_more_bytes_than_declared_fail_and_delete(updir: Path) -> None:
    async def scenario() -> None:
        connection, transport = await joined(make_app())
        await feed(connection, choose(1, file("0", 3)))
        token = (await preflight(connection, transport, 2, "0"))["entries"]["0"]["token"]
        transport.sent.clear()
        await feed(connection, chunk(token, 0, b"abcd"))
        assert transport.sent == [
            {"type": "upload_error", "token": token, "error": "too_large"},
            {"type": "patch", "ops": [[0, [1, 0], "0:0:too_large|"]]},
        ]
        assert os.listdir(updir) == []
        await feed(connection, chunk(token, 0, b"a"))
        assert transport.sent[-1] == {"type": "upload_error", "token": token, "error": "not_found"}

    asyncio.run(scenario())


def test_a_wrong_offset_fails_the_entry(updir: Path) -> None:
    async def scenario() -> None:
        connection, transport = await joined(make_app())
        await feed(connection, choose(1, file("0", 3)))
        token = (await preflight(connection, transport, 2, "0"))["entries"]["0"]["token"]
        transport.sent.clear()
        await feed(connection, chunk(token, 1, b"a"))
        assert transport.sent == [
            {"type": "upload_error", "token": token, "error": "bad_chunk"},
            {"type": "patch", "ops": [[0, [1, 0], "0:0:bad_chunk|"]]},
        ]
        assert os.listdir(updir) == []

    asyncio.run(scenario())


@pytest.mark.parametrize(
    "reason",
    ["cancel", "crash", "terminate", "disconnect"],
)
def test_temp_files_go_in_every_path(updir: Path, reason: str) -> None:
    async def scenario() -> None:
        app = make_app(upload_resume_seconds=0.1)
        connection, transport = await joined(app)
        await feed(connection, choose(1, file("0", 3)))
        token = (await preflight(connection, transport, 2, "0"))["entries"]["0"]["token"]
        await feed(connection, chunk(token, 0, b"a"))
        assert len(os.listdir(updir)) == 1
        if reason == "cancel":
            event = frame(type="event", ref=3, kind="click", event="cancel", value={"ref": "0"})
            await feed(connection, event)
            assert text(transport) == "|"
        elif reason == "crash":
            await feed(connection, frame(type="event", ref=3, kind="click", event="boom"))
            assert transport.sent[-1] == {"type": "error", "reason": "crash", "ref": 3}
        elif reason == "terminate":
            await feed(connection, join(3, token_for(app)))  # a new join ends the old view
        else:  # the file waits for a resume, then goes
            await connection.end("closed")
            assert len(os.listdir(updir)) == 1
            await asyncio.sleep(0.15)
        assert os.listdir(updir) == []
        await feed(connection, chunk(token, 1, b"b"))
        assert transport.sent[-1] == {"type": "upload_error", "token": token, "error": "not_found"}

    asyncio.run(scenario())


def test_a_stalled_entry_times_out(updir: Path) -> None:
    async def scenario() -> None:
        connection, transport = await joined(make_app(upload_stall_seconds=0.05))
        worker = asyncio.get_running_loop().create_task(connection._work())
        await feed(connection, choose(1, file("0", 3)))
        await preflight(connection, transport, 2, "0")
        assert len(os.listdir(updir)) == 1
        await asyncio.sleep(0.2)
        assert transport.sent[-1] == {"type": "patch", "ops": [[0, [1, 0], "0:0:timeout|"]]}
        assert os.listdir(updir) == []
        worker.cancel()

    asyncio.run(scenario())


def test_a_zero_byte_file_is_done_at_preflight(updir: Path) -> None:
    async def scenario() -> None:
        connection, transport = await joined(make_app())
        await feed(connection, choose(1, file("0", 0)))
        await feed(connection, frame(type="upload", ref=2, upload="phx-upload-0", entries=["0"]))
        reply = transport.sent[-1]
        token = reply["reply"]["entries"]["0"]["token"]
        assert reply == {
            "ref": 2,
            "ops": [[0, [1, 0], "0:100:-|"]],
            "reply": {"entries": {"0": {"token": token, "chunk_size": 64_000, "offset": 0}},
                      "errors": {}},
        }  # fmt: skip

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("sent", "detail"),
    [
        (
            {"type": "upload", "ref": 4, "upload": "phx-upload-0", "entries": ["0"] * 101},
            "upload.entries: list should have at most 100 items after validation, not 101, got "
            "['0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '...",
        ),
        (
            {"type": "upload", "ref": 4, "upload": "", "entries": []},
            "upload.upload: string should have at least 1 character, got ''",
        ),
        (
            {"type": "event", "ref": 4, "kind": "change", "event": "v", "value": [],
             "uploads": {"phx-upload-0": [{"ref": "0", "name": "a", "size": -1, "type": ""}]}},
            "event.uploads.phx-upload-0.0.size: input should be greater than or equal to 0, got -1",
        ),
        (
            {"type": "upload_progress", "ref": 4, "token": "t", "progress": 101},
            "upload_progress.progress: input should be less than or equal to 100, got 101",
        ),
    ],
)  # fmt: skip
def test_bad_upload_frames_are_answered(updir: Path, sent: dict[str, Any], detail: str) -> None:
    async def scenario() -> None:
        connection, transport = await joined(make_app())
        await feed(connection, frame(**sent))
        assert transport.sent == [{"ref": 4, "error": detail}]

    asyncio.run(scenario())


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00", b"\x00\x01{", b"\x00\x05{}", b"\x00\x02{}abc", b"\x04\x00" + b"{" * 1100],
)
def test_a_binary_frame_that_is_no_chunk_closes_1003(updir: Path, data: bytes) -> None:
    async def scenario() -> None:
        connection, transport = await joined(make_app())
        await feed(connection, data)
        assert transport.closed == (1003, "binary frames are not accepted")

    asyncio.run(scenario())


def test_a_chunk_frame_over_the_message_limit_closes_1009(updir: Path) -> None:
    async def scenario() -> None:
        connection, transport = await joined(make_app(max_message_bytes=1000))
        await feed(connection, chunk("t", 0, b"x" * 1000))
        assert transport.closed == (1009, "message too big")

    asyncio.run(scenario())


def test_a_chunk_before_any_view_is_not_found(updir: Path) -> None:
    async def scenario() -> None:
        transport = FakeTransport()
        connection = Connection(make_app(), transport)
        await feed(connection, chunk("t", 0, b"x"))
        assert transport.sent == [{"type": "upload_error", "token": "t", "error": "not_found"}]

    asyncio.run(scenario())


class WithInput(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.allow_upload("photos", accept=[".png"], max_entries=2)

    def render(self, assigns: Any) -> Tree:
        config = assigns.uploads.photos
        return form(
            live_file_input(config),
            *(live_img_preview(entry) for entry in config.entries),
            phx_change="validate",
            id="f",
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        pass


def test_the_input_and_previews_render_live_and_pass_the_render_check(updir: Path) -> None:
    async def scenario() -> None:
        app = App(secret_key=SECRET)
        app.live("/", WithInput)
        transport = FakeTransport()
        connection = Connection(app, transport, check=True)
        await feed(connection, join(0, token_for(app)))
        form_wire = transport.sent[0]["tree"][1]
        assert form_wire[2][0] == [
            "input",
            {"type": "file", "id": "phx-upload-0", "name": "photos", "accept": ".png",
             "data-phx-upload-ref": "phx-upload-0", "data-phx-active-refs": "",
             "data-phx-done-refs": "", "multiple": True},
        ]  # fmt: skip
        await feed(connection, choose(1, file("0", 3)))
        assert transport.sent[-1] == {
            "ref": 1,
            "ops": [
                [1, [1, 0], {"data-phx-active-refs": "0"}],
                [2, [1], 1, ["img", {"id": "phx-preview-phx-upload-0-0",
                                     "data-phx-upload-ref": "phx-upload-0",
                                     "data-phx-entry-ref": "0",
                                     "data-phx-hook": "pylive:ImgPreview"}]],
            ],
        }  # fmt: skip

    asyncio.run(scenario())


def test_a_dropped_connection_resumes_where_it_stopped(updir: Path) -> None:
    async def scenario() -> None:
        app = make_app(upload_resume_seconds=5)
        connection, transport = await joined(app)
        await feed(connection, choose(1, file("0", 6)))
        token = (await preflight(connection, transport, 2, "0"))["entries"]["0"]["token"]
        await feed(connection, chunk(token, 0, b"abc"))
        await connection.end("closed")  # the socket dropped
        again, transport = await joined(app)  # a new connection, a fresh mount
        await feed(again, choose(1, file("0", 6)))
        upload = frame(type="upload", ref=2, upload="phx-upload-0", entries=["0"],
                       resume={"0": token})  # fmt: skip
        await feed(again, upload)
        assert transport.sent[-1] == {
            "ref": 2,
            "ops": [[0, [1, 0], "0:50:-|"]],
            "reply": {"entries": {"0": {"token": token, "chunk_size": 64_000, "offset": 3}},
                      "errors": {}},
        }  # fmt: skip
        await feed(again, chunk(token, 3, b"def"))
        await feed(again, frame(type="event", ref=3, kind="click", event="save", value={}))
        assert SEEN[-1] == [b"abcdef"]
        assert os.listdir(updir) == []

    asyncio.run(scenario())


@pytest.mark.parametrize("change", ["name", "size", "token"])
def test_a_resume_of_another_file_starts_over(updir: Path, change: str) -> None:
    async def scenario() -> None:
        app = make_app(upload_resume_seconds=0.1)
        connection, transport = await joined(app)
        await feed(connection, choose(1, file("0", 6)))
        token = (await preflight(connection, transport, 2, "0"))["entries"]["0"]["token"]
        await feed(connection, chunk(token, 0, b"abc"))
        await connection.end("closed")
        again, transport = await joined(app)
        chosen = file("0", 7 if change == "size" else 6, "b.png" if change == "name" else "a.png")
        await feed(again, choose(1, chosen))
        resume = {"0": "nope" if change == "token" else token}
        upload = frame(type="upload", ref=2, upload="phx-upload-0", entries=["0"], resume=resume)
        await feed(again, upload)
        reply = transport.sent[-1]["reply"]["entries"]["0"]
        assert reply["offset"] == 0 and reply["token"] != token
        assert len(os.listdir(updir)) == 2
        await asyncio.sleep(0.15)
        await again.end("left")
        assert os.listdir(updir) == []

    asyncio.run(scenario())


def test_the_docs_example_runs_as_written(
    updir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/uploads.md's view, exec'd as written: choose, send, save."""
    text = (Path(__file__).parent.parent / "docs" / "uploads.md").read_text()
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}
    exec(compile(code, "docs/uploads.md", "exec"), namespace)

    async def scenario() -> None:
        app = App(secret_key=SECRET)
        app.live("/", namespace["Avatars"])
        transport = FakeTransport()
        connection = Connection(app, transport, check=True)
        await feed(connection, join(0, token_for(app)))
        event = frame(type="event", ref=1, kind="change", event="validate",
                      value=[["_target", "avatar"]], target="avatar",
                      uploads={"phx-upload-0": [file("0", 4), file("1", 1, "x.exe")]})  # fmt: skip
        await feed(connection, event)
        await feed(connection, frame(type="upload", ref=2, upload="phx-upload-0", entries=["0"]))
        token = transport.sent[-1]["reply"]["entries"]["0"]["token"]
        await feed(connection, chunk(token, 0, b"PNG!"))
        await feed(connection, frame(type="event", ref=3, kind="submit", event="save", value=[]))
        saved = list((tmp_path / "saved").iterdir())
        assert [path.read_bytes() for path in saved] == [b"PNG!"]
        assert connection.live is not None
        assert [e.ref for e in connection.live.socket.assigns.uploads.avatar.entries] == ["1"]

    asyncio.run(scenario())


class External(Photos):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.allow_upload("photos", accept=":any", max_entries=2, external=self.presign)

    async def presign(self, entry: UploadEntry, socket: Socket) -> dict[str, Any]:
        await asyncio.sleep(0)
        return {"uploader": "S3", "meta": {"key": entry.uuid}}

    @staticmethod
    def read(meta: dict[str, Any], entry: UploadEntry) -> Any:
        return meta  # where the file went: what presign said


def test_external_uploads_report_progress_and_errors(updir: Path) -> None:
    async def scenario() -> None:
        app = App(secret_key=SECRET)
        app.live("/", External)
        connection, transport = await joined(app)
        await feed(connection, choose(1, file("0", 10), file("1", 10)))
        reply = await preflight(connection, transport, 2, "0", "1")
        config = connection.live.socket.uploads.configs["photos"]  # type: ignore[union-attr]
        e0, e1 = config.entries
        t0, t1 = reply["entries"]["0"]["token"], reply["entries"]["1"]["token"]
        assert reply == {
            "entries": {
                "0": {"token": t0, "uploader": "S3", "meta": {"key": e0.uuid}},
                "1": {"token": t1, "uploader": "S3", "meta": {"key": e1.uuid}},
            },
            "errors": {},
        }
        assert os.listdir(updir) == []  # nothing comes through the socket
        await feed(connection, frame(type="upload_progress", ref=3, token=t0, progress=50))
        assert transport.sent[-1] == {"ref": 3, "ops": [[0, [1, 0], "0:50:- 1:0:-|"]]}
        await feed(connection, frame(type="upload_progress", ref=4, token=t1, error="denied"))
        assert transport.sent[-1] == {
            "ref": 4,
            "ops": [[0, [1, 0], "0:50:- 1:0:external: denied|"]],
        }
        await feed(connection, frame(type="upload_progress", ref=5, token=t0, progress=100))
        assert (e0.done, e0.progress) == (True, 100)
        await feed(connection, frame(type="upload_progress", ref=6, token=t0, progress=100))
        assert transport.sent[-1] == {"ref": 6, "error": "no upload entry has this token"}
        await feed(connection, chunk(t1, 0, b"x"))
        assert transport.sent[-1] == {"type": "upload_error", "token": t1, "error": "not_found"}
        await feed(connection, frame(type="event", ref=7, kind="click", event="save", value={}))
        assert SEEN[-1] == [{"uploader": "S3", "meta": {"key": e0.uuid}}]  # the failed one: kept
        assert [entry.ref for entry in config.entries] == ["1"]

    asyncio.run(scenario())


def test_chunks_with_unknown_tokens_count_against_the_rate_limit(updir: Path) -> None:
    async def scenario() -> None:
        connection, transport = await joined(make_app(events_per_second=0.001, event_burst=3))
        for _ in range(7):
            await feed(connection, chunk("forged", 0, b"x"))
        refused = {"type": "upload_error", "token": "forged", "error": "not_found"}
        assert transport.sent == [refused] * 5  # the join took 1 of the 3, refusals have 3
        assert transport.closed == (1008, "too many events")

    asyncio.run(scenario())


class BadPresign(External):
    def presign(self, entry: UploadEntry, socket: Socket) -> Any:
        return "s3://x"


def test_an_external_function_that_returns_no_dict_crashes_the_view(
    updir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> None:
        app = App(secret_key=SECRET)
        app.live("/", BadPresign)
        connection, transport = await joined(app)
        await feed(connection, choose(1, file("0", 10)))
        await feed(connection, frame(type="upload", ref=2, upload="phx-upload-0", entries=["0"]))
        assert transport.sent[-1] == {"type": "error", "reason": "crash", "ref": 2}

    asyncio.run(scenario())
    assert "the external function of upload 'photos' must return a dict" in caplog.text
