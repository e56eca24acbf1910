"""``pylive.validation``: pydantic and plain-function validation as field errors, and the
overview's registration form ("Form Validation and Submission") ported line by line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic import Field as ModelField

from pylive.app import App
from pylive.form_fields import Form, to_form
from pylive.forms import decode_form
from pylive.html import a, button, div, h1, header, p
from pylive.inputs import input_field, simple_form
from pylive.render import render_html
from pylive.socket import Socket
from pylive.testing import live
from pylive.validation import (
    clean_params,
    errors_from_function,
    errors_from_pydantic,
    errors_from_validation_error,
)
from pylive.view import LiveView


class Address(BaseModel):
    city: str
    zip: Annotated[str, ModelField(pattern=r"^\d{5}$")]


class Person(BaseModel):
    name: str
    age: int
    tags: list[int] = []
    address: Address | None = None
    addresses: list[Address] = []
    code: int | str | None = None


INT = "Input should be a valid integer, unable to parse string as an integer"


def test_pydantic_types_and_missing() -> None:
    person, errors = errors_from_pydantic(Person, {"age": "old"})
    assert person is None
    assert errors == {"name": ["Field required"], "age": [INT]}


def test_pydantic_valid_gives_the_model() -> None:
    person, errors = errors_from_pydantic(Person, {"name": "Ada", "age": "36", "tags": ["1"]})
    assert errors == {}
    assert person == Person(name="Ada", age=36, tags=[1])


def test_pydantic_nested_paths_reach_nested_fields() -> None:
    params = {"name": "Ada", "age": "1", "address": {"zip": "12"}}
    _, errors = errors_from_pydantic(Person, params)
    assert errors == {
        "address.city": ["Field required"],
        "address.zip": ["String should match pattern '^\\d{5}$'"],
    }
    form = to_form(params, errors=errors, as_="person")
    assert form["address"]["zip"].errors == ["String should match pattern '^\\d{5}$'"]
    assert form["address"]["city"].errors == []  # not sent: unused


def test_pydantic_list_index_paths() -> None:
    payload = decode_form(
        [("p[name]", "A"), ("p[age]", "1"), ("p[tags][]", "1"), ("p[tags][]", "x")]
    )
    _, errors = errors_from_pydantic(Person, payload["p"])
    assert errors == {"tags.1": [INT]}
    assert to_form(payload["p"], errors=errors, as_="p")["tags"].errors == [INT]


def test_pydantic_indexed_fields_validate_as_lists() -> None:
    """``addresses[0][city]`` decodes to ``{"0": {...}}``: pydantic is given a list."""
    payload = decode_form(
        [
            ("p[name]", "A"),
            ("p[age]", "1"),
            ("p[addresses][1][city]", "Lyon"),
            ("p[addresses][1][zip]", "69001"),
            ("p[addresses][0][city]", "Paris"),
            ("p[addresses][0][zip]", "x"),
        ]
    )
    _, errors = errors_from_pydantic(Person, payload["p"])
    assert errors == {"addresses.0.zip": ["String should match pattern '^\\d{5}$'"]}
    first, second = to_form(payload["p"], errors=errors, as_="p").sub_forms("addresses")
    assert (first["zip"].errors, second["zip"].errors) == (
        ["String should match pattern '^\\d{5}$'"],
        [],
    )
    person, _ = errors_from_pydantic(
        Person, {**payload["p"], "addresses": {"0": {"city": "P", "zip": "75001"}}}
    )
    assert person is not None and person.addresses == [Address(city="P", zip="75001")]


def test_pydantic_union_members_tags_are_not_fields() -> None:
    _, errors = errors_from_pydantic(Person, {"name": "A", "age": "1", "code": ["x"]})
    assert errors == {"code": ["Input should be a valid integer", "Input should be a valid string"]}


def test_pydantic_markers_and_target_never_reach_the_model() -> None:
    class Strict(BaseModel, extra="forbid"):
        email: str

    payload = decode_form([("_unused_email", ""), ("email", "a@b")], "email")
    model, errors = errors_from_pydantic(Strict, payload)
    assert (model, errors) == (Strict(email="a@b"), {})


def test_pydantic_model_level_errors_have_the_empty_path() -> None:
    class Pair(BaseModel):
        a: str
        b: str

        @model_validator(mode="after")
        def same(self) -> Pair:
            if self.a != self.b:
                raise ValueError("a and b differ")
            return self

    assert errors_from_pydantic(Pair, {"a": "1", "b": "2"}) == (
        None,
        {"": ["Value error, a and b differ"]},
    )


def test_validation_error_without_params_keeps_pydantic_locations() -> None:
    with pytest.raises(ValidationError) as caught:
        Person.model_validate({"name": "A", "age": "1", "code": ["x"], "tags": ["y"]})
    assert errors_from_validation_error(caught.value) == {
        "tags.0": [INT],
        "code.int": ["Input should be a valid integer"],
        "code.str": ["Input should be a valid string"],
    }


def test_pydantic_adapter_arguments_are_checked() -> None:
    with pytest.raises(
        TypeError, match=r"errors_from_pydantic\(\): expected a pydantic model class, got 3"
    ):
        errors_from_pydantic(3, {})  # type: ignore[type-var]
    with pytest.raises(
        TypeError, match=r"errors_from_pydantic\(Person, ...\): expected a dict of params, got 'x'"
    ):
        errors_from_pydantic(Person, "x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"expected a pydantic ValidationError, got 'x'"):
        errors_from_validation_error("x")  # type: ignore[arg-type]


def validate_signup(params: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {"email": [], "address.city": []}
    if "@" not in params.get("email", ""):
        errors["email"].append("must have the @ sign")
    if not params.get("address", {}).get("city"):
        errors["address.city"].append("can't be blank")
    return errors


def test_plain_function_errors() -> None:
    params = {"email": "ada", "_unused_nick": "", "nick": "", "address": {"city": ""}}
    errors = errors_from_function(validate_signup, params)
    assert errors == {"email": ["must have the @ sign"], "address.city": ["can't be blank"]}
    form = to_form(params, errors=errors, as_="signup")
    assert form["email"].errors == ["must have the @ sign"]
    assert form["address"]["city"].errors == ["can't be blank"]
    ok = {"email": "a@b", "address": {"city": "Oslo"}}
    assert errors_from_function(validate_signup, ok) == {}  # empty lists are left out
    assert to_form(ok, errors=errors_from_function(validate_signup, ok)).valid


def test_plain_function_is_given_clean_params() -> None:
    seen: list[dict[str, Any]] = []
    errors_from_function(
        lambda params: seen.append(params) or {}, {"_unused_a": "", "a": "", "_target": ["a"]}
    )
    assert seen == [{"a": ""}]


def bad_keys(params: dict[str, Any]) -> dict[Any, Any]:
    return {1: ["x"]}


def test_plain_function_results_are_checked() -> None:
    with pytest.raises(
        TypeError,
        match=re.escape(
            "the result of bad_keys(): expected a field path (a str such as 'email' or "
            "'address.city') as key, got 1"
        ),
    ):
        errors_from_function(bad_keys, {})
    with pytest.raises(TypeError, match=r"expected field errors, a dict .* got None"):
        errors_from_function(lambda params: None, {})  # type: ignore[arg-type,return-value]
    with pytest.raises(
        TypeError, match=r"expected a list of messages \(str\) for field 'a', got \[1\]"
    ):
        errors_from_function(lambda params: {"a": [1]}, {})
    with pytest.raises(TypeError, match=r"errors_from_function\(\): expected a function, got 3"):
        errors_from_function(3, {})  # type: ignore[arg-type]


def test_clean_params() -> None:
    assert clean_params(
        {"_target": ["a"], "a": {"_unused_b": "", "b": "", "c": {"_unused_d": ""}}}
    ) == {"a": {"b": "", "c": {}}}
    with pytest.raises(TypeError, match=r"clean_params\(\): expected a dict of params, got None"):
        clean_params(None)  # type: ignore[arg-type]


# --- the overview's registration form, ported line by line ----------------------------------------


class User(BaseModel):
    email: str
    password: Annotated[str, ModelField(min_length=12, max_length=72)]
    password_confirmation: str
    terms: bool

    @field_validator("email")
    @classmethod
    def email_shape(cls, email: str) -> str:
        if not re.fullmatch(r"[^@\s]+@[^@\s]+", email):
            raise ValueError("must have the @ sign and no spaces")
        return email

    @field_validator("password_confirmation")
    @classmethod
    def confirmed(cls, confirmation: str, info: ValidationInfo) -> str:
        if confirmation != info.data.get("password"):
            raise ValueError("does not match password")
        return confirmation

    @field_validator("terms")
    @classmethod
    def agreed(cls, terms: bool) -> bool:
        if not terms:
            raise ValueError("must be accepted")
        return terms


class Accounts:
    """The overview's ``MyApp.Accounts``, in memory."""

    users: list[User] = []
    confirmations: list[str] = []

    @staticmethod
    def change_user_registration(
        user: User | None = None, params: dict[str, Any] | None = None
    ) -> Form:
        if params is None:
            return to_form(user, as_="user")
        _, errors = errors_from_pydantic(User, params)
        return to_form(params, errors=errors, as_="user")

    @classmethod
    def register_user(cls, params: dict[str, Any]) -> tuple[User | None, dict[str, list[str]]]:
        user, errors = errors_from_pydantic(User, params)
        if user is not None and any(u.email == user.email for u in cls.users):
            return None, {"email": ["has already been taken"]}
        if user is not None:
            cls.users.append(user)
        return user, errors

    @classmethod
    def deliver_user_confirmation_instructions(cls, user: User, url: str) -> None:
        cls.confirmations.append(f"{user.email} {url}")


def assign_form(socket: Socket, form: Form) -> None:
    socket.assign(form=form)


class UserRegistrationLive(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(trigger_submit=False)
        assign_form(socket, Accounts.change_user_registration(User.model_construct()))

    def render(self, assigns: Any) -> Any:
        form = assigns.form
        return div(
            header(
                h1("Register for an account"),
                p("Already registered? ", a("Sign in", href="/users/log_in")),
            ),
            simple_form(
                input_field(form["email"], type="email", label="Email", required=True),
                input_field(form["password"], type="password", label="Password", required=True),
                input_field(
                    form["password_confirmation"],
                    type="password",
                    label="Confirm Password",
                    required=True,
                ),
                input_field(
                    form["terms"], type="checkbox", label="I agree to the terms and conditions"
                ),
                actions=button(
                    "Create an account", phx_disable_with="Creating account...", class_="w-full"
                ),
                id="registration_form",
                phx_submit="save",
                phx_change="validate",
                phx_trigger_action=assigns.trigger_submit,
                phx_auto_recover="recover_registration",
                action="/users/log_in",
                method="post",
            ),
            class_="registration-form",
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        if event == "validate":
            form = Accounts.change_user_registration(User.model_construct(), params["user"])
            assign_form(socket, form)
        elif event == "save":
            user, errors = Accounts.register_user(params["user"])
            if user is not None:
                Accounts.deliver_user_confirmation_instructions(
                    user, f"/users/confirm/{user.email}"
                )
                socket.assign(trigger_submit=True)
                assign_form(socket, Accounts.change_user_registration(user))
            else:
                assign_form(socket, to_form(params["user"], errors=errors, as_="user"))
        elif event == "recover_registration":
            assign_form(
                socket, Accounts.change_user_registration(User.model_construct(), params["user"])
            )


@pytest.fixture(autouse=True)
def fresh_accounts() -> None:
    Accounts.users = []
    Accounts.confirmations = []


def change(socket: Socket, pairs: list[tuple[str, str]], target: str) -> Form:
    UserRegistrationLive().handle_event("validate", decode_form(pairs, target), socket)
    form: Form = socket.assigns.form
    return form


def mounted() -> Socket:
    socket = Socket("UserRegistrationLive")
    UserRegistrationLive().mount({}, {}, socket)
    return socket


def test_registration_validates_on_change_with_errors_only_on_used_fields() -> None:
    """The client's payload as contract §1 says: the user typed in email only."""
    socket = mounted()
    assert socket.assigns.form["email"].errors == []
    form = change(
        socket,
        [
            ("user[email]", "ada"),
            ("user[_unused_password]", ""),
            ("user[password]", ""),
            ("user[_unused_password_confirmation]", ""),
            ("user[password_confirmation]", ""),
            ("user[terms]", "false"),
            ("user[_unused_terms]", ""),
        ],
        "user[email]",
    )
    assert form["email"].errors == ["Value error, must have the @ sign and no spaces"]
    assert [form[k].errors for k in ("password", "password_confirmation", "terms")] == [[], [], []]
    assert form.valid is False
    html = render_html(UserRegistrationLive().render(socket.assigns))
    assert (
        '<input type="email" name="user[email]" id="user_email" value="ada" required '
        'aria-invalid="true" aria-describedby="user_email-error">'
        '<p class="error" id="user_email-error">Value error, must have the @ sign and no spaces</p>'
    ) in html
    assert html.count('class="error"') == 1


def test_registration_save_with_errors_shows_every_field() -> None:
    socket = mounted()
    payload = decode_form(
        [
            ("user[email]", "ada@example.com"),
            ("user[password]", "short"),
            ("user[password_confirmation]", "other"),
            ("user[terms]", "false"),
        ]
    )
    UserRegistrationLive().handle_event("save", payload, socket)
    form = socket.assigns.form
    assert form["email"].errors == []
    assert form["password"].errors == ["String should have at least 12 characters"]
    assert form["password_confirmation"].errors == ["Value error, does not match password"]
    assert form["terms"].errors == ["Value error, must be accepted"]
    assert socket.assigns.trigger_submit is False
    assert Accounts.users == []


def test_registration_save_registers_and_triggers_the_http_submit() -> None:
    socket = mounted()
    good = [
        ("user[email]", "ada@example.com"),
        ("user[password]", "correct horse battery"),
        ("user[password_confirmation]", "correct horse battery"),
        ("user[terms]", "false"),
        ("user[terms]", "true"),
    ]
    UserRegistrationLive().handle_event("save", decode_form(good), socket)
    assert Accounts.users == [
        User(
            email="ada@example.com",
            password="correct horse battery",
            password_confirmation="correct horse battery",
            terms=True,
        )
    ]
    assert Accounts.confirmations == ["ada@example.com /users/confirm/ada@example.com"]
    assert socket.assigns.trigger_submit is True
    form = socket.assigns.form
    # The form now shows the user (its data): the HTTP submit carries every value.
    assert (form["email"].value, form["password"].value, form["terms"].checked) == (
        "ada@example.com",
        "correct horse battery",
        True,
    )
    assert form.params == {} and form["email"].used is False
    html = render_html(UserRegistrationLive().render(socket.assigns))
    assert (
        '<form id="registration_form" phx-submit="save" phx-change="validate" '
        'phx-trigger-action phx-auto-recover="recover_registration" action="/users/log_in" '
        'method="post">'
    ) in html
    # The same email again: the account exists.
    again = mounted()
    UserRegistrationLive().handle_event("save", decode_form(good), again)
    assert again.assigns.form["email"].errors == ["has already been taken"]
    assert again.assigns.trigger_submit is False


def test_registration_recovery_event_rebuilds_the_form() -> None:
    socket = mounted()
    payload = decode_form(
        [("user[email]", "ada@example.com"), ("user[_unused_password]", ""), ("user[password]", "")]
    )
    UserRegistrationLive().handle_event("recover_registration", payload, socket)
    form = socket.assigns.form
    assert (form["email"].value, form["email"].errors, form["password"].errors) == (
        "ada@example.com",
        [],
        [],
    )


def test_registration_live_in_the_test_client() -> None:
    app = App(secret_key="registration-secret-key")
    app.live("/users/register", UserRegistrationLive)
    with live(app, "/users/register") as view:
        assert "error" not in view.element("#registration_form").render()
        view.form(
            "#registration_form",
            user={
                "email": "ada example",
                "password": "short",
                "password_confirmation": "other",
                "terms": "true",
            },
        ).change()
        assert view.element("#user_email-error").render() == (
            '<p class="error" id="user_email-error">'
            "Value error, must have the @ sign and no spaces</p>"
        )
        assert view.element("#user_password-error").render() == (
            '<p class="error" id="user_password-error">'
            "String should have at least 12 characters</p>"
        )
        assert view.has_element("#user_terms-error") is False
        view.form(
            "#registration_form",
            user={
                "email": "ada@example.com",
                "password": "correct horse battery",
                "password_confirmation": "correct horse battery",
                "terms": "true",
            },
        ).submit()
        assert view.has_element(".error") is False
        assert (
            view.element("#registration_form")
            .render()
            .startswith(
                '<form id="registration_form" phx-submit="save" phx-change="validate" '
                "phx-trigger-action"
            )
        )
    assert [u.email for u in Accounts.users] == ["ada@example.com"]


def test_registration_live_errors_only_where_the_user_typed() -> None:
    """The test client sends LiveView's ``_unused_*`` markers: a field the test did not fill is
    unused, so its error is not shown although the model reports it."""
    app = App(secret_key="registration-secret-key")
    app.live("/users/register", UserRegistrationLive)
    with live(app, "/users/register") as view:
        view.form("#registration_form", user={"email": "ada example"}).change()
        assert [
            el
            for el in ("email", "password", "password_confirmation", "terms")
            if view.has_element(f"#user_{el}-error")
        ] == ["email"]


def docs_example() -> dict[str, Any]:
    """The names the first ``python`` block of docs/forms.md defines."""
    text = (Path(__file__).resolve().parents[1] / "docs" / "forms.md").read_text()
    found = re.search(r"```python\n(.*?)```", text, re.S)
    assert found is not None
    names: dict[str, Any] = {}
    exec(compile(found.group(1), "docs/forms.md", "exec"), names)
    return names


def test_docs_forms_example_runs_as_written() -> None:
    app = App(secret_key="docs-example-secret-key")
    app.live("/", docs_example()["Registration"])
    with live(app, "/") as view:
        view.form("#registration_form", user={"email": "ada"}).change()
        assert [
            e for e in ("email", "password", "terms") if view.has_element(f"#user_{e}-error")
        ] == ["email"]
        view.form("#registration_form", user={"email": "ada"}).submit()
        assert view.element("#user_password-error").render() == (
            '<p class="error" id="user_password-error">'
            "String should have at least 12 characters</p>"
        )
        assert view.has_element("#user_terms-error") is False  # a bool: "false" is valid
        good = {"email": "ada@example.com", "password": "correct horse battery", "terms": "true"}
        view.form("#registration_form", user=good).submit()
        assert view.element("h1").render() == "<h1>Welcome, ada@example.com</h1>"
        assert view.element("#user_email").render() == (
            '<input type="email" name="user[email]" id="user_email">'
        )
