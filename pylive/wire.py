"""Nodes in their wire form: plain lists, strings and dicts that orjson encodes directly.

- a text node is a JSON string: ``"Count: 3"``;
- an element is ``[tag, attrs]`` or ``[tag, attrs, children]``: ``attrs`` maps names to strings, or
  to ``true`` for a bare attribute; ``children`` is a list of wire nodes, or, for an element whose
  content is raw HTML, one string of inner HTML.

The browser builds these with ``createElement``/``createTextNode``, never through the HTML parser,
so text can never become markup and the DOM it builds has exactly the shape of the tree (no
``<tbody>`` inserted behind the diff's back). Keys are not sent: the server resolves identity and
sends moves by index.
"""

from __future__ import annotations

from typing import Any

from pylive.node import ComponentPlaceholder, Element, Memo, Node, Raw, TextRows
from pylive.render import raw_html


def to_wire(node: Node) -> Any:
    """The wire form of one node."""
    kind = type(node)
    if kind is str:
        return node
    if kind is Memo:
        node = node.resolve()  # type: ignore[union-attr]
    elif kind is ComponentPlaceholder:
        raise node.unresolved()  # type: ignore[union-attr]
    elif kind is Raw:
        raise TypeError("a raw HTML leaf has no wire form of its own; send its parent")
    el: Element = node  # type: ignore[assignment]
    if el.raw:
        return [el.tag, el.attrs, raw_html(el.children[0])]  # type: ignore[arg-type]
    children = el.children
    if not children:
        return [el.tag, el.attrs]
    if type(children) is TextRows:
        return [el.tag, el.attrs, rows_wire(children)]
    return [el.tag, el.attrs, [to_wire(child) for child in children]]


def rows_wire(rows: TextRows) -> list[Any]:
    """The wire form of each row of a ``TextRows``: ``[tag, attrs, [text]]``."""
    tag, attrs = rows.tag, rows.attrs
    return [[tag, attrs, [text]] for text in rows.texts]
