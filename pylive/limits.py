"""``Limits``: everything a client can make the server hold, bounded, and the rate limiter.

Every limit is enforced on the server and configurable (``App(limits=Limits(...))``); the
defaults suit a public site. ``docs/security.md`` lists them with what happens past each one.
"""

from __future__ import annotations

import time
from collections import OrderedDict

import attrs


@attrs.define
class Limits:
    """Server-enforced limits, per websocket unless said otherwise."""

    max_message_bytes: int = 64 * 1024
    """Largest client frame accepted; a bigger one closes the socket (1009)."""
    events_per_second: float = 50.0
    """Sustained client frames per second (a token bucket refilled at this rate)."""
    event_burst: int = 100
    """Frames accepted at once before the rate applies. Refused frames have a budget of the same
    rate and burst: a client that keeps sending past it is disconnected (1008)."""
    max_crashes: int = 5
    """Crashes of one view in a row (without a successful event between) before the page reloads."""
    max_queued_events: int = 32
    """Client frames read and waiting for the view; past it the server stops reading the socket
    (backpressure), so a client cannot queue work faster than its view does it."""
    max_mailbox: int = 1000
    """Server messages (timers, ``send_self``, ``send_update``) waiting for one view; past it the
    view is taken down as a crash (it cannot keep up) and remounted."""
    max_outbound_bytes: int = 1024 * 1024
    """Bytes sent that the client has not read yet; past it the socket is closed (1013) and its
    buffer dropped. The client reconnects and gets a fresh render."""
    max_outbound_frames: int = 1000
    """Frames sent while the client is not reading; past it the socket is closed (1013)."""
    idle_timeout: float = 60.0
    """Seconds a websocket may send nothing (the client's heartbeat comes every 30 s) before it is
    closed (1001). 0 turns the check off."""
    shutdown_drain: float = 5.0
    """Seconds a server shutting down waits for a view to answer the events it already read."""
    http_keep_alive_timeout: float = 5.0
    """Seconds an idle HTTP connection (or one that never sends a byte) is kept open."""
    http_request_timeout: float = 10.0
    """Seconds a client has to send a whole HTTP request (408 after)."""
    max_connections_per_ip: int = 256
    """Open TCP connections from one client address (per worker process); past it new ones get 503.
    0 turns the cap off (put it at the reverse proxy then)."""
    websocket_connects_per_second: float = 20.0
    """Websocket handshakes per client address per second (a token bucket); past it: 429."""
    websocket_connect_burst: int = 200
    """Handshakes accepted at once from one address before the rate applies."""
    max_uploads_per_view: int = 20
    """``allow_upload`` configs one view may hold."""
    max_upload_bytes_in_flight: int = 100_000_000
    """Declared bytes of the entries one view holds files for (preflighted, not consumed); an
    entry past it fails with ``too_large`` at preflight."""
    upload_stall_seconds: float = 30.0
    """Seconds an entry being sent may go without a chunk before it fails with ``timeout``."""
    upload_resume_seconds: float = 60.0
    """Seconds the temp files of a view whose connection dropped are kept for a resume."""


class TokenBucket:
    """``rate`` tokens a second up to ``burst``: ``take()`` is True while there is one."""

    __slots__ = ("burst", "rate", "refilled", "tokens")

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = float(burst)
        self.tokens = float(burst)
        self.refilled = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        tokens = self.tokens + (now - self.refilled) * self.rate
        self.tokens = tokens if tokens < self.burst else self.burst
        self.refilled = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class BucketsByKey:
    """A ``TokenBucket`` per key (a client address), the least recently used forgotten past
    ``size`` keys, so that many addresses cannot grow it without bound."""

    __slots__ = ("buckets", "burst", "rate", "size")

    def __init__(self, rate: float, burst: int, size: int = 10_000) -> None:
        self.rate = rate
        self.burst = burst
        self.size = size
        self.buckets: OrderedDict[str, TokenBucket] = OrderedDict()

    def take(self, key: str) -> bool:
        bucket = self.buckets.get(key)
        if bucket is None:
            bucket = self.buckets[key] = TokenBucket(self.rate, self.burst)
            if len(self.buckets) > self.size:
                self.buckets.popitem(last=False)
        else:
            self.buckets.move_to_end(key)
        return bucket.take()
