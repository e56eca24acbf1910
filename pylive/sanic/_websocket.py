"""pylive's own websocket layer under Sanic: bounded, task-free reading and writing.

Sanic upgrades the HTTP connection; from then on this module speaks the websocket protocol (the
``websockets`` library's sans-I/O ``ServerProtocol`` parses and builds the frames). Why not
Sanic's own websocket implementation (25.12): it starts an asyncio task for every TCP read with
nothing bounding them, so one client writing as fast as it can grows the server's memory without
limit and leaves tasks pending after it leaves; it drops an invalid UTF-8 text frame with a
logged traceback instead of failing the connection with 1007, losing the valid frames read with
it; and ``recv()`` costs a task, a future and an ``asyncio.wait`` per message.

Here a TCP read is handled where it arrives, with no task: frames are parsed, control frames
answered, complete text messages decoded (strictly, incrementally across fragments: a fragment
that makes the text invalid fails it at once) and put in a bounded inbox. The frames of a read
are given to the parser one at a time, so that nothing after an invalid text message is read
(no pong, no close echo, no other close code): the client gets the answers to the messages
before it, then 1007. When the inbox is full, the transport stops reading until the session has
taken messages out (backpressure reaches the client's TCP window). Writing goes straight to the
transport; when what the client has not read yet exceeds ``Limits.max_outbound_bytes`` or
``Limits.max_outbound_frames``, the connection is closed with 1013 and its buffers are dropped;
the pongs answering a client's pings count too (a client that pings without reading is closed).
A connection that sends nothing for ``Limits.idle_timeout`` seconds is closed with 1001. Once
the close frame is sent, the server closes its side of the TCP connection (FIN) and reads on,
dropping at most ``LINGER_BYTES``, until the client closes its side: closing the socket at once
would reset a client still writing, which can lose the close frame. When the connection ends,
everything it held is released: nothing outlives it.
"""

from __future__ import annotations

import asyncio
import codecs
import logging
from collections import deque
from typing import TYPE_CHECKING, Any

from websockets.exceptions import InvalidState
from websockets.frames import Frame, Opcode
from websockets.protocol import State
from websockets.server import ServerProtocol

if TYPE_CHECKING:
    from pylive.app import Limits

log = logging.getLogger("pylive")

INBOX_HIGH = 16
"""Messages waiting for the session before the transport stops reading."""
INBOX_LOW = 4
"""Messages left when reading resumes."""
CLOSE_TIMEOUT = 2.0
"""Seconds a closing connection waits for the client before the TCP connection is aborted."""
LINGER_BYTES = 64 * 1024
"""Bytes a connection still reads (and drops) after its close frame and FIN, waiting for the
client to close its side; past them it stops reading. (Closing the socket at once would reset the
connection of a client still writing, which can lose the close frame before the client reads
it.)"""
WRITE_BATCH = 256
"""Connections whose frames are written together at most, within one turn of the event loop."""

_strict_utf8 = codecs.getincrementaldecoder("utf-8")


class FrameBounds:
    """Where the client's frames end in the byte stream, read from their headers' lengths only
    (``websockets`` checks everything else), so that the parser can be fed one frame at a time."""

    __slots__ = ("head", "left")

    def __init__(self) -> None:
        self.head = b""  # the start of a header that the next read completes
        self.left = 0  # payload bytes of the current frame still to come

    def ends(self, data: bytes) -> list[int]:
        """The offsets in ``data`` just after each frame that ends in it."""
        ends: list[int] = []
        at, size = 0, len(data)
        while at < size:
            left = self.left
            if left:
                if left > size - at:
                    self.left = left - (size - at)
                    break
                at += left
                self.left = 0
                ends.append(at)
                continue
            had = len(self.head)  # a header is 2 to 14 bytes
            header = self.head + data[at : at + 14] if had else data[at : at + 14]
            if len(header) < 2:
                self.head = header
                break
            short = header[1] & 0x7F
            need = 2 + (2 if short == 126 else 8 if short == 127 else 0)
            need += 4 if header[1] & 0x80 else 0  # the mask key
            if len(header) < need:  # then the rest of ``data`` is all in ``header``
                self.head = header
                break
            if short < 126:
                length = short
            else:
                length = int.from_bytes(header[2 : 4 if short == 126 else 10], "big")
            self.head = b""
            at += need - had
            if length:
                self.left = length
            else:
                ends.append(at)
        return ends


class InvalidUTF8:
    """Put in the inbox in place of a text message that is not UTF-8: the connection fails with
    1007 once the messages before it have been handed over (no valid frame is lost)."""

    __slots__ = ()


INVALID_UTF8 = InvalidUTF8()


def _surrogate_pending(decoder: codecs.IncrementalDecoder) -> bool:
    """Whether the bytes the decoder holds for the next fragment start a UTF-16 surrogate
    (ED A0..BF), which no continuation can make valid: CPython's incremental decoder waits for
    the third byte before it says so, every other impossible prefix it refuses at once."""
    pending = decoder.getstate()[0]
    return len(pending) >= 2 and pending[0] == 0xED and pending[1] >= 0xA0


class LiveWebsocket:
    """One upgraded connection: ``recv``/``send``/``close`` for the session, ``data_received``
    and friends for the asyncio protocol that owns the TCP transport."""

    __slots__ = (
        "_batch",
        "_bounds",
        "_decoder",
        "_discarded",
        "_ended",
        "_failure",
        "_fragments",
        "_idle_timer",
        "_last_seen",
        "_peer_eof",
        "_waiter",
        "aborting",
        "frames_unread",
        "halted",
        "inbox",
        "transport",
        "limits",
        "loop",
        "lost",
        "paused",
        "ws_proto",
    )

    def __init__(self, io: Any, ws_proto: ServerProtocol, limits: Limits) -> None:
        # The TCP transport, not the Sanic protocol that owns it: nothing here points back at the
        # protocol, so a closed connection is freed by reference counting.
        self.transport: asyncio.Transport = io.transport
        self.ws_proto = ws_proto
        self.limits = limits
        self.loop = asyncio.get_running_loop()
        self._batch = _batch_for(self.loop)
        self.inbox: deque[str | bytes | InvalidUTF8] = deque()
        self.paused = False
        self.lost = False
        self.aborting = False
        self.halted = False  # an invalid text message was read: nothing more is
        self.frames_unread = 0  # frames written while the transport's buffer is over its mark
        self._waiter: asyncio.Future[None] | None = None
        self._fragments: list[str] | list[bytes] | None = None
        self._decoder: codecs.IncrementalDecoder | None = None
        self._bounds = FrameBounds()
        self._failure: tuple[int, str] | None = None  # to close with once the session is done
        self._ended = False  # our side of the TCP connection is closed: what comes is dropped
        self._discarded = 0
        self._peer_eof = False  # the client closed its side first
        self._last_seen = self.loop.time()
        self._idle_timer: asyncio.TimerHandle | None = None
        if limits.idle_timeout > 0:
            self._idle_timer = self.loop.call_later(limits.idle_timeout / 2, self._check_idle)

    # -- reading: called by the asyncio protocol -------------------------------------------------

    def data_received(self, data: bytes) -> None:
        if self._ended or self.halted:
            self._discard(len(data))
            return
        self._last_seen = self.loop.time()
        ws = self.ws_proto
        ends = self._bounds.ends(data)
        if not ends or ends[-1] != len(data):
            ends.append(len(data))
        start = 0
        for end in ends:  # one frame at a time: stop right after an invalid text message
            ws.receive_data(data if end - start == len(data) else data[start:end])
            start = end
            for event in ws.events_received():
                self._frame(event)  # type: ignore[arg-type]  # a server protocol yields frames
            if self.halted:
                break  # the rest is not read
        self._write_pending()
        if self._over_outbound():
            log.warning(
                "websocket closed: the client did not read %d bytes of pongs and replies",
                self.transport.get_write_buffer_size(),
            )
            self.fail(1013, "client too slow")
            return
        if not self.paused and len(self.inbox) >= INBOX_HIGH:
            self._pause()
        self._wake()

    def _frame(self, frame: Frame) -> None:
        opcode = frame.opcode
        if opcode is Opcode.TEXT:
            if frame.fin:
                try:
                    self.inbox.append(bytes(frame.data).decode())
                except UnicodeDecodeError:
                    self._invalid_utf8()
                return
            self._decoder = _strict_utf8()
            self._fragments = []
            self._text_fragment(frame)
        elif opcode is Opcode.BINARY:
            if frame.fin:
                self.inbox.append(bytes(frame.data))
            else:
                self._decoder = None
                self._fragments = [bytes(frame.data)]
        elif opcode is Opcode.CONT and self._fragments is not None:
            if self._decoder is not None:
                self._text_fragment(frame)
            else:
                fragments: list[bytes] = self._fragments  # type: ignore[assignment]
                fragments.append(bytes(frame.data))
                if frame.fin:
                    self._fragments = None
                    self.inbox.append(b"".join(fragments))
        # ping (answered by ws_proto), pong and close (handled by ws_proto) need nothing here

    def _text_fragment(self, frame: Frame) -> None:
        assert self._decoder is not None and self._fragments is not None
        try:
            text = self._decoder.decode(frame.data, final=frame.fin)
        except UnicodeDecodeError:
            text = None
        if text is None or (not frame.fin and _surrogate_pending(self._decoder)):
            self._fragments = self._decoder = None
            self._invalid_utf8()
            return
        fragments: list[str] = self._fragments  # type: ignore[assignment]
        fragments.append(text)
        if frame.fin:
            self._fragments = self._decoder = None
            self.inbox.append("".join(fragments))

    def _invalid_utf8(self) -> None:
        self.inbox.append(INVALID_UTF8)
        self.halted = True
        self._pause()  # read nothing more: the connection is about to fail

    def _discard(self, size: int) -> None:
        self._discarded += size
        if self._discarded > LINGER_BYTES:
            self._pause()

    def eof_received(self) -> bool:
        if self._ended:  # the client closed its side after ours: done
            return False
        if self.halted:  # keep the transport: the answers and the 1007 are still to be sent
            self._peer_eof = True
            return True
        self.ws_proto.receive_eof()
        for event in self.ws_proto.events_received():
            self._frame(event)  # type: ignore[arg-type]
        self._write_pending()
        self._wake()
        return False

    def connection_lost(self, exc: BaseException | None) -> None:
        self.lost = True
        if self.ws_proto.state is not State.CLOSED:
            self.ws_proto.state = State.CLOSED
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None
        # The sans-I/O protocol parses with a generator that holds the protocol: a reference
        # cycle, freed only by a full collection. Nothing is parsed any more: close it.
        parser = getattr(self.ws_proto, "parser", None)
        if parser is not None:
            parser.close()
        self._wake()

    def _pause(self) -> None:
        transport = self.transport
        if transport is not None and not self.paused:
            self.paused = True
            transport.pause_reading()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _check_idle(self) -> None:
        self._idle_timer = None
        if self.lost:
            return
        idle = self.loop.time() - self._last_seen
        if idle >= self.limits.idle_timeout:
            log.info("websocket closed after %.0f s without a frame from the client", idle)
            self.fail(1001, "idle timeout")
            return
        remaining = self.limits.idle_timeout - idle
        self._idle_timer = self.loop.call_later(max(remaining, 0.05), self._check_idle)

    # -- the session's side ----------------------------------------------------------------------

    async def recv(self) -> str | bytes | None:
        """The next message: ``str`` for text, ``bytes`` for binary; None once the connection is
        closing or gone (after every message received before that)."""
        inbox = self.inbox
        while not inbox:
            if self.lost or self._failure is not None or self.ws_proto.state is not State.OPEN:
                return None
            self._waiter = self.loop.create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        message = inbox.popleft()
        if message is INVALID_UTF8:  # the session finishes what came before, then closes: 1007
            inbox.clear()
            self._failure = (1007, "invalid UTF-8 in a text frame")
            return None
        if self.paused and len(inbox) <= INBOX_LOW and not self.lost and not self.halted:
            self.paused = False
            transport = self.transport
            if transport is not None:
                transport.resume_reading()
        return message  # type: ignore[return-value]

    async def send(self, text: str) -> None:
        """Send a text message now (no queue of our own: the transport buffers it); a client that
        does not keep up is disconnected with 1013."""
        ws = self.ws_proto
        if ws.state is not State.OPEN:
            return
        try:
            ws.send_text(text.encode())
        except InvalidState:
            return
        if self.frames_unread:
            self.frames_unread += 1
        self._batch.add(self)

    def _flush_sent(self) -> None:
        """Write what ``send`` queued (the batch of this loop iteration), then check the limit."""
        self._write_pending()
        transport = self.transport
        if transport is None:
            return
        if self._over_outbound():
            log.warning(
                "websocket closed: the client did not read %d bytes (%d frames) sent to it",
                transport.get_write_buffer_size(),
                self.frames_unread,
            )
            self.fail(1013, "client too slow")

    def _over_outbound(self) -> bool:
        """Whether the client has left more unread than ``Limits`` allow."""
        transport = self.transport
        if transport is None or self.ws_proto.state is not State.OPEN:
            return False
        limits = self.limits
        return (
            transport.get_write_buffer_size() > limits.max_outbound_bytes
            or self.frames_unread > limits.max_outbound_frames
        )

    def writing_paused(self) -> None:
        """The transport's buffer passed its high-water mark: count frames from now on."""
        self.frames_unread = max(self.frames_unread, 1)

    def writing_resumed(self) -> None:
        self.frames_unread = 0

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Start the closing handshake; the TCP connection ends when the client answers, or
        after ``CLOSE_TIMEOUT``. (After an invalid message: fail the connection with 1007.)"""
        if self._failure is not None:
            self.fail(*self._failure)
            return
        ws = self.ws_proto
        if ws.state is State.OPEN:
            ws.send_close(code, reason)
            self._write_pending()
            self._abort_later()

    def end_connection(self, code: int = 1000, reason: str = "") -> None:
        """Close without waiting (Sanic calls this when the handler was cancelled)."""
        self.fail(code, reason)

    def fail_connection(self, code: int = 1006, reason: str = "") -> None:
        self.fail(code, reason)

    def fail(self, code: int, reason: str = "") -> None:
        """Fail the connection: a close frame with ``code``, then the server's side of the TCP
        connection closes; the connection ends when the client closes its side, or (what is
        buffered for a client that does not read dropped) after ``CLOSE_TIMEOUT``. A failure
        already decided (invalid UTF-8) takes precedence over ``code``."""
        if self._failure is not None:
            code, reason = self._failure
        ws = self.ws_proto
        if ws.state is State.OPEN:
            ws.fail(code, reason)
        self.inbox.clear()
        self._write_pending()
        self._abort_later()
        self._wake()

    def _write_pending(self) -> None:
        chunks = self.ws_proto.data_to_send()
        transport = self.transport
        if not chunks or transport is None or transport.is_closing() or self._ended:
            return
        data = b"".join(chunks)  # one write for all (a burst of pongs is not many buffers)
        if data:
            transport.write(data)
        if b"" in chunks:  # the end of our stream, after the close frame
            self._ended = True
            if transport.can_write_eof() and not self._peer_eof:
                transport.write_eof()  # FIN; the connection ends when the client closes its side
                if self.paused and self._discarded <= LINGER_BYTES:
                    self.paused = False
                    transport.resume_reading()  # to see the client close it
            else:
                transport.close()
            self._abort_later()

    def _abort_later(self) -> None:
        """Once: drop the TCP connection ``CLOSE_TIMEOUT`` from now if it is still there."""
        transport = self.transport
        if transport is not None and not self.lost and not self.aborting:
            self.aborting = True
            self.loop.call_later(CLOSE_TIMEOUT, transport.abort)


class _WriteBatch:
    """The frames ``send`` queued during one turn of the event loop, written together at its
    end (or every ``WRITE_BATCH`` connections): a broadcast's renders run back to back, then
    their writes — on loopback a write does the receiver's TCP work too, and writes in a row
    cost a third of writes spread between renders (docs/performance.md, PubSub fan-out)."""

    __slots__ = ("loop", "pending", "scheduled")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.pending: list[LiveWebsocket] = []
        self.scheduled = False

    def add(self, ws: LiveWebsocket) -> None:
        self.pending.append(ws)
        if len(self.pending) >= WRITE_BATCH:
            self.flush()
        elif not self.scheduled:
            self.scheduled = True
            self.loop.call_soon(self.flush)

    def flush(self) -> None:
        self.scheduled = False
        pending, self.pending = self.pending, []
        for ws in pending:
            ws._flush_sent()


_BATCHES: dict[asyncio.AbstractEventLoop, _WriteBatch] = {}


def _batch_for(loop: asyncio.AbstractEventLoop) -> _WriteBatch:
    batch = _BATCHES.get(loop)
    if batch is None:
        if len(_BATCHES) > 64:  # loops of finished test servers
            for gone in [other for other in _BATCHES if other.is_closed()]:
                del _BATCHES[gone]
        batch = _BATCHES[loop] = _WriteBatch(loop)
    return batch
