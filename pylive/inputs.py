"""Input components, in the style of Phoenix's core components: a field with its label and errors.

``input_field(form["email"], type="email", label="Email")`` renders::

    <div class="field">
      <label for="user_email">Email</label>
      <input type="email" name="user[email]" id="user_email" value="ada@"
             aria-invalid="true" aria-describedby="user_email-error">
      <p class="error" id="user_email-error">is invalid</p>
    </div>

(one line, no spaces between tags). Errors show only for a used field (``Field.errors``); each
message is a ``<p class="error">``, the first with the id ``<field id>-error``, the next ones
``-error-2`` …, and ``aria-describedby`` names them all. Other keywords are attributes of the
control (``required=True``, ``phx_debounce="300"``, ``class_=…``).

Types: any ``<input>`` type (text, email, password, number, date, hidden …); ``"checkbox"`` (the
hidden ``"false"`` first, as Phoenix does, so an unchecked box is sent; with ``options=``, a
checkbox group named ``name[]``); ``"select"`` (``options=``, ``prompt=``, ``multiple=True`` names
it ``name[]``); ``"radio"`` (a radio group, ``options=``); ``"textarea"``. A checkbox group and a
multiple select send ``""`` first, from a hidden input, so that an emptied one is still sent (and
counts as used): its value is then ``[""]``.

Options are strings (the label is the value), ``(label, value)`` pairs, or ``(group label,
[options])`` for an ``<optgroup>``. A value is compared as the browser sends it
(``format_value``), so ``5`` selects the option ``"5"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pylive.component import component
from pylive.form_fields import Field, format_value
from pylive.html import (
    div,
    fieldset,
    img,
    input,
    label,
    legend,
    optgroup,
    option,
    p,
    select,
    textarea,
)
from pylive.html import form as form_element
from pylive.node import Element
from pylive.upload_entries import ANY, UploadConfig, UploadEntry

__all__ = [
    "field_errors",
    "field_label",
    "input_field",
    "live_file_input",
    "live_img_preview",
    "simple_form",
]

_UNSET: Any = type("_Unset", (), {"__repr__": lambda self: "<unset>"})()


@component
def field_label(field: Field, *children: Any, **attrs: Any) -> Element:
    """``<label for="user_email">…</label>`` for ``field``."""
    return label(*children, for_=field.id, **attrs)


@component
def field_errors(field: Field) -> list[Element]:
    """The field's messages (none unless it is used), each a ``<p class="error">`` with an id."""
    errors = field.errors
    ids = field.error_ids(len(errors))
    return [p(message, class_="error", id=id) for id, message in zip(ids, errors, strict=True)]


@component
def input_field(
    field: Field,
    *,
    type: str = "text",
    label: Any = None,
    options: Sequence[Any] | None = None,
    multiple: bool = False,
    prompt: str | None = None,
    value: Any = _UNSET,
    **attrs: Any,
) -> Element:
    """``field`` as a labelled control with its errors (see the module's docstring)."""
    shown = field.value if value is _UNSET else value
    if type == "checkbox" and options is not None:
        return _group(field, "checkbox", label, options, shown, attrs)
    if type == "radio":
        if options is None:
            raise TypeError(
                f"input_field({field.name!r}, type='radio'): a radio group needs options=, got None"
            )
        return _group(field, "radio", label, options, shown, attrs)
    if type == "checkbox":
        checked = shown is True or shown == "true"
        control = input(
            type="checkbox", name=field.name, id=field.id, value="true", checked=checked,
            **attrs, **field.aria(),
        )  # fmt: skip
        hidden = input(
            type="hidden", name=field.name, value="false", disabled=attrs.get("disabled")
        )
        return div(_checkbox_label(hidden, control, label), field_errors(field), class_="field")
    if type == "select":
        name = f"{field.name}[]" if multiple else field.name
        chosen = _chosen(shown)
        control = select(
            option(prompt, value="") if prompt is not None else None,
            _options(options or (), chosen),
            name=name, id=field.id, multiple=multiple, **attrs, **field.aria(),
        )  # fmt: skip
        empty = input(type="hidden", name=name, value="") if multiple else None
        return div(_label_for(field, label), empty, control, field_errors(field), class_="field")
    if options is not None or multiple or prompt is not None:
        raise TypeError(
            f"input_field({field.name!r}, type={type!r}): options=, multiple= and prompt= are "
            f"for type='select', 'radio' or 'checkbox'"
        )
    if type == "textarea":
        text = format_value(shown)
        control = textarea(text or "", name=field.name, id=field.id, **attrs, **field.aria())
    else:
        if isinstance(shown, list | tuple | dict):
            raise TypeError(
                f"input_field({field.name!r}, type={type!r}): expected a single value for an "
                f"<input>, got {shown!r}; a list is a select with multiple=True or a checkbox group"
            )
        control = input(
            type=type, name=field.name, id=field.id, value=format_value(shown),
            **attrs, **field.aria(),
        )  # fmt: skip
    return div(_label_for(field, label), control, field_errors(field), class_="field")


@component
def simple_form(*children: Any, actions: Any = None, **attrs: Any) -> Element:
    """``<form>`` with the fields and an ``actions`` slot after them (``<div class="actions">``:
    the buttons), Phoenix's ``simple_form``. Attributes go on the form (``id``, ``phx_change``,
    ``phx_submit``, ``phx_trigger_action``, ``action``, ``method`` …)."""
    actions_row = div(actions, class_="actions") if actions is not None else None
    return form_element(*children, actions_row, **attrs)


def _label_for(field: Field, text: Any) -> Element | None:
    return None if text is None else label(text, for_=field.id)


def _checkbox_label(hidden: Element, control: Element, text: Any) -> Element:
    return label(hidden, control, text)


def _chosen(value: Any) -> set[str]:
    """What is selected: the value's items (a list) or the value, as the browser sends them."""
    values = value if isinstance(value, list | tuple | set | frozenset) else [value]
    return {text for text in (format_value(v) for v in values) if text is not None}


def _option_pair(item: Any) -> tuple[Any, Any]:
    if isinstance(item, tuple) and len(item) == 2:
        return item[0], item[1]
    if isinstance(item, str | int | float):
        return item, item
    raise TypeError(
        f"input_field(options=...): expected an option as a str, a (label, value) pair or a "
        f"(group label, [options]) pair, got {item!r}"
    )


def _options(options: Sequence[Any], chosen: set[str]) -> list[Element]:
    found: list[Element] = []
    for item in options:
        text, value = _option_pair(item)
        if isinstance(value, list):
            found.append(optgroup(_options(value, chosen), label=str(text)))
            continue
        formatted = format_value(value)
        found.append(option(text, value=formatted, selected=formatted in chosen))
    return found


def _group(
    field: Field, kind: str, text: Any, options: Sequence[Any], shown: Any, attrs: dict[str, Any]
) -> Element:
    """A radio group or a checkbox group: a fieldset of labelled controls, its errors after."""
    chosen = _chosen(shown)
    aria = field.aria()
    name = f"{field.name}[]" if kind == "checkbox" else field.name
    controls: list[Element] = []
    if kind == "checkbox":
        controls.append(input(type="hidden", name=name, value=""))
    for item in options:
        option_text, value = _option_pair(item)
        formatted = format_value(value)
        control = input(
            type=kind, name=name, id=f"{field.id}_{_id_part(formatted)}", value=formatted,
            checked=formatted in chosen, **attrs,
            **({"aria-invalid": "true"} if aria and kind == "checkbox" else {}),
        )  # fmt: skip
        controls.append(label(control, option_text))
    group_aria: dict[str, str] = {}
    if aria:
        group_aria = {"aria-describedby": aria["aria-describedby"]}
        if kind == "radio":
            group_aria = {"aria-invalid": "true", **group_aria}
    return fieldset(
        legend(text) if text is not None else None,
        *controls,
        field_errors(field),
        class_="field",
        id=field.id,
        role="radiogroup" if kind == "radio" else None,
        **group_aria,
    )


def _id_part(value: str | None) -> str:
    return "".join(c if c.isalnum() or c in "_-" else "_" for c in value or "")


# -- uploads (pylive.uploads) ------------------------------------------------------------------


def live_file_input(upload: UploadConfig, **attrs: Any) -> Element:
    """The file input of an upload config (``assigns.uploads.<name>``)::

        <input type="file" id="phx-upload-0" name="avatar" accept=".png,image/*"
               data-phx-upload-ref="phx-upload-0" data-phx-active-refs="0,1"
               data-phx-done-refs="0" multiple>

    ``accept`` is left out for ``":any"``, ``multiple`` when ``max_entries`` is 1; the refs are
    the entries the server knows (``""`` when none); ``data-phx-auto-upload`` is added for
    ``auto_upload=True``. Other keywords are attributes (``class_=…``)."""
    if not isinstance(upload, UploadConfig):
        raise TypeError(
            f"live_file_input: expected an upload config (assigns.uploads.<name>), got {upload!r}"
        )
    entries = upload.entries
    return input(
        type="file",
        id=upload.ref,
        name=upload.name,
        accept=None if upload.accept == ANY else ",".join(upload.accept),
        data_phx_upload_ref=upload.ref,
        data_phx_active_refs=",".join(entry.ref for entry in entries),
        data_phx_done_refs=",".join(entry.ref for entry in entries if entry.done),
        data_phx_auto_upload=True if upload.auto_upload else None,
        multiple=upload.max_entries > 1,
        **attrs,
    )


def live_img_preview(entry: UploadEntry, **attrs: Any) -> Element:
    """An ``<img>`` the client fills with the chosen file (before any byte is sent)::

    <img id="phx-preview-phx-upload-0-0" data-phx-upload-ref="phx-upload-0"
         data-phx-entry-ref="0" data-phx-hook="pylive:ImgPreview">
    """
    if not isinstance(entry, UploadEntry):
        raise TypeError(f"live_img_preview: expected an upload entry, got {entry!r}")
    return img(
        id=f"phx-preview-{entry.upload_ref}-{entry.ref}",
        data_phx_upload_ref=entry.upload_ref,
        data_phx_entry_ref=entry.ref,
        data_phx_hook="pylive:ImgPreview",
        **attrs,
    )
