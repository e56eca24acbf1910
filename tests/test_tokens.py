"""``pylive.tokens``: encrypted join tokens bound to a route and a view, signed CSRF tokens.

The session's handling of refused tokens (no mount, the client told to reload) is in
``tests/test_session.py``; these are the token functions themselves."""

from __future__ import annotations

import base64
import time

import pytest

from pylive.exceptions import InvalidToken, PyliveError
from pylive.tokens import CsrfTokens, JoinTokens, derive_key

SECRET = "tokens-test-secret-0123456789"


def test_join_token_round_trip_gives_the_session_back() -> None:
    tokens = JoinTokens(SECRET, max_age=60)
    token = tokens.issue("/users/{id}", "app.Users", {"user_id": 7})
    assert tokens.check(token, "/users/{id}", "app.Users") == {"user_id": 7}


def test_join_token_is_encrypted_not_just_signed() -> None:
    token = JoinTokens(SECRET, 60).issue("/", "app.Home", {"role": "member-secret-role"})
    raw = base64.urlsafe_b64decode(token)
    assert b"member-secret-role" not in raw
    assert b"app.Home" not in raw


def test_join_token_refusals_say_why() -> None:
    tokens = JoinTokens(SECRET, max_age=60)
    token = tokens.issue("/", "app.Home", {})
    cases = {
        None: "missing join token",
        "": "missing join token",
        token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]: "invalid join token",
        JoinTokens("another-secret-0123456789", 60).issue(
            "/", "app.Home", {}
        ): "invalid join token",
    }
    for bad, reason in cases.items():
        with pytest.raises(InvalidToken) as refused:
            tokens.check(bad, "/", "app.Home")
        assert refused.value.reason == reason, bad
    with pytest.raises(
        InvalidToken, match=r"join token is for 'app.Home' at '/', not 'app.Other' at '/'"
    ):
        tokens.check(token, "/", "app.Other")


def test_join_token_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    tokens = JoinTokens(SECRET, max_age=60)
    token = tokens.issue("/", "app.Home", {})
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(InvalidToken, match="expired join token"):
        tokens.check(token, "/", "app.Home")


def test_invalid_token_is_a_pylive_error_and_a_value_error() -> None:
    assert issubclass(InvalidToken, PyliveError)
    assert issubclass(InvalidToken, ValueError)


def test_derive_key_is_per_purpose() -> None:
    assert derive_key(SECRET, b"a") != derive_key(SECRET, b"b")
    assert len(derive_key(SECRET, b"a")) == 32


def test_csrf_token_is_bound_to_the_nonce_and_the_secret() -> None:
    csrf = CsrfTokens(SECRET)
    token = csrf.for_nonce("nonce-1")
    assert csrf.valid("nonce-1", token)
    assert not csrf.valid("nonce-2", token)  # another cookie
    assert not csrf.valid("x", "x")  # a pair the server never issued
    assert not csrf.valid("nonce-1", CsrfTokens("another-secret-0123456789").for_nonce("nonce-1"))
    assert not csrf.valid("nonce-1", "")
    assert not csrf.valid("", token)
    assert not csrf.valid("nonce-1", token + "=")  # another spelling of the same signature


def test_join_token_carries_the_flash_the_page_showed() -> None:
    tokens = JoinTokens(SECRET, max_age=60)
    token = tokens.issue("/", "app.Home", {"u": 1}, {"info": "Logged in"})
    assert tokens.claims(token, "/", "app.Home") == ({"u": 1}, {"info": "Logged in"})
    plain = tokens.issue("/", "app.Home", {"u": 1})
    assert tokens.claims(plain, "/", "app.Home") == ({"u": 1}, {})
