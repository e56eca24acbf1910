"""``pylive.testing`` runs JS commands in-process, as the browser does: every command kind, sticky
effects against server patches and rejoins, visibility, click-away, window focus and blur,
lifecycle bindings, and debounce / throttle on the client clock."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import pylive.testing as testing
from pylive import App, LiveComponent, LiveView, live_component
from pylive.html import button, div, form, input, li, p, span, ul
from pylive.js import JS
from pylive.protocol import JS_COMMANDS
from pylive.socket import Socket
from pylive.testing import JSCommandError, LiveViewClient, ViewCrashed, live
from pylive.testing._js import Dispatched, Navigation, handled_commands

EVENTS: list[tuple[str, dict[str, Any]]] = []
"""Every event a view of this module handled: (event, params), or (cid:event, params)."""


@pytest.fixture(autouse=True)
def _clear_events() -> Iterator[None]:
    EVENTS.clear()
    yield
    EVENTS.clear()


def serve(view: type[LiveView]) -> App:
    app = App(secret_key="k" * 32)
    app.live("/", view)
    return app


class Echo(LiveComponent):
    """A component whose buttons push to itself."""

    def render(self, assigns: Any) -> Any:
        return div(
            button("me", id="to-me", phx_click=JS().push("bump", target=assigns.myself)),
            id="echo",
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        EVENTS.append((f"echo:{event}", params))


class Board(LiveView):
    """A page to run one chain on: ``#go`` runs the chain the session gives."""

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(count=0, chain=session.get("chain", "noop"))

    def render(self, assigns: Any) -> Any:
        n = assigns.count
        return div(
            p(f"Count: {n}", id="count"),
            div(p("Hello", id="hello"), id="modal", class_=f"modal m{n}", style="display: none"),
            div("box", id="box", class_="box", title=f"server {n}", data_n=str(n)),
            div(
                span("one", id="one", class_="item"),
                span("two", id="two", class_="item"),
                button("in", id="inner-go", phx_click=assigns.chain),
                id="items",
                class_="items",
                phx_click=assigns.chain,
            ),
            button("go", id="go", phx_click=assigns.chain, phx_value_from="go"),
            button("+", id="inc", phx_click="inc"),
            live_component(Echo, id="echo"),
            id="board",
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        EVENTS.append((event, params))
        if event == "inc":
            socket.assign(count=socket.assigns.count + 1)


@pytest.fixture
def board() -> Iterator[Any]:
    """``board(chain)``: the Board with ``#go`` running ``chain``."""
    opened: list[LiveViewClient] = []

    def open_board(chain: JS) -> LiveViewClient:
        view = live(serve(Board), "/", session={"chain": str(chain)})
        opened.append(view)
        return view

    yield open_board
    for view in opened:
        view.close()


# -- the command kinds ----------------------------------------------------------------------------


def test_js_handles_every_command_kind() -> None:
    """Drift: the test client has a handler for each kind of ``pylive.protocol.JS_COMMANDS``."""
    assert handled_commands() == frozenset(JS_COMMANDS)
    assert len(JS_COMMANDS) == 20


def test_js_chain_of_every_kind_runs_in_order(board: Any) -> None:
    chain = (
        JS()
        .push("save", value={"id": 2}, loading="#box", page_loading=True)
        .dispatch("board:saved", to="#box", detail={"ok": True})
        .show(to="#modal", transition="fade-in", time=100)
        .hide(to="#hello", transition=("ease", "o-100", "o-0"))
        .toggle(to="#one", in_="fade-in", out="fade-out")
        .add_class("added", to="#box")
        .remove_class("box", to="#box")
        .toggle_class("t", to="#two")
        .transition("shake", to="#box")
        .set_attribute(("aria-expanded", "true"), to="#box")
        .remove_attribute("title", to="#box")
        .toggle_attribute(("open", "open"), to="#items")
        .ignore_attributes(["data-*"], to="#box")
        .focus(to="#inc")
        .push_focus()
        .focus_first(to="#items")
        .pop_focus()
        .navigate("/next")
        .patch("/?page=2", replace=True)
        .exec("data-then", to="#board")
    )
    assert {kind for kind, _ in chain.to_encodable()} == set(JS_COMMANDS)
    view = board(chain)
    with pytest.raises(JSCommandError) as info:
        view.element("#go").click()
    assert str(info.value).startswith(
        "JS.exec('data-then', to='#board') in phx-click: the target has no data-then attribute "
        'holding commands to run:\n    <div id="board">'
    )
    # everything before the exec ran; what it pushed is sent once the chain ran, so not here
    assert EVENTS == []
    assert view.element("#modal").render() == (
        '<div id="modal" class="modal m0" style="display: block">'
        '<p id="hello" style="display: none">Hello</p></div>'
    )
    assert view.element("#box").render() == (
        '<div id="box" class="added" data-n="0" aria-expanded="true">box</div>'
    )
    assert view.element("#one").render() == (
        '<span id="one" class="item" style="display: none">one</span>'
    )
    assert view.element("#two").render() == '<span id="two" class="item t">two</span>'
    assert view.element("#items").render().startswith('<div id="items" class="items" phx-click="')
    assert view.has_element("#items[open=open]")
    assert view.assert_dispatched("board:saved", to="#box") == {"ok": True}
    view.assert_navigate("/next")
    view.assert_patch("/?page=2")
    focused = view.focused()
    assert focused is not None and focused.selector == "#inc"


def test_js_push_merges_value_over_the_element_values(board: Any) -> None:
    view = board(JS().push("save", value={"id": 2, "from": "js"}).push("again"))
    view.element("#go").click({"extra": "1"})
    assert EVENTS == [
        ("save", {"from": "js", "extra": "1", "id": 2}),
        ("again", {"from": "go", "extra": "1"}),
    ]


def test_js_push_target_a_component_or_a_selector(board: Any) -> None:
    view = board(JS().push("to-selector", target="#echo").push("to-view", target="#count"))
    view.element("#to-me").click()
    view.element("#go").click()
    assert EVENTS == [
        ("echo:bump", {}),
        ("echo:to-selector", {"from": "go"}),
        ("to-view", {"from": "go"}),
    ]


def test_js_push_target_matching_nothing_fails(board: Any) -> None:
    view = board(JS().push("lost", target="#nowhere"))
    with pytest.raises(AssertionError) as info:
        view.element("#go").click()
    assert str(info.value).startswith(
        "JS.push target='#nowhere': the selector matches no element, so the event would go "
        'nowhere:\n    <button id="go"'
    )


def test_js_show_hide_toggle_set_inline_display(board: Any) -> None:
    view = board(JS().show(to="#modal", display="flex").hide(to="#box").toggle(to=".item"))
    view.element("#go").click()
    assert (
        view.element("#modal")
        .render()
        .startswith('<div id="modal" class="modal m0" style="display: flex">')
    )
    assert view.element("#box").render() == (
        '<div id="box" class="box" title="server 0" data-n="0" style="display: none">box</div>'
    )
    assert view.element("#one").render() == (
        '<span id="one" class="item" style="display: none">one</span>'
    )
    view.element("#go").click()  # toggle shows what it hid; show and hide are idempotent
    assert view.element("#one").render() == (
        '<span id="one" class="item" style="display: block">one</span>'
    )
    assert view.element("#modal").visible() and not view.element("#box").visible()


def test_js_toggle_display_option_applies_when_showing(board: Any) -> None:
    view = board(JS().toggle(to="#modal", display="grid"))
    view.element("#go").click()
    assert view.has_element("#modal[style='display: grid']")
    view.element("#go").click()
    assert view.has_element("#modal[style='display: none']", visible=False)


@pytest.mark.parametrize(
    ("chain", "one", "two"),
    [
        (JS().add_class("on big", to=".item"), "item on big", "item on big"),
        (JS().remove_class("item", to="#two"), "item", None),
        (JS().toggle_class("item x", to="#one"), "x", "item"),
        (JS().add_class("in", inner=".item"), "item in", "item in"),
        (JS().add_class("doc", document="#two"), "item", "item doc"),
        (JS().transition("fade", to=".item"), "item", "item"),
    ],
    ids=["add", "remove", "toggle", "inner", "document", "transition"],
)
def test_js_class_commands(board: Any, chain: JS, one: str, two: str | None) -> None:
    view = board(chain)
    view.element("#items" if "inner" in str(chain) else "#go").click()
    shown = f' class="{two}"' if two is not None else ""
    assert view.element("#one").render() == f'<span id="one" class="{one}">one</span>'
    assert view.element("#two").render() == f'<span id="two"{shown}>two</span>'


def test_js_inner_targets_only_under_the_source(board: Any) -> None:
    view = board(JS().add_class("in", inner=".item"))
    view.element("#go").click()  # #go contains no .item
    assert view.element("#one").render() == '<span id="one" class="item">one</span>'


def test_js_closest_targets_the_nearest_ancestor_or_self(board: Any) -> None:
    view = board(JS().add_class("near", closest="div").add_class("self", closest="button"))
    view.element("#inner-go").click()
    assert view.element("#items").render().startswith('<div id="items" class="items near"')
    assert view.has_element("#inner-go.self")
    assert not view.has_element("#board.near")


def test_js_attribute_commands(board: Any) -> None:
    view = board(
        JS()
        .set_attribute(("aria-expanded", "true"), to="#box")
        .remove_attribute("title", to="#box")
        .toggle_attribute(("hidden", ""), to="#one")
        .toggle_attribute(("data-mode", "light", "dark"), to="#two")
    )
    view.element("#go").click()
    assert view.element("#box").render() == (
        '<div id="box" class="box" data-n="0" aria-expanded="true">box</div>'
    )
    assert view.element("#one").render() == '<span id="one" class="item" hidden="">one</span>'
    assert view.element("#two").render() == (
        '<span id="two" class="item" data-mode="light">two</span>'
    )
    view.element("#go").click()  # toggles flip back: absent again, the other value
    assert view.element("#one").render() == '<span id="one" class="item">one</span>'
    assert view.element("#two").render() == (
        '<span id="two" class="item" data-mode="dark">two</span>'
    )


def test_js_ignore_attributes_keeps_the_client_values_against_patches(board: Any) -> None:
    view = board(JS().ignore_attributes(["title", "data-*"], to="#box"))
    view.element("#go").click()
    view.element("#inc").click()  # the server renders title="server 1" data-n="1"
    assert view.element("#count").render() == '<p id="count">Count: 1</p>'
    assert view.element("#box").render() == (
        '<div id="box" class="box" title="server 0" data-n="0">box</div>'
    )


def test_js_focus_commands_track_the_focused_element(board: Any) -> None:
    view = board(JS().focus(to="#box").push_focus().focus_first(to="#items"))
    assert view.focused() is None
    view.element("#go").click()
    focused = view.focused()
    assert focused is not None and focused.selector == "#inner-go"
    assert focused.render().startswith('<button id="inner-go"')
    view2 = board(JS().pop_focus())  # an empty stack: nothing happens
    view2.element("#go").click()
    assert view2.focused() is None


def test_js_pop_focus_returns_to_the_pushed_element(board: Any) -> None:
    view = board(JS().push_focus(to="#inc").focus(to="#box").pop_focus())
    view.element("#go").click()
    focused = view.focused()
    assert focused is not None and focused.selector == "#inc"


def test_js_dispatch_recorded_and_asserted(board: Any) -> None:
    view = board(
        JS()
        .dispatch("app:copy", to=".item", detail={"text": "hi"})
        .dispatch("app:ping", bubbles=False)
    )
    view.element("#go").click()
    assert [d.target for d in view.dispatched] == [
        '<span id="one" class="item">',
        '<span id="two" class="item">',
        '<button id="go" phx-click="[[&#34;dispatch&#34;,{&#34;event&#34;:&#34;app:copy&#34;,'
        "&#34;to&#34;:&#34;.item&#34;,&#34;detail&#34;:{&#34;text&#34;:&#34;hi&#34;}}],"
        '[&#34;dispatch&#34;,{&#34;event&#34;:&#34;app:ping&#34;,&#34;bubbles&#34;:false}]]" '
        'phx-value-from="go">',
    ]
    assert view.dispatched[2].bubbles is False
    assert view.assert_dispatched("app:copy", to="#two") == {"text": "hi"}
    assert view.assert_dispatched("app:copy", detail={"text": "hi"}) == {"text": "hi"}
    assert view.assert_dispatched("app:ping") == {}
    assert view.dispatched == []


def test_js_assert_dispatched_failure_lists_what_was_dispatched(board: Any) -> None:
    view = board(JS().dispatch("app:copy", to="#one", detail={"text": "hi"}))
    view.element("#go").click()
    with pytest.raises(AssertionError) as info:
        view.assert_dispatched("app:copy", detail={"text": "bye"}, to="#one")
    assert str(info.value) == (
        "no dispatched event app:copy {'text': 'bye'} to '#one'; dispatched and not yet "
        "asserted:\n"
        "    app:copy {'text': 'hi'} to <span id=\"one\" class=\"item\">"
    )
    view.assert_dispatched("app:copy")
    with pytest.raises(AssertionError) as info:
        view.assert_dispatched("app:copy")
    assert str(info.value) == (
        "no dispatched event app:copy; dispatched and not yet asserted:\n    (none)"
    )


def test_js_dispatch_click_clicks_the_target(board: Any) -> None:
    view = board(JS().dispatch("click", to="#inc"))
    view.element("#go").click()
    assert EVENTS == [("inc", {})]
    assert view.element("#count").render() == '<p id="count">Count: 1</p>'
    view.assert_dispatched("click", to="#inc")


def test_js_navigate_and_patch_recorded(board: Any) -> None:
    view = board(JS().navigate("/products").patch("/?sort=price", replace=True))
    view.element("#go").click()
    with pytest.raises(AssertionError) as info:
        view.assert_patch("/products")
    assert str(info.value) == (
        "expected a patch to '/products'; navigations asked for and not yet asserted:\n"
        "    navigate '/products'\n"
        "    patch '/?sort=price' (replace)"
    )
    view.assert_navigate("/products")
    view.assert_patch("/?sort=price")
    with pytest.raises(AssertionError) as info:
        view.assert_navigate("/products")
    assert str(info.value) == (
        "expected a navigate to '/products'; navigations asked for and not yet asserted:\n"
        "    (none)"
    )


class Execs(LiveView):
    def render(self, assigns: Any) -> Any:
        return div(
            div("modal", id="modal", data_close=JS().hide().push("closed"), data_name="closing"),
            div("panel", id="panel", data_close="panel-closed", phx_value_side="left"),
            button("x", id="x", phx_click=JS().exec("data-close", to="#modal")),
            button("all", id="all", phx_click=JS().exec("data-close", to="[data-close]")),
            button("self", id="self", phx_click=JS().exec("data-me"), data_me=JS().add_class("me")),
            button("none", id="none", phx_click=JS().exec("data-close", to="#nope")),
            button("loop", id="loop", phx_click=JS().exec("phx-click")),
            id="page",
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        EVENTS.append((event, params))


@pytest.fixture
def execs() -> Iterator[LiveViewClient]:
    with live(serve(Execs), "/") as view:
        yield view


def test_js_exec_runs_the_targets_commands_with_it_as_the_source(execs: LiveViewClient) -> None:
    execs.element("#x").click()
    assert EVENTS == [("closed", {})]  # the modal's values, not the button's
    assert not execs.element("#modal").visible()
    EVENTS.clear()
    execs.element("#all").click()  # an event name in the attribute is a push of it
    assert EVENTS == [("closed", {}), ("panel-closed", {"side": "left"})]
    execs.element("#self").click()
    assert execs.has_element("#self.me")


def test_js_exec_matching_nothing_fails(execs: LiveViewClient) -> None:
    with pytest.raises(JSCommandError) as info:
        execs.element("#none").click()
    assert str(info.value).startswith(
        "JS.exec('data-close', to='#nope') in phx-click matches no element, so there is nothing "
        'to run; the source element:\n    <button id="none"'
    )


def test_js_exec_of_itself_stops_at_the_nesting_limit(execs: LiveViewClient) -> None:
    with pytest.raises(JSCommandError) as info:
        execs.element("#loop").click()
    assert str(info.value) == (
        "phx-click: JS commands nest more than 32 deep (an exec or a dispatched click that runs "
        "itself?)"
    )


class Broken(LiveView):
    def render(self, assigns: Any) -> Any:
        return div(
            button("fly", id="fly", phx_click='[["fly",{"to":"#b"}]]'),
            button("json", id="json", phx_click="[oops"),
            button("shape", id="shape", phx_click='[["hide"]]'),
            button("args", id="args", phx_click='[["add_class",{"names":"x"}]]'),
            button("scope", id="scope", phx_click='[["hide",{"to":{"near":"#b"}}]]'),
            button("debounce", id="debounce", phx_click="go", phx_debounce="soon"),
        )


@pytest.fixture
def broken() -> Iterator[LiveViewClient]:
    with live(serve(Broken), "/") as view:
        yield view


def test_js_unknown_command_fails_naming_the_known_ones(broken: LiveViewClient) -> None:
    with pytest.raises(JSCommandError) as info:
        broken.element("#fly").click()
    assert str(info.value) == (
        "phx-click holds an unknown JS command 'fly' (known: "
        + ", ".join(JS_COMMANDS)
        + '):\n    [["fly",{"to":"#b"}]]\n'
        '    <button id="fly" phx-click="[[&#34;fly&#34;,{&#34;to&#34;:&#34;#b&#34;}]]">'
        "fly</button>"
    )


@pytest.mark.parametrize(
    ("selector", "message"),
    [
        ("#json", "phx-click='[oops' is not a JS command chain (invalid JSON: "),
        ("#shape", 'phx-click: expected each JS command to be [kind, {args}], got ["hide"]:\n'
         '    <button id="shape" phx-click="[[&#34;hide&#34;]]">shape</button>'),
        ("#args", 'phx-click: malformed JS command ["add_class",{"names":"x"}] (TypeError: '
         "names must be a list of class names, got 'x'):\n"),
        ("#scope", 'phx-click: malformed JS command ["hide",{"to":{"near":"#b"}}] (ValueError: '
         "expected to= a selector or one of {inner, closest, document: selector}, got "
         "{'near': '#b'}):\n"),
        ("#debounce", 'phx-debounce="soon": expected milliseconds or "blur", got \'soon\'\n'
         '    <button id="debounce" phx-click="go" phx-debounce="soon">debounce</button>'),
    ],
    ids=["json", "shape", "args", "scope", "debounce"],
)  # fmt: skip
def test_js_malformed_chains_fail_saying_where(
    broken: LiveViewClient, selector: str, message: str
) -> None:
    with pytest.raises(AssertionError) as info:
        broken.element(selector).click()
    assert str(info.value).startswith(message)


# -- sticky effects -------------------------------------------------------------------------------


def test_js_effects_survive_server_patches_of_the_element(board: Any) -> None:
    view = board(
        JS().show(to="#modal").add_class("open", to="#modal").remove_class("box", to="#box")
    )
    view.element("#go").click()
    view.element("#inc").click()  # the server patches the modal's class: m0 -> m1
    assert view.frames[-1]["ops"][1] == [1, [1, 1], {"class": "modal m1"}]
    assert view.element("#modal").render() == (
        '<div id="modal" class="modal m1 open" style="display: block"><p id="hello">Hello</p></div>'
    )
    assert view.element("#box").render() == ('<div id="box" title="server 1" data-n="1">box</div>')


def test_js_effects_survive_a_rejoin(board: Any) -> None:
    view = board(JS().show(to="#modal").set_attribute(("aria-busy", "true"), to="#hello"))
    view.element("#go").click()
    view.element("#inc").click()
    view.rejoin()  # a fresh mount renders Count: 0 and the modal hidden again
    assert view.element("#count").render() == '<p id="count">Count: 0</p>'
    assert view.element("#modal").render() == (
        '<div id="modal" class="modal m0" style="display: block">'
        '<p id="hello" aria-busy="true">Hello</p></div>'
    )


def test_js_render_shows_the_effects_and_tree_too(board: Any) -> None:
    view = board(JS().add_class("seen", to="#hello"))
    view.element("#go").click()
    assert '<p id="hello" class="seen">Hello</p>' in view.render()
    assert '<p id="hello" class="seen">Hello</p>' in view.element("#go").click()


class Rows(LiveView):
    """Keyed rows the server reorders and removes, and a conditional panel."""

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(rows=["a", "b", "c"], panel=True)

    def render(self, assigns: Any) -> Any:
        return div(
            ul(
                *[
                    li(row, id=f"row-{row}", phx_click=JS().add_class("picked"), key=row)
                    for row in assigns.rows
                ],
                id="rows",
            ),
            div("panel", id="panel") if assigns.panel else None,
            button("reverse", id="reverse", phx_click="reverse"),
            button("drop", id="drop", phx_click="drop"),
            button("panel", id="toggle-panel", phx_click="panel"),
            button("show", id="show-panel", phx_click=JS().add_class("shown", to="#panel")),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        if event == "reverse":
            socket.assign(rows=socket.assigns.rows[::-1])
        elif event == "drop":
            socket.assign(rows=socket.assigns.rows[1:])
        else:
            socket.assign(panel=not socket.assigns.panel)


def test_js_effects_follow_keyed_moves_and_go_with_removals() -> None:
    with live(serve(Rows), "/") as view:
        view.element("#row-a").click()
        view.element("#reverse").click()
        rows = view.element("#rows").render()
        assert rows.count("<li ") == 3 and rows.count('class="picked"') == 1
        assert [view.has_element(f"#rows > li:nth-child({i}).picked") for i in (1, 2, 3)] == [
            False,
            False,
            True,  # row a moved last and kept its class
        ]
        view.element("#show-panel").click()
        view.element("#toggle-panel").click()  # removed: its state goes with it
        view.element("#toggle-panel").click()  # rendered again: a new element
        assert view.element("#panel").render() == '<div id="panel">panel</div>'


def test_js_identity_rule_id_else_place_with_the_same_tag() -> None:
    """On a rejoin, an element without id takes over the state of the element at its place."""
    with live(serve(Rows), "/") as view:
        view.element("#row-b").click()
        view.element("#show-panel").click()
        view.rejoin()
        assert view.has_element("#row-b.picked") and view.has_element("#panel.shown")
        assert view.element("#rows").render().count('class="picked"') == 1


class Ignored(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(n=0)

    def render(self, assigns: Any) -> Any:
        n = assigns.n
        return div(
            div(
                p(f"first {n}", id="inside"),
                id="island",
                phx_update="ignore",
                class_=f"c{n}",
                data_n=str(n),
            ),
            button("+", id="inc", phx_click="inc", phx_disable_with="Saving…"),
            p(f"n={n}", id="n"),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        socket.assign(n=socket.assigns.n + 1)


def test_phx_update_ignore_keeps_children_and_attributes_but_data() -> None:
    with live(serve(Ignored), "/") as view:
        view.element("#inc").click()  # phx-disable-with: the ack is immediate in-process
        assert view.element("#n").render() == '<p id="n">n=1</p>'
        assert view.element("#island").render() == (
            '<div id="island" phx-update="ignore" class="c0" data-n="1">'
            '<p id="inside">first 0</p></div>'
        )
        view.rejoin()
        view.element("#inc").click()
        assert view.element("#island").render() == (
            '<div id="island" phx-update="ignore" class="c0" data-n="1">'
            '<p id="inside">first 0</p></div>'
        )
        assert view.element("#inc").render() == (
            '<button id="inc" phx-click="inc" phx-disable-with="Saving…">+</button>'
        )


# -- visibility -----------------------------------------------------------------------------------


class Shown(LiveView):
    def render(self, assigns: Any) -> Any:
        return div(
            div(p("in a hidden parent", id="deep"), id="outer", style="color: red; display:none"),
            p("hidden attribute", id="attr", hidden=True),
            p("a class", id="tw", class_="hidden"),
            p("plain", id="plain", style="display: block"),
            button("reveal", id="reveal", phx_click=JS().show(to="#outer").show(to="#attr")),
        )


def test_visibility_as_far_as_the_page_tells() -> None:
    with live(serve(Shown), "/") as view:
        assert view.has_element("p", visible=True)
        assert not view.has_element("#deep", visible=True)
        assert view.has_element("#deep", visible=False)
        assert view.has_element("#deep") and view.has_element("#deep", visible=None)
        assert [view.element(s).visible() for s in ("#deep", "#attr", "#tw", "#plain")] == [
            False,
            False,
            True,  # stylesheets (a utility class named hidden) are not evaluated
            True,
        ]
        view.element("#reveal").click()
        assert view.element("#deep").visible()
        assert (
            view.element("#outer")
            .render()
            .startswith('<div id="outer" style="color: red; display: block">')
        )
        assert not view.element("#attr").visible()  # the hidden attribute still hides it


def test_visibility_in_the_http_render() -> None:
    page = live(serve(Shown), "/", connect=False)
    assert page.has_element("#deep", visible=False)
    assert page.has_element("#plain", visible=True)
    assert page.element("#plain").visible()


# -- click-away -----------------------------------------------------------------------------------


class Dropdown(LiveView):
    def render(self, assigns: Any) -> Any:
        return div(
            div(
                button("menu", id="menu", phx_click="menu"),
                p("item", id="item"),
                id="dropdown",
                phx_click_away=JS().push("away", value={"from": "dropdown"}),
                phx_value_menu="main",
            ),
            div("other", id="closed", style="display: none", phx_click_away="never"),
            button("outside", id="outside", phx_click="outside"),
            p("text", id="text"),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        EVENTS.append((event, params))


@pytest.fixture
def dropdown() -> Iterator[LiveViewClient]:
    with live(serve(Dropdown), "/") as view:
        yield view


def test_click_away_inside_runs_nothing_but_the_click(dropdown: LiveViewClient) -> None:
    dropdown.element("#menu").click()
    assert EVENTS == [("menu", {})]


def test_click_away_outside_runs_before_the_click(dropdown: LiveViewClient) -> None:
    """As in ``client.js`` (and LiveView): the click-aways, then the clicked element's binding."""
    dropdown.element("#outside").click()
    assert EVENTS == [("away", {"menu": "main", "from": "dropdown"}), ("outside", {})]


class Modal(LiveView):
    def render(self, assigns: Any) -> Any:
        return div(
            button("open", id="open", phx_click=JS().show(to="#modal")),
            div("modal", id="modal", style="display: none", phx_click_away=JS().hide()),
        )


def test_click_away_of_what_the_click_shows_does_not_run() -> None:
    """The modal is hidden when the click happens: showing it does not close it again; the next
    click outside does."""
    with live(serve(Modal), "/") as view:
        view.element("#open").click()
        assert view.has_element("#modal", visible=True)
        view.click_away()
        assert view.has_element("#modal", visible=False)


def test_click_away_on_an_element_with_no_phx_click(dropdown: LiveViewClient) -> None:
    dropdown.element("#text").click()  # nothing of its own, but the dropdown hears it
    dropdown.click_away()
    assert EVENTS == [("away", {"menu": "main", "from": "dropdown"})] * 2
    with pytest.raises(AssertionError, match=r"^element\('#item'\) has no phx-click attribute"):
        dropdown.element("#item").click()  # inside the dropdown: nothing at all happens


def test_click_away_skips_hidden_elements(dropdown: LiveViewClient) -> None:
    dropdown.element("#outside").click()
    assert ("never", {}) not in EVENTS


def test_click_away_needs_a_binding_in_the_page(board: Any) -> None:
    view = board(JS())
    with pytest.raises(AssertionError, match=r"^no element has phx-click-away in the page:\n"):
        view.click_away()


# -- window focus and blur ------------------------------------------------------------------------


class Window(LiveView):
    def render(self, assigns: Any) -> Any:
        return div(
            div(id="a", phx_window_focus="back", phx_value_who="a"),
            div(
                id="b", phx_window_focus=JS().push("back").add_class("lit"), phx_window_blur="away"
            ),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        EVENTS.append((event, params))


def test_window_focus_and_blur_run_every_binding() -> None:
    with live(serve(Window), "/") as view:
        view.window_focus()
        view.window_blur()
        assert EVENTS == [("back", {"who": "a"}), ("back", {}), ("away", {})]
        assert view.has_element("#b.lit")


def test_window_focus_without_binding_fails(board: Any) -> None:
    view = board(JS())
    with pytest.raises(AssertionError, match=r"^no element has phx-window-focus in the page:\n"):
        view.window_focus()


# -- lifecycle bindings ---------------------------------------------------------------------------


class Lifecycle(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(extra=False, boom=False)

    def render(self, assigns: Any) -> Any:
        if assigns.boom:
            raise RuntimeError("boom")
        return div(
            p(
                "hi",
                id="greeting",
                phx_mounted=JS().push("mounted", value={"at": "join"}).add_class("ready"),
                phx_value_who="greeting",
            ),
            div("offline", id="offline", style="display: none"),
            div(
                id="status",
                phx_connected=JS().push("connected").hide(to="#offline"),
                phx_disconnected=JS().show(to="#offline").push("never-sent"),
            ),
            div(
                span("inner", id="inner", phx_remove=JS().push("inner-removed")),
                id="extra",
                phx_mounted="extra-mounted",
                phx_remove=JS().push("removed").show(to="#offline"),
            )
            if assigns.extra
            else None,
            p("anonymous", phx_mounted="anonymous-mounted"),
            button("extra", id="toggle", phx_click="toggle"),
            button("boom", id="boom", phx_click="boom"),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        EVENTS.append((event, params))
        if event == "toggle":
            socket.assign(extra=not socket.assigns.extra)
        elif event == "boom":
            socket.assign(boom=True)


@pytest.fixture
def lifecycle() -> Iterator[LiveViewClient]:
    with live(serve(Lifecycle), "/") as view:
        yield view


def test_phx_mounted_and_connected_run_at_join(lifecycle: LiveViewClient) -> None:
    assert EVENTS == [
        ("mounted", {"who": "greeting", "at": "join"}),
        ("anonymous-mounted", {}),
        ("connected", {}),
    ]
    assert lifecycle.has_element("#greeting.ready")


def test_phx_mounted_when_a_patch_adds_and_phx_remove_when_it_removes(
    lifecycle: LiveViewClient,
) -> None:
    EVENTS.clear()
    lifecycle.element("#toggle").click()
    assert EVENTS == [("toggle", {}), ("extra-mounted", {})]
    EVENTS.clear()
    lifecycle.element("#toggle").click()  # the removed element and those in it run phx-remove
    assert EVENTS == [("toggle", {}), ("removed", {}), ("inner-removed", {})]
    assert not lifecycle.has_element("#extra")
    assert lifecycle.element("#offline").visible()


def test_rejoin_runs_connected_and_mounts_only_what_is_new(lifecycle: LiveViewClient) -> None:
    EVENTS.clear()
    lifecycle.rejoin()
    # #greeting has an id and was mounted before; the anonymous paragraph has none
    assert EVENTS == [("anonymous-mounted", {}), ("connected", {})]


def test_phx_disconnected_runs_on_a_crash_and_connected_on_the_rejoin(
    lifecycle: LiveViewClient,
) -> None:
    with pytest.raises(ViewCrashed):
        lifecycle.element("#boom").click()
    assert lifecycle.element("#offline").visible()  # its push went nowhere
    EVENTS.clear()
    lifecycle.rejoin()
    assert EVENTS == [("anonymous-mounted", {}), ("connected", {})]
    assert not lifecycle.element("#offline").visible()


def test_disconnect_runs_phx_disconnected_until_the_rejoin(lifecycle: LiveViewClient) -> None:
    EVENTS.clear()
    lifecycle.disconnect()
    assert lifecycle.element("#offline").visible()
    lifecycle.element("#toggle").click()  # no connection: the event goes nowhere
    assert EVENTS == []
    with pytest.raises(AssertionError) as info:
        lifecycle.send("hello")
    assert str(info.value) == (
        "cannot send 'hello': the view is disconnected (disconnect()); rejoin() first"
    )
    lifecycle.rejoin()
    assert EVENTS == [("anonymous-mounted", {}), ("connected", {})]
    assert not lifecycle.element("#offline").visible()
    lifecycle.element("#toggle").click()
    assert lifecycle.has_element("#extra")


# -- debounce and throttle on the client clock ----------------------------------------------------


class Limits(LiveView):
    def render(self, assigns: Any) -> Any:
        return div(
            form(
                input(name="q", id="q", value="", phx_debounce="300"),
                input(name="email", id="email", value="a@b", phx_debounce="blur"),
                input(name="tag", id="tag", value="", phx_throttle="500"),
                input(name="plain", id="plain", value=""),
                id="f",
                phx_change="validate",
                phx_submit="save",
            ),
            form(input(name="n", id="n"), id="g", phx_change="g", phx_debounce=""),
            form(input(name="z", id="z", phx_debounce="0"), id="h", phx_change="h"),
            button("+", id="inc", phx_click="inc", phx_throttle="1000"),
            button(
                "later",
                id="later",
                phx_click=JS().push("later").add_class("hit"),
                phx_debounce="200",
            ),
            input(id="search", name="search", phx_keyup="search", phx_debounce="100"),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        EVENTS.append((event, params))


@pytest.fixture
def limits() -> Iterator[LiveViewClient]:
    with live(serve(Limits), "/") as view:
        yield view


def change(
    q: str = "", email: str = "a@b", tag: str = "", target: str = "q", used: tuple[str, ...] = ()
) -> tuple[str, Any]:
    """The form's change; the fields neither ``target`` nor in ``used`` carry their marker."""
    fields: dict[str, Any] = {"q": q, "email": email, "tag": tag, "plain": "", "_target": [target]}
    for name in ("q", "email", "tag", "plain"):
        if name != target and name not in used:
            fields[f"_unused_{name}"] = ""
    return ("validate", fields)


def test_debounce_sends_once_the_field_is_quiet(limits: LiveViewClient) -> None:
    for text in "abcdefghij":  # ten quick keystrokes
        limits.form("#f", q=f"x{text}").change()
        limits.advance(100)
    assert EVENTS == []
    limits.advance(199)
    assert EVENTS == []
    limits.advance(1)
    assert EVENTS == [change(q="xj")]
    limits.advance(10_000)
    assert EVENTS == [change(q="xj")]
    assert limits.clock.now == 11_200


def test_debounce_empty_value_is_300_ms_and_zero_is_at_once(limits: LiveViewClient) -> None:
    limits.form("#g", n="1").change()
    limits.advance(299)
    assert EVENTS == []
    limits.advance(1)
    assert EVENTS == [("g", {"n": "1", "_target": ["n"]})]
    limits.form("#h", z="2").change()
    assert EVENTS[-1] == ("h", {"z": "2", "_target": ["z"]})


def test_debounce_pending_change_goes_on_blur(limits: LiveViewClient) -> None:
    limits.form("#f", q="typed").change()
    limits.element("#q").blur()
    assert EVENTS == [change(q="typed")]
    limits.advance(1000)
    assert len(EVENTS) == 1


def test_blur_debounce_sends_on_blur_once_and_only_a_change(limits: LiveViewClient) -> None:
    limits.form("#f", email="x@y", q="").change("email")
    limits.form("#f", email="ann@y").change("email")
    limits.advance(5000)
    assert EVENTS == []
    limits.element("#email").blur()
    assert EVENTS == [change(email="ann@y", target="email", used=("q",))]
    limits.element("#email").blur()  # nothing pending
    limits.form("#f", email="ann@y").change("email")
    limits.element("#email").blur()  # the value is what was sent last
    assert len(EVENTS) == 1
    limits.form("#f", email="a@b").change("email")
    limits.element("#email").blur()  # back to the rendered value: a change from the last sent
    assert EVENTS[-1] == change(email="a@b", target="email", used=("q",))


def test_blur_debounce_unchanged_from_the_render_sends_nothing(limits: LiveViewClient) -> None:
    limits.form("#f", email="a@b").change("email")
    limits.element("#email").blur()
    assert EVENTS == []


def test_submit_sends_the_pending_debounced_changes_first(limits: LiveViewClient) -> None:
    limits.form("#f", email="new@y").change("email")
    limits.form("#f", q="query").change()
    limits.form("#f").submit()
    assert EVENTS == [  # each change carries the form as it is when it goes (see docs/testing.md)
        change(q="query", email="new@y", target="email", used=("q",)),
        change(q="query", email="new@y", target="q", used=("email",)),
        ("save", {"q": "query", "email": "new@y", "tag": "", "plain": ""}),
    ]
    limits.advance(1000)
    limits.element("#email").blur()
    assert len(EVENTS) == 3


def test_throttle_click_is_leading_edge_only(limits: LiveViewClient) -> None:
    for _ in range(5):
        limits.element("#inc").click()
        limits.advance(100)
    assert EVENTS == [("inc", {})]
    limits.advance(1000)
    assert EVENTS == [("inc", {})]
    limits.element("#inc").click()
    assert EVENTS == [("inc", {})] * 2


def test_throttle_input_sends_the_first_and_the_last_value(limits: LiveViewClient) -> None:
    for text in ("a", "ab", "abc"):
        limits.form("#f", tag=text).change()
        limits.advance(100)
    assert EVENTS == [change(tag="a", target="tag")]
    limits.advance(200)  # the interval ends: the last value goes, and a new interval opens
    assert EVENTS == [change(tag="a", target="tag"), change(tag="abc", target="tag")]
    limits.advance(500)
    limits.form("#f", tag="abcd").change()
    assert EVENTS[-1] == change(tag="abcd", target="tag") and len(EVENTS) == 3


def test_debounce_a_js_click_and_a_key(limits: LiveViewClient) -> None:
    limits.element("#later").click()
    limits.element("#later").click()
    assert not limits.has_element("#later.hit")  # the whole chain waits, not only the push
    limits.element("#search").keyup("a")
    limits.advance(100)
    assert EVENTS == [("search", {"key": "a", "value": ""})]
    limits.advance(100)
    assert EVENTS[-1] == ("later", {}) and limits.has_element("#later.hit")


def test_sleep_moves_the_client_clock_too(limits: LiveViewClient) -> None:
    limits.form("#f", q="slept").change()
    limits.sleep(20)
    assert EVENTS == []
    before = limits.clock.now
    limits.advance(280)
    assert EVENTS == [change(q="slept")]
    assert before == 20


def test_a_field_without_limits_sends_at_once(limits: LiveViewClient) -> None:
    limits.form("#f", plain="p").change()
    assert EVENTS == [
        (
            "validate",
            {
                **{"_unused_q": "", "q": "", "_unused_email": "", "email": "a@b"},
                **{"_unused_tag": "", "tag": "", "plain": "p", "_target": ["plain"]},
            },
        )
    ]


def test_blur_needs_a_binding_or_a_rate_limit(limits: LiveViewClient) -> None:
    with pytest.raises(AssertionError) as info:
        limits.element("#plain").blur()
    assert str(info.value) == (
        "element('#plain') has no phx-blur attribute, so a blur sends nothing:\n"
        '    <input name="plain" id="plain" value="">'
    )
    limits.element("#q").blur()  # debounced: leaving it is meaningful, even with nothing pending
    assert EVENTS == []


# -- chains in form and key bindings --------------------------------------------------------------


class Forms(LiveView):
    def render(self, assigns: Any) -> Any:
        return div(
            form(
                input(name="q", id="q", value="a"),
                input(name="own", id="own", value="o", phx_change=JS().push("own", value={"x": 1})),
                button("go", id="submit", name="action", value="go"),
                id="f",
                phx_change=JS().push("validate", value={"extra": True}).add_class("dirty"),
                phx_submit=JS().push("save", value={"id": 7}).add_class("sent"),
                phx_target="#echo",
            ),
            input(id="keys", phx_keydown=JS().push("key", value={"n": [1, 2]}), phx_value_k="v"),
            button("type", id="type", phx_click=JS().dispatch("input", to="#q")),
            button("send", id="send", phx_click=JS().dispatch("submit", to="#f")),
            button("quiet", id="quiet", phx_click=JS().dispatch("input", to="#q", bubbles=False)),
            live_component(Echo, id="echo"),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        EVENTS.append((event, params))


@pytest.fixture
def forms() -> Iterator[LiveViewClient]:
    with live(serve(Forms), "/") as view:
        yield view


def test_js_in_phx_change_pushes_the_form_with_value_appended(forms: LiveViewClient) -> None:
    forms.form("#f", q="typed").change()
    assert EVENTS == [
        (
            "echo:validate",
            {"q": "typed", "_unused_own": "", "own": "o", "extra": "true", "_target": ["q"]},
        )
    ]
    assert forms.element("#f").render().startswith('<form id="f" phx-change=')
    assert forms.has_element("#f.dirty")


def test_js_in_a_controls_own_phx_change_sends_its_value_where_the_form_targets(
    forms: LiveViewClient,
) -> None:
    forms.form("#f", own="mine").change()
    assert EVENTS == [("echo:own", {"own": "mine", "x": "1", "_target": ["own"]})]


def test_js_in_phx_submit_pushes_the_fields_and_the_submitter(forms: LiveViewClient) -> None:
    forms.form("#f").submit("#submit")
    assert EVENTS == [("echo:save", {"q": "a", "own": "o", "action": "go", "id": "7"})]
    assert forms.has_element("#f.sent")


def test_js_in_a_key_binding_pushes_the_key(forms: LiveViewClient) -> None:
    forms.element("#keys").keydown("Enter")
    assert EVENTS == [("key", {"key": "Enter", "k": "v", "value": "", "n": [1, 2]})]


def test_js_dispatched_input_and_submit_reach_the_form_bindings(forms: LiveViewClient) -> None:
    forms.element("#type").click()
    assert EVENTS == [  # the dispatched input event uses #q; #own is not used yet
        (
            "echo:validate",
            {"q": "a", "_unused_own": "", "own": "o", "extra": "true", "_target": ["q"]},
        )
    ]
    forms.element("#quiet").click()  # a dispatched event that does not bubble reaches no binding
    assert len(EVENTS) == 1
    forms.element("#send").click()
    assert EVENTS[1:] == [("echo:save", {"q": "a", "own": "o", "id": "7"})]
    assert forms.assert_dispatched("input", to="#q") == {}
    assert forms.assert_dispatched("input", to="#q") == {}
    assert forms.assert_dispatched("submit", to="form") == {}


# -- focus, window keys, the public names ---------------------------------------------------------


class Keys(LiveView):
    def render(self, assigns: Any) -> Any:
        return div(
            div(
                "modal",
                id="modal",
                phx_window_keydown=JS().hide().push("closed"),
                phx_key="escape",
            ),
            div(id="game", phx_window_keyup="key", phx_throttle="100"),
            input(id="name", name="name", phx_focus="focused", phx_blur=JS().push("left")),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        EVENTS.append((event, params))


def test_window_key_chains_and_throttle() -> None:
    with live(serve(Keys), "/") as view:
        view.keydown("a")
        view.keydown("Escape")
        assert EVENTS == [("closed", {"key": "Escape"})]
        assert not view.element("#modal").visible()
        for key in "wasd":
            view.keyup(key)
        view.advance(100)
        view.keyup("w")
        assert EVENTS[1:] == [("key", {"key": "w"}), ("key", {"key": "w"})]


def test_element_focus_and_blur_move_the_focus() -> None:
    with live(serve(Keys), "/") as view:
        view.element("#name").focus()
        focused = view.focused()
        assert focused is not None and focused.selector == "#name"
        view.element("#name").blur()
        assert view.focused() is None
        assert EVENTS == [("focused", {"value": ""}), ("left", {"value": ""})]


def test_pylive_testing_exports_the_records() -> None:
    assert testing.Dispatched is Dispatched and testing.Navigation is Navigation
    assert testing.JSCommandError is JSCommandError
    assert {"Dispatched", "JSCommandError", "Navigation"} <= set(testing.__all__)


class Focus(LiveView):
    def render(self, assigns: Any) -> Any:
        return div(
            form(
                input(id="a", name="a", value="", phx_debounce="blur", phx_blur="left-a"),
                input(id="b", name="b", phx_focus="at-b"),
                id="f",
                phx_change="changed",
            ),
            button("next", id="next", phx_click=JS().focus(to="#b")),
            button("back", id="back", phx_click=JS().push_focus(to="#a").pop_focus()),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        EVENTS.append((event, {k: v for k, v in params.items() if k != "_target"}))


def test_focus_moves_blur_the_element_that_had_it() -> None:
    with live(serve(Focus), "/") as view:
        view.element("#a").focus()  # no phx-focus on #a, but a user can focus it
        assert EVENTS == []
        with pytest.raises(AssertionError, match=r"^element\('#f'\) has no phx-focus attribute"):
            view.element("#f").focus()  # a form takes no focus
    with live(serve(Focus), "/") as view:
        view.element("#b").focus()
        view.form("#f", a="typed").change("a")
        view.element("#back").click()  # JS focus to #a: #b loses it first (no phx-blur there)
        view.element("#next").click()  # #a loses it: its blur-debounced change, its phx-blur
        assert EVENTS == [
            ("at-b", {"value": ""}),
            ("changed", {"a": "typed", "b": ""}),
            ("left-a", {"value": "typed"}),  # #a holds what was typed into it
            ("at-b", {"value": ""}),
        ]
        focused = view.focused()
        assert focused is not None and focused.selector == "#b"
