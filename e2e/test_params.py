"""What the browser's join tells the server: the page's absolute URL, and a redirect from a
connected mount followed with no tree rendered."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.views import navigation_app
from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e


def test_handle_params_uri_absolute_on_the_http_render_and_the_join(live_server, live_page):
    server = live_server(navigation_app())
    url = server.url + "/products?sort=price"
    response = live_page.goto(url)
    assert f'<p id="uri">{url}</p><p id="connected">connected=False</p>' in response.text()
    sync(live_page)
    expect(live_page.locator("#connected")).to_have_text("connected=True")
    expect(live_page.locator("#uri")).to_have_text(url)
    assert live_page.url == url


def test_redirect_from_connected_mount_loads_the_target(live_server, live_page):
    server = live_server(navigation_app())
    live_page.goto(server.url + "/members")
    live_page.wait_for_url(server.url + "/login")
    sync(live_page)
    expect(live_page.locator("#login")).to_have_text("Please log in")
