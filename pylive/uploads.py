"""Uploads, the server side: configs, entries, validation, the temp-file writer, consume/cancel.

``socket.allow_upload(name, accept=[".png"], ...)`` makes an ``UploadConfig`` (``assigns.uploads``
holds them by name). The client announces the files it chose on the form's ``phx-change``
(``add_entries``), asks to start sending (``preflight``: a random token per entry) and sends each
chunk as a binary frame (``write_chunk``); bytes go straight to a temp file with a random name in
one upload dir (``upload_dir()``), never named after what the client says. Everything is bounded:
entries per config (``max_entries``), configs per view (``Limits.max_uploads_per_view``), bytes per
entry (the declared size, itself at most ``max_file_size``), bytes in flight per connection
(``Limits.max_upload_bytes_in_flight``), chunk size, stalls (``Limits.upload_stall_seconds``).
Every failure is an error code on the entry (``upload_errors(upload, entry)``) and its temp file is
removed; so is every file on consume, cancel, and when the view ends (``Uploads.close``).

See docs/uploads.md and the protocol in docs/protocol.md.
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

import attrs

from pylive.limits import Limits
from pylive.upload_entries import ANY as ANY
from pylive.upload_entries import MAX_CLIENT_TEXT, UploadsView, check_accept, positive
from pylive.upload_entries import UploadConfig as UploadConfig
from pylive.upload_entries import UploadEntry as UploadEntry

CHUNK_HEADER_ROOM = 512
"""Bytes of a chunk frame kept for its header: a chunk is at most ``max_message_bytes`` minus
this, whatever the config asks."""

_DIR: str | None = None
MAX_PARKED = 10_000
"""Entries kept for a resume at once, in the process; past it the oldest is deleted."""


@attrs.define
class _Parked:
    entry: UploadEntry
    deadline: float


_PARKED: dict[str, _Parked] = {}
"""Entries of views whose connection dropped, by token, kept ``Limits.upload_resume_seconds``
for the reconnected client to resume (their temp file stays)."""


def expire_parked(now: float | None = None) -> int:
    """Delete the parked entries whose grace period is over; returns how many."""
    now = time.monotonic() if now is None else now
    expired = [token for token, parked in _PARKED.items() if parked.deadline <= now]
    for token in expired:
        _PARKED.pop(token).entry.discard()
    return len(expired)


def upload_dir() -> str:
    """The process's upload directory (``tempfile.mkdtemp``, made on first use, mode 0700;
    removed when the process exits)."""
    global _DIR
    if _DIR is None or not os.path.isdir(_DIR):
        _DIR = tempfile.mkdtemp(prefix="pylive-uploads-")
        atexit.register(shutil.rmtree, _DIR, True)  # what a crash or kill left: gone at exit
    return _DIR


class UploadGroup:
    """The uploads of one view and of its live components, each owner's ``Uploads`` by its cid
    (None: the view). Config refs are unique across them, the limits (configs per view, bytes in
    flight per connection) count all of them, and the session finds an owner by ref or token."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.members: dict[int | None, Uploads] = {}
        self.next_ref = 0

    def new_ref(self) -> str:
        ref = f"phx-upload-{self.next_ref}"
        self.next_ref += 1
        return ref

    def with_ref(self, upload_ref: str) -> Uploads | None:
        """The owner of the config ``upload_ref``."""
        for uploads in self.members.values():
            if upload_ref in uploads.by_ref:
                return uploads
        return None

    def with_token(self, token: str) -> Uploads | None:
        """The owner of the entry being sent with ``token``."""
        for uploads in self.members.values():
            if token in uploads.by_token:
                return uploads
        return None

    def config_count(self) -> int:
        return sum(len(uploads.configs) for uploads in self.members.values())

    def in_flight(self) -> int:
        return sum(uploads.in_flight() for uploads in self.members.values())

    def park(self) -> int:
        """The connection dropped: every owner parks its entries (``Uploads.park``)."""
        return sum(uploads.park() for uploads in self.members.values())

    def close(self) -> None:
        """The view ended: every owner's temp files go."""
        for uploads in self.members.values():
            uploads.close()

    def stalled(self) -> list[tuple[Uploads, UploadConfig, UploadEntry]]:
        return [
            (uploads, config, entry)
            for uploads in list(self.members.values())
            for config, entry in uploads.stalled()
        ]

    @property
    def active(self) -> bool:
        """Whether some entry of some owner is being sent."""
        return any(uploads.active for uploads in self.members.values())


class Uploads:
    """One owner's upload configs and the entries in them (a view's, or a live component's:
    ``cid``); the session feeds it the client's frames. ``directory`` is where temp files go
    (``upload_dir()`` by default); ``group`` is the view's ``UploadGroup`` this one joins (a new
    one when None)."""

    def __init__(
        self,
        view_name: str,
        limits: Limits | None = None,
        directory: str | None = None,
        *,
        group: UploadGroup | None = None,
        cid: int | None = None,
    ):
        self.view_name = view_name
        self.limits = limits or (group.limits if group is not None else Limits())
        self.directory = directory
        self.configs = UploadsView()
        self.by_ref: dict[str, UploadConfig] = {}
        self.by_token: dict[str, tuple[UploadConfig, UploadEntry]] = {}
        self.cid = cid
        self.group = group if group is not None else UploadGroup(self.limits)
        self.group.members[cid] = self

    def leave(self) -> None:
        """The owner (a live component) is gone: its temp files go, its refs stop working."""
        self.close()
        if self.group.members.get(self.cid) is self:
            del self.group.members[self.cid]

    # -- the socket API -------------------------------------------------------------------------

    def allow(
        self,
        name: str,
        *,
        accept: Any,
        max_entries: int = 1,
        max_file_size: int = 8_000_000,
        chunk_size: int = 64_000,
        auto_upload: bool = False,
        progress: Callable[..., Any] | None = None,
        external: Callable[..., Any] | None = None,
    ) -> UploadConfig:
        where = f"{self.view_name}.allow_upload({name!r})"
        if not isinstance(name, str) or not name:
            raise ValueError(f"{where}: expected a non-empty str name, got {name!r}")
        existing = self.configs.get(name)
        if existing is not None and any(not e.done for e in existing.entries):
            raise ValueError(f"{where}: an upload called {name!r} has entries in progress")
        if existing is None and self.group.config_count() >= self.limits.max_uploads_per_view:
            raise ValueError(
                f"{where}: a view may allow at most {self.limits.max_uploads_per_view} uploads "
                "(Limits.max_uploads_per_view)"
            )
        for fn, label in ((progress, "progress"), (external, "external")):
            if fn is not None and not callable(fn):
                raise TypeError(f"{where}: {label} must be a function, got {fn!r}")
        room = self.limits.max_message_bytes - CHUNK_HEADER_ROOM
        if existing is not None:
            self.disallow(name)
        config = UploadConfig(
            ref=self.group.new_ref(),
            name=name,
            accept=check_accept(accept, where),
            max_entries=positive(max_entries, "max_entries", where),
            max_file_size=positive(max_file_size, "max_file_size", where),
            chunk_size=min(positive(chunk_size, "chunk_size", where), room),
            auto_upload=bool(auto_upload),
            progress=progress,
            external=external,
        )
        self.configs[name] = config
        self.by_ref[config.ref] = config
        return config

    def config(self, name: str, where: str) -> UploadConfig:
        config = self.configs.get(name)
        if config is None:
            raise KeyError(
                f"{self.view_name}.{where}: no upload {name!r} "
                f"(allowed: {', '.join(sorted(self.configs)) or 'none'})"
            )
        return config

    def disallow(self, name: str) -> None:
        config = self.config(name, f"disallow_upload({name!r})")
        for entry in config.entries:
            self._forget(entry)
        del self.configs[name]
        del self.by_ref[config.ref]

    def cancel(self, name: str, entry_ref: str) -> None:
        config = self.config(name, f"cancel_upload({name!r})")
        entry = config.entry(entry_ref)
        if entry is None:
            raise KeyError(f"{self.view_name}.cancel_upload({name!r}): no entry {entry_ref!r}")
        self.remove(config, entry)
        entry.cancelled = True

    def remove(self, config: UploadConfig, entry: UploadEntry) -> None:
        """Take ``entry`` out of ``config`` and delete its temp file."""
        self._forget(entry)
        config.entries.remove(entry)
        if "too_many_files" in config.errors and len(config.entries) <= config.max_entries:
            config.errors.remove("too_many_files")

    def _forget(self, entry: UploadEntry) -> None:
        if entry.token is not None:
            self.by_token.pop(entry.token, None)
        entry.discard()

    def park(self) -> int:
        """The connection dropped: keep the entries that hold a file (in progress or done) for
        ``Limits.upload_resume_seconds``, for a resume; returns how many. ``close`` then deletes
        the rest."""
        expire_parked()
        deadline = time.monotonic() + self.limits.upload_resume_seconds
        count = 0
        for config in self.configs.values():
            for entry in [e for e in config.entries if e.path is not None and e.token]:
                if entry.fd is not None:
                    os.close(entry.fd)
                    entry.fd = None
                self.by_token.pop(entry.token or "", None)
                config.entries.remove(entry)
                _PARKED[entry.token or ""] = _Parked(entry, deadline)
                count += 1
        while len(_PARKED) > MAX_PARKED:
            _PARKED.pop(next(iter(_PARKED))).entry.discard()
        return count

    def _resume(self, config: UploadConfig, entry: UploadEntry, token: str) -> bool:
        """Take over the file of a parked entry with the same name, size and type."""
        parked = _PARKED.get(token)
        if parked is None or parked.deadline <= time.monotonic():
            return False
        old = parked.entry
        same = (old.client_name, old.client_size, old.client_type) == (
            entry.client_name,
            entry.client_size,
            entry.client_type,
        )
        if not same or old.path is None or config.external is not None:
            return False
        del _PARKED[token]
        entry.preflighted = True
        entry.token, entry.path, entry.received = token, old.path, old.received
        entry.last_chunk = time.monotonic()
        self.by_token[token] = (config, entry)
        entry.progress = entry.received * 100 // entry.client_size if entry.client_size else 100
        if entry.received == entry.client_size:
            self._finish(entry)
        else:
            entry.fd = os.open(entry.path, os.O_WRONLY | os.O_APPEND)
        return True

    def close(self) -> None:
        """The view ended: every temp file goes, every token stops working."""
        for config in self.configs.values():
            for entry in config.entries:
                self._forget(entry)
        self.by_token.clear()

    # -- the client's side ----------------------------------------------------------------------

    def add_entries(
        self, upload_ref: str, entries: Sequence[Mapping[str, Any]]
    ) -> UploadConfig | None:
        """The files the client chose (a validated ``uploads`` list of an event frame); None
        when ``upload_ref`` names no config."""
        config = self.by_ref.get(upload_ref)
        if config is None:
            return None
        fresh = [item for item in entries if config.entry(item["ref"]) is None]
        if not fresh:
            return config
        if config.max_entries == 1:
            for entry in [e for e in config.entries if not e.done]:
                self.remove(config, entry)
        if len(config.entries) + len(fresh) > config.max_entries:
            if "too_many_files" not in config.errors:
                config.errors.append("too_many_files")
            return config  # not kept: a preflight of them answers not_found
        if "too_many_files" in config.errors:
            config.errors.remove("too_many_files")
        for item in fresh:
            entry = UploadEntry(
                ref=item["ref"],
                client_name=item["name"][:MAX_CLIENT_TEXT],
                client_size=item["size"],
                client_type=item["type"][:MAX_CLIENT_TEXT],
                client_last_modified=item.get("last_modified"),
                upload_ref=config.ref,
            )
            if not config.accepts(entry.client_name, entry.client_type):
                entry.errors.append("not_accepted")
            if entry.client_size > config.max_file_size:
                entry.errors.append("too_large")
            entry.valid = not entry.errors
            config.entries.append(entry)
        return config

    def in_flight(self) -> int:
        """Declared bytes of every preflighted entry whose file is held (not consumed yet)."""
        return sum(
            entry.client_size
            for config in self.configs.values()
            for entry in config.entries
            if entry.path is not None
        )

    def preflight(
        self,
        upload_ref: str,
        refs: Sequence[str],
        socket: Any,
        resume: Mapping[str, str] | None = None,
    ) -> tuple[UploadConfig | None, dict[str, Any], dict[str, list[str]]]:
        """Start sending ``refs``: each gets a token (and a temp file), or its errors. An entry
        named in ``resume`` whose token is parked (same name, size and type, within the grace
        period) takes over its file: its ``offset`` is the bytes already there."""
        config = self.by_ref.get(upload_ref)
        accepted: dict[str, Any] = {}
        errors: dict[str, list[str]] = {}
        if config is None:
            return None, accepted, {ref: ["not_found"] for ref in refs}
        budget = self.limits.max_upload_bytes_in_flight - self.group.in_flight()
        for ref in refs:
            entry = config.entry(ref)
            if entry is None or entry.cancelled:
                errors[ref] = ["not_found"]
                continue
            if not entry.valid:
                errors[ref] = list(entry.errors)
                continue
            token = (resume or {}).get(ref)
            if entry.token is None and not entry.done and token is not None:
                if self._resume(config, entry, token):
                    budget -= entry.client_size
            if entry.token is None and not entry.done:
                if entry.client_size > budget:
                    entry.fail("too_large")
                    errors[ref] = list(entry.errors)
                    continue
                budget -= entry.client_size
                self._start(config, entry, socket)
            if config.external is not None:
                accepted[ref] = entry.external_meta
            else:
                accepted[ref] = {
                    "token": entry.token,
                    "chunk_size": config.chunk_size,
                    "offset": entry.received,
                }
        return config, accepted, errors

    def _start(self, config: UploadConfig, entry: UploadEntry, socket: Any) -> None:
        entry.preflighted = True
        entry.token = secrets.token_urlsafe(24)
        entry.last_chunk = time.monotonic()
        self.by_token[entry.token] = (config, entry)
        if config.external is not None:  # the session awaits config.external: presigned()
            return
        fd, path = tempfile.mkstemp(dir=self.directory or upload_dir(), prefix="up-")
        entry.fd, entry.path = fd, path
        if entry.client_size == 0:
            self._finish(entry)

    def _finish(self, entry: UploadEntry) -> None:
        entry.done = True
        entry.progress = 100
        if entry.fd is not None:
            os.close(entry.fd)
            entry.fd = None
        if entry.token is not None:
            self.by_token.pop(entry.token, None)

    def presigned(self, config: UploadConfig, entry: UploadEntry, meta: object) -> dict[str, Any]:
        """What ``config.external(entry, socket)`` returned, checked: the preflight's value."""
        if not isinstance(meta, Mapping) or not all(isinstance(key, str) for key in meta):
            raise TypeError(
                f"{self.view_name}: the external function of upload {config.name!r} must return "
                f'a dict such as {{"uploader": "S3", "meta": {{...}}}}, got {meta!r}'
            )
        entry.external_meta = {**meta, "token": entry.token}
        return entry.external_meta

    def write_chunk(
        self, token: str, offset: int, data: bytes | memoryview
    ) -> tuple[UploadConfig | None, UploadEntry | None, str | None]:
        """Write one chunk; returns its config and entry (None: unknown token) and the error
        code the entry failed with (None: written)."""
        found = self.by_token.get(token)
        if found is None:
            return None, None, "not_found"
        config, entry = found
        if entry.fd is None:  # an external entry: nothing comes through the socket
            return config, entry, self._failed(entry, "bad_chunk")
        size = len(data)
        if offset != entry.received or not 1 <= size <= config.chunk_size:
            return config, entry, self._failed(entry, "bad_chunk")
        if offset + size > entry.client_size:
            return config, entry, self._failed(entry, "too_large")
        os.write(entry.fd, data)
        entry.received += size
        entry.last_chunk = time.monotonic()
        entry.progress = entry.received * 100 // entry.client_size
        if entry.received == entry.client_size:
            self._finish(entry)
        return config, entry, None

    def external_progress(
        self, token: str, progress: int | None, error: str | None
    ) -> tuple[UploadConfig | None, UploadEntry | None]:
        """An external uploader's report: progress 0..100, or an error message."""
        found = self.by_token.get(token)
        if found is None or found[0].external is None:
            return None, None
        config, entry = found
        if error is not None:
            self._failed(entry, f"external: {error[:MAX_CLIENT_TEXT]}")
        elif progress is not None and progress > entry.progress:
            entry.progress = progress
            entry.last_chunk = time.monotonic()
            if progress == 100:
                self._finish(entry)
        return config, entry

    def _failed(self, entry: UploadEntry, code: str) -> str:
        if entry.token is not None:
            self.by_token.pop(entry.token, None)
        entry.fail(code)
        return code

    def stalled(self, now: float | None = None) -> list[tuple[UploadConfig, UploadEntry]]:
        """Entries with no chunk for ``Limits.upload_stall_seconds``: they fail with "timeout"."""
        now = time.monotonic() if now is None else now
        limit = self.limits.upload_stall_seconds
        failed = []
        for config, entry in list(self.by_token.values()):
            if now - entry.last_chunk >= limit:
                self._failed(entry, "timeout")
                failed.append((config, entry))
        return failed

    @property
    def active(self) -> bool:
        """Whether some entry is being sent (the session watches those for stalls)."""
        return bool(self.by_token)


class HasUploads(Protocol):
    """A socket with uploads (``pylive.socket.Socket``)."""

    @property
    def uploads(self) -> Uploads: ...

    def _touch_uploads(self) -> None: ...


def _meta(entry: UploadEntry) -> dict[str, Any]:
    """What ``consume`` hands to ``fn``: ``{"path": temp_path}``, or for an external entry the
    dict its ``external`` function returned (where the file went)."""
    if entry.external_meta is not None:
        return {key: value for key, value in entry.external_meta.items() if key != "token"}
    return {"path": entry.path or ""}


def consume_uploaded_entries(
    socket: HasUploads, name: str, fn: Callable[[dict[str, Any], UploadEntry], Any]
) -> list[Any]:
    """``fn({"path": temp_path}, entry)`` for every done entry of ``name``, in order (an external
    entry: ``fn(what external returned, entry)``); the entries are removed and their temp files
    deleted after ``fn`` returns. Returns ``fn``'s results."""
    uploads = socket.uploads
    config = uploads.config(name, f"consume_uploaded_entries({name!r})")
    results = []
    for entry in [e for e in config.entries if e.done and e.valid]:
        try:
            results.append(fn(_meta(entry), entry))
        finally:
            uploads.remove(config, entry)
            socket._touch_uploads()
    return results


def consume_uploaded_entry(
    socket: HasUploads, entry: UploadEntry, fn: Callable[[dict[str, Any], UploadEntry], Any]
) -> Any:
    """``fn({"path": temp_path}, entry)`` (an external entry: what ``external`` returned) for one
    done entry, then it is removed."""
    uploads = socket.uploads
    for config in uploads.configs.values():
        if entry in config.entries:
            if not entry.done:
                raise ValueError(
                    f"consume_uploaded_entry: entry {entry.ref!r} of {config.name!r} is not done "
                    f"({entry.progress}%); consume entries from uploaded_entries()[0]"
                )
            try:
                return fn(_meta(entry), entry)
            finally:
                uploads.remove(config, entry)
                socket._touch_uploads()
    raise KeyError(f"consume_uploaded_entry: {entry!r} is in no upload of this view")


def uploaded_entries(socket: HasUploads, name: str) -> tuple[list[UploadEntry], list[UploadEntry]]:
    """``(done, in_progress)``: the valid entries of ``name``."""
    config = socket.uploads.config(name, f"uploaded_entries({name!r})")
    valid = [entry for entry in config.entries if entry.valid]
    return [e for e in valid if e.done], [e for e in valid if not e.done]


def upload_errors(upload: UploadConfig, entry: UploadEntry | None = None) -> list[str]:
    """The config's errors (``too_many_files``), or one entry's."""
    if entry is None:
        return list(upload.errors)
    return list(entry.errors)
