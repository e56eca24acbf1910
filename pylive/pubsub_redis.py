"""PubSub across workers and machines, through Redis: ``App(pubsub=RedisPubSub(url))``.

Every process keeps its subscribers locally (``LocalPubSub``) and holds **two Redis
connections, whatever its number of views**: one subscribed to the app's channel, one that
publishes. A broadcast is handed to this process's views at once and published for the others;
each process delivers what arrives to its own subscribers (Phoenix.PubSub's Redis adapter works
the same way: one channel, every node fans out locally).

- **Encoding**: JSON (orjson) with tuples kept, never pickle; dataclasses and pydantic models
  travel when registered (``types=[...]``). A message that cannot travel is a ``TypeError`` at
  the broadcast, before any view got it (``pylive.pubsub_codec``).
- **Gaps**: each topic's messages carry a sequence number (a Redis counter bumped in the same
  script that publishes). A skipped number, or the connection dropping and coming back, means
  messages may be lost: every view subscribed to the topics concerned gets
  ``handle_info(PubSubGap(topic))`` — after the subscription is back, so what it reads again
  is not stale — and a warning is logged.
- **Redis down**: pages render, views subscribe, broadcasts reach this process's views; what
  would have gone to other processes is dropped (logged once per outage). The hub retries
  every ``retry_interval`` seconds and catches up when Redis answers (the gap messages above).
  A silent connection (a machine gone) is noticed by a ping every ``ping_interval`` seconds.
- **Bounds**: a message is at most ``max_message_bytes`` encoded (bigger is a ``ValueError``
  at the broadcast; bigger from the network is dropped); at most ``max_pending`` wait to be
  published; each view receives through its bounded mailbox (``Limits.max_mailbox``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Iterable
from typing import Any

import orjson
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from pylive.pubsub import LocalPubSub, PubSubGap, Subscriber, check_topic
from pylive.pubsub_codec import MessageCodec, MessageError

log = logging.getLogger("pylive.pubsub")

# KEYS[1]: the topic's counter, KEYS[2]: the channel; ARGV[1]: the envelope, ARGV[2]: how long
# a quiet topic's counter lives. The counter and the message move together (a script is atomic).
_PUBLISH = """
local n = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('PUBLISH', KEYS[2], n .. '|' .. ARGV[1])
return n
"""

_DOWN = (RedisError, OSError, EOFError)
"""What a lost or refused connection raises (redis-py's errors, or the socket's)."""


class RedisPubSub(LocalPubSub):
    """A PubSub hub shared by every process on the same Redis and ``channel``."""

    def __init__(
        self,
        url: str = "redis://127.0.0.1:6379/0",
        *,
        channel: str = "pylive",
        types: Iterable[type[Any]] = (),
        max_message_bytes: int = 1_048_576,
        max_pending: int = 10_000,
        retry_interval: float = 0.25,
        ping_interval: float = 5.0,
        counter_ttl: int = 86_400,
    ) -> None:
        super().__init__()
        if not isinstance(url, str) or not url.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError(
                f"RedisPubSub: expected a redis:// (or rediss://, unix://) URL, got {url!r}"
            )
        for name, value in (
            ("max_message_bytes", max_message_bytes),
            ("max_pending", max_pending),
            ("counter_ttl", counter_ttl),
        ):
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"RedisPubSub: expected {name} ≥ 1, got {value!r}")
        self.url = url
        self.channel = check_topic(channel)
        self.codec = MessageCodec(types)
        self.max_message_bytes = max_message_bytes
        self.max_pending = max_pending
        self.retry_interval = retry_interval
        self.ping_interval = ping_interval
        self.counter_ttl = counter_ttl
        self.origin = os.urandom(8).hex()
        """This hub's id in what it publishes: its own messages come back and are skipped."""
        self.connected = False
        """Whether the subscribed connection is up (and the subscription confirmed)."""
        self.dropped = 0
        """Messages not published (Redis down, or too many waiting) since start."""
        self.rejected = 0
        """Messages from the network that were not ours to decode (malformed, too big)."""
        self.gaps = 0
        """Gap notices delivered (one per topic per gap)."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._outbox: asyncio.Queue[tuple[str, bytes]] | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._last: dict[str, int] = {}
        """The last sequence number seen per topic with subscribers here (reader's thread)."""
        self._warned_down = False

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Connect in the background (the server calls this once its loop runs); never waits
        for Redis, never fails because it is down."""
        if self._tasks:
            return
        self._loop = asyncio.get_running_loop()
        self._outbox = asyncio.Queue(self.max_pending)
        self._tasks = [
            asyncio.create_task(self._read(), name="pylive-pubsub-read"),
            asyncio.create_task(self._publish(), name="pylive-pubsub-publish"),
        ]

    async def stop(self) -> None:
        """Publish what is waiting (for up to a second), then close both connections."""
        if not self._tasks:
            return
        if self._outbox is not None and self.connected:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(1.0):
                    await self._outbox.join()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        self.connected = False

    # -- broadcasting ---------------------------------------------------------------------------

    def broadcast(self, topic: str, msg: Any, exclude: Subscriber | None = None) -> int:
        """Hand ``msg`` to this process's subscribers and publish it for the others; how many
        here got it. Safe from any thread."""
        check_topic(topic)
        body = self._envelope(topic, msg)
        # Queued for Redis before this process's views get it: the publisher's turn comes
        # before their renders, so the other processes start theirs at the same time.
        loop = self._loop
        if loop is None or not self._tasks:
            self._drop("the hub is not started (the server starts it)")
        elif _on_loop(loop):
            self._enqueue(topic, body)
        else:
            loop.call_soon_threadsafe(self._enqueue, topic, body)
        return super().broadcast(topic, msg, exclude)

    def local_broadcast(self, topic: str, msg: Any, exclude: Subscriber | None = None) -> int:
        """To this process's subscribers only."""
        return super().broadcast(topic, msg, exclude)

    def _envelope(self, topic: str, msg: Any) -> bytes:
        encoded = self.codec.encode(msg)
        body = b'{"o":"%s","t":%s,"m":%s}' % (self.origin.encode(), orjson.dumps(topic), encoded)
        if len(body) > self.max_message_bytes:
            raise ValueError(
                f"pubsub: a message of {len(body)} bytes on {topic!r}; expected at most "
                f"{self.max_message_bytes} (RedisPubSub(max_message_bytes=...))"
            )
        return body

    def _enqueue(self, topic: str, body: bytes) -> None:
        if not self.connected:
            self._drop("Redis is not connected")
            return
        assert self._outbox is not None
        try:
            self._outbox.put_nowait((topic, body))
        except asyncio.QueueFull:
            self._drop(f"{self.max_pending} messages already wait to be published")

    def _drop(self, why: str) -> None:
        self.dropped += 1
        if not self._warned_down:
            self._warned_down = True
            log.warning("pubsub: messages reach this process's views only: %s", why)

    async def _publish(self) -> None:
        """Send what waits, a batch per round trip, on the publishing connection."""
        assert self._outbox is not None
        outbox = self._outbox
        redis = self._client(publishing=True)
        try:
            while True:
                batch = [await outbox.get()]
                while not outbox.empty() and len(batch) < 256:
                    batch.append(outbox.get_nowait())
                try:
                    async with redis.pipeline(transaction=False) as pipe:
                        for topic, body in batch:
                            key = self._counter(topic)
                            pipe.eval(_PUBLISH, 2, key, self.channel, body, self.counter_ttl)
                        await pipe.execute()
                except _DOWN as error:
                    self.dropped += len(batch)
                    log.warning("pubsub: %d messages not published: %s", len(batch), error)
                finally:
                    for _ in batch:
                        outbox.task_done()
        finally:
            await redis.aclose()

    def _counter(self, topic: str) -> str:
        return f"{self.channel}:seq:{topic}"

    # -- receiving ------------------------------------------------------------------------------

    def _client(self, publishing: bool = False) -> Redis:
        """One connection. Publishing, a dead one (Redis restarted meanwhile) is replaced once
        and the batch sent again; subscribed, a lost connection is ours to notice (the gaps).
        No socket timeout: redis-py would wrap every write in a task of its own, queued behind
        the renders a broadcast has just woken (a silent peer is found by ``_listen``'s ping)."""
        return Redis.from_url(
            self.url,
            retry=Retry(NoBackoff(), 1 if publishing else 0),
            socket_timeout=None,
            socket_connect_timeout=2,
            socket_keepalive=True,
            max_connections=1,
        )

    async def _read(self) -> None:
        """Stay subscribed: connect, confirm, deliver; on any loss, wait and connect again."""
        down_since: float | None = None
        while True:
            redis = self._client()
            pubsub: Any = redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel)
                await self._confirmed(pubsub)
                self.connected = True
                self._warned_down = False
                if down_since is not None:  # messages may have been lost meanwhile
                    self._recovered(down_since)
                    down_since = None
                await self._listen(pubsub)
            except _DOWN + (TimeoutError,) as error:
                if down_since is None:  # up until now (or never up since the start)
                    log.warning("pubsub: lost Redis at %s: %s; retrying", self.url, error)
                    down_since = time.monotonic()
            finally:
                self.connected = False
                with contextlib.suppress(*_DOWN):
                    await pubsub.aclose()
                with contextlib.suppress(*_DOWN):
                    await redis.aclose()
            await asyncio.sleep(self.retry_interval)

    async def _confirmed(self, pubsub: Any) -> None:
        """Wait for Redis to confirm the subscription (messages sent after it are ours)."""
        async with asyncio.timeout(2.0):
            while True:
                reply = await pubsub.parse_response(block=True)
                if reply and reply[0] in (b"subscribe", "subscribe"):
                    return

    async def _listen(self, pubsub: Any) -> None:
        heard = time.monotonic()
        pinged = heard
        while True:
            message = await pubsub.get_message(timeout=min(1.0, self.ping_interval))
            now = time.monotonic()
            if message is not None:
                heard = now
                if message.get("type") == "message":
                    self._arrived(message["data"])
            if now - pinged >= self.ping_interval:
                if now - heard > 3 * self.ping_interval:
                    raise TimeoutError(f"no answer from Redis for {now - heard:.0f} s")
                await pubsub.ping()
                pinged = now

    def _arrived(self, data: bytes) -> None:
        if len(data) > self.max_message_bytes + 24:
            self._reject(f"{len(data)} bytes, over max_message_bytes")
            return
        seq_text, _, body = data.partition(b"|")
        try:
            seq = int(seq_text)
            envelope = orjson.loads(body)
            origin, topic = envelope["o"], envelope["t"]
            if not isinstance(origin, str) or not isinstance(topic, str):
                raise MessageError("pubsub: expected an origin and a topic")
        except (ValueError, KeyError, TypeError) as error:
            self._reject(str(error))
            return
        subscribed = topic in self._topics
        last = self._last.get(topic)
        if not subscribed:
            self._last.pop(topic, None)
        else:
            self._last[topic] = seq
            if last is not None and seq != last + 1:
                self._gap([topic], "skipped")
                log.warning(
                    "pubsub: topic %r skipped from %d to %d: told its views", topic, last, seq
                )
        if origin == self.origin or not subscribed:
            return  # ours (delivered when broadcast) or nobody's here
        try:
            msg = self.codec.build(envelope.get("m"))
        except MessageError as error:
            self._reject(str(error))
            self._gap([topic], "skipped")  # its views missed a message
            return
        super().broadcast(topic, msg)

    def _reject(self, why: str) -> None:
        self.rejected += 1
        log.warning("pubsub: dropped a message from Redis: %s", why)

    def _recovered(self, down_since: float) -> None:
        topics = list(self.topics())
        self._last.clear()
        self._gap(topics, "reconnected")
        log.warning(
            "pubsub: Redis is back after %.1f s; %d topics may have lost messages: told their "
            "views",
            time.monotonic() - down_since,
            len(topics),
        )

    def _gap(self, topics: list[str], reason: str) -> None:
        for topic in topics:
            self.gaps += 1
            super().broadcast(topic, PubSubGap(topic, reason))


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False
