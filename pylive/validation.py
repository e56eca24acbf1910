"""Validation → field errors: a pydantic model or a plain function, one error format for forms.

Field errors are a dict from a field's *path* to its messages: ``{"email": ["can't be blank"],
"address.city": ["Field required"], "tags.0": ["Input should be a valid integer, …"]}``. A path is
the field's keys inside the form's params joined with ``.`` (a list index is its number), so
``"address.city"`` is the error of ``form["address"]["city"]``; ``""`` is the model's own error (a
``model_validator``). ``pylive.form_fields.to_form`` takes this dict, or a pydantic
``ValidationError`` as it is.

Params are validated as the browser sent them, *cleaned*: the client's ``_unused_*`` markers and
the ``_target`` key are left out (``clean_params``), so a model with ``extra="forbid"`` is not
surprised by them, and pydantic is given lists where the form sent indexed fields
(``addresses[0][city]`` decodes to ``{"0": {...}}``, validated as ``[{...}]``).

>>> from pydantic import BaseModel
>>> class User(BaseModel):
...     email: str
...     age: int
>>> errors_from_pydantic(User, {"age": "x", "_unused_email": ""})[1]["email"]
['Field required']
>>> errors_from_pydantic(User, {"email": "ada@example.com", "age": "36"})
(User(email='ada@example.com', age=36), {})
>>> errors_from_function(lambda p: {"age": [] if p.get("age") else ["can't be blank"]}, {})
{'age': ["can't be blank"]}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

__all__ = [
    "UNUSED_PREFIX",
    "Errors",
    "check_errors",
    "clean_params",
    "errors_from_function",
    "errors_from_pydantic",
    "errors_from_validation_error",
]

Errors = dict[str, list[str]]
"""Field errors: a field's dotted path → its messages, in order."""

UNUSED_PREFIX = "_unused_"
"""The client's marker of a field not used yet: ``_unused_email`` next to ``email``."""

TARGET = "_target"
"""The key of a change payload naming the field that changed (a key path)."""

M = TypeVar("M", bound=BaseModel)


def clean_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` without the client's ``_unused_*`` markers (at every depth) and ``_target``.

    >>> clean_params({"user": {"email": "", "_unused_email": ""}, "_target": ["user", "email"]})
    {'user': {'email': ''}}
    """
    if not isinstance(params, Mapping):
        raise TypeError(f"clean_params(): expected a dict of params, got {params!r}")
    return {key: value for key, value in _clean(params).items() if key != TARGET}


def _clean(params: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: _clean(value) if isinstance(value, Mapping) else value
        for key, value in params.items()
        if not (isinstance(key, str) and key.startswith(UNUSED_PREFIX))
    }


def _as_lists(value: Any) -> Any:
    """Indexed fields as lists: ``{"0": a, "1": b}`` → ``[a, b]`` (by number), at every depth."""
    if isinstance(value, Mapping):
        converted = {key: _as_lists(item) for key, item in value.items()}
        if converted and all(isinstance(key, str) and key.isdigit() for key in converted):
            return [converted[key] for key in sorted(converted, key=int)]
        return converted
    if isinstance(value, list):
        return [_as_lists(item) for item in value]
    return value


def errors_from_pydantic(model: type[M], params: Mapping[str, Any]) -> tuple[M | None, Errors]:
    """Validate ``params`` (cleaned) with ``model``: ``(instance, {})`` or ``(None, errors)``.

    Messages are pydantic's own (``"Field required"``); paths follow the fields, not pydantic's
    locations: a union member's tag (``("n", "int")``) is left out, a list index kept.
    """
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise TypeError(f"errors_from_pydantic(): expected a pydantic model class, got {model!r}")
    if not isinstance(params, Mapping):
        raise TypeError(
            f"errors_from_pydantic({model.__name__}, ...): expected a dict of params, "
            f"got {params!r}"
        )
    data = _as_lists(clean_params(params))
    try:
        return model.model_validate(data), {}
    except ValidationError as error:
        return None, _errors_of(error, data)


def errors_from_validation_error(
    error: ValidationError, params: Mapping[str, Any] | None = None
) -> Errors:
    """A pydantic ``ValidationError``'s errors by field path. Given the ``params`` it failed on,
    a union member's tag is told from a field's name and left out; without them every part of
    pydantic's location is kept (``("n", "int")`` → ``"n.int"``)."""
    if not isinstance(error, ValidationError):
        raise TypeError(
            f"errors_from_validation_error(): expected a pydantic ValidationError, got {error!r}"
        )
    if params is None:
        return _errors_of(error, _UNKNOWN)
    if not isinstance(params, Mapping):
        raise TypeError(
            f"errors_from_validation_error(): expected params= a dict (or None), got {params!r}"
        )
    return _errors_of(error, _as_lists(clean_params(params)))


_UNKNOWN: Any = object()


def _errors_of(error: ValidationError, data: Any) -> Errors:
    errors: Errors = {}
    for detail in error.errors(include_url=False):
        loc = detail["loc"]
        path = ".".join(str(item) for item in loc) if data is _UNKNOWN else _path(loc, data)
        errors.setdefault(path, []).append(detail["msg"])
    return errors


def _path(loc: tuple[int | str, ...], data: Any) -> str:
    """The field path of a pydantic location, walking the validated ``data`` alongside: a name
    is a field where the data there is a dict holding it, or where the location ends (a missing
    field); anything else is a union member's tag (``("n", "int")``) or a validator's name."""
    parts: list[str] = []
    for depth, item in enumerate(loc):
        if isinstance(item, int):
            parts.append(str(item))
            data = data[item] if isinstance(data, list) and 0 <= item < len(data) else None
        elif isinstance(data, Mapping) and item in data:
            parts.append(item)
            data = data[item]
        elif (data is None or isinstance(data, Mapping)) and depth == len(loc) - 1:
            parts.append(item)  # "missing", "extra_forbidden": a field that is not in the input
    return ".".join(parts)


def errors_from_function(
    validate: Callable[[dict[str, Any]], Mapping[str, Any]], params: Mapping[str, Any]
) -> Errors:
    """Call ``validate(params)`` (cleaned) and check what it returns: ``{path: [messages]}``.

    Paths without messages (``{"email": []}``) are left out, so ``to_form(...).valid`` is True
    when every list is empty.
    """
    if not callable(validate):
        raise TypeError(f"errors_from_function(): expected a function, got {validate!r}")
    if not isinstance(params, Mapping):
        raise TypeError(
            f"errors_from_function({_name(validate)}, ...): expected a dict of params, "
            f"got {params!r}"
        )
    result = validate(clean_params(params))
    return check_errors(result, f"the result of {_name(validate)}()")


def check_errors(errors: object, where: str) -> Errors:
    """``errors`` as ``Errors``: a dict of str paths to lists of str messages; empty lists left
    out. Anything else is a ``TypeError`` naming ``where`` it came from."""
    if not isinstance(errors, Mapping):
        raise TypeError(
            f"{where}: expected field errors, a dict of field path to a list of messages "
            f"({{'email': [\"can't be blank\"]}}), got {errors!r}"
        )
    checked: Errors = {}
    for path, messages in errors.items():
        if not isinstance(path, str):
            raise TypeError(
                f"{where}: expected a field path (a str such as 'email' or 'address.city') "
                f"as key, got {path!r}"
            )
        if not isinstance(messages, list | tuple) or not all(
            isinstance(message, str) for message in messages
        ):
            raise TypeError(
                f"{where}: expected a list of messages (str) for field {path!r}, got {messages!r}"
            )
        if messages:
            checked[path] = list(messages)
    return checked


def _name(fn: object) -> str:
    return getattr(fn, "__qualname__", None) or repr(fn)
