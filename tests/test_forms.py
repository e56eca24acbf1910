"""``pylive.forms``: a form's ``(name, value)`` pairs decoded into nested params, ``_target``
as a key path (the decoder itself is ``pylive.params``', tested in ``tests/test_params.py``)."""

from __future__ import annotations

import pytest

from pylive.exceptions import InvalidParams
from pylive.forms import decode_form


def test_pairs_nest_and_lists_collect() -> None:
    pairs = [("user[email]", "a@b"), ("user[tags][]", "x"), ("user[tags][]", "y"), ("ok", "1")]
    assert decode_form(pairs) == {"user": {"email": "a@b", "tags": ["x", "y"]}, "ok": "1"}


def test_target_becomes_a_key_path() -> None:
    assert decode_form([("user[email]", "a")], "user[email]") == {
        "user": {"email": "a"},
        "_target": ["user", "email"],
    }
    assert decode_form([("q", "x")], "q")["_target"] == ["q"]


def test_conflicting_shapes_are_refused() -> None:
    with pytest.raises(InvalidParams):
        decode_form([("a", "1"), ("a[b]", "2")])
