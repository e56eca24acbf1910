"""Streams, the render side: the children of a ``phx-update="stream"`` container.

A stream's items live in the browser only; the server keeps none of them (``pylive.stream`` is
the socket side). While a live view renders inside ``rendering()``, each stream the render
iterates records what it asks for: its pending inserts by DOM id (where, limit, update only), its
deletes and whether it was reset. A container built during that render takes its share: its
children become a ``StreamItems`` list, which the diff turns into stream ops (reset, deletes,
inserts) addressed to the container instead of index ops, and which ``Render.release`` empties
once the frame is sent, so the last tree a session keeps holds no stream item.

Rendered fresh (the HTTP page, a join, a new container), the list holds the children in the
order the browser would reach by applying the inserts to an empty container.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import Any, Protocol

from pylive.exceptions import InvalidChild
from pylive.node import Element, Memo


class Source(Protocol):
    """A stream as the render side sees it (``pylive.stream.Stream``)."""

    container: str | None
    reset: bool
    deletes: list[str]

    def rendered(self) -> None:
        """Forget what was asked for: it is in this render."""


class Spec:
    """One pending insert: where, with which limit, update only or not, and for which stream."""

    __slots__ = ("at", "limit", "source", "update_only")

    def __init__(self, at: int, limit: int | None, update_only: bool, source: Source) -> None:
        self.at = at
        self.limit = limit
        self.update_only = update_only
        self.source = source


_DEFAULT = Spec(-1, None, False, None)  # type: ignore[arg-type]  # a child no stream asked for


class StreamItems(list[Any]):
    """A stream container's children: the items this render inserts, then nothing.

    ``inserts`` pairs each child, in the order the stream asked for them, with its ``Spec``;
    ``reset`` and ``deletes`` come from the streams this container shows. The list itself holds
    the children in their order in a fresh container.
    """

    __slots__ = ("deletes", "inserts", "reset")

    reset: bool
    deletes: list[str]
    inserts: list[tuple[Any, Spec]]

    def release(self) -> None:
        """The frame is sent: keep nothing (the browser has the items)."""
        self.clear()
        self.reset = False
        self.deletes = []
        self.inserts = []


class Render:
    """What the streams of one render asked for, and the containers that took it."""

    __slots__ = ("containers", "inserts", "streams")

    def __init__(self) -> None:
        self.inserts: dict[str, Spec] = {}
        self.streams: list[Source] = []
        self.containers: list[StreamItems] = []

    def add(self, source: Source, inserts: dict[str, tuple[Any, int, int | None, bool]]) -> None:
        """A stream iterated by the render: record its pending inserts by DOM id."""
        if source not in self.streams:
            self.streams.append(source)
        for dom_id, (_, at, limit, update_only) in inserts.items():
            self.inserts[dom_id] = Spec(at, limit, update_only, source)

    def release(self) -> None:
        """After the frame: empty the containers and let each stream forget what it sent."""
        if not (self.containers or self.streams):
            return  # the common turn: no stream rendered
        for items in self.containers:
            items.release()
        for source in self.streams:
            source.rendered()
        self.containers.clear()
        self.streams.clear()
        self.inserts.clear()


_current: ContextVar[Render | None] = ContextVar("pylive_stream_render", default=None)


def current() -> Render | None:
    """The render in progress, when a session renders inside ``rendering()``."""
    return _current.get()


def begin() -> tuple[Render, Token[Render | None]]:
    """Start collecting (a session's turn); hand the result to ``end`` once the frame is sent."""
    render = Render()
    return render, _current.set(render)


def end(render: Render, token: Token[Render | None]) -> None:
    """Stop collecting and release what the renders of the turn sent."""
    _current.reset(token)
    render.release()


@contextmanager
def rendering() -> Iterator[Render]:
    """Collect around a render whose tree is used once and dropped (the HTTP page): no release."""
    render, token = begin()
    try:
        yield render
    finally:
        _current.reset(token)


def stream_children(tag: str, container: Any, kids: Iterable[Any]) -> StreamItems:
    """The children of ``<tag id=container phx-update="stream">``, as ``StreamItems``."""
    if not isinstance(container, str) or not container:
        raise InvalidChild(
            f'<{tag} phx-update="stream"> needs an id: the browser keeps its items and the '
            f"server finds the container by it; got id={container!r}"
        )
    render = _current.get()
    inserts: list[tuple[Any, Spec]] = []
    sources: list[Source] = []
    for child in kids:
        if type(child) is Memo:
            child = child.resolve()
        dom_id = _dom_id(tag, container, child)
        spec = _DEFAULT if render is None else render.inserts.get(dom_id, _DEFAULT)
        if spec.source is not None and spec.source not in sources:
            sources.append(spec.source)
        inserts.append((child, spec))
    if render is not None:
        for source in render.streams:
            if source.container == container and source not in sources:
                sources.append(source)
    items = StreamItems(_fresh_order(inserts))
    items.inserts = inserts
    items.reset = any(source.reset for source in sources)
    items.deletes = [dom_id for source in sources for dom_id in source.deletes]
    for source in sources:
        source.container = container
    if render is not None:
        render.containers.append(items)
    return items


def _dom_id(tag: str, container: str, child: Any) -> str:
    dom_id = child.attrs.get("id") if type(child) is Element else None
    if type(dom_id) is not str:
        raise InvalidChild(
            f'the children of <{tag} id="{container}" phx-update="stream"> must be elements '
            f"with an id (id=dom_id from the stream), got {child!r}"
        )
    return dom_id


def _fresh_order(inserts: list[tuple[Any, Spec]]) -> list[Any]:
    """The children a fresh container ends with: each insert applied in turn, as the browser."""
    if all(spec.at == -1 and spec.limit is None and not spec.update_only for _, spec in inserts):
        seen: dict[str, Any] = {}
        for child, _ in inserts:
            seen[child.attrs["id"]] = child  # a repeated id: updated in place
        return list(seen.values())
    ids: list[str] = []
    nodes: dict[str, Any] = {}
    for child, spec in inserts:
        dom_id = child.attrs["id"]
        if dom_id in nodes:
            nodes[dom_id] = child
        elif spec.update_only:
            continue  # not shown: nothing to update, and no limit to apply
        else:
            nodes[dom_id] = child
            if spec.at < 0 or spec.at >= len(ids):
                ids.append(dom_id)
            else:
                ids.insert(spec.at, dom_id)
        if spec.limit is not None and len(ids) > abs(spec.limit):
            dropped = ids[spec.limit :] if spec.limit >= 0 else ids[: spec.limit]
            ids = ids[: spec.limit] if spec.limit >= 0 else ids[spec.limit :]
            for gone in dropped:
                del nodes[gone]
    return [nodes[dom_id] for dom_id in ids]
