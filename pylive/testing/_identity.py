"""Which element is which across patches: the identities the browser's DOM nodes have.

The test client rebuilds its lxml page from the server's tree whenever it is read, so an lxml
element lives for one read only. What the client keeps about an element between reads (what JS
commands did to it, focus, its timers) is keyed by the element's *identity*: a number given to it
when it enters the page and kept for as long as the browser would keep its DOM node, that is
through attribute and text patches, keyed moves, inserts and removals around it, and a stream
item sent again; a patch that removes or replaces the element ends it.

``Slots`` mirrors the page's tree, one ``Slot`` per element (``None`` for a text or raw HTML node),
and follows every patch op exactly as ``pylive.testing.apply`` (and ``client.js``) applies it. A
join render (``rejoin()``) builds the whole tree anew; each of its elements takes over the identity
of its counterpart in the old page: the element with the same id, else the element at the same place
among its parent's element children with the same tag, neither having an id, under a parent that was
itself taken over. An element with ``phx-update="ignore"`` taken over so keeps its old children, as
the browser keeps an ignored element's content.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from pylive.node import Element, Memo, Node
from pylive.protocol import (
    OP_APPEND,
    OP_ATTRS,
    OP_HTML,
    OP_INSERT,
    OP_MOVE,
    OP_PREPEND,
    OP_REMOVE,
    OP_REPLACE,
    OP_STREAM_DELETE,
    OP_STREAM_INSERT,
    OP_STREAM_RESET,
    STREAM_FIXED,
)
from pylive.testing import _streams as streams

IGNORE = ("phx-update", "ignore")
CONTAINER_OPS = frozenset(
    {OP_INSERT, OP_MOVE, OP_STREAM_INSERT, OP_STREAM_DELETE, OP_STREAM_RESET, OP_APPEND, OP_PREPEND}
)
"""The ops whose path is the parent whose children they change."""


class Slot:
    """One element's identity (``token``), tag and id, and its children's slots."""

    __slots__ = ("children", "dom_id", "fixed", "ignored", "tag", "token")

    def __init__(
        self,
        token: int,
        tag: str,
        dom_id: str | None,
        children: list[Slot | None],
        ignored: bool = False,
        fixed: bool = False,
    ) -> None:
        self.token = token
        self.tag = tag
        self.dom_id = dom_id
        self.children = children
        self.ignored = ignored
        """``phx-update="ignore"``: what the server sends below it is not applied."""
        self.fixed = fixed
        """A fixed child of a stream container (``pylive.protocol.STREAM_FIXED``)."""

    def __repr__(self) -> str:
        return f"Slot({self.token}, {self.tag!r}, {self.dom_id!r}, {self.children!r})"

    def walk(self) -> Iterator[Slot]:
        """This slot and every slot under it, in document order."""
        yield self
        for child in self.children:
            if child is not None:
                yield from child.walk()


def _resolve(node: Node) -> Node:
    return node.resolve() if type(node) is Memo else node


def _id(attrs: dict[str, Any]) -> str | None:
    value = attrs.get("id")
    return value if isinstance(value, str) else None


class Slots:
    """The identities of a page's elements; see the module's docstring."""

    def __init__(self) -> None:
        self.roots: list[Slot | None] = []
        self._next = 0

    def tokens(self) -> set[int]:
        """Every identity in the page now."""
        return {slot.token for root in self.roots if root is not None for slot in root.walk()}

    def _new(
        self,
        tag: str,
        dom_id: str | None,
        children: list[Slot | None],
        ignored: bool = False,
        fixed: bool = False,
    ) -> Slot:
        self._next += 1
        return Slot(self._next, tag, dom_id, children, ignored, fixed)

    # -- a whole tree (a join render) -----------------------------------------------------------

    def join(self, old: Sequence[Node], new: Sequence[Node]) -> list[Node]:
        """Give the join render ``new`` the identities of ``old``'s elements (see the module's
        docstring); returns ``new``, where each ``phx-update="ignore"`` element with an id keeps
        its old children."""
        if len(old) != len(self.roots):  # the HTTP render, before the first join
            old, self.roots = [], []
        by_id: dict[str, tuple[int, Element, Slot]] = {}  # old elements with an id
        by_path: dict[tuple[int, ...], tuple[int, Element, Slot]] = {}  # and without
        for order, (path, node, slot) in enumerate(_walk(old, self.roots, ())):
            if slot.dom_id is not None:
                by_id.setdefault(slot.dom_id, (order, node, slot))
            else:
                by_path[path] = (order, node, slot)
        seen: set[str] = set()
        nodes, self.roots = self._adopt(list(new), (), by_id, by_path, seen)
        return nodes

    def _adopt(
        self,
        new: list[Node],
        at: tuple[int, ...],
        by_id: dict[str, tuple[int, Element, Slot]],
        by_path: dict[tuple[int, ...], tuple[int, Element, Slot]],
        seen: set[str],
    ) -> tuple[list[Node], list[Slot | None]]:
        nodes: list[Node] = []
        slots: list[Slot | None] = []
        for index, child in enumerate(new):
            child = _resolve(child)
            if type(child) is not Element:
                nodes.append(child)
                slots.append(None)
                continue
            path = (*at, index)
            dom_id = _id(child.attrs)
            # The old element this one stands for, of its tag: the one with its id (for the first
            # element with that id), the one without an id at its place; the later one wins.
            candidates = []
            if dom_id is not None and dom_id not in seen:
                seen.add(dom_id)
                if dom_id in by_id:
                    candidates.append(by_id[dom_id])
            if path in by_path:
                candidates.append(by_path[path])
            candidates = [c for c in candidates if c[2].tag == child.tag]
            found = max(candidates, key=lambda c: c[0], default=None)
            if found is None:
                kids, kid_slots = self._adopt(list(child.children), path, by_id, by_path, seen)
                token = self._new(child.tag, dom_id, []).token
            else:
                _, old_node, old_slot = found
                token = old_slot.token
                if (
                    old_slot.dom_id is not None
                    and old_slot.dom_id == dom_id
                    and _ignored(old_node.attrs)
                    and _ignored(child.attrs)
                ):
                    kids, kid_slots = list(old_node.children), old_slot.children
                else:
                    kids, kid_slots = self._adopt(list(child.children), path, by_id, by_path, seen)
            if child.raw:
                kids, kid_slots = list(child.children), [None] * len(child.children)
            if len(kids) != len(child.children) or any(
                a is not b for a, b in zip(kids, child.children, strict=False)
            ):
                child = Element(child.tag, child.attrs, kids, child.key, child.raw)
            nodes.append(child)
            slots.append(
                Slot(
                    token,
                    child.tag,
                    dom_id,
                    kid_slots,
                    _ignored(child.attrs),
                    STREAM_FIXED in child.attrs,
                )
            )
        return nodes, slots

    def build(self, node: Element) -> Slot:
        """A new identity for ``node`` and each element under it."""
        attrs = node.attrs
        return self._new(
            node.tag, _id(attrs), self._fresh(node), _ignored(attrs), STREAM_FIXED in attrs
        )

    def _fresh(self, node: Element) -> list[Slot | None]:
        if node.raw:
            return [None] * len(node.children)
        out: list[Slot | None] = []
        for child in node.children:
            child = _resolve(child)
            out.append(self.build(child) if type(child) is Element else None)
        return out

    # -- patches --------------------------------------------------------------------------------

    def patch(self, ops: Iterable[list[Any]]) -> tuple[list[list[Any]], list[Slot], list[Slot]]:
        """Follow ``ops`` as ``pylive.testing.apply`` applies them; returns the ops to apply (those
        that reach inside a ``phx-update="ignore"`` element are dropped, as the browser keeps its
        content), the elements they added and the ones they removed (each subtree once, by its
        root)."""
        kept: list[list[Any]] = []
        added: list[Slot] = []
        removed: list[Slot] = []
        for op in ops:
            if self._ignores(op):
                continue
            kept.append(op)
            self._op(op, added, removed)
        gone = {slot.token for root in removed for slot in root.walk()}
        return kept, [slot for slot in added if slot.token not in gone], removed

    def _ignores(self, op: list[Any]) -> bool:
        """Whether ``op`` reaches inside an ignored element."""
        code = op[0]
        if code in CONTAINER_OPS:
            path = op[1]
        elif code == OP_HTML:
            path = op[1]
        else:
            path = op[1][:-1]
        siblings = self.roots
        for index in path:
            if not 0 <= index < len(siblings):
                return False  # let the op fail where it is applied
            slot = siblings[index]
            if slot is None:
                return False
            if slot.ignored:
                return True
            siblings = slot.children
        return False

    def _op(self, op: list[Any], added: list[Slot], removed: list[Slot]) -> None:
        code = op[0]
        if code == OP_INSERT:
            slot = self.from_wire(op[3])
            self._children_at(op[1]).insert(op[2], slot)
            if slot is not None:
                added.append(slot)
        elif code == OP_MOVE:
            siblings = self._children_at(op[1])
            siblings.insert(op[3], siblings.pop(op[2]))
        elif code in (OP_STREAM_INSERT, OP_STREAM_DELETE, OP_STREAM_RESET):
            self._stream(op, self._children_at(op[1]), added, removed)
        elif code == OP_APPEND or code == OP_PREPEND:
            self._add(op, self._children_at(op[1]), added, removed)
        else:
            path = op[1]
            siblings = self._children_at(path[:-1])
            index = path[-1]
            if code == OP_ATTRS:
                slot = siblings[index]
                if slot is not None and not slot.ignored:
                    if "id" in op[2]:
                        slot.dom_id = _id(op[2])
                    if IGNORE[0] in op[2]:
                        slot.ignored = op[2][IGNORE[0]] == IGNORE[1]
            elif code == OP_REMOVE:
                _drop(siblings.pop(index), removed)
            elif code == OP_REPLACE:
                _drop(siblings[index], removed)
                slot = self.from_wire(op[2])
                siblings[index] = slot
                if slot is not None:
                    added.append(slot)
            elif code == OP_HTML:
                slot = siblings[index]
                if slot is not None:
                    for child in slot.children:
                        _drop(child, removed)
                    slot.children = [None]

    def _stream(
        self, op: list[Any], items: list[Slot | None], added: list[Slot], removed: list[Slot]
    ) -> None:
        code = op[0]
        if code == OP_STREAM_RESET:
            for item in streams.reset(items, _stream_kind, len(op) > 2 and op[2] == 1):
                _drop(item, removed)
            return
        if code == OP_STREAM_DELETE:
            for item in items:
                if item is not None and item.dom_id == op[2]:
                    _drop(item, removed)
            items[:] = [item for item in items if item is None or item.dom_id != op[2]]
            return
        wire = op[3]
        limit = op[4] if len(op) > 4 else None
        update_only = len(op) > 5 and op[5] == 1
        ids = [None if item is None else item.dom_id for item in items]
        dom_id = _id(wire[1] if len(wire) > 1 else {})
        if dom_id in ids:
            index = ids.index(dom_id)
            items[index] = self._morph(items[index], wire, added, removed)
        elif update_only:
            return
        else:
            slot = self.from_wire(wire)
            if slot is not None:
                added.append(slot)
            streams.insert(items, slot, op[2], _stream_kind)
        if limit is not None:
            for item in streams.trim(items, limit, _stream_kind):
                _drop(item, removed)

    def _add(
        self, op: list[Any], items: list[Slot | None], added: list[Slot], removed: list[Slot]
    ) -> None:
        """An append or prepend op: children sent again keep their identity (morphed, as a
        stream item sent again), new ones get theirs."""

        def build(wire: Any) -> Slot | None:
            slot = self.from_wire(wire)
            if slot is not None:
                added.append(slot)
            return slot

        def update(old: Slot | None, wire: Any) -> Slot | None:
            return self._morph(old, wire, added, removed)

        streams.add(items, op[2], op[0] == OP_PREPEND, _slot_id, _wire_id, update, build)

    def _morph(
        self, old: Slot | None, wire: Any, added: list[Slot], removed: list[Slot]
    ) -> Slot | None:
        """A stream item sent again: it keeps its identity, and so do its descendants that have
        the same place and tag in the new content."""
        new = self.from_wire(wire)
        if old is None or new is None or old.tag != new.tag:
            _drop(old, removed)
            if new is not None:
                added.append(new)
            return new
        new.token = old.token
        new.children = self._morph_children(old.children, new.children, added, removed)
        return new

    def _morph_children(
        self,
        old: list[Slot | None],
        new: list[Slot | None],
        added: list[Slot],
        removed: list[Slot],
    ) -> list[Slot | None]:
        old_elements: list[Slot | None] = [slot for slot in old if slot is not None]
        out: list[Slot | None] = []
        place = 0
        for slot in new:
            if slot is None:
                out.append(None)
                continue
            match = old_elements[place] if place < len(old_elements) else None
            place += 1
            if match is not None and match.tag == slot.tag and match.dom_id == slot.dom_id:
                slot.token = match.token
                slot.children = self._morph_children(match.children, slot.children, added, removed)
                old_elements[place - 1] = None
            else:
                added.append(slot)
            out.append(slot)
        for leftover in old_elements:
            _drop(leftover, removed)
        return out

    def from_wire(self, wire: Any) -> Slot | None:
        """New identities for a node in wire form (``pylive.wire``); None for a text."""
        if type(wire) is str:
            return None
        attrs = wire[1] if len(wire) > 1 else {}
        children: list[Slot | None] = []
        if len(wire) > 2:
            content = wire[2]
            children = [None] if type(content) is str else [self.from_wire(c) for c in content]
        return self._new(wire[0], _id(attrs), children, _ignored(attrs), STREAM_FIXED in attrs)

    def _children_at(self, path: list[int]) -> list[Slot | None]:
        siblings = self.roots
        for index in path:
            slot = siblings[index]
            if slot is None:
                raise ValueError(f"the page's identities lost track of the tree at {path}")
            siblings = slot.children
        return siblings


def _slot_id(slot: Slot | None) -> str | None:
    return None if slot is None else slot.dom_id


def _wire_id(wire: Any) -> str | None:
    return None if type(wire) is str or len(wire) < 2 else _id(wire[1])


def _drop(slot: Slot | None, removed: list[Slot]) -> None:
    if slot is not None:
        removed.append(slot)


def _stream_kind(slot: Slot | None) -> str:
    if slot is None:
        return streams.OTHER
    return streams.FIXED if slot.fixed else streams.ITEM


def _ignored(attrs: dict[str, Any]) -> bool:
    return attrs.get(IGNORE[0]) == IGNORE[1]


def _walk(
    nodes: Sequence[Node], slots: Sequence[Slot | None], at: tuple[int, ...]
) -> Iterator[tuple[tuple[int, ...], Element, Slot]]:
    """Each element of ``nodes`` (descendants included, in document order) with its path of
    child indexes and its slot."""
    if len(nodes) != len(slots):
        return
    for index, (node, slot) in enumerate(zip(nodes, slots, strict=True)):
        node = _resolve(node)
        if slot is None or type(node) is not Element:
            continue
        path = (*at, index)
        yield path, node, slot
        if not node.raw:
            yield from _walk(list(node.children), slot.children, path)
