from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NewType, Optional, Protocol

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from pylive.component import component
from pylive.exceptions import ComponentError
from pylive.html import div, footer, h2, p, span, table, td, tr
from pylive.node import Element, Memo, fragment
from pylive.render import render_html


@component
def card(
    *children: Any,
    header: Any = None,
    footer: Any = None,
    title: str,
    variant: Literal["info", "warn"] = "info",
) -> Element:
    """A card with a header and a footer slot."""
    return div(header, *children, footer, title=title, class_=["card", variant])


@dataclass
class User:
    id: int
    name: str
    email: str


@component
def user_table(*, rows: Sequence[User], col: Callable[[User], Any]) -> Element:
    return table([tr(col(row), key=row.id) for row in rows])


USERS = [User(1, "Ann", "ann@x.org"), User(2, "Bob", "bob@x.org")]


def fails(message: str) -> pytest.RaisesContext[ComponentError]:
    """Expect a ComponentError with exactly ``message``."""
    return pytest.raises(ComponentError, match=f"^{re.escape(message)}$")


# --- calling: children, slots, defaults -----------------------------------------------------------


def test_component_returns_the_function_result() -> None:
    assert card(p("body"), header=h2("T"), title="x") == div(
        h2("T"), p("body"), title="x", class_="card info"
    )


def test_component_slots_are_keyword_children() -> None:
    result = card(p("body"), header=h2("T"), footer=footer("f"), title="x")
    assert render_html(result) == (
        '<div title="x" class="card info"><h2>T</h2><p>body</p><footer>f</footer></div>'
    )


def test_component_optional_slot_omitted() -> None:
    assert render_html(card("body", title="x")) == ('<div title="x" class="card info">body</div>')


def test_component_defaults_apply_and_can_be_overridden() -> None:
    assert card(title="x").attrs["class"] == "card info"
    assert card(title="x", variant="warn").attrs["class"] == "card warn"


def test_component_callable_slot_gets_row_data() -> None:
    result = user_table(rows=USERS, col=lambda u: [td(u.name), td(u.email)])
    assert render_html(result) == (
        "<table><tr><td>Ann</td><td>ann@x.org</td></tr>"
        "<tr><td>Bob</td><td>bob@x.org</td></tr></table>"
    )


def test_component_slot_passed_through_untouched() -> None:
    seen: list[object] = []
    slot = [h2("a"), "b"]

    @component
    def spy(*, header: Any) -> Element:
        seen.append(header)
        return div()

    spy(header=slot)
    assert seen[0] is slot


def test_component_children_passed_as_given() -> None:
    seen: list[tuple[object, ...]] = []
    gen = (p(i) for i in range(2))

    @component
    def spy(*children: Any) -> Element:
        seen.append(children)
        return div()

    spy("a", None, gen)
    assert seen == [("a", None, gen)]


def test_component_positional_parameters() -> None:
    @component
    def row(user: User, /, *, mark: bool = False) -> Element:
        return tr(td(user.name), class_={"marked": mark})

    assert render_html(row(USERS[0], mark=True)) == '<tr class="marked"><td>Ann</td></tr>'


def test_component_positional_or_keyword_parameter_by_keyword() -> None:
    @component
    def cell(text: str, width: int = 1) -> Element:
        return td(text, colspan=width)

    assert cell(text="a", width=2) == td("a", colspan=2)
    assert cell("a", width=2) == td("a", colspan=2)
    assert cell("a") == td("a", colspan=1)


def test_component_var_keyword_accepts_any_name() -> None:
    @component
    def box(*children: Any, **attrs: str) -> Element:
        return div(*children, **attrs)

    assert box("x", data_id="7") == div("x", data_id="7")
    with fails("box(): argument 'data_id' expected str, got 7"):
        box("x", data_id=7)


# --- metadata -------------------------------------------------------------------------------------


def test_component_keeps_function_metadata() -> None:
    assert card.__name__ == "card"
    assert card.__doc__ == "A card with a header and a footer slot."
    assert card.__wrapped__ is card.fn
    assert card.memo is False
    assert list(inspect.signature(card).parameters) == [
        "children",
        "header",
        "footer",
        "title",
        "variant",
    ]


def test_component_reserved_key_parameter_refused() -> None:
    def item(*, key: str) -> Element:
        return div()

    with fails(
        "item(): 'key' is reserved for the node's identity among its siblings and is never "
        "passed to a component; rename the parameter"
    ):
        component(item)


def test_component_not_callable_refused() -> None:
    with fails("@component: expected a function, got 42"):
        component(42)  # type: ignore[call-overload]


# --- argument errors ------------------------------------------------------------------------------


def test_component_missing_required_argument() -> None:
    with fails("card(): missing required argument 'title'"):
        card(p("body"))


def test_component_missing_several_required_arguments() -> None:
    @component
    def pair(*, a: int, b: int) -> Element:
        return div()

    with fails("pair(): missing required arguments 'a', 'b'"):
        pair()


def test_component_unexpected_argument_suggests_close_name() -> None:
    with fails("card(): unexpected argument 'titel'; did you mean 'title'?"):
        card(titel="x")


def test_component_unexpected_argument_lists_accepted_names() -> None:
    with fails(
        "card(): unexpected argument 'zzz'; expected one of 'header', 'footer', 'title', 'variant'"
    ):
        card(title="x", zzz=1)


def test_component_wrong_type() -> None:
    with fails("card(): argument 'title' expected str, got 42"):
        card(title=42)


def test_component_wrong_type_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        card(title=42)


def test_component_literal_lists_allowed_values() -> None:
    with fails("card(): argument 'variant' expected one of 'info', 'warn', got 'error'"):
        card(title="x", variant="error")


def test_component_literal_is_exact() -> None:
    @component
    def level(*, n: Literal[1, 2]) -> Element:
        return div()

    assert level(n=2) == div()
    with fails("level(): argument 'n' expected one of 1, 2, got True"):
        level(n=True)
    with fails("level(): argument 'n' expected one of 1, 2, got [1]"):
        level(n=[1])


def test_component_bool_is_not_an_int() -> None:
    @component
    def counter(*, count: int) -> Element:
        return p(count)

    with fails("counter(): argument 'count' expected int, got True (bool is not accepted for int)"):
        counter(count=True)


def test_component_bool_is_not_a_float_but_an_int_is() -> None:
    @component
    def meter(*, value: float) -> Element:
        return p(value)

    assert meter(value=3) == p("3")
    assert meter(value=0.5) == p("0.5")
    with fails(
        "meter(): argument 'value' expected float, got False (bool is not accepted for float)"
    ):
        meter(value=False)


def test_component_bool_param_accepts_bool_only() -> None:
    @component
    def toggle(*, on: bool) -> Element:
        return div()

    assert toggle(on=True) == div()
    with fails("toggle(): argument 'on' expected bool, got 1"):
        toggle(on=1)


def test_component_optional_accepts_none() -> None:
    @component
    def badge(*, label: str | None, count: Optional[int] = 0) -> Element:  # noqa: UP045
        return span(label, count)

    assert badge(label=None, count=None) == span()
    assert badge(label="x", count=2) == span("x2")
    with fails("badge(): argument 'label' expected str | None, got 1"):
        badge(label=1)
    with fails(
        "badge(): argument 'count' expected int | None, got True (bool is not accepted for int)"
    ):
        badge(label="x", count=True)


def test_component_none_default_accepts_none() -> None:
    """``title: str = None`` is read as ``str | None``: passing the default is never an error."""

    @component
    def heading(*, title: str = None) -> Element:  # type: ignore[assignment]
        return h2(title)

    assert heading(title=None) == h2()
    with fails("heading(): argument 'title' expected str | None, got 3"):
        heading(title=3)


def test_component_union_and_literal_mix() -> None:
    @component
    def size(*, value: int | Literal["auto"]) -> Element:
        return div()

    assert size(value=3) == size(value="auto") == div()
    with fails("size(): argument 'value' expected 'auto' | int, got 'big'"):
        size(value="big")


def test_component_generic_annotations_check_the_origin_only() -> None:
    @component
    def listing(
        *,
        items: list[int],
        names: Sequence[str],
        meta: dict[str, int],
        pairs: Mapping[str, str],
        it: Iterable[int],
        point: tuple[int, int],
    ) -> Element:
        return div()

    good: dict[str, Any] = {
        "items": ["not", "checked"],
        "names": ("a",),
        "meta": {},
        "pairs": {},
        "it": iter([]),
        "point": (),
    }
    assert listing(**good) == div()
    for name, value, expected in [
        ("items", (1,), "list, got (1,)"),
        ("names", 3, "Sequence, got 3"),
        ("meta", [], "dict, got []"),
        ("pairs", [], "Mapping, got []"),
        ("it", 5, "Iterable, got 5"),
        ("point", [1, 2], "tuple, got [1, 2]"),
    ]:
        with fails(f"listing(): argument {name!r} expected {expected}"):
            listing(**{**good, name: value})


def test_component_callable_annotation() -> None:
    with fails("user_table(): argument 'col' expected a callable, got 'name'"):
        user_table(rows=USERS, col="name")


def test_component_class_annotation_uses_isinstance() -> None:
    @component
    def profile(*, user: User) -> Element:
        return div(user.name)

    assert profile(user=USERS[0]) == div("Ann")
    with fails("profile(): argument 'user' expected User, got 'Ann'"):
        profile(user="Ann")


class Greeter(Protocol):
    def greet(self) -> str: ...


UserId = NewType("UserId", int)


def test_component_unchecked_annotations() -> None:
    """Any, object and protocols that are not runtime-checkable are not checked; a NewType is
    checked as its supertype."""

    @component
    def loose(*, a: Any, b: object, c: Greeter, d: UserId) -> Element:
        return div()

    assert loose(a=1, b=2, c=3, d=UserId(4)) == div()
    with fails("loose(): argument 'd' expected int, got '4'"):
        loose(a=1, b=2, c=3, d="4")


def test_component_star_children_annotation_checked() -> None:
    @component
    def words(*items: str) -> Element:
        return p(*items)

    assert words("a", "b") == p("ab")
    with fails("words(): positional argument 2 (*items) expected str, got 3"):
        words("a", 3)


def test_component_too_many_positional_without_children() -> None:
    @component
    def badge(*, label: str) -> Element:
        return span(label)

    with fails(
        "badge(): expected no positional arguments (it has no *children parameter), got 1: ('x',)"
    ):
        badge("x", label="y")


def test_component_too_many_positional_with_parameters() -> None:
    @component
    def cell(text: str, width: int = 1) -> Element:
        return td(text)

    with fails("cell(): expected at most 2 positional arguments (text, width), got 3: ('a', 1, 2)"):
        cell("a", 1, 2)


def test_component_positional_parameter_given_twice() -> None:
    @component
    def cell(text: str, width: int = 1) -> Element:
        return td(text)

    with fails("cell(): got multiple values for argument 'text'"):
        cell("a", text="b")


def test_component_positional_only_by_keyword() -> None:
    @component
    def cell(text: str, /) -> Element:
        return td(text)

    with fails("cell(): argument 'text' is positional-only, got it by keyword"):
        cell(text="a")


def test_component_missing_positional_argument() -> None:
    @component
    def cell(text: str, width: int = 1) -> Element:
        return td(text)

    with fails("cell(): missing required argument 'text'"):
        cell(width=2)
    with fails("cell(): argument 'width' expected int, got '2'"):
        cell("a", "2")


def test_component_long_value_is_shortened_in_message() -> None:
    with pytest.raises(ComponentError, match=r"expected str, got \['x{74} \.\.\.$"):
        card(title=["x" * 200])


# --- forward references ---------------------------------------------------------------------------


@component
def later_card(*, item: Later) -> Element:
    return div(item.text)


@component
def never_card(*, item: NotDefinedAnywhere, n: int) -> Element:  # type: ignore[name-defined]  # noqa: F821
    return div(n)


@dataclass
class Later:
    text: str


def test_component_forward_reference_resolved_on_first_call() -> None:
    """``Later`` is defined after the component: resolved when the component is first called."""
    assert later_card(item=Later("hi")) == div("hi")
    with fails("later_card(): argument 'item' expected Later, got 'hi'"):
        later_card(item="hi")


def test_component_unresolvable_annotation_left_unchecked() -> None:
    """A name that never resolves (e.g. imported under TYPE_CHECKING) disables its own check."""
    assert never_card(item=object(), n=1) == div("1")
    with fails("never_card(): argument 'n' expected int, got '1'"):
        never_card(item=object(), n="1")


# --- key= -----------------------------------------------------------------------------------------


def test_component_key_copies_the_element_with_key() -> None:
    plain = card(title="x")
    keyed = card(title="x", key=7)
    assert plain.key is None
    assert keyed.key == 7  # an int key is kept as given
    assert keyed == plain
    assert (keyed.tag, keyed.attrs, keyed.children) == (plain.tag, plain.attrs, plain.children)


def test_component_key_is_not_passed_to_the_function() -> None:
    seen: list[dict[str, object]] = []

    @component
    def spy(**kwargs: Any) -> Element:
        seen.append(kwargs)
        return div()

    spy(a=1, key="k")
    assert seen == [{"a": 1}]


def test_component_key_none_means_no_key() -> None:
    assert card(title="x", key=None).key is None


def test_component_key_invalid_type() -> None:
    with fails("card(): key= expected a str or int, got 1.5"):
        card(title="x", key=1.5)
    with fails("card(): key= expected a str or int, got True"):
        card(title="x", key=True)


def test_component_key_on_non_element_result() -> None:
    @component
    def pair(*, a: str) -> Any:
        return fragment(p(a), p(a))

    with fails(
        "pair(): key= needs a single root element to key, "
        "but pair() returned fragment(p('x'), p('x'))"
    ):
        pair(a="x", key="k")


def test_component_key_siblings_duplicate_detected() -> None:
    with pytest.raises(ValueError, match="duplicate key '1'"):
        div(card(title="a", key=1), card(title="b", key=1))


# --- memo=True ------------------------------------------------------------------------------------

calls: list[str] = []


@component(memo=True)
def memo_row(user: User, *, selected: bool = False) -> Element:
    calls.append(user.name)
    return tr(td(user.name), td(user.email), class_={"selected": selected})


@component
def eager_row(user: User, *, selected: bool = False) -> Element:
    return tr(td(user.name), td(user.email), class_={"selected": selected})


def test_memo_returns_memo_with_key() -> None:
    calls.clear()
    call = memo_row(USERS[0], key=USERS[0].id)
    assert type(call) is Memo
    assert call.fn is memo_row.fn
    assert call.args == (USERS[0],)
    assert call.kwargs == {"selected": False}
    assert call.key == 1  # an int key is kept as given
    assert memo_row.memo is True
    assert calls == []


def test_memo_resolves_to_the_element() -> None:
    call = memo_row(USERS[1], selected=True)
    assert call.key is None
    assert call.resolve() == tr(td("Bob"), td("bob@x.org"), class_="selected")


def test_memo_resolve_calls_the_function_once() -> None:
    calls.clear()
    call = memo_row(USERS[0])
    first = call.resolve()
    assert call.resolve() is first
    assert render_html(call) == render_html(first)
    assert calls == ["Ann"]


def test_memo_same_call_for_equal_arguments() -> None:
    a = memo_row(User(1, "Ann", "a"), selected=True, key=1)
    b = memo_row(User(1, "Ann", "a"), selected=True, key=1)
    assert a.same_call(b)


def test_memo_same_call_false_for_different_arguments() -> None:
    base = memo_row(USERS[0], key=1)
    assert not base.same_call(memo_row(USERS[0], selected=True, key=1))
    assert not base.same_call(memo_row(USERS[1], key=1))
    assert not base.same_call(memo_row(USERS[0], key=2))
    assert not base.same_call(eager_memo_twin(USERS[0], key=1))


@component(memo=True)
def eager_memo_twin(user: User, *, selected: bool = False) -> Element:
    return tr()


def test_memo_arguments_validated_at_call_time() -> None:
    calls.clear()
    with fails("memo_row(): argument 'selected' expected bool, got 'yes'"):
        memo_row(USERS[0], selected="yes")
    with fails("memo_row(): missing required argument 'user'"):
        memo_row()
    assert calls == []


def test_memo_key_invalid_type() -> None:
    with fails("memo_row(): key= expected a str or int, got [1]"):
        memo_row(USERS[0], key=[1])


def test_memo_must_return_one_element() -> None:
    @component(memo=True)
    def two(*, a: str) -> Element:
        return fragment(p(a), p(a))  # type: ignore[return-value]

    call = two(a="x")
    with fails(
        "memoized component test_memo_must_return_one_element.<locals>.two() must return "
        "exactly one element, got fragment(p('x'), p('x'))"
    ):
        call.resolve()


def test_memo_children_and_slots_kept_in_the_call() -> None:
    @component(memo=True)
    def panel(*children: Any, header: Any = None) -> Element:
        return div(header, *children)

    call = panel(p("a"), "b", header=h2("H"))
    assert call.args == (p("a"), "b")
    assert call.kwargs == {"header": h2("H")}
    assert render_html(call) == "<div><h2>H</h2><p>a</p>b</div>"


def test_memo_render_html_equals_eager() -> None:
    def page(row: Callable[..., Any]) -> Element:
        return div(
            card(h2("Users"), title="t"),
            table([row(u, selected=u.id == 2, key=u.id) for u in USERS]),
        )

    assert render_html(page(memo_row)) == render_html(page(eager_row))
    assert render_html(page(memo_row)) == (
        '<div><div title="t" class="card info"><h2>Users</h2></div><table>'
        "<tr><td>Ann</td><td>ann@x.org</td></tr>"
        '<tr class="selected"><td>Bob</td><td>bob@x.org</td></tr></table></div>'
    )


def test_memo_inside_eager_component_keyed() -> None:
    @component
    def wrapper(user: User) -> Any:
        return memo_row(user)

    call = wrapper(USERS[0], key="w")
    assert type(call) is Memo
    assert call.key == "w"
    assert call.fn is memo_row.fn


# --- binding: the generated wrapper agrees with Python -----------------------------------------


def _shape_1(a, b=1, /, c=2, *rest, d, e=3, **kw):  # type: ignore[no-untyped-def]
    return (a, b, c, rest, d, e, kw)


def _shape_2(a, b=2, *, c):  # type: ignore[no-untyped-def]
    return (a, b, c)


def _shape_3(*children, x=None, y):  # type: ignore[no-untyped-def]
    return (children, x, y)


def _shape_4(a, /, b, **kw):  # type: ignore[no-untyped-def]
    return (a, b, kw)


def _shape_5():  # type: ignore[no-untyped-def]
    return ()


@pytest.mark.parametrize("memo", [False, True])
@pytest.mark.parametrize("fn", [_shape_1, _shape_2, _shape_3, _shape_4, _shape_5])
@given(
    args=st.lists(st.integers(0, 9), max_size=4),
    kwargs=st.dictionaries(
        st.sampled_from(["a", "b", "c", "d", "e", "x", "y", "kw", "zz"]),
        st.integers(0, 9),
        max_size=4,
    ),
)
def test_component_binds_like_python(
    fn: Callable[..., Any], memo: bool, args: list[int], kwargs: dict[str, int]
) -> None:
    """Any call of an unannotated component is refused exactly when Python refuses it, and
    otherwise reaches the function with the same arguments."""
    wrapped = component(memo=memo)(fn) if memo else component(fn)
    try:
        expected = fn(*args, **kwargs)
    except TypeError:
        with pytest.raises(ComponentError):
            wrapped(*args, **kwargs)
        return
    result = wrapped(*args, **kwargs)
    if memo:
        assert type(result) is Memo
        result = result.fn(*result.args, **result.kwargs)
    assert result == expected


def test_component_parameter_names_never_clash_with_the_wrapper() -> None:
    """Parameters named like the wrapper's internals or the builtins it uses still work."""

    @component
    def odd(_pl_A: int, *, len: str, type: int = 0, fail: Any = None) -> Element:
        return p(_pl_A, len, type)

    assert odd(1, len="x", type=2) == p("1x2")
    with fails("odd(): argument 'type' expected int, got 'y'"):
        odd(1, len="x", type="y")


def test_component_positional_and_children_kept_in_memo() -> None:
    @component(memo=True)
    def section(title: str, *children: Any, **attrs: Any) -> Element:
        return div(h2(title), *children, **attrs)

    call = section("T", p("a"), id="s")
    assert (call.args, call.kwargs) == (("T", p("a")), {"id": "s"})
    assert render_html(call) == '<div id="s"><h2>T</h2><p>a</p></div>'


def _typed(  # type: ignore[no-untyped-def]
    a: int,
    b: str = "x",
    /,
    c: float | None = None,
    *rest: int,
    d: Literal["p", "q"],
    e: bool = False,
    **kw: str,
):
    return (a, b, c, rest, d, e, kw)


def _int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


_ORACLE: dict[str, Callable[[object], bool]] = {
    "a": _int,
    "b": lambda v: isinstance(v, str),
    "c": lambda v: v is None or _int(v) or type(v) is float,
    "d": lambda v: type(v) is str and v in ("p", "q"),
    "e": lambda v: type(v) is bool,
}

_VALUES = st.sampled_from([0, 1, True, 1.5, "p", "x", None, [1], b"x"])


@st.composite
def _calls(draw: st.DrawFn) -> tuple[list[object], dict[str, object]]:
    """Mostly valid calls of ``_typed``, with a few positions or names swapped for noise."""
    args: list[object] = [1, "x", 0.5, 2, 3][: draw(st.integers(0, 5))]
    kwargs: dict[str, object] = {"d": "p", "e": True, "kw": "v"}
    for _ in range(draw(st.integers(0, 2))):
        if args and draw(st.booleans()):
            args[draw(st.integers(0, len(args) - 1))] = draw(_VALUES)
        else:
            kwargs[draw(st.sampled_from(["a", "b", "c", "d", "e", "rest", "zz"]))] = draw(_VALUES)
    return args, kwargs


@given(call=_calls())
def test_component_checks_like_an_oracle(call: tuple[list[object], dict[str, object]]) -> None:
    """A typed call is refused exactly when Python refuses it or a value has the wrong type."""
    args, kwargs = call
    wrapped = component(_typed)
    # Python itself binds the call: inspect.Signature.bind is no oracle before Python 3.13, it
    # refuses ``b=`` into ``**kw`` when ``b`` is positional-only and not given (CPython gh-87106).
    try:
        bound = dict(
            zip(["a", "b", "c", "rest", "d", "e", "kw"], _typed(*args, **kwargs), strict=True)
        )
    except TypeError:
        event("refused by Python")
        with pytest.raises(ComponentError):
            wrapped(*args, **kwargs)
        return
    ok = all(
        all(map(_int, value))
        if name == "rest"
        else all(isinstance(v, str) for v in value.values())
        if name == "kw"
        else _ORACLE[name](value)
        for name, value in bound.items()
    )
    event("accepted" if ok else "wrong type")
    if ok:
        assert wrapped(*args, **kwargs) == _typed(*args, **kwargs)
    else:
        with pytest.raises(ComponentError, match=r"^_typed\(\): .* expected .*, got "):
            wrapped(*args, **kwargs)


def test_component_positional_only_by_keyword_is_refused() -> None:
    """A keyword naming a positional-only parameter is refused, as Python refuses it, unless the
    function has ``**kwargs``: then, given positionally or not, it is an extra keyword argument."""

    def cell(text: str, width: int = 1, /) -> Element:
        return td(text, colspan=width)

    for kwargs in [{"width": 2}, {"text": "a"}]:
        with pytest.raises(TypeError, match="positional-only"):
            cell("a", **kwargs)
    wrapped = component(cell)
    with fails("cell(): argument 'width' is positional-only, got it by keyword"):
        wrapped("a", width=2)
    with fails("cell(): argument 'text' is positional-only, got it by keyword"):
        wrapped(text="a")
    with fails("cell(): argument 'width' is positional-only, got it by keyword"):
        wrapped("a", 2, width=2)

    typed = component(_typed)
    assert (
        typed(1, d="p", b="p")
        == _typed(1, d="p", b="p")
        == (1, "x", None, (), "p", False, {"b": "p"})
    )
    assert typed(1, "y", d="p", b="p") == (1, "y", None, (), "p", False, {"b": "p"})
    assert component(memo=True)(_typed)(1, d="p", b="p").kwargs == {"d": "p", "e": False, "b": "p"}
    with fails("_typed(): argument 'b' expected str, got 3"):
        typed(1, d="p", b=3)
