"""The live dashboard's numbers: a telemetry handler (``pylive.telemetry``) that keeps, in
bounded memory, what ``pylive.dashboard`` shows — live views per view, events per second,
p50/p99 of mount, handle_event and render per view, bytes sent, the slowest events, memory.

>>> now = [100.0]
>>> metrics = DashboardMetrics(clock=lambda: now[0], memory=lambda: 50_000_000)
>>> metrics.handle(EVENT_STOP, {"duration": 3_000_000}, {"view": "Counter", "event": "inc"})
>>> now[0] = 101.5
>>> snap = metrics.snapshot(live_views={"Counter": 2})
>>> snap.sessions, snap.events_per_second, snap.memory
(2, 1, 50000000)
>>> snap.views[0].handle_event
Percentiles(count=1, p50=3000000, p99=3000000)
>>> snap.slowest
(SlowEvent(view='Counter', event='inc', duration=3000000, at=100.0),)

``metrics.attach()`` makes it a telemetry handler (``detach()`` undoes it); the live views
come from the runtime (``app.live_views``), passed to ``snapshot``. Everything it keeps
is bounded: percentiles over the last ``samples`` calls of each view and callback (a ring), at
most ``max_views`` view names (the rest share one row, ``OTHER``), the ``slowest`` events
only, with event names — which clients choose — cut to ``MAX_LABEL`` characters, and per-second
figures for the last ``history`` seconds. Thread-safe: handlers may run in several threads (a
server per thread, callbacks in worker threads).
"""

from __future__ import annotations

import bisect
import itertools
import math
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from pylive import telemetry

if sys.platform != "win32":
    import resource

MOUNT_STOP: telemetry.Event = ("pylive", "live_view", "mount", "stop")
EVENT_STOP: telemetry.Event = ("pylive", "live_view", "handle_event", "stop")
RENDER_STOP: telemetry.Event = ("pylive", "live_view", "render", "stop")
COMPONENT_EVENT_STOP: telemetry.Event = ("pylive", "live_component", "handle_event", "stop")
FRAME_SENT: telemetry.Event = ("pylive", "socket", "frame", "sent")
VIEW_EXCEPTIONS: tuple[telemetry.Event, ...] = tuple(
    ("pylive", "live_view", name, "exception") for name in telemetry.VIEW_CALLBACKS
)
EVENTS: tuple[telemetry.Event, ...] = (
    MOUNT_STOP,
    EVENT_STOP,
    RENDER_STOP,
    COMPONENT_EVENT_STOP,
    FRAME_SENT,
    *VIEW_EXCEPTIONS,
)
"""What the collector listens to."""

OTHER = "(other views)"
"""The row of the views past ``max_views``."""
MAX_LABEL = 80
"""Characters of an event name kept (clients choose event names)."""


@attrs.frozen
class Percentiles:
    """Nearest-rank percentiles of the last ``count`` durations (ns)."""

    count: int
    p50: int
    p99: int


@attrs.frozen
class ViewStats:
    """One view's row: live views now, calls counted, durations, bytes its pages were sent."""

    view: str
    sessions: int
    mounts: int
    events: int
    renders: int
    errors: int
    bytes_sent: int
    mount: Percentiles | None
    handle_event: Percentiles | None
    render: Percentiles | None


@attrs.frozen
class SlowEvent:
    """One of the slowest ``handle_event`` calls: its view (or component class), event name,
    duration (ns) and when (the collector's clock, seconds)."""

    view: str
    event: str
    duration: int
    at: float


@attrs.frozen
class Snapshot:
    """The figures at one moment. Series are per second, oldest first, at most ``history``
    values since the collector began: ``events_series`` and ``bytes_series`` the complete
    seconds before this one, ``sessions_series`` and ``memory_series`` up to now, from their
    first sample."""

    uptime: float
    sessions: int
    events_per_second: int
    bytes_per_second: int
    bytes_sent: int
    memory: int
    views: tuple[ViewStats, ...]
    slowest: tuple[SlowEvent, ...]
    events_series: tuple[int, ...]
    bytes_series: tuple[int, ...]
    sessions_series: tuple[int, ...]
    memory_series: tuple[int, ...]


def percentiles(durations: Iterable[int]) -> Percentiles | None:
    """p50 and p99 by nearest rank (the ``ceil(p/100 · n)``-th smallest); None if empty."""
    ordered = sorted(durations)
    if not ordered:
        return None
    n = len(ordered)
    return Percentiles(n, ordered[math.ceil(0.5 * n) - 1], ordered[math.ceil(0.99 * n) - 1])


def rss_bytes() -> int:
    """The process's resident memory now, in bytes (``/proc/self/statm``); where there is no
    ``/proc``, its peak (``getrusage``); 0 on Windows."""
    if sys.platform == "win32":
        return 0
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024  # macOS: bytes, else KiB


class Ring:
    """A value per second for the last ``size`` seconds: slot ``second % size``, stamped."""

    __slots__ = ("size", "stamps", "values")

    def __init__(self, size: int) -> None:
        self.size = size
        self.stamps = [-1] * size
        self.values = [0] * size

    def add(self, second: int, amount: int) -> None:
        slot = second % self.size
        if self.stamps[slot] != second:
            self.stamps[slot] = second
            self.values[slot] = 0
        self.values[slot] += amount

    def set(self, second: int, value: int) -> None:
        slot = second % self.size
        self.stamps[slot] = second
        self.values[slot] = value

    def get(self, second: int) -> int | None:
        slot = second % self.size
        return self.values[slot] if self.stamps[slot] == second else None

    def counts(self, first: int, last: int) -> tuple[int, ...]:
        """Seconds ``first`` to ``last``; a second with nothing recorded is 0."""
        return tuple(self.get(s) or 0 for s in range(first, last + 1))

    def samples(self, first: int, last: int) -> tuple[int, ...]:
        """Seconds from the first sampled one in ``first..last`` to ``last``, a second not
        sampled carrying the one before."""
        values: list[int] = []
        for second in range(first, last + 1):
            value = self.get(second)
            if value is not None:
                values.append(value)
            elif values:
                values.append(values[-1])
        return tuple(values)


class ViewRecord:
    """What is kept of one view: counters and the last durations of its callbacks."""

    __slots__ = ("bytes_sent", "errors", "events", "mounts", "renders", "timings")

    def __init__(self, samples: int) -> None:
        self.mounts = 0
        self.events = 0
        self.renders = 0
        self.errors = 0
        self.bytes_sent = 0
        self.timings: dict[str, deque[int]] = {
            name: deque(maxlen=samples) for name in ("mount", "handle_event", "render")
        }

    def stats(self, name: str, sessions: int) -> ViewStats:
        return ViewStats(
            name,
            sessions,
            self.mounts,
            self.events,
            self.renders,
            self.errors,
            self.bytes_sent,
            percentiles(self.timings["mount"]),
            percentiles(self.timings["handle_event"]),
            percentiles(self.timings["render"]),
        )


_ids = itertools.count(1)


class DashboardMetrics:
    """The collector: ``attach()`` it to telemetry, read ``snapshot()`` (see the module)."""

    def __init__(
        self,
        *,
        history: int = 60,
        samples: int = 1000,
        max_views: int = 50,
        slowest: int = 10,
        clock: Callable[[], float] = time.monotonic,
        memory: Callable[[], int] = rss_bytes,
    ) -> None:
        for name, value in (
            ("history", history),
            ("samples", samples),
            ("max_views", max_views),
            ("slowest", slowest),
        ):
            if not isinstance(value, int) or value < 1:
                raise ValueError(
                    f"DashboardMetrics({name}=...): expected an int >= 1, got {value!r}"
                )
        self.history = history
        self.samples = samples
        self.max_views = max_views
        self.keep_slowest = slowest
        self.clock = clock
        self.memory = memory
        self.handler_id = f"pylive.dashboard_metrics:{next(_ids)}"
        self.attached = False
        self.started = clock()
        self._lock = threading.Lock()
        self._views: dict[str, ViewRecord] = {}
        self._slowest: list[tuple[int, int, SlowEvent]] = []  # (-duration, seq, event), sorted
        self._seq = itertools.count()
        self._bytes_sent = 0
        self._events = Ring(history + 1)  # the complete seconds and the current one
        self._bytes = Ring(history + 1)
        self._sessions = Ring(history + 1)
        self._memory = Ring(history + 1)
        self._handlers: dict[telemetry.Event, Callable[[dict[str, Any], dict[str, Any]], None]] = {
            MOUNT_STOP: self._mounted,
            EVENT_STOP: self._event,
            RENDER_STOP: self._rendered,
            COMPONENT_EVENT_STOP: self._component_event,
            FRAME_SENT: self._sent,
            **dict.fromkeys(VIEW_EXCEPTIONS, self._failed),
        }

    def attach(self) -> DashboardMetrics:
        """Listen to telemetry (``EVENTS``) from now on (once); returns the collector."""
        with self._lock:
            if not self.attached:
                telemetry.attach(self.handler_id, EVENTS, self.handle)
                self.attached = True
        return self

    def detach(self) -> bool:
        """Stop listening; whether it was attached."""
        with self._lock:
            self.attached = False
            return telemetry.detach(self.handler_id)

    def handle(
        self, event: telemetry.Event, measurements: dict[str, Any], metadata: dict[str, Any]
    ) -> None:
        """The telemetry handler: one event counted (others are ignored)."""
        handler = self._handlers.get(event)
        if handler is not None:
            with self._lock:
                handler(measurements, metadata)

    def reset(self) -> None:
        """Forget counts, durations and the slowest events (the per-second history stays)."""
        with self._lock:
            self._views.clear()
            self._slowest.clear()
            self._bytes_sent = 0

    # -- the handlers (under the lock) -----------------------------------------------------------

    def _key(self, view: Any) -> str:
        """The row of ``view``, made if new: its name, or ``OTHER`` past ``max_views``."""
        name = str(view)
        if name not in self._views:
            if len(self._views) >= self.max_views:
                name = OTHER
            if name not in self._views:
                self._views[name] = ViewRecord(self.samples)
        return name

    def _record(self, view: Any) -> ViewRecord:
        return self._views[self._key(view)]

    def _second(self) -> int:
        return int(self.clock())

    def _mounted(self, measurements: dict[str, Any], metadata: dict[str, Any]) -> None:
        record = self._record(metadata.get("view"))
        record.mounts += 1
        record.timings["mount"].append(int(measurements["duration"]))

    def _rendered(self, measurements: dict[str, Any], metadata: dict[str, Any]) -> None:
        record = self._record(metadata.get("view"))
        record.renders += 1
        record.timings["render"].append(int(measurements["duration"]))

    def _event(self, measurements: dict[str, Any], metadata: dict[str, Any]) -> None:
        record = self._record(metadata.get("view"))
        record.events += 1
        duration = int(measurements["duration"])
        record.timings["handle_event"].append(duration)
        self._events.add(self._second(), 1)
        self._slow(str(metadata.get("view")), metadata.get("event"), duration)

    def _component_event(self, measurements: dict[str, Any], metadata: dict[str, Any]) -> None:
        self._events.add(self._second(), 1)
        component = str(metadata.get("component")).partition("(")[0]  # the class, not its id
        self._slow(component, metadata.get("event"), int(measurements["duration"]))

    def _failed(self, measurements: dict[str, Any], metadata: dict[str, Any]) -> None:
        self._record(metadata.get("view")).errors += 1

    def _sent(self, measurements: dict[str, Any], metadata: dict[str, Any]) -> None:
        size = int(measurements["bytes"])
        self._bytes_sent += size
        self._bytes.add(self._second(), size)
        view = metadata.get("view")
        if view is not None:
            self._record(view).bytes_sent += size

    def _slow(self, view: str, event: Any, duration: int) -> None:
        kept = self._slowest
        if len(kept) >= self.keep_slowest and -duration >= kept[-1][0]:
            return  # not slower than the fastest one kept
        slow = SlowEvent(view[:MAX_LABEL], str(event)[:MAX_LABEL], duration, self.clock())
        bisect.insort(kept, (-duration, next(self._seq), slow))
        del kept[self.keep_slowest :]

    # -- reading ---------------------------------------------------------------------------------

    def snapshot(self, live_views: Mapping[str, int] | None = None) -> Snapshot:
        """The figures now, with ``live_views`` (view name → live views now, as
        ``app.live_views.now()`` tells); samples them and the memory (once a second)."""
        with self._lock:
            now = self.clock()
            second = int(now)
            live: dict[str, int] = {}
            for name, n in (live_views or {}).items():
                key = self._key(name)
                live[key] = live.get(key, 0) + n
            sessions = sum(live.values())
            self._sessions.set(second, sessions)
            memory = self._memory.get(second)
            if memory is None:
                memory = self.memory()
                self._memory.set(second, memory)
            began = int(self.started)
            first = max(began, second - self.history)  # counts: the complete seconds
            sampled = max(began, second - self.history + 1)  # samples: up to now
            views = tuple(
                self._views[name].stats(name, live.get(name, 0))
                for name in sorted(self._views, key=lambda n: (n == OTHER, n))
            )
            return Snapshot(
                uptime=now - self.started,
                sessions=sessions,
                events_per_second=self._events.get(second - 1) or 0,
                bytes_per_second=self._bytes.get(second - 1) or 0,
                bytes_sent=self._bytes_sent,
                memory=memory,
                views=views,
                slowest=tuple(slow for _, _, slow in self._slowest),
                events_series=self._events.counts(first, second - 1),
                bytes_series=self._bytes.counts(first, second - 1),
                sessions_series=self._sessions.samples(sampled, second),
                memory_series=self._memory.samples(sampled, second),
            )
