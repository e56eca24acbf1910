"""``pylive.form_fields``: ``to_form`` and its fields — names, ids, values, the used rule, nested
and list params, data, errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from pylive.form_fields import Field, Form, format_value, to_form
from pylive.forms import decode_form


def test_field_name_id_value_with_and_without_a_form_name() -> None:
    form = to_form({"email": "ada@example.com"}, as_="user")
    field = form["email"]
    assert (field.name, field.id, field.value) == ("user[email]", "user_email", "ada@example.com")
    assert (form.name, form.id) == ("user", "user")
    plain = to_form({"q": "x"})
    assert (plain["q"].name, plain["q"].id, plain.name, plain.id) == ("q", "q", None, None)


def test_id_option_prefixes_ids_not_names() -> None:
    form = to_form({}, as_="user", id="signup")
    assert (form["email"].name, form["email"].id, form.id) == (
        "user[email]",
        "signup_email",
        "signup",
    )
    assert to_form({}, id="search")["q"].id == "search_q"


def test_unknown_fields_have_no_value_and_no_errors() -> None:
    field = to_form({}, as_="user")["nickname"]
    assert (field.value, field.errors, field.used) == (None, [], False)
    assert field.attrs() == {"name": "user[nickname]", "id": "user_nickname", "value": None}


def test_field_keys_are_strings_of_one_name() -> None:
    form = to_form({}, as_="user")
    with pytest.raises(
        TypeError, match=r"form\[3\]: expected a field name \(a str such as 'email'\)"
    ):
        form[3]  # type: ignore[index]
    with pytest.raises(ValueError, match=r"form\['address\[city\]'\]: expected one field name"):
        form["address[city]"]
    with pytest.raises(ValueError, match=r"nested field is form\['address'\]\['city'\]"):
        form["address.city"]
    with pytest.raises(TypeError, match=r"form\['address'\]\[None\]: expected a field name"):
        form["address"][None]  # type: ignore[index]


def test_used_rule_markers_hide_errors_and_never_show() -> None:
    """Contract §1: ``_unused_email`` next to ``email`` → unused, no errors shown."""
    payload = decode_form(
        [("user[_unused_email]", ""), ("user[email]", ""), ("user[name]", "Ada")], "user[name]"
    )
    errors = {"email": ["can't be blank"], "name": ["is taken"]}
    form = to_form(payload["user"], errors=errors, as_="user")
    assert (form["email"].used, form["email"].errors) == (False, [])
    assert (form["name"].used, form["name"].errors) == (True, ["is taken"])
    assert form.params == {"email": "", "name": "Ada"}
    assert form.errors == errors  # every error is kept; the fields show the used ones
    assert form.valid is False
    assert "aria-invalid" not in form["email"].attrs()


def test_a_field_not_sent_is_unused() -> None:
    form = to_form({"name": "Ada"}, errors={"email": ["can't be blank"]}, as_="user")
    assert (form["email"].used, form["email"].errors) == (False, [])


def test_submit_payload_without_markers_shows_every_error() -> None:
    form = to_form({"email": "", "name": ""}, errors={"email": ["a"], "name": ["b"]}, as_="user")
    assert [form["email"].errors, form["name"].errors] == [["a"], ["b"]]


def test_target_and_markers_are_left_out_of_params_at_every_depth() -> None:
    payload = decode_form(
        [
            ("_unused_q", ""),
            ("q", ""),
            ("address[_unused_city]", ""),
            ("address[city]", ""),
            ("address[zip]", "1000"),
        ],
        "address[zip]",
    )
    form = to_form(payload)
    assert form.params == {"q": "", "address": {"city": "", "zip": "1000"}}
    assert form["address"].value == {"city": "", "zip": "1000"}
    assert (form["q"].used, form["address"].used) == (False, True)  # a dict: one field used
    assert (form["address"]["city"].used, form["address"]["zip"].used) == (False, True)


def test_a_marker_key_is_never_a_used_field() -> None:
    form = to_form({"_unused_email": "", "email": ""})
    assert form["_unused_email"].used is False
    assert form["_unused_email"].value is None


def test_nested_fields_names_ids_values_errors() -> None:
    params = {"address": {"city": "Paris", "zip": ""}}
    errors = {"address.zip": ["Field required"], "address": ["is incomplete"]}
    form = to_form(params, errors=errors, as_="user")
    city, zip_ = form["address"]["city"], form["address"]["zip"]
    assert (city.name, city.id, city.value, city.errors) == (
        "user[address][city]",
        "user_address_city",
        "Paris",
        [],
    )
    assert (zip_.name, zip_.errors) == ("user[address][zip]", ["Field required"])
    assert form["address"].errors == ["is incomplete"]
    sub = form.sub_form("address")
    assert (sub.name, sub.id, sub.params, sub.errors) == (
        "user[address]",
        "user_address",
        {"city": "Paris", "zip": ""},
        {"zip": ["Field required"]},
    )
    assert sub["zip"] == zip_


def test_list_fields_and_their_item_errors() -> None:
    payload = decode_form([("user[tags][]", "a"), ("user[tags][]", "b")])
    form = to_form(payload["user"], errors={"tags.1": ["is too long"]}, as_="user")
    tags = form["tags"]
    assert (tags.name, tags.value, tags.errors) == ("user[tags]", ["a", "b"], ["is too long"])
    assert tags.attrs() == {
        "name": "user[tags]",
        "id": "user_tags",
        "aria-invalid": "true",
        "aria-describedby": "user_tags-error",
    }  # no value attribute for a list
    unused = to_form({"_unused_tags": "", "tags": ["a"]}, errors={"tags": ["x"]})
    assert unused["tags"].errors == []


def test_indexed_sub_forms_from_params_and_from_data() -> None:
    payload = decode_form(
        [
            ("user[addresses][1][city]", "Lyon"),
            ("user[addresses][0][city]", "Paris"),
            ("user[addresses][0][_unused_zip]", ""),
            ("user[addresses][0][zip]", ""),
        ]
    )
    form = to_form(payload["user"], errors={"addresses.0.zip": ["Field required"]}, as_="user")
    first, second = form.sub_forms("addresses")
    assert (first.name, first.id, first["city"].name) == (
        "user[addresses][0]",
        "user_addresses_0",
        "user[addresses][0][city]",
    )
    assert (first["city"].value, second["city"].value) == ("Paris", "Lyon")
    assert (first["zip"].used, first["zip"].errors, first.errors) == (
        False,
        [],
        {"zip": ["Field required"]},
    )

    class Address(BaseModel):
        city: str

    class Person(BaseModel):
        addresses: list[Address]

    data_form = to_form(Person(addresses=[Address(city="Oslo"), Address(city="Rome")]), as_="p")
    assert [
        (f.name, f["city"].value, f["city"].used) for f in data_form.sub_forms("addresses")
    ] == [
        ("p[addresses][0]", "Oslo", False),
        ("p[addresses][1]", "Rome", False),
    ]
    assert to_form({}).sub_forms("nothing") == []
    with pytest.raises(TypeError, match=r"form\['n'\].sub_forms\(\): expected a list .* got '1'"):
        to_form({"n": "1"}).sub_forms("n")


def test_a_model_instance_is_data_values_without_use() -> None:
    class Profile(BaseModel):
        email: str
        age: int
        subscribed: bool

    form = to_form(Profile(email="ada@example.com", age=36, subscribed=True), as_="profile")
    assert (form["email"].value, form["age"].value, form["email"].used) == (
        "ada@example.com",
        36,
        False,
    )
    assert form["age"].attrs()["value"] == "36"
    assert form["subscribed"].checked is True
    assert form["undeclared"].value is None  # only the model's fields are read
    assert form.params == {}


def test_params_over_data() -> None:
    form = to_form({"email": "new@x.io"}, data={"email": "old@x.io", "name": "Ada"}, as_="u")
    assert (form["email"].value, form["name"].value) == ("new@x.io", "Ada")
    assert (form["email"].used, form["name"].used) == (True, False)


def test_checkbox_values() -> None:
    form = to_form({"a": "true", "b": "false", "c": True, "d": "on"})
    assert [form[k].checked for k in "abcde"] == [True, False, True, False, False]


def test_errors_may_be_a_validation_error() -> None:
    class User(BaseModel):
        email: str
        age: int

    params = {"age": "x", "email": ""}
    with pytest.raises(ValidationError) as caught:
        User.model_validate(params)
    form = to_form(params, errors=caught.value, as_="user")
    assert form["email"].errors == []
    assert form["age"].errors == [
        "Input should be a valid integer, unable to parse string as an integer"
    ]


def test_bad_arguments_say_what_was_expected() -> None:
    with pytest.raises(TypeError, match=r"to_form\(\): expected params as a dict .* got \[1\]"):
        to_form([1])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"expected as_= a form name \(a non-empty str\), got 3"):
        to_form({}, as_=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"to_form\(errors=...\): expected field errors"):
        to_form({}, errors=["bad"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"expected a list of messages \(str\) for field 'a'"):
        to_form({}, errors={"a": "not a list"})

    class M(BaseModel):
        x: int = 0

    with pytest.raises(TypeError, match=r"params is a model instance \(M\).*not both"):
        to_form(M(), data={"x": 1})


def test_format_value() -> None:
    class Color(Enum):
        RED = "red"

    values: list[Any] = [
        None,
        "a",
        True,
        False,
        3,
        1.5,
        Decimal("1.10"),
        Color.RED,
        date(2024, 1, 2),
    ]
    assert [format_value(v) for v in values] == [
        None,
        "a",
        "true",
        "false",
        "3",
        "1.5",
        "1.10",
        "red",
        "2024-01-02",
    ]


def test_forms_and_fields_compare_by_content() -> None:
    """Equal arguments keep memoized components skipped across renders."""
    assert to_form({"a": "1"}, as_="u") == to_form({"a": "1"}, as_="u")
    assert to_form({"a": "1"}, as_="u") != to_form({"a": "2"}, as_="u")
    assert to_form({"a": "1"})["a"] == to_form({"a": "1"})["a"]
    assert isinstance(to_form({})["a"], Field) and isinstance(to_form({}), Form)
    assert repr(to_form({"a": "1"}, as_="u")["a"]) == "Field('u[a]', value='1', errors=[])"
