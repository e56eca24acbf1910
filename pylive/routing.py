"""Routes: ``"/users/{id}"`` patterns matched against request paths, their live actions and
the live session they belong to.

A ``{name}`` segment matches one path segment and becomes ``params["name"]`` (a string, as in
LiveView). Query parameters (decoded by ``pylive.params``) join the path parameters; the path
wins on a clash. A route's ``action`` (``app.live("/users/new", UserLive, "new")``) is the view's
``assigns.live_action``. Routes declared inside ``with app.live_session(...)`` share a
``LiveSessionConfig``: its ``on_mount`` hooks and layout; live navigation stays inside one
session (another session's route is a full page load, so its checks run again).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlencode

import attrs

if TYPE_CHECKING:
    from pylive.view import LiveView

_SEGMENT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


OnMount = Callable[[dict[str, Any], dict[str, Any], Any], Any]
"""``hook(params, session, socket)``: ``None``/``"cont"`` goes on, ``"halt"`` (with a redirect
asked for on the socket) stops the mount. Sync or async."""


@attrs.frozen
class LiveSessionConfig:
    """What the routes of one ``app.live_session`` share."""

    name: str
    on_mount: tuple[OnMount, ...] = ()
    layout: Callable[..., Any] | None = None


DEFAULT_SESSION = LiveSessionConfig("default")
"""The live session of the routes declared outside any ``app.live_session``."""


@attrs.frozen
class Route:
    """One live route: a path pattern, the view class it mounts, its live action and its live
    session."""

    pattern: str
    view: type[LiveView]
    name: str
    regex: re.Pattern[str] = attrs.field(eq=False)
    action: str | None = None
    live_session: LiveSessionConfig = DEFAULT_SESSION

    def match(self, path: str) -> dict[str, str] | None:
        found = self.regex.fullmatch(path)
        if found is None:
            return None
        return {key: unquote(value) for key, value in found.groupdict().items()}

    @property
    def param_names(self) -> list[str]:
        return _SEGMENT.findall(self.pattern)

    def path(self, params: dict[str, Any]) -> str:
        """The path of this route for ``params``: the pattern's segments filled (each value
        quoted), the other params as the query string."""
        names = self.param_names
        missing = [name for name in names if name not in params]
        if missing:
            raise KeyError(
                f"url_for({self.name}): the path {self.pattern!r} needs "
                f"{', '.join(repr(m) for m in missing)}, got {sorted(params)!r}"
            )
        path = _SEGMENT.sub(lambda found: quote(str(params[found.group(1)]), safe=""), self.pattern)
        query = {key: value for key, value in params.items() if key not in names}
        return f"{path}?{urlencode(query, doseq=True)}" if query else path


def compile_route(
    pattern: str,
    view: type[LiveView],
    name: str | None = None,
    action: str | None = None,
    live_session: LiveSessionConfig = DEFAULT_SESSION,
) -> Route:
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
    if action is not None and (not isinstance(action, str) or not action.isidentifier()):
        raise ValueError(f"route {pattern!r}: expected an action name like 'edit', got {action!r}")
    default = f"{view.__module__}.{view.__qualname__}" + (f".{action}" if action else "")
    return Route(pattern, view, name or default, re.compile(regex), action, live_session)
