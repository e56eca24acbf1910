"""The element tree: what ``render`` returns, what the diff compares and the renderer writes.

A tree is made of four kinds of node, all immutable once built:

- ``Element``: a tag, a dict of normalised attributes, a list of children and an optional key;
- ``str``: a text node (escaped when rendered, never parsed as HTML);
- ``Raw``: opaque HTML (``markupsafe.Markup``, an htpy element, anything with ``__html__``). An
  element holding raw HTML holds exactly one ``Raw`` child: its whole content, kept as nodes until
  the renderer writes it as one string (``pylive.render.raw_html``). It is diffed as a whole and
  replaced when the HTML changes, because the browser, not pylive, decides how many nodes that
  string becomes;
- ``Memo``: a call of a memoized component, rendered lazily and skipped by the diff when its
  arguments equal those of the call it replaces;
- ``ComponentPlaceholder``: where a live component goes, until the session puts the component's
  root element in its place.

Children are normalised once, when the element is built: ``None``/``False``/``True`` are dropped,
numbers become text, lists, tuples, generators and fragments are flattened, adjacent texts are
merged and empty texts dropped (the browser would merge or drop them too, and the diff addresses
nodes by their index among the DOM's child nodes).

This module is the leaf of the pure core: it imports nothing of pylive but ``_attrs`` and
``exceptions``. What a builder returns depends on its arguments only: a stream container
(``phx-update="stream"``) keeps its children as a plain list, which the session turns into stream
items after the render (``pylive.stream_items``); an append or prepend container
(``phx-update="append"``/``"prepend"``) keeps them as ``Additions``.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from types import GeneratorType
from typing import Any, TypeAlias, overload

from pylive._attrs import EMPTY_ATTRS as EMPTY_ATTRS
from pylive._attrs import AttrValue, attrs_differ
from pylive.exceptions import ComponentError, DuplicateKey, InvalidChild

VOID_ELEMENTS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)
"""Elements that have no content and no end tag."""

RAW_TEXT_ELEMENTS = frozenset({"script", "style"})
"""Elements whose text is written as is: escaping would break the JavaScript or CSS inside."""


Key: TypeAlias = str | int
"""A child's identity among its siblings: ``key=`` or its ``id``. An int key is kept as given (no
string made per row) and is the same key as its decimal string: ``1`` and ``"1"`` match."""


class Element:
    """One HTML element. Build it with the builders in ``pylive.html``, not directly."""

    __slots__ = ("attrs", "children", "key", "raw", "tag")

    tag: str
    attrs: dict[str, AttrValue]
    children: Children
    key: Key | None
    raw: bool

    def __init__(
        self,
        tag: str,
        attrs: dict[str, AttrValue],
        children: Children,
        key: Key | None = None,
        raw: bool = False,
    ) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children = children
        self.key = key
        self.raw = raw

    def __getitem__(self, children: Any) -> Element:
        """htpy's children syntax: ``div(class_="x")["text", p("more")]``.

        Children go either in the call or in the brackets, not both: an element that already has
        children refuses more, rather than silently dropping or reordering them.
        """
        items = children if isinstance(children, tuple) else (children,)
        tag = self.tag
        if tag in VOID_ELEMENTS:
            raise InvalidChild(f"<{tag}> is a void element and cannot have children, got {items!r}")
        if self.children:
            raise InvalidChild(
                f"<{tag}> already has children {self.children!r}; pass children either in the "
                f"call or in [...], not both (got {items!r})"
            )
        if tag in RAW_TEXT_ELEMENTS:
            return Element(tag, self.attrs, raw_text_children(tag, items), self.key)
        update = self.attrs.get("phx-update")
        if update == "stream":
            return stream_container(tag, self.attrs, items, self.key)
        if update == "append" or update == "prepend":
            return append_container(tag, self.attrs, items, self.key)
        kids, raw = normalize_children(tag, items)
        return Element(tag, self.attrs, kids, self.key, raw)

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if type(other) is Memo:
            other = other.resolve()
        if type(other) is not Element:
            return NotImplemented
        return (
            self.tag == other.tag and self.attrs == other.attrs and self.children == other.children
        )

    __hash__ = None  # type: ignore[assignment]  # mutable-looking containers inside

    def __repr__(self) -> str:
        parts = [repr(child) for child in self.children]
        parts += [f"{name}={value!r}" for name, value in self.attrs.items()]
        if self.key is not None and self.key != self.attrs.get("id"):
            parts.append(f"key={self.key!r}")
        return f"{self.tag}({', '.join(parts)})"


class Raw:
    """Raw HTML, written without escaping: a leaf, or the whole content of an element.

    A leaf (``Raw(html)``, from ``Markup``, an htpy element, anything with ``__html__``) holds its
    string. The content of an element that holds raw HTML among other children is one
    ``Raw(nodes=...)``: its children as nodes, written as one string by the renderer when first
    needed (``pylive.render.raw_html``), which keeps the string and lets the nodes go.

    Two leaves are equal when their strings are; two contents when their nodes are (or, once
    written, their strings).
    """

    __slots__ = ("_html", "nodes")

    _html: str | None
    nodes: list[Node] | None

    def __init__(self, html: str | None = None, *, nodes: list[Node] | None = None) -> None:
        self._html = None if html is None else str.__str__(html)
        self.nodes = nodes

    @property
    def html(self) -> str:
        """The HTML string. A content not written yet has none: ``raw_html(raw)`` writes it."""
        html = self._html
        if html is None:
            raise RuntimeError(
                f"{self!r} has not been rendered yet; pylive.render.raw_html(raw) writes its HTML"
            )
        return html

    def __eq__(self, other: object) -> bool:
        if type(other) is not Raw:
            return NotImplemented
        if self is other:
            return True
        if self.nodes is not None and other.nodes is not None:
            return self.nodes == other.nodes
        return self._html is not None and self._html == other._html

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        if self.nodes is not None:
            return f"Raw(nodes={self.nodes!r})"
        return f"Raw({self._html!r})"


class Fragment:
    """Children without a wrapper element; spliced into the parent it is passed to."""

    __slots__ = ("children",)

    def __init__(self, children: Children) -> None:
        self.children = children

    def __eq__(self, other: object) -> bool:
        if type(other) is not Fragment:
            return NotImplemented
        return self.children == other.children

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"fragment({', '.join(repr(child) for child in self.children)})"


ROWS_MIN = 32
"""From this many children on, a list of uniform text rows is kept as ``TextRows``."""

NEWLINE_DROPPING_ELEMENTS = frozenset({"pre", "textarea", "listing"})
"""Whose first newline the HTML parser drops (the renderer writes one back)."""
FOREIGN_ROOTS = frozenset({"svg", "math"})
"""Where SVG and MathML begin: their children are not parsed as HTML."""
SPECIAL_ELEMENTS = VOID_ELEMENTS | RAW_TEXT_ELEMENTS | NEWLINE_DROPPING_ELEMENTS | FOREIGN_ROOTS
"""Every tag the renderer treats by a rule of its own: never text rows, always lowercased."""


class TextRows(Sequence["Element"]):
    """A long list of uniform rows, kept compactly: ``ul([li(text, key=k) for …])``.

    Every row is an element with the same tag and attributes and exactly one text child; keys are
    all given or all absent. A session keeps its last tree until the next event, so a list of
    1,000 rows kept as 1,000 elements, their child lists and texts costs ~230 KB; kept as one list
    of texts and an array of keys it costs ~80 KB. Iterating, indexing or comparing it yields
    real ``Element`` rows (built on demand); the renderer, the wire encoder and the diff read the
    compact form directly, and the diff compares two of them with list and array comparisons.
    """

    __slots__ = ("attrs", "keys", "tag", "texts")

    def __init__(
        self,
        tag: str,
        attrs: dict[str, AttrValue],
        keys: list[Key] | array[int] | None,
        texts: list[str],
    ) -> None:
        self.tag = tag
        self.attrs = attrs
        self.keys = keys
        self.texts = texts

    def __len__(self) -> int:
        return len(self.texts)

    def __iter__(self) -> Iterator[Element]:
        tag, attrs, keys = self.tag, self.attrs, self.keys
        if keys is None:
            return (Element(tag, attrs, [text]) for text in self.texts)
        return (
            Element(tag, attrs, [text], key) for key, text in zip(keys, self.texts, strict=True)
        )

    @overload
    def __getitem__(self, index: int) -> Element: ...

    @overload
    def __getitem__(self, index: slice) -> list[Element]: ...

    def __getitem__(self, index: int | slice) -> Element | list[Element]:
        if isinstance(index, slice):
            return list(self)[index]
        keys = self.keys
        key = None if keys is None else keys[index]
        return Element(self.tag, self.attrs, [self.texts[index]], key)

    def __eq__(self, other: object) -> bool:
        if type(other) is TextRows:
            return self.tag == other.tag and self.attrs == other.attrs and self.texts == other.texts
        if isinstance(other, list):
            return list(self) == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"TextRows(<{self.tag}> × {len(self.texts)})"

    def same_shape(self, other: TextRows) -> bool:
        """Same tag, same attributes in the same order, keyed alike: comparable row by row."""
        a, b = self.attrs, other.attrs
        return (
            self.tag == other.tag
            and (a is b or not attrs_differ(a, b))
            and (self.keys is None) == (other.keys is None)
        )


def compact_rows(kids: list[Node]) -> list[Node] | TextRows:
    """``kids`` as ``TextRows`` when they are ``ROWS_MIN`` or more uniform text rows."""
    first = kids[0]
    if type(first) is not Element or first.tag in SPECIAL_ELEMENTS:
        return kids
    tag, attrs, keyed = first.tag, first.attrs, first.key is not None
    for row in kids:  # one pass to check the shape; the lists below are built in C
        if (
            type(row) is not Element
            or row.tag != tag
            or (row.attrs is not attrs and attrs_differ(row.attrs, attrs))
            or len(row.children) != 1
            or type(row.children[0]) is not str
            or (row.key is None) is keyed
        ):
            return kids
    texts: list[str] = [row.children[0] for row in kids]  # type: ignore[union-attr, misc]
    if not keyed:
        return TextRows(tag, attrs, None, texts)
    keys: list[Key] = [row.key for row in kids]  # type: ignore[union-attr, misc]
    try:
        return TextRows(tag, attrs, array("q", keys), texts)  # type: ignore[arg-type]
    except (TypeError, OverflowError):  # str keys, or ints beyond 64 bits
        return TextRows(tag, attrs, keys, texts)


class Memo:
    """A memoized component call: rendered on demand, skipped when its arguments are unchanged.

    ``fn(*args, **kwargs)`` must return exactly one element. ``key`` (from the reserved ``key=``
    argument of the call) gives the call its identity among its siblings, as ``key=`` does for an
    element.

    ``then``, when set, is applied to the element once rendered: how a pass over a finished tree
    (the session's stream collection) reaches inside a call without rendering it early, since the
    diff must still be free to skip it.
    """

    __slots__ = ("args", "fn", "key", "kwargs", "node", "then")

    def __init__(
        self,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        key: Key | None,
    ) -> None:
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.key = key
        self.node: Element | None = None
        self.then: Callable[[Element], Element] | None = None

    def same_call(self, other: Memo) -> bool:
        """True when ``other`` calls the same function with equal arguments (O(args))."""
        return (
            self.fn is other.fn
            and self.key == other.key
            and self.args == other.args
            and self.kwargs == other.kwargs
        )

    def resolve(self) -> Element:
        """Render the call once and keep the result."""
        node = self.node
        if node is None:
            result = self.fn(*self.args, **self.kwargs)
            if type(result) is Memo:
                result = result.resolve()
            if type(result) is not Element:
                name = getattr(self.fn, "__qualname__", repr(self.fn))
                raise ComponentError(
                    f"memoized component {name}() must return exactly one element, got {result!r}"
                )
            then = self.then
            node = self.node = result if then is None else then(result)
        return node

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if type(other) is Memo:
            if self.node is not None and self.node is other.node:
                return True
            return self.resolve() == other.resolve()
        if type(other) is Element:
            return self.resolve() == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        name = getattr(self.fn, "__qualname__", repr(self.fn))
        return f"<memo {name} key={self.key!r}>"


class ComponentPlaceholder:
    """Where a stateful component goes in a tree: ``live_component(Counter, id="c1", ...)``.

    A placeholder only: the live view's session mounts, updates and renders the component, and puts
    its root element in this place before the tree is diffed or rendered. ``key`` is the component's
    id, so a moved component is matched (and moved), never re-created.
    """

    __slots__ = ("assigns", "cls", "id", "key")

    def __init__(self, cls: Any, id: str, assigns: dict[str, Any]) -> None:
        self.cls = cls
        self.id = id
        self.key = id
        self.assigns = assigns

    def __repr__(self) -> str:
        return f"live_component({getattr(self.cls, '__qualname__', self.cls)}, id={self.id!r})"

    def unresolved(self) -> TypeError:
        """The error for a placeholder that reached the renderer or the diff."""
        return TypeError(
            f"{self!r} was not rendered by a live view: stateful components work in a "
            "LiveView's render (not inside a memoized component or a plain render_html call)"
        )


Node: TypeAlias = Element | str | Raw | Memo | ComponentPlaceholder
"""A normalised child: an element, a text, raw HTML, a memoized component call or a placeholder."""

Children: TypeAlias = "list[Node] | TextRows"
"""An element's children: a list of nodes, or a long list of uniform text rows kept compactly."""

Tree: TypeAlias = Element | Memo | ComponentPlaceholder | Fragment | str | Raw
"""What a view or component may return: one node, or a fragment of several."""


def fragment(*children: Any) -> Fragment:
    """Group children without a wrapper element: ``fragment(h1("T"), p("body"))``."""
    kids, raw = normalize_children("fragment", children)
    if raw:
        raise InvalidChild(
            "fragment(): raw HTML needs an enclosing element, because the diff replaces raw "
            "content through its parent; wrap it, e.g. div(Markup(...))"
        )
    return Fragment(kids)


def normalize_children(tag: str, items: Iterable[Any]) -> tuple[Children, bool]:
    """Flatten and validate children; return them with a flag telling whether any is raw HTML."""
    out: list[Node] = []
    flags = _extend(tag, out, items)
    if flags & _KEYED:
        _check_keys(tag, out)
    if flags & _RAW:
        # Raw HTML is opaque: the browser decides how many nodes it becomes, so the element's whole
        # content becomes one raw leaf, compared and replaced as one string (the renderer's).
        if len(out) == 1:
            return out, True  # one leaf already
        return [Raw(nodes=out)], True
    if len(out) >= ROWS_MIN:
        return compact_rows(out), False
    return out, False


# What ``_extend`` found, besides the children: raw HTML, keyed children.
_RAW = 1
_KEYED = 2


def _extend(tag: str, out: list[Node], items: Iterable[Any]) -> int:
    flags = 0
    for child in items:
        kind = type(child)
        if kind is str:
            if child:
                if out and type(out[-1]) is str:
                    out[-1] += child
                else:
                    out.append(child)
        elif kind is Element or kind is Memo:
            out.append(child)
            if child.key is not None:
                flags |= _KEYED
        elif kind is ComponentPlaceholder:
            out.append(child)
            flags |= _KEYED
        elif child is None or child is False or child is True:
            continue
        elif kind is int or kind is float:
            text = str(child)
            if out and type(out[-1]) is str:
                out[-1] += text
            else:
                out.append(text)
        elif kind is list or kind is tuple or kind is GeneratorType:
            flags |= _extend(tag, out, child)
        elif kind is Fragment:
            flags |= _extend(tag, out, child.children)
        elif kind is Raw:
            out.append(child)
            flags |= _RAW
        elif hasattr(child, "__html__"):
            out.append(Raw(child.__html__()))
            flags |= _RAW
        elif isinstance(child, str):
            _extend(tag, out, (str.__str__(child),))
        elif isinstance(child, int | float) and not isinstance(child, bool):
            _extend(tag, out, (str(child),))
        elif isinstance(child, Iterator | range):
            flags |= _extend(tag, out, child)
        else:
            hint = ""
            if callable(child) and isinstance(getattr(child, "tag", None), str):
                hint = f" (did you mean {child.tag.replace('-', '_')}()?)"
            raise InvalidChild(
                f"<{tag}>: invalid child {child!r} ({type(child).__name__}){hint}; expected an "
                "element, str, int, float, None, a list/tuple/generator of those, or an object "
                "with __html__"
            )
    return flags


def raw_text_children(tag: str, items: Iterable[Any]) -> list[Node]:
    """The children of ``<script>``/``<style>``: one text, never escaped, so checked here.

    Text and raw HTML (``Markup``) are both taken as the element's literal content. Content that
    would end the element early (``</script``) is refused, and so is ``<!--`` in a script, which
    puts the HTML parser in a state where the real end tag no longer ends the script.
    """
    kids: list[Node] = []
    _extend(tag, kids, items)  # not normalize_children: raw HTML must not be merged and escaped
    text = ""
    for child in kids:
        kind = type(child)
        if kind is str:
            text += child  # type: ignore[operator]
        elif kind is Raw and child.nodes is None:  # type: ignore[union-attr]
            text += child.html  # type: ignore[union-attr]
        else:
            raise InvalidChild(f"<{tag}> takes text only, got {child!r}")
    lowered = text.lower()
    if f"</{tag}" in lowered:
        raise InvalidChild(
            f"<{tag}> text must not contain '</{tag}': it would end the element early, got {text!r}"
        )
    if tag == "script" and "<!--" in lowered:
        raise InvalidChild(
            f"<script> text must not contain '<!--': the HTML parser would not end the script at "
            f"its end tag, got {text!r}; write it as '<\\!--' in JavaScript strings"
        )
    return [text] if text else []


def stream_container(
    tag: str, attrs: dict[str, AttrValue], items: Iterable[Any], key: Key | None
) -> Element:
    """``<tag id=... phx-update="stream">`` with ``items`` as children, checked.

    Its children stay a plain list, in the order given: which of them the streams asked for, and
    where, is known to the session, which turns them into stream items after the render
    (``pylive.stream_items``). Checked here, when built: the container needs an id (the browser
    keeps its items and the server finds it by it) and every child is an element with an id (how
    the browser finds an item again); a memoized child is rendered to check it.
    """
    kids, _ = normalize_children(tag, items)
    container = attrs.get("id")
    if not isinstance(container, str) or not container:
        raise InvalidChild(
            f'<{tag} phx-update="stream"> needs an id: the browser keeps its items and the '
            f"server finds the container by it; got id={container!r}"
        )
    children: list[Node] = []
    for child in kids:
        if type(child) is Memo:
            child = child.resolve()
        dom_id = child.attrs.get("id") if type(child) is Element else None
        if type(dom_id) is not str:
            raise InvalidChild(
                f'the children of <{tag} id="{container}" phx-update="stream"> must be elements '
                f"with an id (id=dom_id from the stream), got {child!r}"
            )
        children.append(child)
    return Element(tag, attrs, children, key)


class Additions(list[Node]):
    """The children of a ``phx-update="append"`` or ``"prepend"`` container: what this render
    adds to the children the browser keeps (LiveView's append and prepend containers).

    The diff sends them as one ``OP_APPEND``/``OP_PREPEND`` op: a child whose id the browser
    already shows updates it in place, the others are added at the end (``prepend``: at the
    start). The server keeps only what the last render had, so rows a render adds once (with
    ``socket.temporary_assigns``) are held until the next render, never accumulated.
    """

    __slots__ = ("prepend",)

    prepend: bool

    def __init__(self, children: Iterable[Node] = (), prepend: bool = False) -> None:
        super().__init__(children)
        self.prepend = prepend


def append_container(
    tag: str, attrs: dict[str, AttrValue], items: Iterable[Any], key: Key | None
) -> Element:
    """``<tag phx-update="append">`` (or ``"prepend"``) with ``items`` as its ``Additions``.

    Raw HTML cannot be one (the browser keeps children it finds by id); whether each child is an
    element with an id is the render check's (``pylive.client_hooks.check_hooks``), as LiveView
    checks it in development only.
    """
    kids, raw = normalize_children(tag, items)
    if raw:
        raise InvalidChild(
            f'<{tag} phx-update="{attrs["phx-update"]}"> cannot hold raw HTML: the browser keeps '
            f"its children and finds them again by id; got {kids[0]!r}"
        )
    return Element(tag, attrs, Additions(kids, attrs["phx-update"] == "prepend"), key)


_KEYED_KINDS = (Element, Memo, ComponentPlaceholder)


def _check_keys(tag: str, children: list[Node]) -> None:
    """Refuse two siblings with one key. A set of the keys as given answers the common case in C;
    only a clash, or int and str keys side by side (``1`` and ``"1"`` are one key), looks closer."""
    keys = [
        child.key  # type: ignore[union-attr]
        for child in children
        if type(child) in _KEYED_KINDS and child.key is not None  # type: ignore[union-attr]
    ]
    unique = set(keys)
    if len(unique) == len(keys) and (
        all(type(key) is str for key in unique) or all(type(key) is int for key in unique)
    ):
        return
    seen: set[str] = set()
    for key in keys:
        text = key if type(key) is str else str(key)
        if text in seen:
            raise DuplicateKey(
                f"<{tag}>: duplicate key {text!r} among siblings; keys (or ids) must be "
                "unique among the children of one element"
            )
        seen.add(text)


def top_level(tree: Tree | None) -> Children:
    """The nodes a tree puts directly in its container: one, several (a fragment) or none."""
    if tree is None:
        return []
    if type(tree) is Fragment:
        return tree.children
    if type(tree) is str:
        return [tree] if tree else []
    kids, raw = normalize_children("fragment", (tree,))
    if raw:
        raise InvalidChild(
            f"a tree's top level cannot be raw HTML ({tree!r}); wrap it in an element"
        )
    return kids
