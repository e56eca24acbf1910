"""The gallery's registration form, in-process: validation while typing shows errors only on
the fields used, a good submit sets phx-trigger-action for the real POST, a taken email is
refused, and the POST handler answers the signed-in page."""

from __future__ import annotations

import pytest

from gallery.app import FORMS, app
from gallery.pages import form_registration, uploads_component, uploads_profile
from pylive.http import HttpRequest
from pylive.testing import LiveViewClient, live


@pytest.fixture
def view() -> LiveViewClient:
    form_registration.db.execute("delete from users")
    return live(app, "/forms/registration")


def errors(view: LiveViewClient) -> list[str]:
    return [str(el.text_content()) for el in view.element("#registration_form").find().iter("p")]


def test_gallery_registration_is_listed_with_what_to_try() -> None:
    assert [(p, t) for p, t, *_ in FORMS] == [
        ("/forms/registration", "Registration form"),
        ("/forms/testing", "Testing forms"),
        ("/uploads/profile", "Uploads"),
        ("/uploads/testing", "Testing uploads"),
        ("/uploads/component", "Uploads in live components"),
    ]
    assert "Try this: " in (form_registration.__doc__ or "")
    assert "Try this: " in (uploads_component.__doc__ or "")


def test_gallery_registration_errors_only_on_used_fields(view: LiveViewClient) -> None:
    view.form("#registration_form", user={"password": "short"}).change()
    assert errors(view) == ["String should have at least 8 characters"]
    view.close()


def test_gallery_registration_submit_triggers_the_post_once_valid(view: LiveViewClient) -> None:
    user = {
        "email": "ann@example.com",
        "password": "long enough",
        "password_confirmation": "long enough",
        "terms": "true",
    }
    view.form("#registration_form", user=user).submit()
    assert view.element("#registration_form").find().get("phx-trigger-action") == ""
    again = live(app, "/forms/registration")
    again.form("#registration_form", user=user).submit()
    assert errors(again) == ["has already been taken"]
    assert again.element("#registration_form").find().get("phx-trigger-action") is None
    again.close()
    view.close()


def test_gallery_registration_post_handler_escapes_the_email() -> None:
    page = form_registration.log_in(
        HttpRequest("POST", "/users/log_in", form={"user": {"email": "<b>ann</b>"}})
    )
    assert "Signed in as &lt;b&gt;ann&lt;/b&gt;." in page


# -- "Testing forms": LiveViewTest's form tests, line by line -------------------------------------


def test_gallery_user_form_displays_empty_fields() -> None:
    view = live(app, "/forms/testing")
    html = view.render()
    assert "New User" in html
    assert 'name="user[name]"' in html
    assert 'name="user[email]"' in html
    view.close()


def test_gallery_user_form_validates_on_change() -> None:
    view = live(app, "/forms/testing")
    html = view.form("#user-form", user={"email": "invalid"}).change()
    assert "must have the @ sign" in html
    assert "blank" not in view.element("#user-form").render()  # the name was not used yet
    view.close()


def test_gallery_user_form_submits_valid_data_and_redirects() -> None:
    view = live(app, "/forms/testing")
    view.form("#user-form", user={"name": "Alice", "email": "alice@example.com"}).submit()
    view.assert_redirect("/")
    view.close()


def test_gallery_user_form_shows_errors_on_invalid_submission() -> None:
    view = live(app, "/forms/testing")
    html = view.form("#user-form", user={"name": "", "email": ""}).submit()
    assert "can&#39;t be blank" in html
    assert view.element("#user-form").render().count("can&#39;t be blank") == 2
    view.refute_redirect()
    view.close()


def test_gallery_refute_redirect_fails_after_a_redirect() -> None:
    view = live(app, "/forms/testing")
    view.form("#user-form", user={"name": "Alice", "email": "alice@example.com"}).submit()
    with pytest.raises(AssertionError, match=r"expected no redirect, got one to '/'"):
        view.refute_redirect()
    view.close()


def test_gallery_uploads_page_renders_its_inputs_and_drop_target() -> None:
    view = live(app, "/uploads/profile")
    avatar = view.element("input[name=avatar]").find()
    assert (avatar.get("type"), avatar.get("accept"), avatar.get("data-phx-auto-upload")) == (
        "file",
        ".jpg,.jpeg,.png,.webp",
        "",
    )
    assert view.element("input[name=documents]").find().get("multiple") == ""
    assert view.element("#avatar-drop").find().get("phx-drop-target") == avatar.get("id")
    assert "Try this: " in (uploads_profile.__doc__ or "")
    view.close()


def test_gallery_uploads_messages_and_sizes() -> None:
    assert uploads_profile.error_to_string("too_large") == "File is too large"
    assert uploads_profile.error_to_string("timeout") == "Upload failed (timeout)"
    assert [uploads_profile.format_bytes(n) for n in (1023, 1536, 5 * 1024 * 1024)] == [
        "1023 B",
        "1.50 KB",
        "5.00 MB",
    ]
