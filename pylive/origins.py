"""Which pages may open a live websocket: the ``Origin`` check against cross-site websocket
hijacking, with Phoenix's ``check_origin`` rules.

An allowed origin is written ``"https://example.com"`` (that scheme, host and port: 443 here),
``"//example.com"`` (any scheme and port), ``"https://example.com:8443"``, or with a wildcard
``"https://*.example.com"`` (``example.com`` and every name under it, never
``evil-example.com``). A browser always sends ``Origin`` on a websocket handshake; a request
without one is not a browser's and is let through (its CSRF token is still checked), while
``Origin: null`` and origins with no host are refused.

Without ``App(allowed_origins=...)`` the loopback names on the port being served, over the
scheme being served, are allowed (``http://127.0.0.1:8000``, ``http://localhost:8000``,
``http://[::1]:8000`` for a plain http server): right for development, and a deployment must
name its own origins.

>>> allowed = [parse_allowed("https://*.example.com")]
>>> [origin_allowed(o, allowed) for o in ("https://app.example.com", "https://example.com")]
[True, True]
>>> [origin_allowed(o, allowed) for o in ("https://evil-example.com", "http://app.example.com")]
[False, False]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

import attrs

DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


@attrs.frozen
class AllowedOrigin:
    """One allowed origin: ``None`` fields match anything."""

    scheme: str | None
    host: str
    port: int | None
    wildcard: bool = False

    def matches(self, scheme: str, host: str, port: int | None) -> bool:
        if self.scheme is not None and scheme != self.scheme:
            return False
        if self.port is not None and port != self.port:
            return False
        if self.wildcard:
            return host == self.host or host.endswith("." + self.host)
        return host == self.host


def parse_allowed(entry: str) -> AllowedOrigin:
    """``"https://example.com"``, ``"//example.com"``, ``"https://*.example.com:8443"`` …"""
    problem = _check_entry(entry)
    if problem:
        raise ValueError(
            "App(allowed_origins=...): expected origins like 'https://example.com', "
            f"'//example.com' or 'https://*.example.com', got {entry!r} ({problem})"
        )
    split = urlsplit(entry)
    name = split.hostname or ""
    wildcard = name.startswith("*.")
    scheme = split.scheme.lower() or None
    port = split.port or (DEFAULT_PORTS.get(scheme) if scheme else None)
    return AllowedOrigin(scheme, _host(name[2:] if wildcard else name), port, wildcard)


def _check_entry(entry: object) -> str:
    if not isinstance(entry, str):
        return "not a string"
    if "//" not in entry:
        return "no '//' before the host"
    try:
        split = urlsplit(entry)
        split.port  # noqa: B018 - validates the port
    except ValueError as error:
        return str(error)
    if split.path not in ("", "/") or split.query or split.fragment:
        return "an origin has no path, query or fragment"
    host = split.hostname or ""
    if not host or "*" in host.lstrip("*."):
        return "a host, with '*.' only at its start"
    return ""


def parse_allowed_origins(entries: Iterable[str]) -> tuple[AllowedOrigin, ...]:
    if isinstance(entries, str):
        raise TypeError(
            f"App(allowed_origins=...): expected a list of origins, got the string {entries!r}"
        )
    return tuple(parse_allowed(entry) for entry in entries)


def loopback_origins(port: int, scheme: str = "http") -> tuple[AllowedOrigin, ...]:
    """The development default: the loopback names on ``port``, over the ``scheme`` served
    (``http`` for a plain server, ``https`` behind TLS): a page served over http has an http
    origin, so an https (or ws) one naming the same port is not that page."""
    return tuple(AllowedOrigin(scheme, host, port) for host in LOOPBACK_HOSTS)


_ORIGIN = re.compile(
    r"(?P<scheme>[a-z][a-z0-9+.-]*)://"
    r"(?P<host>[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?|\[[0-9a-f:.]+\])"
    r"(?::(?P<port>[0-9]{1,5}))?",
    re.IGNORECASE,
)
"""A serialized origin (RFC 6454), as browsers send it: a scheme, a host (DNS labels or an
IPv6 literal) and an optional port; no user info, path, query or fragment, no empty label, no
percent-encoding or backslash."""


def origin_allowed(origin: str | None, allowed: Sequence[AllowedOrigin]) -> bool:
    """Whether a handshake's ``Origin`` header is one of ``allowed`` (no header: allowed).

    Anything that is not a serialized origin is refused: ``null``, ``file://``, and forms no
    browser sends but a lenient URL parser would read a trusted host out of
    (``http://evil@127.0.0.1``, ``https://.example.com``, ``https://a\\.example.com``)."""
    if origin is None:
        return True
    found = _ORIGIN.fullmatch(origin.strip())
    if found is None:  # "null", "file://", garbage
        return False
    scheme = found["scheme"].lower()
    port = int(found["port"]) if found["port"] else DEFAULT_PORTS.get(scheme)
    if port is not None and not 0 < port <= 65535:
        return False
    host = _host(found["host"])
    return any(entry.matches(scheme, host, port) for entry in allowed)


def _host(name: str) -> str:
    return name.strip("[]").lower().rstrip(".")
