"""Testing forms: a "New User" form and the tests written for it with the in-process test client
(``tests/test_gallery_forms.py`` runs them), LiveViewTest's ``form(...) |> render_change()`` and
``render_submit()`` done the Python way: ``view.form("#user-form", user={...}).change()`` and
``.submit()`` return the new HTML, ``view.assert_redirect("/")`` and ``view.refute_redirect()``
check where a submit led.

The rules are a plain function returning ``{field: [messages]}``; ``to_form`` shows each field's
messages once the user has used it.

Try this: submit the empty form ("can't be blank" twice), type an email without @, then fill both
fields and submit: the view redirects to the gallery's home page.
"""

from pylive import LiveView, input_field, simple_form, to_form
from pylive.html import button, div, h2


def validate(params):
    errors = {}
    for field in ("name", "email"):
        if not params.get(field, "").strip():
            errors[field] = ["can't be blank"]
    email = params.get("email", "")
    if email and "@" not in email:
        errors["email"] = ["must have the @ sign"]
    return errors


class UserFormPage(LiveView):
    def mount(self, params, session, socket):
        socket.assign(form=to_form({}, as_="user"))

    def render(self, assigns):
        form = assigns.form
        return div(
            h2("New User"),
            simple_form(
                input_field(form["name"], label="Name"),
                input_field(form["email"], label="Email"),
                actions=button("Save", id="save-user"),
                id="user-form",
                phx_change="validate",
                phx_submit="save",
            ),
            class_="demo form-testing",
        )

    def handle_event(self, event, params, socket):
        user = params.get("user", {})
        errors = validate(user)
        if event == "save" and not errors:
            socket.redirect("/")
            return
        socket.assign(form=to_form(user, errors=errors, as_="user"))
