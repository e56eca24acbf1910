"""The gallery's navigation pages in-process: filters and sort in the URL (push_patch and patch
links, state kept), the paginated table (patch links, replace), authorization and a rate limit
(attach_hook)."""

from __future__ import annotations

from gallery.app import NAVIGATION, app
from gallery.pages import auth_session, nav_products, nav_security, nav_table
from pylive.testing import LiveViewClient, TestClient, live


def names(view: LiveViewClient) -> list[str]:
    return [str(el.text_content()) for el in view.element("#products").find().iter("span")]


def test_the_navigation_pages_are_listed_with_what_to_try() -> None:
    assert [(path, title) for path, title, *_ in NAVIGATION] == [
        ("/nav/products", "Filters and sort in the URL"),
        ("/nav/table", "A paginated table"),
        ("/nav/security", "Authorization and rate limits"),
        ("/auth/login", "Log in"),
        ("/auth/dashboard", "Protected dashboard"),
    ]
    for module in (nav_products, nav_table, nav_security, auth_session):
        assert "Try this: " in (module.__doc__ or "")


def test_products_filters_live_in_the_url_and_the_view_keeps_its_state() -> None:
    with live(app, "/nav/products") as view:
        assert names(view) == ["Desk lamp", "Dune", "Headphones", "Kettle", "Laptop", "Phone",
                               "SICP", "The Hobbit"]  # fmt: skip
        view.element("#pick").click()
        view.element("#filter-books").click()
        view.assert_patch("/nav/products?category=books&sort=name")
        assert names(view) == ["Dune", "SICP", "The Hobbit"]
        view.element("#sort-price").click()
        view.assert_patch("/nav/products?category=books&sort=price")
        assert names(view) == ["The Hobbit", "Dune", "SICP"]
        assert view.title == "Products: books"
        assert view.element("#picked").render().endswith(" Picked: 1</p>")
        view.render_patch("/nav/products?category=nope&sort=weird")  # a URL typed by hand
        assert names(view)[0] == "Desk lamp"


def test_the_table_pages_with_patch_links_and_keeps_the_selection() -> None:
    with live(app, "/nav/table?page=2") as view:
        assert view.element("#where").render() == '<p id="where">Page 2 of 5</p>'
        view.element("#rows tr:first-child button").click()
        assert (
            view.element("#rows tr:first-child")
            .render()
            .startswith('<tr class="selected"><td>6</td><td>Jupiter</td>')
        )
        view.element("#page-1").click()
        view.assert_patch("/nav/table?page=1")
        view.element("#page-2").click()
        assert 'class="selected"' in view.element("#rows tr:first-child").render()
        view.element("#last").click()
        assert view.element("#where").render() == '<p id="where">Page 5 of 5</p>'
        assert view.navigations[-1].replace is True
        view.render_patch("/nav/table?page=99")
        assert view.element("#where").render() == '<p id="where">Page 5 of 5</p>'


def test_events_are_authorized_then_rate_limited() -> None:
    with live(app, "/nav/security") as view:
        view.element("#add").click()
        assert "Not allowed: add needs the editor role" in view.element("#flash-group").render()
        view.form("#role-form", role="editor").change()
        for _ in range(5):
            view.element("#add").click()
        assert len(view.element("#notes").find()) == 6
        view.element("#add").click()
        assert "Too many requests: wait a few seconds" in view.element("#flash-group").render()
        assert len(view.element("#notes").find()) == 6
        view.element("#notes li:first-child button").click()
        assert "Not allowed: delete needs the admin role" in view.render()


def test_log_in_dashboard_and_log_out_with_the_session_cookie() -> None:
    with TestClient(app) as client:
        refused = client.get("/auth/dashboard")
        assert (refused.status, refused.location) == (302, "/auth/login")
        page = client.follow(refused)
        assert page.has_element(".flash-error", "You must log in")
        page.form("#login-form", user={"email": "ann@example.com", "password": "wrong"}).submit()
        assert page.has_element(".flash-error", "Invalid email or password")
        page.form(
            "#login-form", user={"email": "ann@example.com", "password": "correct horse battery"}
        ).submit()
        posted = page.assert_trigger_action("/auth/log_in", method="post")
        response = client.post("/auth/log_in", data=posted.pairs)
        assert (response.status, response.location) == (302, "/auth/dashboard")
        token = client.session["user_token"]
        assert client.session == {
            "user_token": token,
            "live_socket_id": f"users_sessions:{token}",
        }
        dashboard = client.follow(response)
        assert dashboard.has_element(".flash-info", "Logged in successfully")
        assert dashboard.element("#signed-in").render() == (
            '<p id="signed-in">Signed in as ann@example.com</p>'
        )
        other_tab = client.live("/auth/dashboard")
        dashboard.form("#logout-form").submit()
        dashboard.assert_trigger_action("/auth/log_out", method="post")
        out = client.post("/auth/log_out")
        assert (out.status, out.location) == (302, "/auth/login")
        other_tab.assert_redirect("/auth/dashboard")  # its page loads again …
        assert client.session == {}
        again = client.get("/auth/dashboard")  # … and meets the log-in page
        assert (again.status, again.location) == (302, "/auth/login")
        assert auth_session.user_by_session_token(token) is None
