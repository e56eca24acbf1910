"""The cookies of plain HTTP: the signed session, the flash of the next page, the CSRF nonce.

The **session** cookie ``_pylive_session`` holds a JSON object signed with the app's secret
(itsdangerous ``URLSafeTimedSerializer``, salt ``pylive.session``) and stamped with the time it
was written: readable by whoever holds it (it is signed, not encrypted: store a token or an id,
not a secret), unforgeable without the key, two weeks old at most. A handler changes it through
``request.session`` (``pylive.http``); the live page gives it to ``mount``.

The **flash** cookie ``_pylive_flash`` holds ``{kind: message}`` for the next page, signed the
same way under the salt ``pylive.flash`` and a minute old at most: a handler's
``request.put_flash`` sets it before a redirect, and ``client.js`` sets it from the token a live
redirect brings (``dump_flash``); the page that shows it expires it.

A cookie that was tampered with, signed with another key, too old or too large loads as ``{}``
(logged at info level with the reason), never as an error page. Browsers keep at most 4096 bytes
of a cookie, so a session that would not fit is a ``ValueError`` for the handler that stored it,
not a cookie the browser silently drops.

>>> token = dump_flash("a secret of sixteen chars", {"info": "Welcome back"})
>>> load_flash("a secret of sixteen chars", token)
{'info': 'Welcome back'}
>>> load_flash("another secret, not the one", token)
{}
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections.abc import Mapping
from typing import Any, Final, Protocol

import attrs
from itsdangerous import BadData, BadPayload, BadSignature, URLSafeTimedSerializer

log = logging.getLogger("pylive")

SESSION_COOKIE: Final = "_pylive_session"
SESSION_SALT: Final = "pylive.session"
SESSION_MAX_AGE: Final = 14 * 24 * 3600
"""Seconds a session cookie lives, and how old its signed stamp may be: two weeks."""
FLASH_COOKIE: Final = "_pylive_flash"
FLASH_SALT: Final = "pylive.flash"
FLASH_MAX_AGE: Final = 60
"""Seconds a flash cookie lives: long enough for the redirect it came with."""
CSRF_COOKIE: Final = "_pylive_csrf"
"""The cookie that holds the CSRF nonce (``pylive.tokens.CsrfTokens``)."""
MAX_COOKIE_BYTES: Final = 4096
"""The most a browser keeps of one cookie (its ``name=value``)."""
CLOCK_SKEW: Final = 60
"""Seconds a cookie's stamp may be in the future (the clocks of several workers)."""
_NONCE = re.compile(r"[A-Za-z0-9_-]{16,128}")
"""A CSRF nonce worth keeping: urlsafe base64, as ``secrets.token_urlsafe`` makes it."""


class HasSecret(Protocol):
    """What holds the key cookies are signed with: an ``App``."""

    @property
    def secret_key(self) -> str | bytes: ...


Secret = HasSecret | str | bytes
"""An app, or its secret key itself."""


@attrs.frozen
class Cookie:
    """One ``Set-Cookie``: ``header()`` is its value, attributes in a fixed order."""

    name: str
    value: str
    max_age: int | None = None
    """Seconds to keep it; 0 expires it now; None keeps it until the browser closes."""
    secure: bool = False
    http_only: bool = True
    same_site: str = "Lax"
    path: str = "/"

    def header(self) -> str:
        """``name=value; Path=/; Max-Age=60; SameSite=Lax; Secure; HttpOnly``."""
        parts = [f"{self.name}={self.value}", f"Path={self.path}"]
        if self.max_age is not None:
            parts.append(f"Max-Age={self.max_age}")
        parts.append(f"SameSite={self.same_site}")
        if self.secure:
            parts.append("Secure")
        if self.http_only:
            parts.append("HttpOnly")
        return "; ".join(parts)


def expire(name: str, https: bool) -> Cookie:
    """The ``Set-Cookie`` that makes the browser drop cookie ``name``."""
    return Cookie(name, "", max_age=0, secure=https)


def _key(secret: Secret) -> str | bytes:
    if isinstance(secret, str | bytes):
        return secret
    return secret.secret_key


def _check_size(name: str, value: str, what: str) -> None:
    size = len(name) + 1 + len(value.encode())
    if size > MAX_COOKIE_BYTES:
        raise ValueError(
            f"{what}: expected a cookie of at most {MAX_COOKIE_BYTES} bytes (what a browser "
            f"keeps), got {size} bytes for {name}; store an id in it and the data on the server"
        )


def _dump(secret: Secret, salt: str, name: str, data: Mapping[str, Any], what: str) -> str:
    serializer = URLSafeTimedSerializer(_key(secret), salt=salt)
    try:
        value = serializer.dumps(dict(data))
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{what}: expected JSON values (str, int, float, bool, None, lists and dicts of "
            f"them), got {dict(data)!r}: {error}"
        ) from None
    _check_size(name, value, what)
    return value


def _load(
    secret: Secret, salt: str, name: str, value: str | None, max_age: int, now: float | None
) -> dict[str, Any]:
    """The JSON object cookie ``name`` holds, or ``{}`` (logged) if it is not a good one."""
    if not value:
        return {}
    size = len(name) + 1 + len(value.encode())
    if size > MAX_COOKIE_BYTES:
        log.info("%s cookie ignored: %d bytes, over %d", name, size, MAX_COOKIE_BYTES)
        return {}
    serializer = URLSafeTimedSerializer(_key(secret), salt=salt)
    try:
        data, stamp = serializer.loads(value, return_timestamp=True)
    except BadPayload:
        log.info("%s cookie ignored: its signed payload is not JSON", name)
        return {}
    except BadSignature:
        log.info("%s cookie ignored: bad signature (tampered, or signed with another key)", name)
        return {}
    except BadData as error:  # pragma: no cover — every BadData loads raises is one of the above
        log.info("%s cookie ignored: %s", name, error)
        return {}
    age = (time.time() if now is None else now) - stamp.timestamp()
    if age > max_age:
        log.info("%s cookie ignored: expired (%d s old, at most %d)", name, age, max_age)
        return {}
    if age < -CLOCK_SKEW:
        log.info("%s cookie ignored: stamped %d s in the future", name, -age)
        return {}
    if not isinstance(data, dict):
        log.info("%s cookie ignored: expected a JSON object, got %s", name, type(data).__name__)
        return {}
    return data


# -- the session ----------------------------------------------------------------------------------


def dump_session(secret: Secret, session: Mapping[str, Any]) -> str:
    """The session cookie's value for ``session``: a ``TypeError`` for what JSON cannot hold,
    a ``ValueError`` naming the size when the cookie would pass ``MAX_COOKIE_BYTES``."""
    return _dump(secret, SESSION_SALT, SESSION_COOKIE, session, "request.session")


def load_session(
    secret: Secret, value: str | None, *, max_age: int = SESSION_MAX_AGE, now: float | None = None
) -> dict[str, Any]:
    """The session a cookie holds; ``{}`` when there is none or it is not a good one (tampered,
    foreign, older than ``max_age`` seconds at ``now``, too large)."""
    return _load(secret, SESSION_SALT, SESSION_COOKIE, value, max_age, now)


def session_cookie(value: str, https: bool) -> Cookie:
    """The ``Set-Cookie`` of a session cookie value (``dump_session``)."""
    return Cookie(SESSION_COOKIE, value, max_age=SESSION_MAX_AGE, secure=https)


# -- the flash ------------------------------------------------------------------------------------


def dump_flash(secret: Secret, flash: Mapping[str, str]) -> str:
    """The flash cookie's value for ``{kind: message}``: what a handler's ``put_flash`` sets,
    and what a live redirect hands ``client.js`` to set (``_pylive_flash=<token>``)."""
    for kind, message in flash.items():
        if not isinstance(kind, str) or not isinstance(message, str):
            raise TypeError(
                f"dump_flash: expected {{kind: message}} strings, got {kind!r}: {message!r}"
            )
    return _dump(secret, FLASH_SALT, FLASH_COOKIE, flash, "flash")


def load_flash(
    secret: Secret, value: str | None, *, max_age: int = FLASH_MAX_AGE, now: float | None = None
) -> dict[str, str]:
    """The ``{kind: message}`` a flash cookie holds; ``{}`` when it is not a good one."""
    data = _load(secret, FLASH_SALT, FLASH_COOKIE, value, max_age, now)
    return {kind: message for kind, message in data.items() if isinstance(message, str)}


def flash_cookie(value: str, https: bool) -> Cookie:
    """The ``Set-Cookie`` of a flash cookie value (``dump_flash``)."""
    return Cookie(FLASH_COOKIE, value, max_age=FLASH_MAX_AGE, secure=https)


# -- the CSRF nonce -------------------------------------------------------------------------------


def csrf_nonce(value: str | None) -> str | None:
    """The CSRF cookie's nonce if it is one this server would make; None otherwise (absent, a
    browser's junk, bytes that are not UTF-8)."""
    if value is None or _NONCE.fullmatch(value) is None:
        return None
    return value


def new_csrf_nonce() -> str:
    """A fresh nonce for the CSRF cookie (24 random bytes, urlsafe base64)."""
    return secrets.token_urlsafe(24)


def csrf_cookie(nonce: str, https: bool) -> Cookie:
    """The ``Set-Cookie`` of the CSRF nonce: kept until the browser closes."""
    return Cookie(CSRF_COOKIE, nonce, secure=https)
