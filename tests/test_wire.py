"""``pylive.wire``: nodes in their wire form, plain JSON the browser builds with createElement."""

from __future__ import annotations

import orjson
import pytest
from markupsafe import Markup

from pylive.html import div, input, li, p, ul
from pylive.wire import to_wire


def test_text_elements_and_bare_attributes() -> None:
    assert to_wire("Count: 3") == "Count: 3"
    assert to_wire(p("hi", id="x")) == ["p", {"id": "x"}, ["hi"]]
    assert to_wire(input(disabled=True, name="q")) == ["input", {"disabled": True, "name": "q"}]
    assert orjson.loads(orjson.dumps(to_wire(div(p("a"), "b")))) == [
        "div",
        {},
        [["p", {}, ["a"]], "b"],
    ]


def test_raw_html_content_is_one_string_of_inner_html() -> None:
    assert to_wire(div(Markup("<b>bold</b> text"))) == ["div", {}, "<b>bold</b> text"]


def test_keys_are_not_sent() -> None:
    assert to_wire(ul(li("a", key=1), li("b", key=2))) == [
        "ul",
        {},
        [["li", {}, ["a"]], ["li", {}, ["b"]]],
    ]


def test_text_rows_have_the_wire_form_of_their_elements() -> None:
    rows = ul(*[li(f"row {n}", key=n) for n in range(40)])
    wire = to_wire(rows)
    assert wire[2][:2] == [["li", {}, ["row 0"]], ["li", {}, ["row 1"]]]
    assert len(wire[2]) == 40


def test_a_raw_leaf_alone_has_no_wire_form() -> None:
    raw = div(Markup("<i>x</i>")).children[0]
    with pytest.raises(TypeError, match="a raw HTML leaf has no wire form of its own"):
        to_wire(raw)
