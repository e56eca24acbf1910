"""Signed join tokens: what the HTTP render hands the browser, and the websocket join checks.

A token is signed with the app's secret (itsdangerous, HMAC-SHA1 over a timestamped payload, salt
``pylive.join``), versioned, and bound to one route and view: a token issued for ``/a`` cannot
mount the view of ``/b``, an old or tampered token is refused, and the client then reloads the
page to get a fresh one.
"""

from __future__ import annotations

from typing import Any

from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from itsdangerous.encoding import base64_decode, base64_encode

TOKEN_VERSION = 1
SALT = "pylive.join"


class InvalidToken(Exception):
    """A join token that is tampered with, expired, of another version or for another view."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class JoinTokens:
    """Issue and check join tokens for one app secret."""

    def __init__(self, secret: str | bytes, max_age: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt=SALT)
        self.max_age = max_age

    def issue(self, route: str, view: str, session: dict[str, Any]) -> str:
        payload = {"v": TOKEN_VERSION, "route": route, "view": view, "session": session}
        return self._serializer.dumps(payload)

    def check(self, token: object, route: str, view: str) -> dict[str, Any]:
        """The session stored in ``token`` if it is valid for ``route`` and ``view``."""
        if not isinstance(token, str) or not token:
            raise InvalidToken("missing join token")
        if not _canonical(token):
            raise InvalidToken("invalid join token signature")
        try:
            payload = self._serializer.loads(token, max_age=self.max_age)
        except SignatureExpired:
            raise InvalidToken("expired join token") from None
        except BadData:
            raise InvalidToken("invalid join token signature") from None
        if not isinstance(payload, dict) or payload.get("v") != TOKEN_VERSION:
            raise InvalidToken("join token of another version")
        if payload.get("route") != route or payload.get("view") != view:
            raise InvalidToken(
                f"join token is for {payload.get('view')!r} at {payload.get('route')!r}, "
                f"not {view!r} at {route!r}"
            )
        session = payload.get("session")
        return session if isinstance(session, dict) else {}


def _canonical(token: str) -> bool:
    """Every segment in canonical base64: otherwise the unused low bits of a segment's last
    character could be flipped without changing what it decodes to (a malleable token)."""
    try:
        return all(base64_encode(base64_decode(part)).decode() == part for part in token.split("."))
    except (BadData, UnicodeError):
        return False
