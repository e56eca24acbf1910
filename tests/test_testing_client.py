"""``pylive.testing``: the in-process test client, its queries, events, forms and messages."""

from __future__ import annotations

import asyncio
import gc
import re
from typing import Any

import pytest

from pylive.app import App
from pylive.html import (
    button,
    div,
    fieldset,
    form,
    input,
    label,
    li,
    option,
    p,
    select,
    span,
    textarea,
    ul,
)
from pylive.node import Tree
from pylive.socket import Socket
from pylive.testing import LiveViewClient, Redirected, StaticRender, ViewCrashed
from pylive.testing import live as open_live
from pylive.testing.plugin import LiveFactory
from pylive.view import LiveView

FLASH = '<div id="flash-group"></div>'


class Counter(LiveView):
    """The issue's counter, plus what the client tests poke at."""

    events: list[tuple[str, dict[str, Any]]] = []
    terminated: list[str] = []

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(count=0, user=session.get("user", "nobody"))

    def render(self, assigns: Any) -> Tree:
        return div(
            p(f"Count: {assigns.count}", id="count"),
            button("+2", id="inc", phx_click="inc", phx_value_by=2, phx_value_userId="u1"),
            button(span("-1", id="dec-label"), id="dec", phx_click="dec"),
            ul(
                li("apple", class_="fruit", phx_click="pick", phx_value_name="apple"),
                li("banana", class_="fruit", phx_click="pick", phx_value_name="banana"),
            ),
            input(id="search", name="q", value="x", phx_keyup="search", phx_key="Enter"),
            input(id="name", name="name", phx_focus="focused", phx_blur="blurred"),
            div(id="keys", phx_window_keydown="key", phx_key="escape"),
            div(id="anykey", phx_window_keyup="up"),
            p(f"user={assigns.user}", id="user"),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> Any:
        self.events.append((event, params))
        if event == "inc":
            socket.update("count", lambda n: n + int(params["by"]))
        elif event == "dec":
            socket.update("count", lambda n: n - 1)
        elif event == "redirect":
            socket.redirect("/elsewhere")
        return None

    def handle_info(self, msg: Any, socket: Socket) -> None:
        socket.assign(count=msg)

    def terminate(self, reason: str, socket: Socket) -> None:
        self.terminated.append(reason)


@pytest.fixture
def events(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    log: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(Counter, "events", log)
    return log


@pytest.fixture
def app() -> App:
    app = App()
    app.live("/", Counter)
    return app


@pytest.fixture
def view(app: App) -> Any:
    with open_live(app, "/") as view:
        yield view


# -- joining --------------------------------------------------------------------------------------


@pytest.mark.parametrize("connect", [False, True], ids=["http", "live"])
def test_live_renders_the_counter_over_http_and_live(app: App, connect: bool) -> None:
    page = open_live(app, "/", connect=connect, session={"user": "ann"})
    try:
        assert page.element("#count").render() == '<p id="count">Count: 0</p>'
        assert page.element("#user").render() == '<p id="user">user=ann</p>'
        assert page.has_element("li.fruit", text="banana")
        assert not page.has_element("li.fruit", text="cherry")
        assert page.render().startswith(FLASH + '<div><p id="count">Count: 0</p>')
    finally:
        if isinstance(page, LiveViewClient):
            page.close()


class Guarded(LiveView):
    """Redirects to the login page from mount (no user) or handle_params (no ``?ok``)."""

    calls: list[str] = []

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        self.calls.append(f"mount connected={socket.connected}")
        if not session.get("user_id") or (socket.connected and session.get("stale")):
            socket.redirect("/login")

    def handle_params(self, params: dict[str, Any], uri: str, socket: Socket) -> None:
        self.calls.append(f"handle_params {uri}")
        if "ok" not in params:
            socket.redirect("/login?from=params")

    def render(self, assigns: Any) -> Tree:
        self.calls.append("render")
        return p("the protected page")

    def terminate(self, reason: str, socket: Socket) -> None:
        self.calls.append(f"terminate {reason}")


@pytest.fixture
def guarded(monkeypatch: pytest.MonkeyPatch) -> tuple[App, list[str]]:
    calls: list[str] = []
    monkeypatch.setattr(Guarded, "calls", calls)
    app = App()
    app.live("/admin", Guarded)
    return app, calls


@pytest.mark.parametrize("connect", [False, True], ids=["http", "live"])
def test_redirect_from_mount_raises_redirected(
    guarded: tuple[App, list[str]], connect: bool
) -> None:
    app, calls = guarded
    with pytest.raises(Redirected) as info:
        open_live(app, "/admin?ok", connect=connect)
    assert (info.value.to, info.value.url, info.value.connected) == (
        "/login",
        "http://testserver/admin?ok",
        False,
    )
    assert str(info.value) == (
        "live(app, '/admin?ok') was redirected to '/login' by mount or handle_params during "
        "the HTTP render"
    )
    assert calls == ["mount connected=False"]  # halted: no handle_params, no render


def test_redirect_from_handle_params_raises_redirected(guarded: tuple[App, list[str]]) -> None:
    app, calls = guarded
    with pytest.raises(Redirected) as info:
        open_live(app, "/admin", session={"user_id": 1})
    assert info.value.to == "/login?from=params"
    assert calls == ["mount connected=False", "handle_params http://testserver/admin"]


def test_redirect_from_connected_mount_raises_redirected_with_no_tree(
    guarded: tuple[App, list[str]],
) -> None:
    app, calls = guarded
    with pytest.raises(Redirected) as info:
        open_live(app, "/admin?ok", session={"user_id": 1, "stale": True})
    assert (info.value.to, info.value.connected) == ("/login", True)
    assert calls == [
        "mount connected=False",
        "handle_params http://testserver/admin?ok",
        "render",
        "mount connected=True",
        "terminate redirect",
    ]


def test_handle_params_uri_absolute_in_test_client(guarded: tuple[App, list[str]]) -> None:
    app, calls = guarded
    with open_live(app, "/admin?ok&sort=price", session={"user_id": 1}):
        pass
    uri = "http://testserver/admin?ok&sort=price"
    assert [call for call in calls if call.startswith("handle_params")] == [
        f"handle_params {uri}",
        f"handle_params {uri}",
    ]
    with open_live(app, "/admin?ok", session={"user_id": 1}, base_url="https://example.org"):
        pass
    assert calls[-3] == "handle_params https://example.org/admin?ok"


def test_query_string_values_kept_in_test_client() -> None:
    seen: list[dict[str, Any]] = []

    class Params(LiveView):
        def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
            seen.append(params)

        def render(self, assigns: Any) -> Tree:
            return p("ok")

    app = App()
    app.live("/items/{id}", Params)
    with open_live(app, "/items/7?user[name]=x&tags[]=a&tags[]=b&id=9"):
        pass
    expected = {"user": {"name": "x"}, "tags": ["a", "b"], "id": "7"}  # the path wins
    assert seen == [expected, expected]


def test_live_unknown_path_raises_lookup_error(app: App) -> None:
    with pytest.raises(LookupError) as info:
        open_live(app, "/missing")
    assert str(info.value) == "no live route matches '/missing' (routes: '/')"


def test_live_refused_join_shows_the_frame() -> None:
    app = App(token_max_age=-1)  # every token is already expired
    app.live("/", Counter)
    with pytest.raises(AssertionError) as info:
        open_live(app, "/")
    assert str(info.value) == (
        "the join was refused: {'ref': 0, 'type': 'error', 'reason': 'stale', "
        "'detail': 'expired join token'}"
    )


def test_live_static_render_has_no_events(app: App) -> None:
    page = open_live(app, "/", connect=False)
    assert isinstance(page, StaticRender)
    assert page.html == page.render()
    assert page.title is None
    with pytest.raises(AssertionError) as info:
        page.element("#inc").click()
    assert str(info.value) == (
        "cannot click element('#inc'): this page was rendered with live(..., connect=False), "
        "so there is no live view to send events to"
    )


def test_live_tree_is_what_the_server_sent(view: LiveViewClient) -> None:
    assert view.frames[0]["tree"][0] == ["div", {"id": "flash-group"}]
    view.element("#inc").click()
    assert view.frames[-1] == {"ref": 1, "ops": [[0, [1, 0, 0], "Count: 2"]]}
    tree = view.tree
    assert tree.children[1].children[0].children == ["Count: 2"]  # type: ignore[union-attr]


# -- elements -------------------------------------------------------------------------------------


def test_element_click_sends_phx_value_attributes(view: LiveViewClient, events: list[Any]) -> None:
    html = view.element("button#inc").click()
    assert events == [("inc", {"by": "2", "userid": "u1"})]
    assert view.element("#count").render() == '<p id="count">Count: 2</p>'
    assert html == view.render()


def test_element_click_value_merged_over_the_attributes(
    view: LiveViewClient, events: list[Any]
) -> None:
    view.element("#inc").click({"by": "5", "extra": 1})
    assert events == [("inc", {"by": "5", "userid": "u1", "extra": 1})]
    assert view.element("#count").render() == '<p id="count">Count: 5</p>'


def test_element_text_filter_with_str_and_regex(view: LiveViewClient, events: list[Any]) -> None:
    view.element("li.fruit", text="banana").click()
    view.element("li", text=re.compile(r"^app")).click()
    assert events == [("pick", {"name": "banana"}), ("pick", {"name": "apple"})]


def test_element_without_binding_fails_naming_the_ancestor(view: LiveViewClient) -> None:
    with pytest.raises(AssertionError) as info:
        view.element("#dec-label").click()
    assert str(info.value) == (
        "element('#dec-label') has no phx-click attribute, so a click sends nothing:\n"
        '    <span id="dec-label">-1</span>\n'
        "an ancestor has phx-click='dec'; select it instead:\n"
        '    <button id="dec" phx-click="dec">\n'
        '      <span id="dec-label">-1</span>\n'
        "    </button>"
    )


def test_element_matching_nothing_shows_the_page(view: LiveViewClient) -> None:
    with pytest.raises(AssertionError) as info:
        view.element("#nope").click()
    message = str(info.value)
    assert message.startswith(
        "no element matches '#nope' in the page:\n"
        '    <div id="flash-group"></div>\n'
        "    <div>\n"
        '      <p id="count">Count: 0</p>\n'
    )


def test_element_text_not_found_shows_the_candidates(view: LiveViewClient) -> None:
    with pytest.raises(AssertionError) as info:
        view.element("li.fruit", text="cherry").render()
    assert str(info.value) == (
        "no element matches 'li.fruit' with text 'cherry'; these match 'li.fruit' but not the "
        "text:\n"
        '    <li class="fruit" phx-click="pick" phx-value-name="apple">apple</li>\n'
        '    <li class="fruit" phx-click="pick" phx-value-name="banana">banana</li>'
    )


def test_element_matching_several_lists_them(view: LiveViewClient) -> None:
    with pytest.raises(AssertionError) as info:
        view.element("li").click()
    assert str(info.value) == (
        "2 elements match 'li', expected exactly one (narrow the selector or pass text=...):\n"
        '    <li class="fruit" phx-click="pick" phx-value-name="apple">apple</li>\n'
        '    <li class="fruit" phx-click="pick" phx-value-name="banana">banana</li>'
    )


def test_element_invalid_selector_raises_value_error(view: LiveViewClient) -> None:
    with pytest.raises(ValueError, match=r"^invalid CSS selector '#\[': "):
        view.has_element("#[")


def test_element_keyup_respects_phx_key(view: LiveViewClient, events: list[Any]) -> None:
    view.element("#search").keyup("a")
    view.element("#search").keyup("ENTER")
    assert events == [("search", {"value": "x", "key": "ENTER"})]


def test_element_focus_and_blur(view: LiveViewClient, events: list[Any]) -> None:
    view.element("#name").focus()
    view.element("#name").blur()
    assert events == [("focused", {"value": ""}), ("blurred", {"value": ""})]


# -- window keys ----------------------------------------------------------------------------------


def test_window_keydown_matches_phx_key_case_insensitively(
    view: LiveViewClient, events: list[Any]
) -> None:
    view.keydown("a")
    view.keydown("Escape")
    view.keyup("q")
    assert events == [("key", {"key": "Escape"}), ("up", {"key": "q"})]


def test_window_key_without_binding_fails(app: App) -> None:
    bare = App()

    class Bare(LiveView):
        def render(self, assigns: Any) -> Tree:
            return p("no keys")

    bare.live("/", Bare)
    with open_live(bare, "/") as view, pytest.raises(AssertionError) as info:
        view.keydown("a")
    assert str(info.value) == (
        "no element has phx-window-keydown in the page:\n"
        '    <div id="flash-group"></div>\n'
        "    <p>no keys</p>"
    )


# -- forms ----------------------------------------------------------------------------------------


class Signup(LiveView):
    events: list[tuple[str, dict[str, Any]]] = []

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(email="", error="")

    def render(self, assigns: Any) -> Tree:
        return div(
            form(
                input(name="user[email]", value=assigns.email),
                input(type="hidden", name="user[terms]", value="false"),
                input(type="checkbox", name="user[terms]", value="true"),
                input(type="radio", name="user[plan]", value="free", checked=True),
                input(type="radio", name="user[plan]", value="pro"),
                select(
                    option("Red", value="r"),
                    option("Green", value="g", selected=True),
                    name="user[color]",
                ),
                select(
                    option("a", selected=True),
                    option("b"),
                    option("c", selected=True),
                    name="user[tags][]",
                    multiple=True,
                ),
                textarea("hello", name="user[bio]"),
                input(name="user[nick]", phx_change="nick"),
                input(name="skip", disabled=True, value="no"),
                fieldset(input(name="off", value="no"), disabled=True),
                label("no name", input(value="unnamed")),
                button("Save", name="action", value="save", id="save"),
                button("Draft", name="action", value="draft", id="draft"),
                button("Plain", type="button", id="plain"),
                id="signup",
                phx_change="validate",
                phx_submit="save",
            ),
            form(input(name="x"), id="inert"),
            p(assigns.error, id="error"),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        self.events.append((event, params))
        if event == "validate":
            email = params["user"]["email"]
            socket.assign(email=email, error="" if "@" in email else "invalid email")


@pytest.fixture
def signup(monkeypatch: pytest.MonkeyPatch) -> Any:
    log: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(Signup, "events", log)
    app = App()
    app.live("/", Signup)
    with open_live(app, "/") as view:
        yield view, log


BASE = [
    ["user[email]", ""],
    ["user[terms]", "false"],
    ["user[plan]", "free"],
    ["user[color]", "g"],
    ["user[tags][]", "a"],
    ["user[tags][]", "c"],
    ["user[bio]", "hello"],
    ["user[nick]", ""],
]


def test_form_serializes_like_the_browser(signup: Any) -> None:
    view, _ = signup
    assert view.form("#signup").data() == BASE


def test_form_change_sends_nested_params_and_target(signup: Any) -> None:
    view, events = signup
    view.form("#signup", user={"email": "ann"}).change()
    assert view.frames[-1]["ops"] == [
        [1, [1, 0, 0], {"value": "ann"}],
        [2, [1, 2], 0, "invalid email"],
    ]
    assert view.element("#error").render() == '<p id="error">invalid email</p>'
    assert events == [
        (
            "validate",
            {
                "user": {  # the fields not used yet carry their marker (docs/testing.md)
                    "email": "ann",
                    **{"_unused_terms": "", "terms": "false", "_unused_plan": "", "plan": "free"},
                    **{"_unused_color": "", "color": "g", "_unused_tags": "", "tags": ["a", "c"]},
                    **{"_unused_bio": "", "bio": "hello", "_unused_nick": "", "nick": ""},
                },
                "_target": ["user", "email"],
            },
        )
    ]
    view.form("#signup", user={"email": "ann@example.com"}).change()
    assert view.element("#error").render() == '<p id="error"></p>'


def test_form_overlay_checkbox_radio_select_and_lists(signup: Any) -> None:
    view, _ = signup
    values = {
        "terms": True,
        "plan": "pro",
        "color": "r",
        "tags": ["b"],
        "bio": "new\nlines",
    }
    assert view.form("#signup", user=values).data() == [
        ["user[email]", ""],
        ["user[terms]", "false"],
        ["user[terms]", "true"],
        ["user[plan]", "pro"],
        ["user[color]", "r"],
        ["user[tags][]", "b"],
        ["user[bio]", "new\nlines"],
        ["user[nick]", ""],
    ]


def test_form_submit_with_and_without_submitter(signup: Any) -> None:
    view, events = signup
    view.form("#signup", user={"email": "a@b"}).submit()
    view.form("#signup").submit(submitter="#draft")
    assert events[0] == (
        "save",
        {
            "user": {
                "email": "a@b",
                "terms": "false",
                "plan": "free",
                "color": "g",
                "tags": ["a", "c"],
                "bio": "hello",
                "nick": "",
            }
        },
    )
    assert events[1][1]["action"] == "draft"
    assert "_target" not in events[1][1]


def test_form_field_with_its_own_phx_change_sends_only_itself(signup: Any) -> None:
    view, events = signup
    view.form("#signup", user={"nick": "zed"}).change()
    assert events == [("nick", {"user": {"nick": "zed"}, "_target": ["user", "nick"]})]


def test_form_unknown_field_fails_listing_the_fields(signup: Any) -> None:
    view, _ = signup
    with pytest.raises(AssertionError) as info:
        view.form("#signup", user={"emial": "x"}).change()
    message = str(info.value)
    assert message.startswith(
        "form('#signup'): the form has no field named 'user[emial]' (its fields: "
        "'user[email]', 'user[terms]', 'user[plan]', 'user[color]', 'user[tags][]', "
        "'user[bio]', 'user[nick]', 'action'):\n"
        '    <form id="signup" phx-change="validate" phx-submit="save">\n'
    )


def test_form_disabled_fields_cannot_be_set(signup: Any) -> None:
    view, _ = signup
    with pytest.raises(AssertionError, match=r"no field named 'skip'"):
        view.form("#signup", skip="yes").data()
    with pytest.raises(AssertionError, match=r"no field named 'off'"):
        view.form("#signup", off="yes").data()


def test_form_invalid_choices_fail(signup: Any) -> None:
    view, _ = signup
    with pytest.raises(AssertionError) as info:
        view.form("#signup", user={"color": "blue"}).data()
    assert str(info.value).startswith(
        "form('#signup'): form field 'user[color]': 'blue' is not an option of the select "
        "(options: ['r', 'g']):\n"
    )
    with pytest.raises(AssertionError, match=r"expected one of \['free', 'pro'\], got 'gold'"):
        view.form("#signup", user={"plan": "gold"}).data()
    with pytest.raises(AssertionError, match=r"no checkbox with value 'yes'"):
        view.form("#signup", user={"terms": "yes"}).data()


def test_form_without_bindings_or_not_a_form_fails(signup: Any) -> None:
    view, _ = signup
    with pytest.raises(AssertionError) as info:
        view.form("#inert", x="1").submit()
    assert str(info.value) == (
        "form('#inert') has no phx-submit attribute:\n"
        '    <form id="inert">\n'
        '      <input name="x">\n'
        "    </form>"
    )
    with pytest.raises(AssertionError, match=r"^form\('#inert'\) has no phx-change attribute"):
        view.form("#inert", x="1").change()
    with pytest.raises(AssertionError, match=r"^form\('#error'\) is a <p>, not a <form>"):
        view.form("#error").data()
    with pytest.raises(AssertionError, match=r"submitter '#plain' is not a submit button"):
        view.form("#signup").submit(submitter="#plain")


# -- messages, timers, pushes, replies ------------------------------------------------------------


def test_send_delivers_to_handle_info(view: LiveViewClient) -> None:
    assert view.send(41) == view.render()
    assert view.element("#count").render() == '<p id="count">Count: 41</p>'
    assert view.frames[-1] == {"type": "patch", "ops": [[0, [1, 0, 0], "Count: 41"]]}


class Pusher(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(n=0)
        if "timer" in params:
            socket.send_after("later", 1)

    def render(self, assigns: Any) -> Tree:
        return div(p(str(assigns.n), id="n"), button(id="go", phx_click="go"))

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> Any:
        socket.push_event("saved", {"n": 1})
        socket.push_event("saved", {"n": 2})
        socket.send_self("soon")
        return {"ok": True}

    def handle_info(self, msg: Any, socket: Socket) -> None:
        if msg == "crash":
            raise KeyError("crash")
        socket.update("n", lambda n: n + 1)
        if msg == "later":
            socket.push_event("timer", {})


@pytest.fixture
def pusher() -> Any:
    app = App()
    app.live("/", Pusher)
    with open_live(app, "/") as view:
        yield view


def test_sleep_runs_timers() -> None:
    app = App()
    app.live("/", Pusher)
    with open_live(app, "/?timer") as pusher:
        pusher.sleep(30)
        assert pusher.element("#n").render() == '<p id="n">1</p>'
        pusher.assert_push_event("timer", {})


def test_send_self_is_processed_before_the_call_returns(pusher: LiveViewClient) -> None:
    pusher.element("#go").click()
    assert pusher.last_reply == {"ok": True}
    assert pusher.element("#n").render() == '<p id="n">1</p>'


def test_assert_push_event_consumes_in_order_and_lists_on_failure(
    pusher: LiveViewClient,
) -> None:
    pusher.element("#go").click()
    assert pusher.assert_push_event("saved") == {"n": 1}
    pusher.assert_push_event("saved", {"n": 2})
    pusher.element("#go").click()
    with pytest.raises(AssertionError) as info:
        pusher.assert_push_event("saved", {"n": 3})
    assert str(info.value) == (
        "no pushed event saved {'n': 3}; pushed and not yet asserted:\n"
        "    saved {'n': 1}\n"
        "    saved {'n': 2}"
    )


def test_crash_in_handle_info_fails_the_call_with_its_cause(pusher: LiveViewClient) -> None:
    with pytest.raises(ViewCrashed) as info:
        pusher.send("crash")
    assert repr(info.value.__cause__) == "KeyError('crash')"
    assert str(info.value).startswith(
        "live view Pusher crashed in handle_info; it will be remounted\n    KeyError: 'crash'\n"
    )
    with pytest.raises(AssertionError) as refused:
        pusher.element("#go").click()
    assert str(refused.value) == (
        "the server refused {'type': 'event', 'ref': 1, 'kind': 'click', 'event': 'go', "
        "'value': {}}: no live view joined on this connection"
    )


def test_redirect_recorded(view: LiveViewClient) -> None:
    view._event("click", "redirect", {})
    view.assert_redirect("/elsewhere")
    with pytest.raises(AssertionError, match=r"^expected a redirect to '/x', got '/elsewhere'$"):
        view.assert_redirect("/x")


# -- closing and the pytest fixture ---------------------------------------------------------------


def test_close_terminates_once_and_refuses_more_calls(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminated: list[str] = []
    monkeypatch.setattr(Counter, "terminated", terminated)
    view = open_live(app, "/")
    view.close()
    view.close()
    assert terminated == ["closed"]
    assert view.render().startswith(FLASH)  # the last page stays readable
    with pytest.raises(AssertionError, match=r"^<LiveViewClient http://testserver/ closed> is"):
        view.element("#inc").click()


def test_live_fixture_closes_its_views(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    terminated: list[str] = []
    monkeypatch.setattr(Counter, "terminated", terminated)
    factory = LiveFactory()
    first, second = factory(app, "/"), factory(app, "/")
    static = factory(app, "/", connect=False)
    assert isinstance(static, StaticRender)
    first.element("#inc").click()
    factory.close()
    assert terminated == ["closed", "closed"]
    assert first.closed and second.closed


def test_live_fixture_is_registered(live: LiveFactory, app: App) -> None:
    view = live(app, "/")
    assert view.element("#inc").click().startswith(FLASH + '<div><p id="count">Count: 2</p>')


# Event payloads, targets and form serialisation, as client.js builds them: the shared vectors
# of tests/test_browser_rules.py (tests/vectors/browser_rules.json, also run by client.js).


class CrashOnConnect(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        if socket.connected:
            raise ValueError("no database")

    def render(self, assigns: Any) -> Tree:
        return p("hi")


def test_live_crash_in_connected_mount_raises_view_crashed() -> None:
    app = App()
    app.live("/", CrashOnConnect)
    with pytest.raises(ViewCrashed) as info:
        open_live(app, "/")
    assert repr(info.value.__cause__) == "ValueError('no database')"
    assert info.value.frame == {"type": "error", "reason": "crash", "ref": 0}
    assert open_live(app, "/", connect=False).html == FLASH + "<p>hi</p>"


def test_live_inside_a_running_loop_refused(app: App) -> None:
    async def inside() -> None:
        open_live(app, "/")

    with pytest.raises(RuntimeError) as info:
        asyncio.run(inside(), debug=False)
    assert re.fullmatch(
        r"live\('/'\) is synchronous and runs its own event loop, but it was called from inside "
        r"a running asyncio task \('Task-\d+': an `async def` test, or code run by another event "
        r"loop\); call it from a plain `def` test",
        str(info.value),
    )


def test_live_view_left_open_is_closed_when_collected(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminated: list[str] = []
    monkeypatch.setattr(Counter, "terminated", terminated)
    view = open_live(app, "/")
    del view
    gc.collect()
    assert terminated == ["closed"]


def test_a_flash_brought_by_a_redirect_shows_on_both_renders() -> None:
    class Home(LiveView):
        def render(self, assigns: Any) -> Tree:
            return p("home", id="home")

    app = App(secret_key="a test secret, long enough")
    app.live("/", Home)
    static = open_live(app, "/", flash={"info": "Logged in"}, connect=False)
    assert 'class="flash flash-info"' in static.html and "Logged in" in static.html
    with open_live(app, "/", flash={"info": "Logged in"}) as view:
        assert view.element("#flash-group").render().count("Logged in") == 1
