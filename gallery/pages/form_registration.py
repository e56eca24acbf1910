"""Registration form: validation while you type, errors only on the fields you have used, a
submit that locks the form (``phx_disable_with``), then ``phx_trigger_action``: once the server
has accepted the account, the browser posts the form for real to a plain HTTP handler
(``app.post``), which could set a session cookie. The form survives a reconnect: its fields are
sent again (``phx_auto_recover="recover_registration"``) and the server's state catches up.

The account rules are a pydantic model; registered emails are kept in SQLite, so a second
registration with the same email is refused with "has already been taken".

Try this: type a short password and watch only that field complain; tick the terms, submit, and
land on the page the POST handler answers. Register the same email twice.
"""

import sqlite3

from markupsafe import escape
from pydantic import BaseModel, Field, field_validator

from pylive import LiveView, errors_from_pydantic, input_field, simple_form, to_form
from pylive.html import a, button, div, h2, p

db = sqlite3.connect(":memory:", check_same_thread=False)
db.execute("create table users (email text primary key)")


class User(BaseModel):
    email: str
    password: str = Field(min_length=8)
    password_confirmation: str
    terms: bool

    @field_validator("email")
    @classmethod
    def has_at(cls, email):
        if "@" not in email:
            raise ValueError("must have the @ sign and no spaces")
        return email

    @field_validator("terms")
    @classmethod
    def accepted(cls, terms):
        if not terms:
            raise ValueError("must be accepted")
        return terms


def change_registration(params):
    """The user the params make, or None, and the errors by field (the password must match)."""
    user, errors = errors_from_pydantic(User, params)
    if params.get("password_confirmation", "") != params.get("password", ""):
        errors.setdefault("password_confirmation", []).append("does not match password")
        user = None
    return user, errors


def register_user(params):
    user, errors = change_registration(params)
    if user is not None:
        try:
            with db:
                db.execute("insert into users values (?)", (user.email,))
        except sqlite3.IntegrityError:
            errors = {"email": ["has already been taken"]}
            user = None
    return user, errors


class RegistrationPage(LiveView):
    def mount(self, params, session, socket):
        socket.assign(trigger_submit=False, form=to_form({}, as_="user"))

    def render(self, assigns):
        form = assigns.form
        return div(
            h2("Register for an account"),
            p("Already registered? ", a("Sign in", href="#")),
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
                    "Create an account",
                    id="create-account",
                    phx_disable_with="Creating account...",
                ),
                id="registration_form",
                action="/users/log_in",
                method="post",
                phx_submit="save",
                phx_change="validate",
                phx_trigger_action=assigns.trigger_submit,
                phx_auto_recover="recover_registration",
            ),
            class_="demo registration",
        )

    def handle_event(self, event, params, socket):
        user_params = params.get("user", {})
        if event == "save":
            user, errors = register_user(user_params)
            if user is not None:
                socket.assign(trigger_submit=True)
            socket.assign(form=to_form(user_params, errors=errors, as_="user"))
        elif event in ("validate", "recover_registration"):
            _, errors = change_registration(user_params)
            socket.assign(form=to_form(user_params, errors=errors, as_="user"))


def log_in(request):
    """The plain HTTP handler the form posts to once the account exists (``app.post``)."""
    email = request.form.get("user", {}).get("email", "")
    return (
        "<!doctype html><title>Signed in</title><link rel='icon' href='data:,'>"
        f"<p id='signed-in'>Signed in as {escape(email)}.</p><p><a href='/'>Back</a></p>"
    )
