"""Calling user callbacks that may be ``def`` or ``async def``."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any


async def call(fn: Callable[..., Any], *args: Any) -> Any:
    """Call ``fn(*args)`` and await the result when it is awaitable."""
    result = fn(*args)
    if inspect.isawaitable(result):
        result = await result
    return result
