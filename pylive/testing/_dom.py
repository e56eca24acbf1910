"""The test client's page: a pylive tree as an lxml document, queried with CSS selectors.

The tree is built node for node from the pylive tree (not by parsing HTML), so the document has
exactly the shape ``client.js`` builds with ``createElement``; each lxml element maps back to the
pylive element it came from, which renders the exact HTML in messages. Raw HTML leaves are parsed
by lxml: selectable, but not addressable by events.

Also here: what the browser reads from an element for an event (``phx-value-*``, its value, the
``phx-key`` filter, where ``phx-target`` sends it) and how a form serialises into ``[name, value]``
pairs (the browser's ``FormData`` rules), with the test's values laid over it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from cssselect import HTMLTranslator, SelectorError
from lxml import etree  # type: ignore[import-untyped]
from lxml import html as lxml_html

from pylive.component_registry import COMPONENT_ATTR
from pylive.node import RAW_TEXT_ELEMENTS, Element, Memo, Node, Raw
from pylive.render import render_html
from pylive.testing._identity import Slot

LxmlElement = Any
"""An ``lxml.html.HtmlElement`` (lxml ships no type stubs)."""

VALUE_PREFIX = "phx-value-"
CHECKABLE = frozenset({"checkbox", "radio"})
BUTTON_INPUTS = frozenset({"submit", "image", "reset", "button"})
SNIPPET_LINES = 60
FLOAT = re.compile(r"-?(\d+|\d*\.\d+)([eE][-+]?\d+)?")
"""HTML's valid floating-point number: the text a number input's value may hold."""
_NEWLINE = re.compile(r"\r\n?")


@functools.lru_cache(maxsize=512)
def _xpath(selector: str) -> Any:
    try:
        expression = HTMLTranslator().css_to_xpath(selector, prefix="descendant::")
    except SelectorError as error:
        raise ValueError(f"invalid CSS selector {selector!r}: {error}") from None
    return etree.XPath(expression)


class Page:
    """The container's children as an lxml document, with a map back to the pylive nodes and,
    when ``slots`` (``pylive.testing._identity``) are given, to each element's identity."""

    def __init__(self, nodes: Sequence[Node], slots: Sequence[Slot | None] | None = None) -> None:
        self.nodes = list(nodes)
        self.root: LxmlElement = lxml_html.Element("div")  # the view's container
        self.origin: dict[LxmlElement, Element] = {}
        self.token_of: dict[LxmlElement, int] = {}
        """Each element's identity; raw HTML's elements have none."""
        self.by_token: dict[int, LxmlElement] = {}
        self.used: frozenset[int] = frozenset()
        """The identities of the controls a user used (focused, changed, submitted)."""
        self.server_live: dict[int, Any] = {}
        """The server's live value of each control the page shows a typed value in."""
        self._fill(self.root, self.nodes, slots)
        self._order: dict[LxmlElement, int] | None = None

    # -- building -------------------------------------------------------------------------------

    def _fill(
        self, parent: LxmlElement, children: Sequence[Node], slots: Sequence[Slot | None] | None
    ) -> None:
        last: LxmlElement | None = None
        if slots is not None and len(slots) != len(children):
            raise AssertionError(
                f"the test client's identities lost track of the page ({len(slots)} slots for "
                f"{len(children)} nodes): please report this bug"
            )
        for index, child in enumerate(children):
            if type(child) is Memo:
                child = child.resolve()
            if type(child) is str:
                _add_text(parent, last, child)
            elif type(child) is Raw:
                last = _add_raw(parent, last, child.html)
            elif type(child) is Element:
                last = self._element(parent, child, None if slots is None else slots[index])
            else:
                raise TypeError(f"unexpected node in a live tree: {child!r}")

    def _element(self, parent: LxmlElement, node: Element, slot: Slot | None) -> LxmlElement:
        el = parent.makeelement(node.tag, {})
        for name, value in node.attrs.items():
            el.set(name, "" if value is True else value)
        parent.append(el)
        self.origin[el] = node
        if slot is not None:
            self.token_of[el] = slot.token
            self.by_token[slot.token] = el
        if node.tag in RAW_TEXT_ELEMENTS:
            el.text = "".join(c if type(c) is str else c.html for c in node.children)  # type: ignore[union-attr]
        elif node.raw:
            _add_raw(el, None, node.children[0].html)  # type: ignore[union-attr]
        else:
            self._fill(el, node.children, None if slot is None else slot.children)
        return el

    # -- queries --------------------------------------------------------------------------------

    def select(self, selector: str, text: str | re.Pattern[str] | None = None) -> list[LxmlElement]:
        """Elements matching ``selector`` (and containing ``text``), in document order."""
        found: list[LxmlElement] = _xpath(selector)(self.root)
        if text is None:
            return found
        return [el for el in found if text_matches(el, text)]

    def having(self, attribute: str) -> list[LxmlElement]:
        """The elements with ``attribute``, in document order (``select(f"[{attribute}]")``
        without compiling a selector: the client asks this on every join and click)."""
        return [
            el for el in self.root.iter() if el is not self.root and el.get(attribute) is not None
        ]

    def outer_html(self, el: LxmlElement) -> str:
        node = self.origin.get(el)
        if node is not None:
            return render_html(node)
        return str(lxml_html.tostring(el, encoding="unicode", with_tail=False))

    def pretty(self, el: LxmlElement | None = None, lines: int = SNIPPET_LINES) -> str:
        """Indented HTML of the page (or of one element) for messages, cut after ``lines``."""
        nodes: Sequence[Node] = self.nodes if el is None else [self.origin[el]]
        out: list[str] = []
        for node in nodes:
            _pretty(node, 0, out)
        if not out:
            return "    (empty)"
        if len(out) > lines:
            out = [*out[:lines], f"    … ({len(out) - lines} more lines)"]
        return "\n".join("    " + line for line in out)

    def describe(self, el: LxmlElement) -> str:
        """One element's HTML for a message: indented, or its outer HTML when it is raw."""
        if el in self.origin:
            return self.pretty(el, 30)
        return "    " + self.outer_html(el)

    def order(self, el: LxmlElement) -> int:
        if self._order is None:
            self._order = {node: index for index, node in enumerate(self.root.iter())}
        return self._order[el]


def _add_text(parent: LxmlElement, last: LxmlElement | None, text: str) -> None:
    if last is None:
        parent.text = (parent.text or "") + text
    else:
        last.tail = (last.tail or "") + text


def _add_raw(parent: LxmlElement, last: LxmlElement | None, html: str) -> LxmlElement | None:
    try:
        parts = lxml_html.fragments_fromstring(html) if html.strip() else [html]
    except (etree.ParserError, ValueError):
        parts = [html]
    for part in parts:
        if isinstance(part, str):
            _add_text(parent, last, part)
        else:
            parent.append(part)
            last = part
    return last


def _pretty(node: Node, depth: int, out: list[str]) -> None:
    indent = "  " * depth
    if type(node) is Memo:
        node = node.resolve()
    if type(node) is not Element:
        out.append(indent + render_html(node))
        return
    if node.raw or not any(type(child) in (Element, Memo) for child in node.children):
        out.append(indent + render_html(node))
        return
    empty = render_html(Element(node.tag, node.attrs, []))
    end = f"</{node.tag}>"
    out.append(indent + empty.removesuffix(end))
    for child in node.children:
        _pretty(child, depth + 1, out)
    out.append(indent + end)


def opening_tag(node: Element) -> str:
    """An element's start tag: ``<div id="m" class="x">``."""
    return render_html(Element(node.tag, node.attrs, [])).removesuffix(f"</{node.tag}>")


def text_matches(el: LxmlElement, text: str | re.Pattern[str]) -> bool:
    content: str = el.text_content()
    if isinstance(text, re.Pattern):
        return text.search(content) is not None
    return text in content


# -- what an event carries ------------------------------------------------------------------------


def input_type(el: LxmlElement) -> str:
    return str(el.get("type") or "text").lower()


def is_checked(el: LxmlElement) -> bool:
    return el.get("checked") is not None


def newlines(text: str) -> str:
    """``text`` with each CRLF and lone CR as LF, as a textarea's ``value`` reads it."""
    return _NEWLINE.sub("\n", text)


def textarea_value(el: LxmlElement) -> str:
    """A textarea's value: its text, newlines normalised (``newlines``)."""
    return newlines(str(el.text or ""))


def is_reset_button(el: LxmlElement) -> bool:
    """Whether ``el`` is ``<button type="reset">`` or ``<input type="reset">``."""
    return el.tag in ("button", "input") and str(el.get("type") or "").lower() == "reset"


def option_value(option: LxmlElement) -> str:
    value = option.get("value")
    if value is not None:
        return str(value)
    return " ".join(option.text_content().split())


def selected_values(select: LxmlElement) -> list[str]:
    """The values a ``<select>`` submits: its selected options, or its first usable one."""
    options = [opt for opt in select.iter("option") if opt.get("disabled") is None]
    chosen = [opt for opt in options if opt.get("selected") is not None]
    if select.get("multiple") is not None:
        return [option_value(opt) for opt in chosen]
    if chosen:
        return [option_value(chosen[-1])]
    size = select.get("size")
    if options and (size is None or not size.isdigit() or int(size) <= 1):
        return [option_value(options[0])]
    return []


STRING_VALUE_TAGS = frozenset({"button", "option", "data", "output", "param"})
"""Elements whose DOM ``.value`` is a string read from their ``value`` attribute."""


def element_value(el: LxmlElement, checked: bool | None = None) -> str | None:
    """The ``value`` an element adds to its event payload, or None (``elementValue`` in
    ``client.js``): a control's value (a checkbox or radio only when checked, by its ``checked``
    attribute unless ``checked`` says otherwise), or the ``value`` attribute of an element whose
    DOM value is a string (a button, an option …)."""
    tag = el.tag
    if tag == "input":
        if input_type(el) in CHECKABLE:
            on = is_checked(el) if checked is None else checked
            return str(el.get("value", "on")) if on else None
        return str(el.get("value", ""))
    if tag == "select":
        values = selected_values(el)
        return values[0] if values else ""
    if tag == "textarea":
        return textarea_value(el)
    if tag in STRING_VALUE_TAGS and el.get("value") is not None:
        return str(el.get("value"))
    return None


def phx_values(el: LxmlElement) -> dict[str, Any]:
    """The ``phx-value-*`` attributes (names lowercased, as the DOM has them; a bare
    ``phx-value-`` gives the key ``""``, as in the browser)."""
    values: dict[str, Any] = {}
    for name, value in el.attrib.items():
        lower = name.lower()
        if lower.startswith(VALUE_PREFIX):
            values[lower[len(VALUE_PREFIX) :]] = value
    return values


def event_values(el: LxmlElement, checked: bool | None = None) -> dict[str, Any]:
    """A click, focus, blur or key event's payload: ``phx-value-*``, then the element's value
    unless a ``phx-value-value`` set it. ``checked``: a checkbox's or radio's checkedness when
    the event runs, if not its ``checked`` attribute (see ``checked_after_click``)."""
    values = phx_values(el)
    own = element_value(el, checked)
    if own is not None and "value" not in values:
        values["value"] = own
    return values


def checked_after_click(el: LxmlElement) -> bool | None:
    """A checkbox's or radio's checkedness when a click's listeners run: the browser checks (a
    checkbox: toggles) it before it dispatches the click. None for any other element."""
    if el.tag != "input" or input_type(el) not in CHECKABLE:
        return None
    return True if input_type(el) == "radio" else not is_checked(el)


def key_matches(el: LxmlElement, key: str) -> bool:
    """``phx-key`` filters key events: a case-insensitive match of ``event.key``."""
    wanted = el.get("phx-key")
    return wanted is None or str(wanted).lower() == key.lower()


def closest_with(el: LxmlElement, attribute: str) -> LxmlElement | None:
    """The nearest ancestor (not ``el`` itself) carrying ``attribute``."""
    for ancestor in el.iterancestors():
        if ancestor.get(attribute) is not None:
            return ancestor
    return None


# -- where an event goes --------------------------------------------------------------------------

TARGET_ATTR = "phx-target"
_CID = re.compile(r"(0|[1-9][0-9]*)")


class TargetError(AssertionError):
    """A ``phx-target`` that names no component or matches no element."""


def component_id(el: LxmlElement) -> int | None:
    """The cid of the component ``el`` belongs to: its closest ``[data-phx-component]``
    ancestor-or-self; None when it belongs to the view itself."""
    for node in (el, *el.iterancestors()):
        cid = node.get(COMPONENT_ATTR)
        if cid is not None and _CID.fullmatch(cid):
            return int(cid)
    return None


def event_targets(
    page: Page, el: LxmlElement, holder: LxmlElement | None = None
) -> list[int | None]:
    """Where an event from ``el`` goes, as LiveView's client decides: one entry per event to
    send, a cid for a component, None for the view.

    ``phx-target`` (on ``el``, else on ``holder``: the form of a control) holding an integer
    (``phx_target=assigns.myself``) names that component. Any other value is a CSS selector: each
    element it matches sends the event to its own component (the closest ``[data-phx-component]``
    ancestor-or-self), or to the view when it is in none; each target gets the event once. Without
    ``phx-target`` the event goes to the view, even from inside a component.
    """
    target = el.get(TARGET_ATTR)
    if target is None and holder is not None:
        target = holder.get(TARGET_ATTR)
    if target is None:
        return [None]
    return resolve_targets(page, str(target), el, TARGET_ATTR)


def resolve_targets(page: Page, target: str, el: LxmlElement, option: str) -> list[int | None]:
    """``event_targets`` for a target value (a ``phx-target``, or ``JS.push``'s ``target``,
    named ``option`` in errors) of an event from ``el``."""
    target = target.strip()
    if _CID.fullmatch(target):
        if not page.select(f'[{COMPONENT_ATTR}="{target}"]'):
            raise TargetError(
                f"{option}={target!r}: no component with that id is in the page (it was "
                f"removed?):\n{page.describe(el)}"
            )
        return [int(target)]
    try:
        matched = page.select(target)
    except ValueError:
        raise TargetError(
            f"{option}={target!r} is neither a component id nor a CSS selector, so the event "
            f"would go nowhere:\n{page.describe(el)}"
        ) from None
    if not matched:
        raise TargetError(
            f"{option}={target!r}: the selector matches no element, so the event would go "
            f"nowhere:\n{page.describe(el)}"
        )
    return list(dict.fromkeys(component_id(match) for match in matched))


# -- forms ----------------------------------------------------------------------------------------

Value = Any
"""What a test may set a field to: str, int, float, bool, None, or a list of those."""


class Field:
    """One named, enabled control of a form, and what it currently submits; ``unfinished``: the
    test typed text into a number input that is no number yet (``"1e"``, ``"-"``), so its value
    reads ``""`` and a change of it is not sent (a browser's ``validity.badInput``)."""

    __slots__ = ("el", "kind", "name", "unfinished", "values")

    def __init__(self, el: LxmlElement, name: str, kind: str, values: list[str]) -> None:
        self.el = el
        self.name = name
        self.kind = kind
        self.values = values
        self.unfinished = False

    def options(self) -> list[str]:
        return [option_value(opt) for opt in self.el.iter("option")]


def field_value(field: Field) -> str:
    """The DOM ``value`` of a field's control as the test left it (a checkbox's is its value
    attribute, checked or not, as in the browser)."""
    if field.kind in CHECKABLE:
        return str(field.el.get("value", "on"))
    return field.values[0] if field.values else ""


def _disabled(el: LxmlElement) -> bool:
    if el.get("disabled") is not None:
        return True
    for ancestor in el.iterancestors("fieldset"):
        if ancestor.get("disabled") is None:
            continue
        legend = next(iter(ancestor.iterchildren("legend")), None)
        if legend is None or not any(a is legend for a in el.iterancestors("legend")):
            return True
    return False


def _owner(el: LxmlElement, form: LxmlElement, form_id: str | None) -> bool:
    owner = el.get("form")
    if owner is not None:
        return form_id is not None and owner == form_id
    return any(ancestor is form for ancestor in el.iterancestors("form"))


def form_of(page: Page, el: LxmlElement) -> LxmlElement | None:
    """The form a control belongs to: the one its ``form="id"`` names, else its closest."""
    owner = el.get("form")
    if owner is not None:
        found = [f for f in page.root.iter("form") if f.get("id") == owner]
        return found[0] if found else None
    return next(iter(el.iterancestors("form")), None)


def form_fields(page: Page, form: LxmlElement) -> list[Field]:
    """The form's named, enabled controls in document order (``form="id"`` owners included)."""
    form_id = form.get("id")
    fields: list[Field] = []
    for el in page.root.iter("input", "select", "textarea", "button"):
        name = el.get("name")
        if not name or not _owner(el, form, form_id) or _disabled(el):
            continue
        tag = el.tag
        if tag == "input":
            kind = input_type(el)
            if kind in CHECKABLE:
                values = [str(el.get("value", "on"))] if is_checked(el) else []
            elif kind in BUTTON_INPUTS or kind == "file":
                values = []
            else:
                values = [str(el.get("value", ""))]
        elif tag == "select":
            kind = "select"
            values = selected_values(el)
        elif tag == "textarea":
            kind = "textarea"
            values = [textarea_value(el)]
        else:
            kind = "button"
            values = []
        fields.append(Field(el, str(name), kind, values))
    return fields


def flatten(values: Mapping[str, Value], prefix: str = "") -> Iterator[tuple[str, Value]]:
    """``{"user": {"email": "x"}}`` → ``("user[email]", "x")``: nested dicts become field names."""
    for key, value in values.items():
        name = f"{prefix}[{key}]" if prefix else str(key)
        if isinstance(value, Mapping):
            yield from flatten(value, name)
        else:
            yield name, value


def _text(value: Value, name: str) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise TypeError(f"form field {name!r}: expected a str, number, bool or None, got {value!r}")


class FormError(AssertionError):
    """A value the test set does not fit the form."""


def overlay(fields: list[Field], name: str, value: Value) -> str:
    """Set field ``name`` (or ``name[]`` for a list) to ``value`` as a user would; returns the
    name of the field that was set."""
    named = [f for f in fields if f.name == name]
    if not named and not name.endswith("[]"):
        named = [f for f in fields if f.name == name + "[]"]
    if not named:
        known = ", ".join(dict.fromkeys(repr(f.name) for f in fields)) or "none"
        raise FormError(f"the form has no field named {name!r} (its fields: {known})")
    name = named[0].name
    items = list(value) if isinstance(value, list | tuple) else [value]
    checkboxes = [f for f in named if f.kind == "checkbox"]
    radios = [f for f in named if f.kind == "radio"]
    selects = [f for f in named if f.kind == "select"]
    if checkboxes:
        own = [str(f.el.get("value", "on")) for f in checkboxes]
        if len(checkboxes) == 1 and isinstance(value, bool | None):
            wanted = {own[0]} if value else set()
        else:
            wanted = {_text(item, name) for item in items if item is not None}
            unknown = sorted(wanted - set(own))
            if unknown:
                raise FormError(
                    f"form field {name!r}: no checkbox with value {unknown[0]!r} "
                    f"(the values are {own!r})"
                )
        for f, v in zip(checkboxes, own, strict=True):
            f.values = [v] if v in wanted else []
    elif radios:
        own = [str(f.el.get("value", "on")) for f in radios]
        chosen = None if value is None else _text(value, name)
        if chosen is not None and chosen not in own:
            raise FormError(f"form field {name!r}: expected one of {own!r}, got {value!r}")
        for f, v in zip(radios, own, strict=True):
            f.values = [v] if v == chosen else []
    elif selects:
        field = selects[0]
        options = field.options()
        texts = [_text(item, name) for item in items]
        for text in texts:
            if text not in options:
                raise FormError(
                    f"form field {name!r}: {text!r} is not an option of the select "
                    f"(options: {options!r})"
                )
        if field.el.get("multiple") is None and len(texts) != 1:
            raise FormError(f"form field {name!r}: a single select takes one value, got {value!r}")
        field.values = texts
    else:
        editable = [f for f in named if f.kind not in BUTTON_INPUTS and f.kind != "button"]
        if not editable:
            raise FormError(f"form field {name!r} is a button, not something a user fills in")
        if len(items) > len(editable):
            raise FormError(
                f"form field {name!r}: {len(items)} values for {len(editable)} field(s)"
            )
        for f, item in zip(editable, items, strict=False):
            _type(f, _text(item, name))
    return name


def _type(field: Field, text: str) -> None:
    """Type ``text`` into a text-like field as the browser takes it: a textarea's newlines
    normalised, a number input's text that is no number yet read as ``""`` (and unfinished)."""
    if field.kind == "textarea":
        text = newlines(text)
    field.unfinished = field.kind == "number" and text != "" and not FLOAT.fullmatch(text)
    field.values = ["" if field.unfinished else text]


def set_checked(fields: list[Field], control: LxmlElement, checked: bool) -> None:
    """Check or uncheck the checkbox or radio ``control`` among ``fields`` (checking a radio
    unchecks the others of its group), as a click does."""
    radio = input_type(control) == "radio"
    for f in fields:
        if f.el is control:
            f.values = [str(control.get("value", "on"))] if checked else []
        elif radio and checked and f.kind == "radio" and f.name == control.get("name"):
            f.values = []


def control_pairs(el: LxmlElement, checked: bool | None = None) -> list[list[str]]:
    """The pairs of one control alone, for a control with its own ``phx-change``
    (``controlPairs`` in ``client.js``): none when it is unnamed or disabled, a file input or an
    unchecked checkbox or radio (``checked`` overrides its attribute); each selected option of a
    multiple select."""
    name = el.get("name")
    if not name or el.get("disabled") is not None:
        return []
    if el.tag == "input":
        kind = input_type(el)
        if kind == "file":
            return []
        if kind in CHECKABLE:
            on = is_checked(el) if checked is None else checked
            return [[str(name), str(el.get("value", "on"))]] if on else []
        return [[str(name), str(el.get("value", ""))]]
    if el.tag == "select":
        values = selected_values(el)
        if el.get("multiple") is None:
            return [[str(name), values[0] if values else ""]]
        return [[str(name), value] for value in values]
    if el.tag == "textarea":
        return [[str(name), textarea_value(el)]]
    return []


def serialize(fields: list[Field], submitter: LxmlElement | None = None) -> list[list[str]]:
    """``[[name, value], ...]`` in document order, as the browser's ``FormData`` gives them."""
    pairs: list[list[str]] = []
    for f in fields:
        if submitter is not None and f.el is submitter:
            pairs.append([f.name, str(submitter.get("value", ""))])
        pairs.extend([f.name, value] for value in f.values)
    return pairs
