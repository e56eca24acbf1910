"""``pylive.App``: routes, secrets, the live layout and the client it serves."""

from __future__ import annotations

import gzip
import re

import pytest

from pylive.app import NO_FLASH, App, client_js_path, default_live_layout
from pylive.assigns import Assigns
from pylive.exceptions import DuplicateKey
from pylive.html import p
from pylive.node import fragment
from pylive.render import render_html
from pylive.view import LiveView


class Home(LiveView):
    pass


class Users(LiveView):
    pass


def test_routes_match_in_order_with_their_params() -> None:
    app = App(secret_key="app-test-secret-0123")
    app.live("/", Home)
    app.live("/users/{id}", Users, name="user")
    route, params = app.match("/users/7") or (None, None)
    assert route is not None and route.view is Users and params == {"id": "7"}
    assert app.match("/nope") is None
    assert app.route_named("user") is route
    assert app.route_named("missing") is None


def test_live_refuses_what_is_not_a_view_and_a_pattern_routed_twice() -> None:
    app = App(secret_key="app-test-secret-0123")
    with pytest.raises(TypeError, match=r"app.live\('/', \.\.\.\): expected a LiveView subclass"):
        app.live("/", object)  # type: ignore[arg-type]
    app.live("/", Home)
    with pytest.raises(ValueError, match=r"app.live: '/' is already routed to .*Home"):
        app.live("/", Users)


def test_secret_key_short_is_refused_and_missing_is_ephemeral(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(ValueError, match=r"App\(secret_key=...\): expected at least 16 characters"):
        App(secret_key="short")
    monkeypatch.delenv("PYLIVE_SECRET_KEY", raising=False)
    assert App().secret_is_ephemeral is True
    monkeypatch.setenv("PYLIVE_SECRET_KEY", "from-the-environment-0123")
    app = App()
    assert app.secret_is_ephemeral is False
    assert app.secret_key == "from-the-environment-0123"


def test_client_js_url_is_content_hashed_and_gzip_is_the_same_bytes() -> None:
    app = App(secret_key="app-test-secret-0123")
    assert re.fullmatch(r"/_pylive/client\.[0-9a-f]{12}\.js", app.client_js_url)
    assert gzip.decompress(app.client_js_gzip) == app.client_js
    assert app.client_js_gzip is app.client_js_gzip  # compressed once


def test_pages_load_the_minified_client_and_the_readable_one_in_debug() -> None:
    app = App(secret_key="app-test-secret-0123")
    minified, readable = client_js_path(minified=True).read_bytes(), client_js_path().read_bytes()
    assert app.client_js == minified
    assert minified.startswith(b"// pylive's browser client, minified")
    assert len(minified) < len(readable) / 2
    url = app.client_js_url
    app.debug = True  # what --debug does after the app was made
    assert app.client_js == readable
    assert gzip.decompress(app.client_js_gzip) == readable
    assert app.client_js_url != url


def test_default_live_layout_puts_the_flash_above_the_view() -> None:
    assigns = Assigns("Home")
    assigns._set("flash", {})
    assert render_html(default_live_layout(p("view"), assigns)) == (
        '<div id="flash-group"></div><p>view</p>'
    )
    assigns._set("flash", {"info": "Saved"})
    html = render_html(default_live_layout(p("view"), assigns))
    assert html.startswith('<div id="flash-group"><p class="flash flash-info" role="alert"')
    assert 'phx-click="lv:clear-flash" phx-value-key="info"' in html
    assert html.endswith("<p>view</p>")


def test_the_layout_without_flash_is_what_fragment_makes_for_any_content() -> None:
    assigns = Assigns("Home")
    assigns._set("flash", {})
    for content in (p("view", id="v"), p("plain"), fragment(p("a"), p("b")), "text"):
        laid = default_live_layout(content, assigns)
        assert laid == fragment(NO_FLASH, content)
        assert laid.children[0] is NO_FLASH  # the same object: the diff skips it at once
    with pytest.raises(DuplicateKey, match="duplicate key 'flash-group'"):
        default_live_layout(p("mine", id="flash-group"), assigns)
