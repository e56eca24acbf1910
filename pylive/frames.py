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

MAX_UPLOAD_REF = 64
"""Characters of an upload config's ref (``phx-upload-3``) or an entry's ref (``"0"``)."""
MAX_UPLOAD_ENTRIES = 100
"""Entries one frame may name for one upload config."""
MAX_UPLOAD_CONFIGS = 20
"""Upload configs one frame may name."""
MAX_CLIENT_TEXT = 1024
"""Characters of a file's name or type a frame may carry (the server keeps 255)."""
MAX_CHUNK_HEADER = 1024
"""Bytes of a binary chunk frame's JSON header."""

UploadRef = Annotated[str, Field(min_length=1, max_length=MAX_UPLOAD_REF)]


@with_config(_STRICT)
class UploadEntry(TypedDict):
    """A file the client chose: ``{"ref":"0","name":"a.png","size":1234,"type":"image/png",
    "last_modified":1700000000000}``."""

    ref: UploadRef
    name: Annotated[str, Field(max_length=MAX_CLIENT_TEXT)]
    size: Annotated[int, Field(ge=0, le=MAX_REF)]
    type: Annotated[str, Field(max_length=MAX_CLIENT_TEXT)]
    last_modified: NotRequired[Annotated[int, Field(ge=0, le=MAX_REF)] | None]


UploadsKey = Annotated[
    dict[
        UploadRef,
        Annotated[list[UploadEntry], Field(max_length=MAX_UPLOAD_ENTRIES)],
    ],
    Field(max_length=MAX_UPLOAD_CONFIGS),
]


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
    uploads: NotRequired[UploadsKey]


@with_config(_STRICT)
class Upload(TypedDict):
    """``{"type":"upload","ref":n,"upload":"phx-upload-0","entries":["0"],"resume":{…}}``: the
    preflight, asking to start sending entries."""

    type: Literal["upload"]
    ref: Ref
    upload: UploadRef
    entries: Annotated[list[UploadRef], Field(max_length=MAX_UPLOAD_ENTRIES)]
    resume: NotRequired[
        Annotated[
            dict[UploadRef, Annotated[str, Field(max_length=MAX_NAME)]],
            Field(max_length=MAX_UPLOAD_ENTRIES),
        ]
    ]


@with_config(_STRICT)
class UploadProgress(TypedDict):
    """``{"type":"upload_progress","ref":n,"token":t,"progress":0..100}`` (or ``"error"``): an
    external uploader's report."""

    type: Literal["upload_progress"]
    ref: Ref
    token: Annotated[str, Field(min_length=1, max_length=MAX_NAME)]
    progress: NotRequired[Annotated[int, Field(ge=0, le=100)]]
    error: NotRequired[Annotated[str, Field(max_length=MAX_CLIENT_TEXT)]]


@with_config(_STRICT)
class ChunkHeader(TypedDict):
    """The JSON header of a binary chunk frame: ``{"token":t,"offset":n}``."""

    token: Annotated[str, Field(min_length=1, max_length=MAX_NAME)]
    offset: Annotated[int, Field(ge=0, le=MAX_REF)]


@with_config(_STRICT)
class Heartbeat(TypedDict):
    """``{"type":"hb","ref":n}``, answered by ``{"ref":n}``."""

    type: Literal["hb"]
    ref: Ref


@with_config(_STRICT)
class Navigate(TypedDict):
    """``{"type":"navigate","ref":n,"url":…,"kind":"patch"|"navigate"}``: a live link, a JS
    navigate/patch or back/forward took the page to ``url`` (absolute)."""

    type: Literal["navigate"]
    ref: Ref
    url: Annotated[str, Field(max_length=MAX_URL)]
    kind: Literal["patch", "navigate"]


ClientFrame: TypeAlias = Join | Event | Heartbeat | Upload | UploadProgress | Navigate

_ADAPTER: TypeAdapter[ClientFrame] = TypeAdapter(
    Annotated[
        Join | Event | Heartbeat | Upload | UploadProgress | Navigate,
        Field(discriminator="type"),
    ]
)
_HEADER: TypeAdapter[ChunkHeader] = TypeAdapter(ChunkHeader)
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


def decode_chunk(data: bytes) -> tuple[ChunkHeader, memoryview]:
    """A binary upload chunk: 2 bytes big-endian header length, the JSON header, the bytes."""
    if len(data) < 2:
        raise ProtocolError(f"chunk: expected a 2-byte header length, got {len(data)} bytes")
    size = int.from_bytes(data[:2], "big")
    if not 2 <= size <= MAX_CHUNK_HEADER or len(data) < 2 + size:
        raise ProtocolError(
            f"chunk: header length must be 2..{MAX_CHUNK_HEADER} bytes within the frame, got "
            f"{size} in a frame of {len(data)} bytes"
        )
    try:
        header = _HEADER.validate_json(data[2 : 2 + size])
    except ValidationError as error:
        raise ProtocolError("chunk " + _describe(error.errors(include_url=False)[0])) from None
    except Exception as error:
        raise ProtocolError(f"chunk: unreadable header: {error}") from None
    return header, memoryview(data)[2 + size :]


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
        if isinstance(found, str) and found in _TAGS:
            kind = found
    return ProtocolError(_describe(error.errors(include_url=False)[0]), ref, kind)


_TAGS = {
    "join": "join",
    "event": "event",
    "hb": "hb",
    "upload": "upload",
    "upload_progress": "upload_progress",
}


_KINDS = "'join', 'event', 'hb', 'upload', 'upload_progress' or 'navigate'"


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
            return f"type: expected {_KINDS}, got {_short(detail['ctx']['tag'])}"
        if kind == "union_tag_not_found":
            return f"type: missing; expected {_KINDS}"
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
