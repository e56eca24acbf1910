"""Composition: a form component holding input components whose events target
the form.

The form (``UserFormComponent``) is the stateful container: it owns the values and errors and
passes each input its ``target=assigns.myself``, so an input's ``phx-blur`` reaches the form, not
the page. The inputs are presentational: they render what they are given. On a valid submit the
form tells the parent view, which lists the users created.
"""

from pylive import LiveComponent, LiveView, live_component
from pylive.html import button, div, form, h3, input, label, li, span, ul

FIELDS = ("name", "email")


def validate(field, value):
    """The error for one field, or None (what a changeset's validations would say)."""
    if field == "name" and not value.strip():
        return "can't be blank"
    if field == "email" and "@" not in value:
        return "must have the @ sign"
    return None


class InputComponent(LiveComponent):
    def render(self, assigns):
        return div(
            label(assigns.label, for_=assigns.id),
            input(
                type=assigns.type,
                id=assigns.id,
                name=assigns.name,
                value=assigns.value,
                phx_blur="validate_field",
                phx_value_field=assigns.field,
                phx_target=assigns.target,  # the form component, not this input
            ),
            span(assigns.error, class_="error") if assigns.error else None,
            id=f"{assigns.id}-field",
            class_="form-field",
        )


class UserFormComponent(LiveComponent):
    def update(self, assigns, socket):
        socket.assign(**assigns)
        socket.assign(values=dict(assigns["user"]), errors={})

    def handle_event(self, event, params, socket):
        if event == "validate_field":  # phx-blur: the field and the input's value
            field = params["field"]
            values = {**socket.assigns.values, field: params.get("value", "")}
            errors = {**socket.assigns.errors, field: validate(field, values[field])}
            socket.assign(values=values, errors=errors)
        elif event == "save":
            user = {field: params["user"].get(field, "") for field in FIELDS}
            errors = {field: validate(field, user[field]) for field in FIELDS}
            if any(errors.values()):
                socket.assign(values=user, errors=errors)
            else:
                socket.send_parent(("user_created", user))
                socket.assign(values=dict(socket.assigns.user), errors={})

    def render(self, assigns):
        def field(name, label, kind):
            return live_component(
                InputComponent,
                id=f"{name}-input",
                label=label,
                type=kind,
                name=f"user[{name}]",
                field=name,
                value=assigns.values[name],
                error=assigns.errors.get(name),
                target=assigns.myself,
            )

        return form(
            field("name", "Name", "text"),
            field("email", "Email", "email"),
            button("Create User", type="submit"),
            id=assigns.id,
            phx_submit="save",
            phx_target=assigns.myself,
        )


class NewUserPage(LiveView):
    def mount(self, params, session, socket):
        socket.assign(user={"name": "", "email": ""}, created=[])

    def handle_info(self, msg, socket):
        match msg:
            case ("user_created", user):
                socket.assign(created=[*socket.assigns.created, user])

    def render(self, assigns):
        return div(
            live_component(UserFormComponent, id="user-form", user=assigns.user),
            h3("Created"),
            ul(
                *[li(f"{user['name']} <{user['email']}>") for user in assigns.created], id="created"
            ),
            class_="demo composed-form",
        )
