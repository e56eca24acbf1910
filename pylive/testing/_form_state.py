"""What the browser keeps on form controls, in-process: the values a user typed, which fields
were used, and what that state sends (``_unused_*`` markers, recovery, ``phx-trigger-action``).

A control's *live value* (``LiveValue``) is what the DOM's ``.value``/``.checked``/``.selected``
hold: a str for a text-like input or a textarea, a bool for a checkbox or radio, one bool per
option for a select. The server's tree only has attributes; what the test typed (``form(...)
.change()``, ``.submit()``, a click on a checkbox, a recovery) is kept per element identity as a
``Typed`` (the value and the server's value when it was typed, its ``base``) and laid over the
page each time it is read. As in ``client.js``, a patch that changes the server's value of a
control makes its live value follow it, unless the control has focus; a submit's ack gives every
control of the form the server's value, the focused one too (``ClientState.clear_typed``).

Used fields follow LiveView's rule (contract §1): a control is used once it had focus, an
``input`` event, or its form was submitted; a ``phx-change`` payload then carries
``_unused_<last name part>`` (``""``) right before the first pair of each unused name
(``unused_key``), never for hidden inputs, never in a submit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from pylive.params import Params, decode_pairs
from pylive.testing import _dom
from pylive.testing._dom import LxmlElement, Page

LiveValue = str | bool | tuple[bool, ...]
"""A control's live state: text, checkedness, or each option's selectedness."""

FIXED_VALUE = frozenset({"submit", "image", "reset", "button", "file"})
"""Input types whose value is no live state (a hidden input's is: recovery restores it)."""
CONTROLS = ("input", "select", "textarea")
AUTO_RECOVER = "phx-auto-recover"
TRIGGER_ACTION = "phx-trigger-action"
_LAST_PART = re.compile(r"([^\[\]]+)(\]?)$")


@attrs.define
class Typed:
    """A control's live value the user set, and the server's value when it was set."""

    value: LiveValue
    base: LiveValue


# -- live values ----------------------------------------------------------------------------------


def read_live(el: LxmlElement) -> LiveValue | None:
    """The live value of ``el`` as the page shows it; None for what a user types nothing into."""
    tag = el.tag
    if tag == "input":
        kind = _dom.input_type(el)
        if kind in _dom.CHECKABLE:
            return _dom.is_checked(el)
        if kind in FIXED_VALUE:
            return None
        return str(el.get("value", ""))
    if tag == "textarea":
        return _dom.textarea_value(el)
    if tag == "select":
        return tuple(opt.get("selected") is not None for opt in el.iter("option"))
    return None


def write_live(el: LxmlElement, value: LiveValue) -> None:
    """Lay ``value`` over ``el`` in the page (its attributes, the way the page is read)."""
    if isinstance(value, bool):
        if value:
            el.set("checked", "")
        elif el.get("checked") is not None:
            del el.attrib["checked"]
    elif isinstance(value, str):
        if el.tag == "textarea":
            el.text = value
        else:
            el.set("value", value)
    else:
        for option, on in zip(el.iter("option"), value, strict=False):
            if on:
                option.set("selected", "")
            elif option.get("selected") is not None:
                del option.attrib["selected"]


def field_live(field: _dom.Field) -> LiveValue | None:
    """The live value of a field's control once its ``values`` (as a test set them) apply."""
    el = field.el
    current = read_live(el)
    if current is None:
        return None
    if isinstance(current, bool):
        return bool(field.values)
    if isinstance(current, str):
        return field.values[0] if field.values else ""
    chosen = list(field.values)
    selected: list[bool] = []
    for option in el.iter("option"):
        value = _dom.option_value(option)
        if value in chosen:
            chosen.remove(value)
            selected.append(True)
        else:
            selected.append(False)
    return tuple(selected)


def server_live(page: Page, el: LxmlElement) -> LiveValue | None:
    """The server's value of ``el`` (without what was typed into it)."""
    token = page.token_of.get(el)
    if token is not None and token in page.server_live:
        server: LiveValue = page.server_live[token]
        return server
    return read_live(el)


def lay_over(page: Page, typed: dict[int, Typed], focused: int | None) -> None:
    """Lay the typed values over ``page``; forget those whose element left or whose server
    value changed since (the focused control keeps what it shows)."""
    for token, entry in list(typed.items()):
        el = page.by_token.get(token)
        server = None if el is None else read_live(el)
        if server is None or type(server) is not type(entry.value):
            del typed[token]
            continue
        if server != entry.base:
            if token != focused:
                del typed[token]
                continue
            entry.base = server
        page.server_live[token] = server
        write_live(el, entry.value)


def form_controls(page: Page, form: LxmlElement) -> list[LxmlElement]:
    """Every input, select and textarea of ``form`` (``form="id"`` owners included)."""
    form_id = form.get("id")
    found = []
    for el in page.root.iter(*CONTROLS):
        owner = el.get("form")
        if owner is not None:
            if form_id is not None and owner == form_id:
                found.append(el)
        elif any(ancestor is form for ancestor in el.iterancestors("form")):
            found.append(el)
    return found


def form_tokens(page: Page, form: LxmlElement) -> list[int]:
    return [page.token_of[el] for el in form_controls(page, form) if el in page.token_of]


# -- used markers ---------------------------------------------------------------------------------


def unused_key(name: str) -> str:
    """The marker of an unused field: ``email`` → ``_unused_email``, ``user[email]`` →
    ``user[_unused_email]``, ``user[tags][]`` → ``user[_unused_tags]``."""
    base = name.removesuffix("[]")
    marked, found = _LAST_PART.subn(r"_unused_\1\2", base, count=1)
    return marked if found else f"_unused_{base}"


def with_unused(
    page: Page, controls: Sequence[LxmlElement], pairs: list[list[str]]
) -> list[list[str]]:
    """``pairs`` with the marker of each unused name among ``controls`` right before its first
    pair. A name is used when one of its controls is, or their form was submitted; a name only
    hidden inputs carry is never marked, nor a name without a pair."""
    unused: dict[str, bool] = {}
    hidden_only: dict[str, bool] = {}
    forms: dict[LxmlElement, bool] = {}
    for el in controls:
        name = el.get("name")
        if not name:
            continue
        name = str(name)
        token = page.token_of.get(el)
        form = _dom.form_of(page, el)
        if form is not None and form not in forms:
            forms[form] = page.token_of.get(form) in page.used
        used = (token is not None and token in page.used) or (form is not None and forms[form])
        unused[name] = unused.get(name, True) and not used
        is_hidden = el.tag == "input" and _dom.input_type(el) == "hidden"
        hidden_only[name] = hidden_only.get(name, True) and is_hidden
    out: list[list[str]] = []
    marked: set[str] = set()
    for pair in pairs:
        name = pair[0]
        if unused.get(name) and not hidden_only.get(name) and name not in marked:
            marked.add(name)
            out.append([unused_key(name), ""])
        out.append(pair)
    return out


def change_pairs(page: Page, form: LxmlElement) -> list[list[str]]:
    """A form's ``phx-change`` payload: its fields as ``FormData`` gives them, with markers."""
    return with_unused(
        page, form_controls(page, form), _dom.serialize(_dom.form_fields(page, form))
    )


def control_change_pairs(
    page: Page, control: LxmlElement, checked: bool | None = None
) -> list[list[str]]:
    """The ``phx-change`` payload of a control with its own binding: its pairs, with its
    marker (the name is used when one of the form's controls of that name is)."""
    form = _dom.form_of(page, control)
    name = control.get("name")
    controls = [control]
    if form is not None and name:
        controls = [el for el in form_controls(page, form) if el.get("name") == name]
    return with_unused(page, controls, _dom.control_pairs(control, checked))


# -- recovery -------------------------------------------------------------------------------------


@attrs.frozen
class SavedForm:
    """A form before a rejoin: its live values by field name and place among that name's
    fields, and the payloads recovery sends (saved with the form as the user left it): the
    form's, with every field, and each control's own ``phx-change`` payload (by name, place)."""

    form_id: str
    values: tuple[tuple[str, int, LiveValue], ...]
    pairs: list[list[str]]
    own: tuple[tuple[str, int, list[list[str]]], ...]


def recoverable(page: Page, form: LxmlElement) -> bool:
    """A form recovery re-sends: it has an id and a ``phx-change`` (on it or on one of its
    controls), and no ``phx-auto-recover="ignore"``."""
    if not form.get("id") or form.get(AUTO_RECOVER) == "ignore":
        return False
    if form.get("phx-change") is not None:
        return True
    return any(el.get("phx-change") is not None for el in form_controls(page, form))


def save_forms(page: Page) -> list[SavedForm]:
    """The live values of every form recovery re-sends, before a join render replaces them."""
    saved = []
    for form in page.root.iter("form"):
        if not recoverable(page, form):
            continue
        values = []
        own = []
        for el, name, index in placed(page, form):
            value = read_live(el)
            if value is not None:
                values.append((name, index, value))
            if el.get("phx-change") is not None:
                own.append((name, index, control_change_pairs(page, el)))
        pairs = change_pairs(page, form)
        saved.append(SavedForm(str(form.get("id")), tuple(values), pairs, tuple(own)))
    return saved


def placed(page: Page, form: LxmlElement) -> list[tuple[LxmlElement, str, int]]:
    """The named controls of ``form`` whose values recovery restores, each with its name and
    its place among the controls of that name."""
    found = []
    seen: dict[str, int] = {}
    for el in form_controls(page, form):
        name = el.get("name")
        if not name or (el.tag == "input" and _dom.input_type(el) in FIXED_VALUE):
            continue
        index = seen.get(str(name), 0)
        seen[str(name)] = index + 1
        found.append((el, str(name), index))
    return found


def find_form(page: Page, form_id: str) -> LxmlElement | None:
    return next((f for f in page.root.iter("form") if f.get("id") == form_id), None)


def restore(page: Page, saved: SavedForm, typed: dict[int, Typed]) -> bool:
    """Put ``saved``'s values back into the fields of its form on ``page`` (matched by name
    and place among that name's fields); whether the form is still there."""
    form = find_form(page, saved.form_id)
    if form is None:
        return False
    by_name = {(name, index): el for el, name, index in placed(page, form)}
    for name, index, value in saved.values:
        el = by_name.get((name, index))
        token = None if el is None else page.token_of.get(el)
        if token is None:
            continue
        server = server_live(page, el)
        if server is None or type(server) is not type(value):
            continue
        if isinstance(value, tuple) and isinstance(server, tuple) and len(value) != len(server):
            continue
        if value == server:
            typed.pop(token, None)
        else:
            typed[token] = Typed(value, server)
    return True


# -- phx-trigger-action ---------------------------------------------------------------------------


@attrs.frozen
class TriggerAction:
    """The real HTTP submit a ``phx-trigger-action`` form made: where (``action``, ``method``)
    and the ``[name, value]`` pairs it posted (the last ``phx-submit``'s submitter included)."""

    form: str
    action: str
    method: str
    pairs: list[list[str]]

    @property
    def data(self) -> Params:
        """The pairs decoded as the server decodes a form (``user[email]`` → nested)."""
        return decode_pairs([(name, value) for name, value in self.pairs], "form field")


def triggers(form: LxmlElement) -> bool:
    value = form.get(TRIGGER_ACTION)
    return value is not None and value != "false"


def trigger_action(
    page: Page, form: LxmlElement, path: str, submitter: tuple[int, str, str] | None
) -> TriggerAction:
    """What the browser posts for ``form`` (``path``: the page's, when it has no action):
    its fields, the ``submitter`` (its identity, name and value) in its place, or last when it
    left the page."""
    button = None if submitter is None else page.by_token.get(submitter[0])
    fields = _dom.form_fields(page, form)
    if button is not None and any(f.el is button for f in fields):
        pairs = _dom.serialize(fields, button)
    else:
        pairs = _dom.serialize(fields)
        if submitter is not None:
            pairs.append([submitter[1], submitter[2]])
    dom_id = form.get("id")
    where = f"#{dom_id}" if dom_id else _dom.opening_tag(page.origin[form])
    action = form.get("action")
    method = str(form.get("method") or "get").lower()
    return TriggerAction(where, str(action) if action else path, method, pairs)
