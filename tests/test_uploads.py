"""``pylive.uploads`` and the socket's upload API, without a connection."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from pylive.inputs import live_file_input, live_img_preview
from pylive.limits import Limits
from pylive.render import render_html
from pylive.socket import Socket
from pylive.uploads import (
    UploadEntry,
    Uploads,
    consume_uploaded_entries,
    consume_uploaded_entry,
    upload_errors,
    uploaded_entries,
)


def entry(ref: str, name: str = "a.png", size: int = 10, type: str = "image/png") -> dict[str, Any]:
    return {"ref": ref, "name": name, "size": size, "type": type, "last_modified": 1}


@pytest.fixture
def socket(tmp_path: Path) -> Socket:
    socket = Socket("V")
    socket._uploads = Uploads("V", Limits(), str(tmp_path))
    return socket


def files(tmp_path: Path) -> list[str]:
    return sorted(os.listdir(tmp_path))


def test_allow_upload_makes_a_config_in_assigns(socket: Socket) -> None:
    socket.allow_upload("avatar", accept=[".PNG", "image/*"], max_entries=2)
    socket.allow_upload("doc", accept=":any")
    config = socket.assigns.uploads.avatar
    assert (config.ref, config.name, config.accept, config.max_entries) == (
        "phx-upload-0",
        "avatar",
        (".png", "image/*"),
        2,
    )
    assert (config.max_file_size, config.chunk_size, config.entries, config.errors) == (
        8_000_000,
        64_000,
        [],
        [],
    )
    assert socket.assigns.uploads["doc"].ref == "phx-upload-1"
    assert socket.assigns.changed("uploads")


def test_chunk_size_is_capped_by_the_message_limit(tmp_path: Path) -> None:
    uploads = Uploads("V", Limits(max_message_bytes=10_000), str(tmp_path))
    assert uploads.allow("a", accept=":any", chunk_size=64_000).chunk_size == 10_000 - 512


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"accept": ".png"}, 'accept must be ":any" or a list like'),
        ({"accept": []}, "accept is empty"),
        ({"accept": ["png"]}, "each accept item must be an extension"),
        ({"accept": ":any", "max_entries": 0}, "max_entries must be an int >= 1, got 0"),
        ({"accept": ":any", "max_file_size": 1.5}, "max_file_size must be an int >= 1, got 1.5"),
        ({"accept": ":any", "progress": 3}, "progress must be a function, got 3"),
    ],
)
def test_allow_upload_refuses_bad_options(
    socket: Socket, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises((ValueError, TypeError), match="V.allow_upload\\('a'\\): ") as error:
        socket.allow_upload("a", **kwargs)
    assert message in str(error.value)


def test_configs_per_view_are_bounded(tmp_path: Path) -> None:
    uploads = Uploads("V", Limits(max_uploads_per_view=2), str(tmp_path))
    uploads.allow("a", accept=":any")
    uploads.allow("b", accept=":any")
    with pytest.raises(ValueError, match="at most 2 uploads"):
        uploads.allow("c", accept=":any")


def test_entries_are_validated(socket: Socket) -> None:
    socket.allow_upload("f", accept=[".png", "text/plain"], max_entries=3, max_file_size=100)
    uploads = socket.uploads
    uploads.add_entries(
        "phx-upload-0",
        [
            entry("0"),
            entry("1", "x.exe", 5, "application/x"),
            entry("2", "b.txt", 101, "text/plain"),
        ],
    )
    config = socket.assigns.uploads.f
    assert [(e.ref, e.valid, e.errors) for e in config.entries] == [
        ("0", True, []),
        ("1", False, ["not_accepted"]),
        ("2", False, ["too_large"]),
    ]
    assert upload_errors(config, config.entries[1]) == ["not_accepted"]
    e = config.entries[0]
    assert (e.client_name, e.client_size, e.client_type, e.client_last_modified) == (
        "a.png",
        10,
        "image/png",
        1,
    )
    assert (e.progress, e.done, e.cancelled, len(e.uuid)) == (0, False, False, 36)


def test_too_many_files_is_a_config_error_and_keeps_none(socket: Socket) -> None:
    socket.allow_upload("f", accept=":any", max_entries=2)
    config = socket.uploads.add_entries("phx-upload-0", [entry("0"), entry("1"), entry("2")])
    assert config is not None
    assert (config.entries, upload_errors(config)) == ([], ["too_many_files"])
    socket.uploads.add_entries("phx-upload-0", [entry("3")])
    assert ([e.ref for e in config.entries], config.errors) == (["3"], [])


def test_a_single_entry_config_replaces_its_unfinished_entry(socket: Socket) -> None:
    socket.allow_upload("f", accept=":any")
    socket.uploads.add_entries("phx-upload-0", [entry("0")])
    socket.uploads.add_entries("phx-upload-0", [entry("1")])
    assert [e.ref for e in socket.assigns.uploads.f.entries] == ["1"]
    assert socket.uploads.add_entries("phx-upload-9", [entry("2")]) is None


def test_a_whole_upload_then_consume(socket: Socket, tmp_path: Path) -> None:
    socket.allow_upload("f", accept=":any", max_entries=2)
    uploads = socket.uploads
    uploads.add_entries("phx-upload-0", [entry("0", size=5), entry("1", size=3)])
    config, accepted, errors = uploads.preflight("phx-upload-0", ["0", "1", "7"], socket)
    assert errors == {"7": ["not_found"]}
    token = accepted["0"]["token"]
    assert len(token) >= 22 and accepted["0"]["chunk_size"] == 64_000
    assert accepted["0"]["offset"] == 0
    assert len(files(tmp_path)) == 2
    assert uploads.write_chunk(token, 0, b"abc")[2] is None
    e0 = socket.assigns.uploads.f.entries[0]
    assert (e0.progress, e0.done) == (60, False)
    assert uploads.write_chunk(token, 3, b"de")[2] is None
    assert (e0.progress, e0.done) == (100, True)
    assert uploaded_entries(socket, "f") == ([e0], [socket.assigns.uploads.f.entries[1]])
    seen = consume_uploaded_entries(socket, "f", lambda meta, e: Path(meta["path"]).read_bytes())
    assert seen == [b"abcde"]
    assert [e.ref for e in socket.assigns.uploads.f.entries] == ["1"]
    assert len(files(tmp_path)) == 1
    assert uploads.write_chunk(token, 5, b"x") == (None, None, "not_found")
    uploads.close()
    assert files(tmp_path) == []


def test_a_chunk_past_the_declared_size_fails_and_deletes(socket: Socket, tmp_path: Path) -> None:
    socket.allow_upload("f", accept=":any")
    socket.uploads.add_entries("phx-upload-0", [entry("0", size=4)])
    token = socket.uploads.preflight("phx-upload-0", ["0"], socket)[1]["0"]["token"]
    _, e, error = socket.uploads.write_chunk(token, 0, b"12345")
    assert e is not None and (error, e.errors, e.valid) == ("too_large", ["too_large"], False)
    assert files(tmp_path) == []
    assert socket.uploads.preflight("phx-upload-0", ["0"], socket)[2] == {"0": ["too_large"]}


def test_a_wrong_offset_or_empty_chunk_is_bad_chunk(socket: Socket, tmp_path: Path) -> None:
    socket.allow_upload("f", accept=":any", max_entries=2)
    socket.uploads.add_entries("phx-upload-0", [entry("0"), entry("1")])
    accepted = socket.uploads.preflight("phx-upload-0", ["0", "1"], socket)[1]
    assert socket.uploads.write_chunk(accepted["0"]["token"], 3, b"ab")[2] == "bad_chunk"
    assert socket.uploads.write_chunk(accepted["1"]["token"], 0, b"")[2] == "bad_chunk"
    assert files(tmp_path) == []


def test_a_zero_byte_file_is_done_at_preflight(socket: Socket) -> None:
    socket.allow_upload("f", accept=":any")
    socket.uploads.add_entries("phx-upload-0", [entry("0", size=0)])
    socket.uploads.preflight("phx-upload-0", ["0"], socket)
    e = socket.assigns.uploads.f.entries[0]
    assert (e.done, e.progress) == (True, 100)
    assert consume_uploaded_entry(socket, e, lambda meta, e: os.path.getsize(meta["path"])) == 0


def test_cancel_and_disallow_delete_files(socket: Socket, tmp_path: Path) -> None:
    socket.allow_upload("f", accept=":any", max_entries=2)
    socket.uploads.add_entries("phx-upload-0", [entry("0"), entry("1")])
    socket.uploads.preflight("phx-upload-0", ["0", "1"], socket)
    socket.cancel_upload("f", "0")
    assert len(files(tmp_path)) == 1
    assert socket.uploads.preflight("phx-upload-0", ["0"], socket)[2] == {"0": ["not_found"]}
    socket.disallow_upload("f")
    assert files(tmp_path) == []
    assert "f" not in socket.assigns.uploads
    with pytest.raises(KeyError, match="no upload 'f'"):
        socket.cancel_upload("f", "1")


def test_consuming_an_entry_in_progress_is_refused(socket: Socket) -> None:
    socket.allow_upload("f", accept=":any")
    socket.uploads.add_entries("phx-upload-0", [entry("0")])
    e = socket.assigns.uploads.f.entries[0]
    with pytest.raises(ValueError, match="entry '0' of 'f' is not done \\(0%\\)"):
        consume_uploaded_entry(socket, e, lambda meta, e: None)
    with pytest.raises(KeyError, match="is in no upload"):
        consume_uploaded_entry(socket, UploadEntry("9", "x", 1, ""), lambda meta, e: None)


def test_bytes_in_flight_are_bounded(tmp_path: Path) -> None:
    socket = Socket("V")
    socket._uploads = Uploads("V", Limits(max_upload_bytes_in_flight=15), str(tmp_path))
    socket.allow_upload("f", accept=":any", max_entries=2)
    socket.uploads.add_entries("phx-upload-0", [entry("0", size=10), entry("1", size=10)])
    _, accepted, errors = socket.uploads.preflight("phx-upload-0", ["0", "1"], socket)
    assert (list(accepted), errors) == (["0"], {"1": ["too_large"]})


def test_a_stalled_entry_fails_with_timeout(socket: Socket, tmp_path: Path) -> None:
    socket.allow_upload("f", accept=":any")
    socket.uploads.add_entries("phx-upload-0", [entry("0")])
    socket.uploads.preflight("phx-upload-0", ["0"], socket)
    e = socket.assigns.uploads.f.entries[0]
    assert socket.uploads.stalled(e.last_chunk + 29) == []
    assert socket.uploads.stalled(e.last_chunk + 30) == [(socket.assigns.uploads.f, e)]
    assert (e.errors, files(tmp_path), socket.uploads.active) == (["timeout"], [], False)


def test_accept_matching() -> None:
    uploads = Uploads("V")
    config = uploads.allow("f", accept=[".jpg", "image/png", "text/*"])
    assert [
        config.accepts(name, mime)
        for name, mime in [
            ("A.JPG", ""),
            ("x", "image/png"),
            ("x.md", "text/markdown"),
            ("x.png", "image/gif"),
            (".jpg", ""),
        ]
    ] == [True, True, True, False, False]


# -- rendering ------------------------------------------------------------------------------------


def test_live_file_input_and_img_preview_exact_html(socket: Socket) -> None:
    socket.allow_upload("avatar", accept=[".png", "image/*"], max_entries=2)
    socket.allow_upload("doc", accept=":any", auto_upload=True)
    config = socket.assigns.uploads.avatar
    assert render_html(live_file_input(config)) == (
        '<input type="file" id="phx-upload-0" name="avatar" accept=".png,image/*" '
        'data-phx-upload-ref="phx-upload-0" data-phx-active-refs="" data-phx-done-refs="" '
        "multiple>"
    )
    socket.uploads.add_entries("phx-upload-0", [entry("0", size=0), entry("1")])
    socket.uploads.preflight("phx-upload-0", ["0"], socket)
    assert render_html(live_file_input(config)) == (
        '<input type="file" id="phx-upload-0" name="avatar" accept=".png,image/*" '
        'data-phx-upload-ref="phx-upload-0" data-phx-active-refs="0,1" data-phx-done-refs="0" '
        "multiple>"
    )
    assert render_html(live_file_input(socket.assigns.uploads.doc, class_="drop")) == (
        '<input type="file" id="phx-upload-1" name="doc" data-phx-upload-ref="phx-upload-1" '
        'data-phx-active-refs="" data-phx-done-refs="" data-phx-auto-upload class="drop">'
    )
    assert render_html(live_img_preview(config.entries[1], width="80")) == (
        '<img id="phx-preview-phx-upload-0-1" data-phx-upload-ref="phx-upload-0" '
        'data-phx-entry-ref="1" data-phx-hook="pylive:ImgPreview" width="80">'
    )


def test_live_file_input_refuses_what_is_not_a_config() -> None:
    with pytest.raises(TypeError, match="live_file_input: expected an upload config"):
        live_file_input("avatar")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="live_img_preview: expected an upload entry, got 3"):
        live_img_preview(3)  # type: ignore[arg-type]
