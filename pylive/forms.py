"""Form payloads: browser field names and values → nested params, as LiveView decodes them.

``[("user[email]", "a@b"), ("user[tags][]", "x"), ("user[tags][]", "y"), ("ok", "1")]`` becomes
``{"user": {"email": "a@b", "tags": ["x", "y"]}, "ok": "1"}``; ``_target`` names the changed field
as a key path: ``"user[email]"`` → ``["user", "email"]``.
"""

from __future__ import annotations

import re
from typing import Any

_PART = re.compile(r"\[([^\[\]]*)\]")


def name_path(name: str) -> list[str]:
    """``"user[address][city]"`` → ``["user", "address", "city"]``; ``"tags[]"`` ends in ``""``."""
    head, bracket, _ = name.partition("[")
    if not bracket:
        return [name]
    rest = name[len(head) :]
    parts = _PART.findall(rest)
    if "".join(f"[{part}]" for part in parts) != rest:
        return [name]  # not a well-formed nested name: keep it whole
    return [head, *parts]


def decode_form(pairs: list[tuple[str, str]], target: str | None = None) -> dict[str, Any]:
    """Nested params from ``(name, value)`` pairs; conflicting shapes raise ``ValueError``."""
    params: dict[str, Any] = {}
    for name, value in pairs:
        if not isinstance(name, str) or not isinstance(value, str):
            raise ValueError(
                f"form field: expected a [name, value] pair of strings, got {[name, value]!r}"
            )
        path = name_path(name)
        node = params
        for depth, key in enumerate(path[:-1]):
            if path[depth + 1] == "":  # "tags[]": collect every value in a list
                values = node.setdefault(key, [])
                if not isinstance(values, list):
                    raise ValueError(f"form field {name!r} conflicts with a field named {key!r}")
                values.append(value)
                break
            child = node.setdefault(key, {})
            if not isinstance(child, dict):
                raise ValueError(f"form field {name!r} conflicts with a field named {key!r}")
            node = child
        else:
            if isinstance(node.get(path[-1]), dict | list):
                raise ValueError(f"form field {name!r} conflicts with nested fields under it")
            node[path[-1]] = value
    if target is not None:
        params["_target"] = name_path(target)
    return params
