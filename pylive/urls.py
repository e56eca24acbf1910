"""Local paths: the only redirect and navigation targets pylive accepts.

A target must be a path on this site. Every raw or encoded form that a browser, or a server
decoding it again, may resolve to another host is refused: ``//host``, ``/\\host``, tab, CR, LF
and other control characters (``/\t/host`` is ``//host`` to a browser), and their
percent-encodings (``/%09/host``, ``/%5Chost``, ``/%2F%2Fhost``). ``client.js`` checks the same
before it follows one.

>>> local_path("/users/1?tab=2", "redirect")
'/users/1?tab=2'
>>> local_path("/%09/evil.example", "redirect")
Traceback (most recent call last):
  ...
ValueError: redirect: expected a local path like '/users/1', got '/%09/evil.example'
"""

from __future__ import annotations

from urllib.parse import unquote


def local_path(to: str, where: str) -> str:
    """``to`` if it is a path on this site, else a ``ValueError`` naming ``where``."""
    if not isinstance(to, str) or not _is_local(to):
        raise ValueError(f"{where}: expected a local path like '/users/1', got {to!r}")
    return to


def _is_local(to: str) -> bool:
    if not to.startswith("/"):
        return False
    seen = {to}
    text = to
    for _ in range(3):  # decoded again and again: %2509 → %09 → tab
        decoded = unquote(text)
        if decoded == text:
            break
        seen.add(decoded)
        text = decoded
    for form in seen:
        if any(ord(c) < 0x20 or c == "\x7f" for c in form):
            return False
        path = form.split("?", 1)[0].split("#", 1)[0]
        if "\\" in path or path.startswith("//"):
            return False
    return True
