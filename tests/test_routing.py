"""``pylive.routing``: ``/users/{id}`` patterns, matched against request paths."""

from __future__ import annotations

import pytest

from pylive.routing import compile_route
from pylive.view import LiveView


class Users(LiveView):
    pass


def test_a_segment_becomes_a_string_param_percent_decoded() -> None:
    route = compile_route("/users/{id}/posts/{slug}", Users)
    assert route.match("/users/7/posts/hello%20world") == {"id": "7", "slug": "hello world"}
    assert route.match("/users/7/posts") is None
    assert route.match("/users/7/posts/a/b") is None  # one segment each


def test_a_static_pattern_matches_exactly() -> None:
    route = compile_route("/about.html", Users)
    assert route.match("/about.html") == {}
    assert route.match("/aboutXhtml") is None  # the dot is not a wildcard


def test_the_route_name_defaults_to_the_view_s_qualified_name() -> None:
    assert compile_route("/u", Users).name == f"{__name__}.Users"
    assert compile_route("/u", Users, "users").name == "users"


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("users", "route pattern must start with '/', got 'users'"),
        ("/a/{id}/{id}", "route '/a/{id}/{id}': parameter 'id' appears twice"),
        ("/a/{id", "route '/a/{id': expected {name} segments, found a stray brace"),
    ],
)
def test_bad_patterns_say_what_is_wrong(pattern: str, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        compile_route(pattern, Users)
    assert str(refused.value) == message
