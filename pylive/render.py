"""HTML rendering: ``render_html(tree) -> str``.

Text and attribute values are escaped with markupsafe (``& < > " '``); raw HTML leaves are written
as they are; void elements get no end tag; a ``True`` attribute is written bare; the newline the
HTML parser drops after ``<pre>``/``<textarea>`` is put back. ``<script>``/``<style>`` text is
written unescaped (it was checked for an early end tag when built), except inside ``<svg>`` and
``<math>``: there the parser decodes character references and reads tags inside ``<style>``, so the
text is escaped like any other (HTML integration points such as ``<foreignObject>`` switch back).
"""

from __future__ import annotations

from collections.abc import Callable

import markupsafe
from markupsafe import escape

from pylive._attrs import AttrValue
from pylive.node import (
    FOREIGN_ROOTS,
    RAW_TEXT_ELEMENTS,
    SPECIAL_ELEMENTS,
    VOID_ELEMENTS,
    Children,
    ComponentPlaceholder,
    Element,
    Fragment,
    Memo,
    Node,
    Raw,
    TextRows,
    Tree,
)


def _escape_markup(text: str, /) -> str:
    return str.__str__(escape(text))


# markupsafe's escaping core, str → str, without building a Markup object per text (5x faster).
# Same characters, same entities as ``markupsafe.escape``; a test holds them equal.
_escape: Callable[[str], str] = getattr(markupsafe, "_escape_inner", _escape_markup)


# Inside svg/math, the children of these are parsed as HTML again.
_HTML_INTEGRATION_POINTS = frozenset(
    {"foreignObject", "desc", "title", "mi", "mo", "mn", "ms", "mtext"}
)
_HTML_ANNOTATION_ENCODINGS = ("text/html", "application/xhtml+xml")


def render_html(tree: Tree | None) -> str:
    """Render a tree (an element, a fragment, text, raw HTML or a memo call) to an HTML string.

    >>> from pylive.html import p
    >>> render_html(p("1 < 2 & ", "'ok'", class_="note"))
    '<p class="note">1 &lt; 2 &amp; &#39;ok&#39;</p>'
    """
    out: list[str] = []
    if tree is None:
        return ""
    if type(tree) is Fragment:
        _children(tree.children, out)
    else:
        _children((tree,), out)  # type: ignore[arg-type]
    return "".join(out)


def raw_html(raw: Raw) -> str:
    """The HTML of a raw leaf, or of an element's raw content, written once and kept.

    Content is written with the rules of HTML (it is parsed as such when the browser sets it); its
    nodes are let go once written, since only the string is needed again (by the diff and the
    wire).
    """
    html = raw._html
    if html is None:
        out: list[str] = []
        _children(raw.nodes or (), out)
        html = raw._html = "".join(out)
        raw.nodes = None
    return html


def render_children(element: Element) -> str:
    """The inner HTML of ``element``."""
    out: list[str] = []
    if element.tag in RAW_TEXT_ELEMENTS:
        _raw_text(element, out)
    else:
        _children(element.children, out)
    return "".join(out)


def _start_tag(tag: str, attrs: dict[str, AttrValue]) -> str:
    parts = ["<", tag]
    for name, value in attrs.items():
        if value is True:
            parts.append(" " + name)
        else:
            parts.append(f' {name}="{_escape(value)}"')  # type: ignore[arg-type]
    parts.append(">")
    return "".join(parts)


def _children(children: Children | tuple[Node, ...], out: list[str]) -> None:
    if type(children) is TextRows:
        _text_rows(children, out)
        return
    append = out.append
    for child in children:
        kind = type(child)
        if kind is str:
            append(_escape(child))  # type: ignore[arg-type]
        elif kind is Element:
            _element(child, out)  # type: ignore[arg-type]
        else:
            _other(child, out, False)


def _element(el: Element, out: list[str]) -> None:
    tag = el.tag
    attrs = el.attrs
    append = out.append
    append(_start_tag(tag, attrs) if attrs else f"<{tag}>")
    if tag in SPECIAL_ELEMENTS:
        if tag in VOID_ELEMENTS:
            return
        if tag in RAW_TEXT_ELEMENTS:
            _raw_text(el, out)
            append(f"</{tag}>")
            return
        if tag in FOREIGN_ROOTS:
            _foreign_children(el.children, out)
            append(f"</{tag}>")
            return
        first = el.children[0] if el.children else None
        if type(first) is str and first.startswith("\n"):
            # The HTML parser drops one newline right after these start tags: add one back.
            append("\n")
    children = el.children
    if type(children) is TextRows:
        _text_rows(children, out)
        append(f"</{tag}>")
        return
    for child in children:
        kind = type(child)
        if kind is str:
            append(_escape(child))  # type: ignore[arg-type]
        elif kind is Element:
            _element(child, out)  # type: ignore[arg-type]
        else:
            _other(child, out, False)
    append(f"</{tag}>")


def _raw_text(el: Element, out: list[str]) -> None:
    for child in el.children:
        out.append(child if type(child) is str else raw_html(child))  # type: ignore[arg-type]


def _foreign_element(el: Element, out: list[str]) -> None:
    tag = el.tag
    attrs = el.attrs
    append = out.append
    append(_start_tag(tag, attrs) if attrs else f"<{tag}>")
    if tag in VOID_ELEMENTS:
        return
    if tag in _HTML_INTEGRATION_POINTS or (
        tag == "annotation-xml"
        and str(attrs.get("encoding", "")).lower() in _HTML_ANNOTATION_ENCODINGS
    ):
        _children(el.children, out)
    else:
        _foreign_children(el.children, out)
    append(f"</{tag}>")


def _foreign_children(children: Children, out: list[str]) -> None:
    if type(children) is TextRows:
        _text_rows(children, out)  # never raw-text rows: rendered alike in foreign content
        return
    append = out.append
    for child in children:
        kind = type(child)
        if kind is str:
            append(_escape(child))  # type: ignore[arg-type]
        elif kind is Element:
            _foreign_element(child, out)  # type: ignore[arg-type]
        else:
            _other(child, out, True)


def _text_rows(rows: TextRows, out: list[str]) -> None:
    tag, attrs = rows.tag, rows.attrs
    start = _start_tag(tag, attrs) if attrs else f"<{tag}>"
    end = f"</{tag}>"
    out.extend([f"{start}{_escape(text)}{end}" for text in rows.texts])


def _other(node: object, out: list[str], foreign: bool) -> None:
    kind = type(node)
    if kind is Raw:
        out.append(raw_html(node))  # type: ignore[arg-type]
    elif kind is Memo:
        element = node.resolve()  # type: ignore[attr-defined]
        _foreign_element(element, out) if foreign else _element(element, out)
    elif kind is Fragment:
        children = node.children  # type: ignore[attr-defined]
        _foreign_children(children, out) if foreign else _children(children, out)
    elif kind is ComponentPlaceholder:
        raise node.unresolved()  # type: ignore[attr-defined]
    else:
        raise TypeError(f"render_html: expected a node, got {node!r}")
