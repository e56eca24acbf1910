"""Where a callback asked the page to go: ``push_patch`` (the same view, its ``handle_params``
runs), ``push_navigate`` (another view of the same live session, mounted over the same
websocket) and ``redirect`` (a full page load; ``external=`` for another site).

The socket records the request (``Nav``); the session acts on it after the callback
(``pylive.live_navigation``). Targets are local paths (``pylive.urls.local_path``) except an
explicit ``external`` URL, which must be absolute ``http(s)``.

>>> Nav("patch", local_path("/items?page=2", "push_patch"), replace=False)
Nav(kind='patch', to='/items?page=2', replace=False)
>>> external_url("https://example.com/docs", "redirect")
'https://example.com/docs'
>>> external_url("javascript:alert(1)", "redirect")  # doctest: +ELLIPSIS
Traceback (most recent call last):
  ...
ValueError: redirect(external=...): expected an absolute http(s) URL ..., got 'javascript:alert(1)'
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

import attrs

from pylive.urls import local_path as local_path

NavKind = Literal["patch", "navigate"]


@attrs.frozen
class Nav:
    """A live navigation a callback asked for."""

    kind: NavKind
    to: str
    replace: bool = False


def external_url(url: object, where: str) -> str:
    """``url`` if it is an absolute ``http``/``https`` URL with a host, else a ``ValueError``."""
    split = urlsplit(url) if isinstance(url, str) else None
    bad = split is None or split.scheme not in ("http", "https") or not split.netloc
    if bad or any(ord(c) < 0x21 or c == "\x7f" for c in str(url)):
        raise ValueError(
            f"{where}(external=...): expected an absolute http(s) URL like "
            f"'https://example.com/', got {url!r}"
        )
    return str(url)
