"""Over a real Sanic server on loopback: a redirect from ``mount`` or ``handle_params`` halts the
page (302, or a join answered by a redirect with no tree), ``handle_params`` gets the absolute URI
the request saw, and a query string whose fields conflict is a 400."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import websockets

from pylive import App, LiveView
from pylive.html import div, p
from pylive.sanic import LiveServer

SECRET = "TOP SECRET: the quarterly ledger"


class Protected(LiveView):
    """The auth check of a protected page: no user in the session, off to the login page."""

    rendered: list[str] = []

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        if not session.get("user_id"):
            socket.redirect("/login")
        socket.assign(secret=SECRET)

    def handle_params(self, params: dict[str, Any], uri: str, socket: Any) -> None:
        raise AssertionError("handle_params must not run after mount redirected")

    def render(self, assigns: Any) -> Any:
        Protected.rendered.append("render")
        return div(p(assigns.secret))


class GuardedByParams(LiveView):
    """Redirects from handle_params when the query names no product."""

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        socket.assign(secret=SECRET)

    def handle_params(self, params: dict[str, Any], uri: str, socket: Any) -> None:
        if "product" not in params:
            socket.redirect("/products")

    def render(self, assigns: Any) -> Any:
        return p(assigns.secret)


class ConnectedOnly(LiveView):
    """Renders over HTTP, but its connected mount redirects (the session went stale)."""

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        if socket.connected:
            socket.redirect("/login")
        socket.assign(secret=SECRET)

    def render(self, assigns: Any) -> Any:
        return p(assigns.secret)


class Products(LiveView):
    """Shows the uri and params handle_params received."""

    seen: list[str] = []

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        socket.assign(uri="", params={})

    def handle_params(self, params: dict[str, Any], uri: str, socket: Any) -> None:
        Products.seen.append(uri)
        socket.assign(uri=uri, params=params)

    def render(self, assigns: Any) -> Any:
        return div(p(assigns.uri, id="uri"), p(json.dumps(assigns.params), id="params"))


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    app = App(secret_key="test-secret-0123456789")
    app.live("/admin", Protected)
    app.live("/guarded", GuardedByParams)
    app.live("/stale", ConnectedOnly)
    app.live("/products", Products)
    with LiveServer(app) as live_server:
        yield live_server


def join_over_websocket(server: LiveServer, path: str) -> dict[str, Any]:
    """Load ``path`` over HTTP, then join it over a real websocket; the join's reply."""
    response = httpx.get(server.url + path)
    token = re.search(r'data-phx-session="([^"]+)"', response.text)
    csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', response.text)
    cookie = response.cookies["_pylive_csrf"]
    assert token is not None and csrf is not None, response.text

    async def scenario() -> dict[str, Any]:
        async with websockets.connect(
            f"ws://127.0.0.1:{server.port}/live?csrf={csrf.group(1)}",
            additional_headers={"Cookie": f"_pylive_csrf={cookie}", "Origin": server.url},
            open_timeout=5,
        ) as ws:
            join = {"type": "join", "ref": 0, "token": token.group(1), "url": server.url + path}
            await ws.send(json.dumps(join))
            reply: dict[str, Any] = json.loads(await ws.recv())
            return reply

    return asyncio.run(asyncio.wait_for(scenario(), 10))


def test_redirect_from_mount_http_render_is_a_302_without_the_view(server: LiveServer) -> None:
    Protected.rendered.clear()
    response = httpx.get(server.url + "/admin", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == "/login"
    assert b"SECRET" not in response.content
    assert b"ledger" not in response.content
    assert b"data-phx-session" not in response.content
    assert Protected.rendered == []


def test_redirect_from_handle_params_http_render_is_a_302_without_the_view(
    server: LiveServer,
) -> None:
    response = httpx.get(server.url + "/guarded?page=2", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == "/products"
    assert b"SECRET" not in response.content
    assert SECRET in httpx.get(server.url + "/guarded?product=7").text


def test_redirect_from_connected_mount_join_reply_has_no_tree(server: LiveServer) -> None:
    first = httpx.get(server.url + "/stale")
    assert first.status_code == 200 and SECRET in first.text  # the HTTP render did not redirect
    assert join_over_websocket(server, "/stale") == {"ref": 0, "type": "redirect", "to": "/login"}


def test_handle_params_uri_absolute_over_http_and_websocket(server: LiveServer) -> None:
    Products.seen.clear()
    url = server.url + "/products?sort=price"
    response = httpx.get(url)
    assert f'<p id="uri">{url}</p>' in response.text
    reply = join_over_websocket(server, "/products?sort=price")
    assert Products.seen == [url, url, url]  # this page, then the page and join of the helper
    assert reply["tree"][0][0] == "div"  # the flash group, then the view
    assert reply["tree"][1][2][0][2] == [url]


def test_query_string_values_kept_over_http(server: LiveServer) -> None:
    response = httpx.get(server.url + "/products?user[name]=x&tags[]=a&tags[]=b&page=1&page=2")
    shown = re.search(r'<p id="params">(.*?)</p>', response.text)
    assert shown is not None
    assert json.loads(shown.group(1).replace("&#34;", '"')) == {
        "user": {"name": "x"},
        "tags": ["a", "b"],
        "page": "2",
    }


def test_query_string_with_conflicting_fields_is_a_400(server: LiveServer) -> None:
    response = httpx.get(server.url + "/products?a=1&a[b]=2")
    assert response.status_code == 400
    assert response.text == "bad request: query string: field 'a[b]' conflicts with field 'a'"
