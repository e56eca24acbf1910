"""``pylive.JS``: every command's encoding, exactly, and every mistake refused when the chain is
built."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pylive import JS
from pylive.html import button
from pylive.protocol import JS_COMMANDS
from pylive.render import render_html


def ops(chain: JS) -> list[list[Any]]:
    decoded: list[list[Any]] = json.loads(str(chain))
    assert decoded == chain.to_encodable()
    return decoded


ENCODINGS = [
    (JS().push("inc"), ["push", {"event": "inc"}]),
    (
        JS().push("inc", value={"by": 2}, target=3, loading="#count", page_loading=True),
        ["push", {"event": "inc", "value": {"by": 2}, "target": 3, "loading": "#count",
                  "page_loading": True}],
    ),
    (JS().push("inc", target="#cart"), ["push", {"event": "inc", "target": "#cart"}]),
    (JS().dispatch("copy"), ["dispatch", {"event": "copy"}]),
    (
        JS().dispatch("copy", to="#t", detail={"text": "x"}, bubbles=False, blocking=True),
        ["dispatch", {"event": "copy", "to": "#t", "detail": {"text": "x"}, "bubbles": False,
                      "blocking": True}],
    ),
    (JS().show(), ["show", {}]),
    (
        JS().show(to="#m", transition="fade-in", time=300, display="flex", blocking=False),
        ["show", {"to": "#m", "transition": [["fade-in"], [], []], "time": 300,
                  "blocking": False, "display": "flex"}],
    ),
    (
        JS().hide(to="#m", transition=("ease-out duration-200", "opacity-100", "opacity-0")),
        ["hide", {"to": "#m", "transition": [["ease-out", "duration-200"], ["opacity-100"],
                                             ["opacity-0"]]}],
    ),
    (
        JS().toggle(to="#menu", in_="fade-in", out="fade-out", display="grid", time=0),
        ["toggle", {"to": "#menu", "time": 0, "ins": [["fade-in"], [], []],
                    "outs": [["fade-out"], [], []], "display": "grid"}],
    ),
    (JS().add_class("open active"), ["add_class", {"names": ["open", "active"]}]),
    (
        JS().remove_class("open", to="#menu", transition="fade-out"),
        ["remove_class", {"names": ["open"], "to": "#menu",
                          "transition": [["fade-out"], [], []]}],
    ),
    (JS().toggle_class("active", inner=".tab"),
     ["toggle_class", {"names": ["active"], "to": {"inner": ".tab"}}]),
    (JS().transition("shake", to="#field", time=500),
     ["transition", {"to": "#field", "transition": [["shake"], [], []], "time": 500}]),
    (JS().set_attribute(("aria-expanded", "true"), closest=".menu"),
     ["set_attribute", {"attr": ["aria-expanded", "true"], "to": {"closest": ".menu"}}]),
    (JS().remove_attribute("disabled", document="#save"),
     ["remove_attribute", {"attr": "disabled", "to": {"document": "#save"}}]),
    (JS().toggle_attribute(("open", "true")), ["toggle_attribute", {"attr": ["open", "true"]}]),
    (JS().toggle_attribute(("aria-expanded", "true", "false"), to="#b"),
     ["toggle_attribute", {"attr": ["aria-expanded", "true", "false"], "to": "#b"}]),
    (JS().ignore_attributes("open"), ["ignore_attributes", {"attrs": ["open"]}]),
    (JS().ignore_attributes(["open", "data-*"], to="#d"),
     ["ignore_attributes", {"attrs": ["open", "data-*"], "to": "#d"}]),
    (JS().focus(to="#name"), ["focus", {"to": "#name"}]),
    (JS().focus_first(inner=".dialog"), ["focus_first", {"to": {"inner": ".dialog"}}]),
    (JS().push_focus(), ["push_focus", {}]),
    (JS().pop_focus(), ["pop_focus", {}]),
    (JS().navigate("/users/1"), ["navigate", {"href": "/users/1"}]),
    (JS().patch("/items?page=2", replace=True),
     ["patch", {"href": "/items?page=2", "replace": True}]),
    (JS().exec("phx-remove", to="#modal"), ["exec", {"attr": "phx-remove", "to": "#modal"}]),
]  # fmt: skip


@pytest.mark.parametrize(("chain", "op"), ENCODINGS, ids=[op[0] for _, op in ENCODINGS])
def test_js_each_command_encodes_exactly(chain: JS, op: list[Any]) -> None:
    assert ops(chain) == [op]


def test_js_every_command_kind_has_an_encoding_test_and_a_method() -> None:
    assert sorted({op[0] for _, op in ENCODINGS}) == sorted(JS_COMMANDS)
    assert all(callable(getattr(JS, kind)) for kind in JS_COMMANDS)


def test_js_chain_is_immutable_and_composes_in_order() -> None:
    base = JS().push("save")
    closed = base.hide(to="#modal")
    assert ops(base) == [["push", {"event": "save"}]]
    assert ops(closed) == [["push", {"event": "save"}], ["hide", {"to": "#modal"}]]
    both = JS().focus(to="#a").concat(closed, JS().pop_focus())
    assert [op[0] for op in ops(both)] == ["focus", "push", "hide", "pop_focus"]
    assert base == JS().push("save") and hash(base) == hash(JS().push("save"))
    assert len(both) == 4 and not JS() and both


def test_js_renders_as_an_escaped_attribute_value() -> None:
    html = render_html(button("x", phx_click=JS().push("say", value={"text": "<b>'hi'</b>"})))
    assert html == (
        '<button phx-click="[[&#34;push&#34;,{&#34;event&#34;:&#34;say&#34;,&#34;value&#34;:'
        '{&#34;text&#34;:&#34;&lt;b&gt;&#39;hi&#39;&lt;/b&gt;&#34;}}]]">x</button>'
    )


ERRORS = [
    (lambda: JS().push(""), TypeError, "JS.push: event must be a non-empty str, got ''"),
    (lambda: JS().push("x", value=[1]), TypeError,  # type: ignore[arg-type]
     "JS.push('x'): value must be a mapping, got [1]"),
    (lambda: JS().push("x", target=2.5), TypeError,
     "JS.push('x'): target must be a component (assigns.myself) or a selector, got 2.5"),
    (lambda: JS().push("x", loading=" "), TypeError,
     "JS.push: loading must be a CSS selector, got ' '"),
    (lambda: JS().show(bogus=1), TypeError, "JS.show() got an unexpected keyword argument 'bogus'"),
    (lambda: JS().show(transition=["a"]), TypeError,
     "JS.show: a transition is a class string or a (transition, start, end) tuple of class "
     "strings, got ['a']"),
    (lambda: JS().hide(transition=("a", "b")), TypeError,
     "JS.hide: a transition is a class string or a (transition, start, end) tuple of class "
     "strings, got ('a', 'b')"),
    (lambda: JS().show(time=-1), ValueError,
     "JS.show: time must be a whole number of ms >= 0, got -1"),
    (lambda: JS().hide(time=1.5), ValueError,
     "JS.hide: time must be a whole number of ms >= 0, got 1.5"),
    (lambda: JS().show(display="inline block"), TypeError,
     "JS.show: display must be a CSS value like 'flex', got 'inline block'"),
    (lambda: JS().show(to="#a", closest=".b"), TypeError,
     "JS.show: expected one target (to=, inner=, closest= or document=), got to='#a', "
     "closest='.b'"),
    (lambda: JS().dispatch("x", detail={"done": 1}), ValueError,
     "JS.dispatch('x'): detail may not hold 'done', the name the browser gives the function "
     "that ends a blocking dispatch"),
    (lambda: JS().add_class("  "), ValueError,
     "JS.add_class: expected space-separated class names, got '  '"),
    (lambda: JS().transition(("a", "b", 3)), TypeError,  # type: ignore[arg-type]
     "JS.transition: a transition is a class string or a (transition, start, end) tuple of class "
     "strings, got ('a', 'b', 3)"),
    (lambda: JS().transition(" "), ValueError,
     "JS.transition: a transition needs at least one class, got ' '"),
    (lambda: JS().hide(transition=""), ValueError,
     "JS.hide: a transition needs at least one class, got ''"),
    (lambda: JS().set_attribute(("open",)), TypeError,  # type: ignore[arg-type]
     "JS.set_attribute: expected (name, value) of str, got ('open',)"),
    (lambda: JS().toggle_attribute(("a", "b", "c", "d")), TypeError,  # type: ignore[arg-type]
     "JS.toggle_attribute: expected (name, value) or (name, value1, value2) of str, got "
     "('a', 'b', 'c', 'd')"),
    (lambda: JS().set_attribute(('x" onclick="y', "1")), TypeError,
     "JS.set_attribute: invalid attribute name 'x\" onclick=\"y': expected a name without "
     "whitespace, quotes, '<', '>', '/', '=' or control characters"),
    (lambda: JS().ignore_attributes([]), ValueError,
     "JS.ignore_attributes: expected at least one attribute name"),
    (lambda: JS().navigate("https://evil.example"), ValueError,
     "JS.navigate: expected a local path like '/users/1', got 'https://evil.example'"),
    (lambda: JS().patch("/%09/evil.example"), ValueError,
     "JS.patch: expected a local path like '/users/1', got '/%09/evil.example'"),
    (lambda: JS().concat("x"), TypeError,  # type: ignore[arg-type]
     "JS.concat: expected JS chains, got 'x'"),
]  # fmt: skip


@pytest.mark.parametrize(("build", "error", "message"), ERRORS)
def test_js_bad_arguments_refused_when_the_chain_is_built(
    build: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as refused:
        build()
    assert str(refused.value) == message
