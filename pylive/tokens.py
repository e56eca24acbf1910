"""Join tokens and CSRF tokens: what the HTTP render hands the browser, checked when it connects.

A join token is **encrypted**, not only signed: signed is not secret, and the session it carries
(a user id, a role) is for ``mount``, not for any script on the page to read. It is a Fernet
token (AES-128-CBC and HMAC-SHA256, from ``cryptography``) under a key derived from the app's
secret with HKDF, holding a versioned payload bound to one route and view and stamped with the
time it was issued. A token issued for ``/a`` cannot mount the view of ``/b``; an old, tampered or
foreign token is refused (the client then reloads the page to get a fresh one).

A CSRF token is the page's proof that it was rendered by this server for this browser: the
``_pylive_csrf`` cookie holds a random nonce and the page holds the nonce signed with the app's
secret (itsdangerous, salt ``pylive.csrf``), so a cookie and parameter that merely match, or a
nonce the server never signed, fail.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import time
from typing import Any

import orjson
from cryptography.fernet import Fernet
from cryptography.fernet import InvalidToken as FernetInvalid
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from itsdangerous import Signer

from pylive.exceptions import InvalidToken as InvalidToken

TOKEN_VERSION = 2
JOIN_INFO = b"pylive join token v2"
CSRF_SALT = "pylive.csrf"
CLOCK_SKEW = 60
"""Seconds a token may claim to come from the future (clocks of several workers)."""


def derive_key(secret: str | bytes, info: bytes) -> bytes:
    """32 bytes for one purpose (``info``), derived from the app's secret with HKDF-SHA256."""
    material = secret.encode() if isinstance(secret, str) else secret
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"pylive", info=info).derive(material)


class JoinTokens:
    """Issue and check join tokens for one app secret."""

    def __init__(self, secret: str | bytes, max_age: int) -> None:
        self._fernet = Fernet(base64.urlsafe_b64encode(derive_key(secret, JOIN_INFO)))
        self.max_age = max_age

    def issue(
        self,
        route: str,
        view: str,
        session: dict[str, Any],
        flash: dict[str, str] | None = None,
    ) -> str:
        """A token for ``view`` at ``route`` holding ``session`` and the ``flash`` messages the
        page showed (the live mount shows them too)."""
        payload = {"v": TOKEN_VERSION, "route": route, "view": view, "session": session}
        if flash:
            payload["flash"] = flash
        return self._fernet.encrypt(orjson.dumps(payload)).decode()

    def check(self, token: object, route: str, view: str) -> dict[str, Any]:
        """The session stored in ``token`` if it is valid for ``route`` and ``view``."""
        return self.claims(token, route, view)[0]

    def claims(self, token: object, route: str, view: str) -> tuple[dict[str, Any], dict[str, str]]:
        """The session and the flash stored in ``token`` if it is valid for ``route`` and
        ``view``."""
        if not isinstance(token, str) or not token:
            raise InvalidToken("missing join token")
        if not _canonical(token):
            raise InvalidToken("invalid join token")
        try:
            issued = self._fernet.extract_timestamp(token)  # checks the signature first
            data = self._fernet.decrypt(token)
        except (FernetInvalid, ValueError, TypeError):
            raise InvalidToken("invalid join token") from None
        age = time.time() - issued
        if age > self.max_age or age < -CLOCK_SKEW:
            raise InvalidToken("expired join token")
        try:
            payload = orjson.loads(data)
        except orjson.JSONDecodeError:
            raise InvalidToken("invalid join token") from None
        if not isinstance(payload, dict) or payload.get("v") != TOKEN_VERSION:
            raise InvalidToken("join token of another version")
        if payload.get("route") != route or payload.get("view") != view:
            raise InvalidToken(
                f"join token is for {payload.get('view')!r} at {payload.get('route')!r}, "
                f"not {view!r} at {route!r}"
            )
        session = payload.get("session")
        flash = payload.get("flash")
        return (
            session if isinstance(session, dict) else {},
            {str(k): str(v) for k, v in flash.items()} if isinstance(flash, dict) else {},
        )


def _canonical(token: str) -> bool:
    """The token in canonical urlsafe base64: otherwise the unused low bits of its last
    character could be flipped without changing what it decodes to (a malleable token)."""
    try:
        return base64.urlsafe_b64encode(base64.urlsafe_b64decode(token)).decode() == token
    except (binascii.Error, ValueError):
        return False


class CsrfTokens:
    """The CSRF nonce (the cookie's value) and its signed form (the page's ``csrf-token``)."""

    def __init__(self, secret: str | bytes) -> None:
        self._signer = Signer(secret, salt=CSRF_SALT)

    def for_nonce(self, nonce: str) -> str:
        """What the page carries for the cookie's ``nonce``."""
        return self._signer.sign(nonce).decode()

    def valid(self, nonce: str, token: str) -> bool:
        """Whether ``token`` is exactly the signed form of ``nonce`` (the cookie the request
        carried): compared whole, in constant time, with the one signing gives, so that no
        other spelling of the signature passes (itsdangerous's base64 reader would also take
        ``+`` for ``-``, appended ``=`` and other last characters with the same leading bits)."""
        if not nonce or not token or not nonce.isascii() or not token.isascii():
            return False  # what for_nonce makes is ASCII (and compare_digest wants it)
        return hmac.compare_digest(self.for_nonce(nonce), token)
