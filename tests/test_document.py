"""``pylive.document``: the HTTP document around a live view — the shell, the live container,
the page indicators."""

from __future__ import annotations

from pylive.app import App
from pylive.document import container, indicators, page
from pylive.html import p


def test_container_holds_the_tree_and_the_join_token() -> None:
    html = container(p("hi", id="x"), "TOKEN")
    assert (
        html == '<div id="phx-main" data-phx-main data-phx-session="TOKEN"><p id="x">hi</p></div>'
    )


def test_page_has_the_csrf_token_the_client_and_the_indicators() -> None:
    app = App(secret_key="document-test-secret", title="Shop", head='<link rel="icon" href="/i">')
    html = page(app, p("body"), "TOKEN", None, "CSRF+1")
    assert html.startswith('<!doctype html><html lang="en">')
    assert '<meta name="csrf-token" content="CSRF+1">' in html
    assert "<title>Shop</title>" in html
    assert f'<script type="module" src="{app.client_js_url}"></script>' in html
    assert '<link rel="icon" href="/i">' in html
    assert str(indicators()) in html
    assert html.index(str(indicators())) < html.index('<div id="phx-main"')
    assert "#pylive-topbar{" in html  # their stylesheet, in the head


def test_page_title_from_the_view_wins() -> None:
    app = App(secret_key="document-test-secret", title="Shop")
    assert "<title>Cart</title>" in page(app, None, "T", "Cart", "C")


def test_indicators_false_leaves_them_and_their_style_out() -> None:
    app = App(secret_key="document-test-secret", indicators=False)
    html = page(app, None, "T", None, "C")
    assert "pylive-topbar" not in html
    assert "pylive-notice" not in html


def test_a_root_layout_gets_the_same_keywords() -> None:
    seen = {}

    def layout(**parts: object) -> str:
        seen.update(parts)
        return "<html>custom</html>"

    app = App(secret_key="document-test-secret", root_layout=layout)
    assert page(app, p("x"), "T", "Title", "C") == "<html>custom</html>"
    assert sorted(seen) == ["client_src", "content", "csrf_token", "head", "title"]
    assert seen["title"] == "Title"
    assert 'data-phx-session="T"' in str(seen["content"])
