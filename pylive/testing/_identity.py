"""Which element is which across patches: the identities the browser's DOM nodes have.

The test client rebuilds its lxml page from the server's tree whenever it is read, so an lxml
element lives for one read only. What the client keeps about an element between reads (what JS
commands did to it, focus, its timers) is keyed by the element's *identity*: a number given to it
when it enters the page and kept for as long as the browser would keep its DOM node, that is
through attribute and text patches, keyed moves, inserts and removals around it, and a stream
item sent again; a patch that removes or replaces the element ends it.

``Slots`` mirrors the page's tree, one ``Slot`` per element (``None`` for a text or raw HTML
node), and follows every patch op exactly as ``pylive.apply`` (and ``client.js``) applies it. A
join render (``rejoin()``) builds the whole tree anew; each of its elements takes over the
identity of its counterpart in the old page: the element with the same id, else the element at
the same place among its parent's element children with the same tag, neither having an id,
under a parent that was itself taken over. An element with ``phx-update="ignore"`` taken over so
keeps its old children, as the browser keeps an ignored element's content.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from pylive.node import Element, Memo, Node
from pylive.protocol import (
    OP_ATTRS,
    OP_HTML,
    OP_INSERT,
    OP_MOVE,
    OP_REMOVE,
    OP_REPLACE,
    OP_STREAM_DELETE,
    OP_STREAM_INSERT,
    OP_STREAM_RESET,
)

IGNORE = ("phx-update", "ignore")


class Slot:
    """One element's identity (``token``), tag and id, and its children's slots."""

    __slots__ = ("children", "dom_id", "tag", "token")

    def __init__(self, token: int, tag: str, dom_id: str | None, children: list[Slot | None]):
        self.token = token
        self.tag = tag
        self.dom_id = dom_id
        self.children = children

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

    def _new(self, tag: str, dom_id: str | None, children: list[Slot | None]) -> Slot:
        self._next += 1
        return Slot(self._next, tag, dom_id, children)

    # -- a whole tree (a join render) -----------------------------------------------------------

    def join(self, old: Sequence[Node], new: Sequence[Node]) -> list[Node]:
        """Take over the identities of ``old``'s elements for the join render ``new`` (see the
        module's docstring); returns ``new``, with ignored elements' old children kept."""
        if len(old) != len(self.roots):  # the HTTP render, before the first join
            old, self.roots = [], []
        by_id: dict[str, tuple[Element, Slot]] = {}
        for node, slot in _pairs(old, self.roots):
            if slot.dom_id is not None:
                by_id.setdefault(slot.dom_id, (node, slot))
        used: set[int] = set()
        nodes, self.roots = self._match(list(new), list(old), self.roots, by_id, used)
        return nodes

    def _match(
        self,
        new: list[Node],
        old: list[Node] | None,
        old_slots: list[Slot | None] | None,
        by_id: dict[str, tuple[Element, Slot]],
        used: set[int],
    ) -> tuple[list[Node], list[Slot | None]]:
        placed: list[tuple[Element, Slot]] = []  # the old element children, by place
        if old is not None and old_slots is not None and len(old) == len(old_slots):
            placed = [
                (_resolve(node), slot)  # type: ignore[misc]
                for node, slot in zip(old, old_slots, strict=True)
                if slot is not None
            ]
        nodes: list[Node] = []
        slots: list[Slot | None] = []
        place = 0
        for child in new:
            child = _resolve(child)
            if type(child) is not Element:
                nodes.append(child)
                slots.append(None)
                continue
            dom_id = _id(child.attrs)
            found: tuple[Element, Slot] | None = None
            if dom_id is not None:
                found = by_id.get(dom_id)
            elif place < len(placed):
                candidate = placed[place]
                if candidate[1].dom_id is None and candidate[1].tag == child.tag:
                    found = candidate
            place += 1
            if found is not None and (found[1].token in used or found[1].tag != child.tag):
                found = None
            if found is None:
                nodes.append(child)
                slots.append(self.build(child))
                continue
            old_node, old_slot = found
            used.add(old_slot.token)
            if _ignored(old_node.attrs) and _ignored(child.attrs):
                kids, kid_slots = list(old_node.children), old_slot.children
            elif child.raw or not old_slot.children:
                kids, kid_slots = list(child.children), self._fresh(child)
            else:
                kids, kid_slots = self._match(
                    list(child.children), list(old_node.children), old_slot.children, by_id, used
                )
            if len(kids) != len(child.children) or any(
                a is not b for a, b in zip(kids, child.children, strict=False)
            ):
                child = Element(child.tag, child.attrs, kids, child.key, child.raw)
            nodes.append(child)
            slots.append(Slot(old_slot.token, child.tag, dom_id, kid_slots))
        return nodes, slots

    def build(self, node: Element) -> Slot:
        """A new identity for ``node`` and each element under it."""
        return self._new(node.tag, _id(node.attrs), self._fresh(node))

    def _fresh(self, node: Element) -> list[Slot | None]:
        if node.raw:
            return [None] * len(node.children)
        out: list[Slot | None] = []
        for child in node.children:
            child = _resolve(child)
            out.append(self.build(child) if type(child) is Element else None)
        return out

    # -- patches --------------------------------------------------------------------------------

    def patch(self, ops: Iterable[list[Any]]) -> tuple[list[Slot], list[Slot]]:
        """Follow ``ops`` as ``pylive.apply`` applies them; returns the elements they added and
        the ones they removed (each subtree once, by its root)."""
        added: list[Slot] = []
        removed: list[Slot] = []
        for op in ops:
            self._op(op, added, removed)
        gone = {slot.token for root in removed for slot in root.walk()}
        return [slot for slot in added if slot.token not in gone], removed

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
        else:
            path = op[1]
            siblings = self._children_at(path[:-1])
            index = path[-1]
            if code == OP_ATTRS:
                slot = siblings[index]
                if slot is not None and "id" in op[2]:
                    slot.dom_id = _id(op[2])
            elif code == OP_REMOVE:
                _drop(siblings.pop(index), removed)
            elif code == OP_REPLACE:
                _drop(siblings[index], removed)
                siblings[index] = self.from_wire(op[2])
                if siblings[index] is not None:
                    added.append(siblings[index])
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
            for item in items:
                _drop(item, removed)
            items.clear()
            return
        if code == OP_STREAM_DELETE:
            for item in items:
                if item is not None and item.dom_id == op[2]:
                    _drop(item, removed)
            items[:] = [item for item in items if item is None or item.dom_id != op[2]]
            return
        wire = op[3]
        at = op[2]
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
            if at < 0 or at >= len(items):
                items.append(slot)
            else:
                items.insert(at, slot)
        if limit is not None and len(items) > abs(limit):
            kept = items[:limit] if limit >= 0 else items[limit:]
            kept_ids = {id(item) for item in kept}
            for item in items:
                if id(item) not in kept_ids:
                    _drop(item, removed)
            items[:] = kept

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
        return self._new(wire[0], _id(attrs), children)

    def _children_at(self, path: list[int]) -> list[Slot | None]:
        siblings = self.roots
        for index in path:
            slot = siblings[index]
            if slot is None:
                raise ValueError(f"the page's identities lost track of the tree at {path}")
            siblings = slot.children
        return siblings


def _drop(slot: Slot | None, removed: list[Slot]) -> None:
    if slot is not None:
        removed.append(slot)


def _ignored(attrs: dict[str, Any]) -> bool:
    return attrs.get(IGNORE[0]) == IGNORE[1]


def _pairs(nodes: Sequence[Node], slots: Sequence[Slot | None]) -> Iterator[tuple[Element, Slot]]:
    """Each element of ``nodes`` (descendants included) with its slot."""
    if len(nodes) != len(slots):
        return
    for node, slot in zip(nodes, slots, strict=True):
        node = _resolve(node)
        if slot is None or type(node) is not Element:
            continue
        yield node, slot
        if not node.raw:
            yield from _pairs(list(node.children), slot.children)
