"""RedisPubSub against a real redis-server: hubs in one event loop stand for the processes of
an app (each its own connections); what one broadcasts the others deliver, with tuples kept,
sequence gaps and reconnections told as PubSubGap, Redis down at boot survived, and bounds."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pylive import App
from pylive.pubsub import PubSubGap
from pylive.pubsub_redis import RedisPubSub
from pylive.testing.redis_server import RedisServer

WAIT = 5.0
SECRET = "a test secret, long enough"


class Inbox:
    """A subscriber recording what it gets (a live session's ``send_self``)."""

    def __init__(self) -> None:
        self.got: list[Any] = []

    def send_self(self, msg: Any) -> None:
        self.got.append(msg)


@dataclass(frozen=True)
class Said:
    user: str
    text: str


async def until(check: Callable[[], bool], what: str, timeout: float = WAIT) -> float:
    """Wait until ``check()``; how long it took."""
    loop = asyncio.get_running_loop()
    began = loop.time()
    while not check():
        if loop.time() - began > timeout:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.005)
    return loop.time() - began


@asynccontextmanager
async def hubs(url: str, count: int = 2, **options: Any) -> AsyncIterator[list[RedisPubSub]]:
    started = [RedisPubSub(url, retry_interval=0.05, **options) for _ in range(count)]
    for hub in started:
        await hub.start()
    try:
        yield started
    finally:
        for hub in started:
            await hub.stop()


async def connected(*all_hubs: RedisPubSub) -> None:
    await until(lambda: all(h.connected for h in all_hubs), "the hubs to connect")


def test_a_broadcast_reaches_the_other_hubs_subscribers_once_with_its_types(
    redis_server: RedisServer,
) -> None:
    async def scenario() -> None:
        async with hubs(redis_server.url, 2, types=[Said]) as (a, b):
            here, there, elsewhere = Inbox(), Inbox(), Inbox()
            a.subscribe("room", here)
            b.subscribe("room", there)
            b.subscribe("other", elsewhere)
            await connected(a, b)
            assert a.broadcast("room", ("said", Said("ana", "hi"))) == 1
            assert here.got == [("said", Said("ana", "hi"))]  # at once, the object itself
            await until(lambda: there.got != [], "the other hub's delivery")
            assert there.got == [("said", Said("ana", "hi"))]
            assert type(there.got[0]) is tuple and type(there.got[0][1]) is Said
            b.broadcast("room", "back")
            await until(lambda: len(here.got) == 2, "the reply")
            await asyncio.sleep(0.05)  # anything doubled would have arrived by now
            assert here.got == [("said", Said("ana", "hi")), "back"]
            assert there.got == [("said", Said("ana", "hi")), "back"]
            assert elsewhere.got == []
            assert (a.gaps, b.gaps, a.rejected, b.rejected) == (0, 0, 0, 0)

    asyncio.run(scenario())


def test_exclude_and_local_broadcast(redis_server: RedisServer) -> None:
    async def scenario() -> None:
        async with hubs(redis_server.url) as (a, b):
            me, neighbour, remote = Inbox(), Inbox(), Inbox()
            a.subscribe("t", me)
            a.subscribe("t", neighbour)
            b.subscribe("t", remote)
            await connected(a, b)
            assert a.broadcast("t", "from me", exclude=me) == 1
            assert a.local_broadcast("t", "only here") == 2
            await until(lambda: remote.got == ["from me"], "the remote delivery")
            await asyncio.sleep(0.05)
            assert me.got == ["only here"]
            assert neighbour.got == ["from me", "only here"]
            assert remote.got == ["from me"]

    asyncio.run(scenario())


def test_each_hub_holds_two_connections_whatever_its_subscribers(
    redis_server: RedisServer,
) -> None:
    async def scenario() -> None:
        async with hubs(redis_server.url, 3) as all_hubs:
            inboxes = [Inbox() for _ in range(300)]
            for index, inbox in enumerate(inboxes):
                all_hubs[index % 3].subscribe(f"topic:{index % 7}", inbox)
            await connected(*all_hubs)
            for hub in all_hubs:
                hub.broadcast("topic:1", "x")
            await until(lambda: sum(len(i.got) for i in inboxes) == 3 * 43, "every delivery")
            assert redis_server.clients() == 6
        assert redis_server.clients() == 0

    asyncio.run(scenario())


def test_a_restart_of_redis_tells_every_subscribed_topic_once_it_is_back(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> None:
        async with hubs(redis_server.url) as (a, b):
            one, two, idle = Inbox(), Inbox(), Inbox()
            b.subscribe("one", one)
            b.subscribe("two", two)
            a.subscribe("idle", idle)
            await connected(a, b)
            redis_server.stop()
            await until(lambda: not a.connected and not b.connected, "the hubs to notice")
            assert a.broadcast("one", "lost") == 0  # nobody here; not published either
            assert a.dropped == 1
            redis_server.start()
            took = await until(lambda: two.got != [] and idle.got != [], "the gap notices")
            assert took < 1.0
            assert one.got == [PubSubGap("one", "reconnected")]
            assert two.got == [PubSubGap("two", "reconnected")]
            assert idle.got == [PubSubGap("idle", "reconnected")]
            a.broadcast("one", "after")
            await until(lambda: one.got[-1] == "after", "a broadcast after the restart")
            assert b.gaps == 2 and a.gaps == 1

    with caplog.at_level(logging.WARNING, "pylive.pubsub"):
        asyncio.run(scenario())
    said = [r.getMessage() for r in caplog.records]
    assert any(m.startswith(f"pubsub: lost Redis at {redis_server.url}") for m in said)
    assert any("Redis is back after" in m and "2 topics may have lost" in m for m in said)
    assert "pubsub: messages reach this process's views only: Redis is not connected" in said


def test_a_skipped_sequence_number_is_a_gap_for_that_topic_only(
    redis_server: RedisServer,
) -> None:
    async def scenario() -> None:
        async with hubs(redis_server.url) as (a, b):
            watched, other = Inbox(), Inbox()
            b.subscribe("watched", watched)
            b.subscribe("other", other)
            await connected(a, b)
            a.broadcast("watched", 1)
            a.broadcast("other", 1)
            await until(lambda: watched.got == [1] and other.got == [1], "the first two")
            # a message published while this hub was not listening: its number is taken
            assert redis_server.command("INCR", "pylive:seq:watched") == ":2"
            a.broadcast("watched", 3)
            a.broadcast("other", 2)
            await until(lambda: len(watched.got) == 3 and len(other.got) == 2, "the next")
            assert watched.got == [1, PubSubGap("watched", "skipped"), 3]
            assert other.got == [1, 2]

    asyncio.run(scenario())


def test_redis_down_at_boot_local_broadcasts_work_and_it_catches_up(
    redis_server: RedisServer,
) -> None:
    redis_server.stop()

    async def scenario() -> None:
        async with hubs(redis_server.url) as (a, b):
            here, there = Inbox(), Inbox()
            a.subscribe("t", here)
            b.subscribe("t", there)
            await asyncio.sleep(0.2)
            assert not a.connected
            assert a.broadcast("t", "local") == 1
            assert here.got == ["local"] and there.got == []
            redis_server.start()
            await connected(a, b)
            await until(lambda: len(there.got) == 1, "b's gap notice")
            assert there.got == [PubSubGap("t", "reconnected")]
            assert here.got == ["local", PubSubGap("t", "reconnected")]
            a.broadcast("t", "shared")
            await until(lambda: there.got[-1] == "shared", "the shared message")

    asyncio.run(scenario())


def test_bounds_and_what_does_not_travel(redis_server: RedisServer) -> None:
    async def scenario() -> None:
        async with hubs(redis_server.url, max_message_bytes=200) as (a, b):
            here, there = Inbox(), Inbox()
            a.subscribe("t", here)
            b.subscribe("t", there)
            await connected(a, b)
            with pytest.raises(ValueError, match=r"expected at most 200 \(RedisPubSub"):
                a.broadcast("t", "x" * 300)
            with pytest.raises(TypeError, match="cannot send a set across processes"):
                a.broadcast("t", {1})
            assert here.got == []  # refused before anyone got it
            # what arrives that is not ours to decode is dropped, counted, logged
            for junk in ("garbage", "7|{}", '8|{"o":"x","t":"t","m":{"~r":["os.system",{}]}}'):
                redis_server.command("PUBLISH", "pylive", junk)
            await until(lambda: b.rejected == 3, "the junk to be rejected")
            # the last one named a subscribed topic: its views missed a message
            assert there.got == [PubSubGap("t", "skipped")]
            a.broadcast("t", "fine")
            await until(lambda: there.got[-1] == "fine", "a good message after the junk")
            # ... and the junk's number (8) was not the topic's: Redis says 1, a skip again
            assert there.got == [PubSubGap("t", "skipped"), PubSubGap("t", "skipped"), "fine"]

    asyncio.run(scenario())


def test_options_are_checked() -> None:
    with pytest.raises(ValueError, match=r"expected a redis:// .* URL, got 'http://x'"):
        RedisPubSub("http://x")
    with pytest.raises(ValueError, match="expected max_pending ≥ 1, got 0"):
        RedisPubSub(max_pending=0)


def test_a_broadcast_before_the_hub_starts_stays_here() -> None:
    hub = RedisPubSub("redis://127.0.0.1:1/0")
    inbox = Inbox()
    hub.subscribe("t", inbox)
    assert hub.broadcast("t", "early") == 1
    assert inbox.got == ["early"] and hub.dropped == 1


class Connection:
    """What an app tracks for a live view of a session: told to end by ``revoke``."""

    def __init__(self) -> None:
        self.revoked = 0

    def revoke(self) -> None:
        self.revoked += 1


def test_disconnect_sessions_reaches_the_views_of_the_other_processes(
    redis_server: RedisServer,
) -> None:
    async def scenario() -> None:
        here = App(secret_key=SECRET, pubsub=RedisPubSub(redis_server.url, retry_interval=0.05))
        there = App(secret_key=SECRET, pubsub=RedisPubSub(redis_server.url, retry_interval=0.05))
        for app in (here, there):
            await app.pubsub.start()
        try:
            mine, theirs, other_user = Connection(), Connection(), Connection()
            here.track_live_socket("users_sessions:ana", mine)
            there.track_live_socket("users_sessions:ana", theirs)
            there.track_live_socket("users_sessions:bo", other_user)
            await connected(here.pubsub, there.pubsub)  # type: ignore[arg-type]
            assert here.disconnect_sessions("users_sessions:ana") == 1  # this process's
            assert mine.revoked == 1
            await until(lambda: theirs.revoked == 1, "the other process to end its view")
            await asyncio.sleep(0.05)
            assert (mine.revoked, theirs.revoked, other_user.revoked) == (1, 1, 0)
            with pytest.raises(ValueError, match="expected a live_socket_id string, got None"):
                here.disconnect_sessions(None)  # type: ignore[arg-type]
        finally:
            for app in (here, there):
                await app.pubsub.stop()

    asyncio.run(scenario())


def test_the_redis_example_of_the_docs_builds_its_app(redis_server: RedisServer) -> None:
    text = (Path(__file__).parent.parent / "docs" / "pubsub.md").read_text()
    block = next(b for b in text.split("```python\n")[1:] if "RedisPubSub(" in b)
    namespace: dict[str, Any] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYLIVE_REDIS_URL", redis_server.url)
        exec(compile(block.split("```")[0], "docs/pubsub.md", "exec"), namespace)
    hub = namespace["app"].pubsub
    assert isinstance(hub, RedisPubSub)
    assert (hub.url, hub.channel) == (redis_server.url, "pylive")
