"""PubSub: live views subscribe to topics, anyone broadcasts to a topic, and every subscribed
view gets the message in ``handle_info`` — Phoenix.PubSub, the embedded in-process backend.

>>> hub = LocalPubSub()
>>> seen = []
>>> class Inbox:
...     def send_self(self, msg):
...         seen.append(msg)
>>> inbox = Inbox()
>>> hub.subscribe("chat", inbox)
>>> hub.broadcast("chat", ("new", "hi"))
1
>>> seen
[('new', 'hi')]

In a view::

    from pylive import pubsub

    def mount(self, params, session, socket):
        pubsub.subscribe(socket, "room:lobby")     # does nothing on the HTTP render

    def handle_event(self, event, params, socket):
        pubsub.broadcast("room:lobby", ("said", params["text"]))

    def handle_info(self, msg, socket):
        ...                                          # ("said", text), in every subscribed view

A view's subscriptions end with it. ``broadcast`` reaches the subscribers of every app in this
process (each app has its hub, ``App(pubsub=...)``); ``broadcast_from(socket, ...)`` skips the
socket's own view; ``local_broadcast`` stays in this process even when the hub spans several
(``pylive.pubsub_redis.RedisPubSub``: every worker and machine on one Redis). Messages are
Python objects handed over as they are (no copy, no encoding) in process. Delivery goes through
each view's bounded mailbox (``Limits.max_mailbox``): a view that cannot keep up is remounted
rather than let its queue grow.

A hub that spans processes can lose messages (its connection dropped, a publisher's message
never arrived); it then tells each affected view ``PubSubGap(topic)``, so that it reads its data
again. Topics starting with ``pylive:`` are pylive's own.
"""

from __future__ import annotations

import logging
import threading
import weakref
from dataclasses import dataclass
from typing import Any, Protocol

MAX_TOPIC = 256
"""Characters in a topic name."""

RESERVED = "pylive:"
"""The prefix of pylive's own topics (``app.disconnect_sessions`` across workers)."""

log = logging.getLogger("pylive.pubsub")


@dataclass(frozen=True, slots=True)
class PubSubGap:
    """Delivered to ``handle_info`` when messages on ``topic`` may have been lost on their way
    from another process: the hub's connection dropped and came back, or a message never
    arrived. Read the data again::

        def handle_info(self, msg, socket):
            match msg:
                case PubSubGap():
                    socket.assign(messages=load_messages())
                case ("said", text):
                    ...

    ``reason`` says which: ``"reconnected"`` or ``"skipped"``. A view without ``handle_info``
    of its own logs it and carries on."""

    topic: str
    reason: str = "reconnected"


class Subscriber(Protocol):
    """What receives a topic's messages: a live session (``send_self``: safe from any thread)."""

    def send_self(self, msg: Any) -> None: ...


class LocalPubSub:
    """Topics and their subscribers in this process. Thread-safe."""

    async def start(self) -> None:
        """Called by the server once its event loop runs (nothing to do in process)."""

    async def stop(self) -> None:
        """Called by the server when it stops."""

    def __init__(self) -> None:
        self._topics: dict[str, set[Subscriber]] = {}
        self._lock = threading.Lock()
        _HUBS.add(self)

    def subscribe(self, topic: str, subscriber: Subscriber) -> None:
        check_topic(topic)
        with self._lock:
            self._topics.setdefault(topic, set()).add(subscriber)

    def unsubscribe(self, topic: str, subscriber: Subscriber) -> None:
        with self._lock:
            subscribers = self._topics.get(topic)
            if subscribers is not None:
                subscribers.discard(subscriber)
                if not subscribers:
                    del self._topics[topic]

    def broadcast(self, topic: str, msg: Any, exclude: Subscriber | None = None) -> int:
        """Hand ``msg`` to every subscriber of ``topic`` but ``exclude``; how many got it."""
        check_topic(topic)
        with self._lock:
            subscribers = [s for s in self._topics.get(topic, ()) if s is not exclude]
        for subscriber in subscribers:
            subscriber.send_self(msg)
        return len(subscribers)

    def local_broadcast(self, topic: str, msg: Any, exclude: Subscriber | None = None) -> int:
        """``broadcast`` in this process only (the same, for the in-process hub)."""
        return self.broadcast(topic, msg, exclude)

    def topics(self) -> dict[str, int]:
        """Each topic with subscribers in this process, and how many (pylive's own aside)."""
        with self._lock:
            return {
                topic: len(subscribers)
                for topic, subscribers in self._topics.items()
                if not topic.startswith(RESERVED)
            }


_HUBS: weakref.WeakSet[LocalPubSub] = weakref.WeakSet()
"""Every hub of this process (one per app): ``broadcast(topic, msg)`` reaches them all."""


def check_topic(topic: object) -> str:
    if not isinstance(topic, str) or not topic or len(topic) > MAX_TOPIC:
        raise ValueError(
            f"pubsub: expected a topic name of 1 to {MAX_TOPIC} characters, got {topic!r}"
        )
    return topic


def check_user_topic(topic: object) -> str:
    """``check_topic``, and not one of pylive's own (``pylive:...``)."""
    if isinstance(check_topic(topic), str) and str(topic).startswith(RESERVED):
        raise ValueError(f"pubsub: topics starting with {RESERVED!r} are pylive's, got {topic!r}")
    return str(topic)


class HasPubSub(Subscriber, Protocol):
    """A connected socket's session: it subscribes itself on its app's hub."""

    def subscribe(self, topic: str) -> None: ...

    def unsubscribe(self, topic: str) -> None: ...


def _session(socket: Any) -> HasPubSub | None:
    runtime = getattr(socket, "_runtime", None)
    return runtime if runtime is not None and hasattr(runtime, "subscribe") else None


def subscribe(socket: Any, topic: str) -> None:
    """Subscribe the socket's view to ``topic`` (a live component's socket subscribes its
    view); its ``handle_info`` gets what is broadcast there. Nothing on the HTTP render."""
    check_user_topic(topic)
    session = _session(socket)
    if session is not None:
        session.subscribe(topic)


def unsubscribe(socket: Any, topic: str) -> None:
    session = _session(socket)
    if session is not None:
        session.unsubscribe(topic)


def broadcast(topic: str, msg: Any) -> int:
    """Send ``msg`` to every view subscribed to ``topic`` (in every app of this process);
    returns how many views it was handed to."""
    check_user_topic(topic)
    return sum(hub.broadcast(topic, msg) for hub in list(_HUBS))


def broadcast_from(socket: Any, topic: str, msg: Any) -> int:
    """``broadcast``, but not to the socket's own view."""
    check_user_topic(topic)
    session = _session(socket)
    return sum(hub.broadcast(topic, msg, exclude=session) for hub in list(_HUBS))


def local_broadcast(topic: str, msg: Any) -> int:
    """``broadcast`` to the views of this process only."""
    check_user_topic(topic)
    return sum(hub.local_broadcast(topic, msg) for hub in list(_HUBS))
