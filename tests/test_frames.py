"""``pylive.frames``: every client frame is validated in one place, and nothing but a
``ProtocolError`` ever comes out of it (plan row P3)."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pylive.exceptions import ProtocolError
from pylive.frames import MAX_NAME, decode

KINDS = ["click", "submit", "change", "keydown", "keyup", "focus", "blur", "hook"]


def test_frames_valid_ones_decoded_as_sent() -> None:
    assert decode('{"type":"hb","ref":3}') == {"type": "hb", "ref": 3}
    assert decode('{"type":"join","ref":0,"token":"t","url":"http://h/","mounts":2}') == {
        "type": "join",
        "ref": 0,
        "token": "t",
        "url": "http://h/",
        "mounts": 2,
    }
    assert decode(
        '{"type":"event","ref":5,"kind":"change","event":"v","value":[["a","1"]],"target":"a"}'
    ) == {"type": "event", "ref": 5, "kind": "change", "event": "v", "value": [("a", "1")],
          "target": "a"}  # fmt: skip
    assert decode(
        '{"type":"event","ref":6,"kind":"hook","event":"h","value":{"x":[1,{"y":null}]}}'
    )["value"] == {"x": [1, {"y": None}]}


@pytest.mark.parametrize(
    ("text", "message", "ref", "kind"),
    [
        ("{not json", "not a JSON object: key must be a string at line 1 column 2", None, None),
        ("[1, 2]", "expected a JSON object, got [1, 2]", None, None),
        ('"x"', "expected a JSON object, got 'x'", None, None),
        ('{"ref":1}', "type: missing; expected 'join', 'event', 'hb', 'upload', "
         "'upload_progress' or 'navigate'", 1, None),
        ('{"type":"nope","ref":1}', "type: expected 'join', 'event', 'hb', 'upload', "
         "'upload_progress' or 'navigate', got 'nope'", 1, None),
        ('{"type":"hb"}', "hb.ref: missing", None, "hb"),
        ('{"type":"hb","ref":-1}', "hb.ref: input should be greater than or equal to 0, got -1",
         None, "hb"),
        ('{"type":"hb","ref":1.0}', "hb.ref: input should be a valid integer, got 1.0", None, "hb"),
        ('{"type":"hb","ref":true}', "hb.ref: input should be a valid integer, got True", None,
         "hb"),
        ('{"type":"hb","ref":1,"x":2}', "hb.x: not a field of this frame", 1, "hb"),
        ('{"type":"join","ref":0,"token":null,"url":"u"}',
         "join.token: input should be a valid string, got None", 0, "join"),
        ('{"type":"event","ref":4,"kind":["x"],"event":"e"}',
         "event.kind: expected 'click', 'submit', 'change', 'keydown', 'keyup', 'focus', 'blur' "
         "or 'hook', got ['x']", 4, "event"),
        ('{"type":"event","ref":4,"kind":"click","event":""}',
         "event.event: string should have at least 1 character, got ''", 4, "event"),
        ('{"type":"event","ref":4,"kind":"click","event":"x","value":[]}',
         "event.value: a click event's value must be an object, got []", 4, "event"),
        ('{"type":"event","ref":4,"kind":"submit","event":"x","value":[["a",1]]}',
         "event.value: a submit event's value must be [[name, value], ...] with text names and "
         "values, got [['a', 1]]", 4, "event"),
        ("[" * 300 + "]" * 300, "not a JSON object: recursion limit exceeded at line 1 column 202",
         None, None),
        ('{"type":"hb","ref":' + "9" * 5000 + "}",
         "not a JSON object: number out of range at line 1 column 4321", None, None),
        (b"\xff\xfe", "not a JSON object: expected value at line 1 column 1", None, None),
    ],
)  # fmt: skip
def test_frames_bad_ones_refused_naming_what_is_wrong(
    text: str | bytes, message: str, ref: int | None, kind: str | None
) -> None:
    with pytest.raises(ProtocolError) as info:
        decode(text)
    assert (str(info.value), info.value.ref, info.value.kind) == (message, ref, kind)


def test_frames_event_name_longer_than_the_limit_refused() -> None:
    frame = json.dumps({"type": "event", "ref": 1, "kind": "click", "event": "x" * (MAX_NAME + 1)})
    with pytest.raises(ProtocolError, match=r"^event\.event: string should have at most 256 "):
        decode(frame)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@st.composite
def hostile_frames(draw: st.DrawFn) -> str | bytes:
    """Anything a client could send: bytes, bad UTF-8, deep or huge JSON, frames of the right
    shape with one field wrong, missing or extra."""
    choice = draw(st.integers(0, 7))
    if choice == 0:
        return draw(st.binary(max_size=200))
    if choice == 1:
        return draw(st.text(max_size=200))
    if choice == 2:
        depth = draw(st.sampled_from([1, 2, 199, 200, 201, 1000, 100_000]))
        return "[" * depth + "]" * depth
    if choice == 3:
        return '{"type":"hb","ref":' + "9" * draw(st.integers(1, 6000)) + "}"
    if choice == 4:
        odd = ['{"type":"hb","ref":NaN}', '{"ref":Infinity}', '{"type":"hb","ref":1,"ref":-1}']
        return draw(st.sampled_from([*odd, "null", "1e400"]))
    if choice == 5:
        return json.dumps(draw(JSON))
    frame: dict[str, Any] = {
        "type": draw(st.sampled_from(["join", "event", "hb", "x", 1, None])),
        "ref": draw(st.one_of(st.integers(-5, 2**60), st.text(max_size=3), st.none())),
    }
    if choice == 6:
        frame.update(
            kind=draw(st.sampled_from([*KINDS, "drag", 3, None])),
            event=draw(st.one_of(st.text(max_size=300), st.integers())),
            value=draw(JSON),
        )
        if draw(st.booleans()):
            frame["cid"] = draw(st.one_of(st.integers(-2, 10), st.text(max_size=2)))
    else:
        frame.update(token=draw(JSON), url=draw(st.one_of(st.text(max_size=50), JSON)))
    if draw(st.booleans()):
        frame[draw(st.text(max_size=5))] = draw(JSON)
    return json.dumps(frame)


EXAMPLES = int(os.environ.get("PYLIVE_FUZZ_EXAMPLES", "1000"))
"""Hostile frames per run: 1,000 in scripts/test, 10,000 in scripts/soak."""


@settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_frames())
def test_frames_nothing_but_protocol_error_ever_raised(text: str | bytes) -> None:
    try:
        frame = decode(text)
    except ProtocolError as error:
        assert str(error)
        assert error.ref is None or (type(error.ref) is int and error.ref >= 0)
    else:
        assert frame["type"] in ("join", "event", "hb")
        assert type(frame["ref"]) is int


def test_frames_a_megabyte_string_is_decoded_or_refused_in_one_piece() -> None:
    big = json.dumps({"type": "event", "ref": 1, "kind": "hook", "event": "x",
                      "value": {"s": "y" * (1 << 20)}})  # fmt: skip
    assert len(decode(big)["value"]["s"]) == 1 << 20
