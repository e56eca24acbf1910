"""Limits and timeouts hold against a real server: a slow reader, a busy view, a blocking handler,
a client past the rate limit, idle and slow HTTP connections, many idle sessions (plan rows D1,
D5, D7, D8 and the issue's items 4, 5 and 8)."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
import websockets
from _wire import (
    HOST,
    OP_TEXT,
    Canary,
    RawWebsocket,
    Session,
    assert_not_starved,
    figure,
    frame_bytes,
    run,
)

from pylive.limits import Limits

pytestmark = pytest.mark.e2e

LIFTED = {"websocket_connects_per_second": 1e6, "websocket_connect_burst": 10**6}
"""For tests that open many sessions from this one address."""


def test_slow_consumer_closed_with_1013_and_memory_bounded(start_server) -> None:
    """A client that stops reading while its view pushes 10 KB a millisecond: the server stops
    at ``Limits.max_outbound_bytes`` of unread data, closes the socket and drops the buffer."""
    server = start_server()

    async def scenario() -> None:
        baseline = {"rss": server.rss_kib(), **server.stats()}
        raw = await RawWebsocket.open(server.url, "/pusher?size=10000&ms=1")
        join = {"type": "join", "ref": 0, "token": raw.page.token,  # type: ignore[attr-defined]
                "url": server.url + "/pusher?size=10000&ms=1"}  # fmt: skip
        raw.send(frame_bytes(OP_TEXT, json.dumps(join).encode()))
        await raw.writer.drain()
        peak = 0
        deadline = time.monotonic() + 20
        while server.stats()["connections"] > baseline["connections"] or peak == 0:
            peak = max(peak, server.rss_kib())
            assert time.monotonic() < deadline, "the slow client was never disconnected"
            await asyncio.sleep(0.1)
        raw.close()
        figure("closed_after_s", round(time.monotonic() - deadline + 20, 1))
        figure("rss_growth_mib", round((peak - baseline["rss"]) / 1024, 1))
        assert peak - baseline["rss"] < 20 * 1024, (peak, baseline)
        await asyncio.sleep(0.5)
        assert server.stats(collect=True)["tasks"] == baseline["tasks"]

    run(scenario())
    assert "websocket closed: the client did not read" in server.log_text()
    assert server.unhandled() == []


def test_heartbeat_answered_while_a_handler_is_slow(shared_server) -> None:
    """A heartbeat does not wait behind its socket's slow handler (it waited 1 s before)."""

    async def scenario() -> list[tuple[Any, float]]:
        session = await Session.open(shared_server.url)
        await session.send({"type": "event", "kind": "click", "event": "slow", "value": {"s": 1}})
        await asyncio.sleep(0.05)
        start = time.perf_counter()
        await session.send({"type": "hb"})
        answers = []
        for _ in range(2):
            reply = json.loads(await asyncio.wait_for(session.ws.recv(), 3))
            answers.append((reply, round(time.perf_counter() - start, 1)))
        await session.close()
        return answers

    (beat, beat_after), (slow, slow_after) = run(scenario())
    figure("heartbeat_s", beat_after)
    assert beat == {"ref": 3}
    assert beat_after < 0.2
    assert slow["ref"] == 2 and "ops" in slow and slow_after >= 0.8


def test_blocking_def_handler_stalls_the_others_at_most_once(start_server) -> None:
    """A plain ``def`` handler calling ``time.sleep(0.2)``: after its first call it runs in a
    worker thread, so the other sessions keep their latency while it blocks again and again."""
    server = start_server()

    async def scenario() -> dict[str, float]:
        blocker = await Session.open(server.url, "/blocking")
        await blocker.click("block", {"s": 0.2})  # the one stall: now it is known to block
        canary = await Canary(server.url, n=10).start()
        await asyncio.sleep(0.5)
        canary.reset()
        start = time.monotonic()
        blocked = 0
        while time.monotonic() - start < 3:
            reply = await blocker.click("block", {"s": 0.2})
            assert "ops" in reply
            blocked += 1
        figures = {"p50": canary.p50(), "p99": canary.p99(), "calls": blocked}
        assert_not_starved(canary)
        figure("canary_p50_ms", round(figures["p50"], 1))
        figure("canary_p99_ms", round(figures["p99"], 1))
        await canary.stop()
        await blocker.close()
        assert canary.failures == []
        assert blocked >= 10
        return figures

    run(scenario())
    assert "held the event loop for" in server.log_text()
    assert server.log_text().count("runs in a worker thread from now on") == 1


def test_in_thread_handler_never_stalls_the_others(start_server) -> None:
    server = start_server()

    async def scenario() -> None:
        canary = await Canary(server.url, n=10).start()
        blocker = await Session.open(server.url, "/in-thread")
        await asyncio.sleep(0.5)
        canary.reset()
        for _ in range(8):
            assert "ops" in await blocker.click("block", {"s": 0.2})
        figure("canary_p99_ms", round(canary.p99(), 1))
        assert canary.failures == []
        assert_not_starved(canary)
        await canary.stop()
        await blocker.close()

    run(scenario())
    assert "held the event loop" not in server.log_text()


def test_rate_limit_throttles_then_closes_with_1008(start_server) -> None:
    """1,000 events a second on one socket: refused past the budget (each refusal answered),
    then disconnected; the other sessions do not notice."""
    server = start_server()

    async def scenario() -> tuple[dict[str, int], int | None]:
        canary = await Canary(server.url, n=10).start()
        canary.reset()
        session = await Session.open(server.url)
        answers = {"ops": 0, "rate limited": 0}

        async def write() -> None:
            for _ in range(3000):  # 3 s at 1,000 events/s, unless closed before
                await session.send({"type": "event", "kind": "click", "event": "inc"})
                await asyncio.sleep(0.001)

        async def read() -> int | None:
            try:
                while True:
                    reply = json.loads(await session.ws.recv())
                    answers["ops" if "ops" in reply else "rate limited"] += 1
            except websockets.ConnectionClosed as closed:
                return closed.rcvd.code if closed.rcvd else None

        writing = asyncio.create_task(write())
        code = await read()
        writing.cancel()
        await asyncio.gather(writing, return_exceptions=True)
        assert canary.failures == []
        assert_not_starved(canary)
        await canary.stop()
        return answers, code

    answers, code = run(scenario())
    figure("answers", answers)
    assert code == 1008
    assert answers["ops"] >= 100  # the burst, then the rate
    assert answers["rate limited"] >= 1
    assert "more than 50 frames/s, sustained" in server.log_text()


def test_idle_and_slow_http_connections_closed_by_the_timeouts(start_server) -> None:
    """300 TCP connections that send nothing are closed after the keep-alive timeout, 50 that
    send half a request get 408 after the request timeout (defaults 5 s and 10 s; shorter
    here to keep the test short)."""
    server = start_server(http_keep_alive_timeout=1.0, http_request_timeout=2.0,
                          max_connections_per_ip=0)  # fmt: skip

    async def scenario() -> dict[str, float]:
        start = time.monotonic()
        silent = [await asyncio.open_connection(HOST, server.port) for _ in range(300)]
        partial = []
        for _ in range(50):
            reader, writer = await asyncio.open_connection(HOST, server.port)
            writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n")
            partial.append((reader, writer))

        async def closed_after(reader: asyncio.StreamReader) -> tuple[float, bytes]:
            data = await reader.read()
            return time.monotonic() - start, data

        silent_closed = await asyncio.gather(*(closed_after(r) for r, _ in silent))
        partial_closed = await asyncio.gather(*(closed_after(r) for r, _ in partial))
        for _, writer in silent + partial:
            writer.close()
        assert {data for _, data in silent_closed} == {b""}
        assert all(data.startswith(b"HTTP/1.1 408 Request Timeout") for _, data in partial_closed)
        return {
            "silent": max(t for t, _ in silent_closed),
            "partial": max(t for t, _ in partial_closed),
        }

    closed = run(scenario(), timeout=30)
    figure("closed_s", closed)
    assert closed["silent"] < 1.0 + 1.5, closed
    assert closed["partial"] < 2.0 + 1.5, closed
    assert (Limits().http_keep_alive_timeout, Limits().http_request_timeout) == (5.0, 10.0)


def test_memory_per_idle_session_under_64_kib(start_server) -> None:
    """1,000 idle sessions of a counter view (plan D8: ≤ 64 KiB each, the transport included)."""
    server = start_server(max_connections_per_ip=0, **LIFTED)

    async def scenario() -> float:
        warm = [await Session.open(server.url) for _ in range(20)]
        await asyncio.sleep(0.5)
        before = server.rss_kib()
        sessions: list[Session] = []
        for _ in range(50):
            sessions += await asyncio.gather(*(Session.open(server.url) for _ in range(20)))
        await asyncio.sleep(1)
        after = server.rss_kib()
        assert server.stats()["views"] == 1020
        per_session = (after - before) / len(sessions)
        for session in [*warm, *sessions]:
            await session.close()
        return per_session

    per_session = run(scenario(), timeout=120)
    figure("kib_per_session", round(per_session, 1))
    assert per_session <= 64, f"{per_session:.1f} KiB per idle session"
