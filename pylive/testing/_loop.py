"""Running event loops from synchronous test code while Playwright's loop sits idle.

The in-process test client is synchronous: each call runs its private event loop until the answer
arrives, and plain ``def`` tests call ``asyncio.run`` too. Python refuses both in a thread where
another loop is registered as running, and Playwright's sync API (pytest-playwright's browser
fixtures) leaves exactly that behind: it starts a loop in the test's thread and keeps it
registered as running for the rest of the session, while it sits suspended in a greenlet and runs
nothing. ``idle_loop_set_aside()`` unregisters such an idle loop for a while and puts it back, so
that browser tests and in-process tests share one pytest run in any order: pylive's pytest plugin
uses it around every test that uses no Playwright fixture, the test client around each call.

A loop that is really running code at that moment (an ``async def`` test, a task on another
loop) cannot be set aside: that is refused, with an error that says so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")


@contextmanager
def idle_loop_set_aside(what: str | None = None) -> Iterator[None]:
    """While the block runs, no loop is registered as running in this thread, if the one that
    was is idle (see the module's docstring). A loop running a task is left alone, or refused
    with an error naming ``what`` when given."""
    registered = asyncio._get_running_loop()
    task = None if registered is None else asyncio.current_task(registered)
    if task is not None and what is not None:
        raise RuntimeError(
            f"{what} is synchronous and runs its own event loop, but it was called from inside "
            f"a running asyncio task ({task.get_name()!r}: an `async def` test, or code run by "
            "another event loop); call it from a plain `def` test"
        )
    if registered is None or task is not None:
        yield
        return
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        if asyncio._get_running_loop() is None:  # unless the block registered a loop of its own
            asyncio._set_running_loop(registered)


def run_sync(loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, T], what: str) -> T:
    """``loop.run_until_complete(coro)`` from synchronous code, whatever idle loop this thread
    has registered. ``what`` names the caller in the error."""
    if asyncio._get_running_loop() is loop:
        coro.close()
        raise RuntimeError(
            f"{what} was called from inside the test client's own event loop (from a view's "
            "callback?): call it from the test's code"
        )
    try:
        with idle_loop_set_aside(what):
            return loop.run_until_complete(coro)
    except BaseException:
        coro.close()  # not started (refused) or finished: closing is a no-op or frees it
        raise
