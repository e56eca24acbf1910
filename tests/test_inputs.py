"""``pylive.inputs``: every input component's exact HTML, with and without errors."""

from __future__ import annotations

from typing import Any

import pytest

from pylive.exceptions import ComponentError
from pylive.form_fields import to_form
from pylive.html import button
from pylive.inputs import field_errors, field_label, input_field, simple_form
from pylive.render import render_html

FORM = to_form(
    {
        "email": "ada@",
        "name": "Ada",
        "terms": "true",
        "news": "false",
        "role": "admin",
        "tags": ["", "b"],
        "plan": "pro",
        "bio": "Hello <world>",
        "age": "36",
        "_unused_nick": "",
        "nick": "",
    },
    errors={
        "email": ["is invalid", "is taken"],
        "terms": ["must be accepted"],
        "role": ["is not allowed"],
        "tags": ["pick two"],
        "plan": ["is full"],
        "bio": ["is too short"],
        "nick": ["can't be blank"],
    },
    as_="user",
)


def html(node: Any) -> str:
    return render_html(node)


def test_text_input_with_label_and_errors() -> None:
    assert html(input_field(FORM["email"], type="email", label="Email", required=True)) == (
        '<div class="field"><label for="user_email">Email</label>'
        '<input type="email" name="user[email]" id="user_email" value="ada@" required '
        'aria-invalid="true" aria-describedby="user_email-error user_email-error-2">'
        '<p class="error" id="user_email-error">is invalid</p>'
        '<p class="error" id="user_email-error-2">is taken</p></div>'
    )


def test_text_input_without_errors_or_label() -> None:
    assert html(input_field(FORM["name"], phx_debounce="300", class_="wide")) == (
        '<div class="field"><input type="text" name="user[name]" id="user_name" value="Ada" '
        'phx-debounce="300" class="wide"></div>'
    )


def test_unused_field_hides_its_errors() -> None:
    assert html(input_field(FORM["nick"], label="Nick")) == (
        '<div class="field"><label for="user_nick">Nick</label>'
        '<input type="text" name="user[nick]" id="user_nick" value=""></div>'
    )


def test_password_and_number_render_their_value() -> None:
    """The value is kept: after a submit the server's value is what the field holds."""
    assert html(
        input_field(to_form({"pw": "s3cret"})["pw"], type="password", label="Password")
    ) == (
        '<div class="field"><label for="pw">Password</label>'
        '<input type="password" name="pw" id="pw" value="s3cret"></div>'
    )
    assert html(input_field(FORM["age"], type="number", min="0")) == (
        '<div class="field"><input type="number" name="user[age]" id="user_age" value="36" '
        'min="0"></div>'
    )
    assert html(input_field(FORM["missing"], type="number", value=5)) == (
        '<div class="field"><input type="number" name="user[missing]" id="user_missing" '
        'value="5"></div>'
    )


def test_checkbox_sends_false_first() -> None:
    assert html(input_field(FORM["terms"], type="checkbox", label="I agree")) == (
        '<div class="field"><label><input type="hidden" name="user[terms]" value="false">'
        '<input type="checkbox" name="user[terms]" id="user_terms" value="true" checked '
        'aria-invalid="true" aria-describedby="user_terms-error">I agree</label>'
        '<p class="error" id="user_terms-error">must be accepted</p></div>'
    )
    assert html(input_field(FORM["news"], type="checkbox", label="News", disabled=True)) == (
        '<div class="field"><label>'
        '<input type="hidden" name="user[news]" value="false" disabled>'
        '<input type="checkbox" name="user[news]" id="user_news" value="true" disabled>'
        "News</label></div>"
    )


def test_select_with_prompt_pairs_and_groups() -> None:
    options: list[Any] = [("Admin", "admin"), ("Staff", [("Editor", "editor"), "viewer"])]
    assert html(
        input_field(FORM["role"], type="select", label="Role", prompt="Choose", options=options)
    ) == (
        '<div class="field"><label for="user_role">Role</label>'
        '<select name="user[role]" id="user_role" aria-invalid="true" '
        'aria-describedby="user_role-error"><option value="">Choose</option>'
        '<option value="admin" selected>Admin</option><optgroup label="Staff">'
        '<option value="editor">Editor</option><option value="viewer">viewer</option>'
        '</optgroup></select><p class="error" id="user_role-error">is not allowed</p></div>'
    )


def test_select_multiple_is_a_list_field() -> None:
    assert html(
        input_field(FORM["tags"], type="select", multiple=True, options=["a", "b", "c"])
    ) == (
        '<div class="field"><input type="hidden" name="user[tags][]" value="">'
        '<select name="user[tags][]" id="user_tags" multiple aria-invalid="true" '
        'aria-describedby="user_tags-error"><option value="a">a</option>'
        '<option value="b" selected>b</option><option value="c">c</option></select>'
        '<p class="error" id="user_tags-error">pick two</p></div>'
    )


def test_select_compares_values_as_sent() -> None:
    field = to_form({}, data={"n": 2})["n"]
    assert html(input_field(field, type="select", options=[("one", 1), ("two", 2)])) == (
        '<div class="field"><select name="n" id="n"><option value="1">one</option>'
        '<option value="2" selected>two</option></select></div>'
    )


def test_checkbox_group() -> None:
    assert html(input_field(FORM["tags"], type="checkbox", label="Tags", options=["a", "b"])) == (
        '<fieldset class="field" id="user_tags" aria-describedby="user_tags-error">'
        '<legend>Tags</legend><input type="hidden" name="user[tags][]" value="">'
        '<label><input type="checkbox" name="user[tags][]" id="user_tags_a" value="a" '
        'aria-invalid="true">a</label>'
        '<label><input type="checkbox" name="user[tags][]" id="user_tags_b" value="b" checked '
        'aria-invalid="true">b</label>'
        '<p class="error" id="user_tags-error">pick two</p></fieldset>'
    )


def test_radio_group() -> None:
    options = [("Free", "free"), ("Pro", "pro")]
    assert html(input_field(FORM["plan"], type="radio", label="Plan", options=options)) == (
        '<fieldset class="field" id="user_plan" role="radiogroup" aria-invalid="true" '
        'aria-describedby="user_plan-error"><legend>Plan</legend>'
        '<label><input type="radio" name="user[plan]" id="user_plan_free" value="free">'
        "Free</label>"
        '<label><input type="radio" name="user[plan]" id="user_plan_pro" value="pro" checked>'
        "Pro</label>"
        '<p class="error" id="user_plan-error">is full</p></fieldset>'
    )
    assert html(input_field(to_form({})["plan"], type="radio", options=["x y"])) == (
        '<fieldset class="field" id="plan" role="radiogroup">'
        '<label><input type="radio" name="plan" id="plan_x_y" value="x y">x y</label></fieldset>'
    )


def test_textarea() -> None:
    assert html(input_field(FORM["bio"], type="textarea", label="Bio", rows="3")) == (
        '<div class="field"><label for="user_bio">Bio</label>'
        '<textarea name="user[bio]" id="user_bio" rows="3" aria-invalid="true" '
        'aria-describedby="user_bio-error">Hello &lt;world&gt;</textarea>'
        '<p class="error" id="user_bio-error">is too short</p></div>'
    )
    assert html(input_field(FORM["none"], type="textarea")) == (
        '<div class="field"><textarea name="user[none]" id="user_none"></textarea></div>'
    )


def test_label_and_errors_alone() -> None:
    assert html(field_label(FORM["email"], "E-mail", class_="big")) == (
        '<label for="user_email" class="big">E-mail</label>'
    )
    assert [html(p) for p in field_errors(FORM["terms"])] == [
        '<p class="error" id="user_terms-error">must be accepted</p>'
    ]
    assert field_errors(FORM["name"]) == []


def test_simple_form_with_actions() -> None:
    node = simple_form(
        input_field(FORM["name"]),
        actions=button("Save", phx_disable_with="Saving..."),
        id="f",
        phx_change="validate",
        phx_submit="save",
        phx_trigger_action=False,
    )
    assert html(node) == (
        '<form id="f" phx-change="validate" phx-submit="save"><div class="field">'
        '<input type="text" name="user[name]" id="user_name" value="Ada"></div>'
        '<div class="actions"><button phx-disable-with="Saving...">Save</button></div></form>'
    )
    assert html(simple_form(id="g")) == '<form id="g"></form>'


def test_wrong_uses_say_what_was_expected() -> None:
    with pytest.raises(ComponentError, match=r"input_field\(\): argument 'field' expected Field"):
        input_field("email")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"type='radio'\): a radio group needs options=, got None"):
        input_field(FORM["plan"], type="radio")
    with pytest.raises(TypeError, match=r"type='text'\): options=, multiple= and prompt= are"):
        input_field(FORM["plan"], options=["a"])
    with pytest.raises(TypeError, match=r"expected a single value for an <input>, got \['', 'b'\]"):
        input_field(FORM["tags"])
    with pytest.raises(TypeError, match=r"expected an option as a str, .* got None"):
        input_field(FORM["role"], type="select", options=[None])
