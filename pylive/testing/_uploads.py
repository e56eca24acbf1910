"""Uploads in the in-process test client: LiveViewTest's ``file_input`` and ``render_upload``.

``file_input(view, "#upload-form", "avatar", [{"name": "a.png", "content": b"...", "type":
"image/png"}])`` chooses files in the form's ``live_file_input`` as the browser does: each gets an
entry ref, and the form's ``phx-change`` goes with the entries (the server validates them: a
wrong type or size shows in the render the call returns). ``render_upload(upload, "a.png",
percent)`` then sends that file's bytes up to ``percent`` of it — the preflight first, then
binary chunks, each acknowledged, over the very session code the websocket runs — and returns
the render. The wire is docs/protocol.md's; ``client.js`` speaks the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import orjson

from pylive.protocol import MSG_UPLOAD, MSG_UPLOAD_ERROR
from pylive.testing import _dom
from pylive.testing import _form_state as forms

if TYPE_CHECKING:
    from pylive.testing.client import LiveViewClient


class UploadFile:
    """A file the test chooses: its name, bytes and type (what the browser would report)."""

    __slots__ = ("content", "last_modified", "name", "type")

    def __init__(self, spec: Mapping[str, Any], where: str) -> None:
        name, content = spec.get("name"), spec.get("content")
        if not isinstance(name, str) or not isinstance(content, bytes | bytearray):
            raise TypeError(
                f"{where}: expected each file as {{'name': str, 'content': bytes, 'type': str}}, "
                f"got {spec!r}"
            )
        self.name = name
        self.content = bytes(content)
        self.type = str(spec.get("type", ""))
        self.last_modified = int(spec.get("last_modified", 0))


class Upload:
    """What ``file_input`` chose: the files, their entry refs, and the render after the change
    (``str(upload)``, ``"too large" in upload``)."""

    def __init__(
        self,
        view: LiveViewClient,
        upload_ref: str,
        files: list[UploadFile],
        refs: list[str],
        html: str,
    ) -> None:
        self.view = view
        self.upload_ref = upload_ref
        self.files = files
        self.refs = refs
        self.html = html
        self.tokens: dict[str, str] = {}
        self.sent: dict[str, int] = {}
        self.chunk_size: dict[str, int] = {}

    def __str__(self) -> str:
        return self.html

    def __contains__(self, text: str) -> bool:
        return text in self.html

    def __repr__(self) -> str:
        return f"Upload({self.upload_ref}, {[f.name for f in self.files]})"

    def entry_ref(self, name: str) -> str:
        for file, ref in zip(self.files, self.refs, strict=True):
            if file.name == name:
                return ref
        chosen = ", ".join(repr(f.name) for f in self.files)
        raise AssertionError(f"render_upload: no file named {name!r} was chosen; chosen: {chosen}")


def file_input(
    view: LiveViewClient, form: str, name: str, files: Sequence[Mapping[str, Any]]
) -> Upload:
    """Choose ``files`` in the ``live_file_input`` named ``name`` of the form ``form``."""
    where = f"file_input({form!r}, {name!r})"
    live = view._live(where)
    live._sync()
    page = live._page()
    form_el = live._find(form, None)
    inputs = [
        el
        for el in forms.form_controls(page, form_el)
        if el.tag == "input" and el.get("type") == "file" and el.get("name") == name
    ]
    if len(inputs) != 1:
        raise AssertionError(
            f"{where}: expected one file input named {name!r} in the form, found "
            f"{len(inputs)}:\n{page.describe(form_el)}"
        )
    file_el = inputs[0]
    upload_ref = file_el.get("data-phx-upload-ref")
    if not upload_ref:
        raise AssertionError(
            f"{where}: the file input is not a live_file_input (no data-phx-upload-ref):\n"
            f"{page.describe(file_el)}"
        )
    chosen = [UploadFile(spec, where) for spec in files]
    counter = live._upload_refs.get(upload_ref, 0)
    refs = [str(counter + index) for index in range(len(chosen))]
    live._upload_refs[upload_ref] = counter + len(chosen)
    event = file_el.get("phx-change") or form_el.get("phx-change")
    if event is None:
        raise AssertionError(f"{where}: the form has no phx-change:\n{page.describe(form_el)}")
    if file_el.get("phx-change") is not None:
        pairs: list[list[str]] = []
    else:
        fields = _dom.form_fields(page, form_el)
        pairs = forms.with_unused(page, forms.form_controls(page, form_el), _dom.serialize(fields))
    entries = [
        {
            "ref": ref,
            "name": file.name,
            "size": len(file.content),
            "type": file.type,
            "last_modified": file.last_modified,
        }
        for file, ref in zip(chosen, refs, strict=True)
    ]
    live._event(
        "change",
        event,
        pairs,
        target=name,
        cid=_dom.component_id(form_el),
        extra={"uploads": {upload_ref: entries}},
    )
    return Upload(live, upload_ref, chosen, refs, live._html())


def render_upload(upload: Upload, name: str, percent: int = 100) -> str:
    """Send the file ``name`` of ``upload`` up to ``percent`` (0..100) of its bytes; returns the
    render. The first call preflights it; a refused entry fails with the server's error codes."""
    if not isinstance(upload, Upload):
        raise TypeError(f"render_upload: expected what file_input returned, got {upload!r}")
    if not (isinstance(percent, int) and 0 <= percent <= 100):
        raise ValueError(f"render_upload: expected a percent from 0 to 100, got {percent!r}")
    view = upload.view
    ref = upload.entry_ref(name)
    file = upload.files[upload.refs.index(ref)]
    if ref not in upload.tokens:
        frame = {"type": MSG_UPLOAD, "ref": view._next_ref(), "upload": upload.upload_ref}
        frame["entries"] = [ref]
        answer = view._run(view._exchange(frame)) or {}
        reply = answer.get("reply", {})
        errors = reply.get("errors", {}).get(ref)
        if errors:
            raise AssertionError(f"render_upload({name!r}): the server refused it: {errors}")
        accepted = reply.get("entries", {}).get(ref)
        if not isinstance(accepted, dict) or "token" not in accepted:
            raise AssertionError(
                f"render_upload({name!r}): no token in the preflight reply {answer}"
            )
        upload.tokens[ref] = accepted["token"]
        upload.sent[ref] = int(accepted.get("offset", 0))
        upload.chunk_size[ref] = int(accepted.get("chunk_size", 64_000))
    token = upload.tokens[ref]
    goal = len(file.content) * percent // 100
    while upload.sent[ref] < goal:
        offset = upload.sent[ref]
        data = file.content[offset : min(goal, offset + upload.chunk_size[ref])]
        header = orjson.dumps({"token": token, "offset": offset})
        chunk = len(header).to_bytes(2, "big") + header + data
        ack = view._run(view._exchange_chunk(chunk, token))
        if ack is None:
            raise AssertionError(f"render_upload({name!r}): the server asked for a reload")
        if ack.get("type") == MSG_UPLOAD_ERROR:
            raise AssertionError(f"render_upload({name!r}): the server stopped it: {ack['error']}")
        upload.sent[ref] = int(ack["received"])
    return view._html()
