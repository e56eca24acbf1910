"""Websocket protocol conformance of pylive's own websocket layer (plan P1, P2 and P6).

Raw-socket cases modelled on the Autobahn|Testsuite categories (written here, not taken from
it): 1 framing, 2 ping/pong, 3 reserved bits, 4 opcodes, 5 fragmentation, 6 UTF-8, 7 close
handling, 9 limits; then a control-frame flood (P6). A protocol error closes with 1002, invalid
UTF-8 with 1007 (after the valid messages sent before it are answered), a message over
``Limits.max_message_bytes`` with 1009, each within 1 s and with the server's side of the TCP
connection closed right after; a binary message is refused by the session with 1003 (a closing
handshake: the connection ends once the client answers). Replies and close payloads are asserted
exactly, and no test leaves a traceback in the server's log.
"""

from __future__ import annotations

import asyncio
import json
import struct
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pytest
from _wire import (
    OP_BINARY,
    OP_CLOSE,
    OP_CONT,
    OP_PING,
    OP_PONG,
    OP_TEXT,
    Canary,
    RawWebsocket,
    ServerProcess,
    assert_not_starved,
    close_payload,
    frame_bytes,
    run,
)

pytestmark = pytest.mark.e2e  # real sockets and a server process

MAX = 64 * 1024
"""The server's ``Limits.max_message_bytes`` (the default)."""
CLOSE_WITHIN = 1.0
"""Seconds within which every failure closes the connection."""
BINARY_REFUSED = b"binary frames are not accepted"


# -- frames ---------------------------------------------------------------------------------------


def hb(ref: int) -> bytes:
    """A heartbeat, answered ``{"ref": ref}``."""
    return b'{"type":"hb","ref":%d}' % ref


def padded_hb(ref: int, size: int) -> bytes:
    """A heartbeat of exactly ``size`` bytes (JSON whitespace after it)."""
    frame = hb(ref)
    assert size >= len(frame)
    return frame + b" " * (size - len(frame))


def click(ref: int) -> bytes:
    return json.dumps(
        {"type": "event", "ref": ref, "kind": "click", "event": "inc", "value": {}}
    ).encode()


def echo(ref: int, text: str) -> bytes:
    """An event the test view answers with its params: ``{"ref":…,"reply":{"params":…}}``."""
    event = {"type": "event", "ref": ref, "kind": "click", "event": "echo", "value": {"s": text}}
    return json.dumps(event, ensure_ascii=False).encode()


def head(opcode: int, length: int, *, fin: bool = True) -> bytes:
    """A masked frame header with an all-zero mask key: the payload follows as is (for the large
    payloads, which ``frame_bytes`` would mask byte by byte)."""
    first = bytes([(0x80 if fin else 0) | opcode])
    if length < 126:
        size = bytes([0x80 | length])
    elif length < 65536:
        size = bytes([0x80 | 126]) + struct.pack("!H", length)
    else:
        size = bytes([0x80 | 127]) + struct.pack("!Q", length)
    return first + size + b"\0\0\0\0"


def fragments(opcode: int, parts: Iterable[bytes], *, final: bool = True) -> bytes:
    """One message in as many frames as ``parts`` (``final=False``: the message goes on)."""
    parts = list(parts)
    return b"".join(
        frame_bytes(opcode if i == 0 else OP_CONT, part, fin=final and i == len(parts) - 1)
        for i, part in enumerate(parts)
    )


def text(payload: bytes, **options: Any) -> bytes:
    return frame_bytes(OP_TEXT, payload, **options)


# -- what the server did --------------------------------------------------------------------------


@dataclass
class Outcome:
    """The server's frames up to its close frame, the close frame's payload (None if the TCP
    connection ended without one), when it came and whether the TCP connection then ended."""

    frames: list[tuple[int, bytes]]
    close: bytes | None
    seconds: float
    ended: bool

    @property
    def code(self) -> int | None:
        if self.close is None:
            return None
        return struct.unpack("!H", self.close[:2])[0] if len(self.close) >= 2 else 1005

    @property
    def texts(self) -> list[Any]:
        return [json.loads(payload) for opcode, payload in self.frames if opcode == OP_TEXT]


async def ended(raw: RawWebsocket, timeout: float = CLOSE_WITHIN) -> bool:
    """Whether the server ends the TCP connection within ``timeout`` (EOF or reset)."""
    try:
        async with asyncio.timeout(timeout):
            while await raw.reader.read(65536):
                pass
        return True
    except ConnectionError:
        return True
    except TimeoutError:
        return False


async def hang_up(raw: RawWebsocket) -> None:
    """Close the client's socket and wait until it is closed (reset it if it cannot flush)."""
    transport = raw.writer.transport
    if transport.get_write_buffer_size():
        transport.abort()  # bytes the server no longer reads: no waiting to flush them
    else:
        raw.close()
    closed = asyncio.ensure_future(raw.writer.wait_closed())
    if not (await asyncio.wait([closed], timeout=1))[0]:
        transport.abort()
        await asyncio.wait([closed], timeout=1)
    if not closed.done():
        closed.cancel()
    elif not closed.cancelled():
        closed.exception()  # a reset, say: nothing to report


async def outcome(
    raw: RawWebsocket, since: float, timeout: float = 10.0, *, answer: bool = False
) -> Outcome:
    """Read until the server's close frame (or the end of the connection); ``answer`` it with
    the client's close frame (a server that closes on its own waits for that, for up to 2 s)."""
    frames: list[tuple[int, bytes]] = []
    deadline = since + timeout
    while True:
        frame = await raw.read_frame(max(0.01, deadline - time.perf_counter()))
        if frame is None:
            return Outcome(frames, None, time.perf_counter() - since, True)
        if frame[0] == OP_CLOSE:
            seconds = time.perf_counter() - since
            if answer:
                raw.send(frame_bytes(OP_CLOSE, frame[1][:2]))
            return Outcome(frames, frame[1], seconds, await ended(raw))
        frames.append(frame)


async def send(server: ServerProcess, data: bytes, *, answer: bool = False) -> Outcome:
    """Open a connection, write ``data`` in one write and see what the server does."""
    raw = await RawWebsocket.open(server.url)
    try:
        start = time.perf_counter()
        raw.send(data)
        return await outcome(raw, start, answer=answer)
    finally:
        await hang_up(raw)


async def answered(raw: RawWebsocket, data: bytes, reply: Any) -> None:
    """Write ``data``; the next frame is the text ``reply``."""
    raw.send(data)
    frame = await raw.read_frame(5)
    assert frame is not None and frame[0] == OP_TEXT, frame
    assert json.loads(frame[1]) == reply


async def after_a_heartbeat(server: ServerProcess, data: bytes) -> Outcome:
    """A connection that works (a heartbeat is answered), then ``data``."""
    raw = await RawWebsocket.open(server.url)
    try:
        await answered(raw, text(hb(1)), {"ref": 1})
        start = time.perf_counter()
        raw.send(data)
        return await outcome(raw, start)
    finally:
        await hang_up(raw)


async def joined(server: ServerProcess) -> RawWebsocket:
    """A connection with the counter view joined."""
    raw = await RawWebsocket.open(server.url)
    token = raw.page.token  # type: ignore[attr-defined]
    join = {"type": "join", "ref": 0, "token": token, "url": server.url + "/"}
    raw.send(text(json.dumps(join).encode()))
    frame = await raw.read_frame(5)
    assert frame is not None and frame[0] == OP_TEXT
    reply = json.loads(frame[1])
    assert reply["ref"] == 0 and "tree" in reply, reply
    return raw


def assert_failed(
    result: Outcome, code: int, frames: list[tuple[int, bytes]] | None = None
) -> None:
    """Closed with ``code`` within 1 s, after exactly ``frames`` (none by default), and the TCP
    connection ended."""
    assert result.code == code, result
    assert result.frames == (frames or []), result
    assert result.seconds < CLOSE_WITHIN, result
    assert result.ended, result


def assert_echoed(result: Outcome, payload: bytes) -> None:
    """The client's close frame came back as it was sent, and the server ended the connection."""
    assert result.frames == [], result
    assert result.close == payload, result
    assert result.seconds < CLOSE_WITHIN, result
    assert result.ended, result


# -- 1 framing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [21, 125, 126, 65535, 65536])
def test_text_message_up_to_the_limit_is_answered(shared_server, size) -> None:
    """Lengths on both sides of the 7-bit, 16-bit and 64-bit length encodings, up to
    max_message_bytes exactly."""
    server = shared_server

    async def scenario() -> None:
        raw = await RawWebsocket.open(server.url)
        await answered(raw, text(padded_hb(7, size)), {"ref": 7})
        start = time.perf_counter()
        raw.send(frame_bytes(OP_CLOSE, close_payload(1000)))
        assert_echoed(await outcome(raw, start), close_payload(1000))
        await hang_up(raw)

    run(scenario())
    assert server.unhandled() == []


def test_empty_text_message_is_answered_as_a_bad_frame(shared_server) -> None:
    server = shared_server

    async def scenario() -> None:
        raw = await RawWebsocket.open(server.url)
        bad = "not a JSON object: EOF while parsing a value at line 1 column 0"
        await answered(raw, text(b""), {"type": "error", "reason": "bad_frame", "detail": bad})
        await answered(raw, text(hb(1)), {"ref": 1})  # still open
        await hang_up(raw)

    run(scenario())
    assert server.unhandled() == []


@pytest.mark.parametrize("size", [0, 125, 126, 65535, 65536])
def test_binary_message_up_to_the_limit_closes_1003(shared_server, size) -> None:
    """Closed by the session: the server's close frame, then (the client answering it) the end
    of the TCP connection."""
    result = run(send(shared_server, frame_bytes(OP_BINARY, b"\x00" * size), answer=True))
    assert_failed(result, 1003)
    assert result.close == close_payload(1003, BINARY_REFUSED)
    assert shared_server.unhandled() == []


def test_server_close_left_unanswered_ends_the_connection_after_2_s(shared_server) -> None:
    """The server waits for the client's close frame (the closing handshake), not forever."""
    server = shared_server

    async def scenario() -> tuple[bool, bool]:
        raw = await RawWebsocket.open(server.url)
        raw.send(frame_bytes(OP_BINARY, b"x"))
        assert await raw.read_frame(5) == (OP_CLOSE, close_payload(1003, BINARY_REFUSED))
        try:
            return await ended(raw, 1.0), await ended(raw, 3.0)
        finally:
            await hang_up(raw)

    assert run(scenario()) == (False, True)
    assert server.unhandled() == []


@pytest.mark.parametrize(
    "opcode,payload",
    [(OP_TEXT, hb(1)), (OP_BINARY, b"x"), (OP_PING, b"p"), (OP_CLOSE, close_payload(1000))],
    ids=["text", "binary", "ping", "close"],
)
def test_unmasked_client_frame_closes_1002(shared_server, opcode, payload) -> None:
    result = run(send(shared_server, frame_bytes(opcode, payload, mask=False)))
    assert_failed(result, 1002)
    assert result.close == close_payload(1002, b"incorrect masking")
    assert shared_server.unhandled() == []


# -- 2 ping / pong --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [b"", b"x", b"p" * 125, bytes(range(125))],
    ids=["empty", "1-byte", "125-bytes", "125-binary-bytes"],
)
def test_ping_is_answered_by_a_pong_with_its_payload(shared_server, payload) -> None:
    server = shared_server

    async def scenario() -> None:
        raw = await RawWebsocket.open(server.url)
        raw.send(frame_bytes(OP_PING, payload))
        assert await raw.read_frame(5) == (OP_PONG, payload)
        await answered(raw, text(hb(1)), {"ref": 1})
        await hang_up(raw)

    run(scenario())
    assert server.unhandled() == []


def test_ping_of_126_bytes_closes_1002(shared_server) -> None:
    result = run(send(shared_server, frame_bytes(OP_PING, b"p" * 126)))
    assert_failed(result, 1002)
    assert result.close == close_payload(1002, b"control frame too long")
    assert shared_server.unhandled() == []


def test_unsolicited_pong_is_ignored(shared_server) -> None:
    server = shared_server

    async def scenario() -> None:
        raw = await RawWebsocket.open(server.url)
        raw.send(frame_bytes(OP_PONG, b"") + frame_bytes(OP_PONG, b"unsolicited"))
        await answered(raw, text(hb(1)), {"ref": 1})  # nothing came before the reply
        await hang_up(raw)

    run(scenario())
    assert server.unhandled() == []


def test_ping_between_fragments_is_answered_before_the_message(shared_server) -> None:
    server = shared_server

    async def scenario() -> None:
        raw = await RawWebsocket.open(server.url)
        message = hb(1)
        raw.send(
            text(message[:5], fin=False)
            + frame_bytes(OP_PING, b"between")
            + frame_bytes(OP_CONT, message[5:])
        )
        assert await raw.read_frame(5) == (OP_PONG, b"between")
        assert await raw.read_frame(5) == (OP_TEXT, b'{"ref":1}')
        await hang_up(raw)

    run(scenario())
    assert server.unhandled() == []


def test_pings_in_one_write_are_all_answered_in_order(shared_server) -> None:
    server = shared_server

    async def scenario() -> None:
        raw = await RawWebsocket.open(server.url)
        payloads = [b"ping %d" % i for i in range(20)]
        raw.send(b"".join(frame_bytes(OP_PING, p) for p in payloads))
        assert [await raw.read_frame(5) for _ in payloads] == [(OP_PONG, p) for p in payloads]
        await hang_up(raw)

    run(scenario())
    assert server.unhandled() == []


# -- 3 reserved bits ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "opcode,rsv",
    [(OP_TEXT, 1), (OP_TEXT, 2), (OP_TEXT, 3), (OP_TEXT, 4), (OP_BINARY, 5), (OP_PING, 6)]
    + [(OP_CLOSE, 7), (OP_CONT, 4)],
)
def test_reserved_bits_set_close_1002(shared_server, opcode, rsv) -> None:
    """No extension is negotiated, so RSV1-3 must be 0 on every frame."""
    payload = close_payload(1000) if opcode == OP_CLOSE else hb(2)
    result = run(after_a_heartbeat(shared_server, frame_bytes(opcode, payload, rsv=rsv)))
    assert_failed(result, 1002)
    assert result.close == close_payload(1002, b"reserved bits must be 0")
    assert shared_server.unhandled() == []


# -- 4 opcodes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("opcode", [3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF], ids=hex)
@pytest.mark.parametrize("payload", [b"", b"reserved"], ids=["empty", "payload"])
def test_reserved_opcode_closes_1002(shared_server, opcode, payload) -> None:
    result = run(after_a_heartbeat(shared_server, frame_bytes(opcode, payload)))
    assert_failed(result, 1002)
    assert result.close == close_payload(1002, b"invalid opcode")
    assert shared_server.unhandled() == []


# -- 5 fragmentation ------------------------------------------------------------------------------


SPLITS = {
    "2 fragments": [hb(1)[:10], hb(1)[10:]],
    "3 fragments": [hb(1)[:3], hb(1)[3:15], hb(1)[15:]],
    "1-byte fragments": [bytes([b]) for b in hb(1)],
    "empty first and last": [b"", hb(1), b""],
    "empty middle": [hb(1)[:8], b"", b"", hb(1)[8:]],
}


@pytest.mark.parametrize("parts", SPLITS.values(), ids=SPLITS.keys())
def test_fragmented_text_is_reassembled_and_answered(shared_server, parts) -> None:
    server = shared_server

    async def scenario() -> None:
        raw = await RawWebsocket.open(server.url)
        await answered(raw, fragments(OP_TEXT, parts), {"ref": 1})
        await hang_up(raw)

    run(scenario())
    assert server.unhandled() == []


def test_fragmented_text_up_to_the_limit_is_answered(shared_server) -> None:
    server = shared_server

    async def scenario() -> None:
        raw = await RawWebsocket.open(server.url)
        message = padded_hb(3, MAX)
        await answered(raw, fragments(OP_TEXT, [message[:40000], message[40000:]]), {"ref": 3})
        await hang_up(raw)

    run(scenario())
    assert server.unhandled() == []


def test_fragmented_binary_is_reassembled_and_closes_1003(shared_server) -> None:
    result = run(send(shared_server, fragments(OP_BINARY, [hb(1)[:4], hb(1)[4:]]), answer=True))
    assert_failed(result, 1003)
    assert shared_server.unhandled() == []


@pytest.mark.parametrize("fin", [True, False], ids=["final", "not-final"])
def test_continuation_without_a_start_closes_1002(shared_server, fin) -> None:
    result = run(after_a_heartbeat(shared_server, frame_bytes(OP_CONT, hb(2), fin=fin)))
    assert_failed(result, 1002)
    assert result.close == close_payload(1002, b"unexpected continuation frame")
    assert shared_server.unhandled() == []


@pytest.mark.parametrize("opcode", [OP_TEXT, OP_BINARY], ids=["text", "binary"])
@pytest.mark.parametrize("fin", [True, False], ids=["final", "not-final"])
def test_new_message_inside_a_fragmented_one_closes_1002(shared_server, opcode, fin) -> None:
    data = text(hb(2)[:5], fin=False) + frame_bytes(opcode, hb(2)[5:], fin=fin)
    result = run(after_a_heartbeat(shared_server, data))
    assert_failed(result, 1002)
    assert result.close == close_payload(1002, b"expected a continuation frame")
    assert shared_server.unhandled() == []


@pytest.mark.parametrize(
    "opcode,payload",
    [(OP_PING, b"p"), (OP_PONG, b"p"), (OP_CLOSE, close_payload(1000))],
    ids=["ping", "pong", "close"],
)
def test_fragmented_control_frame_closes_1002(shared_server, opcode, payload) -> None:
    data = frame_bytes(opcode, payload[:1], fin=False) + frame_bytes(OP_CONT, payload[1:])
    result = run(after_a_heartbeat(shared_server, data))
    assert_failed(result, 1002)
    assert result.close == close_payload(1002, b"fragmented control frame")
    assert shared_server.unhandled() == []


# -- 6 UTF-8 --------------------------------------------------------------------------------------


INVALID_UTF8 = {
    "lone continuation byte": b"\x80",
    "0xFE": b"\xfe",
    "0xFF": b"\xff",
    "overlong 2-byte slash": b"\xc0\xaf",
    "overlong 3-byte slash": b"\xe0\x80\xaf",
    "overlong 4-byte slash": b"\xf0\x80\x80\xaf",
    "overlong NUL": b"\xc0\x80",
    "high surrogate": b"\xed\xa0\x80",
    "low surrogate": b"\xed\xbf\xbf",
    "surrogate pair": b"\xed\xa0\x80\xed\xb0\x80",
    "above U+10FFFF": b"\xf4\x90\x80\x80",
    "5-byte form": b"\xf8\x88\x80\x80\x80",
    "truncated 2-byte": b"\xce",
    "truncated 4-byte": b"\xf0\x9d\x84",
}


@pytest.mark.parametrize("bad", INVALID_UTF8.values(), ids=INVALID_UTF8.keys())
@pytest.mark.parametrize("where", ["alone", "in a message", "at the end"])
def test_invalid_utf8_text_closes_1007(shared_server, bad, where) -> None:
    payload = {
        "alone": bad,
        "in a message": "κόσμε".encode() + bad + b"edited",
        "at the end": hb(1) + bad,
    }[where]
    result = run(send(shared_server, text(payload)))
    assert_failed(result, 1007)
    assert result.close == close_payload(1007, b"invalid UTF-8 in a text frame")
    assert shared_server.unhandled() == []


@pytest.mark.parametrize("bad", INVALID_UTF8.values(), ids=INVALID_UTF8.keys())
def test_invalid_utf8_in_a_fragmented_message_closes_1007(shared_server, bad) -> None:
    parts = ["κόσμε".encode(), b"x" + bad + b"y", b"edited"]
    result = run(send(shared_server, fragments(OP_TEXT, parts)))
    assert_failed(result, 1007)
    assert shared_server.unhandled() == []


FAIL_FAST = {
    # (fragments sent, the message left unfinished): invalid as soon as the fragment arrives
    "invalid code point in fragment 2": ["κόσμε".encode(), b"\xf4\x90\x80\x80"],
    "4-byte lead, bad 2nd byte in the next fragment": ["κόσμε".encode() + b"\xf4", b"\x90"],
    "surrogate split 1|2": [b"ab\xed", b"\xa0\x80"],
    "surrogate prefix ends fragment 1": [b"ab\xed\xa0"],  # CPython would wait for a 3rd byte
    "overlong 3-byte split 1|2": [b"ab\xe0", b"\x80"],
    "lead byte followed by ASCII": [b"ab\xce", b"x"],
    "invalid byte in fragment 1": [b"ab\xff"],
}


@pytest.mark.parametrize("parts", FAIL_FAST.values(), ids=FAIL_FAST.keys())
def test_invalid_utf8_closes_1007_before_the_message_ends(shared_server, parts) -> None:
    """Autobahn 6.4.x: the connection fails on the fragment that makes the text invalid, without
    waiting for the rest of the message."""
    result = run(send(shared_server, fragments(OP_TEXT, parts, final=False)))
    assert_failed(result, 1007)
    assert shared_server.unhandled() == []


def test_message_ending_in_the_middle_of_a_code_point_closes_1007(shared_server) -> None:
    data = fragments(OP_TEXT, ["κόσμε".encode(), b"\xf0\x9d", b""])
    result = run(send(shared_server, data))
    assert_failed(result, 1007)
    assert shared_server.unhandled() == []


def test_valid_utf8_split_anywhere_across_fragments_is_accepted(shared_server) -> None:
    """Every split point of a message holding 2-, 3- and 4-byte sequences, and a split of every
    byte into its own fragment."""
    server = shared_server
    value = "κόσμε € 𝄞"  # 2-, 3- and 4-byte sequences

    async def scenario() -> None:
        raw = await joined(server)
        message = echo(1, value)
        start = message.index(value.encode())
        splits = [[message[:at], message[at:]] for at in range(start, start + len(value.encode()))]
        splits.append([message[:start]] + [bytes([b]) for b in message[start:]])
        for ref, parts in enumerate(splits, 1):
            data = fragments(OP_TEXT, [p.replace(b'"ref": 1', b'"ref": %d' % ref) for p in parts])
            await answered(raw, data, {"ref": ref, "reply": {"params": {"s": value}}})
        await hang_up(raw)

    run(scenario())
    assert server.unhandled() == []


BAD_FRAMES = {
    "whole": text(b'{"type":"hb","ref":4,"x":"\xed\xa0\x80"}'),
    "fragmented": fragments(OP_TEXT, [b'{"type":"hb",', b'"ref":4\xff}']),
    "split code point": fragments(OP_TEXT, [b'{"type":"hb","ref":4,"x":"\xf4', b'\x90\x80"}']),
}
AFTER_THE_BAD_FRAME = {
    "nothing": b"",
    "more heartbeats": text(hb(5)) + text(hb(6)),
    "a ping": frame_bytes(OP_PING, b"late"),
    "a close frame": frame_bytes(OP_CLOSE, close_payload(1000)),
    "a malformed frame": frame_bytes(OP_TEXT, hb(5), mask=False),
    "an oversize frame": head(OP_TEXT, 16 * 2**20),
}


@pytest.mark.parametrize("bad", BAD_FRAMES.values(), ids=BAD_FRAMES.keys())
@pytest.mark.parametrize("tail", AFTER_THE_BAD_FRAME.values(), ids=AFTER_THE_BAD_FRAME.keys())
def test_messages_before_invalid_utf8_are_answered_then_1007(shared_server, bad, tail) -> None:
    """3 heartbeats, a bad frame and more in one write: the 3 are answered, then close 1007;
    nothing after the bad frame is read (no pong, no close echo, no other close code)."""
    data = text(hb(1)) + text(hb(2)) + text(hb(3)) + bad + tail
    result = run(send(shared_server, data))
    replies = [(OP_TEXT, b'{"ref":%d}' % ref) for ref in (1, 2, 3)]
    assert_failed(result, 1007, replies)
    assert result.close == close_payload(1007, b"invalid UTF-8 in a text frame")
    assert shared_server.unhandled() == []


def test_events_queued_before_invalid_utf8_are_all_answered_then_1007(shared_server) -> None:
    """More events than the session queues at once, then a bad frame, then (in a later write) a
    close frame: the server reads nothing past the bad frame while it works through the events,
    so all of them are answered and the close code is 1007, not the client's 1000."""
    server = shared_server

    async def scenario() -> Outcome:
        raw = await joined(server)
        start = time.perf_counter()
        raw.send(b"".join(text(click(ref)) for ref in range(1, 61)) + text(b"\xff"))
        await raw.writer.drain()
        await asyncio.sleep(0.01)
        raw.send(frame_bytes(OP_CLOSE, close_payload(1000)))
        try:
            return await outcome(raw, start)
        finally:
            await hang_up(raw)

    result = run(scenario())
    assert result.texts == [
        {"ref": ref, "ops": [[0, [1, 0, 0], f"Count: {ref}"]]} for ref in range(1, 61)
    ]
    assert result.code == 1007, result.close
    assert result.ended
    assert server.unhandled() == []


# -- 7 close handling -----------------------------------------------------------------------------


VALID_CODES = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999]
INVALID_CODES = [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535]


@pytest.mark.parametrize("code", VALID_CODES)
def test_close_with_a_valid_code_is_echoed_and_the_connection_ends(shared_server, code) -> None:
    payload = close_payload(code, b"bye")
    result = run(after_a_heartbeat(shared_server, frame_bytes(OP_CLOSE, payload)))
    assert_echoed(result, payload)
    assert shared_server.unhandled() == []


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        close_payload(1000),
        close_payload(1000, "κόσμε".encode()),
        close_payload(1000, b"r" * 123),
    ],
    ids=["empty", "code only", "UTF-8 reason", "123-byte reason"],
)
def test_close_frame_is_echoed_as_sent(shared_server, payload) -> None:
    result = run(after_a_heartbeat(shared_server, frame_bytes(OP_CLOSE, payload)))
    assert_echoed(result, payload)
    assert shared_server.unhandled() == []


@pytest.mark.parametrize("code", INVALID_CODES)
def test_close_with_an_invalid_code_closes_1002(shared_server, code) -> None:
    result = run(after_a_heartbeat(shared_server, frame_bytes(OP_CLOSE, close_payload(code))))
    assert_failed(result, 1002)
    assert result.close == close_payload(1002, b"invalid status code")
    assert shared_server.unhandled() == []


def test_close_with_a_1_byte_payload_closes_1002(shared_server) -> None:
    result = run(after_a_heartbeat(shared_server, frame_bytes(OP_CLOSE, b"\x03")))
    assert_failed(result, 1002)
    assert result.close == close_payload(1002, b"close frame too short")
    assert shared_server.unhandled() == []


def test_close_with_126_bytes_of_payload_closes_1002(shared_server) -> None:
    data = frame_bytes(OP_CLOSE, close_payload(1000, b"r" * 124))
    result = run(after_a_heartbeat(shared_server, data))
    assert_failed(result, 1002)
    assert result.close == close_payload(1002, b"control frame too long")
    assert shared_server.unhandled() == []


def test_close_reason_with_invalid_utf8_closes_1007(shared_server) -> None:
    """``websockets`` decodes the reason strictly and fails the connection with 1007 (invalid
    data), naming the byte: its documented outcome."""
    data = frame_bytes(OP_CLOSE, close_payload(1000, b"ok\xff"))
    result = run(after_a_heartbeat(shared_server, data))
    assert_failed(result, 1007)
    assert result.close == close_payload(1007, b"invalid start byte at position 2")
    assert shared_server.unhandled() == []


def test_frames_after_the_close_frame_are_not_read(shared_server) -> None:
    data = frame_bytes(OP_CLOSE, close_payload(1000)) + text(hb(2)) + frame_bytes(OP_PING, b"p")
    result = run(after_a_heartbeat(shared_server, data))
    assert_echoed(result, close_payload(1000))
    assert shared_server.unhandled() == []


# -- 9 limits (P2) --------------------------------------------------------------------------------


def test_text_message_over_the_limit_closes_1009_within_100_ms(shared_server) -> None:
    result = run(send(shared_server, head(OP_TEXT, MAX + 1) + b" " * (MAX + 1)))
    assert_failed(result, 1009)
    assert result.seconds < 0.1, result.seconds
    assert result.close == close_payload(
        1009, b"frame with 65537 bytes exceeds limit of 65536 bytes"
    )
    assert shared_server.unhandled() == []


def test_binary_message_over_the_limit_closes_1009(shared_server) -> None:
    result = run(send(shared_server, head(OP_BINARY, MAX + 1) + b"\0" * (MAX + 1)))
    assert_failed(result, 1009)
    assert shared_server.unhandled() == []


def test_fragmented_message_over_the_limit_closes_1009(shared_server) -> None:
    data = head(OP_TEXT, 32768, fin=False) + b" " * 32768 + head(OP_CONT, 32769) + b" " * 32769
    result = run(send(shared_server, data))
    assert_failed(result, 1009)
    assert result.close == close_payload(
        1009, b"frame with 32769 bytes after reading 32768 bytes exceeds limit of 65536 bytes"
    )
    assert shared_server.unhandled() == []


def oversize(kind: str) -> tuple[list[bytes], int]:
    """An oversize message as the chunks a client writes, and their total size."""
    if kind == "16 MiB frame":
        size = 16 * 2**20
        chunks = [head(OP_TEXT, size)] + [b" " * 2**16] * (size // 2**16)
    elif kind == "40 fragments of 32 KiB":
        part = b" " * 32768
        chunks = [head(OP_TEXT, 32768, fin=False) + part]
        chunks += [head(OP_CONT, 32768, fin=i == 38) + part for i in range(39)]
    else:  # one byte over
        chunks = [head(OP_TEXT, MAX + 1) + b" " * (MAX + 1)]
    return chunks, sum(map(len, chunks))


async def write_oversize(
    server: ServerProcess, kind: str, *, after_close: bool = False
) -> tuple[Outcome, int, int]:
    """Write an oversize message while reading what the server sends: (what the server did, the
    bytes the client could write, the message's size). With ``after_close`` the client writes on
    after the close frame until the server takes no more (0.5 s without progress, or a reset)."""
    chunks, total = oversize(kind)
    raw = await RawWebsocket.open(server.url)
    start = time.perf_counter()
    reading = asyncio.create_task(outcome(raw, start))
    written = 0
    try:
        for chunk in chunks:
            if reading.done() and not after_close:
                break
            raw.send(chunk)
            try:
                await asyncio.wait_for(raw.writer.drain(), 0.5)
            except (ConnectionError, TimeoutError):
                break
            written += len(chunk)
        return await reading, written, total
    finally:
        await hang_up(raw)


@pytest.mark.parametrize("kind", ["16 MiB frame", "40 fragments of 32 KiB"])
def test_oversize_message_closes_1009_and_is_not_read(shared_server, kind) -> None:
    """Refused on its header (the 16 MiB frame) or on the fragment that passes the limit (the
    third of 32 KiB), within 1 s. The client writing on after the close frame finds the server no
    longer reading: it cannot write the whole 16 MiB (what it writes fills the socket buffers;
    the server drops one read more). The 1.25 MiB of fragments fit in those buffers."""
    result, written, total = run(write_oversize(shared_server, kind, after_close=True))
    assert_failed(result, 1009)
    if kind == "16 MiB frame":
        assert written < total, (written, total)
    assert shared_server.unhandled() == []


def test_oversize_messages_repeated_keep_the_server_memory_flat(start_server) -> None:
    """100 oversize messages (16 MiB frames, 40 × 32 KiB fragments, max + 1 bytes): each
    closed with 1009; the server buffers none of them (RSS grows < 5 MiB), keeps no task."""
    server = start_server()
    kinds = ["16 MiB frame", "40 fragments of 32 KiB", "one byte over"]

    async def scenario() -> tuple[int, int]:
        for rep in range(6):  # warm up: first connections allocate for good
            result, _, _ = await write_oversize(server, kinds[rep % 3])
            assert result.code == 1009
        await asyncio.sleep(0.5)
        baseline = {"rss": server.rss_kib(), **server.stats()}
        peak = baseline["rss"]
        for rep in range(100):
            result, _, _ = await write_oversize(server, kinds[rep % 3])
            assert result.code == 1009, (rep, result)
            assert result.seconds < CLOSE_WITHIN, (rep, result)
            peak = max(peak, server.rss_kib())
        await asyncio.sleep(1)
        after = {"rss": server.rss_kib(), **server.stats(collect=True)}
        assert after["rss"] - baseline["rss"] < 5 * 1024, (baseline, after)
        assert peak - baseline["rss"] < 5 * 1024, (baseline, peak)
        assert (after["tasks"], after["connections"]) == (baseline["tasks"], 0)
        return after["rss"] - baseline["rss"], peak - baseline["rss"]

    run(scenario(), timeout=120)
    assert server.unhandled() == []


@pytest.mark.parametrize("frame", ["heartbeat", "event"])
def test_binary_frame_holding_json_closes_1003_and_is_not_processed(shared_server, frame) -> None:
    server = shared_server

    async def scenario() -> Outcome:
        raw = await joined(server)
        start = time.perf_counter()
        payload = hb(1) if frame == "heartbeat" else click(1)
        raw.send(frame_bytes(OP_BINARY, payload) + text(hb(2)))
        try:
            return await outcome(raw, start, answer=True)
        finally:
            await hang_up(raw)

    result = run(scenario())
    assert_failed(result, 1003)
    assert result.close == close_payload(1003, BINARY_REFUSED)
    assert server.unhandled() == []


# -- control-frame flood (P6) ---------------------------------------------------------------------


def test_ping_flood_leaves_the_server_and_the_others_unaffected(start_server) -> None:
    """One client sends 10,000 pings in 5 s and reads the pongs: every ping answered in order,
    the server's RSS grows < 10 MiB, a canary of 10 sessions is not starved, and once the
    client leaves no task is left."""
    server = start_server()
    count, batches = 10_000, 100

    async def scenario() -> dict[str, float]:
        canary = await Canary(server.url, n=10).start()
        await asyncio.sleep(1)
        baseline = {"rss": server.rss_kib(), **server.stats()}
        canary.reset()
        raw = await RawWebsocket.open(server.url)
        payloads = [b"%05d" % i for i in range(count)]

        async def pongs() -> list[tuple[int, bytes] | None]:
            return [await raw.read_frame(10) for _ in payloads]

        reading = asyncio.create_task(pongs())
        peak = baseline["rss"]
        start = time.perf_counter()
        per_batch = count // batches
        for batch in range(batches):
            chunk = payloads[batch * per_batch : (batch + 1) * per_batch]
            raw.send(b"".join(frame_bytes(OP_PING, p) for p in chunk))
            await raw.writer.drain()
            peak = max(peak, server.rss_kib())
            await asyncio.sleep(max(0.0, start + (batch + 1) * 0.05 - time.perf_counter()))
        sent_in = time.perf_counter() - start
        received = await asyncio.wait_for(reading, 15)
        assert received == [(OP_PONG, p) for p in payloads]
        await answered(raw, text(hb(1)), {"ref": 1})  # the connection still works
        during = {"p99": canary.p99(), "rss": peak - baseline["rss"], "seconds": sent_in}
        assert_not_starved(canary)
        failures = list(canary.failures)
        await hang_up(raw)
        await asyncio.sleep(1)
        after = server.stats(collect=True)
        await canary.stop()
        assert failures == []
        assert during["rss"] < 10 * 1024, during
        counts = ("tasks", "connections", "views")
        assert {k: after[k] for k in counts} == {k: baseline[k] for k in counts}, after
        return during

    run(scenario(), timeout=60)
    assert server.unhandled() == []


def test_ping_flood_without_reading_the_pongs_closes_1013(start_server) -> None:
    """A client that writes pings and never reads its pongs is closed with 1013 once more than
    ``max_outbound_bytes`` wait for it, like any client that does not read: the server holds a
    bounded amount (RSS grows < 10 MiB) and stops reading it."""
    server = start_server()
    limit = 64 * 2**20

    async def scenario() -> tuple[int, int]:
        raw = await RawWebsocket.open(server.url)
        await asyncio.sleep(0.2)
        baseline = server.rss_kib()
        chunk = frame_bytes(OP_PING, b"p" * 125) * 1000
        written, peak = 0, baseline
        while written < limit:
            raw.send(chunk)
            try:
                await asyncio.wait_for(raw.writer.drain(), 0.5)
            except (ConnectionError, TimeoutError):
                break  # the server stopped reading
            written += len(chunk)
            peak = max(peak, server.rss_kib())
        data = bytearray()
        try:  # now read everything, fast: what the server sent before its close frame
            async with asyncio.timeout(10):
                while block := await raw.reader.read(2**20):
                    data += block
        except ConnectionError:
            pass
        await hang_up(raw)
        frames = []
        at = 0
        while at + 2 <= len(data):
            length = data[at + 1] & 0x7F
            assert length < 126
            frames.append((data[at] & 0x0F, bytes(data[at + 2 : at + 2 + length])))
            at += 2 + length
        assert frames and all(f == (OP_PONG, b"p" * 125) for f in frames[:-1]), frames[-3:]
        assert frames[-1] == (OP_CLOSE, close_payload(1013, b"client too slow"))
        assert written < limit, written
        assert peak - baseline < 10 * 1024, (baseline, peak)
        return written, peak - baseline

    run(scenario(), timeout=60)
    assert server.unhandled() == []
