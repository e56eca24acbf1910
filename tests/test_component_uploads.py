"""Uploads owned by live components: a component's ``allow_upload`` gets its own configs, with
refs unique across the view; the files chosen in its form, its preflight, chunks, progress and
consume re-render that component alone; its temp files go when it leaves the page."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest

import pylive.uploads
from pylive.app import App, Limits
from pylive.html import div, form, p
from pylive.inputs import live_file_input
from pylive.live_component import ComponentSocket, LiveComponent, live_component
from pylive.node import Tree
from pylive.session import Connection
from pylive.socket import Socket
from pylive.testing import file_input, live, render_upload
from pylive.uploads import UploadEntry, consume_uploaded_entries
from pylive.view import LiveView
from tests.test_session import FakeTransport, feed, frame, join, token_for
from tests.test_upload_frames import chunk, file

SECRET = "a test secret, long enough"
SAVED: list[Any] = []


class PhotoCard(LiveComponent):
    def mount(self, socket: ComponentSocket) -> None:
        socket.allow_upload(
            "photos", accept=[".png"], max_entries=2, max_file_size=100, progress=self.progress
        )

    def progress(self, name: str, entry: UploadEntry, socket: ComponentSocket) -> None:
        SAVED.append(("progress", name, entry.ref, entry.progress, socket.myself))

    def render(self, assigns: Any) -> Tree:
        config = assigns.uploads.photos
        shown = " ".join(f"{e.ref}:{e.progress}" for e in config.entries)
        return form(
            live_file_input(config),
            p(f"{config.ref} {shown}", id="card-text"),
            id="card-form",
            phx_change="validate",
            phx_submit="save",
            phx_target=assigns.myself,
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: ComponentSocket) -> None:
        if event == "save":
            SAVED.append(consume_uploaded_entries(socket, "photos", self.read))

    @staticmethod
    def read(meta: dict[str, Any], entry: UploadEntry) -> bytes:
        return Path(meta["path"]).read_bytes()


class Album(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.allow_upload("cover", accept=":any")
        socket.assign(show=True)

    def render(self, assigns: Any) -> Tree:
        SAVED.append("view render")
        card = live_component(PhotoCard, id="card") if assigns.show else None
        return div(p(f"cover {assigns.uploads.cover.ref}", id="view-text"), card, id="album")

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        if event == "hide":
            socket.assign(show=False)


@pytest.fixture
def updir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(pylive.uploads, "_DIR", str(tmp_path))
    SAVED.clear()
    return tmp_path


def make_app(**limits: Any) -> App:
    app = App(secret_key=SECRET, limits=Limits(**limits))
    app.live("/", Album)
    return app


def choose(ref: int, cid: int, *entries: dict[str, Any]) -> str:
    return frame(
        type="event",
        ref=ref,
        kind="change",
        event="validate",
        value=[["_target", "photos"]],
        target="photos",
        cid=cid,
        uploads={"phx-upload-1": list(entries)},
    )


def test_a_component_uploads_on_its_own_configs(updir: Path) -> None:
    async def scenario() -> None:
        app = make_app()
        transport = FakeTransport()
        connection = Connection(app, transport)
        await feed(connection, join(0, token_for(app)))
        live_session = connection.live
        assert live_session is not None
        state = live_session.components.by_cid[1]
        assert state.socket.uploads.configs["photos"].ref == "phx-upload-1"
        assert live_session.socket.uploads.configs["cover"].ref == "phx-upload-0"
        assert "photos" not in live_session.socket.uploads.configs  # each owner its own
        transport.sent.clear()
        SAVED.clear()

        await feed(connection, choose(1, 1, file("0", 10)))
        # only the component re-renders: its paragraph's text, nothing of the view
        assert transport.sent == [
            {
                "ref": 1,
                "ops": [
                    [1, [1, 1, 0], {"data-phx-active-refs": "0"}],
                    [0, [1, 1, 1, 0], "phx-upload-1 0:0"],
                ],
            }
        ]
        await feed(connection, frame(type="upload", ref=2, upload="phx-upload-1", entries=["0"]))
        reply = transport.sent[-1]
        token = reply["reply"]["entries"]["0"]["token"]
        assert reply == {
            "ref": 2,
            "reply": {
                "entries": {"0": {"token": token, "chunk_size": 64_000, "offset": 0}},
                "errors": {},
            },
        }
        assert len(os.listdir(updir)) == 1
        transport.sent.clear()
        await feed(connection, chunk(token, 0, b"0123456789"))
        assert transport.sent == [
            {"type": "upload_ack", "token": token, "received": 10},
            {
                "type": "patch",
                "ops": [
                    [1, [1, 1, 0], {"data-phx-done-refs": "0"}],
                    [0, [1, 1, 1, 0], "phx-upload-1 0:100"],
                ],
            },
        ]
        assert SAVED == [("progress", "photos", "0", 100, 1)]
        submit = frame(type="event", ref=3, kind="submit", event="save", value=[], cid=1)
        await feed(connection, submit)
        assert SAVED[-1] == [b"0123456789"]
        assert os.listdir(updir) == []
        assert transport.sent[-1] == {
            "ref": 3,
            "ops": [
                [1, [1, 1, 0], {"data-phx-active-refs": "", "data-phx-done-refs": ""}],
                [0, [1, 1, 1, 0], "phx-upload-1 "],
            ],
        }
        assert "view render" not in SAVED  # the view never rendered for its component's files

    asyncio.run(scenario())


def test_a_component_leaving_the_page_takes_its_temp_files(updir: Path) -> None:
    async def scenario() -> None:
        app = make_app()
        transport = FakeTransport()
        connection = Connection(app, transport)
        await feed(connection, join(0, token_for(app)))
        await feed(connection, choose(1, 1, file("0", 10)))
        await feed(connection, frame(type="upload", ref=2, upload="phx-upload-1", entries=["0"]))
        token = transport.sent[-1]["reply"]["entries"]["0"]["token"]
        await feed(connection, chunk(token, 0, b"01234"))
        assert len(os.listdir(updir)) == 1
        await feed(connection, frame(type="event", ref=3, kind="click", event="hide", value={}))
        assert os.listdir(updir) == []
        await feed(connection, chunk(token, 5, b"56789"))
        assert transport.sent[-1] == {"type": "upload_error", "token": token, "error": "not_found"}
        preflight = frame(type="upload", ref=4, upload="phx-upload-1", entries=["0"])
        await feed(connection, preflight)
        assert transport.sent[-1] == {
            "ref": 4,
            "reply": {"entries": {}, "errors": {"0": ["not_found"]}},
        }

    asyncio.run(scenario())


def test_the_limits_count_the_view_and_its_components_together(
    updir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> None:
        app = make_app(max_uploads_per_view=1)
        transport = FakeTransport()
        connection = Connection(app, transport)
        await feed(connection, join(0, token_for(app)))
        assert transport.sent[-1] == {"type": "error", "reason": "crash", "ref": 0}

    asyncio.run(scenario())
    assert (
        "PhotoCard(id='card').allow_upload('photos'): a view may allow at most 1 uploads "
        "(Limits.max_uploads_per_view)"
    ) in caplog.text


def test_the_test_client_uploads_through_a_component(updir: Path) -> None:
    with live(make_app(), "/") as view:
        png = {"name": "a.png", "content": b"abc", "type": "image/png"}
        photo = file_input(view, "#card-form", "photos", [png])
        assert view.element("#card-text").render() == '<p id="card-text">phx-upload-1 0:0</p>'
        render_upload(photo, "a.png", 100)
        assert view.element("#card-text").render() == '<p id="card-text">phx-upload-1 0:100</p>'
        assert len(os.listdir(updir)) == 1
        view.form("#card-form").submit()
        assert SAVED[-1] == [b"abc"]
        assert os.listdir(updir) == []
        assert view.element("#card-text").render() == '<p id="card-text">phx-upload-1 </p>'


def test_the_docs_component_example_runs_as_written(updir: Path) -> None:
    """docs/uploads.md's component, exec'd as written and placed twice in a view."""
    text = (Path(__file__).parent.parent / "docs" / "uploads.md").read_text()
    section = text.split("## Uploads in live components", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(compile(code, "docs/uploads.md", "exec"), namespace)
    attachments = namespace["Attachments"]

    class Page(LiveView):
        def render(self, assigns: Any) -> Tree:
            return div(live_component(attachments, id="a"), live_component(attachments, id="b"))

    app = App(secret_key=SECRET)
    app.live("/", Page)
    with live(app, "/") as view:
        chosen = file_input(view, "#b-form", "files", [{"name": "x.bin", "content": b"12345"}])
        render_upload(chosen, "x.bin")
        view.form("#b-form").submit()
        assert view.element("#b-form ul").render() == "<ul><li>5 bytes</li></ul>"
        assert view.element("#a-form ul").render() == "<ul></ul>"
        assert os.listdir(updir) == []
