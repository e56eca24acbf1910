"""Attribute names and values: from Python keywords to what the DOM will hold.

Names follow htpy: one trailing ``_`` is dropped (``class_`` → ``class``), every other ``_`` becomes
``-`` (``phx_value_id`` → ``phx-value-id``). Values are normalised once, at build time, into ``str``
or ``True`` (a bare attribute); ``False`` and ``None`` remove the attribute. The result is what the
renderer escapes and what the diff compares, so neither has to know about lists, dicts or numbers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from pylive.exceptions import InvalidAttribute, UnsafeURL

AttrValue = str | bool
"""A normalised attribute value: a string, or ``True`` for a bare attribute."""

EMPTY_ATTRS: dict[str, AttrValue] = {}
"""Shared by every element built without attributes (most of them): elements are immutable, so
this dict is never written to, and a thousand rows cost no thousand empty dicts."""

# The HTML spec's attribute-name production, minus what would end the name early: no whitespace,
# quotes, ``<``, ``>``, ``/``, ``=``, and no C0 or C1 control characters.
_VALID_NAME = re.compile(r"[^\s\x00-\x1f\x7f-\x9f\"'<>/=]+")

URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster"})
"""Attributes whose value is a URL the browser may navigate to or execute."""

# What ``normalize`` does with a value, decided once per name (HTML names are case-insensitive, so
# ``HREF`` is checked like ``href``).
_PLAIN, _CLASS, _STYLE, _URL, _HTML = 0, 1, 2, 3, 4

_NAMES: dict[str, tuple[str, int]] = {}
_NAMES_MAX = 4096  # names built from data (``**{f"data-{k}": v}``) must not grow memory forever

# Browsers drop ASCII tab and newline anywhere in a URL and leading C0 controls and spaces, so
# ``" java\tscript:"`` is still ``javascript:``. Compare after removing all of them.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
SAFE_SCHEMES = frozenset(
    {
        "http", "https", "mailto", "tel", "sms", "ftp", "ftps", "news", "nntp", "irc", "ircs",
        "gopher", "feed", "telnet", "mms", "rtsp", "svn", "fax", "xmpp", "webcal", "geo",
    }
)  # fmt: skip
"""URL schemes a link may use (Phoenix's ``valid_destination!`` list and a few more); any
other, ``javascript:`` first, is refused unless ``trusted``. A relative URL has no scheme."""
_PICTURE = re.compile(r"data:image/(?:png|gif|jpe?g|webp|avif|bmp|x-icon)[;,]")
"""``data:`` URLs that are raster pictures: allowed inline anywhere."""
_SVG_PICTURE = re.compile(r"data:image/svg\+xml[;,]")
IMAGE_SINKS = frozenset({("img", "src"), ("image", "href"), ("image", "xlink:href")})
"""Where an SVG ``data:`` URL is only a picture: an image's scripts never run (in an ``iframe``,
an ``embed`` or a link they do)."""
_SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "data"})
HTML_ATTRIBUTES = frozenset({"srcdoc"})
"""Attributes whose value is an HTML document the browser runs: only ``Markup`` or ``trusted``."""


class trusted(str):  # lowercase: used like a function, ``href=trusted("javascript:go()")``
    """A URL the author vouches for: exempt from the ``javascript:``-scheme check.

    >>> from pylive.html import a
    >>> a("run", href=trusted("javascript:void(0)")).attrs["href"]
    'javascript:void(0)'
    """

    __slots__ = ()


def attribute_name(python_name: str) -> str:
    """``class_`` → ``class``, ``phx_click`` → ``phx-click``; cached, and validated once."""
    return _name(python_name)[0]


def _name(python_name: str) -> tuple[str, int]:
    entry = _NAMES.get(python_name)
    if entry is None:
        name = python_name
        if name.endswith("_") and len(name) > 1:
            name = name[:-1]
        name = name.replace("_", "-")
        check_name(name)
        lower = name.lower()
        if lower == "class":
            kind = _CLASS
        elif lower == "style":
            kind = _STYLE
        elif lower in URL_ATTRIBUTES:
            kind = _URL
        elif lower in HTML_ATTRIBUTES:
            kind = _HTML
        else:
            kind = _PLAIN
        entry = (name, kind)
        if len(_NAMES) >= _NAMES_MAX:
            _NAMES.clear()
        _NAMES[python_name] = entry
    return entry


def check_name(name: str) -> None:
    """Raise unless ``name`` can be written as an HTML attribute name."""
    if not isinstance(name, str) or not _VALID_NAME.fullmatch(name):
        raise InvalidAttribute(
            f"invalid attribute name {name!r}: expected a name without whitespace, quotes, "
            "'<', '>', '/', '=' or control characters"
        )


def normalize(tag: str, attrs: Mapping[str, Any]) -> tuple[dict[str, AttrValue], str | int | None]:
    """Normalise builder keywords into ``(attrs, key)``; ``key=`` is consumed, never rendered."""
    out: dict[str, AttrValue] = {}
    key: str | int | None = None
    for python_name, value in attrs.items():
        if python_name == "key":
            if value is not None:
                key = check_key(tag, value)
            continue
        entry = _NAMES.get(python_name)
        name, kind = _name(python_name) if entry is None else entry
        if kind == _HTML and not isinstance(value, trusted | Markup) and value not in (None, False):
            raise InvalidAttribute(
                f"<{tag} {name}={value!r}>: {name} is an HTML document the browser runs; expected "
                "markupsafe.Markup (HTML you built safely) or pylive.html.trusted(...)"
            )
        if type(value) is str and kind == _PLAIN:  # the common case first
            out[name] = value
        elif value is None or value is False:
            continue
        elif value is True:
            out[name] = True
        elif kind == _CLASS:
            text = class_value(tag, value)
            if text:
                out[name] = text
        elif kind == _STYLE and isinstance(value, Mapping):
            text = style_value(tag, value)
            if text:
                out[name] = text
        else:
            text = scalar_value(tag, name, value)
            if kind == _URL:
                check_url(tag, name, text, value)
            out[name] = text
    if key is None:
        given_id = out.get("id")
        if type(given_id) is str:
            key = given_id
    return (out or EMPTY_ATTRS), key


def attrs_differ(old: dict[str, AttrValue], new: dict[str, AttrValue]) -> bool:
    """Different values, or the same ones in another order (the rendered HTML would differ)."""
    return old != new or (len(new) > 1 and list(old) != list(new))


def check_key(tag: str, value: object) -> str | int:
    """A key as given (a str or an int: no copy made), or a clear error."""
    kind = type(value)
    if kind is str or kind is int:
        return value  # type: ignore[return-value]
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidAttribute(f"<{tag}> key: expected a str or int, got {value!r}")
    return str.__str__(value) if isinstance(value, str) else int(value)


def scalar_value(tag: str, name: str, value: object) -> str:
    """A str, an int or a float, or an object that encodes itself (a ``JS`` command chain)."""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[return-value]
    if kind is int or kind is float:
        return str(value)
    to_attr = getattr(value, "__pylive_attr__", None)
    if to_attr is not None:
        encoded = to_attr()
        if type(encoded) is not str:
            raise InvalidAttribute(
                f"<{tag}> attribute {name!r}: {type(value).__name__}.__pylive_attr__() must "
                f"return a str, got {encoded!r}"
            )
        return encoded
    if isinstance(value, str):
        # A str subclass (markupsafe.Markup, trusted): keep the characters, drop the "safe" mark so
        # the renderer still escapes it. Attribute values are always escaped.
        return str.__str__(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise InvalidAttribute(
        f"<{tag}> attribute {name!r}: expected str, int, float, bool or None, got {value!r}"
    )


def class_value(tag: str, value: object) -> str:
    """``"a b"``, ``["a", None, {"b": True}]`` or ``{"a": True, "b": False}`` → ``"a b"``."""
    if isinstance(value, str):
        return str.__str__(value)
    names: list[str] = []
    _collect_classes(tag, value, names)
    return " ".join(names)


def _collect_classes(tag: str, value: object, names: list[str]) -> None:
    if value is None or value is False:
        return
    if isinstance(value, str):
        if value:
            names.append(str.__str__(value))
    elif isinstance(value, Mapping):
        names.extend(str(name) for name, on in value.items() if on)
    elif isinstance(value, list | tuple):
        for item in value:
            _collect_classes(tag, item, names)
    else:
        raise InvalidAttribute(
            f"<{tag}> attribute 'class': expected a str, a list or a {{name: bool}} dict, "
            f"got {value!r}"
        )


def style_value(tag: str, value: Mapping[Any, Any]) -> str:
    """``{"color": "red", "margin_top": 2}`` → ``"color: red; margin-top: 2"``."""
    parts = []
    for prop, val in value.items():
        if val is None or val is False:
            continue
        if not isinstance(prop, str):
            raise InvalidAttribute(f"<{tag}> style: property names must be str, got {prop!r}")
        parts.append(f"{prop.replace('_', '-')}: {scalar_value(tag, 'style', val)}")
    return "; ".join(parts)


def check_url(tag: str, name: str, text: str, original: object) -> None:
    """Refuse a URL unless it is relative, uses a link scheme (``SAFE_SCHEMES``), is a raster
    ``data:image/...`` picture (or an SVG one where it is only a picture: ``IMAGE_SINKS``), or is
    ``trusted``: ``javascript:``, ``vbscript:``, ``data:`` documents (HTML, SVG, XML run script)
    and unknown schemes are refused, in every spelling."""
    if isinstance(original, trusted):
        return
    squeezed = _URL_NOISE.sub("", text).lower()
    found = _SCHEME.match(squeezed)
    if found is None or found.group(1) in SAFE_SCHEMES or _PICTURE.match(squeezed):
        return
    if name == "poster" or (tag.lower(), name.lower()) in IMAGE_SINKS:
        if _SVG_PICTURE.match(squeezed):
            return
    scheme = found.group(1)
    what = "a script URL" if scheme in _SCRIPT_SCHEMES else f"the URL scheme {scheme + ':'!r}"
    raise UnsafeURL(
        f"<{tag} {name}={text!r}>: refusing {what}; expected a relative, http(s), mailto:, tel: "
        "or other link URL, or a data:image/... picture. Wrap it in pylive.html.trusted(...) if "
        "you really mean it"
    )
