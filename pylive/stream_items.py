"""Stream items: the children of a ``phx-update="stream"`` container, as the streams asked for them.

A stream's items live in the browser only; the server keeps none of them (``pylive.stream`` is
the socket side). A builder leaves a stream container's children as a plain list, in the order
given (``pylive.node.stream_container``): what the streams asked for is no builder's business.
After a render, the session hands the finished tree and the streams of the socket that rendered it
to its ``StreamCollector``, which turns each container's children into a ``StreamItems`` list: the
children paired with what their streams asked (where, limit, update only), and the container's
reset and deletes. The diff turns that into stream ops addressed to the container instead of index
ops; once the frame is sent, ``StreamCollector.release`` empties every list it made and lets each
stream forget what it sent, so the last tree a session keeps holds no stream item.

Rendered fresh (the HTTP page, a join, a new container), the list holds the children in the order
the browser would reach by applying the inserts to an empty container.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from pylive.node import Children, Element, Memo, Node, TextRows
from pylive.protocol import STREAM_FIXED


class Source(Protocol):
    """A stream as the collector sees it (``pylive.stream.Stream``)."""

    container: str | None
    """The id of the container that showed it last; the collector records it."""
    reset: bool
    deletes: list[str]
    inserts: dict[str, tuple[Any, int, int | None, bool]]
    """Pending inserts by DOM id: ``(item, at, limit, update_only)``."""
    iterated: bool
    """Whether a render read it since it last forgot what it sent."""

    def rendered(self) -> None:
        """Forget what was asked for: it is in the frame just sent."""


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


def stream_items(
    container: str, children: Sequence[Node], sources: Sequence[Source]
) -> StreamItems:
    """The children of the stream container ``container``, given the streams that may fill it.

    Only the streams a render read count. A child takes what the stream that asked for its DOM id
    asked (a child no stream asked for is appended); the container takes the reset and deletes of
    those streams and of the streams last shown in it, which is how deletes reach a container this
    render inserts nothing in.
    """
    read = [source for source in sources if source.iterated]
    inserts: list[tuple[Any, Spec]] = []
    fixed: list[Any] = []
    shown: list[Source] = []
    for child in children:
        dom_id = child.attrs["id"]  # type: ignore[union-attr]  # a str: checked when built
        spec = _spec(dom_id, read)  # type: ignore[arg-type]
        if spec.source is None:
            child = _fixed(child)
            fixed.append(child)
        elif spec.source not in shown:
            shown.append(spec.source)
        inserts.append((child, spec))
    for source in read:
        if source.container == container and source not in shown:
            shown.append(source)
    items = StreamItems(_fresh_order([entry for entry in inserts if entry[1] is not _DEFAULT]))
    items.extend(fixed)
    items.inserts = inserts
    items.reset = any(source.reset for source in shown)
    items.deletes = [dom_id for source in shown for dom_id in source.deletes]
    for source in shown:
        source.container = container
    return items


def _fixed(child: Element) -> Element:
    """``child``, which no stream asked for, marked as the container's fixed child (kept after
    the items by the browser: ``pylive.protocol.STREAM_FIXED``). A copy: the render's element
    may be a shared constant."""
    if STREAM_FIXED in child.attrs:
        return child
    return Element(
        child.tag, {**child.attrs, STREAM_FIXED: True}, child.children, child.key, child.raw
    )


def _spec(dom_id: str, sources: list[Source]) -> Spec:
    for source in sources:
        entry = source.inserts.get(dom_id)
        if entry is not None:
            _, at, limit, update_only = entry
            return Spec(at, limit, update_only, source)
    return _DEFAULT


class StreamCollector:
    """The stream containers of one live view's renders, from a turn to the frame it sends.

    ``collect`` after each render (the view's, each component's), ``release`` once the frame is
    sent. An HTTP render collects and never releases: its tree is rendered once and dropped.
    """

    __slots__ = ("containers", "sources")

    def __init__(self) -> None:
        self.sources: list[Source] = []
        self.containers: list[StreamItems] = []

    def collect(self, nodes: Children | Sequence[Node], streams: Iterable[Source]) -> None:
        """Turn the stream containers under ``nodes`` into ``StreamItems``.

        ``streams`` are those of the socket that rendered ``nodes``; they join the streams of the
        turn's other renders. A view none of whose sockets has a stream costs nothing. A memoized
        call is collected when it is rendered (``Memo.then``), so the diff may still skip it.
        """
        sources = self.sources
        for source in streams:
            if source not in sources:
                sources.append(source)
        if sources:
            self._walk(nodes)

    def release(self) -> None:
        """After the frame: empty the lists made, and let each stream read forget what it sent."""
        if not (self.containers or self.sources):
            return  # the common turn: no stream rendered
        for items in self.containers:
            items.release()
        for source in self.sources:
            if source.iterated:
                source.rendered()
        self.containers.clear()
        self.sources.clear()

    def _walk(self, nodes: Children | Sequence[Node]) -> None:
        if type(nodes) is TextRows:
            return  # uniform text rows: no container among them
        for node in nodes:
            kind = type(node)
            if kind is Element:
                children = node.children  # type: ignore[union-attr]
                attrs = node.attrs  # type: ignore[union-attr]
                if attrs and attrs.get("phx-update") == "stream" and type(children) is list:
                    items = stream_items(attrs["id"], children, self.sources)  # type: ignore[arg-type]
                    node.children = children = items  # type: ignore[union-attr]
                    self.containers.append(items)
                if children and not node.raw:  # type: ignore[union-attr]
                    self._walk(children)
            elif kind is Memo:
                if node.node is None:  # type: ignore[union-attr]
                    node.then = self._then  # type: ignore[union-attr]
                else:
                    self._walk((node.node,))  # type: ignore[union-attr]

    def _then(self, element: Element) -> Element:
        if self.sources:
            self._walk((element,))
        return element


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
