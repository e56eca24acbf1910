"""The session cookie, the flash across redirects and the CSRF check of plain HTTP handlers
(``pylive.http_session``, ``pylive.http_dispatch``), driven in-process with ``TestClient`` and
once over the real Sanic server: LiveView's "Session and Token Management" log in and log out."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from itsdangerous import URLSafeTimedSerializer

from pylive import App, LiveView
from pylive.html import p
from pylive.http import HttpRequest, redirect
from pylive.http_dispatch import dispatch
from pylive.http_session import (
    FLASH_COOKIE,
    FLASH_MAX_AGE,
    FLASH_SALT,
    SESSION_COOKIE,
    SESSION_MAX_AGE,
    SESSION_SALT,
    Cookie,
    dump_flash,
    dump_session,
    load_flash,
    load_session,
)
from pylive.sanic import LiveServer
from pylive.testing import Redirected, TestClient

KEY = "session tests secret 0123456789"
USERS = {"ann@example.com": "secret123"}
CALLS: list[HttpRequest] = []
SESSION_SET = re.compile(
    r"_pylive_session=([A-Za-z0-9_.-]+); Path=/; Max-Age=1209600; SameSite=Lax; HttpOnly"
)
FLASH_SET = re.compile(
    r"_pylive_flash=([A-Za-z0-9_.-]+); Path=/; Max-Age=60; SameSite=Lax; HttpOnly"
)
SESSION_EXPIRED = "_pylive_session=; Path=/; Max-Age=0; SameSite=Lax; HttpOnly"
FLASH_EXPIRED = "_pylive_flash=; Path=/; Max-Age=0; SameSite=Lax; HttpOnly"


class Dashboard(LiveView):
    """The page behind the log in: the user from the session, else off to the log in page."""

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        token = session.get("user_token")
        if token is None:
            socket.redirect("/users/log_in")
            return
        socket.assign(user=token)

    def render(self, assigns: Any) -> Any:
        return p(f"Signed in as {assigns.user}", id="user")


class LogInPage(LiveView):
    def render(self, assigns: Any) -> Any:
        return p("Log in", id="log-in")


def log_in(request: HttpRequest) -> Any:
    CALLS.append(request)
    user = request.form.get("user", {})
    if USERS.get(user.get("email")) != user.get("password"):
        request.put_flash("error", "Invalid email or password")
        return redirect("/users/log_in")
    request.clear_session()  # a fresh session on log in (session fixation)
    request.session["user_token"] = user["email"]
    request.put_flash("info", "Logged in successfully")
    return redirect("/dashboard")


def log_out(request: HttpRequest) -> Any:
    CALLS.append(request)
    request.clear_session()
    request.put_flash("info", "Logged out successfully.")
    return redirect("/users/log_in")


def whoami(request: HttpRequest) -> Any:
    return {"session": request.session}


def remember(request: HttpRequest) -> Any:
    """Appends to a list inside the session: a change in place is a change too."""
    request.session.setdefault("seen", [])
    request.session["seen"].append(request.params["page"])
    return {"seen": request.session["seen"]}


BLOB = "".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(200))
"""12,800 hex digits: even compressed, far over what a cookie holds."""


def hoard(request: HttpRequest) -> Any:
    request.session["blob"] = BLOB
    return {"ok": True}


def unjsonable(request: HttpRequest) -> Any:
    request.session["when"] = {1, 2}
    return {"ok": True}


def delete_item(request: HttpRequest) -> Any:
    CALLS.append(request)
    return {"deleted": request.params["id"]}


def make_app(**options: Any) -> App:
    app = App(secret_key=KEY, **options)
    app.live("/dashboard", Dashboard)
    app.live("/users/log_in", LogInPage)
    app.post("/users/log_in", log_in)
    app.delete("/users/log_out", log_out)
    app.get("/whoami", whoami)
    app.get("/remember/{page}", remember)
    app.post("/hoard", hoard)
    app.post("/unjsonable", unjsonable)
    app.delete("/items/{id}", delete_item)
    return app


@pytest.fixture
def app() -> App:
    CALLS.clear()
    return make_app()


@pytest.fixture
def client(app: App) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def logged_in(client: TestClient) -> TestClient:
    client.post(
        "/users/log_in", data={"user[email]": "ann@example.com", "user[password]": "secret123"}
    )
    return client


def stamp(value: str, salt: str = SESSION_SALT) -> float:
    """The time a signed cookie value was made at."""
    _, at = URLSafeTimedSerializer(KEY, salt=salt).loads(value, return_timestamp=True)
    return float(at.timestamp())


def logged(caplog: pytest.LogCaptureFixture) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "pylive"]


# -- the signed session cookie --------------------------------------------------------------------


def test_session_cookie_round_trips_a_json_object_under_the_apps_key() -> None:
    app = App(secret_key=KEY)
    session = {"user_token": "abc", "n": 3, "roles": ["admin"], "prefs": {"dark": True}}
    value = dump_session(app, session)
    assert re.fullmatch(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", value), value
    assert load_session(app, value) == session
    assert load_session(KEY, value) == session  # the app or its key
    assert load_session(app, None) == {} and load_session(app, "") == {}


def test_session_cookie_tampered_foreign_or_not_an_object_loads_empty_with_the_reason_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="pylive")
    value = dump_session(KEY, {"user_token": "ann"})
    payload, rest = value.split(".", 1)
    tampered = ("A" if payload[0] != "A" else "B") + payload[1:] + "." + rest
    foreign = dump_session("another secret, 0123456789", {"user_token": "admin"})
    a_flash = dump_flash(KEY, {"info": "hi"})  # the right key, another salt
    a_list = URLSafeTimedSerializer(KEY, salt=SESSION_SALT).dumps(["user_token"])
    assert [load_session(KEY, v) for v in (tampered, foreign, a_flash, a_list, "junk")] == [{}] * 5
    bad = "_pylive_session cookie ignored: bad signature (tampered, or signed with another key)"
    assert logged(caplog) == [
        (logging.INFO, bad),
        (logging.INFO, bad),
        (logging.INFO, bad),
        (logging.INFO, "_pylive_session cookie ignored: expected a JSON object, got list"),
        (logging.INFO, bad),
    ]


def test_session_cookie_expires_after_two_weeks_and_refuses_one_from_the_future(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="pylive")
    value = dump_session(KEY, {"user_token": "ann"})
    made = stamp(value)
    assert SESSION_MAX_AGE == 14 * 24 * 3600
    assert load_session(KEY, value, now=made + SESSION_MAX_AGE) == {"user_token": "ann"}
    assert load_session(KEY, value, now=made + SESSION_MAX_AGE + 5) == {}
    assert load_session(KEY, value, now=made + 100, max_age=99) == {}
    assert load_session(KEY, value, now=made - 60) == {"user_token": "ann"}  # clock skew
    assert load_session(KEY, value, now=made - 120) == {}
    assert logged(caplog) == [
        (logging.INFO, "_pylive_session cookie ignored: expired (1209605 s old, at most 1209600)"),
        (logging.INFO, "_pylive_session cookie ignored: expired (100 s old, at most 99)"),
        (logging.INFO, "_pylive_session cookie ignored: stamped 120 s in the future"),
    ]


def test_flash_cookie_lives_a_minute() -> None:
    value = dump_flash(KEY, {"info": "Saved"})
    made = stamp(value, FLASH_SALT)
    assert FLASH_MAX_AGE == 60
    assert load_flash(KEY, value, now=made + 60) == {"info": "Saved"}
    assert load_flash(KEY, value, now=made + 61) == {}
    with pytest.raises(TypeError, match=r"dump_flash: expected \{kind: message\} strings, got"):
        dump_flash(KEY, {"info": 3})


def test_session_cookie_over_4096_bytes_is_refused_both_ways(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="pylive")
    too_big = "a" * (4096 - len("_pylive_session=") + 1)
    assert load_session(KEY, too_big) == {}
    assert logged(caplog) == [
        (logging.INFO, "_pylive_session cookie ignored: 4097 bytes, over 4096")
    ]
    size = len("_pylive_session=") + len(
        URLSafeTimedSerializer(KEY, salt=SESSION_SALT).dumps({"blob": BLOB})
    )
    assert size > 4096
    message = (
        f"request.session: expected a cookie of at most 4096 bytes (what a browser keeps), got "
        f"{size} bytes for _pylive_session; store an id in it and the data on the server"
    )
    with pytest.raises(ValueError) as refused:
        dump_session(KEY, {"blob": BLOB})
    assert str(refused.value) == message


def test_handler_storing_a_session_too_large_or_not_json_fails_with_a_clear_error(
    client: TestClient,
) -> None:
    with pytest.raises(
        ValueError, match=r"at most 4096 bytes .* got \d+ bytes for _pylive_session"
    ):
        client.post("/hoard")
    with pytest.raises(TypeError, match=r"request.session: expected JSON values .* got \{'when'"):
        client.post("/unjsonable")
    assert client.cookies.keys() == {"_pylive_csrf"}  # nothing was set


# -- request.session, clear_session, put_flash ----------------------------------------------------


def test_http_request_session_changes_are_tracked() -> None:
    request = HttpRequest("GET", "/", session={"a": {"b": [1]}})
    assert (request.session, request.session_changed, request.flash) == (
        {"a": {"b": [1]}},
        False,
        {},
    )
    request.session["a"]["b"].append(2)  # in place, deep inside
    assert request.session_changed
    request = HttpRequest("GET", "/", session={"a": 1})
    request.clear_session()
    assert (request.session, request.session_cleared, request.session_changed) == ({}, True, True)
    request.put_flash("info", "Saved")
    request.put_flash("info", "Saved again")  # one message per kind
    request.put_flash("warning", "Careful")
    assert request.flash == {"info": "Saved again", "warning": "Careful"}
    with pytest.raises(
        TypeError,
        match=r"put_flash\(kind, message\) in GET /: expected two strings, got 'info' and 3",
    ):
        request.put_flash("info", 3)


def test_log_in_sets_the_session_and_flash_cookies_with_exact_attributes(
    client: TestClient, app: App
) -> None:
    response = client.post(
        "/users/log_in", data={"user[email]": "ann@example.com", "user[password]": "secret123"}
    )
    assert (response.status, response.location, response.text) == (302, "/dashboard", "")
    session_header, flash_header = response.set_cookies
    session_value = SESSION_SET.fullmatch(session_header).group(1)
    flash_value = FLASH_SET.fullmatch(flash_header).group(1)
    assert load_session(app, session_value) == {"user_token": "ann@example.com"}
    assert load_flash(app, flash_value) == {"info": "Logged in successfully"}
    assert client.session == {"user_token": "ann@example.com"}
    assert client.flash == {"info": "Logged in successfully"}
    (request,) = CALLS
    assert request.form == {"user": {"email": "ann@example.com", "password": "secret123"}}


def test_cookies_are_secure_over_https(app: App) -> None:
    with TestClient(app, base_url="https://example.com") as client:
        secure_flow(client)


def secure_flow(client: TestClient) -> None:
    response = client.post(
        "/users/log_in", data={"user[email]": "ann@example.com", "user[password]": "secret123"}
    )
    assert [re.sub(r"=[^;]+;", "=V;", h, count=1) for h in response.set_cookies] == [
        "_pylive_session=V; Path=/; Max-Age=1209600; SameSite=Lax; Secure; HttpOnly",
        "_pylive_flash=V; Path=/; Max-Age=60; SameSite=Lax; Secure; HttpOnly",
    ]
    page = client.get("/dashboard")
    assert page.set_cookies == [
        "_pylive_flash=; Path=/; Max-Age=0; SameSite=Lax; Secure; HttpOnly"
    ]  # no CSRF cookie: the jar got its nonce for the post's token


def test_clear_session_expires_the_cookie(client: TestClient) -> None:
    logged_in(client)
    response = client.delete("/users/log_out")
    assert (response.status, response.location) == (302, "/users/log_in")
    assert response.set_cookies[0] == SESSION_EXPIRED
    assert FLASH_SET.fullmatch(response.set_cookies[1])
    assert client.session == {} and SESSION_COOKIE not in client.cookies
    assert client.flash == {"info": "Logged out successfully."}


def test_an_unchanged_session_sets_no_cookie_and_a_change_in_place_does(client: TestClient) -> None:
    logged_in(client)
    response = client.get("/whoami")
    assert (response.status, response.json(), response.set_cookies) == (
        200,
        {"session": {"user_token": "ann@example.com"}},
        [],
    )
    assert response.headers == {
        "content-type": "application/json",
        "x-content-type-options": "nosniff",
        "referrer-policy": "same-origin",
    }
    client.get("/remember/a")
    response = client.get("/remember/b%20c")
    assert response.json() == {"seen": ["a", "b c"]}
    assert SESSION_SET.fullmatch(response.set_cookies[0])
    assert client.session == {"user_token": "ann@example.com", "seen": ["a", "b c"]}


# -- the live page reads them ---------------------------------------------------------------------


def test_the_flash_is_shown_exactly_once_on_the_page(client: TestClient) -> None:
    logged_in(client)
    page = client.get("/dashboard")
    assert page.status == 200 and page.headers["content-type"] == "text/html; charset=utf-8"
    assert '<p id="user">Signed in as ann@example.com</p>' in page.text
    assert '<p class="flash flash-info" role="alert"' in page.text
    assert "Logged in successfully" in page.text
    assert page.set_cookies == [FLASH_EXPIRED]
    again = client.get("/dashboard")
    assert "Logged in successfully" not in again.text and again.set_cookies == []
    assert '<p id="user">Signed in as ann@example.com</p>' in again.text


def test_the_flash_is_shown_exactly_once_by_client_live(client: TestClient) -> None:
    logged_in(client)
    view = client.live("/dashboard")
    assert view.has_element(".flash-info", "Logged in successfully")
    assert view.element("#user").render() == '<p id="user">Signed in as ann@example.com</p>'
    assert FLASH_COOKIE not in client.cookies
    assert not client.live("/dashboard").has_element(".flash-info")


def test_a_page_that_redirects_keeps_the_flash_for_the_next_one(client: TestClient) -> None:
    refused = client.post("/users/log_in", data={"user[email]": "ann@example.com"})
    assert (refused.status, refused.location) == (302, "/users/log_in")
    assert client.session == {} and [
        FLASH_SET.fullmatch(h) is not None for h in refused.set_cookies
    ] == [True]
    halted = client.get("/dashboard")  # no user: mount redirects, nothing shown
    assert (halted.status, halted.location) == (302, "/users/log_in")
    # The flash it was brought goes on with the redirect (with any the halted mount put).
    assert [FLASH_SET.fullmatch(h) is not None for h in halted.set_cookies] == [True]
    with pytest.raises(Redirected) as redirected:
        client.live("/dashboard")
    assert redirected.value.to == "/users/log_in"
    assert client.flash == {"error": "Invalid email or password"}
    view = client.follow(halted)
    assert view.has_element(".flash-error", "Invalid email or password")
    assert client.flash == {}


def test_a_flash_token_made_by_dump_flash_is_read_by_the_live_page(
    client: TestClient, app: App
) -> None:
    """What a live redirect hands client.js, which sets it as a (script-visible) cookie."""
    logged_in(client)
    client.get("/dashboard")  # the log in's flash, shown
    token = dump_flash(app, {"info": "Settings saved", "warning": "Check your email"})
    client.jar.set(Cookie(FLASH_COOKIE, token, max_age=60, http_only=False))
    page = client.get("/dashboard")
    assert '<p class="flash flash-info" role="alert"' in page.text and "Settings saved" in page.text
    assert '<p class="flash flash-warning" role="alert"' in page.text
    assert page.set_cookies == [FLASH_EXPIRED]
    client.jar.set(Cookie(FLASH_COOKIE, token, max_age=60, http_only=False))
    view = client.live("/dashboard")
    assert view.has_element(".flash-warning", "Check your email")


def test_a_bad_flash_cookie_shows_nothing_and_is_expired(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="pylive")
    logged_in(client)
    client.jar.set(Cookie(FLASH_COOKIE, dump_flash("another secret, 0123456789", {"error": "x"})))
    page = client.get("/dashboard")
    assert page.status == 200 and 'class="flash' not in page.text
    assert page.set_cookies == [FLASH_EXPIRED]
    assert (
        logging.INFO,
        "_pylive_flash cookie ignored: bad signature (tampered, or signed with another key)",
    ) in logged(caplog)


def test_the_jar_drops_the_flash_cookie_after_its_max_age(app: App) -> None:
    now = [1_000.0]
    with TestClient(app, clock=lambda: now[0]) as client:
        expiring_flow(client, now)


def expiring_flow(client: TestClient, now: list[float]) -> None:
    client.post(
        "/users/log_in", data={"user[email]": "ann@example.com", "user[password]": "secret123"}
    )
    now[0] += 59
    assert FLASH_COOKIE in client.cookies
    now[0] += 1
    assert FLASH_COOKIE not in client.cookies and SESSION_COOKIE in client.cookies
    assert not client.live("/dashboard").has_element(".flash-info")
    now[0] += SESSION_MAX_AGE
    assert client.cookies.keys() == {"_pylive_csrf"}  # a browser-session cookie stays


def test_app_session_function_still_gives_mount_its_session() -> None:
    """With ``App(session=...)`` mount gets what it returns; in-process it is called with the
    page's ``HttpRequest`` (the cookie's session in ``request.session``)."""
    seen: list[Any] = []

    def session_of(request: Any) -> dict[str, Any]:
        seen.append(request)
        return {"user_token": f"{request.session.get('user_token')} via App(session=)"}

    with TestClient(make_app(session=session_of)) as client:
        logged_in(client)
        pages_of(client)
    assert [(r.method, r.path, r.query) for r in seen] == [
        ("GET", "/dashboard", {"tab": "1"}),
        ("GET", "/dashboard", {}),
    ]


def pages_of(client: TestClient) -> None:
    page = client.get("/dashboard?tab=1")
    assert "Signed in as ann@example.com via App(session=)" in page.text
    view = client.live("/dashboard")
    assert view.element("#user").render() == (
        '<p id="user">Signed in as ann@example.com via App(session=)</p>'
    )


# -- CSRF -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["POST", "DELETE"])
@pytest.mark.parametrize("case", ["missing", "wrong", "another nonce's", "no cookie"])
def test_csrf_refusals_are_403_and_never_reach_the_handler(
    client: TestClient, app: App, method: str, case: str
) -> None:
    other = TestClient(app).csrf_token  # valid, for another browser's nonce
    token = {"missing": None, "wrong": "forged.token", "another nonce's": other, "no cookie": other}
    headers = {} if token[case] is None else {"X-CSRF-Token": token[case]}
    if case != "no cookie":
        client.csrf_token  # noqa: B018 — the jar gets its nonce, as a page load gives it
    send = client.post if method == "POST" else client.delete
    response = send(
        "/items/7" if method == "DELETE" else "/users/log_in", headers=headers, csrf=False
    )
    assert (response.status, response.text, response.set_cookies) == (403, "invalid CSRF token", [])
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert CALLS == []


def test_csrf_valid_token_passes_in_the_header_or_the_form_field(client: TestClient) -> None:
    assert client.delete("/items/7").json() == {"deleted": "7"}  # the client adds the header
    response = client.post(
        "/users/log_in",
        data=[["user[email]", "ann@example.com"], ["_csrf_token", client.csrf_token]],
        csrf=False,
    )
    assert response.status == 302
    assert CALLS[1].form == {"user": {"email": "ann@example.com"}}  # the field is removed
    # a wrong field wins over a right header: the field is what the form sent
    response = client.post("/users/log_in", data={"_csrf_token": "forged"})
    assert response.status == 403 and len(CALLS) == 2


def test_csrf_token_is_the_pages_meta_tag(client: TestClient) -> None:
    page = client.get("/users/log_in")
    (csrf_cookie,) = page.set_cookies
    nonce = re.fullmatch(
        r"_pylive_csrf=([A-Za-z0-9_-]{32}); Path=/; SameSite=Lax; HttpOnly", csrf_cookie
    )
    assert nonce is not None and client.cookies["_pylive_csrf"] == nonce.group(1)
    assert f'<meta name="csrf-token" content="{client.csrf_token}">' in page.text
    assert client.get("/users/log_in").set_cookies == []  # kept


# -- dispatch -------------------------------------------------------------------------------------


def test_dispatch_answers_404_405_and_400(client: TestClient) -> None:
    missing = client.get("/nowhere")
    assert (missing.status, missing.text) == (404, "not found: /nowhere")
    wrong = client.post("/whoami")
    assert (wrong.status, wrong.text) == (405, "method not allowed: POST /whoami")
    assert client.delete("/dashboard").text == "method not allowed: DELETE /dashboard"
    bad = client.get("/dashboard?a=1&a[b]=2")
    assert (bad.status, bad.text) == (
        400,
        "bad request: query string: field 'a[b]' conflicts with field 'a'",
    )
    with pytest.raises(AssertionError, match=r"client.follow\(response\): expected a redirect"):
        client.follow(missing)


def test_dispatch_serves_a_request_without_any_server(app: App) -> None:
    result = asyncio.run(dispatch(app, "GET", "/whoami", cookies={}))
    assert (result.status, result.body, result.set_cookies) == (200, b'{"session":{}}', [])


# -- the whole flow -------------------------------------------------------------------------------


def test_log_in_and_log_out_flow(client: TestClient) -> None:
    response = client.post(
        "/users/log_in", data={"user[email]": "ann@example.com", "user[password]": "secret123"}
    )
    assert response.status == 302 and response.location == "/dashboard"
    view = client.follow(response)
    assert "Logged in successfully" in view.render()
    assert view.element("#user").render() == '<p id="user">Signed in as ann@example.com</p>'
    view.close()
    response = client.delete("/users/log_out")
    assert response.set_cookies[0] == SESSION_EXPIRED
    page = client.follow(response)
    assert page.has_element("#log-in") and page.has_element(
        ".flash-info", "Logged out successfully."
    )
    gone = client.get("/dashboard")
    assert (gone.status, gone.location) == (302, "/users/log_in")


def test_sanic_server_sets_and_reads_the_cookies_over_real_http() -> None:
    app = make_app()
    with LiveServer(app) as server, httpx.Client(base_url=server.url) as http:
        page = http.get("/users/log_in")
        (csrf_header,) = page.headers.get_list("set-cookie")
        nonce = re.fullmatch(
            r"_pylive_csrf=([A-Za-z0-9_-]{32}); Path=/; SameSite=Lax; HttpOnly", csrf_header
        )
        token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
        assert nonce is not None and token is not None
        form = {"user[email]": "ann@example.com", "user[password]": "secret123"}
        refused = http.post("/users/log_in", data=form)
        assert (refused.status_code, refused.headers.get_list("set-cookie")) == (403, [])
        response = http.post("/users/log_in", data={**form, "_csrf_token": token.group(1)})
        assert (response.status_code, response.headers["location"]) == (302, "/dashboard")
        session_header, flash_header = response.headers.get_list("set-cookie")
        session = SESSION_SET.fullmatch(session_header)
        assert session is not None and FLASH_SET.fullmatch(flash_header) is not None
        assert load_session(app, session.group(1)) == {"user_token": "ann@example.com"}
        dashboard = http.get("/dashboard")  # httpx's jar sends the three cookies
        assert dashboard.status_code == 200
        assert '<p id="user">Signed in as ann@example.com</p>' in dashboard.text
        assert "Logged in successfully" in dashboard.text
        assert dashboard.headers.get_list("set-cookie") == [FLASH_EXPIRED]
        flash = dump_flash(app, {"info": "From a live redirect"})
        raw = http.get(
            "/dashboard",
            headers={
                "Cookie": f"_pylive_csrf={nonce.group(1)}; _pylive_session={session.group(1)}; "
                f"_pylive_flash={flash}"
            },
        )
        assert "From a live redirect" in raw.text and "Signed in as ann@example.com" in raw.text
        assert raw.headers.get_list("set-cookie") == [FLASH_EXPIRED]
        out = http.delete("/users/log_out", headers={"X-CSRF-Token": token.group(1)})
        assert out.status_code == 302 and out.headers.get_list("set-cookie")[0] == SESSION_EXPIRED
        assert (http.get("/dashboard").status_code, http.cookies.get(SESSION_COOKIE)) == (302, None)
