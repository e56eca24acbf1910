"""The test client's clock for client-side timers, and ``phx-debounce`` / ``phx-throttle`` on it.

The browser delays or drops events by ``phx-debounce`` and ``phx-throttle`` with its own timers.
The test client keeps those timers on a ``Clock`` of its own that moves only when the test moves
it (``view.advance(ms)``, or ``view.sleep(ms)``, which also lets the server's timers run for real),
so a debounce test never waits in real time.

``RateLimits`` decides, per element and binding, whether an event's action runs now, later or
never:

- ``phx-debounce="300"`` (ms; an empty value is 300): the action runs once the element has been
  quiet for that long, with what it holds then; leaving the element (``blur``) runs a pending one
  at once;
- ``phx-debounce="blur"``: the action waits for the element's blur and then runs once, and only
  if the value changed since it last ran (or was rendered);
- ``phx-throttle="300"`` (ms; an empty value is 300): the first action runs at once and opens an
  interval; the actions within it are dropped, but for an element with a value of the user's
  (an input, a select …), whose last one runs when the interval ends: the final value is never
  lost.

A form's submit first runs its controls' pending actions, in the order they were first held,
as ``client.js``'s ``rate_limit.mjs`` does.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Hashable, Iterable
from typing import Final

DEFAULT_MS: Final = 300
"""What ``phx-debounce`` or ``phx-throttle`` with an empty value means, as in LiveView."""
DEBOUNCE: Final = "phx-debounce"
THROTTLE: Final = "phx-throttle"
BLUR: Final = -1
"""``Limit.ms`` of ``phx-debounce="blur"``."""

Action = Callable[[], None]


class Timer:
    """An action due at ``due`` ms on a ``Clock``."""

    __slots__ = ("action", "cancelled", "due", "seq")

    def __init__(self, due: float, seq: int, action: Action) -> None:
        self.due = due
        self.seq = seq
        self.action = action
        self.cancelled = False

    def __lt__(self, other: Timer) -> bool:
        return (self.due, self.seq) < (other.due, other.seq)

    def cancel(self) -> None:
        self.cancelled = True


class Clock:
    """Milliseconds since the client started, moved only by ``advance`` (see the module)."""

    def __init__(self) -> None:
        self.now: float = 0
        self._timers: list[Timer] = []
        self._seq = 0

    def call_later(self, ms: float, action: Action) -> Timer:
        self._seq += 1
        timer = Timer(self.now + ms, self._seq, action)
        heapq.heappush(self._timers, timer)
        return timer

    def next_due(self) -> float | None:
        """When the next timer is due, if one is set."""
        while self._timers and self._timers[0].cancelled:
            heapq.heappop(self._timers)
        return self._timers[0].due if self._timers else None

    def pop_due(self, until: float) -> Timer | None:
        """The next timer due by ``until``, taken off the clock, which moves to its time."""
        due = self.next_due()
        if due is None or due > until:
            return None
        timer = heapq.heappop(self._timers)
        self.now = max(self.now, timer.due)
        return timer


class Limit:
    """An element's rate limit: ``debounce`` ms (``BLUR`` for ``"blur"``) or ``throttle`` ms."""

    __slots__ = ("kind", "ms")

    def __init__(self, kind: str, ms: float) -> None:
        self.kind = kind
        self.ms = ms

    def __repr__(self) -> str:
        shown = '"blur"' if self.ms == BLUR else str(self.ms)
        return f"{self.kind}={shown}"


class LimitError(AssertionError):
    """A ``phx-debounce`` or ``phx-throttle`` value the browser would not understand."""


def limit_of(
    attrs: Iterable[tuple[str | None, str | None]], where: Callable[[], str]
) -> Limit | None:
    """The rate limit named by the first ``(phx-debounce, phx-throttle)`` pair that has one (an
    element's own, then its form's)."""
    for debounce, throttle in attrs:
        for name, value in ((DEBOUNCE, debounce), (THROTTLE, throttle)):
            if value is None:
                continue
            text = value.strip()
            if text == "":
                return Limit(name, DEFAULT_MS)
            if name == DEBOUNCE and text == "blur":
                return Limit(name, BLUR)
            try:
                ms = float(text)
            except ValueError:
                ms = -1
            if ms >= 0 and ms != float("inf"):
                return Limit(name, ms)
            expected = 'milliseconds or "blur"' if name == DEBOUNCE else "milliseconds"
            raise LimitError(f'{name}="{value}": expected {expected}, got {value!r}\n{where()}')
    return None


class _Entry:
    """The rate-limit state of one element's binding."""

    __slots__ = ("action", "form", "last", "order", "signature", "timer", "window")

    def __init__(self) -> None:
        self.action: Action | None = None  # pending
        self.signature: object = None
        self.last: object = None  # the value last sent (or rendered)
        self.timer: Timer | None = None
        self.window = False  # a throttle interval is open
        self.form: Hashable = None
        self.order = 0


class RateLimits:
    """``phx-debounce`` and ``phx-throttle`` on a ``Clock``; see the module's docstring."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._entries: dict[tuple[int, str], _Entry] = {}
        self._order = 0

    def run(
        self,
        key: tuple[int, str],
        limit: Limit | None,
        action: Action,
        *,
        trailing: bool = False,
        signature: object = None,
        initial: object = None,
        form: Hashable = None,
    ) -> bool:
        """Run ``action`` for the binding ``key`` (element identity, binding) now, later or
        never, as ``limit`` says; ``trailing``: the element has a value of the user's (a
        throttle runs its last action at the interval's end); ``signature``: its value now, and
        ``initial`` as rendered, for ``"blur"``; ``form``: the form whose submit runs the
        pending action first. Returns whether it ran now."""
        if limit is None:
            action()
            return True
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry()
            entry.last = initial
        entry.form = form
        if limit.kind == DEBOUNCE:
            self._pend(entry, action, signature)
            if limit.ms != BLUR:
                if entry.timer is not None:
                    entry.timer.cancel()
                entry.timer = self.clock.call_later(limit.ms, lambda: self._fire(entry))
            return False
        if entry.window:
            if trailing:
                self._pend(entry, action, signature)
            return False
        entry.action = None
        self._ran(entry, action, signature)
        self._open(entry, limit.ms, trailing)
        return True

    def _pend(self, entry: _Entry, action: Action, signature: object) -> None:
        if entry.action is None:
            self._order += 1
            entry.order = self._order
        entry.action = action
        entry.signature = signature

    def _ran(self, entry: _Entry, action: Action, signature: object) -> None:
        entry.last = signature
        action()

    def _fire(self, entry: _Entry) -> None:
        entry.timer = None
        self._flush(entry)

    def _flush(self, entry: _Entry, only_changed: bool = False) -> None:
        action = entry.action
        if action is None:
            return
        entry.action = None
        if entry.timer is not None:
            entry.timer.cancel()
            entry.timer = None
        if only_changed and entry.signature == entry.last:
            return
        self._ran(entry, action, entry.signature)

    def _open(self, entry: _Entry, ms: float, trailing: bool) -> None:
        entry.window = True

        def close() -> None:
            entry.window = False
            if trailing and entry.action is not None:
                action, signature = entry.action, entry.signature
                entry.action = None
                self._ran(entry, action, signature)
                self._open(entry, ms, trailing)

        self.clock.call_later(ms, close)

    def blur(self, token: int) -> None:
        """The element ``token`` lost focus: its pending debounced actions run (a ``"blur"`` one
        only if its value changed since it last ran)."""
        for (owner, _), entry in list(self._entries.items()):
            if owner == token and not entry.window:
                self._flush(entry, only_changed=entry.timer is None)

    def submit(self, form: Hashable) -> None:
        """``form`` is submitted: its controls' pending changes run first, in order."""
        pending = [e for e in self._entries.values() if e.form == form and e.action is not None]
        for entry in sorted(pending, key=lambda e: e.order):
            self._flush(entry)

    @property
    def active(self) -> bool:
        """Whether any element has rate-limit state."""
        return bool(self._entries)

    def bound(self, token: int) -> bool:
        """Whether the element ``token`` has rate-limit state (a pending action or a history)."""
        return any(owner == token for owner, _ in self._entries)

    def forget(self, alive: set[int]) -> None:
        """Drop the state of elements that left the page (their pending actions with it)."""
        for key in [k for k in self._entries if k[0] not in alive]:
            entry = self._entries.pop(key)
            if entry.timer is not None:
                entry.timer.cancel()
