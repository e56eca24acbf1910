"""Live navigation in the in-process test client: link clicks, render_patch, navigate,
assert_patch / assert_navigate / assert_redirect, follow_redirect, and live() of a page an
on_mount hook halts."""

from __future__ import annotations

from typing import Any

import pytest

from pylive import JS, App, LiveView, link
from pylive.html import button, div, p
from pylive.node import Tree
from pylive.socket import Socket
from pylive.testing import Redirected, live

SECRET = "a test secret, long enough"


class Products(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(mounts=socket.assigns.get("mounts", 0) + 1, clicks=0)

    def handle_params(self, params: dict[str, Any], uri: str, socket: Socket) -> None:
        socket.assign(category=params.get("category", "all"), sort=params.get("sort", "name"))

    def render(self, assigns: Any) -> Tree:
        return div(
            p(f"{assigns.category} by {assigns.sort}, clicks {assigns.clicks}", id="state"),
            link("Books", patch="/products?category=books", id="books"),
            link("About", navigate="/about", id="about"),
            link("Admin", navigate="/admin", id="admin"),
            button("Electronics", phx_click="filter", phx_value_category="electronics", id="el"),
            button("+", phx_click="inc", id="inc"),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        if event == "inc":
            socket.update("clicks", lambda n: n + 1)
        elif event == "filter":
            category = params["category"]
            socket.push_patch(f"/products?category={category}&sort={socket.assigns.sort}")


class About(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(user=session.get("user"))

    def render(self, assigns: Any) -> Tree:
        return p(f"about, user {assigns.user}", id="about-page")


class Admin(LiveView):
    def render(self, assigns: Any) -> Tree:
        return p("admin", id="admin-page")


def guard(params: dict[str, Any], session: dict[str, Any], socket: Socket) -> str:
    if session.get("admin"):
        return "cont"
    socket.redirect("/products")
    return "halt"


def make_app() -> App:
    app = App(secret_key=SECRET)
    app.live("/products", Products)
    app.live("/about", About)
    with app.live_session("admin", on_mount=[guard]):
        app.live("/admin", Admin)
    return app


def test_a_patch_link_runs_handle_params_and_keeps_state() -> None:
    with live(make_app(), "/products") as view:
        view.element("#inc").click()
        view.element("#books").click()
        view.assert_patch("/products?category=books")
        assert view.element("#state").render() == '<p id="state">books by name, clicks 1</p>'
        assert view.path == "/products?category=books"
        view.element("#el").click()  # the server's push_patch
        view.assert_patch("/products?category=electronics&sort=name")
        assert view.path == "/products?category=electronics&sort=name"
        view.render_patch("/products?sort=price")  # back, or a URL typed in
        assert view.element("#state").render() == '<p id="state">all by price, clicks 1</p>'
        with pytest.raises(AssertionError, match="expected a patch to '/nowhere'"):
            view.assert_patch("/nowhere")


def test_a_navigate_link_mounts_the_next_view_with_the_session() -> None:
    with live(make_app(), "/products", session={"user": "ann"}) as view:
        view.element("#about").click()
        view.assert_navigate("/about")
        assert view.element("#about-page").render() == '<p id="about-page">about, user ann</p>'
        assert view.path == "/about"
        assert not view.has_element("#state")


def test_another_live_session_is_a_redirect_to_follow() -> None:
    with live(make_app(), "/products", session={"admin": True}) as view:
        view.element("#admin").click()
        view.assert_redirect("/admin")
        admin = view.follow_redirect()
        assert admin.element("#admin-page").render() == '<p id="admin-page">admin</p>'
        admin.close()


def test_live_of_a_page_its_on_mount_halts_is_the_redirect() -> None:
    with pytest.raises(Redirected) as redirected:
        live(make_app(), "/admin")
    assert (redirected.value.to, redirected.value.connected) == ("/products", False)


class Chooser(LiveView):
    def handle_params(self, params: dict[str, Any], uri: str, socket: Socket) -> None:
        socket.assign(sort=params.get("sort", "name"))

    def render(self, assigns: Any) -> Tree:
        return div(
            p(f"sorted by {assigns.sort}", id="sorted"),
            button("price", phx_click=JS().patch("/choose?sort=price"), id="by-price"),
            button("about", phx_click=JS().navigate("/about"), id="go-about"),
        )


def test_js_patch_and_navigate_navigate_live_as_in_the_browser() -> None:
    app = make_app()
    app.live("/choose", Chooser)
    with live(app, "/choose") as view:
        view.element("#by-price").click()
        view.assert_patch("/choose?sort=price")
        assert view.element("#sorted").render() == '<p id="sorted">sorted by price</p>'
        assert view.path == "/choose?sort=price"
        view.element("#go-about").click()
        view.assert_navigate("/about")
        assert view.has_element("#about-page")
