"""The diff: exact op lists for each reconciliation case, and the round-trip property."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from pylive.diff import diff
from pylive.html import div, element, li, p, span, ul
from pylive.node import Element, Memo, fragment, top_level
from pylive.protocol import OP_ATTRS, OP_HTML, OP_INSERT, OP_MOVE, OP_REMOVE, OP_REPLACE, OP_TEXT
from pylive.render import render_html
from pylive.testing import apply


def keyed(keys: str) -> Element:
    return ul(*[li(k, key=k) for k in keys])


def check(a: Any, b: Any, expected: list[Any]) -> None:
    ops = diff(a, b)
    assert ops == expected
    patched = apply(ops, a)
    assert top_level(patched) == top_level(b)
    assert render_html(patched) == render_html(b)


# --- keyed children ------------------------------------------------------------------------------


def test_diff_keyed_append() -> None:
    check(keyed("abc"), keyed("abcd"), [[OP_INSERT, [0], 3, ["li", {}, ["d"]]]])


def test_diff_keyed_prepend() -> None:
    check(keyed("abc"), keyed("zabc"), [[OP_INSERT, [0], 0, ["li", {}, ["z"]]]])


def test_diff_keyed_insert_middle() -> None:
    check(keyed("abcd"), keyed("abxcd"), [[OP_INSERT, [0], 2, ["li", {}, ["x"]]]])


def test_diff_keyed_remove_middle() -> None:
    check(keyed("abcd"), keyed("abd"), [[OP_REMOVE, [0, 2]]])


def test_diff_keyed_remove_several_from_the_back() -> None:
    check(
        keyed("abcdef"),
        keyed("bdf"),
        [[OP_REMOVE, [0, 4]], [OP_REMOVE, [0, 2]], [OP_REMOVE, [0, 0]]],
    )


def test_diff_keyed_swap_two() -> None:
    # a and e are a common prefix and suffix; of b c d → d c b one child stays, two move.
    check(keyed("abcde"), keyed("adcbe"), [[OP_MOVE, [0], 2, 1], [OP_MOVE, [0], 3, 1]])


def test_diff_keyed_swap_adjacent() -> None:
    check(keyed("abc"), keyed("bac"), [[OP_MOVE, [0], 1, 0]])


def test_diff_keyed_reverse() -> None:
    check(
        keyed("abcde"),
        keyed("edcba"),
        [[OP_MOVE, [0], 1, 0], [OP_MOVE, [0], 2, 0], [OP_MOVE, [0], 3, 0], [OP_MOVE, [0], 4, 0]],
    )


def test_diff_keyed_move_to_end() -> None:
    check(keyed("abcde"), keyed("bcdea"), [[OP_MOVE, [0], 0, 4]])


def test_diff_keyed_move_to_front() -> None:
    check(keyed("abcde"), keyed("eabcd"), [[OP_MOVE, [0], 4, 0]])


def test_diff_keyed_move_insert_remove_in_one_batch() -> None:
    check(
        keyed("abcde"),
        keyed("ezbd"),
        [
            [OP_REMOVE, [0, 2]],
            [OP_REMOVE, [0, 0]],
            [OP_INSERT, [0], 0, ["li", {}, ["z"]]],
            [OP_MOVE, [0], 3, 0],
        ],
    )


def test_diff_keyed_moved_child_changes_at_its_final_index() -> None:
    a = ul(li("A", key="a"), li("B", key="b"))
    b = ul(li("B2", key="b"), li("A", key="a"))
    check(a, b, [[OP_MOVE, [0], 1, 0], [OP_TEXT, [0, 0, 0], "B2"]])


def test_diff_id_serves_as_key() -> None:
    a = div(p("1", id="x"), p("2", id="y"))
    b = div(p("2", id="y"), p("1", id="x"))
    check(a, b, [[OP_MOVE, [0], 1, 0]])


def test_diff_keyed_and_unkeyed_mix() -> None:
    a = div("head", p("A", key="a"), span("s"), p("B", key="b"))
    b = div("head", p("B", key="b"), span("t"), p("A", key="a"), span("new"))
    check(
        a,
        b,
        [
            [OP_INSERT, [0], 4, ["span", {}, ["new"]]],
            [OP_MOVE, [0], 2, 1],
            [OP_MOVE, [0], 3, 1],
            [OP_TEXT, [0, 2, 0], "t"],
        ],
    )


# --- unkeyed children, text, attributes, replace -------------------------------------------------


def test_diff_unkeyed_append_and_truncate_by_position() -> None:
    check(
        ul(li("a"), li("b")),
        ul(li("a"), li("b"), li("c")),
        [[OP_INSERT, [0], 2, ["li", {}, ["c"]]]],
    )
    check(
        ul(li("a"), li("b"), li("c")),
        ul(li("x")),
        [[OP_TEXT, [0, 0, 0], "x"], [OP_REMOVE, [0, 2]], [OP_REMOVE, [0, 1]]],
    )


def test_diff_text_edit() -> None:
    check(p("Count: 1"), p("Count: 2"), [[OP_TEXT, [0, 0], "Count: 2"]])


def test_diff_text_added_and_removed() -> None:
    check(p(), p("hi"), [[OP_INSERT, [0], 0, "hi"]])
    check(p("hi"), p(), [[OP_REMOVE, [0, 0]]])


def test_diff_attribute_add_change_remove() -> None:
    a = div(class_="a", title="t", hidden=True)
    b = div(class_="b", data_x="1")
    check(a, b, [[OP_ATTRS, [0], {"class": "b", "data-x": "1", "title": None, "hidden": None}]])


def test_diff_bare_attribute_is_true_on_the_wire() -> None:
    check(div(), div(hidden=True), [[OP_ATTRS, [0], {"hidden": True}]])


def test_diff_replace_tag() -> None:
    check(div(p("x")), div(span("x")), [[OP_REPLACE, [0, 0], ["span", {}, ["x"]]]])


def test_diff_replace_text_with_element() -> None:
    check(div("x"), div(span("x")), [[OP_REPLACE, [0, 0], ["span", {}, ["x"]]]])


def test_diff_raw_html_leaf_change() -> None:
    check(
        div(Markup("<b>1</b>"), class_="r"),
        div(Markup("<b>2</b>"), class_="r"),
        [[OP_HTML, [0], "<b>2</b>"]],
    )


def test_diff_raw_html_unchanged_sends_nothing() -> None:
    check(div(Markup("<b>1</b>")), div(Markup("<b>1</b>")), [])


def test_diff_raw_to_structured_content_replaces_the_element() -> None:
    check(
        div(Markup("<b>1</b>")), div(p("1")), [[OP_REPLACE, [0], ["div", {}, [["p", {}, ["1"]]]]]]
    )


def test_diff_top_level_fragments() -> None:
    check(fragment(p("a"), p("b")), fragment(p("a")), [[OP_REMOVE, [1]]])
    check(None, p("a"), [[OP_INSERT, [], 0, ["p", {}, ["a"]]]])


def test_diff_deep_path_after_parent_moves() -> None:
    a = div(ul(li(span("x"), key="1"), li(span("y"), key="2")))
    b = div(ul(li(span("y!"), key="2"), li(span("x"), key="1")))
    check(a, b, [[OP_MOVE, [0, 0], 1, 0], [OP_TEXT, [0, 0, 0, 0, 0], "y!"]])


# --- O(1) skips ----------------------------------------------------------------------------------


def test_diff_identical_object_is_not_walked() -> None:
    shared = ul(*[li(str(i)) for i in range(3)])
    visited = []

    class Spy(list):  # a children list that records being walked
        def __len__(self) -> int:
            visited.append(1)
            return super().__len__()

    shared.children = Spy(shared.children)
    assert diff(div(shared, p("1")), div(shared, p("2"))) == [[OP_TEXT, [0, 1, 0], "2"]]
    assert visited == []


def test_diff_memo_with_equal_arguments_is_skipped_without_rendering() -> None:
    calls: list[str] = []

    def row(label: str) -> Element:
        calls.append(label)
        return li(label)

    a = ul(Memo(row, ("a",), {}, "a"), Memo(row, ("b",), {}, "b"))
    render_html(a)
    assert calls == ["a", "b"]
    b = ul(Memo(row, ("a",), {}, "a"), Memo(row, ("B",), {}, "b"))
    assert diff(a, b) == [[OP_TEXT, [0, 1, 0], "B"]]
    assert calls == ["a", "b", "B"]  # the unchanged row was never rendered again


def test_diff_attribute_order_follows_the_new_tree() -> None:
    a = span(class_="c")
    b = span(title="t", class_="c")
    check(a, b, [[OP_ATTRS, [0], {"class": None}], [OP_ATTRS, [0], {"title": "t", "class": "c"}]])
    check(
        div(id="x", class_="a"),
        div(id="x", class_="b", hidden=True),
        [[OP_ATTRS, [0], {"class": "b", "hidden": True}]],
    )


def test_diff_ops_are_json_encodable() -> None:
    ops = diff(keyed("abc"), keyed("cbx"))
    assert orjson.loads(orjson.dumps(ops)) == ops


def test_apply_refuses_a_path_that_does_not_resolve() -> None:
    with pytest.raises(ValueError, match=r"cannot apply op \[0, \[0, 5\], 'x'\]"):
        apply([[OP_TEXT, [0, 5], "x"]], p("a"))


# --- the round-trip property -------------------------------------------------------------------

TAGS = ["div", "span", "p", "ul", "li"]
TEXTS = ["x", "y", "hello", "<&>\"'", " "]
ATTR_NAMES = ["class_", "title", "data_x", "hidden", "aria_label"]
ATTR_VALUES = st.one_of(st.sampled_from(["1", "2", "a b", '"q"']), st.just(True))


@st.composite
def trees(draw: st.DrawFn, depth: int = 0, key: str | None = None) -> Element:
    tag = draw(st.sampled_from(TAGS))
    attrs = draw(st.dictionaries(st.sampled_from(ATTR_NAMES), ATTR_VALUES, max_size=2))
    if draw(st.integers(0, 20)) == 0:
        return element(tag)(
            Markup(draw(st.sampled_from(["<b>1</b>", "<i>2</i>x", ""]))), key=key, **attrs
        )
    children: list[Any] = []
    if depth < 6:
        keys = iter(draw(st.permutations("abcdefg")))
        for _ in range(draw(st.integers(0, 5 if depth < 2 else 2))):
            choice = draw(st.integers(0, 3))
            if choice == 0:
                children.append(draw(st.sampled_from(TEXTS)))
            elif choice == 1:
                children.append(draw(trees(depth + 1)))
            else:
                children.append(draw(trees(depth + 1, key=next(keys))))
    return element(tag)(*children, key=key, **attrs)


tree_pairs = st.tuples(trees(), trees())


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree_pairs)
def test_diff_round_trip_property(pair: tuple[Element, Element]) -> None:
    a, b = pair
    ops = diff(a, b)
    patched = apply(ops, a)
    assert patched == b
    assert render_html(patched) == render_html(b)
    assert diff(b, b) == []


@st.composite
def related_pairs(draw: st.DrawFn) -> tuple[Element, Element]:
    """A tree and a variant sharing most of its keyed rows: reorders, inserts, removes, edits."""
    keys = draw(st.lists(st.sampled_from("abcdefghij"), unique=True, max_size=10))
    rows = {k: draw(trees(depth=4, key=k)) for k in "abcdefghij"}
    new_keys = draw(st.permutations(keys))
    new_keys = [k for k in new_keys if draw(st.integers(0, 5))] + draw(
        st.lists(
            st.sampled_from([k for k in "abcdefghij" if k not in keys] or ["a"]),
            unique=True,
            max_size=3,
        )
    )
    new_keys = list(dict.fromkeys(new_keys))
    return ul(*[rows[k] for k in keys]), ul(*[rows[k] for k in new_keys])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(related_pairs())
def test_diff_round_trip_property_on_reordered_keyed_rows(pair: tuple[Element, Element]) -> None:
    a, b = pair
    ops = diff(a, b)
    assert apply(ops, a) == b
    assert all(op[0] != OP_REPLACE for op in ops)  # shared rows are moved, never re-created


def test_diff_sends_nothing_below_a_phx_update_ignore_element() -> None:
    """The browser keeps such an element's children (a library draws there): only its
    attributes are diffed, on the inlined sibling path and on the element path alike."""
    from pylive.html import div, p, section

    def page(text: str, zoom: str) -> list[Any]:
        return [
            div(p(text), id="map", phx_update="ignore", data_zoom=zoom),
            section(div(p(text), id="m2", phx_update="ignore")),
        ]

    assert diff(page("a", "1"), page("b", "1")) == []
    assert diff(page("a", "1"), page("b", "2")) == [[1, [0], {"data-zoom": "2"}]]
    plain = [div(p("a"), id="map")]
    assert diff(plain, [div(p("b"), id="map")]) == [[0, [0, 0, 0], "b"]]
