"""Every gallery page loads, connects and raises no error in the page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from gallery.app import PAGES
from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("path", ["/", *[path for path, *_ in PAGES]])
def test_gallery_page_connects(gallery, live_page, path):
    page = live_page
    response = page.goto(gallery.url + path)
    assert response is not None and response.status == 200
    sync(page)
    expect(page.locator("#phx-main")).to_have_class(re.compile(r"^phx-connected$"))
    expect(page.locator("nav.sidebar")).to_be_visible()


def test_gallery_clock_ticks_from_the_server(gallery, live_page):
    page = live_page
    page.goto(gallery.url + "/clock")
    sync(page)
    expect(page.locator("#ticks")).to_have_text("1 ticks", timeout=3000)
    page.click("#toggle")
    sync(page)
    expect(page.locator("#toggle")).to_have_text("Resume")
