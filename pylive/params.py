"""Nested params, as LiveView (Plug) decodes them: one decoder for query strings and form payloads.

Field names with brackets nest: ``user[email]=a@b`` gives ``{"user": {"email": "a@b"}}`` and
``tags[]=x&tags[]=y`` gives ``{"tags": ["x", "y"]}``; a repeated name without ``[]`` keeps its last
value. Names that are not well-formed nested names (``a[b``) are kept whole. Shapes that cannot both
hold (``a=1&a[b]=2``) raise ``InvalidParams`` naming the field, and so do lists of nested fields
(``a[][b]``: index them, ``a[0][b]``).

>>> decode_query("user[name]=ada&tags[]=a&tags[]=b&page=1&page=2")
{'user': {'name': 'ada'}, 'tags': ['a', 'b'], 'page': '2'}
>>> encode_query({"user": {"name": "ada"}, "tags": ["a", "b"]})
'user[name]=ada&tags[]=a&tags[]=b'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, quote_plus, urlencode

from pylive.exceptions import InvalidParams

_PART = re.compile(r"\[([^\[\]]*)\]")

Params = dict[str, Any]
"""Decoded params: str keys; values are str, lists of str, or nested params."""


def name_path(name: str) -> list[str]:
    """``"user[address][city]"`` → ``["user", "address", "city"]``; ``"tags[]"`` ends in ``""``."""
    head, bracket, _ = name.partition("[")
    if not bracket or not head:
        return [name]
    rest = name[len(head) :]
    parts = _PART.findall(rest)
    if "".join(f"[{part}]" for part in parts) != rest:
        return [name]  # not a well-formed nested name: keep it whole
    return [head, *parts]


def decode_pairs(pairs: Iterable[tuple[str, str]], where: str = "params") -> Params:
    """Nested params from ``(name, value)`` pairs, in order (a later value wins)."""
    params: Params = {}
    for name, value in pairs:
        if not isinstance(name, str) or not isinstance(value, str):
            raise InvalidParams(
                f"{where}: expected a [name, value] pair of strings, got {[name, value]!r}"
            )
        path = name_path(name)
        node = params
        for depth, key in enumerate(path[:-1]):
            if path[depth + 1] == "":  # "tags[]": collect every value in a list
                if depth + 2 != len(path):
                    raise InvalidParams(
                        f"{where}: field {name!r} is a list of nested fields, which has no "
                        f"single meaning; index it instead ({_indexed(path, depth)!r})"
                    )
                values = node.setdefault(key, [])
                if not isinstance(values, list):
                    raise InvalidParams(f"{where}: field {name!r} conflicts with field {key!r}")
                values.append(value)
                break
            child = node.setdefault(key, {})
            if not isinstance(child, dict):
                raise InvalidParams(f"{where}: field {name!r} conflicts with field {key!r}")
            node = child
        else:
            if isinstance(node.get(path[-1]), dict | list):
                raise InvalidParams(
                    f"{where}: field {name!r} conflicts with nested fields under it"
                )
            node[path[-1]] = value
    return params


def _indexed(path: list[str], depth: int) -> str:
    """The name of a list-of-nested field written with an index: ``a[][b]`` → ``a[0][b]``."""
    parts = [*path[: depth + 1], "0", *path[depth + 2 :]]
    return parts[0] + "".join(f"[{part}]" for part in parts[1:])


def decode_query(query: str) -> Params:
    """The params of a URL's query string (``"a=1&b[c]=2"``, no leading ``?``)."""
    return decode_pairs(parse_qsl(query, keep_blank_values=True), "query string")


def encode_pairs(params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The ``(name, value)`` pairs that decode to ``params`` (the inverse of ``decode_pairs``).

    Values are str, int or float (written with ``str``), lists of them, or nested mappings. Empty
    lists and mappings have no encoding and are left out, as in Plug.
    """
    pairs: list[tuple[str, str]] = []
    _encode(params, None, pairs)
    return pairs


def encode_query(params: Mapping[str, Any]) -> str:
    """``params`` as a query string (no leading ``?``); brackets are kept readable."""
    return urlencode(encode_pairs(params), safe="[]", quote_via=quote_plus)


def _encode(params: Mapping[str, Any], prefix: str | None, pairs: list[tuple[str, str]]) -> None:
    for key, value in params.items():
        if not isinstance(key, str) or "[" in key or "]" in key or (prefix and not key):
            raise InvalidParams(
                f"encode params: expected keys of text without brackets, got {key!r}"
                + (f" under {prefix!r}" if prefix else "")
            )
        name = key if prefix is None else f"{prefix}[{key}]"
        if isinstance(value, Mapping):
            _encode(value, name, pairs)
        elif isinstance(value, list | tuple):
            for item in value:
                pairs.append((f"{name}[]", _scalar(name, item)))
        else:
            pairs.append((name, _scalar(name, value)))


def _scalar(name: str, value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise InvalidParams(
        f"encode params: field {name!r} must be a str, int, float, list or mapping, got {value!r}"
    )
