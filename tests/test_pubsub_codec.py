"""PubSub messages across processes: JSON with tuples kept, registered records only, and
everything else refused where it is broadcast or dropped where it arrives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import BaseModel

from pylive.pubsub_codec import MAX_DEPTH, MessageCodec, MessageError


@dataclass(frozen=True)
class Said:
    user: str
    text: str


class Score(BaseModel):
    player: str
    points: int
    said: Said | None = None


CODEC = MessageCodec(types=[Said, Score])


@pytest.mark.parametrize(
    "msg",
    [
        None,
        True,
        3,
        2.5,
        "text",
        [],
        (),
        ("said", "hi"),
        ["a", ("b", 1), {"k": (2, 3)}],
        {"~t": [1], "~r": "x", "~~": 2, "plain": {"~t": ()}},
        {"": "empty key"},
        Said("ana", "hi"),
        ("wrapped", Said("bo", "yo")),
        Score(player="ana", points=3, said=Said("ana", "gg")),
    ],
)
def test_a_message_comes_back_equal_and_of_the_same_types(msg: Any) -> None:
    back = CODEC.decode(CODEC.encode(msg))
    assert back == msg
    assert type(back) is type(msg)


def test_tuples_inside_dicts_and_lists_stay_tuples() -> None:
    back = CODEC.decode(CODEC.encode({"pair": (1, [2, (3,)])}))
    assert back == {"pair": (1, [2, (3,)])}
    assert type(back["pair"]) is tuple and type(back["pair"][1][1]) is tuple


@pytest.mark.parametrize(
    ("msg", "message"),
    [
        ({1, 2}, "cannot send a set across processes (at message)"),
        (("ok", b"bytes"), "cannot send a bytes across processes (at message[1])"),
        ({1: "x"}, "cannot send a dict with a int key 1 across processes (at message)"),
        ({"a": [object()]}, "cannot send a object across processes (at message['a'][0])"),
        (2**70, "cannot send this message across processes"),
    ],
)
def test_what_cannot_travel_is_a_type_error_naming_where(msg: Any, message: str) -> None:
    with pytest.raises(TypeError, match="pubsub: ") as caught:
        CODEC.encode(msg)
    assert message in str(caught.value)


def test_an_unregistered_dataclass_says_how_to_register_it() -> None:
    with pytest.raises(TypeError) as caught:
        MessageCodec().encode(Said("a", "b"))
    assert str(caught.value).endswith("(register it: RedisPubSub(..., types=[Said]))")


def test_types_must_be_dataclasses_or_models() -> None:
    with pytest.raises(
        TypeError, match=r"expected dataclasses or pydantic models, got <class 'dict'>"
    ):
        MessageCodec(types=[dict])


def test_nesting_is_bounded_both_ways() -> None:
    deep: Any = "x"
    for _ in range(MAX_DEPTH + 2):
        deep = [deep]
    with pytest.raises(TypeError, match=f"nested deeper than {MAX_DEPTH}"):
        CODEC.encode(deep)
    with pytest.raises(MessageError, match=f"nested deeper than {MAX_DEPTH}"):
        CODEC.decode(b"[" * (MAX_DEPTH + 3) + b"]" * (MAX_DEPTH + 3))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not json", "expected a JSON message"),
        (b'{"~r": ["os.system", {"command": "ls"}]}', "which this process did not register"),
        (b'{"~r": "Said"}', "expected a record as [name, fields]"),
        (b'{"~t": 3}', "a malformed '~t' value"),
        (b'{"~r": ["test_pubsub_codec.Said", {"user": "a"}]}', "do not fit it"),
        (b'{"~r": ["test_pubsub_codec.Score", {"player": "a", "points": "many"}]}', "do not fit"),
    ],
)
def test_bytes_from_the_network_build_nothing_unregistered(data: bytes, message: str) -> None:
    codec = MessageCodec(types=[Said, Score])
    # the records' names are their module's: this file's, as pytest imports it
    data = data.replace(b"test_pubsub_codec.", f"{Said.__module__}.".encode())
    with pytest.raises(MessageError, match="pubsub: ") as caught:
        codec.decode(data)
    assert message in str(caught.value)
