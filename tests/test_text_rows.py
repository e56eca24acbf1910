"""Long lists of uniform text rows are kept compactly (``TextRows``) and diffed as lists."""

from __future__ import annotations

import random
from array import array

import pytest

from pylive.diff import diff
from pylive.html import b, li, p, pre, script, table, td, tr, ul
from pylive.node import ROWS_MIN, Element, Fragment, TextRows, fragment
from pylive.protocol import OP_INSERT, OP_MOVE, OP_REMOVE, OP_TEXT
from pylive.render import render_html
from pylive.testing import apply
from pylive.wire import to_wire


def rows(values: list[int], keyed: bool = True, **attrs: str) -> Element:
    if keyed:
        return ul([li(f"Row {i}: value {v}", key=i, **attrs) for i, v in enumerate(values)])
    return ul([li(f"Row {i}: value {v}", **attrs) for i, v in enumerate(values)])


def plain(element: Element) -> Element:
    """The same element with its children as a plain list of elements."""
    return Element(element.tag, element.attrs, list(element.children), element.key)


# -- when a list is kept as text rows --------------------------------------------------------------


def test_text_rows_keep_keys_in_an_array_and_texts_in_a_list() -> None:
    kids = rows([0] * ROWS_MIN).children
    assert type(kids) is TextRows
    assert kids.tag == "li"
    assert kids.keys == array("q", range(ROWS_MIN))
    assert kids.texts[:2] == ["Row 0: value 0", "Row 1: value 0"]
    assert len(kids) == ROWS_MIN
    assert kids[3] == li("Row 3: value 0") and kids[3].key == 3
    assert [row.key for row in kids][:3] == [0, 1, 2]
    assert kids[1:3] == [li("Row 1: value 0"), li("Row 2: value 0")]


def test_text_rows_keep_str_keys_in_a_list_and_no_keys_as_none() -> None:
    kids = ul([li(str(n), key=f"k{n}") for n in range(40)]).children
    assert type(kids) is TextRows and kids.keys == [f"k{n}" for n in range(40)]
    unkeyed = rows([0] * 40, keyed=False).children
    assert type(unkeyed) is TextRows and unkeyed.keys is None


@pytest.mark.parametrize(
    "children",
    [
        [li(str(n), key=n) for n in range(ROWS_MIN - 1)],  # too short to matter
        [li(str(n), key=n) for n in range(40)] + [p("x")],  # another tag
        [li(str(n), key=n, class_="a" if n else "b") for n in range(40)],  # other attributes
        [li(str(n), b("!"), key=n) for n in range(40)],  # two children
        [li(key=n) for n in range(40)],  # no text
        [li(str(n), key=n) for n in range(40)] + [li("last")],  # keyed and unkeyed
        [script("x") for _ in range(40)],  # raw text: written otherwise
        [pre("x") for _ in range(40)],  # a leading newline would be doubled
        [li(f"<{n}>", id=f"r{n}") for n in range(40)],  # the id differs per row
    ],
)
def test_text_rows_only_for_uniform_rows(children: list[Element]) -> None:
    assert type(ul(children).children) is list


def test_text_rows_share_equal_attributes_given_in_the_same_order() -> None:
    kids = ul([li(str(n), key=n, class_="row", title="t") for n in range(40)]).children
    assert type(kids) is TextRows and kids.attrs == {"class": "row", "title": "t"}
    mixed = [li(str(n), key=n, class_="row", title="t") for n in range(39)]
    mixed.append(li("x", key=99, title="t", class_="row"))
    assert type(ul(mixed).children) is list


def test_text_rows_render_and_encode_like_the_elements_they_stand_for() -> None:
    tree = ul([li(f"<{n}> & 'x'", key=n, class_="r") for n in range(40)], id="l")
    assert render_html(tree) == render_html(plain(tree))
    assert to_wire(tree) == to_wire(plain(tree))
    assert tree == plain(tree) and plain(tree) == tree
    frag = fragment([li(str(n)) for n in range(40)])
    assert type(frag.children) is TextRows
    assert render_html(frag) == "".join(f"<li>{n}</li>" for n in range(40))


# -- the diff ------------------------------------------------------------------------------------


def test_text_rows_diff_one_changed_row_is_one_text_op() -> None:
    values = [0] * 1000
    old = rows(values)
    values[500] = 1
    assert diff(old, rows(values)) == [[OP_TEXT, [0, 500, 0], "Row 500: value 1"]]
    assert diff(old, rows([0] * 1000)) == []


def test_text_rows_diff_append_and_remove_at_the_end() -> None:
    old = rows([0] * 100)
    assert diff(old, rows([0] * 102)) == [
        [OP_INSERT, [0], 100, ["li", {}, ["Row 100: value 0"]]],
        [OP_INSERT, [0], 101, ["li", {}, ["Row 101: value 0"]]],
    ]
    assert diff(old, rows([0] * 98)) == [[OP_REMOVE, [0, 99]], [OP_REMOVE, [0, 98]]]


def test_text_rows_diff_a_move_is_a_move() -> None:
    keys = list(range(50))
    old = ul([li(str(k), key=k) for k in keys])
    keys.append(keys.pop(0))
    assert diff(old, ul([li(str(k), key=k) for k in keys])) == [[OP_MOVE, [0], 0, 49]]


def test_text_rows_diff_against_a_plain_list_both_ways() -> None:
    old = rows([0] * 40)
    new = ul([li(str(n), b("!"), key=n) for n in range(40)])
    assert apply(diff(old, new), old) == new
    assert apply(diff(new, old), new) == old


def random_list(rng: random.Random, values: dict[int, int]) -> Element:
    keyed = rng.random() < 0.8
    attrs = rng.choice([{}, {}, {"class_": "row"}])
    if rng.random() < 0.1 and values:  # one row of another shape: a plain list
        odd = rng.choice(list(values))
        kids = [
            li(f"{k}:{v}", b("!"), key=k) if k == odd else li(f"{k}:{v}", key=k, **attrs)
            for k, v in values.items()
        ]
        return ul(kids)
    if keyed:
        return ul([li(f"{k}:{v}", key=k, **attrs) for k, v in values.items()])
    return ul([li(f"{k}:{v}", **attrs) for k, v in values.items()])


def edit(rng: random.Random, values: dict[int, int], fresh: list[int]) -> dict[int, int]:
    items = list(values.items())
    for _ in range(rng.randrange(1, 4)):
        roll = rng.random()
        if roll < 0.35 and items:
            index = rng.randrange(len(items))
            items[index] = (items[index][0], items[index][1] + 1)
        elif roll < 0.55:
            fresh[0] += 1
            items.insert(rng.randrange(len(items) + 1), (fresh[0], 0))
        elif roll < 0.65:
            fresh[0] += 1
            items.append((fresh[0], 0))
        elif roll < 0.8 and items:
            del items[rng.randrange(len(items))]
        elif roll < 0.9 and items:
            del items[-rng.randrange(1, min(4, len(items)) + 1) :]
        elif len(items) > 1:
            a, b_ = rng.randrange(len(items)), rng.randrange(len(items))
            items[a], items[b_] = items[b_], items[a]
    return dict(items)


def test_text_rows_diff_random_edits_apply_to_the_new_tree() -> None:
    """``apply(diff(a, b), a) == b`` over random edits of long lists, compact or not."""
    rng = random.Random(2026)
    compact = 0
    for _ in range(300):
        fresh = [1000]
        values = dict.fromkeys(range(rng.randrange(ROWS_MIN - 4, 80)), 0)
        old = random_list(rng, values)
        for _ in range(4):
            values = edit(rng, values, fresh)
            new = random_list(rng, values)
            compact += type(old.children) is TextRows and type(new.children) is TextRows
            ops = diff(old, new)
            assert apply(ops, old) == new, (old, new, ops)
            assert render_html(apply(ops, Fragment([plain(old)]))) == render_html(new)
            old = new
    assert compact > 400  # most pairs were two compact lists


def test_text_rows_table_rows_stay_elements() -> None:
    """A row of several cells is not a text row; its list stays a list of elements."""
    tree = table([tr(td(str(n)), td("x"), key=n) for n in range(40)])
    assert type(tree.children) is list
