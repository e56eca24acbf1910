"""Plain HTTP handlers beside the live routes: ``app.post("/users/log_in", handler)``.

A handler takes an ``HttpRequest`` — the method, the path and its ``{name}`` params, the query's
and the form body's params decoded as forms are (``pylive.params``), headers, cookies and the
session — and returns what the response is: a ``str`` is an HTML page (200), a ``dict`` a JSON
body (200), ``Response(body, content_type)`` a body of another type (Prometheus metrics, a CSV
download), and ``redirect("/path")`` a 302 to a local path. It may be a coroutine function.
This is what a ``phx-trigger-action`` form posts to: the live view validates, then the browser
submits the form for real, so the handler can set what only a real request can (a session
cookie).

``request.session`` is the signed session cookie's dict (``pylive.http_session``): what the
handler stores there (``request.session["user_token"] = token``) the response writes back, and
``request.clear_session()`` drops it all (the cookie is expired). ``request.put_flash(kind,
message)`` leaves a message for the next page, the one a redirect leads to.

A ``POST`` or ``DELETE`` must carry the page's CSRF token (the ``_csrf_token`` form field, which
``client.js`` adds to a ``phx-trigger-action`` submit from the page's ``csrf-token`` meta tag, or
an ``X-CSRF-Token`` header): without it the server answers 403 and the handler is not called.
The app model is server-agnostic: ``pylive.http_dispatch`` serves a request, and both
``pylive.sanic`` and the test client (``pylive.testing.TestClient``) call it.

>>> def log_in(request):
...     if not request.form.get("email"):
...         return "<p>Who are you?</p>"
...     request.session["user"] = request.form["email"]
...     request.put_flash("info", "Welcome!")
...     return redirect("/dashboard")
>>> request = HttpRequest("POST", "/log_in", form={"email": "a@b.c"})
>>> answer(log_in(request), "log_in")
(302, 'text/plain; charset=utf-8', b'', {'Location': '/dashboard'})
>>> request.session, request.flash, request.session_changed
({'user': 'a@b.c'}, {'info': 'Welcome!'}, True)
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote, unquote

import orjson

from pylive.urls import local_path

CSRF_FIELD = "_csrf_token"
"""The form field that carries the page's CSRF token."""
CSRF_HEADER = "x-csrf-token"
"""The header that may carry it instead (a ``fetch`` from the page's script)."""
METHODS = ("GET", "POST", "DELETE")
"""The methods an HTTP handler may serve; the last two need the CSRF token."""
_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_LOCATION_SAFE = "/:%#?&=@[]!$'()*+,;~"
"""What a ``Location`` keeps as it is; anything else (a space, non-ASCII) is percent-encoded."""

Handler = Callable[["HttpRequest"], Any]
"""``handler(request)``: a ``str``, a ``dict``, a ``Response`` or ``redirect(...)``, or an
awaitable of one."""


class HttpRequest:
    """What an HTTP handler is given: the request, decoded, and its session."""

    __slots__ = (
        "_session_loaded",
        "app",
        "cookies",
        "flash",
        "form",
        "headers",
        "method",
        "params",
        "path",
        "query",
        "session",
        "session_cleared",
    )

    def __init__(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        form: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        cookies: Mapping[str, str] | None = None,
        session: Mapping[str, Any] | None = None,
        app: Any = None,
    ) -> None:
        self.app = app
        """The ``App`` serving the request (``request.app.disconnect_sessions(...)`` at log
        out); None for a request made by hand."""
        self.method = method
        self.path = path
        self.params: dict[str, str] = dict(params or {})
        """The path's ``{name}`` params."""
        self.query: dict[str, Any] = dict(query or {})
        """The query string's params."""
        self.form: dict[str, Any] = dict(form or {})
        """The form body's params (urlencoded or multipart fields), the CSRF field removed."""
        self.headers: dict[str, str] = dict(headers or {})
        self.cookies: dict[str, str] = dict(cookies or {})
        self.session: dict[str, Any] = copy.deepcopy(dict(session or {}))
        """The session (the signed session cookie's JSON object): change it and the response
        writes the cookie again."""
        self._session_loaded = copy.deepcopy(self.session)
        self.session_cleared = False
        """Whether ``clear_session()`` was called."""
        self.flash: dict[str, str] = {}
        """The messages ``put_flash`` left for the next page (the flash cookie)."""

    def clear_session(self) -> None:
        """Drop everything in the session: the response expires the session cookie, unless the
        handler stores something again (a fresh session, as on log in)."""
        self.session.clear()
        self.session_cleared = True

    def put_flash(self, kind: str, message: str) -> None:
        """Show ``message`` on the next page (``kind`` is free: ``"info"`` and ``"error"`` are
        usual), the one a ``redirect`` leads to; it is shown once."""
        if not isinstance(kind, str) or not isinstance(message, str):
            raise TypeError(
                f"put_flash(kind, message) in {self.method} {self.path}: expected two strings, "
                f"got {kind!r} and {message!r}"
            )
        self.flash[kind] = message

    @property
    def session_changed(self) -> bool:
        """Whether the session was cleared or differs from the one the request brought."""
        return self.session_cleared or self.session != self._session_loaded

    def __repr__(self) -> str:
        return f"HttpRequest({self.method} {self.path})"


class Redirect:
    """A handler's answer ``redirect(to)``: a 302 to the local path ``to``."""

    __slots__ = ("to",)

    def __init__(self, to: str) -> None:
        self.to = to

    def __repr__(self) -> str:
        return f"redirect({self.to!r})"


class Response:
    """A handler's answer of any content type: ``Response(text, "text/csv; charset=utf-8")``
    (a ``str`` body is sent UTF-8 encoded), status 200 unless given.

    >>> answer(Response("a,b\\n", "text/csv; charset=utf-8"), "export")
    (200, 'text/csv; charset=utf-8', b'a,b\\n', {})
    """

    __slots__ = ("body", "content_type", "status")

    def __init__(self, body: str | bytes, content_type: str, status: int = 200) -> None:
        if not isinstance(body, str | bytes):
            raise TypeError(f"Response(body, ...): expected a str or bytes body, got {body!r}")
        if (
            not isinstance(content_type, str)
            or "/" not in content_type
            or any(c in content_type for c in "\r\n")
        ):
            raise ValueError(
                f"Response(..., content_type): expected a content type like "
                f"'text/plain; charset=utf-8', got {content_type!r}"
            )
        if type(status) is not int or not (200 <= status < 300 or 400 <= status <= 599):
            raise ValueError(
                f"Response(..., status): expected a 2xx, 4xx or 5xx status (redirect() for a "
                f"redirect), got {status!r}"
            )
        self.body = body.encode() if isinstance(body, str) else body
        self.content_type = content_type
        self.status = status

    def __repr__(self) -> str:
        return f"Response({self.status}, {self.content_type!r}, {len(self.body)} bytes)"


def redirect(to: str) -> Redirect:
    """Go to the local path ``to``; anything a browser could resolve to another host (``//x``,
    an absolute URL, their encodings) is a ``ValueError``: redirects stay on this site."""
    return Redirect(local_path(to, "redirect"))


class HttpRoute:
    """One plain HTTP route: its method, path pattern (``/users/{id}``) and handler."""

    __slots__ = ("_regex", "handler", "method", "name", "pattern")

    def __init__(self, method: str, pattern: str, handler: Handler) -> None:
        if method not in METHODS:
            raise ValueError(f"expected an HTTP method among {', '.join(METHODS)}, got {method!r}")
        if not isinstance(pattern, str) or not pattern.startswith("/"):
            raise ValueError(
                f"app.{method.lower()}: expected a path like '/log_in', got {pattern!r}"
            )
        if not callable(handler):
            raise TypeError(
                f"app.{method.lower()}({pattern!r}, ...): expected a function taking the "
                f"request, got {handler!r}"
            )
        self.method = method
        self.pattern = pattern
        self.handler = handler
        self.name = getattr(handler, "__qualname__", repr(handler))
        self._regex = _pattern_regex(pattern, f"app.{method.lower()}({pattern!r}, ...)")

    @property
    def param_names(self) -> list[str]:
        return _PARAM.findall(self.pattern)

    def match(self, path: str) -> dict[str, str] | None:
        """The ``{name}`` params of ``path`` (each one segment, percent-decoded) if it matches
        the pattern, else None."""
        found = self._regex.fullmatch(path)
        if found is None:
            return None
        return {name: unquote(value) for name, value in found.groupdict().items()}

    @property
    def needs_csrf(self) -> bool:
        return self.method != "GET"

    def __repr__(self) -> str:
        return f"HttpRoute({self.method} {self.pattern} → {self.name})"


def _pattern_regex(pattern: str, where: str) -> re.Pattern[str]:
    regex, last, names = "", 0, set()
    for found in _PARAM.finditer(pattern):
        name = found.group(1)
        if name in names:
            raise ValueError(f"{where}: expected each {{name}} once, got {name!r} twice")
        names.add(name)
        regex += re.escape(pattern[last : found.start()]) + f"(?P<{name}>[^/]+)"
        last = found.end()
    if "{" in _PARAM.sub("", pattern) or "}" in _PARAM.sub("", pattern):
        raise ValueError(f"{where}: expected {{name}} segments, found a stray brace")
    return re.compile(regex + re.escape(pattern[last:]))


def answer(result: Any, where: str) -> tuple[int, str, bytes, dict[str, str]]:
    """A handler's return value as ``(status, content type, body, headers)``; anything else than
    a ``str``, a ``dict``, a ``Response`` or ``redirect(...)`` is a ``TypeError`` naming
    ``where``."""
    if isinstance(result, Redirect):
        return 302, "text/plain; charset=utf-8", b"", {"Location": location(result.to)}
    if isinstance(result, Response):
        return result.status, result.content_type, result.body, {}
    if isinstance(result, str):
        return 200, "text/html; charset=utf-8", result.encode(), {}
    if isinstance(result, dict):
        return 200, "application/json", orjson.dumps(result), {}
    raise TypeError(
        f"invalid return from {where}: expected an HTML str, a dict (JSON), a Response or "
        f"redirect('/path'), got {result!r}"
    )


def location(to: str) -> str:
    """A local path as a ``Location`` header: characters a header cannot carry (a space,
    non-ASCII) percent-encoded, the rest as it is."""
    return quote(to, safe=_LOCATION_SAFE)


def csrf_token(form: Mapping[str, Any], headers: Mapping[str, str]) -> str:
    """The CSRF token a request carries: its form field, else its header; "" when none."""
    value = form.get(CSRF_FIELD)
    if isinstance(value, str) and value:
        return value
    return headers.get(CSRF_HEADER, "")
