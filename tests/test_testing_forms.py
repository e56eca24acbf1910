"""The test client's side of forms (issue 14, contract §1–4): used markers, the submit's ack
resetting the form to the server's values, ``phx-trigger-action`` and form recovery on rejoin."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pylive.app import App
from pylive.assigns import Assigns
from pylive.html import button, div, form, input, li, option, select, textarea, ul
from pylive.live_component import ComponentSocket, LiveComponent, live_component
from pylive.node import Tree
from pylive.socket import Socket
from pylive.testing import LiveViewClient, live
from pylive.view import LiveView

EVENTS: list[tuple[str, Any]] = []


@pytest.fixture(autouse=True)
def _clear() -> Iterator[None]:
    EVENTS.clear()
    yield
    EVENTS.clear()


def serve(view: type[LiveView]) -> App:
    app = App(layout=lambda content, assigns: content)
    app.live("/", view)
    return app


# -- §1 used markers ------------------------------------------------------------------------------


class Signup(LiveView):
    def render(self, assigns: Assigns) -> Tree:
        return form(
            input(type="hidden", name="token", value="t"),
            input(id="name", name="user[name]", value=""),
            input(id="email", name="user[email]", value=""),
            input(type="hidden", name="user[terms]", value="false"),
            input(id="terms", type="checkbox", name="user[terms]", value="true"),
            input(id="tag-a", type="checkbox", name="user[tags][]", value="a", checked=True),
            input(id="tag-b", type="checkbox", name="user[tags][]", value="b", checked=True),
            button("Save", id="save", name="action", value="save"),
            id="f",
            phx_change="validate",
            phx_submit="save",
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        EVENTS.append((event, params))


@pytest.fixture
def signup() -> Iterator[LiveViewClient]:
    with live(serve(Signup), "/") as view:
        yield view


def test_forms_change_marks_every_field_not_used_yet(signup: LiveViewClient) -> None:
    signup.form("#f", user={"email": "a@b"}).change()
    assert EVENTS == [
        (
            "validate",
            {
                "token": "t",
                "user": {
                    **{"_unused_name": "", "name": "", "email": "a@b"},
                    **{"_unused_terms": "", "terms": "false", "_unused_tags": ""},
                    "tags": ["a", "b"],
                },
                "_target": ["user", "email"],
            },
        )
    ]


def test_forms_change_payload_pairs_are_exact(signup: LiveViewClient) -> None:
    sent: list[Any] = []
    exchange = signup._exchange

    async def recording(frame: dict[str, Any]) -> Any:
        sent.append(frame["value"])
        return await exchange(frame)

    setattr(signup, "_exchange", recording)  # noqa: B010 (a method replaced on one instance)
    signup.form("#f", user={"email": "a@b"}).change()
    signup.element("#name").focus()
    signup.form("#f", user={"tags": ["a"]}).change()
    assert sent == [
        [
            ["token", "t"],
            ["user[_unused_name]", ""],
            ["user[name]", ""],
            ["user[email]", "a@b"],
            ["user[_unused_terms]", ""],
            ["user[terms]", "false"],
            ["user[_unused_tags]", ""],
            ["user[tags][]", "a"],
            ["user[tags][]", "b"],
        ],
        [  # the name had focus, the tags were set, the email keeps what was typed
            ["token", "t"],
            ["user[name]", ""],
            ["user[email]", "a@b"],
            ["user[_unused_terms]", ""],
            ["user[terms]", "false"],
            ["user[tags][]", "a"],
        ],
    ]


def test_forms_submit_sends_no_markers_and_uses_the_whole_form(signup: LiveViewClient) -> None:
    signup.form("#f").submit("#save")
    signup.form("#f", user={"name": "Al"}).change()
    assert EVENTS == [
        (
            "save",
            {
                "token": "t",
                "user": {"name": "", "email": "", "terms": "false", "tags": ["a", "b"]},
                "action": "save",
            },
        ),
        (
            "validate",
            {
                "token": "t",
                "user": {"name": "Al", "email": "", "terms": "false", "tags": ["a", "b"]},
                "_target": ["user", "name"],
            },
        ),
    ]


def test_forms_checked_box_stays_checked_until_the_server_says(signup: LiveViewClient) -> None:
    signup.form("#f", user={"terms": True}).change()
    assert signup.element("#terms").checked() is True  # the server rendered no `checked`
    assert EVENTS[-1][1]["user"]["terms"] == "true"
    assert "_unused_terms" not in EVENTS[-1][1]["user"]
    signup.form("#f", user={"email": "a@b"}).change()
    assert EVENTS[-1][1]["user"]["terms"] == "true"  # still checked
    signup.form("#f", user={"terms": False}).change()
    assert signup.element("#terms").checked() is False
    assert EVENTS[-1][1]["user"]["terms"] == "false"


# -- §2 the submit's ack --------------------------------------------------------------------------


class Todos(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(todos=[], text="")

    def render(self, assigns: Assigns) -> Tree:
        return div(
            form(
                input(id="text", name="text", value=assigns.text),
                id="todo",
                phx_submit="add",
                phx_change="typing",
            ),
            ul(*[li(todo, key=str(i)) for i, todo in enumerate(assigns.todos)], id="list"),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        EVENTS.append((event, params))
        if event == "add" and params["text"]:
            socket.assign(todos=[*socket.assigns.todos, params["text"]], text="")


def test_forms_todo_on_enter_is_added_once_and_the_field_is_cleared() -> None:
    """The new-user trial's bug: the focused input kept its text after the submit, so Enter
    added the same todo twice. After the ack the field shows the server's value."""
    with live(serve(Todos), "/") as view:
        view.element("#text").focus()
        view.form("#todo", text="milk").submit()
        assert view.element("#text").value() == ""
        view.form("#todo").submit()  # Enter again without typing
        assert [li.text for li in view.element("#list").find()] == ["milk"]
        view.form("#todo", text="milk").submit()  # typed twice: two todos
        assert [li.text for li in view.element("#list").find()] == ["milk", "milk"]
        assert view.element("#text").value() == ""
        assert EVENTS == [
            ("add", {"text": "milk"}),
            ("add", {"text": ""}),
            ("add", {"text": "milk"}),
        ]


def test_forms_typed_value_stays_until_the_server_changes_it() -> None:
    with live(serve(Todos), "/") as view:
        view.form("#todo", text="eggs").change()
        assert view.element("#text").value() == "eggs"  # the server did not render it
        assert view.form("#todo").data() == [["text", "eggs"]]
        assert 'value=""' in view.element("#text").render()  # the attribute is the server's
        view.form("#todo").submit()
        assert view.element("#text").value() == ""
        assert EVENTS == [
            ("typing", {"text": "eggs", "_target": ["text"]}),
            ("add", {"text": "eggs"}),
        ]


# -- §3 phx-trigger-action ------------------------------------------------------------------------


class Login(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(trigger=False)

    def render(self, assigns: Assigns) -> Tree:
        return form(
            input(id="email", name="user[email]", value=""),
            input(type="hidden", name="_csrf_token", value="c"),
            button("Log in", id="go", name="commit", value="login"),
            input(id="after", name="after", value="z"),
            id="login",
            action="/users/log_in",
            method="post",
            phx_submit="save",
            phx_trigger_action=assigns.trigger,
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        socket.assign(trigger=True)


def test_forms_trigger_action_records_the_http_submit_with_the_submitter() -> None:
    with live(serve(Login), "/") as view:
        assert view.triggered == []
        with pytest.raises(AssertionError, match=r"expected a phx-trigger-action submit"):
            view.assert_trigger_action(action="/users/log_in")
        view.form("#login", user={"email": "a@b"}).submit("#go")
        made = view.assert_trigger_action(
            action="/users/log_in",
            method="post",
            data={"user": {"email": ""}, "_csrf_token": "c", "commit": "login", "after": "z"},
        )
        assert made.form == "#login"
        assert made.pairs == [
            ["user[email]", ""],  # the ack came first: the form holds the server's values
            ["_csrf_token", "c"],
            ["commit", "login"],  # the submitter, in its place
            ["after", "z"],
        ]
        assert view.triggered == []  # consumed
        view.form("#login").submit()  # still on: no second HTTP submit
        assert view.triggered == []


def test_forms_trigger_action_failure_lists_what_was_submitted() -> None:
    with live(serve(Login), "/") as view:
        view.form("#login").submit()
        with pytest.raises(AssertionError) as info:
            view.assert_trigger_action(action="/elsewhere")
        assert str(info.value) == (
            "expected a phx-trigger-action submit (action='/elsewhere'); submits made and not "
            "yet asserted:\n"
            "    #login: POST /users/log_in [['user[email]', ''], ['_csrf_token', 'c'], "
            "['after', 'z']]"
        )


# -- §4 recovery ----------------------------------------------------------------------------------


class Box(LiveComponent):
    def render(self, assigns: Assigns) -> Tree:
        return div(
            form(
                input(id="c-note", name="note", value=""),
                id="comp-form",
                phx_change="validate",
                phx_target=assigns.myself,
            ),
            id="box",
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: ComponentSocket) -> None:
        EVENTS.append((f"box:{event}", params))


class Recover(LiveView):
    def render(self, assigns: Assigns) -> Tree:
        return div(
            form(
                input(id="p-name", name="user[name]", value=""),
                input(id="p-email", name="user[email]", value=""),
                select(option("a", value="a"), option("b", value="b"), id="p-pick", name="pick"),
                textarea("", id="p-bio", name="bio"),
                id="plain",
                phx_change="validate",
            ),
            form(
                input(id="o-q", name="q", value="", phx_change="q-changed"),
                input(id="o-r", name="r", value="r0"),
                id="own",
            ),
            form(
                input(id="n-x", name="x", value=""),
                id="named",
                phx_change="validate",
                phx_auto_recover="restore",
            ),
            form(
                input(id="i-y", name="y", value=""),
                id="ignored",
                phx_change="validate",
                phx_auto_recover="ignore",
            ),
            form(id="empty", phx_change="nothing"),
            form(input(id="anon-z", name="z", value=""), phx_change="validate"),
            live_component(Box, id="box"),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        EVENTS.append((event, params))


def test_forms_rejoin_recovers_every_form_with_all_its_fields() -> None:
    with live(serve(Recover), "/") as view:
        view.form("#plain", user={"name": "Al"}, pick="b", bio="hi").change()
        view.form("#own", q="qq").change()
        view.form("#ignored", y="yy").change()
        view.form("#comp-form", note="n1").change()
        EVENTS.clear()
        view.disconnect()
        view.rejoin()
        assert EVENTS == [
            (
                "validate",  # all fields, no _target; the email was never used
                {
                    "user": {"name": "Al", "_unused_email": "", "email": ""},
                    "pick": "b",
                    "bio": "hi",
                },
            ),
            ("q-changed", {"q": "qq"}),  # the input's own phx-change, its own field
            ("restore", {"_unused_x": "", "x": ""}),  # phx-auto-recover names the event
            ("nothing", {}),  # an empty form is sent too
            ("box:validate", {"note": "n1"}),  # to the component the form targets
        ]
        assert view.element("#p-name").value() == "Al"  # the page shows what was typed
        assert view.element("#p-pick").value() == "b"
        assert view.element("#p-bio").value() == "hi"
        assert view.element("#o-q").value() == "qq"
        assert view.element("#i-y").value() == "yy"  # ignored: not re-sent, the value stays


def test_forms_first_join_and_a_rejoin_after_a_crash() -> None:
    with live(serve(Recover), "/") as view:
        assert EVENTS == []  # the first join recovers nothing
        view.form("#own", q="typed").change()
        EVENTS.clear()
        view.rejoin()  # a rejoin over the same connection (as after a crash)
        assert EVENTS[:2] == [
            (
                "validate",
                {
                    "user": {"_unused_name": "", "name": "", "_unused_email": "", "email": ""},
                    **{"_unused_pick": "", "pick": "a", "_unused_bio": "", "bio": ""},
                },
            ),
            ("q-changed", {"q": "typed"}),
        ]


# -- §5 type-specific rules (the exact payloads are vectors in tests/vectors/browser_rules.json) ---


class Profile(LiveView):
    """A form of every kind of field, with a reset button; ``saved`` changes the value the
    server renders for the name."""

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(name="Al")

    def render(self, assigns: Assigns) -> Tree:
        return form(
            input(id="name", name="user[name]", value=assigns.name),
            input(id="age", type="number", name="user[age]", value="30"),
            input(type="hidden", name="user[roles][]", value=""),
            input(id="admin", type="checkbox", name="user[roles][]", value="admin", checked=True),
            input(id="dev", type="checkbox", name="user[roles][]", value="dev"),
            input(id="free", type="radio", name="user[plan]", value="free", checked=True),
            input(id="pro", type="radio", name="user[plan]", value="pro"),
            select(
                option("red", value="r", selected=True),
                option("green", value="g"),
                id="colors",
                name="user[colors][]",
                multiple=True,
            ),
            textarea("line 1\r\nline 2", id="bio", name="user[bio]"),
            button("Reset", id="reset", type="reset", name="reset"),
            button("Save", id="save"),
            id="f",
            phx_change="validate",
            phx_submit="save",
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        EVENTS.append((event, params))
        if event == "save":
            socket.assign(name=params["user"]["name"])


@pytest.fixture
def profile() -> Iterator[LiveViewClient]:
    with live(serve(Profile), "/") as view:
        yield view


def test_forms_number_that_is_no_number_yet_is_not_sent(profile: LiveViewClient) -> None:
    profile.form("#f", user={"age": "1e"}).change()
    profile.form("#f", user={"age": "-"}).change()
    assert EVENTS == []
    assert profile.element("#age").value() == ""  # what the DOM's value reads meanwhile
    profile.form("#f").submit()
    assert EVENTS[-1][1]["user"]["age"] == ""
    profile.form("#f", user={"age": 1.5e3}).change()
    assert EVENTS[-1][1]["user"]["age"] == "1500.0"
    assert EVENTS[-1][1]["_target"] == ["user", "age"]


def test_forms_groups_and_multiple_selects_send_lists(profile: LiveViewClient) -> None:
    profile.form("#f", user={"roles": ["dev"], "plan": "pro", "colors": []}).change("user[roles][]")
    user = EVENTS[-1][1]["user"]
    assert (user["roles"], user["plan"], "colors" in user) == (["", "dev"], "pro", False)
    assert profile.element("#dev").checked() and not profile.element("#admin").checked()
    assert profile.element("#pro").checked() and not profile.element("#free").checked()


def test_forms_textarea_newlines_are_lf(profile: LiveViewClient) -> None:
    assert profile.element("#bio").value() == "line 1\nline 2"
    profile.form("#f", user={"bio": "a\r\nb\rc"}).change()
    assert EVENTS[-1][1]["user"]["bio"] == "a\nb\nc"
    assert profile.element("#bio").value() == "a\nb\nc"


def test_forms_reset_button_resets_and_sends_every_field(profile: LiveViewClient) -> None:
    profile.element("#name").focus()
    profile.form("#f", user={"name": "Bo", "roles": [], "plan": "pro", "bio": "x"}).change()
    profile.element("#reset").click()
    assert EVENTS[-1] == (
        "validate",
        {
            "user": {
                **{"_unused_name": "", "name": "Al", "_unused_age": "", "age": "30"},
                **{"_unused_roles": "", "roles": ["", "admin"], "_unused_plan": "", "plan": "free"},
                **{"_unused_colors": "", "colors": ["r"], "_unused_bio": ""},
                "bio": "line 1\nline 2",
            },
            "_target": ["reset"],
        },
    )
    # The page shows the rendered values again, the focused field's too.
    assert profile.element("#name").value() == "Al"
    assert profile.element("#admin").checked() and profile.element("#free").checked()
    assert profile.element("#bio").value() == "line 1\nline 2"


def test_forms_reset_shows_the_values_the_server_rendered_last(profile: LiveViewClient) -> None:
    profile.form("#f", user={"name": "Cy"}).submit()
    profile.form("#f", user={"name": "Di"}).change()
    profile.element("#reset").click()
    assert EVENTS[-1][1]["user"]["name"] == "Cy"  # the default is what the server renders
    assert profile.element("#name").value() == "Cy"


class Loose(LiveView):
    def render(self, assigns: Assigns) -> Tree:
        return div(button("Reset", id="loose", type="reset"), form(id="f", phx_change="v"))


def test_forms_reset_button_outside_a_form_does_nothing_so_a_click_fails() -> None:
    with live(serve(Loose), "/") as view, pytest.raises(AssertionError) as failure:
        view.element("#loose").click()
    assert str(failure.value).startswith(
        "element('#loose') has no phx-click attribute, so a click sends nothing:\n"
    )
