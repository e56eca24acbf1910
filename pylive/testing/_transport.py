"""The test client's connection to the server: an in-memory ``Transport`` of asyncio queues,
the collector of the tracebacks a call's crashes log, and the shutdown of a client's loop.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Final

import orjson

from pylive.testing._loop import run_sync


class Closed:
    """What the transport's outbox yields once the server closed the connection."""

    def __repr__(self) -> str:
        return "CLOSED"


CLOSED: Final = Closed()


class MemoryTransport:
    """A ``pylive.session.Transport`` over two asyncio queues: frames in, decoded frames out."""

    def __init__(self) -> None:
        self.inbox: asyncio.Queue[str | bytes | None] = asyncio.Queue()
        self.outbox: asyncio.Queue[dict[str, Any] | Closed] = asyncio.Queue()
        self.close_code: int | None = None
        self.close_reason = ""

    async def recv(self) -> str | bytes | None:
        if self.close_code is not None:
            return None
        return await self.inbox.get()

    async def send(self, text: str) -> None:
        frame = orjson.loads(text)
        if not isinstance(frame, dict):
            raise TypeError(f"the server sent a frame that is not a JSON object: {text!r}")
        self.outbox.put_nowait(frame)

    async def close(self, code: int, reason: str = "") -> None:
        if self.close_code is None:
            self.close_code = code
            self.close_reason = reason
            self.inbox.put_nowait(None)
            self.outbox.put_nowait(CLOSED)


class ErrorRecords(logging.Handler):
    """Error records of the ``pylive`` logger while a call runs: the tracebacks of crashes."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def shutdown(
    loop: asyncio.AbstractEventLoop,
    task: asyncio.Task[None],
    transport: MemoryTransport,
    errors: ErrorRecords | None = None,
) -> BaseException | None:
    """End the connection (the view terminates), cancel what is left, close the loop."""
    if loop.is_closed():
        return None
    error: BaseException | None = None
    logger = logging.getLogger("pylive")
    if errors is not None:
        logger.addHandler(errors)
    try:
        if not task.done():
            transport.inbox.put_nowait(None)
            run_sync(loop, asyncio.wait({task}, timeout=5), "closing the test client")
        if task.done() and not task.cancelled():
            error = task.exception()
        pending = asyncio.all_tasks(loop)
        for leftover in pending:
            leftover.cancel()
        if pending:
            gathered = asyncio.gather(*pending, return_exceptions=True)
            run_sync(loop, wait_for(gathered), "closing the test client")
        run_sync(loop, loop.shutdown_asyncgens(), "closing the test client")
        run_sync(loop, loop.shutdown_default_executor(), "closing the test client")
    except RuntimeError:  # finalised while a task runs in this thread: just close
        pass
    finally:
        if errors is not None:
            logger.removeHandler(errors)
        loop.close()
    return error


async def wait_for(future: asyncio.Future[Any]) -> Any:
    return await future
