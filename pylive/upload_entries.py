"""Uploads, the values: an upload config (``assigns.uploads.<name>``), its entries, and the
rules a config's options and a file's name and type are checked by. ``pylive.uploads`` holds the
registry that changes them and the temp files."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable
from typing import Any, Final, Literal

import attrs

ErrorCode = Literal[
    "too_large", "too_many_files", "not_accepted", "not_found", "timeout", "bad_chunk"
]
ANY: Final = ":any"
"""``accept=":any"``: every file is accepted."""
MAX_CLIENT_TEXT = 255
"""Characters of a client's file name or MIME type the server keeps (display data only)."""


@attrs.define(eq=False)
class UploadEntry:
    """One file the client chose. ``client_*`` are what the client said (display data only)."""

    ref: str
    client_name: str
    client_size: int
    client_type: str
    client_last_modified: int | None = None
    upload_ref: str = ""
    """The ref of the config the entry belongs to (``phx-upload-0``)."""
    progress: int = 0
    done: bool = False
    valid: bool = True
    cancelled: bool = False
    errors: list[str] = attrs.field(factory=list)
    uuid: str = attrs.field(factory=lambda: str(uuid.uuid4()))
    preflighted: bool = False
    token: str | None = attrs.field(default=None, repr=False)
    path: str | None = attrs.field(default=None, repr=False)
    received: int = 0
    last_chunk: float = 0.0
    external_meta: dict[str, Any] | None = attrs.field(default=None, repr=False)
    fd: int | None = attrs.field(default=None, repr=False)

    def fail(self, code: str) -> None:
        """The entry failed with ``code``: it is no longer valid and its temp file goes."""
        if code not in self.errors:
            self.errors.append(code)
        self.valid = False
        self.discard()

    def discard(self) -> None:
        """Close and delete the temp file, if any; the token stops working."""
        if self.fd is not None:
            try:
                os.close(self.fd)
            except OSError:
                pass
            self.fd = None
        if self.path is not None:
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass
            self.path = None
        self.token = None


@attrs.define(eq=False)
class UploadConfig:
    """``assigns.uploads.<name>``: one ``allow_upload``'s settings and its entries."""

    ref: str
    name: str
    accept: tuple[str, ...] | Literal[":any"]
    max_entries: int
    max_file_size: int
    chunk_size: int
    auto_upload: bool = False
    progress: Callable[..., Any] | None = attrs.field(default=None, repr=False)
    external: Callable[..., Any] | None = attrs.field(default=None, repr=False)
    entries: list[UploadEntry] = attrs.field(factory=list)
    errors: list[str] = attrs.field(factory=list)

    def entry(self, ref: str) -> UploadEntry | None:
        for entry in self.entries:
            if entry.ref == ref:
                return entry
        return None

    def accepts(self, name: str, mime: str) -> bool:
        """Whether a file called ``name`` of type ``mime`` is accepted (extension or MIME)."""
        if self.accept == ANY:
            return True
        dot = name.rfind(".")
        extension = name[dot:].lower() if dot > 0 else ""
        mime = mime.lower()
        for item in self.accept:
            if item.startswith("."):
                if extension == item:
                    return True
            elif item.endswith("/*"):
                if mime.startswith(item[:-1]):
                    return True
            elif mime == item:
                return True
        return False


class UploadsView(dict[str, UploadConfig]):
    """``assigns.uploads``: configs by name, read as attributes too (``assigns.uploads.avatar``)."""

    def __getattr__(self, name: str) -> UploadConfig:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(
                f"no upload {name!r} (allowed: {', '.join(sorted(self)) or 'none'}); "
                f"call socket.allow_upload({name!r}, accept=...) in mount"
            ) from None


def check_accept(accept: object, where: str) -> tuple[str, ...] | Literal[":any"]:
    """``accept`` as stored: ``":any"``, or a tuple of lower-case ``.ext`` / ``type/sub`` /
    ``type/*`` items."""
    if accept == ANY:
        return ANY
    if isinstance(accept, str) or not isinstance(accept, Iterable):
        raise ValueError(
            f'{where}: accept must be ":any" or a list like [".png", "image/*"], got {accept!r}'
        )
    items: list[str] = []
    for item in accept:
        if not isinstance(item, str) or not (
            (item.startswith(".") and len(item) > 1) or item.count("/") == 1
        ):
            raise ValueError(
                f"{where}: each accept item must be an extension ('.png') or a MIME type "
                f"('image/png', 'image/*'), got {item!r}"
            )
        items.append(item.lower())
    if not items:
        raise ValueError(f"{where}: accept is empty; give at least one type, or ':any'")
    return tuple(items)


def positive(value: object, name: str, where: str) -> int:
    if type(value) is not int or value < 1:
        raise ValueError(f"{where}: {name} must be an int >= 1, got {value!r}")
    return value
