"""Calling user callbacks that may be ``def`` or ``async def``, so that one slow view cannot
stall the others.

An ``async def`` callback runs on the event loop, as written. A plain ``def`` callback runs
inline while it is quick; one that holds the loop longer than ``BLOCKING_SECONDS`` (it called
``time.sleep``, a blocking database driver, a long computation) is suspected, with a warning in
the log, and its next call runs in a worker thread while its view waits (the view's turn is
held, so its state is never touched by two threads at once): slow there too, it blocks, and it
runs in a thread from then on; quick there, it was the machine (a preemption, a profiler, a
pause of the whole process) and it goes back to running inline. Either way a blocking callback
stalls the loop once. ``@in_thread`` says so up front for a callback known to block.

Why not a thread for every call: a hop to a worker thread and back costs 130-200 µs of CPU on
a 2-core machine (measured, ``docs/reliability.md``), several times a whole click's work, while
the quick callbacks are nearly all of them.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

log = logging.getLogger("pylive")

BLOCKING_SECONDS = 0.020
"""How long a plain ``def`` callback may hold the event loop before it is moved to a thread."""

_blocking: set[Any] = set()
"""The functions seen blocking the loop (the function object, not a bound method)."""
_suspected: set[Any] = set()
"""The functions whose last inline call was slow: the next runs in a thread, to tell."""


async def call(fn: Callable[..., Any], *args: Any) -> Any:
    """Call ``fn(*args)`` (in a worker thread if it is known or suspected to block) and await
    the result when it is awaitable."""
    key = getattr(fn, "__func__", fn)
    if key in _blocking:
        result = await asyncio.to_thread(fn, *args)
    elif key in _suspected:
        result = await _tell(key, fn, args)
    else:
        start = time.perf_counter()
        result = fn(*args)
        if result is not None and inspect.isawaitable(result):  # None: most callbacks
            return await result
        elapsed = time.perf_counter() - start
        if elapsed > BLOCKING_SECONDS:
            _suspected.add(key)
            log.warning(
                "%s held the event loop for %.0f ms, stalling every other session: its next "
                "call runs in a worker thread (make it `async def`, or keep it under %.0f ms)",
                _name(fn),
                elapsed * 1000,
                BLOCKING_SECONDS * 1000,
            )
    if result is not None and inspect.isawaitable(result):
        result = await result
    return result


async def _tell(key: Any, fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    """Run a suspected callback in a thread; slow there too, it blocks: keep it there."""
    start = time.perf_counter()
    try:
        return await asyncio.to_thread(fn, *args)
    finally:
        elapsed = time.perf_counter() - start
        _suspected.discard(key)
        if elapsed > BLOCKING_SECONDS:
            _blocking.add(key)
            log.warning(
                "%s blocks (%.0f ms again, in a thread): it runs in a worker thread from now on",
                _name(fn),
                elapsed * 1000,
            )
        else:
            log.info("%s took %.1f ms in a thread: back on the loop", _name(fn), elapsed * 1000)


def _name(fn: Callable[..., Any]) -> str:
    return str(getattr(fn, "__qualname__", fn))


def runs_in_thread(fn: Callable[..., Any]) -> bool:
    """Whether ``call`` runs ``fn`` in a worker thread (seen blocking, or ``in_thread``)."""
    return getattr(fn, "__func__", fn) in _blocking


F = TypeVar("F", bound=Callable[..., Any])


def in_thread(fn: F) -> F:
    """Run this plain ``def`` callback in a worker thread from its first call, never on the
    event loop: for a callback known to block (a slow database driver, file I/O, a long
    computation), so that not even its first call stalls the other sessions.

    >>> from pylive import LiveView, in_thread
    >>> class Report(LiveView):
    ...     @in_thread
    ...     def handle_event(self, event, params, socket):
    ...         socket.assign(rows=run_the_slow_query())
    """
    if inspect.iscoroutinefunction(fn):
        raise TypeError(
            f"in_thread: expected a plain def callback, got the coroutine function "
            f"{fn.__qualname__} (it already runs on the event loop without blocking it)"
        )
    _blocking.add(fn)
    return fn
