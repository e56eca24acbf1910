"""``ViewCounts``: how many live views of each view an app has now (``app.live_views``),
counted by the session layer as views join (their page has its tree) and leave.

>>> counts = ViewCounts()
>>> counts.joined("Counter"); counts.joined("Counter"); counts.joined("Chat")
>>> counts.left("Counter")
>>> counts.now(), counts.total()
({'Chat': 1, 'Counter': 1}, 2)

What the live dashboard shows as live views per view; thread-safe (a view joins on its
connection's loop, a dashboard may read from another).
"""

from __future__ import annotations

import threading


class ViewCounts:
    """Live views by view name (``lifecycle.name_of``: the class's qualified name)."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def joined(self, view: str) -> None:
        with self._lock:
            self._counts[view] = self._counts.get(view, 0) + 1

    def left(self, view: str) -> None:
        with self._lock:
            n = self._counts.get(view, 0) - 1
            if n > 0:
                self._counts[view] = n
            else:
                self._counts.pop(view, None)

    def now(self) -> dict[str, int]:
        """Each view with live views, and how many, by name."""
        with self._lock:
            return dict(sorted(self._counts.items()))

    def total(self) -> int:
        with self._lock:
            return sum(self._counts.values())
