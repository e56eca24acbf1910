"""The diff: ``diff(old_tree, new_tree) -> list[op]``, the patch that turns one into the other.

Ops are applied in order (see ``pylive.protocol``). For each element the diff emits, in this order:
its own attribute changes, the ops of the children of its common prefix (whose indexes do not
change), its children's structure (removes, moves, inserts, with indexes valid at the moment each
op runs), then the ops of each other matched child, addressed by its final index. So every path
in the patch is made of final indexes for the ancestors and of current indexes for the one child
list being restructured, and one batch may move, insert and remove siblings freely.

Children are matched by identity: a key (``key=`` or ``id``) for keyed children, the position among
the unkeyed siblings otherwise. Matched children that moved are moved, never re-created, and only
the moves outside a longest increasing subsequence are sent. Unchanged subtrees cost O(1): the same
node object is skipped, and a memoized component called with equal arguments is skipped without
being rendered.

Two kinds of container hold children the browser keeps and the server does not know by index:
a stream container (its items come as stream ops) and an append or prepend container
(``Additions``: its new or changed children come as one ``OP_APPEND``/``OP_PREPEND`` op, found
by id in the browser).
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from pylive._attrs import attrs_differ
from pylive.node import Additions, Children, Element, Key, Memo, Node, TextRows, Tree, top_level
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
)
from pylive.render import raw_html
from pylive.stream_items import StreamItems
from pylive.wire import rows_wire, to_wire

Op = list[Any]
Path = list[int]


def diff(old: Tree | None, new: Tree | None) -> list[Op]:
    """The ops that turn the DOM of ``old`` (a container's children) into that of ``new``."""
    ops: list[Op] = []
    _children(top_level(old), top_level(new), [], ops)
    return ops


def diff_node(old: Node, new: Node, path: Path) -> list[Op]:
    """The ops that turn the node at ``path`` into ``new`` (a component re-rendering alone)."""
    ops: list[Op] = []
    _pair(old, new, path, ops)
    return ops


def _key(node: Node) -> Key | None:
    kind = type(node)
    if kind is Element or kind is Memo:
        return node.key  # type: ignore[union-attr]
    return None


def _pair(a: Node, b: Node, path: Path, ops: list[Op]) -> None:
    """Diff two matched nodes that end at ``path``."""
    if a is b:
        return
    kind_a = type(a)
    kind_b = type(b)
    if kind_b is Memo:
        if kind_a is Memo and a.same_call(b):  # type: ignore[union-attr, arg-type]
            b.node = a.node  # type: ignore[union-attr]  # same output, never rendered twice
            return
        b = b.resolve()  # type: ignore[union-attr]
        kind_b = Element
    if kind_a is Memo:
        a = a.resolve()  # type: ignore[union-attr]
        kind_a = Element
        if a is b:
            return
    if kind_a is Element and kind_b is Element and a.tag == b.tag:  # type: ignore[union-attr]
        _element(a, b, path, ops)  # type: ignore[arg-type]
    elif kind_a is str and kind_b is str:
        if a != b:
            ops.append([OP_TEXT, path, b])
    else:
        ops.append([OP_REPLACE, path, to_wire(b)])


def _element(a: Element, b: Element, path: Path, ops: list[Op]) -> None:
    old_attrs = a.attrs
    new_attrs = b.attrs
    if old_attrs is not new_attrs and attrs_differ(old_attrs, new_attrs):
        for changes in _attr_changes(old_attrs, new_attrs):
            ops.append([OP_ATTRS, path, changes])
    if _ignored(a, b):
        return  # the browser keeps this element's children as first rendered: nothing to send
    if a.raw or b.raw:
        if not b.raw:
            # The browser parsed a's raw HTML into nodes the diff cannot address: rebuild.
            ops.append([OP_REPLACE, path, to_wire(b)])
        else:
            html = raw_html(b.children[0])  # type: ignore[arg-type]
            if not a.raw or raw_html(a.children[0]) != html:  # type: ignore[arg-type]
                ops.append([OP_HTML, path, html])
    elif a.children is not b.children:
        _children(a.children, b.children, path, ops)


def _ignored(a: Element, b: Element) -> bool:
    """Whether both are ``phx-update="ignore"``: the browser keeps the children it has."""
    return b.attrs.get("phx-update") == "ignore" and a.attrs.get("phx-update") == "ignore"


def _attr_changes(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """The attrs ops' payloads: changed and added attributes, removed ones as ``None``.

    Setting an existing attribute keeps its place and a new one is appended, in the browser as in
    ``apply``. When ``new`` orders its attributes differently, the out-of-place ones are removed by
    a first op and set again, in order, by the second, so the patched element has exactly
    ``new``'s attribute order (rare: an attribute added before existing ones).
    """
    changes: dict[str, Any] = {}
    moved: dict[str, Any] = {}
    kept = [name for name in old if name in new]
    in_place = 0
    reordered = False
    for name, value in new.items():
        if not reordered and in_place < len(kept) and kept[in_place] == name:
            in_place += 1
            if old[name] != value:
                changes[name] = value
        elif not reordered and in_place == len(kept):
            changes[name] = value  # added after every kept attribute: appended in order
        else:
            reordered = True  # from here on, every attribute is (re)set in order
            if name in old:
                moved[name] = None
            changes[name] = value
    for name in old:
        if name not in new:
            changes[name] = None
    return [moved, changes] if moved else [changes]


def _children(olds: Children, news: Children, path: Path, ops: list[Op]) -> None:
    """Reconcile one child list: structure first, then each matched pair at its final index."""
    if olds is news:
        return
    if type(olds) is not list or type(news) is not list:
        if type(news) is Additions or type(olds) is Additions:
            _additions(olds, news, path, ops)
        elif type(news) is StreamItems or type(olds) is StreamItems:
            _stream(olds, news, path, ops)  # type: ignore[arg-type]
        elif type(olds) is TextRows and type(news) is TextRows and olds.same_shape(news):
            _rows(olds, news, path, ops)
        else:  # a compact list against a plain one: compare them as elements
            _children(list(olds), list(news), path, ops)
        return
    old_end = len(olds)
    new_end = len(news)
    start = 0
    limit = min(old_end, new_end)

    # Common prefix: same key, or both unkeyed (matched by position). Texts are compared inline,
    # since they are the most common leaves.
    while start < limit:
        a = olds[start]
        b = news[start]
        if a is not b:
            kind_a = type(a)
            kind_b = type(b)
            if kind_a is str and kind_b is str:
                if a != b:
                    ops.append([OP_TEXT, [*path, start], b])
            elif (
                kind_a is Element
                and kind_b is Element
                and a.tag == b.tag  # type: ignore[union-attr]
                and a.key == b.key  # type: ignore[union-attr]
                and not (a.raw or b.raw)  # type: ignore[union-attr]
            ):
                # The hot case, inlined: the same element rebuilt. A lone text child (a table
                # cell, a label) is compared here too, without another call.
                if a.attrs is not b.attrs and attrs_differ(a.attrs, b.attrs):  # type: ignore[union-attr]
                    for changes in _attr_changes(a.attrs, b.attrs):  # type: ignore[union-attr]
                        ops.append([OP_ATTRS, [*path, start], changes])
                kids_a = a.children  # type: ignore[union-attr]
                kids_b = b.children  # type: ignore[union-attr]
                if kids_a is not kids_b and (  # _ignored, inlined: the hot path
                    b.attrs.get("phx-update") != "ignore"  # type: ignore[union-attr]
                    or a.attrs.get("phx-update") != "ignore"  # type: ignore[union-attr]
                ):
                    if (
                        len(kids_a) == 1
                        and len(kids_b) == 1
                        and type(kids_a[0]) is str
                        and type(kids_b[0]) is str
                    ):
                        if kids_a[0] != kids_b[0]:
                            ops.append([OP_TEXT, [*path, start, 0], kids_b[0]])
                    else:
                        _children(kids_a, kids_b, [*path, start], ops)
            else:
                key_a = a.key if kind_a is Element or kind_a is Memo else None  # type: ignore[union-attr]
                key_b = b.key if kind_b is Element or kind_b is Memo else None  # type: ignore[union-attr]
                if key_a != key_b:
                    break
                _pair(a, b, [*path, start], ops)
        start += 1

    # Common keyed suffix (unkeyed children are matched from the front only).
    suffix: list[tuple[Node, Node]] = []
    while old_end > start and new_end > start:
        a = olds[old_end - 1]
        b = news[new_end - 1]
        key_a = _key(a)
        if key_a is None or key_a != _key(b):
            break
        suffix.append((a, b))
        old_end -= 1
        new_end -= 1

    if start == old_end:
        # Only insertions left.
        for index in range(start, new_end):
            ops.append([OP_INSERT, path, index, to_wire(news[index])])
    elif start == new_end:
        # Only removals left; from the back so earlier indexes stay valid.
        for index in range(old_end - 1, start - 1, -1):
            ops.append([OP_REMOVE, [*path, index]])
    else:
        _middle(olds, news, start, old_end, new_end, path, ops)

    for offset, (a, b) in enumerate(reversed(suffix)):
        if a is not b:
            _pair(a, b, [*path, new_end + offset], ops)


def _rows(olds: TextRows, news: TextRows, path: Path, ops: list[Op]) -> None:
    """Two lists of uniform text rows: compare keys and texts as lists, in C where possible."""
    old_texts, new_texts = olds.texts, news.texts
    old_keys, new_keys = olds.keys, news.keys
    common = min(len(old_texts), len(new_texts))
    if (
        old_keys is not None
        and new_keys is not None
        and old_keys != new_keys
        and old_keys[:common] != new_keys[:common]
    ):
        _children(list(olds), list(news), path, ops)  # rows moved, or inserted before the end
        return
    if old_texts[:common] != new_texts[:common]:
        for index in range(common):
            old, new = old_texts[index], new_texts[index]
            if old is not new and old != new:
                ops.append([OP_TEXT, [*path, index, 0], new])
    if len(new_texts) > common:
        wire = rows_wire(news)
        for index in range(common, len(new_texts)):
            ops.append([OP_INSERT, path, index, wire[index]])
    else:
        for index in range(len(old_texts) - 1, common - 1, -1):
            ops.append([OP_REMOVE, [*path, index]])


def _stream(olds: list[Node], news: list[Node], path: Path, ops: list[Op]) -> None:
    """A stream container: the browser holds its items; send what the streams asked for."""
    if type(news) is not StreamItems:  # no longer a stream container: rebuild its children
        ops.append([OP_STREAM_RESET, path, 1])
        for index, node in enumerate(news):
            ops.append([OP_INSERT, path, index, to_wire(node)])
        return
    if olds and type(olds) is not StreamItems:  # becomes a stream container: every child goes
        ops.append([OP_STREAM_RESET, path, 1])
    elif news.reset:
        ops.append([OP_STREAM_RESET, path])
    for dom_id in news.deletes:
        ops.append([OP_STREAM_DELETE, path, dom_id])
    for node, spec in news.inserts:
        op = [OP_STREAM_INSERT, path, spec.at, to_wire(node)]
        if spec.update_only:
            op += [spec.limit, 1]
        elif spec.limit is not None:
            op.append(spec.limit)
        ops.append(op)


def _additions(olds: Children, news: Children, path: Path, ops: list[Op]) -> None:
    """An append or prepend container: the browser keeps the children it has; send, in one op,
    the children of ``news`` that are new or changed since ``olds`` (the last render's)."""
    if type(news) is not Additions:  # no longer one: the browser's children are unknown
        ops.append([OP_STREAM_RESET, path, 1])
        if type(news) is StreamItems:
            _stream([], news, path, ops)
        else:
            for index, node in enumerate(news):
                ops.append([OP_INSERT, path, index, to_wire(node)])
        return
    shown: dict[Any, Node] = {}  # the last render's children, by id: the browser has them so
    if type(olds) is not StreamItems:
        for node in olds:
            dom_id = _dom_id(node)
            if dom_id is not None:
                shown[dom_id] = node
    sent = []
    for node in news:
        old = shown.get(_dom_id(node)) if shown else None
        if old is None or not _same(old, node):
            sent.append(to_wire(node))
    if sent:
        ops.append([OP_PREPEND if news.prepend else OP_APPEND, path, sent])


def _dom_id(node: Node) -> Any:
    """The id a child of an append container is found by in the browser (None: none)."""
    if type(node) is Memo:
        node = node.resolve()
    return node.attrs.get("id") if type(node) is Element else None


def _same(old: Node, new: Node) -> bool:
    """Whether ``new`` renders as ``old`` does (a memoized call with equal arguments is not
    rendered again)."""
    if old is new:
        return True
    if type(old) is Memo and type(new) is Memo and old.same_call(new):
        new.node = old.node
        return True
    return old == new


def _middle(
    olds: list[Node],
    news: list[Node],
    start: int,
    old_end: int,
    new_end: int,
    path: Path,
    ops: list[Op],
) -> None:
    """The general case: match by identity, remove, move (outside the LIS) and insert."""
    by_key: dict[str, int] = {}  # keyed old children (1 and "1" are one key)
    by_position: dict[int, int] = {}  # unkeyed old children, by their rank among the unkeyed
    ordinal = 0
    for index in range(start, old_end):
        key = _key(olds[index])
        if key is None:
            by_position[ordinal] = index
            ordinal += 1
        else:
            by_key[key if type(key) is str else str(key)] = index

    # For each new child: the index of its old match, or -1.
    sources: list[int] = []
    ordinal = 0
    for index in range(start, new_end):
        key = _key(news[index])
        if key is None:
            sources.append(by_position.pop(ordinal, -1))
            ordinal += 1
        else:
            sources.append(by_key.pop(key if type(key) is str else str(key), -1))

    # Whatever was not claimed is removed, from the back.
    current = list(range(start, old_end))  # old indexes in their current DOM order
    for index in sorted([*by_key.values(), *by_position.values()], reverse=True):
        ops.append([OP_REMOVE, [*path, index]])
        del current[index - start]

    # Children whose old indexes increase along the new order stay where they are; the others
    # move. Walk from the right, placing each child before the one already placed after it.
    stay = _longest_increasing(sources)
    anchor: int | None = None  # the entry of `current` that follows the child being placed
    for offset in range(new_end - start - 1, -1, -1):
        source = sources[offset]
        if source >= 0 and offset in stay:
            anchor = source
            continue
        to = len(current) if anchor is None else current.index(anchor)
        if source >= 0:
            frm = current.index(source)
            if frm < to:
                to -= 1
            if frm != to:
                del current[frm]
                current.insert(to, source)
                ops.append([OP_MOVE, path, start + frm, start + to])
            anchor = source
        else:
            marker = -2 - offset  # a placeholder entry for the inserted node
            current.insert(to, marker)
            ops.append([OP_INSERT, path, start + to, to_wire(news[start + offset])])
            anchor = marker

    for offset, source in enumerate(sources):
        if source >= 0:
            a = olds[source]
            b = news[start + offset]
            if a is not b:
                _pair(a, b, [*path, start + offset], ops)


def _longest_increasing(sequence: list[int]) -> set[int]:
    """Positions of one longest strictly increasing subsequence of the non-negative entries."""
    tails: list[int] = []  # tails[k]: position of the smallest tail of an increasing run of k+1
    previous = [-1] * len(sequence)
    tail_values: list[int] = []
    for position, value in enumerate(sequence):
        if value < 0:
            continue
        k = bisect_left(tail_values, value)
        if k:
            previous[position] = tails[k - 1]
        if k == len(tails):
            tails.append(position)
            tail_values.append(value)
        else:
            tails[k] = position
            tail_values[k] = value
    result: set[int] = set()
    position = tails[-1] if tails else -1
    while position >= 0:
        result.add(position)
        position = previous[position]
    return result
