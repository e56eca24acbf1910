"""The gallery's navigation pages in Chromium: filters and sort in the URL with back and
forward, the paginated table's patch links keeping the selection, and the authorization and
rate-limit hooks answering with flashes — no page load, no page error."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from pylive.sanic import LiveServer
from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e


def documents(page: Page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if r.resource_type == "document" else None)
    return seen


def names(page: Page) -> list[str]:
    return page.locator("#products li span").all_text_contents()


def test_products_filters_and_sort_live_in_the_url(gallery: LiveServer, live_page: Page) -> None:
    page, base = live_page, gallery.url + "/nav/products"
    loads = documents(page)
    page.goto(base)
    sync(page)
    page.click("#pick")
    page.click("#filter-books")
    page.wait_for_url(base + "?category=books&sort=name")
    expect(page.locator("#products li span")).to_have_text(["Dune", "SICP", "The Hobbit"])
    page.click("#sort-price")
    page.wait_for_url(base + "?category=books&sort=price")
    expect(page.locator("#products li span")).to_have_text(["The Hobbit", "Dune", "SICP"])
    expect(page).to_have_title("Products: books")
    page.go_back()
    page.wait_for_url(base + "?category=books&sort=name")
    expect(page.locator("#products li span")).to_have_text(["Dune", "SICP", "The Hobbit"])
    page.go_back()
    page.wait_for_url(base)
    expect(page.locator("#products li")).to_have_count(8)
    expect(page.locator("#picked")).to_have_text("Pick Picked: 1")  # the view was never remounted
    assert loads == [base]


def test_the_table_pages_with_patch_links(gallery: LiveServer, live_page: Page) -> None:
    page, base = live_page, gallery.url + "/nav/table"
    loads = documents(page)
    page.goto(base)
    sync(page)
    page.click("#rows tr:nth-child(2) button")
    expect(page.locator("#rows tr.selected td:nth-child(2)")).to_have_text("Venus")
    page.click("#page-3")
    page.wait_for_url(base + "?page=3")
    expect(page.locator("#where")).to_have_text("Page 3 of 5")
    page.click("#last")  # replaces the entry
    page.wait_for_url(base + "?page=5")
    page.go_back()
    page.wait_for_url(base)
    expect(page.locator("#where")).to_have_text("Page 1 of 5")
    expect(page.locator("#rows tr.selected td:nth-child(2)")).to_have_text("Venus")
    assert loads == [base]


def test_events_are_authorized_then_rate_limited(gallery: LiveServer, live_page: Page) -> None:
    page: Any = live_page
    page.goto(gallery.url + "/nav/security")
    sync(page)
    page.click("#add")
    expect(page.locator("#flash-group .flash-error")).to_contain_text(
        "Not allowed: add needs the editor role"
    )
    page.select_option("#role", "editor")
    sync(page)
    expect(page.locator("#flash-group .flash-error")).to_have_count(0)
    for count in range(2, 7):
        page.click("#add")
        expect(page.locator("#notes li")).to_have_count(count)
    page.click("#add")
    expect(page.locator("#flash-group .flash-error")).to_contain_text("Too many requests")
    expect(page.locator("#notes li")).to_have_count(6)


def test_the_gallery_sidebar_moves_between_pages_without_a_page_load(
    gallery: LiveServer, live_page: Page
) -> None:
    page = live_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    loads = documents(page)
    page.goto(gallery.url + "/counter")
    sync(page)
    walk = [
        ("Clock", "/clock"),
        ("Hook basics", "/hooks/basics"),
        ("Stream", "/stream"),
        ("Uploads", "/uploads/profile"),
        ("Modal", "/js/modal"),
    ]
    for title, path in walk:
        page.click(f"nav.sidebar a[href='{path}']")
        page.wait_for_url(gallery.url + path)
        expect(page.locator("main h1")).to_have_text(title)
        expect(page.locator("#phx-main")).to_have_class("phx-connected")
    page.go_back()
    page.wait_for_url(gallery.url + "/uploads/profile")
    expect(page.locator("main h1")).to_have_text("Uploads")
    assert loads == [gallery.url + "/counter"]
    page.click("nav.sidebar a[href='/auth/dashboard']")  # another live session: a page load
    page.wait_for_url(gallery.url + "/auth/login")
    assert loads[1:] == [gallery.url + "/auth/dashboard", gallery.url + "/auth/login"]
    assert errors == []
