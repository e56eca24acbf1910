"""PubSub across processes for real: ``python -m pylive run redis_app:app --workers 2`` on a
real redis-server. A broadcast from a view in one worker reaches the views of the other; Redis
killed mid-traffic and restarted → every view told (PubSubGap), none left stale, within a
second of Redis being back; Redis down at boot → pages render, local broadcasts work, recovery
when it starts; and Redis never holds more than two connections per worker however many
sessions come and go."""

from __future__ import annotations

import asyncio
import json
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _wire import Session, run

from pylive.testing.app_process import AppProcess
from pylive.testing.redis_server import RedisServer

HERE = Path(__file__).resolve().parent
WORKERS = 2
_STATE = re.compile(r"(pid|value|gaps):(\d+)")


def workers(redis_url: str, db: str) -> AppProcess:
    """``redis_app:app`` served by ``python -m pylive run --workers 2``."""
    env = {"PYLIVE_REDIS_URL": redis_url, "BOARD_DB": db}
    return AppProcess("redis_app:app", workers=WORKERS, cwd=HERE, env=env).start()


class Board:
    """A live session on the board, its frames read as they come: what it shows now."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.state: dict[str, int] = {}
        self._see(session.join_reply)
        self.reader = asyncio.create_task(self._read())

    @classmethod
    async def open(cls, base: str) -> Board:
        return cls(await Session.open(base))

    def _see(self, frame: Any) -> None:
        for name, number in _STATE.findall(json.dumps(frame)):
            self.state[name] = int(number)

    async def _read(self) -> None:
        try:
            while True:
                self._see(json.loads(await self.session.ws.recv()))
        except Exception:  # the connection closed: the test closed it
            return

    @property
    def pid(self) -> int:
        return self.state["pid"]

    async def set(self, value: int, event: str = "set") -> None:
        frame = {"type": "event", "kind": "click", "event": event, "value": {"v": str(value)}}
        await self.session.send(frame)

    async def close(self) -> None:
        await self.session.close()
        self.reader.cancel()


@pytest.fixture
def redis() -> Iterator[RedisServer]:
    with RedisServer() as server:
        yield server


@pytest.fixture
def db() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield str(Path(folder) / "board.sqlite3")


async def boards_in_both_workers(base: str, each: int) -> dict[int, list[Board]]:
    """Open sessions until each worker holds ``each`` of them. The kernel hands a connection
    to whichever worker accepts first, so they are opened several at a time, and kept."""
    by_pid: dict[int, list[Board]] = {}
    for _ in range(15):
        for board in await asyncio.gather(*(Board.open(base) for _ in range(8))):
            by_pid.setdefault(board.pid, []).append(board)
        if len(by_pid) == WORKERS and all(len(b) >= each for b in by_pid.values()):
            return by_pid
        await asyncio.sleep(0.1)  # a worker still starting
    raise AssertionError(f"sessions did not spread over {WORKERS} workers: {by_pid.keys()}")


async def until(check: Any, what: str, timeout: float = 10.0) -> float:
    began = time.monotonic()
    while not check():
        if time.monotonic() - began > timeout:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.005)
    return time.monotonic() - began


def every(by_pid: dict[int, list[Board]]) -> list[Board]:
    return [board for boards in by_pid.values() for board in boards]


def test_a_broadcast_in_one_worker_reaches_the_views_of_the_other(
    redis: RedisServer, db: str
) -> None:
    server = workers(redis.url, db)

    async def scenario() -> None:
        by_pid = await boards_in_both_workers(server.url, each=3)
        boards = every(by_pid)
        first, second = by_pid
        await by_pid[first][0].set(7)
        await until(lambda: all(b.state["value"] == 7 for b in boards), "value 7 everywhere")
        await by_pid[second][0].set(8)
        await until(lambda: all(b.state["value"] == 8 for b in boards), "value 8 everywhere")
        await by_pid[second][0].set(9, "local")  # local_broadcast: its own worker only
        await until(lambda: all(b.state["value"] == 9 for b in by_pid[second]), "local 9")
        await asyncio.sleep(0.2)
        assert [b.state["value"] for b in by_pid[first]] == [8] * len(by_pid[first])
        assert all(b.state["gaps"] == 0 for b in boards)
        for board in boards:
            await board.close()

    try:
        run(scenario())
    finally:
        server.stop()
    assert "Traceback" not in server.log_text()


def test_redis_killed_mid_traffic_every_view_is_told_and_none_is_stale(
    redis: RedisServer, db: str
) -> None:
    server = workers(redis.url, db)

    async def scenario() -> None:
        by_pid = await boards_in_both_workers(server.url, each=4)
        boards = every(by_pid)
        clicker = next(iter(by_pid.values()))[0]
        value = 0

        async def traffic() -> None:
            nonlocal value
            while True:
                value += 1
                await clicker.set(value)
                await asyncio.sleep(0.02)

        clicking = asyncio.create_task(traffic())
        await asyncio.sleep(0.5)
        redis.stop()  # mid-traffic: SIGKILL
        await asyncio.sleep(0.5)  # the clicks go on: SQLite has them, the other worker not
        clicking.cancel()
        await asyncio.sleep(0.1)
        final = value
        assert final > 20
        redis.start()
        back = time.monotonic()
        await until(lambda: all(b.state["gaps"] == 1 for b in boards), "a gap notice in each")
        told = time.monotonic() - back
        assert told < 1.0, f"the last view was told {told:.2f} s after Redis was back"
        await until(lambda: all(b.state["value"] == final for b in boards), "the final value")
        # and it goes on: a broadcast after the restart reaches the other worker
        await clicker.set(final + 1)
        await until(lambda: all(b.state["value"] == final + 1 for b in boards), "after")
        for board in boards:
            await board.close()

    try:
        run(scenario())
    finally:
        server.stop()
    log = server.log_text()
    assert "pubsub: lost Redis at" in log and "pubsub: Redis is back after" in log
    assert "Traceback" not in log


def test_redis_down_at_boot_pages_render_local_broadcasts_work_then_it_recovers(db: str) -> None:
    redis = RedisServer()  # not started: nothing listens on its port yet
    server = workers(redis.url, db)

    async def scenario() -> None:
        by_pid = await boards_in_both_workers(server.url, each=2)
        first, second = by_pid
        await by_pid[first][0].set(5)
        await until(lambda: all(b.state["value"] == 5 for b in by_pid[first]), "local 5")
        await asyncio.sleep(0.2)
        assert all(b.state["value"] == 0 for b in by_pid[second])  # no Redis: not there
        redis.start()
        await until(lambda: all(b.state["gaps"] == 1 for b in every(by_pid)), "the catch-up")
        assert all(b.state["value"] == 5 for b in every(by_pid))
        await by_pid[second][0].set(6)
        await until(lambda: all(b.state["value"] == 6 for b in every(by_pid)), "shared 6")
        for board in every(by_pid):
            await board.close()

    try:
        run(scenario())
    finally:
        server.stop()
        redis.stop()


def test_redis_holds_two_connections_per_worker_while_500_sessions_come_and_go(
    redis: RedisServer, db: str
) -> None:
    server = workers(redis.url, db)
    samples: list[int] = []

    async def scenario() -> None:
        sampling = True

        async def sample() -> None:
            while sampling:
                samples.append(await asyncio.to_thread(redis.clients))
                await asyncio.sleep(0.05)

        sampler = asyncio.create_task(sample())
        for wave in range(10):
            boards = await asyncio.gather(*(Board.open(server.url) for _ in range(50)))
            await boards[0].set(wave)
            await until(
                lambda w=wave, bs=boards: all(b.state["value"] == w for b in bs),  # type: ignore[misc]
                f"wave {wave}",
            )
            for board in boards:
                await board.close()
        sampling = False
        await sampler

    try:
        run(scenario(), timeout=180)
    finally:
        server.stop()
    assert len(samples) > 10
    assert max(samples) <= 2 * WORKERS + 2, samples
    assert max(samples) >= WORKERS  # each worker's subscription at least
