"""The upload frames of a connection (docs/protocol.md, "Uploads"): preflight, chunks and their
acks, an external uploader's progress, progress renders and stall checks. Mixed into
``pylive.session.Connection``, whose loop routes these frames here; the upload state itself is
the view's (``pylive.uploads``)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from pylive._callbacks import call
from pylive.app import App
from pylive.frames import ChunkHeader, Upload, UploadProgress
from pylive.protocol import KEY_ERROR, MSG_UPLOAD_ACK, MSG_UPLOAD_ERROR
from pylive.upload_entries import UploadConfig, UploadEntry
from pylive.uploads import Uploads

log = logging.getLogger("pylive")


class UploadFrames:
    """``Connection``'s upload handlers, over what the connection provides."""

    app: App
    live: Any
    """The ``LiveSession`` joined on the connection, or None."""
    send: Callable[[dict[str, Any]], Awaitable[None]]
    flush: Callable[..., Awaitable[None]]
    crash: Callable[..., Awaitable[None]]
    post_message: Callable[..., None]

    @asynccontextmanager
    async def _turn(self, refusal: Callable[[str], dict[str, Any]]) -> AsyncIterator[Any]:
        """The joined view, inside its turn (one thing at a time); None, after sending
        ``refusal(why)``, when no view is joined or it closed meanwhile."""
        live = self.live
        if live is None or not live.alive:
            await self.send(refusal("no live view joined on this connection"))
            yield None
            return
        async with live.turn():
            if not live.alive:
                await self.send(refusal("the view has closed"))
                yield None
                return
            yield live

    async def preflight(self, ref: int, message: Upload) -> None:
        """Start sending entries: a token each (or their errors), in the reply to ``ref``."""
        async with self._turn(lambda why: {"ref": ref, KEY_ERROR: why}) as live:
            if live is None:
                return
            uploads = live.uploads.with_ref(message["upload"]) or live.socket.uploads
            try:
                state = live.touch_uploads(uploads)
                socket = live.socket if state is None else state.socket
                config, entries, errors = uploads.preflight(
                    message["upload"], message["entries"], socket, message.get("resume")
                )
                if config is not None and config.external is not None:
                    for entry_ref, meta in entries.items():
                        entry = config.entry(entry_ref)
                        if meta is None and entry is not None:  # not presigned yet
                            meta = await call(config.external, entry, socket)
                            entries[entry_ref] = uploads.presigned(config, entry, meta)
                ops = await live.rerender((state,))
                await self.flush(live, ref, {"entries": entries, "errors": errors}, ops)
                self._watch_uploads(live)
            except Exception:
                await self.crash(live, f"preflight of upload {message['upload']!r}", ref)

    async def chunk(self, header: ChunkHeader, data: memoryview) -> None:
        """Write one chunk, ack it (or say why the entry failed), render its progress."""
        token = header["token"]
        not_found = {"type": MSG_UPLOAD_ERROR, "token": token, "error": "not_found"}
        async with self._turn(lambda why: not_found) as live:
            if live is None:
                return
            uploads = live.uploads.with_token(token)
            if uploads is None:
                await self.send(not_found)
                return
            before = uploads.by_token[token][1].progress
            config, entry, error = uploads.write_chunk(token, header["offset"], data)
            if error is not None:
                await self.send({"type": MSG_UPLOAD_ERROR, "token": token, "error": error})
            elif entry is not None:
                ack = {"type": MSG_UPLOAD_ACK, "token": token, "received": entry.received}
                await self.send(ack)
            if config is None or entry is None:
                return
            changed = error is None and entry.progress != before
            await self._progressed(live, uploads, config, entry, changed)

    async def upload_progress(self, ref: int, message: UploadProgress) -> None:
        """An external uploader's progress (or error) for one entry."""
        async with self._turn(lambda why: {"ref": ref, KEY_ERROR: why}) as live:
            if live is None:
                return
            token = message["token"]
            uploads = live.uploads.with_token(token)
            found = None if uploads is None else uploads.by_token[token]
            if uploads is None or found is None or found[0].external is None:
                await self.send({"ref": ref, KEY_ERROR: "no upload entry has this token"})
                return
            before = found[1].progress
            config, entry = uploads.external_progress(
                token, message.get("progress"), message.get("error")
            )
            if config is None or entry is None:
                await self.send({"ref": ref, KEY_ERROR: "no upload entry has this token"})
                return
            await self._progressed(live, uploads, config, entry, entry.progress != before, ref)

    async def _progressed(
        self,
        live: Any,
        uploads: Uploads,
        config: UploadConfig,
        entry: UploadEntry,
        changed: bool,
        ref: int | None = None,
    ) -> None:
        """Call the config's ``progress`` callback if the entry's progress changed, then render
        what owns the upload (the view, or its component alone)."""
        state = live.touch_uploads(uploads)
        socket = live.socket if state is None else state.socket
        try:
            if changed and config.progress is not None:
                await call(config.progress, config.name, entry, socket)
            await self.flush(live, ref, None, await live.rerender((state,)))
        except Exception:
            await self.crash(live, f"the progress callback of upload {config.name!r}", ref)

    def _watch_uploads(self, live: Any) -> None:
        """While entries are being sent, look for stalled ones every fifth of the stall time."""
        if live.watching_uploads or not live.uploads.active:
            return
        live.watching_uploads = True
        ms = self.app.limits.upload_stall_seconds * 200

        def deliver() -> None:
            self.post_message(live, self.upload_stalls, (live,))

        live._timer(ms, False, deliver)

    async def upload_stalls(self, live: Any) -> None:
        """Fail the entries that stalled (``"timeout"``), tell the client, render."""
        async with live.turn():
            live.watching_uploads = False
            if not live.alive or self.live is not live:
                return
            failed = live.uploads.stalled()
            for _, _, entry in failed:
                log.info("upload entry %r of %s stalled: timeout", entry.ref, live.name)
            if failed:
                owners = [live.touch_uploads(uploads) for uploads, _, _ in failed]
                try:
                    await self.flush(live, None, None, await live.rerender(owners))
                except Exception:
                    await self.crash(live, "an upload's timeout render", None)
                    return
            self._watch_uploads(live)
