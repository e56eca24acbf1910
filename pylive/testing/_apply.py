"""``apply(ops, tree) -> tree``: the browser's patch semantics, in Python.

Exported as ``pylive.testing.apply``. The in-process test client keeps its page with this, and
the diff's property tests check ``apply(diff(a, b), a) == b``; nothing on the server applies
ops, so it lives with the test client. It follows ``client.js`` op for op: paths are child
indexes valid when their op runs, a move takes the child out and puts it back at ``to``, inserted
nodes come in wire form, and raw HTML content is one opaque string.
"""

from __future__ import annotations

from typing import Any

from pylive._attrs import AttrValue
from pylive.node import Element, Fragment, Memo, Node, Raw, Tree, top_level
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
    OP_TEXT,
    STREAM_FIXED,
)
from pylive.testing import _streams as streams


class _Mutable:
    """A mutable element while ops are applied."""

    __slots__ = ("attrs", "children", "raw", "tag")

    def __init__(
        self, tag: str, attrs: dict[str, AttrValue], children: list[Any], raw: bool
    ) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children = children
        self.raw = raw


def apply(ops: list[list[Any]], tree: Tree | None) -> Tree | None:
    """Apply a patch to a tree and return the patched tree (the input is left untouched).

    The result is one node when the container ends with one child, a ``Fragment`` when it has
    several, and ``None`` when it is empty.
    """
    root = [_thaw(node) for node in top_level(tree)]
    for op in ops:
        try:
            _apply_one(op, root)
        except (IndexError, KeyError, AttributeError, TypeError) as error:
            raise ValueError(
                f"cannot apply op {op!r}: its path does not resolve ({error})"
            ) from None
    nodes = [_freeze(node) for node in root]
    if not nodes:
        return None
    if len(nodes) == 1:
        return nodes[0]
    return Fragment(nodes)


def _apply_one(op: list[Any], root: list[Any]) -> None:
    code = op[0]
    if code == OP_INSERT or code == OP_MOVE:
        siblings = _children_at(root, op[1])
        if code == OP_INSERT:
            index = op[2]
            if not 0 <= index <= len(siblings):
                raise IndexError(f"insert index {index} outside 0..{len(siblings)}")
            siblings.insert(index, _from_wire(op[3]))
        else:
            moved = siblings.pop(op[2])
            if not 0 <= op[3] <= len(siblings):
                raise IndexError(f"move target {op[3]} outside 0..{len(siblings)}")
            siblings.insert(op[3], moved)
        return
    if code == OP_STREAM_INSERT or code == OP_STREAM_DELETE or code == OP_STREAM_RESET:
        _apply_stream(op, _children_at(root, op[1]))
        return
    if code == OP_APPEND or code == OP_PREPEND:
        siblings = _children_at(root, op[1])
        streams.add(siblings, op[2], code == OP_PREPEND, _id, _wire_id, _updated, _from_wire)
        return
    path = op[1]
    if not path:
        raise IndexError("empty path")
    siblings = _children_at(root, path[:-1])
    index = path[-1]
    if index < 0:
        raise IndexError(f"negative index {index}")
    if code == OP_TEXT:
        if type(siblings[index]) is not str:
            raise TypeError(f"node at {path} is not a text node")
        siblings[index] = op[2]
    elif code == OP_ATTRS:
        attrs = siblings[index].attrs
        ignored = attrs.get("phx-update") == "ignore"
        for name, value in op[2].items():
            if ignored and not name.startswith("data-"):
                continue  # the browser keeps its own attributes there, data-* aside
            if value is None:
                attrs.pop(name, None)
            else:
                attrs[name] = value  # an existing attribute keeps its place, a new one is last
    elif code == OP_REMOVE:
        del siblings[index]
    elif code == OP_REPLACE:
        siblings[index]
        siblings[index] = _from_wire(op[2])
    elif code == OP_HTML:
        target = siblings[index]
        target.children = [Raw(op[2])]
        target.raw = True
    else:
        raise TypeError(f"unknown op code {code!r}")


def _apply_stream(op: list[Any], items: list[Any]) -> None:
    """Stream ops on a container's children, which are found by their ``id``."""
    code = op[0]
    if code == OP_STREAM_RESET:
        streams.reset(items, _stream_kind, len(op) > 2 and op[2] == 1)
        return
    if code == OP_STREAM_DELETE:
        items[:] = [item for item in items if _id(item) != op[2]]
        return
    node = _from_wire(op[3])
    limit = op[4] if len(op) > 4 else None
    update_only = len(op) > 5 and op[5] == 1
    ids = [_id(item) for item in items]
    dom_id = node.attrs.get("id")
    if dom_id in ids:
        items[ids.index(dom_id)] = node  # updated in place: ``at`` is ignored
    elif update_only:
        return
    else:
        streams.insert(items, node, op[2], _stream_kind)
    if limit is not None:
        streams.trim(items, limit, _stream_kind)


def _wire_id(wire: Any) -> Any:
    return wire[1].get("id") if type(wire) is list and len(wire) > 1 else None


def _updated(old: Any, wire: Any) -> Any:
    """A child of an append container sent again: the browser morphs it into the new one."""
    return _from_wire(wire)


def _stream_kind(node: Any) -> str:
    if type(node) is not _Mutable:
        return streams.OTHER
    return streams.FIXED if STREAM_FIXED in node.attrs else streams.ITEM


def _id(node: Any) -> Any:
    return node.attrs.get("id") if type(node) is _Mutable else None


def _children_at(root: list[Any], path: list[int]) -> list[Any]:
    siblings = root
    for index in path:
        if index < 0:
            raise IndexError(f"negative index {index}")
        node = siblings[index]
        if type(node) is not _Mutable or node.raw:
            raise TypeError(f"{path} goes through a node without addressable children")
        siblings = node.children
    return siblings


def _thaw(node: Node) -> Any:
    kind = type(node)
    if kind is str or kind is Raw:
        return node
    if kind is Memo:
        node = node.resolve()  # type: ignore[union-attr]
    el: Element = node  # type: ignore[assignment]
    return _Mutable(el.tag, dict(el.attrs), [_thaw(child) for child in el.children], el.raw)


def _freeze(node: Any) -> Node:
    if type(node) is not _Mutable:
        return node  # type: ignore[no-any-return]
    children = [_freeze(child) for child in node.children]
    key = node.attrs.get("id")
    return Element(node.tag, node.attrs, children, key if isinstance(key, str) else None, node.raw)


def _from_wire(wire: Any) -> Any:
    if type(wire) is str:
        return wire
    tag = wire[0]
    attrs = dict(wire[1]) if len(wire) > 1 else {}
    if len(wire) < 3:
        return _Mutable(tag, attrs, [], False)
    content = wire[2]
    if type(content) is str:
        return _Mutable(tag, attrs, [Raw(content)], True)
    return _Mutable(tag, attrs, [_from_wire(child) for child in content], False)
