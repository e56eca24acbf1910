"""Every frame a client sends, validated in one place before the session acts on it.

``decode(text)`` parses the JSON and checks the frame's shape with pydantic (strict types, sizes,
known kinds, no unknown keys, a nesting limit): the session only ever sees one of ``Join``,
``Event`` or ``Heartbeat``. Anything else raises ``ProtocolError`` naming what was wrong and
carrying what could be read of the frame (its ``ref`` and ``type``), so that the error reply
reaches the right pending call; nothing else is ever raised, whatever the bytes.

>>> decode('{"type":"hb","ref":3}')
{'type': 'hb', 'ref': 3}
>>> decode('{"type":"event","ref":4,"kind":"click","event":""}')
Traceback (most recent call last):
  ...
pylive.exceptions.ProtocolError: event.event: string should have at least 1 character, got ''
"""

from __future__ import annotations

import itertools
from typing import Annotated, Any, Literal, NotRequired, TypeAlias

import orjson
from pydantic import ConfigDict, Field, TypeAdapter, ValidationError, with_config
from pydantic_core import ErrorDetails
from typing_extensions import TypedDict

from pylive.exceptions import ProtocolError

MAX_REF = 2**53 - 1
"""The largest ref: an integer every JavaScript number can hold exactly."""
MAX_NAME = 256
"""Characters in an event name, a form field's target, a token's route."""
MAX_URL = 8192
MAX_TOKEN = 8192

Ref = Annotated[int, Field(ge=0, le=MAX_REF)]
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME)]
Kind = Literal["click", "submit", "change", "keydown", "keyup", "focus", "blur", "hook"]

_STRICT = ConfigDict(extra="forbid", strict=True)


@with_config(_STRICT)
class Join(TypedDict):
    """``{"type":"join","ref":0,"token":…,"url":…,"mounts":n}``."""

    type: Literal["join"]
    ref: Ref
    token: Annotated[str, Field(max_length=MAX_TOKEN)]
    url: Annotated[str, Field(max_length=MAX_URL)]
    mounts: NotRequired[Annotated[int, Field(ge=0, le=MAX_REF)]]


@with_config(_STRICT)
class Event(TypedDict):
    """``{"type":"event","ref":n,"kind":"click","event":"inc","value":{…}}``; a form event's
    value is its fields, ``target`` the changed one's name; ``cid`` a live component."""

    type: Literal["event"]
    ref: Ref
    kind: Kind
    event: Name
    value: NotRequired[Any]
    target: NotRequired[Annotated[str, Field(max_length=MAX_NAME)]]
    cid: NotRequired[Annotated[int, Field(ge=0, le=MAX_REF)]]


@with_config(_STRICT)
class Heartbeat(TypedDict):
    """``{"type":"hb","ref":n}``, answered by ``{"ref":n}``."""

    type: Literal["hb"]
    ref: Ref


ClientFrame: TypeAlias = Join | Event | Heartbeat

_ADAPTER: TypeAdapter[ClientFrame] = TypeAdapter(
    Annotated[Join | Event | Heartbeat, Field(discriminator="type")]
)
_FORM_KINDS = frozenset({"change", "submit"})


def decode(text: str | bytes) -> ClientFrame:
    """The frame ``text`` holds, checked; ``ProtocolError`` for anything else."""
    try:
        frame = _ADAPTER.validate_json(text)
    except ValidationError as error:
        raise _protocol_error(text, error) from None
    except Exception as error:  # nothing but a ProtocolError leaves this function
        raise ProtocolError(f"unreadable frame: {error}") from None
    if frame["type"] == "event" and "value" in frame:
        _check_value(frame)
    return frame


def _check_value(frame: Event) -> None:
    """A form event's value is its fields, ``[[name, value], ...]``; any other's an object."""
    value = frame["value"]
    if frame["kind"] in _FORM_KINDS:
        if type(value) is list and all(
            type(pair) is list and len(pair) == 2 and type(pair[0]) is str and type(pair[1]) is str
            for pair in value
        ):
            frame["value"] = [(name, field) for name, field in value]
            return
        expected = "[[name, value], ...] with text names and values"
    elif type(value) is dict:
        return
    else:
        expected = "an object"
    raise ProtocolError(
        f"event.value: a {frame['kind']} event's value must be {expected}, got {_short(value)}",
        frame["ref"],
        "event",
    )


def _protocol_error(text: str | bytes, error: ValidationError) -> ProtocolError:
    """The first problem, said plainly, with the frame's ref and type when they can be read."""
    ref: int | None = None
    kind: str | None = None
    try:
        loose = orjson.loads(text)
    except (orjson.JSONDecodeError, TypeError, ValueError):
        loose = None
    if isinstance(loose, dict):
        found = loose.get("ref")
        if type(found) is int and 0 <= found <= MAX_REF:
            ref = found
        found = loose.get("type")
        if isinstance(found, str) and found in ("join", "event", "hb"):
            kind = found
    return ProtocolError(_describe(error.errors(include_url=False)[0]), ref, kind)


_TAGS = {"join": "join", "event": "event", "hb": "hb"}


def _describe(detail: ErrorDetails) -> str:
    kind = detail["type"]
    where = ".".join(str(part) for part in detail["loc"])
    given = detail.get("input")
    if kind == "json_invalid":
        return f"not a JSON object: {detail['ctx']['error']}" if "ctx" in detail else "bad JSON"
    if kind in ("union_tag_invalid", "union_tag_not_found", "model_type", "dict_type") and (
        not where or where in _TAGS
    ):
        if kind == "union_tag_invalid":
            return f"type: expected 'join', 'event' or 'hb', got {_short(detail['ctx']['tag'])}"
        if kind == "union_tag_not_found":
            return "type: missing; expected 'join', 'event' or 'hb'"
        return f"expected a JSON object, got {_short(given)}"
    if kind == "missing":
        return f"{where}: missing"
    if kind == "extra_forbidden":
        return f"{where}: not a field of this frame"
    if kind == "literal_error":
        expected = detail.get("ctx", {}).get("expected", "")
        return f"{where}: expected {expected}, got {_short(given)}"
    message = detail["msg"]
    message = message[:1].lower() + message[1:]
    return f"{where}: {message}, got {_short(given)}"


def _short(value: Any, limit: int = 60) -> str:
    shown = repr(_clip(value, limit, limit))
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def _clip(value: Any, room: int, depth: int) -> Any:
    """A value whose repr begins with the same ``room`` characters as ``value``'s, built without
    reading past them: a frame holding a list of 10,000 events is not turned into a 750 KB repr
    to show 60 characters of it."""
    if isinstance(value, str):
        if len(value) <= room:
            return value
        # the quotes kept at the end keep repr's choice of quote character
        return value[:room] + ("'" if "'" in value else "") + ('"' if '"' in value else "")
    if depth <= 0:  # deeper than room: its first characters are all brackets already
        return type(value)() if isinstance(value, list | tuple | dict) else value
    if isinstance(value, list | tuple):
        return type(value)(_clip(item, room, depth - 1) for item in value[:room])
    if isinstance(value, dict):
        return {
            _clip(key, room, depth - 1): _clip(item, room, depth - 1)
            for key, item in itertools.islice(value.items(), room)
        }
    return value
