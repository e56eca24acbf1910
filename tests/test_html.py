"""The element DSL: builders, children rules, void elements, keys, fragments, custom elements."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from markupsafe import Markup

import pylive.html as h
from pylive.exceptions import DuplicateKey, InvalidAttribute, InvalidChild
from pylive.html import (
    Builder,
    a,
    br,
    div,
    element,
    fragment,
    img,
    input,
    label,
    li,
    p,
    script,
    span,
    style,
    td,
    tr,
    ul,
)
from pylive.node import VOID_ELEMENTS, Element, Fragment, Raw
from pylive.render import raw_html, render_html


class HasHtml:
    """The smallest object with ``__html__``, standing in for an htpy element."""

    def __init__(self, html: str) -> None:
        self.html = html

    def __html__(self) -> str:
        return self.html


# --- call style ----------------------------------------------------------------------------------


def test_builder_positional_children_keyword_attributes() -> None:
    node = div(p("hi"), class_="card", phx_click="x")
    assert node.tag == "div"
    assert node.attrs == {"class": "card", "phx-click": "x"}
    assert node.children == [Element("p", {}, ["hi"])]
    assert render_html(node) == '<div class="card" phx-click="x"><p>hi</p></div>'


def test_builder_attribute_names_follow_htpy() -> None:
    node = label("Name", for_="name", class_="l", data_user_id=7, aria_label="n", http_equiv="x")
    assert list(node.attrs) == ["for", "class", "data-user-id", "aria-label", "http-equiv"]


def test_builder_keyword_tags_have_trailing_underscore() -> None:
    assert h.del_("x").tag == "del"
    assert h.text_("x").tag == "text"


def test_builder_has_tag_and_repr() -> None:
    assert isinstance(div, Builder)
    assert div.tag == "div"
    assert repr(div) == "<pylive builder <div>>"


def test_builder_module_exports_nothing_for_star_import() -> None:
    assert h.__all__ == []


# --- htpy's bracket syntax -----------------------------------------------------------------------


def test_element_brackets_set_children() -> None:
    node = div(class_="x")["a", p("b")]
    assert render_html(node) == '<div class="x">a<p>b</p></div>'


def test_element_brackets_single_child_and_list() -> None:
    assert render_html(div(id="d")["only"]) == '<div id="d">only</div>'
    assert render_html(ul(class_="l")[[li(n) for n in "ab"]]) == (
        '<ul class="l"><li>a</li><li>b</li></ul>'
    )


def test_builder_brackets_without_call() -> None:
    assert render_html(ul[li["a"], li["b"]]) == "<ul><li>a</li><li>b</li></ul>"
    assert render_html(div["x"]) == "<div>x</div>"


def test_element_brackets_keep_attrs_and_key() -> None:
    node = li(key="k", class_="c")["text"]
    assert node.key == "k"
    assert node.attrs == {"class": "c"}
    assert node.children == ["text"]


def test_element_brackets_refuse_children_given_twice() -> None:
    with pytest.raises(
        InvalidChild,
        match=re.escape(
            "<div> already has children ['a']; pass children either in the call or in [...], "
            "not both (got ('b',))"
        ),
    ):
        div("a")["b"]


def test_element_brackets_validate_children() -> None:
    with pytest.raises(InvalidChild, match=re.escape("<p>: invalid child {'x': 1} (dict)")):
        p(class_="c")[{"x": 1}]


# --- children ------------------------------------------------------------------------------------


def test_children_none_false_true_are_skipped() -> None:
    assert div(None, False, True, "x", None).children == ["x"]
    assert div(None, False).children == []


def test_children_conditional_idiom() -> None:
    show = False
    assert render_html(div(show and p("hidden"), not show and p("shown"))) == (
        "<div><p>shown</p></div>"
    )


def test_children_numbers_become_text() -> None:
    assert div(42).children == ["42"]
    assert div(1.5).children == ["1.5"]
    assert div(0).children == ["0"]


def test_children_adjacent_texts_are_merged() -> None:
    assert div("Count: ", 3, " items", 0.5).children == ["Count: 3 items0.5"]
    assert div("a", None, "b", ["c", ("d",)]).children == ["abcd"]


def test_children_empty_texts_are_dropped() -> None:
    assert div("", p(), "").children == [Element("p", {}, [])]
    assert div("").children == []


def test_children_texts_around_element_stay_separate() -> None:
    assert div("a", br(), "b").children == ["a", Element("br", {}, []), "b"]


def test_children_lists_tuples_generators_are_flattened() -> None:
    node = ul([li("a"), (li("b"), [li("c")])], (li(x) for x in "de"))
    assert [child.children for child in node.children] == [["a"], ["b"], ["c"], ["d"], ["e"]]


def test_children_iterators_and_range_are_flattened() -> None:
    def gen() -> Iterator[str]:
        yield "g"

    assert div(range(3)).children == ["012"]
    assert div(map(str.upper, "ab")).children == ["AB"]
    assert div(iter(["x", "y"])).children == ["xy"]
    assert div(gen()).children == ["g"]


def test_children_str_subclass_is_plain_text() -> None:
    class Name(str):
        pass

    node = div(Name("<b>"))
    assert node.children == ["<b>"]
    assert type(node.children[0]) is str
    assert render_html(node) == "<div>&lt;b&gt;</div>"


def test_children_markup_is_raw_html_leaf() -> None:
    node = div(Markup("<b>bold</b>"))
    assert node.raw is True
    assert node.children == [Raw("<b>bold</b>")]
    assert render_html(node) == "<div><b>bold</b></div>"


def test_children_object_with_html_method_is_raw_html_leaf() -> None:
    node = div(HasHtml("<i>htpy</i>"))
    assert node.raw is True
    assert render_html(node) == "<div><i>htpy</i></div>"


def test_children_raw_html_makes_the_whole_content_one_leaf() -> None:
    """The browser decides how many nodes raw HTML becomes, so the content is one opaque leaf."""
    node = div("a < b ", Markup("<hr>"), p("c"))
    assert node.raw is True
    assert node.children == [Raw(nodes=["a < b ", Raw("<hr>"), p("c")])]  # written when needed
    assert raw_html(node.children[0]) == "a &lt; b <hr><p>c</p>"  # type: ignore[arg-type]
    assert node.children == [Raw("a &lt; b <hr><p>c</p>")]  # written: compared by its HTML
    assert render_html(node) == "<div>a &lt; b <hr><p>c</p></div>"


def test_children_without_raw_html_are_not_raw() -> None:
    assert div("x", p("y")).raw is False


@pytest.mark.parametrize(
    ("bad", "shown"),
    [
        ({"a": 1}, "{'a': 1} (dict)"),
        ({1}, "{1} (set)"),
        (b"x", "b'x' (bytes)"),
        (1j, "1j (complex)"),
    ],
)
def test_children_invalid_value_raises_invalid_child(bad: object, shown: str) -> None:
    with pytest.raises(
        InvalidChild,
        match=re.escape(
            f"<div>: invalid child {shown}; expected an element, str, int, float, None, "
            "a list/tuple/generator of those, or an object with __html__"
        ),
    ):
        div("ok", bad)


def test_children_invalid_object_raises_type_error() -> None:
    with pytest.raises(TypeError, match=r"^<span>: invalid child <object object at 0x\w+> \("):
        span(object())


def test_children_invalid_inside_list_names_the_element() -> None:
    with pytest.raises(InvalidChild, match=re.escape("<ul>: invalid child {2} (set)")):
        ul([li("a"), [{2}]])


def test_children_uncalled_builder_gets_a_hint() -> None:
    with pytest.raises(InvalidChild, match=re.escape("(VoidBuilder) (did you mean br()?)")):
        div(br)


# --- void elements -------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", sorted(VOID_ELEMENTS))
def test_void_element_refuses_children(tag: str) -> None:
    with pytest.raises(
        InvalidChild,
        match=re.escape(f"<{tag}> is a void element and cannot have children, got ('x',)"),
    ):
        element(tag)("x")


@pytest.mark.parametrize("tag", sorted(VOID_ELEMENTS))
def test_void_element_refuses_bracket_children(tag: str) -> None:
    with pytest.raises(
        InvalidChild,
        match=re.escape(f"<{tag}> is a void element and cannot have children, got ('x',)"),
    ):
        element(tag)(id="v")["x"]


def test_void_element_refuses_even_an_empty_child() -> None:
    with pytest.raises(InvalidChild, match=re.escape("<input> is a void element")):
        input(None)


def test_void_element_takes_attributes() -> None:
    node = img(src="/a.png", alt="", key="pic")
    assert (node.attrs, node.children, node.key) == ({"src": "/a.png", "alt": ""}, [], "pic")
    assert render_html(node) == '<img src="/a.png" alt="">'


# --- script and style ----------------------------------------------------------------------------


def test_script_holds_one_text() -> None:
    node = script("let a = 1;", " if (a < 2 && a > 0) {}")
    assert node.children == ["let a = 1; if (a < 2 && a > 0) {}"]


def test_script_takes_markup_as_literal_text() -> None:
    node = script(Markup("x = '<b>';"))
    assert node.children == ["x = '<b>';"]
    assert node.raw is False


def test_script_refuses_element_children() -> None:
    with pytest.raises(InvalidChild, match=re.escape("<script> takes text only, got p('x')")):
        script(p("x"))


@pytest.mark.parametrize("text", ["a</script>b", "</SCRIPT >", "x</script"])
def test_script_refuses_its_end_tag(text: str) -> None:
    with pytest.raises(
        InvalidChild,
        match=re.escape("<script> text must not contain '</script': it would end the element"),
    ):
        script(text)


def test_script_refuses_end_tag_in_brackets() -> None:
    with pytest.raises(InvalidChild, match=re.escape("must not contain '</script'")):
        script(type="module")["</script><b>"]


def test_script_refuses_comment_opener() -> None:
    with pytest.raises(
        InvalidChild,
        match=re.escape("<script> text must not contain '<!--': the HTML parser would not end"),
    ):
        script("s = '<!--<script>'")


def test_style_refuses_its_end_tag() -> None:
    with pytest.raises(InvalidChild, match=re.escape("<style> text must not contain '</style'")):
        style("p {} </Style><script>alert(1)</script>")


def test_style_allows_comment_opener() -> None:
    assert style("<!-- p {} -->").children == ["<!-- p {} -->"]


# --- keys ----------------------------------------------------------------------------------------


def test_key_gives_identity_and_is_not_rendered() -> None:
    node = li("a", key="k1")
    assert node.key == "k1"
    assert node.attrs == {}
    assert render_html(node) == "<li>a</li>"


def test_key_int_is_kept_as_given() -> None:
    """No string is made per keyed row: the int itself is the key (and equals its string)."""
    assert tr(key=3).key == 3


def test_key_none_means_no_key() -> None:
    assert li(key=None).key is None
    assert li().key is None


def test_key_falls_back_to_id() -> None:
    assert li(id="row-1").key == "row-1"
    assert li(id=5).key == "5"


def test_key_wins_over_id() -> None:
    node = li(id="dom-id", key="k")
    assert node.key == "k"
    assert node.attrs == {"id": "dom-id"}


@pytest.mark.parametrize("bad", [True, 1.5, ["k"], b"k"])
def test_key_invalid_type_raises(bad: object) -> None:
    with pytest.raises(
        InvalidAttribute, match=re.escape(f"<li> key: expected a str or int, got {bad!r}")
    ):
        li(key=bad)


def test_duplicate_keys_raise_naming_the_key() -> None:
    with pytest.raises(
        DuplicateKey,
        match=re.escape(
            "<ul>: duplicate key 'b' among siblings; keys (or ids) must be unique among the "
            "children of one element"
        ),
    ):
        ul(li(key="a"), li(key="b"), li(key="b"))


def test_duplicate_ids_raise() -> None:
    with pytest.raises(DuplicateKey, match=re.escape("<div>: duplicate key 'x'")):
        div(p(id="x"), span(id="x"))


def test_duplicate_key_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="duplicate key '1'"):
        tr([td(key=1), td(key="1")])


def test_duplicate_keys_found_after_fragment_splice() -> None:
    with pytest.raises(DuplicateKey, match=re.escape("<ul>: duplicate key 'a'")):
        ul(li(key="a"), fragment(li(key="a")))


def test_duplicate_keys_found_in_brackets() -> None:
    with pytest.raises(DuplicateKey, match=re.escape("<ul>: duplicate key 'a'")):
        ul[li(key="a"), li(key="a")]


def test_same_key_under_different_parents_is_fine() -> None:
    node = div(ul(li(key="a")), ul(li(key="a")))
    assert [child.children[0].key for child in node.children] == ["a", "a"]  # type: ignore[union-attr]


def test_unkeyed_siblings_mix_with_keyed() -> None:
    node = ul(li("x"), li("y", key="y"), li("z"))
    assert [child.key for child in node.children] == [None, "y", None]  # type: ignore[union-attr]


# --- fragments -----------------------------------------------------------------------------------


def test_fragment_groups_children_without_wrapper() -> None:
    group = fragment(p("a"), "text", None, [p("b")])
    assert isinstance(group, Fragment)
    assert render_html(group) == "<p>a</p>text<p>b</p>"


def test_fragment_is_spliced_into_parent() -> None:
    node = div("x", fragment("y", p("z")), "w")
    assert node.children == ["xy", Element("p", {}, ["z"]), "w"]
    assert render_html(node) == "<div>xy<p>z</p>w</div>"


def test_fragment_nested_is_flattened() -> None:
    assert ul(fragment(li("a"), fragment(li("b")))).children == [
        Element("li", {}, ["a"]),
        Element("li", {}, ["b"]),
    ]


def test_fragment_empty_renders_nothing() -> None:
    assert render_html(fragment()) == ""
    assert div(fragment()).children == []


def test_fragment_refuses_raw_html() -> None:
    with pytest.raises(
        InvalidChild, match=re.escape("fragment(): raw HTML needs an enclosing element")
    ):
        fragment(Markup("<b>x</b>"))


# --- custom elements and other tags --------------------------------------------------------------


def test_custom_element_from_module_attribute() -> None:
    assert render_html(h.my_widget("x", data_src="/d")) == (
        '<my-widget data-src="/d">x</my-widget>'
    )


def test_custom_element_from_import() -> None:
    from pylive.html import x_chart_panel

    assert x_chart_panel.tag == "x-chart-panel"


def test_custom_element_name_needs_a_dash() -> None:
    with pytest.raises(
        AttributeError,
        match=re.escape(
            "module 'pylive.html' has no attribute 'dvi'; custom elements need a '-' in their "
            "name (my_widget builds <my-widget>), and element('tag') builds any other tag"
        ),
    ):
        h.dvi  # noqa: B018


@pytest.mark.parametrize("name", ["MyWidget", "my_Widget", "_private", "my_widget_", "my__w"])
def test_custom_element_bad_module_attribute_raises_attribute_error(name: str) -> None:
    with pytest.raises(AttributeError, match=re.escape(f"has no attribute {name!r}")):
        getattr(h, name)


def test_custom_element_typo_import_fails() -> None:
    with pytest.raises(ImportError, match="dvi"):
        from pylive.html import dvi  # type: ignore[attr-defined]  # noqa: F401


def test_element_builds_any_valid_tag() -> None:
    assert render_html(element("x-chart")(data_src="/d")) == '<x-chart data-src="/d"></x-chart>'
    assert render_html(element("marquee")("hi")) == "<marquee>hi</marquee>"


def test_element_builder_is_cached() -> None:
    assert element("x-chart") is element("x-chart")


@pytest.mark.parametrize("tag", ["", "1x", "x y", "x>", "-x", "x-", "x_y", "a--b", "é"])
def test_element_invalid_tag_raises(tag: str) -> None:
    with pytest.raises(
        ValueError,
        match=re.escape(
            f"invalid tag name {tag!r}: expected letters and digits, optionally joined by '-'"
        ),
    ):
        element(tag)


def test_element_special_tags_are_case_insensitive() -> None:
    assert element("BR").tag == "br"
    with pytest.raises(InvalidChild, match=re.escape("<br> is a void element")):
        element("BR")("x")
    with pytest.raises(InvalidChild, match=re.escape("must not contain '</script'")):
        element("Script")("</script>")


def test_element_other_tags_keep_their_case() -> None:
    assert element("feGaussianBlur").tag == "feGaussianBlur"


def test_svg_builders_keep_camel_case_tags() -> None:
    assert [b.tag for b in (h.linear_gradient, h.radial_gradient, h.clip_path)] == [
        "linearGradient",
        "radialGradient",
        "clipPath",
    ]
    assert [b.tag for b in (h.foreign_object, h.animate_transform)] == [
        "foreignObject",
        "animateTransform",
    ]


HTML_TAGS = """
a abbr address area article aside audio b base bdi bdo blockquote body br button canvas caption
cite code col colgroup data datalist dd del details dfn dialog div dl dt em embed fieldset
figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins
kbd label legend li link main map mark menu meta meter nav noscript object ol optgroup option output
p picture pre progress q rp rt ruby s samp script search section select slot small source span
strong style sub summary sup table tbody td template textarea tfoot th thead time title tr track u
ul var video wbr
""".split()

SVG_TAGS = """
svg g path circle ellipse rect line polyline polygon text tspan defs use symbol marker
linearGradient radialGradient stop clipPath mask pattern foreignObject image animate
animateTransform
""".split()


@pytest.mark.parametrize("tag", HTML_TAGS + SVG_TAGS)
def test_builder_exists_for_every_html_and_svg_tag(tag: str) -> None:
    name = re.sub("([A-Z])", r"_\1", tag).lower()
    builder = getattr(h, name + "_" if name in {"del", "text"} else name)
    assert isinstance(builder, Builder)
    assert builder.tag == tag


def test_anchor_builder_checks_its_href() -> None:
    assert a("home", href="/").attrs == {"href": "/"}


@pytest.mark.parametrize("name", ["setup_module", "teardown_module", "pytest_plugins"])
def test_custom_element_test_runner_hooks_are_not_elements(name: str) -> None:
    """pytest probes modules for these names; they must not come back as builders."""
    assert not hasattr(h, name)
