"""The background work of one live view: ``socket.assign_async`` and ``socket.start_async``.

A plain function runs in a worker thread (the loop's default executor), an ``async def`` as a
task on the view's loop. Each job has a key — its owner (the view, or a live component by cid),
its kind (``assign`` or ``start``) and its name — and a new job for a key replaces the one
running (its result is dropped). A finished job is handed to the connection's mailbox, so it is
applied in the view's turn like any message; a job whose view has gone (terminate, crash,
navigation away) or that was replaced or cancelled delivers nothing. Tasks are cancelled with
the view; a thread cannot be stopped, so its result is dropped when it comes.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Callable
from typing import Any

import attrs

from pylive.async_result import AsyncCancelled

JobKey = tuple[int | None, str, str]
"""(owner cid or None for the view, "assign" or "start", the name)."""


@attrs.define(eq=False)
class Job:
    key: JobKey
    keys: tuple[str, ...]
    """For an ``assign`` job: the assigns it fills (one: its value; several: a dict of them)."""
    future: asyncio.Future[Any] | None = None


class AsyncTasks:
    """The running jobs of one live view. ``deliver(job, outcome)`` is called on the view's loop
    with ``("ok", value)`` or ``("exit", exception)``, for jobs still current only."""

    def __init__(self, deliver: Callable[[Job, tuple[str, Any]], None]) -> None:
        self.deliver = deliver
        self.running: dict[JobKey, Job] = {}

    def start(self, key: JobKey, keys: tuple[str, ...], fn: Callable[[], Any]) -> Job:
        self.drop(key)
        job = Job(key, keys)
        loop = asyncio.get_running_loop()
        if inspect.iscoroutinefunction(fn):
            future: asyncio.Future[Any] = loop.create_task(fn())
        else:
            future = loop.run_in_executor(None, functools.partial(fn))
        job.future = future
        self.running[key] = job
        future.add_done_callback(functools.partial(self._done, job))
        return job

    def _done(self, job: Job, future: asyncio.Future[Any]) -> None:
        if self.running.get(job.key) is not job:
            return  # replaced, cancelled, or the view has gone
        del self.running[job.key]
        if future.cancelled():
            outcome: tuple[str, Any] = ("exit", AsyncCancelled("cancelled"))
        elif future.exception() is not None:
            outcome = ("exit", future.exception())
        else:
            outcome = ("ok", future.result())
        self.deliver(job, outcome)

    def drop(self, key: JobKey) -> Job | None:
        """Forget the job of ``key`` (its result is never delivered); cancel it if a task."""
        job = self.running.pop(key, None)
        if job is not None and job.future is not None:
            job.future.cancel()
        return job

    def drop_owner(self, cid: int | None) -> None:
        """A live component left the page: its jobs go."""
        for key in [key for key in self.running if key[0] == cid]:
            self.drop(key)

    def stop(self) -> None:
        """The view has gone: every job goes, none delivers."""
        for key in list(self.running):
            self.drop(key)

    @property
    def idle(self) -> bool:
        return not self.running
