"""``render_html``: the HTML a tree becomes, exactly."""

from __future__ import annotations

import pytest
from markupsafe import Markup, escape

import pylive.html as h
from pylive.html import (
    body,
    br,
    circle,
    div,
    element,
    foreign_object,
    fragment,
    head,
    html,
    input,
    li,
    linear_gradient,
    math,
    meta,
    option,
    p,
    pre,
    script,
    select,
    span,
    stop,
    style,
    svg,
    table,
    tbody,
    td,
    textarea,
    title,
    tr,
    ul,
)
from pylive.node import VOID_ELEMENTS, Element, Fragment, Memo, Raw
from pylive.render import _escape, render_children, render_html

# --- elements, text, attributes ------------------------------------------------------------------


def test_render_empty_element() -> None:
    assert render_html(div()) == "<div></div>"


def test_render_nested_elements_and_text() -> None:
    tree = ul(li("one"), li("two ", span("2")), class_="list")
    assert render_html(tree) == '<ul class="list"><li>one</li><li>two <span>2</span></li></ul>'


def test_render_escapes_text() -> None:
    assert render_html(p("a < b & c > \"d\" 'e'")) == (
        "<p>a &lt; b &amp; c &gt; &#34;d&#34; &#39;e&#39;</p>"
    )


def test_render_escapes_attribute_values() -> None:
    assert render_html(div(title="a \"b\" 'c' <d> & e")) == (
        '<div title="a &#34;b&#34; &#39;c&#39; &lt;d&gt; &amp; e"></div>'
    )


def test_render_keeps_attribute_order() -> None:
    assert render_html(input(type="text", name="q", value="x", id="q")) == (
        '<input type="text" name="q" value="x" id="q">'
    )


def test_render_boolean_attributes_bare() -> None:
    assert render_html(select(option("a", selected=True, disabled=False), multiple=True)) == (
        "<select multiple><option selected>a</option></select>"
    )


def test_render_text_keeps_unicode_and_whitespace() -> None:
    assert render_html(p("  é ✓ \u2028 \n")) == "<p>  é ✓ \u2028 \n</p>"


# --- void elements -------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", sorted(VOID_ELEMENTS))
def test_render_void_element_without_end_tag(tag: str) -> None:
    assert render_html(element(tag)(id="v")) == f'<{tag} id="v">'


def test_render_void_elements_among_siblings() -> None:
    assert render_html(p("a", br(), "b", input(disabled=True))) == "<p>a<br>b<input disabled></p>"


# --- script and style ----------------------------------------------------------------------------


def test_render_script_text_unescaped() -> None:
    code = 'if (a < b && c > d) { s = "\'"; }'
    assert render_html(script(code)) == f"<script>{code}</script>"


def test_render_style_text_unescaped() -> None:
    assert render_html(style("a > b { content: '&'; }")) == "<style>a > b { content: '&'; }</style>"


def test_render_script_with_attributes_and_no_text() -> None:
    assert render_html(script(src="/app.js", defer=True)) == '<script src="/app.js" defer></script>'


# --- the newline after <pre>, <textarea> and <listing> ------------------------------------------


def test_render_pre_leading_newline_is_doubled() -> None:
    """The parser drops one newline right after ``<pre>``; rendering adds one so none is lost."""
    assert render_html(pre("\nline")) == "<pre>\n\nline</pre>"


def test_render_textarea_leading_newline_is_doubled() -> None:
    assert render_html(textarea("\n\nx", name="t")) == '<textarea name="t">\n\n\nx</textarea>'


def test_render_listing_leading_newline_is_doubled() -> None:
    assert render_html(element("listing")("\nx")) == "<listing>\n\nx</listing>"


def test_render_pre_without_leading_newline_unchanged() -> None:
    assert render_html(pre("x\n")) == "<pre>x\n</pre>"
    assert render_html(pre(span("\nx"))) == "<pre><span>\nx</span></pre>"
    assert render_html(pre()) == "<pre></pre>"


def test_render_pre_escapes_text() -> None:
    assert render_html(pre("\n<b>")) == "<pre>\n\n&lt;b&gt;</pre>"


def test_render_div_leading_newline_unchanged() -> None:
    assert render_html(div("\nx")) == "<div>\nx</div>"


# --- raw HTML ------------------------------------------------------------------------------------


def test_render_raw_leaf_verbatim() -> None:
    assert render_html(div(Markup("<b>x</b> &amp;"))) == "<div><b>x</b> &amp;</div>"


def test_render_raw_with_siblings() -> None:
    assert render_html(div(p("<1>"), Markup("<hr>"), "&")) == "<div><p>&lt;1&gt;</p><hr>&amp;</div>"


def test_render_raw_top_level() -> None:
    assert render_html(Raw("<i>x</i>")) == "<i>x</i>"


# --- fragments and top level ---------------------------------------------------------------------


def test_render_fragment_without_wrapper() -> None:
    assert render_html(fragment(h.h1("T"), p("body"), "tail")) == "<h1>T</h1><p>body</p>tail"


def test_render_fragment_spliced_in_element() -> None:
    assert render_html(ul(li("a"), fragment(li("b"), li("c")))) == (
        "<ul><li>a</li><li>b</li><li>c</li></ul>"
    )


def test_render_none_is_empty() -> None:
    assert render_html(None) == ""


def test_render_text_top_level_escaped() -> None:
    assert render_html("<x>") == "&lt;x&gt;"


def test_render_unknown_node_raises_type_error() -> None:
    with pytest.raises(TypeError, match=r"^render_html: expected a node, got 3$"):
        render_html(Element("div", {}, [3]))  # type: ignore[list-item]


def test_render_children_is_inner_html() -> None:
    assert render_children(div("a", p("b"), class_="x")) == "a<p>b</p>"
    assert render_children(script("a<b")) == "a<b"


# --- memoized component calls --------------------------------------------------------------------


def test_render_memo_call_renders_its_element() -> None:
    calls: list[str] = []

    def row(name: str) -> Element:
        calls.append(name)
        return li(name)

    memo = Memo(row, ("<a>",), {}, None)
    assert render_html(ul(memo)) == "<ul><li>&lt;a&gt;</li></ul>"
    assert render_html(memo) == "<li>&lt;a&gt;</li>"
    assert calls == ["<a>"]


# --- custom elements, SVG and MathML -------------------------------------------------------------


def test_render_custom_element() -> None:
    assert render_html(h.my_widget(p("x"), data_src="/d", hidden=True)) == (
        '<my-widget data-src="/d" hidden><p>x</p></my-widget>'
    )


def test_render_svg_keeps_camel_case() -> None:
    tree = svg(
        h.defs(linear_gradient(stop(offset="0"), id="g")),
        circle(cx=5, cy=5, r=4, fill="url(#g)"),
        viewBox="0 0 10 10",
    )
    assert render_html(tree) == (
        '<svg viewBox="0 0 10 10"><defs><linearGradient id="g"><stop offset="0"></stop>'
        '</linearGradient></defs><circle cx="5" cy="5" r="4" fill="url(#g)"></circle></svg>'
    )


def test_render_svg_style_text_is_escaped() -> None:
    """Inside ``<svg>`` the parser reads tags and entities in ``<style>``: escape like text."""
    assert render_html(svg(style("a > b { }"), script("x && y"))) == (
        "<svg><style>a &gt; b { }</style><script>x &amp;&amp; y</script></svg>"
    )


def test_render_svg_foreign_object_is_html_again() -> None:
    tree = svg(foreign_object(div(style("a > b"), br())), h.g(style("a > b")))
    assert render_html(tree) == (
        "<svg><foreignObject><div><style>a > b</style><br></div></foreignObject>"
        "<g><style>a &gt; b</style></g></svg>"
    )


def test_render_svg_title_is_html_again() -> None:
    assert render_html(svg(title(style("a>b")))) == "<svg><title><style>a>b</style></title></svg>"


def test_render_math_text_integration_points_are_html() -> None:
    tree = math(element("mi")(style("a>b")), element("mrow")(style("a>b")))
    assert render_html(tree) == (
        "<math><mi><style>a>b</style></mi><mrow><style>a&gt;b</style></mrow></math>"
    )


def test_render_math_annotation_xml_depends_on_encoding() -> None:
    annotation = element("annotation-xml")
    tree = math(annotation(style("a>b"), encoding="text/html"), annotation(style("a>b")))
    assert render_html(tree) == (
        '<math><annotation-xml encoding="text/html"><style>a>b</style></annotation-xml>'
        "<annotation-xml><style>a&gt;b</style></annotation-xml></math>"
    )


def test_render_svg_memo_and_fragment_children_stay_foreign() -> None:
    memo = Memo(lambda: h.g(style("a>b")), (), {}, None)
    # Built by hand: builders splice fragments, but the renderer accepts one as a child too.
    tree = Element("svg", {}, [memo, Fragment([h.g(style("c>d"))])])  # type: ignore[list-item]
    assert render_html(tree) == (
        "<svg><g><style>a&gt;b</style></g><g><style>c&gt;d</style></g></svg>"
    )


def test_render_fragment_child_in_html_element() -> None:
    tree = Element("div", {}, [Fragment(["<", p("x")])])  # type: ignore[list-item]
    assert render_html(tree) == "<div>&lt;<p>x</p></div>"


# --- whole documents -----------------------------------------------------------------------------


def test_render_document_shell() -> None:
    page = html(
        head(meta(charset="utf-8"), title("Todo & co")),
        body(div(id="app", data_phx_main=True)),
        lang="en",
    )
    assert render_html(page) == (
        '<html lang="en"><head><meta charset="utf-8"><title>Todo &amp; co</title></head>'
        '<body><div id="app" data-phx-main></div></body></html>'
    )


def test_render_table() -> None:
    rows = [(1, "Ada"), (2, "<Bob>")]
    tree = table(tbody([tr(td(n), td(name), key=n) for n, name in rows]))
    assert render_html(tree) == (
        "<table><tbody><tr><td>1</td><td>Ada</td></tr>"
        "<tr><td>2</td><td>&lt;Bob&gt;</td></tr></tbody></table>"
    )


# --- the escaping function -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["", "plain", "<>&\"'", "&amp;", "\x00\u2028é", "a" * 1000 + "<", "`${x}`"]
)
def test_render_escape_matches_markupsafe(text: str) -> None:
    assert _escape(text) == str(escape(text))
    assert type(_escape(text)) is str
