"""Calling plain ``def`` callbacks: quick ones inline on the loop; one slow inline call makes
the next run in a thread, where a blocking callback is slow again and stays there, while one
that was only paused with the machine goes back inline."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterator

import pytest

import pylive._callbacks as callbacks


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(callbacks, "_blocking", set())
    monkeypatch.setattr(callbacks, "_suspected", set())
    yield


def where(calls: list[str], pause: list[float]) -> object:
    """A callback recording the thread of each call, sleeping as long as ``pause`` says."""

    def callback() -> None:
        calls.append("loop" if threading.current_thread() is threading.main_thread() else "thread")
        time.sleep(pause.pop(0) if pause else 0)

    return callback


def test_a_callback_that_blocks_stalls_the_loop_once_then_lives_in_a_thread(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls: list[str] = []
    fn = where(calls, [0.05, 0.05, 0.05])

    async def scenario() -> None:
        for _ in range(4):
            await callbacks.call(fn)  # type: ignore[arg-type]

    with caplog.at_level(logging.INFO, "pylive"):
        asyncio.run(scenario())
    assert calls == ["loop", "thread", "thread", "thread"]
    assert callbacks.runs_in_thread(fn)  # type: ignore[arg-type]
    said = [r.getMessage() for r in caplog.records]
    assert said[0].startswith("where.<locals>.callback held the event loop for ")
    assert said[0].endswith(
        "its next call runs in a worker thread (make it `async def`, or keep it under 20 ms)"
    )
    assert said[1].startswith("where.<locals>.callback blocks (")
    assert said[1].endswith("in a thread): it runs in a worker thread from now on")
    assert len(said) == 2


def test_a_callback_slow_once_because_the_machine_paused_goes_back_inline(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls: list[str] = []
    fn = where(calls, [0.05])  # slow once (as a preempted or profiled process is), then quick

    async def scenario() -> None:
        for _ in range(4):
            await callbacks.call(fn)  # type: ignore[arg-type]

    with caplog.at_level(logging.INFO, "pylive"):
        asyncio.run(scenario())
    assert calls == ["loop", "thread", "loop", "loop"]
    assert not callbacks.runs_in_thread(fn)  # type: ignore[arg-type]
    said = [r.getMessage() for r in caplog.records]
    assert said[1].startswith("where.<locals>.callback took ")
    assert said[1].endswith(" ms in a thread: back on the loop")


def test_a_suspected_callback_that_raises_in_its_thread_is_judged_all_the_same() -> None:
    calls = 0

    def failing_later() -> None:
        nonlocal calls
        calls += 1
        time.sleep(0.05)
        if calls > 1:
            raise ValueError("the callback's own error")

    async def scenario() -> None:
        await callbacks.call(failing_later)  # slow inline: suspected
        with pytest.raises(ValueError, match="the callback's own error"):
            await callbacks.call(failing_later)  # slow in its thread too, and raising

    asyncio.run(scenario())
    assert callbacks.runs_in_thread(failing_later)
