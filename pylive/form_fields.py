"""The form object: Phoenix's ``to_form`` and ``Phoenix.HTML.Form``, done the Python way.

``to_form(params, errors=..., as_="user")`` is what a view assigns and renders; ``form["email"]``
is a ``Field`` with everything an input needs: its ``name`` (``user[email]``), ``id``
(``user_email``), ``value`` and ``errors``.

- ``params`` is a dict: a decoded form payload or defaults. With ``as_="user"`` it is the form's
  *inner* dict, as in LiveView (``handle_event("validate", {"user": user_params})`` →
  ``to_form(user_params, as_="user")``), never the whole payload. A pydantic model instance is
  the form's *data* instead: its fields give the values, and no field counts as used.
- **The used rule** (LiveView's ``used_input?``): the client adds ``_unused_email`` next to a
  field the user has not used yet. A field is used when its key is in the params without such a
  marker (a nested dict: when one of its fields is); only a used field shows its errors, so
  ``form["email"].errors`` is ``[]`` until the user has been there. Markers and ``_target`` never
  appear in ``form.params`` or in a value.
- ``errors`` are field errors by path (``{"address.city": ["Field required"]}``, see
  ``pylive.validation``), or a pydantic ``ValidationError`` as it is.

>>> form = to_form({"email": "ada@", "name": "", "_unused_name": ""}, as_="user",
...                errors={"email": ["is invalid"], "name": ["can't be blank"]})
>>> form["email"]
Field('user[email]', value='ada@', errors=['is invalid'])
>>> form["name"].used, form["name"].errors, form.valid
(False, [], False)
>>> form["name"].attrs()
{'name': 'user[name]', 'id': 'user_name', 'value': ''}
>>> form["email"].aria()  # in attrs() too, when the field shows errors
{'aria-invalid': 'true', 'aria-describedby': 'user_email-error'}
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError

from pylive.validation import (
    UNUSED_PREFIX,
    Errors,
    check_errors,
    clean_params,
    errors_from_validation_error,
)

__all__ = ["Field", "Form", "format_value", "to_form"]

Data = Mapping[str, Any] | BaseModel | None
"""A form's data (defaults): a dict or a pydantic model instance."""

_ID_UNSAFE = re.compile(r"[^\w-]")


def to_form(
    params: Mapping[str, Any] | BaseModel | None = None,
    *,
    errors: Mapping[str, Any] | ValidationError | None = None,
    as_: str | None = None,
    id: str | None = None,
    data: Data = None,
) -> Form:
    """A ``Form`` from params (or a model instance), errors, and the form's name.

    ``as_`` names the form (fields ``user[email]``, ids ``user_email``); ``id`` the prefix of
    field ids when it is not the name. ``data=`` gives defaults under params: a field's value is
    its param when sent, else its data.
    """
    if isinstance(params, BaseModel):
        if data is not None:
            raise TypeError(
                f"to_form(): params is a model instance ({type(params).__name__}), which is the "
                f"form's data; pass data= or a model, not both (data={data!r})"
            )
        params, data = {}, params
    elif params is None:
        params = {}
    elif not isinstance(params, Mapping):
        raise TypeError(
            f"to_form(): expected params as a dict (a decoded form payload or defaults) or a "
            f"pydantic model instance, got {params!r}"
        )
    if data is not None and not isinstance(data, Mapping | BaseModel):
        raise TypeError(f"to_form(): expected data= a dict or a pydantic model, got {data!r}")
    if as_ is not None and (not isinstance(as_, str) or not as_):
        raise TypeError(f"to_form(): expected as_= a form name (a non-empty str), got {as_!r}")
    if id is not None and not isinstance(id, str):
        raise TypeError(f"to_form(): expected id= a str, got {id!r}")
    if errors is None:
        checked: Errors = {}
    elif isinstance(errors, ValidationError):
        checked = errors_from_validation_error(errors, params)
    else:
        checked = check_errors(errors, "to_form(errors=...)")
    return Form(
        params=clean_params(params),
        raw=params,
        data=data,
        errors=checked,
        name=as_,
        id=id if id is not None else as_,
    )


class Form:
    """A form: its params (markers left out), data, errors, name and id; ``form[key]`` is a field.

    A nested form (``form.sub_form("address")``) shares its parent's errors under its path.
    """

    __slots__ = ("_raw", "data", "errors", "id", "name", "params")

    def __init__(
        self,
        *,
        params: dict[str, Any],
        raw: Mapping[str, Any],
        data: Data,
        errors: Errors,
        name: str | None,
        id: str | None,
    ) -> None:
        self.params = params
        """The params as sent, without the client's markers and ``_target``."""
        self._raw = raw
        self.data = data
        """The defaults under the params: a dict, a model instance, or None."""
        self.errors = errors
        """Every field's errors, by path, used or not (``Field.errors`` shows only used ones)."""
        self.name = name
        """The name fields are nested under (``user`` → ``user[email]``), or None."""
        self.id = id
        """The prefix of field ids (``user`` → ``user_email``), or None."""

    @property
    def valid(self) -> bool:
        """No errors at all, on used fields or not."""
        return not self.errors

    def __getitem__(self, key: str) -> Field:
        _check_key(key, "form")
        return Field(self, key)

    def sub_form(self, key: str) -> Form:
        """The nested form of field ``key`` (``inputs_for``): names ``user[address][city]``."""
        return self[key].sub_form()

    def sub_forms(self, key: str) -> list[Form]:
        """The nested forms of the indexed field ``key``: ``user[addresses][0][city]`` …, one per
        item of its value (a list, or a dict of indexes as the browser sends it)."""
        return self[key].sub_forms()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Form):
            return NotImplemented
        return (
            self.params == other.params
            and self._raw == other._raw
            and self.data == other.data
            and self.errors == other.errors
            and self.name == other.name
            and self.id == other.id
        )

    __hash__ = None  # type: ignore[assignment]  # mutable contents

    def __repr__(self) -> str:
        return f"Form({self.name!r}, params={self.params!r}, errors={self.errors!r})"


class Field:
    """One field of a form: ``name``, ``id``, ``value``, ``errors`` (only when ``used``)."""

    __slots__ = ("form", "key")

    def __init__(self, form: Form, key: str) -> None:
        self.form = form
        self.key = key

    @property
    def name(self) -> str:
        """The input's name: ``user[email]``, or ``email`` in a form without a name."""
        parent = self.form.name
        return self.key if parent is None else f"{parent}[{self.key}]"

    @property
    def id(self) -> str:
        """The input's id: ``user_email`` (characters an id should not hold become ``_``)."""
        parent = self.form.id
        key = _ID_UNSAFE.sub("_", self.key)
        return key if parent is None else f"{parent}_{key}"

    @property
    def value(self) -> Any:
        """The param sent for the field, else its data, else None."""
        params = self.form.params
        if self.key in params:
            return params[self.key]
        return _data_value(self.form.data, self.key)

    @property
    def used(self) -> bool:
        """Whether the user has used the field: sent, and without an ``_unused_`` marker."""
        return _used(self.form._raw, self.key)

    @property
    def errors(self) -> list[str]:
        """The field's messages (and its list items': ``tags.0``) when used, else ``[]``."""
        if not self.used:
            return []
        errors = self.form.errors
        found = list(errors.get(self.key, ()))
        prefix = self.key + "."
        for path, messages in errors.items():
            if path.startswith(prefix) and path[len(prefix) :].isdigit():
                found.extend(messages)
        return found

    def error_ids(self, count: int | None = None) -> list[str]:
        """The ids of the field's error messages: ``user_email-error``, then ``-error-2`` …
        (``count`` of them, default: one per error shown)."""
        if count is None:
            count = len(self.errors)
        first = f"{self.id}-error"
        return [first, *(f"{first}-{n}" for n in range(2, count + 1))][:count]

    @property
    def checked(self) -> bool:
        """A checkbox's state: the value is True or ``"true"`` (what the checkbox sends)."""
        return self.value is True or self.value == "true"

    def attrs(self) -> dict[str, Any]:
        """``{"name", "id", "value"}`` for ``input(**field.attrs())`` (no value for a list or a
        dict, None leaves it out), plus ``aria-invalid`` and ``aria-describedby`` when the field
        shows errors."""
        attrs: dict[str, Any] = {"name": self.name, "id": self.id}
        if not isinstance(self.value, Mapping | list | tuple):
            attrs["value"] = format_value(self.value)
        attrs.update(self.aria())
        return attrs

    def aria(self) -> dict[str, str]:
        """``aria-invalid`` and ``aria-describedby`` (every error's id) when errors show."""
        ids = self.error_ids()
        if not ids:
            return {}
        return {"aria-invalid": "true", "aria-describedby": " ".join(ids)}

    def __getitem__(self, key: str) -> Field:
        _check_key(key, f"form[{self.key!r}]")
        return self.sub_form()[key]

    def sub_form(self) -> Form:
        """This field as a nested form: its fields are named ``user[address][city]``."""
        form = self.form
        raw = form._raw.get(self.key)
        params = form.params.get(self.key)
        return Form(
            params=params if isinstance(params, dict) else {},
            raw=raw if isinstance(raw, Mapping) else {},
            data=_nested_data(_data_value(form.data, self.key)),
            errors=_under(form.errors, self.key),
            name=self.name,
            id=self.id,
        )

    def sub_forms(self) -> list[Form]:
        """One nested form per item of an indexed field (``user[addresses][0]`` …): its value a
        dict of indexes (as the browser sends it) or a list (data)."""
        form = self.form
        params = _indexed(form.params.get(self.key))
        raw = _indexed(form._raw.get(self.key))
        data = _indexed(_data_value(form.data, self.key))
        value = params if self.key in form.params else data
        if value is None:
            return []
        if not isinstance(value, Mapping):
            raise TypeError(
                f"form[{self.key!r}].sub_forms(): expected a list (or a dict of indexes) as "
                f"the field's value, got {value!r}"
            )
        holder = Form(
            params=params if isinstance(params, dict) else {},
            raw=raw if isinstance(raw, Mapping) else {},
            data=data if isinstance(data, Mapping) else None,
            errors=_under(form.errors, self.key),
            name=self.name,
            id=self.id,
        )
        indexes = sorted((k for k in value if isinstance(k, str) and k.isdigit()), key=int)
        return [holder.sub_form(index) for index in indexes]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Field):
            return NotImplemented
        return self.key == other.key and self.form == other.form

    __hash__ = None  # type: ignore[assignment]  # its form is mutable

    def __repr__(self) -> str:
        return f"Field({self.name!r}, value={self.value!r}, errors={self.errors!r})"


def format_value(value: Any) -> str | None:
    """A value as an input's ``value`` attribute: None stays None (no attribute), a bool is
    ``"true"``/``"false"`` (what a checkbox sends), an enum its value, anything else ``str()``.
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return format_value(value.value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _check_key(key: object, where: str) -> None:
    if not isinstance(key, str):
        raise TypeError(f"{where}[{key!r}]: expected a field name (a str such as 'email')")
    if not key or "[" in key or "]" in key or "." in key:
        raise ValueError(
            f"{where}[{key!r}]: expected one field name, without brackets or dots; a nested "
            f"field is form['address']['city']"
        )


def _used(raw: Mapping[str, Any], key: str) -> bool:
    """LiveView's ``used_input?``: sent without a marker; a nested dict when any field is."""
    if key.startswith(UNUSED_PREFIX) or key not in raw or UNUSED_PREFIX + key in raw:
        return False
    value = raw[key]
    if isinstance(value, Mapping):
        return any(isinstance(k, str) and _used(value, k) for k in value)
    return True


def _under(errors: Errors, key: str) -> Errors:
    """The errors below field ``key``, with paths relative to it."""
    prefix = key + "."
    return {path[len(prefix) :]: msgs for path, msgs in errors.items() if path.startswith(prefix)}


def _data_value(data: Data, key: str) -> Any:
    if data is None:
        return None
    if isinstance(data, BaseModel):
        # Only declared fields: a field name never reaches getattr on anything else.
        return getattr(data, key, None) if key in type(data).model_fields else None
    return data.get(key)


def _indexed(value: Any) -> Any:
    """A list as the dict of indexes the browser sends for it: ``[a, b]`` → ``{"0": a, "1": b}``."""
    if isinstance(value, list | tuple):
        return {str(n): item for n, item in enumerate(value)}
    return value


def _nested_data(value: Any) -> Data:
    return value if isinstance(value, Mapping | BaseModel) else None
