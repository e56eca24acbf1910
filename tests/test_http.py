"""Plain HTTP handlers (``pylive.http``, ``app.get/post/delete``) served by the real Sanic server
on loopback: what each answer becomes, the CSRF check of posts, decoding, and the errors. The
session, the flash and ``TestClient`` are in ``test_http_session.py``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pylive import App, LiveView
from pylive.html import p
from pylive.http import HttpRequest, Response, answer, redirect
from pylive.sanic import LiveServer

CALLS: list[HttpRequest] = []


class Home(LiveView):
    def render(self, assigns: Any) -> Any:
        return p("home")


def log_in(request: HttpRequest) -> Any:
    CALLS.append(request)
    if request.form.get("user", {}).get("email") == "ann@example.com":
        return redirect("/dashboard?welcome=1")
    return "<p>Unknown user</p>"


async def status(request: HttpRequest) -> Any:
    return {"ok": True, "id": request.params["id"], "q": request.query}


def broken(request: HttpRequest) -> Any:
    return 42


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    app = App(secret_key="test-secret-0123456789")
    app.live("/", Home)
    app.post("/users/log_in", log_in)
    app.get("/status/{id}", status)
    app.delete("/session", lambda request: redirect("/"))
    app.post("/broken", broken)
    with LiveServer(app) as live_server:
        yield live_server


def session(server: LiveServer) -> tuple[httpx.Client, str]:
    """A client holding the CSRF cookie of a page it loaded, and that page's token."""
    client = httpx.Client(base_url=server.url, follow_redirects=False)
    page = client.get("/")
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
    assert found is not None
    return client, found.group(1)


def test_http_post_with_the_pages_csrf_token_runs_the_handler(server: LiveServer) -> None:
    client, token = session(server)
    CALLS.clear()
    form = {"user[email]": "ann@example.com", "user[remember]": "true", "_csrf_token": token}
    response = client.post("/users/log_in", data=form)
    assert (response.status_code, response.headers["location"]) == (302, "/dashboard?welcome=1")
    assert response.headers["x-content-type-options"] == "nosniff"
    (request,) = CALLS
    assert (request.method, request.path) == ("POST", "/users/log_in")
    assert request.form == {"user": {"email": "ann@example.com", "remember": "true"}}  # no token
    response = client.post("/users/log_in", data={"user[email]": "bob", "_csrf_token": token})
    assert (response.status_code, response.text) == (200, "<p>Unknown user</p>")
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    client.close()


@pytest.mark.parametrize("token", ["", "forged.token", "use-the-other-sessions"])
def test_http_post_without_a_valid_csrf_token_is_403_and_never_reaches_the_handler(
    server: LiveServer, token: str
) -> None:
    client, own = session(server)
    other_client, other = session(server)
    other_client.close()
    CALLS.clear()
    sent = other if token == "use-the-other-sessions" else token
    response = client.post(
        "/users/log_in", data={"user[email]": "ann@example.com", "_csrf_token": sent}
    )
    assert (response.status_code, response.text) == (403, "invalid CSRF token")
    assert CALLS == []
    response = client.post(
        "/users/log_in", data={"user[email]": "x"}, headers={"X-CSRF-Token": own}
    )  # the header serves too
    assert response.status_code == 200 and len(CALLS) == 1
    client.close()


def test_http_get_handler_answers_json_with_path_and_query_params(server: LiveServer) -> None:
    response = httpx.get(server.url + "/status/7?tags[]=a&tags[]=b")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"ok": True, "id": "7", "q": {"tags": ["a", "b"]}}


def test_http_delete_needs_the_token_too(server: LiveServer) -> None:
    client, token = session(server)
    other_client, other = session(server)
    other_client.close()
    for sent in ({}, {"X-CSRF-Token": "forged.token"}, {"X-CSRF-Token": other}):
        response = client.delete("/session", headers=sent)
        assert (response.status_code, response.text) == (403, "invalid CSRF token")
    response = client.delete("/session", headers={"X-CSRF-Token": token})
    assert (response.status_code, response.headers["location"]) == (302, "/")
    client.close()


def test_http_a_bad_form_body_is_400_and_a_bad_answer_is_500(server: LiveServer) -> None:
    client, token = session(server)
    body = {"user": "ann", "user[email]": "ann@example.com", "_csrf_token": token}
    response = client.post("/users/log_in", data=body)
    assert (response.status_code, response.text) == (
        400,
        "bad request: form body: field 'user[email]' conflicts with field 'user'",
    )
    assert client.post("/broken", data={"_csrf_token": token}).status_code == 500
    client.close()


def test_http_answers_and_their_errors() -> None:
    assert answer("<p>x</p>", "h") == (200, "text/html; charset=utf-8", b"<p>x</p>", {})
    assert answer({"a": 1}, "h") == (200, "application/json", b'{"a":1}', {})
    with pytest.raises(
        TypeError, match=r"invalid return from h: expected an HTML str, a dict .* got 42"
    ):
        answer(42, "h")
    with pytest.raises(
        ValueError, match=r"redirect: expected a local path like '/users/1', got '//evil.example'"
    ):
        redirect("//evil.example")
    # what a header cannot carry is percent-encoded, the rest kept as it is
    assert answer(redirect("/café?q=a b&r=%2F"), "h")[3] == {"Location": "/caf%C3%A9?q=a%20b&r=%2F"}


def test_http_a_response_answers_its_own_content_type_and_status() -> None:
    metrics = Response("up 1\n", "text/plain; version=0.0.4; charset=utf-8")
    assert answer(metrics, "h") == (200, "text/plain; version=0.0.4; charset=utf-8", b"up 1\n", {})
    assert answer(Response(b"\x00", "application/octet-stream", 503), "h")[:3] == (
        503,
        "application/octet-stream",
        b"\x00",
    )
    with pytest.raises(TypeError, match=r"Response\(body, ...\): expected a str or bytes body"):
        Response(42, "text/plain")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"expected a content type like .* got 'a/b\\r\\nX: y'"):
        Response("", "a/b\r\nX: y")  # no header injection
    with pytest.raises(ValueError, match=r"expected a 2xx, 4xx or 5xx status .* got 302"):
        Response("", "text/plain", 302)


def test_http_routes_refuse_conflicts_and_bad_arguments() -> None:
    app = App()
    app.live("/", Home)
    app.post("/a", log_in)
    with pytest.raises(ValueError, match=r"app.post: POST '/a' is already handled by log_in"):
        app.post("/a", status)
    with pytest.raises(ValueError, match=r"app.get: '/' is a live route"):
        app.get("/", status)
    app.get("/b", status)
    with pytest.raises(ValueError, match=r"app.live: GET '/b' is already handled by status"):
        app.live("/b", Home)
    with pytest.raises(ValueError, match=r"app.post: expected a path like '/log_in', got 'a'"):
        app.post("a", log_in)
    with pytest.raises(
        TypeError, match=r"app.post\('/c', ...\): expected a function taking the request, got 3"
    ):
        app.post("/c", 3)  # type: ignore[arg-type]
    with pytest.raises(
        ValueError,
        match=r"app.get\('/d/\{id\}/\{id\}', ...\): expected each \{name\} once, got 'id'",
    ):
        app.get("/d/{id}/{id}", status)
    with pytest.raises(
        ValueError, match=r"app.get\('/e/\{id', ...\): expected \{name\} segments, found a stray"
    ):
        app.get("/e/{id", status)
