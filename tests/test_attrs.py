"""Attribute names and values, normalised at build time into ``str`` or ``True``."""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import IntEnum, StrEnum

import pytest
from markupsafe import Markup

from pylive._attrs import attribute_name, check_name, normalize
from pylive.exceptions import InvalidAttribute, UnsafeURL
from pylive.html import a, button, div, form, iframe, img, input, p, trusted, video
from pylive.render import render_html


class Command:
    """Stands in for a JS command chain: an object that encodes itself as an attribute value."""

    def __init__(self, encoded: object) -> None:
        self.encoded = encoded

    def __pylive_attr__(self) -> object:
        return self.encoded


# --- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("python_name", "name"),
    [
        ("class_", "class"),
        ("for_", "for"),
        ("id", "id"),
        ("phx_click", "phx-click"),
        ("phx_value_id", "phx-value-id"),
        ("data_user_id", "data-user-id"),
        ("aria_label", "aria-label"),
        ("http_equiv", "http-equiv"),
        ("viewBox", "viewBox"),
        ("stroke_width", "stroke-width"),
        ("_", "-"),
        ("hx-get", "hx-get"),
        ("@click", "@click"),
        (":class", ":class"),
        ("x-on:click.prevent", "x-on:click.prevent"),
    ],
)
def test_attribute_name_follows_htpy(python_name: str, name: str) -> None:
    assert attribute_name(python_name) == name


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "a b",
        'a"',
        "a'",
        "a>",
        "a<",
        "a/",
        "a=b",
        "a\tb",
        "a\nb",
        "\x00",
        "a\x1f",
        "\x7f",
        "\x9f",
    ],
)
def test_attribute_name_invalid_raises(bad: str) -> None:
    with pytest.raises(
        InvalidAttribute,
        match=re.escape(
            f"invalid attribute name {bad!r}: expected a name without whitespace, quotes, "
            "'<', '>', '/', '=' or control characters"
        ),
    ):
        check_name(bad)


def test_attribute_name_invalid_from_keywords_raises() -> None:
    with pytest.raises(InvalidAttribute, match=re.escape("invalid attribute name 'bad name'")):
        div(**{"bad name": 1})


def test_attribute_name_invalid_is_a_type_error() -> None:
    with pytest.raises(TypeError, match=re.escape("invalid attribute name 'x>'")):
        div(**{"x>": "y"})


def test_attribute_name_invalid_raises_on_every_use() -> None:
    for _ in range(2):
        with pytest.raises(InvalidAttribute):
            p(**{"a=b": 1})


# --- values --------------------------------------------------------------------------------------


def test_value_true_is_bare_attribute() -> None:
    node = input(type="checkbox", checked=True)
    assert node.attrs == {"type": "checkbox", "checked": True}
    assert render_html(node) == '<input type="checkbox" checked>'


def test_value_false_and_none_remove_the_attribute() -> None:
    assert button("b", disabled=False, title=None).attrs == {}


def test_value_numbers_are_stringified() -> None:
    assert img(width=640, height=0, data_ratio=1.5).attrs == {
        "width": "640",
        "height": "0",
        "data-ratio": "1.5",
    }


def test_value_empty_string_is_kept() -> None:
    assert render_html(img(alt="")) == '<img alt="">'


def test_value_enums_use_their_value() -> None:
    class Size(IntEnum):
        BIG = 3

    class Mode(StrEnum):
        DARK = "dark"

    assert div(data_size=Size.BIG, data_mode=Mode.DARK).attrs == {
        "data-size": "3",
        "data-mode": "dark",
    }


def test_value_markup_is_stored_as_plain_text() -> None:
    value = div(title=Markup("<b>")).attrs["title"]
    assert value == "<b>"
    assert type(value) is str


def test_value_self_encoding_object() -> None:
    node = button("go", phx_click=Command('[["push",{"event":"go"}]]'))
    assert node.attrs == {"phx-click": '[["push",{"event":"go"}]]'}
    assert render_html(node) == (
        '<button phx-click="[[&#34;push&#34;,{&#34;event&#34;:&#34;go&#34;}]]">go</button>'
    )


def test_value_self_encoding_object_must_return_str() -> None:
    with pytest.raises(
        InvalidAttribute,
        match=re.escape(
            "<button> attribute 'phx-click': Command.__pylive_attr__() must return a str, got 42"
        ),
    ):
        button(phx_click=Command(42))


@pytest.mark.parametrize(
    ("value", "shown"),
    [([1], "[1]"), ({"a": 1}, "{'a': 1}"), (b"x", "b'x'"), (object, "<class 'object'>")],
)
def test_value_invalid_type_raises(value: object, shown: str) -> None:
    with pytest.raises(
        InvalidAttribute,
        match=re.escape(
            f"<div> attribute 'data-x': expected str, int, float, bool or None, got {shown}"
        ),
    ):
        div(data_x=value)


# --- class ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("btn primary", "btn primary"),
        (["btn", "primary"], "btn primary"),
        (("btn", None, False, "", "wide"), "btn wide"),
        ({"btn": True, "off": False, "on": 1, "zero": 0}, "btn on"),
        (
            ["btn", {"active": True, "disabled": False}, ["nested", {"deep": True}]],
            "btn active nested deep",
        ),
        (Markup("m"), "m"),
    ],
)
def test_class_accepts_str_list_and_dict(value: object, expected: str) -> None:
    assert div(class_=value).attrs == {"class": expected}


@pytest.mark.parametrize("value", ["", [], {}, [None, False], {"a": False}])
def test_class_empty_is_absent(value: object) -> None:
    assert div(class_=value).attrs == {}


@pytest.mark.parametrize(("value", "shown"), [({"a"}, "{'a'}"), (3, "3"), ([1], "1")])
def test_class_invalid_raises(value: object, shown: str) -> None:
    with pytest.raises(
        InvalidAttribute,
        match=re.escape(
            f"<div> attribute 'class': expected a str, a list or a {{name: bool}} dict, got {shown}"
        ),
    ):
        div(class_=value)


# --- style ---------------------------------------------------------------------------------------


def test_style_accepts_str() -> None:
    assert div(style="color: red").attrs == {"style": "color: red"}


def test_style_accepts_dict() -> None:
    node = div(style={"color": "red", "margin_top": 2, "opacity": 0.5, "display": None})
    assert node.attrs == {"style": "color: red; margin-top: 2; opacity: 0.5"}


def test_style_empty_dict_is_absent() -> None:
    assert div(style={}).attrs == {}
    assert div(style={"color": False}).attrs == {}


def test_style_property_name_must_be_str() -> None:
    with pytest.raises(
        InvalidAttribute, match=re.escape("<div> style: property names must be str, got 1")
    ):
        div(style={1: "x"})


def test_style_invalid_value_raises() -> None:
    with pytest.raises(
        InvalidAttribute,
        match=re.escape("<div> attribute 'style': expected str, int, float, bool or None, got []"),
    ):
        div(style={"color": []})


# --- URLs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/a?b=1",
        "http://example.com",
        "/relative/path",
        "relative",
        "#top",
        "?q=javascript:",
        "mailto:me@example.com",
        "tel:+331234",
        "data:image/png;base64,iVBORw0KGgo=",
        "javascripts/app.js",
        "",
    ],
)
def test_url_safe_schemes_pass(url: str) -> None:
    assert a(href=url).attrs == {"href": url}


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "  JaVa\tScRiPt:alert(1)",
        "\x01javascript:alert(1)",
        "java\nscript:alert(1)",
        "\x00 \x1f javascript:alert(1)",
        "vbscript:msgbox(1)",
        "VBScript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "DATA:Text/HTML;base64,PHNjcmlwdD4=",
    ],
)
def test_url_script_schemes_raise(url: str) -> None:
    with pytest.raises(
        UnsafeURL,
        match=re.escape(
            f"<a href={url!r}>: refusing a script URL; expected a relative, http(s), mailto:, "
            "tel: or other link URL, or a data:image/... picture. Wrap it in "
            "pylive.html.trusted(...) if you really mean it"
        ),
    ):
        a(href=url)


@pytest.mark.parametrize(
    ("build", "where"),
    [
        (lambda url: img(src=url), "<img src="),
        (lambda url: form(action=url), "<form action="),
        (lambda url: button(formaction=url), "<button formaction="),
        (lambda url: video(poster=url), "<video poster="),
        (lambda url: a(**{"xlink:href": url}), "<a xlink:href="),
        (lambda url: a(**{"HREF": url}), "<a HREF="),
        (lambda url: form(formAction=url), "<form formAction="),
    ],
)
def test_url_every_url_attribute_is_checked(build: Callable[[str], object], where: str) -> None:
    with pytest.raises(UnsafeURL, match=re.escape(f"{where}'javascript:x'>")):
        build("javascript:x")


def test_url_check_applies_to_markup() -> None:
    with pytest.raises(UnsafeURL, match="refusing a script URL"):
        a(href=Markup("javascript:alert(1)"))


def test_url_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="refusing a script URL"):
        a(href="javascript:alert(1)")


def test_url_trusted_is_allowed_and_stored_as_plain_text() -> None:
    node = a("run", href=trusted("javascript:void(0)"))
    assert node.attrs == {"href": "javascript:void(0)"}
    assert type(node.attrs["href"]) is str
    assert render_html(node) == '<a href="javascript:void(0)">run</a>'


def test_url_check_is_only_for_url_attributes() -> None:
    assert div(title="javascript:alert(1)").attrs == {"title": "javascript:alert(1)"}


# --- normalize -----------------------------------------------------------------------------------


def test_normalize_returns_attrs_and_key() -> None:
    assert normalize("li", {"key": "k", "class_": ["a"], "hidden": True, "title": None}) == (
        {"class": "a", "hidden": True},
        "k",
    )


def test_normalize_keeps_attribute_order() -> None:
    attrs, _ = normalize("div", {"z": "1", "a": "2", "m": "3"})
    assert list(attrs) == ["z", "a", "m"]


@pytest.mark.parametrize(
    "url",
    [
        "/relative?x=1",
        "page.html",
        "#top",
        "https://example.com/",
        "HTTP://EXAMPLE.COM",
        "mailto:ada@example.com",
        "tel:+441234",
        "sms:+441234",
        "ftp://files.example.com/a",
        "data:image/png;base64,iVBORw0KGgo=",
        "data:image/jpeg,xyz",
        "data:image/webp;base64,UklGR",
    ],
)
def test_url_link_schemes_relative_urls_and_pictures_kept(url: str) -> None:
    assert a(href=url).attrs["href"] == url
    assert iframe(src=url).attrs["src"] == url


@pytest.mark.parametrize(
    ("url", "what"),
    [
        ("data:image/svg+xml,<svg onload=alert(1)>", "a script URL"),
        ("data:application/xhtml+xml,<x/>", "a script URL"),
        ("DATA:text/xml,<x/>", "a script URL"),
        ("data:,hello", "a script URL"),
        ("blob:https://example.com/uuid", "the URL scheme 'blob:'"),
        ("filesystem:https://example.com/x", "the URL scheme 'filesystem:'"),
        ("zoommtg://zoom.us/join", "the URL scheme 'zoommtg:'"),
    ],
)
def test_url_documents_and_unknown_schemes_raise(url: str, what: str) -> None:
    with pytest.raises(UnsafeURL) as refused:
        iframe(src=url)
    assert str(refused.value) == (
        f"<iframe src={url!r}>: refusing {what}; expected a relative, http(s), mailto:, tel: or "
        "other link URL, or a data:image/... picture. Wrap it in pylive.html.trusted(...) if you "
        "really mean it"
    )
    assert iframe(src=trusted(url)).attrs["src"] == url


def test_url_svg_picture_kept_only_where_its_scripts_cannot_run() -> None:
    svg = "data:image/svg+xml,%3Csvg%20xmlns%3D%22http%3A//www.w3.org/2000/svg%22/%3E"
    assert img(src=svg).attrs["src"] == svg
    assert video(poster=svg).attrs["poster"] == svg
    for build in (lambda: iframe(src=svg), lambda: a(href=svg)):
        with pytest.raises(UnsafeURL, match=r": refusing a script URL;"):
            build()


def test_srcdoc_takes_only_markup_or_trusted_html() -> None:
    with pytest.raises(InvalidAttribute) as refused:
        iframe(srcdoc="<script>alert(1)</script>")
    assert str(refused.value) == (
        "<iframe srcdoc='<script>alert(1)</script>'>: srcdoc is an HTML document the browser "
        "runs; expected markupsafe.Markup (HTML you built safely) or pylive.html.trusted(...)"
    )
    assert render_html(iframe(srcdoc=Markup("<p>hi</p>"))) == (
        '<iframe srcdoc="&lt;p&gt;hi&lt;/p&gt;"></iframe>'
    )
    assert iframe(srcdoc=None).attrs == {}
