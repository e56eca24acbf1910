"""Live-validated form: phx-change validates on every keystroke with nested params
(``user[email]`` → ``params["user"]["email"]``), phx-submit saves."""

from pylive import LiveView
from pylive.html import button, div, form, input, label, p, span


def validate(user):
    errors = {}
    if "@" not in user.get("email", ""):
        errors["email"] = "must contain @"
    if len(user.get("name", "")) < 2:
        errors["name"] = "at least 2 characters"
    return errors


class SignupForm(LiveView):
    def mount(self, params, session, socket):
        socket.assign(user={"name": "", "email": ""}, errors={}, touched=[], saved=None)

    def render(self, assigns):
        user, errors = assigns.user, assigns.errors

        def field(name, kind):
            error = errors.get(name) if name in assigns.touched else None
            return label(
                span(name.title()),
                input(
                    type=kind,
                    name=f"user[{name}]",
                    value=user.get(name, ""),
                    id=f"user_{name}",
                    phx_debounce="0",
                ),
                span(error, class_="error", id=f"{name}-error") if error else None,
                class_="field",
            )

        return div(
            form(
                field("name", "text"),
                field("email", "email"),
                button("Save", type="submit", id="save"),
                id="signup",
                phx_change="validate",
                phx_submit="save",
            ),
            p(f"Target: {'.'.join(assigns.get('target', []))}", id="target"),
            p(f"Saved {assigns.saved['name']} <{assigns.saved['email']}>", id="saved")
            if assigns.saved
            else None,
            class_="demo form",
        )

    def handle_event(self, event, params, socket):
        user = params.get("user", {})
        if event == "validate":
            target = params.get("_target", [])
            touched = sorted({*socket.assigns.touched, target[-1]}) if target else []
            socket.assign(user=user, errors=validate(user), touched=touched, target=target)
        elif event == "save":
            errors = validate(user)
            socket.assign(user=user, errors=errors, touched=["email", "name"])
            if not errors:
                socket.assign(saved=user)
                socket.put_flash("info", f"Welcome, {user['name']}!")
