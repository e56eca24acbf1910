"""``pylive.params``: one decoder for query strings and form payloads, and its inverse."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pylive.exceptions import InvalidParams
from pylive.forms import decode_form
from pylive.params import decode_pairs, decode_query, encode_pairs, encode_query, name_path


def test_query_string_values_kept_nested_and_listed() -> None:
    """The new user's query: ``a`` of ``tags[]`` used to be lost."""
    assert decode_query("user[name]=x&tags[]=a&tags[]=b") == {
        "user": {"name": "x"},
        "tags": ["a", "b"],
    }


def test_query_string_repeated_key_keeps_the_last_value() -> None:
    assert decode_query("page=1&page=2&q=") == {"page": "2", "q": ""}


def test_query_string_decoded_exactly_as_a_form() -> None:
    pairs = [("user[email]", "a@b"), ("user[tags][]", "x"), ("user[tags][]", "y"), ("ok", "1")]
    query = "user[email]=a%40b&user%5Btags%5D%5B%5D=x&user[tags][]=y&ok=1"
    assert decode_query(query) == decode_form(pairs) == decode_pairs(pairs)
    assert decode_query(query) == {"user": {"email": "a@b", "tags": ["x", "y"]}, "ok": "1"}


def test_query_string_plus_and_percent_decoded() -> None:
    assert decode_query("q=a+b%26c&name%5Bfirst%5D=%C3%A9") == {
        "q": "a b&c",
        "name": {"first": "é"},
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("a=1&a[b]=2", "query string: field 'a[b]' conflicts with field 'a'"),
        ("a[b]=2&a=1", "query string: field 'a' conflicts with nested fields under it"),
        ("t[]=1&t=2", "query string: field 't' conflicts with nested fields under it"),
        ("t=2&t[]=1", "query string: field 't[]' conflicts with field 't'"),
        (
            "a[][b]=1",
            "query string: field 'a[][b]' is a list of nested fields, which has no single "
            "meaning; index it instead ('a[0][b]')",
        ),
    ],
)
def test_query_string_conflicting_shapes_refused(query: str, message: str) -> None:
    with pytest.raises(InvalidParams) as info:
        decode_query(query)
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("user[address][city]", ["user", "address", "city"]),
        ("tags[]", ["tags", ""]),
        ("plain", ["plain"]),
        ("a[b", ["a[b"]),
        ("a]b[", ["a]b["]),
        ("[x]", ["[x]"]),
        ("a[b]c", ["a[b]c"]),
    ],
)
def test_name_path_splits_only_well_formed_names(name: str, path: list[str]) -> None:
    assert name_path(name) == path


def test_encode_query_readable_and_decodable() -> None:
    params = {"user": {"name": "Ada L", "tags": ["a", "b&c"]}, "page": 2}
    query = encode_query(params)
    assert query == "user[name]=Ada+L&user[tags][]=a&user[tags][]=b%26c&page=2"
    assert decode_query(query) == {"user": {"name": "Ada L", "tags": ["a", "b&c"]}, "page": "2"}


NO_BRACKETS = "encode params: expected keys of text without brackets, got"
NOT_A_VALUE = "encode params: field 'a' must be a str, int, float, list or mapping, got"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"a[b]": "1"}, f"{NO_BRACKETS} 'a[b]'"),
        ({"a": {"": "1"}}, f"{NO_BRACKETS} '' under 'a'"),
        ({"a": [{"b": "1"}]}, f"{NOT_A_VALUE} {{'b': '1'}}"),
        ({"a": True}, f"{NOT_A_VALUE} True"),
    ],
)
def test_encode_params_refuses_what_has_no_encoding(params: Any, message: str) -> None:
    with pytest.raises(InvalidParams) as info:
        encode_pairs(params)
    assert str(info.value) == message


KEYS = st.text(st.characters(blacklist_characters="[]", blacklist_categories=("Cs",)), min_size=1)
VALUES = st.text(st.characters(blacklist_categories=("Cs",)))
PARAMS = st.recursive(
    st.dictionaries(KEYS, VALUES | st.lists(VALUES, min_size=1), min_size=1, max_size=4),
    lambda children: st.dictionaries(
        KEYS, VALUES | st.lists(VALUES, min_size=1) | children, min_size=1, max_size=4
    ),
    max_leaves=12,
)


@given(PARAMS)
def test_params_encode_then_decode_round_trips(params: dict[str, Any]) -> None:
    assert decode_query(encode_query(params)) == params
    assert decode_pairs(encode_pairs(params)) == params
