"""A builder for every HTML element, SVG elements, and custom elements.

Positional arguments are children, keywords are attributes, with htpy's naming rules::

    >>> from pylive.html import div, p
    >>> from pylive.render import render_html
    >>> render_html(div(p("hi"), class_=["card", {"active": True}], phx_click="open"))
    '<div class="card active" phx-click="open"><p>hi</p></div>'

htpy's bracket syntax works too: ``div(class_="card")[p("hi")]`` or ``ul[li("a"), li("b")]``.

``key=`` gives an element its identity among its siblings for the keyed diff (``id=`` does when no
key is given). Any lowercase name with an ``_`` that this module does not define builds a custom
element: ``pylive.html.my_widget`` builds ``<my-widget>`` (custom element names need a ``-``, so a
typo such as ``pylive.html.dvi`` is an ``AttributeError``, not a ``<dvi>``). ``element("x-foo")``
builds any valid tag name.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pylive._attrs import EMPTY_ATTRS, check_key, normalize
from pylive._attrs import trusted as trusted
from pylive.exceptions import InvalidChild
from pylive.node import (
    RAW_TEXT_ELEMENTS,
    SPECIAL_ELEMENTS,
    VOID_ELEMENTS,
    Element,
    append_container,
    normalize_children,
    raw_text_children,
    stream_container,
)
from pylive.node import fragment as fragment

__all__: list[str] = []  # element names shadow builtins (input, map, object): never `import *`


class Builder:
    """Builds one tag: ``div(*children, **attributes)`` or ``div[children]``."""

    __slots__ = ("tag",)

    tag: str

    def __init__(self, tag: str) -> None:
        self.tag = tag

    def __call__(self, *children: Any, key: Any = None, **attrs: Any) -> Element:
        tag = self.tag
        if key is not None and type(key) is not str and type(key) is not int:
            key = check_key(tag, key)
        if attrs:
            values, id_key = normalize(tag, attrs)
            if key is None:
                key = id_key
            update = values.get("phx-update")
            if update is not None:
                if update == "stream":
                    return stream_container(tag, values, children, key)
                if update == "append" or update == "prepend":
                    return append_container(tag, values, children, key)
        else:
            values = EMPTY_ATTRS  # the common row: children and at most a key
        if children:
            if len(children) == 1:  # fast path for the most common shapes: one text, one element
                child = children[0]
                kind = type(child)
                if kind is str:
                    return Element(tag, values, [child] if child else [], key)
                if kind is Element:
                    return Element(tag, values, [child], key)
            kids, raw = normalize_children(tag, children)
            return Element(tag, values, kids, key, raw)
        return Element(tag, values, [], key)

    def __getitem__(self, children: Any) -> Element:
        return Element(self.tag, EMPTY_ATTRS, [])[children]

    def __repr__(self) -> str:
        return f"<pylive builder <{self.tag}>>"


class VoidBuilder(Builder):
    """Builds a void element (``<br>``, ``<input>``, …): attributes only, no children."""

    __slots__ = ()

    def __call__(self, *children: Any, **attrs: Any) -> Element:
        tag = self.tag
        if children:
            raise InvalidChild(
                f"<{tag}> is a void element and cannot have children, got {children!r}"
            )
        if attrs:
            values, key = normalize(tag, attrs)
            return Element(tag, values, [], key)
        return Element(tag, EMPTY_ATTRS, [])


class RawTextBuilder(Builder):
    """Builds ``<script>``/``<style>``: one text child, written unescaped, checked when built."""

    __slots__ = ()

    def __call__(self, *children: Any, **attrs: Any) -> Element:
        tag = self.tag
        values, key = normalize(tag, attrs) if attrs else (EMPTY_ATTRS, None)
        return Element(tag, values, raw_text_children(tag, children), key)


def _builder(tag: str) -> Builder:
    if tag in VOID_ELEMENTS:
        return VoidBuilder(tag)
    if tag in RAW_TEXT_ELEMENTS:
        return RawTextBuilder(tag)
    return Builder(tag)


_TAG = re.compile(r"[a-zA-Z][a-zA-Z0-9]*(-[a-zA-Z0-9]+)*")


@lru_cache(maxsize=512)
def element(tag: str) -> Builder:
    """The builder for any tag, e.g. a web component: ``element("x-chart")(data_src="/d")``."""
    if not isinstance(tag, str) or not _TAG.fullmatch(tag):
        raise ValueError(
            f"invalid tag name {tag!r}: expected letters and digits, optionally joined by '-'"
        )
    if tag.lower() in SPECIAL_ELEMENTS:  # HTML tag names are case-insensitive: "BR" is <br>
        tag = tag.lower()
    return _builder(tag)


def __getattr__(name: str) -> Builder:
    # ``pylive.html.my_widget`` → <my-widget>. Lowercase with a ``-``, so a typo (``dvi``) fails.
    if (
        name.startswith(("_", "pytest_", "setup_", "teardown_"))
        or name != name.lower()
        or "_" not in name
    ):
        raise AttributeError(
            f"module 'pylive.html' has no attribute {name!r}; custom elements need a '-' in "
            "their name (my_widget builds <my-widget>), and element('tag') builds any other tag"
        )
    try:
        return element(name.replace("_", "-"))
    except ValueError:
        raise AttributeError(f"module 'pylive.html' has no attribute {name!r}") from None


a = Builder("a")
abbr = Builder("abbr")
address = Builder("address")
area = VoidBuilder("area")
article = Builder("article")
aside = Builder("aside")
audio = Builder("audio")
b = Builder("b")
base = VoidBuilder("base")
bdi = Builder("bdi")
bdo = Builder("bdo")
blockquote = Builder("blockquote")
body = Builder("body")
br = VoidBuilder("br")
button = Builder("button")
canvas = Builder("canvas")
caption = Builder("caption")
cite = Builder("cite")
code = Builder("code")
col = VoidBuilder("col")
colgroup = Builder("colgroup")
data = Builder("data")
datalist = Builder("datalist")
dd = Builder("dd")
del_ = Builder("del")
details = Builder("details")
dfn = Builder("dfn")
dialog = Builder("dialog")
div = Builder("div")
dl = Builder("dl")
dt = Builder("dt")
em = Builder("em")
embed = VoidBuilder("embed")
fieldset = Builder("fieldset")
figcaption = Builder("figcaption")
figure = Builder("figure")
footer = Builder("footer")
form = Builder("form")
h1 = Builder("h1")
h2 = Builder("h2")
h3 = Builder("h3")
h4 = Builder("h4")
h5 = Builder("h5")
h6 = Builder("h6")
head = Builder("head")
header = Builder("header")
hgroup = Builder("hgroup")
hr = VoidBuilder("hr")
html = Builder("html")
i = Builder("i")
iframe = Builder("iframe")
img = VoidBuilder("img")
input = VoidBuilder("input")
ins = Builder("ins")
kbd = Builder("kbd")
label = Builder("label")
legend = Builder("legend")
li = Builder("li")
link = VoidBuilder("link")
main = Builder("main")
map = Builder("map")
mark = Builder("mark")
menu = Builder("menu")
meta = VoidBuilder("meta")
meter = Builder("meter")
nav = Builder("nav")
noscript = Builder("noscript")
object = Builder("object")
ol = Builder("ol")
optgroup = Builder("optgroup")
option = Builder("option")
output = Builder("output")
p = Builder("p")
picture = Builder("picture")
pre = Builder("pre")
progress = Builder("progress")
q = Builder("q")
rp = Builder("rp")
rt = Builder("rt")
ruby = Builder("ruby")
s = Builder("s")
samp = Builder("samp")
script = RawTextBuilder("script")
search = Builder("search")
section = Builder("section")
select = Builder("select")
slot = Builder("slot")
small = Builder("small")
source = VoidBuilder("source")
span = Builder("span")
strong = Builder("strong")
style = RawTextBuilder("style")
sub = Builder("sub")
summary = Builder("summary")
sup = Builder("sup")
table = Builder("table")
tbody = Builder("tbody")
td = Builder("td")
template = Builder("template")
textarea = Builder("textarea")
tfoot = Builder("tfoot")
th = Builder("th")
thead = Builder("thead")
time = Builder("time")
title = Builder("title")
tr = Builder("tr")
track = VoidBuilder("track")
u = Builder("u")
ul = Builder("ul")
var = Builder("var")
video = Builder("video")
wbr = VoidBuilder("wbr")

# SVG: the shapes, groups and text a gallery needs. Tag names keep SVG's camelCase; the
# renderer switches to SVG's parsing rules inside <svg>.
svg = Builder("svg")
g = Builder("g")
path = Builder("path")
circle = Builder("circle")
ellipse = Builder("ellipse")
rect = Builder("rect")
line = Builder("line")
polyline = Builder("polyline")
polygon = Builder("polygon")
text_ = Builder("text")
tspan = Builder("tspan")
defs = Builder("defs")
use = Builder("use")
symbol = Builder("symbol")
marker = Builder("marker")
linear_gradient = Builder("linearGradient")
radial_gradient = Builder("radialGradient")
stop = Builder("stop")
clip_path = Builder("clipPath")
mask = Builder("mask")
pattern = Builder("pattern")
foreign_object = Builder("foreignObject")
image = Builder("image")
animate = Builder("animate")
animate_transform = Builder("animateTransform")

# MathML
math = Builder("math")
