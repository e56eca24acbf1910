"""PubSub messages as bytes and back, for a hub that spans processes (``RedisPubSub``).

JSON through orjson, never pickle: what comes off the network is data, and only the classes an
app registered can be built from it. The encoding keeps what in-process delivery keeps — a
tuple stays a tuple, a dict a dict — so a view's ``handle_info`` sees the same message from
this worker and from another one.

>>> codec = MessageCodec()
>>> codec.decode(codec.encode(("said", {"user": "ana", "tags": ["a", "b"]})))
('said', {'user': 'ana', 'tags': ['a', 'b']})

Dataclasses and pydantic models travel when registered (``types=``), by their qualified name:

>>> from dataclasses import dataclass
>>> @dataclass
... class Said:
...     user: str
...     text: str
>>> codec = MessageCodec(types=[Said])
>>> codec.decode(codec.encode(Said("ana", "hi")))
Said(user='ana', text='hi')

Anything else is refused where it is broadcast, before any view gets it:

>>> MessageCodec().encode({1, 2})  # doctest: +ELLIPSIS
Traceback (most recent call last):
  ...
TypeError: pubsub: cannot send a set across processes (at message); expected None, bool, ...
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

import orjson
from pydantic import BaseModel

MAX_DEPTH = 32
"""Nesting a message may have (lists, tuples, dicts, records)."""

_TUPLE = "~t"
_RECORD = "~r"
_TAGS = (_TUPLE, _RECORD)
_SUPPORTED = (
    "None, bool, int, float, str, list, tuple, dict with str keys, "
    "or a registered dataclass or pydantic model"
)


class MessageError(ValueError):
    """Bytes that are not a message this codec wrote (or name a class it does not know)."""


def _type_name(cls: type[Any]) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


class MessageCodec:
    """Encodes messages to JSON bytes and decodes them, building only registered classes."""

    def __init__(self, types: Iterable[type[Any]] = ()) -> None:
        self._types: dict[str, type[Any]] = {}
        for cls in types:
            if not isinstance(cls, type) or not (
                dataclasses.is_dataclass(cls) or issubclass(cls, BaseModel)
            ):
                raise TypeError(
                    f"pubsub types=: expected dataclasses or pydantic models, got {cls!r}"
                )
            self._types[_type_name(cls)] = cls

    # -- encoding -----------------------------------------------------------------------------

    def encode(self, msg: Any) -> bytes:
        """``msg`` as JSON bytes; a ``TypeError`` naming where a value cannot travel."""
        value = self._value(msg, "message", 0)
        try:
            return orjson.dumps(value)
        except orjson.JSONEncodeError as error:  # an int beyond 64 bits, say
            raise TypeError(f"pubsub: cannot send this message across processes: {error}") from None

    def _value(self, value: Any, where: str, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise TypeError(f"pubsub: message nested deeper than {MAX_DEPTH} (at {where})")
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if isinstance(value, list):
            return [self._value(v, f"{where}[{i}]", depth + 1) for i, v in enumerate(value)]
        if isinstance(value, tuple):
            items = [self._value(v, f"{where}[{i}]", depth + 1) for i, v in enumerate(value)]
            return {_TUPLE: items}
        if isinstance(value, dict):
            return self._dict(value, where, depth)
        name = _type_name(type(value))
        if self._types.get(name) is type(value):
            if isinstance(value, BaseModel):
                fields = dict(value)
            else:
                fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
            return {_RECORD: [name, self._dict(fields, where, depth)]}
        hint = (
            f" (register it: RedisPubSub(..., types=[{type(value).__qualname__}]))"
            if dataclasses.is_dataclass(value) or isinstance(value, BaseModel)
            else ""
        )
        raise TypeError(
            f"pubsub: cannot send a {type(value).__qualname__} across processes (at {where}); "
            f"expected {_SUPPORTED}{hint}"
        )

    def _dict(self, value: dict[Any, Any], where: str, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(
                    f"pubsub: cannot send a dict with a {type(key).__qualname__} key {key!r} "
                    f"across processes (at {where}); expected str keys"
                )
            # A key starting with "~" gets one more, so that no key is ever read as a tag.
            out["~" + key if key.startswith("~") else key] = self._value(
                item, f"{where}[{key!r}]", depth + 1
            )
        return out

    # -- decoding -----------------------------------------------------------------------------

    def decode(self, data: bytes) -> Any:
        """The message ``encode`` wrote; a ``MessageError`` for anything else."""
        try:
            parsed = orjson.loads(data)
        except orjson.JSONDecodeError as error:
            raise MessageError(
                f"pubsub: expected a JSON message, got {data[:80]!r}: {error}"
            ) from None
        return self._build(parsed, 0)

    def build(self, parsed: Any) -> Any:
        """The message from its JSON already parsed (``orjson.loads`` of ``encode``'s bytes)."""
        return self._build(parsed, 0)

    def _build(self, value: Any, depth: int) -> Any:
        if depth > MAX_DEPTH + 1:
            raise MessageError(f"pubsub: message nested deeper than {MAX_DEPTH}")
        if isinstance(value, list):
            return [self._build(v, depth + 1) for v in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, inner),) = value.items()
            if key == _TUPLE and isinstance(inner, list):
                return tuple(self._build(v, depth + 1) for v in inner)
            if key == _RECORD:
                return self._record(inner, depth)
            if key in _TAGS:
                raise MessageError(f"pubsub: a malformed {key!r} value: {inner!r:.80}")
        return {
            (key[1:] if key.startswith("~") else key): self._build(item, depth + 1)
            for key, item in value.items()
        }

    def _record(self, inner: Any, depth: int) -> Any:
        if not (
            isinstance(inner, list)
            and len(inner) == 2
            and isinstance(inner[0], str)
            and isinstance(inner[1], dict)
        ):
            raise MessageError(f"pubsub: expected a record as [name, fields], got {inner!r:.80}")
        cls = self._types.get(inner[0])
        if cls is None:
            raise MessageError(
                f"pubsub: a message of type {inner[0]!r}, which this process did not register "
                f"(RedisPubSub(..., types=[...]) has {sorted(self._types)})"
            )
        fields = self._build(inner[1], depth + 1)
        try:
            if issubclass(cls, BaseModel):
                return cls.model_validate(fields)
            return cls(**fields)
        except (TypeError, ValueError) as error:
            raise MessageError(
                f"pubsub: the fields of a {inner[0]} do not fit it: {error}"
            ) from None
