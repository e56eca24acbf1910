"""Uploads in Chromium against the real server: three files chosen, one previewed, one cancelled,
one dropped, consumed with the bytes intact; a 20 MB upload that resumes after the server drops
the connection, with the stored bytes identical; an external upload straight to a storage
endpoint the test serves on loopback; the gallery's profile page."""

from __future__ import annotations

import base64
import hashlib
import http.server
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from playwright.sync_api import Page, expect

from e2e.upload_views import SAVED, ExternalDocuments, uploads_app
from pylive.sanic import LiveServer
from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


class Uploads:
    def __init__(self, page: Page, server: LiveServer) -> None:
        self.page = page
        self.server = server
        self.errors: list[str] = []
        self.binary_frames = 0
        page.on("console", self._console)
        page.on("websocket", lambda ws: ws.on("framesent", self._sent))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _sent(self, payload: Any) -> None:
        if isinstance(payload, bytes):
            self.binary_frames += 1


@pytest.fixture
def uploads(live_server: Any, live_page: Page) -> Iterator[Uploads]:
    SAVED.clear()
    seen = Uploads(live_page, live_server(uploads_app()))
    live_page.goto(seen.server.url + "/")
    sync(live_page)
    yield seen
    assert seen.errors == []


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_upload_three_files_preview_cancel_drop_and_consume(
    uploads: Uploads, tmp_path: Path
) -> None:
    page = uploads.page
    files = {"a.txt": os.urandom(150_000), "b.bin": os.urandom(70_000), "pixel.png": PNG}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    page.set_input_files("#upload-form input[type=file]", [str(tmp_path / n) for n in files])
    sync(page)
    expect(page.locator("#entries li .name")).to_have_text(["a.txt", "b.bin", "pixel.png"])
    expect(page.locator("#entries li .progress")).to_have_text(["0%", "0%", "0%"])
    # The preview comes from the local file: no byte has been sent yet.
    preview = page.locator("#entries img")
    expect(preview).to_have_attribute("src", re.compile(r"^blob:"))
    assert uploads.binary_frames == 0
    page.click("#entry-1 .cancel")  # b.bin
    sync(page)
    expect(page.locator("#entries li .name")).to_have_text(["a.txt", "pixel.png"])
    page.evaluate(
        """() => {
            const dt = new DataTransfer();
            dt.items.add(new File(["dropped bytes"], "dropped.txt", {type: "text/plain"}));
            const target = document.getElementById("drop");
            target.dispatchEvent(new DragEvent("dragenter", {dataTransfer: dt, bubbles: true}));
            target.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true}));
        }"""
    )
    sync(page)
    expect(page.locator("#entries li .name")).to_have_text(["a.txt", "pixel.png", "dropped.txt"])
    page.click("#upload")
    expect(page.locator("#saved")).to_have_text("saved=3", timeout=10_000)
    assert SAVED == {
        "a.txt": digest(files["a.txt"]),
        "pixel.png": digest(PNG),
        "dropped.txt": digest(b"dropped bytes"),
    }
    assert uploads.binary_frames == 3 + 1 + 1  # a.txt in three chunks (64 KB at most), one each
    expect(page.locator("#entries li")).to_have_count(0)  # consumed


def test_upload_of_20_mb_resumes_after_the_connection_drops(
    uploads: Uploads, tmp_path: Path
) -> None:
    page = uploads.page
    data = os.urandom(20_000_000)
    (tmp_path / "big.bin").write_bytes(data)
    page.set_input_files("#upload-form input[type=file]", str(tmp_path / "big.bin"))
    sync(page)
    page.evaluate("() => window.pylive.enableLatencySim(2)")  # slow enough to drop it midway
    page.click("#upload")
    page.wait_for_function(
        "() => { const p = document.querySelector('#entries .progress');"
        " return p && parseInt(p.textContent) >= 20; }",
        timeout=30_000,
    )
    sent_before = uploads.binary_frames
    assert uploads.server.drop_connections() == 1
    expect(page.locator("#saved")).to_have_text("saved=1", timeout=60_000)
    assert SAVED == {"big.bin": digest(data)}
    chunks = -(-len(data) // 64_000)
    # Resumed, not restarted: the chunks sent in all are the file's, plus at most the one in
    # flight when the connection dropped.
    assert sent_before < chunks and chunks <= uploads.binary_frames <= chunks + 1
    page.evaluate("() => window.pylive.disableLatencySim()")


def test_gallery_uploads_profile_picture_auto_uploads_documents_on_submit(
    gallery: LiveServer, live_page: Page, tmp_path: Path
) -> None:
    page = live_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(gallery.url + "/uploads/profile")
    sync(page)
    (tmp_path / "notes.exe").write_bytes(b"MZ")
    page.set_input_files("input[name=avatar]", str(tmp_path / "notes.exe"))
    sync(page)
    # Refused before a byte is sent: the server checked the type the browser declared.
    expect(page.locator(".upload-entry .error")).to_have_text("File type not accepted")
    page.click(".upload-entry button[aria-label=cancel]")
    sync(page)
    expect(page.locator(".upload-entry")).to_have_count(0)
    (tmp_path / "me.png").write_bytes(PNG)
    page.set_input_files("input[name=avatar]", str(tmp_path / "me.png"))
    # auto_upload: the picture goes at once, its bar reaching 100 % with no submit.
    expect(page.locator(".upload-entry .percent")).to_have_text("100%")
    expect(page.locator(".upload-entry img")).to_have_attribute("src", re.compile(r"^blob:"))
    docs = {"a.txt": b"alpha", "b.txt": b"bravo", "c.txt": b"charlie"}
    for name, data in docs.items():
        (tmp_path / name).write_bytes(data)
    page.set_input_files("input[name=documents]", [str(tmp_path / n) for n in docs])
    sync(page)
    expect(page.locator("#documents li")).to_have_count(3)
    page.click("#documents li:nth-child(2) button")  # remove b.txt
    sync(page)
    expect(page.locator("#documents li")).to_have_count(2)
    page.click("#upload-all")
    expect(page.locator("#uploaded li")).to_have_count(3, timeout=10_000)
    lines = page.locator("#uploaded li").all_text_contents()
    assert lines == [
        f"me.png: {len(PNG)} B, sha256 {digest(PNG)[:12]}",
        f"a.txt: 5 B, sha256 {digest(b'alpha')[:12]}",
        f"c.txt: 7 B, sha256 {digest(b'charlie')[:12]}",
    ]
    assert errors == []


class PutTarget(http.server.BaseHTTPRequestHandler):
    """A presigned-URL-style storage endpoint on loopback: PUT /put/<id> stores the body."""

    received: ClassVar[dict[str, bytes]] = {}

    def _cors(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "PUT")
        self.send_header("Access-Control-Allow-Headers", "content-type")

    def do_OPTIONS(self) -> None:
        self.send_response(204)
        self._cors()
        self.end_headers()

    def do_PUT(self) -> None:
        length = int(self.headers.get("content-length", "0"))
        PutTarget.received[self.path.removeprefix("/put/")] = self.rfile.read(length)
        self.send_response(200)
        self._cors()
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


UPLOADER = """() => {
  window.pylive.uploaders.Local = (entries, onViewError) => {
    for (const entry of entries) {
      const xhr = new XMLHttpRequest();
      onViewError(() => xhr.abort());
      xhr.upload.onprogress = (e) => entry.progress(Math.floor((e.loaded / e.total) * 99));
      xhr.onload = () =>
        xhr.status === 200 ? entry.progress(100) : entry.error(`status ${xhr.status}`);
      xhr.onerror = () => entry.error("network error");
      xhr.open("PUT", entry.meta.url);
      xhr.send(entry.file);
    }
  };
}"""


def test_external_upload_goes_straight_to_the_storage_endpoint(
    live_server: Any, live_page: Page, tmp_path: Path
) -> None:
    target = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PutTarget)
    thread = threading.Thread(target=target.serve_forever, daemon=True)
    thread.start()
    PutTarget.received.clear()
    try:
        ExternalDocuments.PUT_BASE = f"http://127.0.0.1:{target.server_address[1]}"
        server = live_server(uploads_app())
        page = live_page
        binary: list[int] = []
        page.on(
            "websocket",
            lambda ws: ws.on(
                "framesent", lambda f: binary.append(1) if isinstance(f, bytes) else None
            ),
        )
        page.goto(server.url + "/external")
        sync(page)
        page.evaluate(UPLOADER)
        data = os.urandom(300_000)
        (tmp_path / "report.bin").write_bytes(data)
        page.set_input_files("#ext-form input[type=file]", str(tmp_path / "report.bin"))
        sync(page)
        page.click("#upload")
        expect(page.locator("#stored li")).to_have_count(1, timeout=10_000)
        (uuid,) = page.locator("#stored li").all_text_contents()
        assert PutTarget.received == {uuid: data}  # the bytes went to the endpoint, whole
        assert binary == []  # and none through the live socket
    finally:
        target.shutdown()
        target.server_close()
        thread.join(5)


def test_gallery_testing_uploads_page_refuses_then_saves(
    gallery: LiveServer, live_page: Page, tmp_path: Path
) -> None:
    page = live_page
    page.goto(gallery.url + "/uploads/testing")
    sync(page)
    (tmp_path / "document.pdf").write_bytes(b"%PDF-1.4")
    page.set_input_files("#upload-form input[type=file]", str(tmp_path / "document.pdf"))
    expect(page.locator("#upload-entries .error")).to_have_text("Invalid file type")
    (tmp_path / "avatar.png").write_bytes(PNG)
    page.set_input_files("#upload-form input[type=file]", str(tmp_path / "avatar.png"))
    sync(page)
    expect(page.locator("#upload-entries li")).to_have_text(["avatar.png 0%"])  # replaced
    page.click("#save-upload")
    expect(page.locator("#saved-files li")).to_have_text(["avatar.png"])


def test_gallery_attachment_cards_upload_each_through_its_component(
    gallery: LiveServer, live_page: Page, tmp_path: Path
) -> None:
    page = live_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(gallery.url + "/uploads/component")
    sync(page)
    files = {"a.txt": b"alpha", "b.txt": b"bravo", "c.txt": b"charlie"}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    page.set_input_files("#report-card input[type=file]", [str(tmp_path / "a.txt"),
                                                           str(tmp_path / "b.txt")])  # fmt: skip
    page.set_input_files("#invoice-card input[type=file]", str(tmp_path / "c.txt"))
    sync(page)
    expect(page.locator("#report-card .entries li")).to_have_text(["a.txt 0%", "b.txt 0%"])
    expect(page.locator("#invoice-card .entries li")).to_have_text(["c.txt 0%"])
    page.click("#report-card button[type=submit]")  # the files go, then save consumes them
    expect(page.locator("#report-card .saved li")).to_have_text(
        [
            f"a.txt: 5 B, sha256 {digest(b'alpha')[:12]}",
            f"b.txt: 5 B, sha256 {digest(b'bravo')[:12]}",
        ]
    )
    expect(page.locator("#report-card .entries li")).to_have_count(0)
    expect(page.locator("#invoice-card .entries li")).to_have_text(["c.txt 0%"])  # untouched
    page.click("#invoice-card button[type=submit]")
    expect(page.locator("#invoice-card .saved li")).to_have_text(
        [f"c.txt: 7 B, sha256 {digest(b'charlie')[:12]}"]
    )
    page.click("#remove-invoice")
    expect(page.locator("#invoice-card")).to_have_count(0)
    expect(page.locator("#report-card .saved li")).to_have_count(2)
    assert errors == []
