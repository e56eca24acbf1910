"""The gallery's upload pages tested as LiveViewTest tests uploads (``file_input``,
``render_upload``): the "Testing uploads" page line by line, and the profile page with the bytes
checked where they land."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import pylive.uploads
from gallery.app import app
from pylive.testing import LiveViewClient, file_input, live, render_upload

PNG = b"\x89PNG\r\n\x1a\n" + os.urandom(2_000)


@pytest.fixture
def view() -> Iterator[LiveViewClient]:
    with live(app, "/uploads/testing") as client:
        yield client


def test_displays_upload_form(view: LiveViewClient) -> None:
    html = view.render()
    assert "Upload File" in html
    assert "phx-drop-target" in html


def test_validates_file_type(view: LiveViewClient) -> None:
    invalid_file = {
        "last_modified": 1_594_171_879_000,
        "name": "document.pdf",
        "content": b"%PDF-1.4",
        "type": "application/pdf",
    }
    html = file_input(view, "#upload-form", "avatar", [invalid_file])
    assert "Invalid file type" in html


def test_uploads_valid_image_file(view: LiveViewClient) -> None:
    image = {
        "last_modified": 1_594_171_879_000,
        "name": "avatar.png",
        "content": PNG,
        "type": "image/png",
    }
    upload = file_input(view, "#upload-form", "avatar", [image])
    render_upload(upload, "avatar.png", 100)
    html = view.render()
    assert "avatar.png" in html
    assert view.element("#upload-entry-0").render() == (
        '<li id="upload-entry-0"><span>avatar.png</span> 100%</li>'
    )


def test_handles_upload_errors(view: LiveViewClient) -> None:
    large_file = {
        "last_modified": 1_594_171_879_000,
        "name": "large.png",
        "content": os.urandom(6_000_000),
        "type": "image/png",
    }
    html = file_input(view, "#upload-form", "avatar", [large_file])
    assert "File too large" in html
    with pytest.raises(
        AssertionError,
        match=r"render_upload\('large.png'\): the server refused it: \['too_large'\]",
    ):
        render_upload(html, "large.png")


def test_partial_upload_shows_progress_then_save_consumes(view: LiveViewClient) -> None:
    image = {"name": "avatar.png", "content": PNG, "type": "image/png"}
    upload = file_input(view, "#upload-form", "avatar", [image])
    render_upload(upload, "avatar.png", 50)
    assert view.element("#upload-entry-0").render() == (
        '<li id="upload-entry-0"><span>avatar.png</span> 50%</li>'
    )
    render_upload(upload, "avatar.png", 100)
    view.form("#upload-form").submit()
    assert view.element("#saved-files").render() == '<ul id="saved-files"><li>avatar.png</li></ul>'
    assert not view.has_element("#upload-entry-0")  # consumed


def test_profile_page_stores_the_bytes_it_was_sent() -> None:
    with live(app, "/uploads/profile") as profile:
        image = {"name": "avatar.png", "content": PNG, "type": "image/png"}
        upload = file_input(profile, "#upload-form", "avatar", [image])
        render_upload(upload, "avatar.png")
        profile.form("#upload-form").submit()
        digest = hashlib.sha256(PNG).hexdigest()[:12]
        assert profile.element("#uploaded").render() == (
            f'<ul id="uploaded"><li>avatar.png: 1.96 KB, sha256 {digest}</li></ul>'
        )


def test_file_input_errors_say_what_is_wrong(view: LiveViewClient) -> None:
    with pytest.raises(
        AssertionError, match=r"expected one file input named 'photo' in the form, found 0"
    ):
        file_input(view, "#upload-form", "photo", [])
    with pytest.raises(TypeError, match=r"expected each file as \{'name': str, 'content': bytes"):
        file_input(view, "#upload-form", "avatar", [{"name": "x.png"}])
    upload = file_input(view, "#upload-form", "avatar", [{"name": "a.png", "content": b"a"}])
    with pytest.raises(AssertionError, match=r"no file named 'b.png' was chosen; chosen: 'a.png'"):
        render_upload(upload, "b.png")
    with pytest.raises(ValueError, match=r"expected a percent from 0 to 100, got 101"):
        render_upload(upload, "a.png", 101)


def test_attachment_cards_upload_and_save_each_on_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pylive.uploads, "_DIR", str(tmp_path))
    with live(app, "/uploads/component") as page:
        report = [{"name": "a.txt", "content": b"alpha"}, {"name": "b.txt", "content": b"bravo"}]
        chosen = file_input(page, "#report-card", "files", report)
        invoice = file_input(page, "#invoice-card", "files", [{"name": "c.txt", "content": b"c"}])
        assert page.element("#report-card .entries").render() == (
            '<ul class="entries"><li id="report-entry-0"><span>a.txt</span> 0%</li>'
            '<li id="report-entry-1"><span>b.txt</span> 0%</li></ul>'
        )
        assert page.element("#invoice-card .entries").render() == (
            '<ul class="entries"><li id="invoice-entry-0"><span>c.txt</span> 0%</li></ul>'
        )
        render_upload(chosen, "a.txt")
        render_upload(chosen, "b.txt")
        page.form("#report-card").submit()
        alpha, bravo = (hashlib.sha256(d).hexdigest()[:12] for d in (b"alpha", b"bravo"))
        assert page.element("#report-card .saved").render() == (
            f'<ul class="saved"><li>a.txt: 5 B, sha256 {alpha}</li>'
            f"<li>b.txt: 5 B, sha256 {bravo}</li></ul>"
        )
        assert page.element("#invoice-card .saved").render() == '<ul class="saved"></ul>'
        render_upload(invoice, "c.txt", 50)  # half sent, then its card goes
        assert len(os.listdir(tmp_path)) == 1
        page.element("#remove-invoice").click()
        assert not page.has_element("#invoice-card")
        assert os.listdir(tmp_path) == []
