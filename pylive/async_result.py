"""``AsyncResult``: the state of an assign loaded in the background (``socket.assign_async``),
LiveView's ``%AsyncResult{}`` — and ``async_result``, the component that renders it.

While the work runs, ``loading`` is true (with ``reset=False`` a previous ``result`` stays
shown); then ``ok`` is True and ``result`` the value, or ``failed`` is what ended it (the
exception the function raised, or the ``AsyncCancelled`` of ``socket.cancel_async``).

>>> from pylive.html import p
>>> from pylive.render import render_html
>>> org = AsyncResult.loading_()
>>> render_html(async_result(org, loading=p("Loading…"), ok=lambda o: p(o["name"])))
'<p>Loading…</p>'
>>> render_html(async_result(org.finished({"name": "Acme"}), ok=lambda o: p(o["name"])))
'<p>Acme</p>'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs


class AsyncCancelled(Exception):
    """Why an async assign or task was cancelled (``socket.cancel_async(..., reason)``)."""

    def __init__(self, reason: Any = "cancelled") -> None:
        super().__init__(reason)
        self.reason = reason


@attrs.frozen
class AsyncResult:
    """One async assign's state: ``loading``, ``ok``, ``failed``, ``result``."""

    ok: bool = False
    loading: bool = False
    failed: BaseException | None = None
    result: Any = None

    @classmethod
    def loading_(cls, previous: AsyncResult | None = None) -> AsyncResult:
        """Loading; ``previous``'s result (and ok) kept, as without ``reset``."""
        if previous is None:
            return cls(loading=True)
        return cls(ok=previous.ok, loading=True, result=previous.result)

    def finished(self, value: Any) -> AsyncResult:
        return AsyncResult(ok=True, result=value)

    def failing(self, error: BaseException) -> AsyncResult:
        """Failed with ``error``; a result shown before stays (``ok`` goes)."""
        return AsyncResult(failed=error, result=self.result)


def async_result(
    assign: AsyncResult,
    *,
    loading: Any = None,
    failed: Callable[[BaseException], Any] | Any = None,
    ok: Callable[[Any], Any] | None = None,
) -> Any:
    """What to show for ``assign`` (LiveView's ``<.async_result>``): ``loading`` while it loads
    (and there is no result yet), ``failed(error)`` once it failed, ``ok(result)`` once it has a
    result. ``failed`` may be a tree instead of a function; a part not given shows nothing."""
    if not isinstance(assign, AsyncResult):
        raise TypeError(
            f"async_result: expected an AsyncResult (an assign of socket.assign_async), got "
            f"{assign!r}"
        )
    if assign.failed is not None:
        return failed(assign.failed) if callable(failed) else failed
    if assign.ok and ok is not None:
        return ok(assign.result)
    if assign.loading:
        return loading
    return None
