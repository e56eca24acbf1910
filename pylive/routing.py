"""Routes: ``"/users/{id}"`` patterns matched against request paths.

A ``{name}`` segment matches one path segment and becomes ``params["name"]`` (a string, as in
LiveView). Query parameters (decoded by ``pylive.params``) join the path parameters; the path
wins on a clash.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import unquote

import attrs

if TYPE_CHECKING:
    from pylive.view import LiveView

_SEGMENT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@attrs.frozen
class Route:
    """One live route: a path pattern and the view class it mounts."""

    pattern: str
    view: type[LiveView]
    name: str
    regex: re.Pattern[str] = attrs.field(eq=False)

    def match(self, path: str) -> dict[str, str] | None:
        found = self.regex.fullmatch(path)
        if found is None:
            return None
        return {key: unquote(value) for key, value in found.groupdict().items()}


def compile_route(pattern: str, view: type[LiveView], name: str | None = None) -> Route:
    """Check a pattern (``/``-rooted, ``{name}`` segments) and compile it."""
    if not isinstance(pattern, str) or not pattern.startswith("/"):
        raise ValueError(f"route pattern must start with '/', got {pattern!r}")
    regex = ""
    last = 0
    names: set[str] = set()
    for found in _SEGMENT.finditer(pattern):
        regex += re.escape(pattern[last : found.start()])
        key = found.group(1)
        if key in names:
            raise ValueError(f"route {pattern!r}: parameter {key!r} appears twice")
        names.add(key)
        regex += f"(?P<{key}>[^/]+)"
        last = found.end()
    rest = pattern[last:]
    if "{" in rest or "}" in rest:
        raise ValueError(f"route {pattern!r}: expected {{name}} segments, found a stray brace")
    regex += re.escape(rest)
    return Route(pattern, view, name or f"{view.__module__}.{view.__qualname__}", re.compile(regex))
