"""Crashes and restarts (plan rows C1 and C3): a crashing view or live component costs only its
own state, remounted over the same socket, and a graceful restart answers what it already read
and sends every client to the next server."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
import websockets
from _wire import Canary, ServerProcess, Session, assert_not_starved, figure, run

pytestmark = pytest.mark.e2e


def test_view_crash_remounts_over_the_same_socket_and_spares_the_others(shared_server) -> None:
    server = shared_server

    async def scenario() -> float:
        canary = await Canary(server.url, n=10).start()
        canary.reset()
        session = await Session.open(server.url)
        await session.click("inc")
        crash = await session.click("boom")
        assert crash == {"type": "error", "reason": "crash", "ref": 3}
        start = time.perf_counter()
        rejoined = await session.call(
            {"type": "join", "token": session.page.token, "url": server.url + "/"}
        )
        remount = time.perf_counter() - start
        assert rejoined["tree"][1][2][0] == ["p", {"id": "count"}, ["Count: 0"]]  # fresh state
        assert "ops" in await session.click("inc")
        await session.close()
        assert canary.failures == []
        assert_not_starved(canary)
        await canary.stop()
        return remount

    remount = run(scenario())
    figure("remount_ms", round(remount * 1000, 1))
    assert remount < 1.0
    assert "live view Counter crashed in handle_event('boom')" in server.log_text()


def test_component_crash_is_a_crash_frame_and_spares_another_connection(shared_server) -> None:
    """A live component raising in handle_event crashes its view (as in LiveView), never the
    connection loop: the crash frame answers the event's ref, the rejoin remounts, and another
    connection on the same page keeps working."""
    server = shared_server

    async def scenario() -> None:
        other = await Session.open(server.url, "/component")
        session = await Session.open(server.url, "/component")
        holder = session.join_reply["tree"][1]
        cid = int(holder[2][0][1]["data-phx-component"])
        crash = await session.call(
            {"type": "event", "kind": "click", "event": "poke", "value": {}, "cid": cid}
        )
        assert crash == {"type": "error", "reason": "crash", "ref": 2}
        rejoined = await session.call(
            {"type": "join", "token": session.page.token, "url": server.url + "/component"}
        )
        assert rejoined["tree"][1][2][0][2] == ["badge b"]
        beat = await other.call({"type": "hb"})
        assert beat == {"ref": 2}
        await session.close()
        await other.close()

    run(scenario())
    assert "live view WithComponent crashed in Badge(id='b').handle_event('poke')" in (
        server.log_text()
    )


def test_graceful_restart_answers_in_flight_events_once_and_sends_clients_on(
    start_server,
) -> None:
    """SIGTERM with 200 sessions, one of them in a slow handler: that event is answered exactly
    once, every client gets 1012, and all of them join the next server on the same port."""
    first = start_server(max_connections_per_ip=0, websocket_connects_per_second=1e6,
                         websocket_connect_burst=10**6)  # fmt: skip

    async def scenario() -> dict[str, float]:
        sessions = []
        for _ in range(10):
            sessions += await asyncio.gather(*(Session.open(first.url) for _ in range(20)))
        slow = sessions[0]
        await slow.send({"type": "event", "kind": "click", "event": "slow", "value": {"s": 0.5}})
        await asyncio.sleep(0.1)
        stopping = asyncio.create_task(asyncio.to_thread(first.terminate))

        async def until_closed(session: Session) -> tuple[list[dict[str, object]], int | None]:
            frames: list[dict[str, object]] = []
            try:
                while True:
                    frames.append(json.loads(await asyncio.wait_for(session.ws.recv(), 15)))
            except websockets.ConnectionClosed as closed:
                return frames, closed.rcvd.code if closed.rcvd else None

        results = await asyncio.gather(*(until_closed(s) for s in sessions))
        await stopping
        slow_frames, _ = results[0]
        assert [f.get("ref") for f in slow_frames] == [2]  # the slow event, answered once
        assert "ops" in slow_frames[0]
        assert {code for _, code in results} == {1012}
        second = ServerProcess(first.limits, port=first.port).start()
        try:
            start = time.perf_counter()
            again = await asyncio.gather(*(Session.open(second.url) for _ in range(200)))
            reconnect = time.perf_counter() - start
            assert all("tree" in s.join_reply for s in again)
            for session in again:
                await session.close()
        finally:
            second.__exit__()
        return {"reconnect_s": reconnect}

    figures = run(scenario(), timeout=90)
    figure("reconnect_200_s", round(figures["reconnect_s"], 2))
    assert figures["reconnect_s"] < 5, figures
