"""What the test client's "browser" keeps on elements against the server's patches: sticky JS
command effects, ignored attributes, ``phx-update="ignore"``, and visibility.

JS commands change the page in the browser only; the server's tree never hears of it. The test
client keeps those changes per element identity (``pylive.testing._identity``) in a
``ClientState`` and lays them over the server's tree every time the page is read, as LiveView
re-applies them after each patch ("sticky" operations):

- ``display``: the inline ``display`` that ``show``/``hide``/``toggle`` set;
- classes that ``add_class``/``remove_class``/``toggle_class`` added or removed;
- attributes that ``set_attribute``/``remove_attribute``/``toggle_attribute`` set or removed;
- the attribute names ``ignore_attributes`` froze: those keep the value (or absence) they had
  when it ran, whatever the server sends later;
- for an element rendered with ``phx-update="ignore"``: its attributes as first rendered, apart
  from ``data-*`` ones, which follow the server.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from typing import Any

from pylive._attrs import AttrValue
from pylive.node import Element, Memo, Node
from pylive.testing._dom import LxmlElement
from pylive.testing._form_state import LiveValue, Typed
from pylive.testing._identity import IGNORE, Slot

_DISPLAY_NONE = re.compile(r"(?:^|;)\s*display\s*:\s*none\s*(?:!\s*important\s*)?(?:;|$)", re.I)


class Sticky:
    """The client-side state of one element."""

    __slots__ = ("added", "attrs", "display", "frozen", "ignored", "removed")

    def __init__(self) -> None:
        self.display: str | None = None
        self.added: list[str] = []
        self.removed: list[str] = []
        self.attrs: dict[str, str | None] = {}
        """Attributes set (a str) or removed (None) on the client."""
        self.ignored: tuple[str, ...] = ()
        """``ignore_attributes`` patterns (``*`` wildcards)."""
        self.frozen: dict[str, AttrValue] | None = None
        """The attributes of a ``phx-update="ignore"`` element as first rendered."""

    def __repr__(self) -> str:
        parts = [
            f"{name}={value!r}"
            for name in self.__slots__
            if (value := getattr(self, name)) not in (None, [], {}, ())
        ]
        return f"Sticky({', '.join(parts)})"

    def add_class(self, names: Iterable[str]) -> None:
        for name in names:
            if name in self.removed:
                self.removed.remove(name)
            if name not in self.added:
                self.added.append(name)

    def remove_class(self, names: Iterable[str]) -> None:
        for name in names:
            if name in self.added:
                self.added.remove(name)
            if name not in self.removed:
                self.removed.append(name)

    def set_attribute(self, name: str, value: str | None) -> None:
        self.attrs[name] = value
        if name == "class":
            self.added.clear()
            self.removed.clear()
        elif name == "style":
            self.display = None

    def ignore(self, patterns: Sequence[str], current: dict[str, str]) -> None:
        """Freeze the attributes matching ``patterns`` at their ``current`` values."""
        self.ignored = tuple(dict.fromkeys((*self.ignored, *patterns)))
        for name, value in current.items():
            if matches(name, patterns):
                self.attrs.setdefault(name, value)

    def apply(self, server: dict[str, AttrValue]) -> dict[str, AttrValue]:
        """The element's attributes as the browser has them: the server's, with this laid over."""
        attrs = dict(server)
        if self.frozen is not None:
            attrs = {}
            for name, value in self.frozen.items():
                if not name.startswith("data-"):
                    attrs[name] = value
                elif name in server:
                    attrs[name] = server[name]
            for name, value in server.items():
                if name.startswith("data-") and name not in attrs:
                    attrs[name] = value
        if self.ignored:
            for name in [n for n in attrs if n not in self.attrs and matches(n, self.ignored)]:
                del attrs[name]
        for name, set_to in self.attrs.items():
            if set_to is None:
                attrs.pop(name, None)
            else:
                attrs[name] = set_to
        if self.added or self.removed:
            have = str(attrs.get("class") or "").split() if attrs.get("class") is not True else []
            classes = [c for c in have if c not in self.removed]
            classes += [c for c in self.added if c not in classes]
            if classes:
                attrs["class"] = " ".join(classes)
            else:
                attrs.pop("class", None)
        if self.display is not None:
            attrs["style"] = with_display(attrs.get("style"), self.display)
        return attrs


def matches(name: str, patterns: Iterable[str]) -> bool:
    """Whether attribute ``name`` matches one of ``patterns`` (``*``: any run of characters)."""
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def with_display(style: AttrValue | None, display: str) -> str:
    """``style`` (an inline style attribute) with its ``display`` declaration set."""
    kept = []
    if isinstance(style, str):
        for part in style.split(";"):
            name = part.split(":", 1)[0].strip().lower()
            if part.strip() and name != "display":
                kept.append(part.strip())
    return "; ".join([*kept, f"display: {display}"])


class ClientState:
    """Every element's ``Sticky`` state by identity, the focus, and the form controls' state
    (``pylive.testing._form_state``): typed values and used controls."""

    def __init__(self) -> None:
        self.elements: dict[int, Sticky] = {}
        self.focused: int | None = None
        self.focus_stack: list[int] = []
        self.typed: dict[int, Typed] = {}
        """What the user typed into each control, laid over the server's value."""
        self.used: set[int] = set()
        """The controls a user used: had focus, an input event, or their form was submitted."""
        self.version = 0
        """Bumped by every change, so a page built before it is known to be stale."""

    def type_value(self, token: int, value: LiveValue, base: LiveValue) -> None:
        """The user set the control ``token`` to ``value`` (the server's being ``base``)."""
        self.version += 1
        if value == base:
            self.typed.pop(token, None)
        else:
            self.typed[token] = Typed(value, base)

    def clear_typed(self, tokens: Iterable[int]) -> None:
        """The controls ``tokens`` take the server's values (a submit's ack)."""
        self.version += 1
        for token in tokens:
            self.typed.pop(token, None)

    def mark_used(self, tokens: Iterable[int]) -> None:
        new = set(tokens) - self.used
        if new:
            self.version += 1
            self.used |= new

    def forget_used(self, tokens: Iterable[int]) -> None:
        """The controls ``tokens`` (and forms) count as not used any more (a form's reset)."""
        gone = self.used & set(tokens)
        if gone:
            self.version += 1
            self.used -= gone

    def get(self, token: int) -> Sticky:
        self.version += 1
        sticky = self.elements.get(token)
        if sticky is None:
            sticky = self.elements[token] = Sticky()
        return sticky

    def prune(self, alive: set[int]) -> None:
        """Forget the elements that left the page."""
        for token in [t for t in self.elements if t not in alive]:
            del self.elements[token]
        for token in [t for t in self.typed if t not in alive]:
            del self.typed[token]
        self.used &= alive
        self.focus_stack = [t for t in self.focus_stack if t in alive]
        if self.focused is not None and self.focused not in alive:
            self.focused = None

    def freeze_ignored(self, nodes: Sequence[Node], slots: Sequence[Slot | None]) -> None:
        """Remember the first-rendered attributes of each ``phx-update="ignore"`` element."""
        for node, slot in zip(nodes, slots, strict=False):
            if type(node) is Memo:
                node = node.resolve()
            if slot is None or type(node) is not Element:
                continue
            if node.attrs.get(IGNORE[0]) == IGNORE[1]:
                known = self.elements.get(slot.token)
                if known is None or known.frozen is None:
                    self.get(slot.token).frozen = dict(node.attrs)
            if not node.raw:
                self.freeze_ignored(list(node.children), slot.children)

    def overlay(self, nodes: Sequence[Node], slots: Sequence[Slot | None]) -> list[Node]:
        """``nodes`` as the browser shows them: each element's state laid over it."""
        if not self.elements:
            return list(nodes)
        return [self._overlay_one(node, slot) for node, slot in zip(nodes, slots, strict=True)]

    def _overlay_one(self, node: Node, slot: Slot | None) -> Node:
        if type(node) is Memo:
            node = node.resolve()
        if slot is None or type(node) is not Element:
            return node
        sticky = self.elements.get(slot.token)
        attrs = node.attrs if sticky is None else sticky.apply(node.attrs)
        children: Any = node.children
        if not node.raw and slot.children:
            children = [
                self._overlay_one(child, kid)
                for child, kid in zip(node.children, slot.children, strict=True)
            ]
        if attrs is node.attrs and all(
            a is b for a, b in zip(children, node.children, strict=True)
        ):
            return node
        return Element(node.tag, attrs, children, node.key, node.raw)


def hidden(el: LxmlElement) -> bool:
    """Whether the browser hides ``el``, as far as the page tells: it or an ancestor has the
    ``hidden`` attribute or an inline ``display: none``. Stylesheets are not evaluated."""
    for node in (el, *el.iterancestors()):
        if node.get("hidden") is not None:
            return True
        style = node.get("style")
        if style and _DISPLAY_NONE.search(style):
            return True
    return False
