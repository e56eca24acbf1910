"""Serving one HTTP request, whatever the server: ``dispatch(app, method, path, ...)``.

The server adapter (``pylive.sanic``) and the in-process test client (``pylive.testing``) hand
``dispatch`` the same decoded request — method, path, raw query string, form pairs, lower-case
headers, cookies, whether it came over https — and turn the ``HttpResult`` it gives back into
their own response, so both run this code:

- a ``GET`` of a live route is the page's HTTP render (``pylive.view_render.dead_render``): the
  CSRF cookie set when the browser has no good one, ``mount`` given the session (the session
  cookie's, or ``App(session=...)``'s), the flash cookie shown and expired (once), a 302 when
  ``mount`` or ``handle_params`` redirects;
- a route of ``app.get/post/delete`` runs its handler (``pylive.http``): a ``POST`` or
  ``DELETE`` without the page's CSRF token is a 403 and the handler is not called; after it,
  a changed or cleared session writes or expires the session cookie, a ``put_flash`` sets the
  flash cookie;
- anything else is a 404, or a 405 when the path is served for another method.

A query or form that does not decode is a 400. What a handler raises is raised (the server
answers 500, the test client fails the test).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from pylive.app import App
from pylive.document import page
from pylive.exceptions import InvalidParams
from pylive.http import CSRF_FIELD, HttpRequest, HttpRoute, answer, csrf_token, location
from pylive.http_session import (
    CSRF_COOKIE,
    FLASH_COOKIE,
    SESSION_COOKIE,
    Cookie,
    csrf_cookie,
    csrf_nonce,
    dump_flash,
    dump_session,
    expire,
    flash_cookie,
    load_flash,
    load_session,
    new_csrf_nonce,
    session_cookie,
)
from pylive.params import decode_pairs, decode_query
from pylive.routing import Route
from pylive.view_render import dead_render

log = logging.getLogger("pylive")

SECURITY_HEADERS: Final = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
"""Headers of every page and handler answer."""
TEXT: Final = "text/plain; charset=utf-8"
HTML: Final = "text/html; charset=utf-8"


@attrs.frozen
class HttpResult:
    """What to answer: the status, body and headers, and the cookies to set (``Set-Cookie``
    headers, one per cookie, in order)."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = attrs.field(factory=dict)
    set_cookies: list[Cookie] = attrs.field(factory=list)


def text(status: int, message: str) -> HttpResult:
    """A short plain-text answer (an error)."""
    return HttpResult(status, TEXT, message.encode(), dict(SECURITY_HEADERS))


def find_http_route(app: App, method: str, path: str) -> tuple[HttpRoute, dict[str, str]] | None:
    """The ``app.get/post/delete`` route serving ``method path``, and its path params."""
    for route in app.http_routes:
        if route.method == method:
            params = route.match(path)
            if params is not None:
                return route, params
    return None


def csrf_valid(
    app: App, form: Mapping[str, Any], headers: Mapping[str, str], cookies: Mapping[str, str]
) -> bool:
    """Whether the request carries the page's CSRF token (form field, else header) for the
    nonce of its CSRF cookie."""
    return app.csrf.valid(cookies.get(CSRF_COOKIE) or "", csrf_token(form, headers))


def mount_session(app: App, native: Any, cookies: Mapping[str, str]) -> dict[str, Any]:
    """The session a live page's ``mount`` gets: ``App(session=...)`` called with ``native``
    (the server's request) when the app has one, else the session cookie's dict."""
    if app.session is not None:
        session = app.session(native)
        if not isinstance(session, dict):
            raise TypeError(
                f"App(session=...): expected a function returning a dict, got {session!r}"
            )
        return session
    return load_session(app, cookies.get(SESSION_COOKIE))


def page_request(
    app: App,
    path: str,
    params: Mapping[str, str],
    query: str,
    headers: Mapping[str, str],
    cookies: Mapping[str, str],
) -> HttpRequest:
    """A live page's request as an ``HttpRequest``: what ``App(session=...)`` is called with
    where the server has no request object of its own (the test client)."""
    return HttpRequest(
        "GET",
        path,
        params=params,
        query=decode_query(query),
        headers=headers,
        cookies=cookies,
        session=load_session(app, cookies.get(SESSION_COOKIE)),
        app=app,
    )


async def dispatch(
    app: App,
    method: str,
    path: str,
    *,
    query: str = "",
    form: Iterable[tuple[str, str]] = (),
    headers: Mapping[str, str] | None = None,
    cookies: Mapping[str, str] | None = None,
    https: bool = False,
    url: str | None = None,
    native: Any = None,
    check: bool = False,
) -> HttpResult:
    """Serve one request (see the module's docstring). ``headers`` have lower-case names;
    ``url`` is the absolute URL (``handle_params``'s ``uri``; made from the ``host`` header when
    not given); ``native`` is what ``App(session=...)`` is called with (an ``HttpRequest`` of
    the page when not given); ``check`` runs the render check on pages (the test client)."""
    headers = dict(headers or {})
    cookies = dict(cookies or {})
    if method == "GET":
        live = app.match(path)
        if live is not None:
            if url is None:
                host = headers.get("host", "localhost")
                url = f"{'https' if https else 'http'}://{host}{path}" + (
                    f"?{query}" if query else ""
                )
            return await serve_page(
                app, live, path, query, url, headers, cookies, https, native, check
            )
    found = find_http_route(app, method, path)
    if found is not None:
        route, params = found
        return await serve_handler(app, route, params, path, query, form, headers, cookies, https)
    if any(route.match(path) is not None for route in app.routes) or any(
        route.match(path) is not None for route in app.http_routes
    ):
        return text(405, f"method not allowed: {method} {path}")
    return text(404, f"not found: {path}")


async def serve_page(
    app: App,
    live: tuple[Route, dict[str, str]],
    path: str,
    query: str,
    url: str,
    headers: Mapping[str, str],
    cookies: Mapping[str, str],
    https: bool,
    native: Any,
    check: bool,
) -> HttpResult:
    """The HTTP render of a live route (see the module's docstring)."""
    route, params = live
    try:
        if native is None and app.session is not None:
            native = page_request(app, path, params, query, headers, cookies)
    except InvalidParams as error:
        return text(400, f"bad request: {error}")
    set_cookies: list[Cookie] = []
    nonce = csrf_nonce(cookies.get(CSRF_COOKIE))
    if nonce is None:  # absent, or not one this server would make
        nonce = new_csrf_nonce()
        set_cookies.append(csrf_cookie(nonce, https))
    session = mount_session(app, native, cookies)
    flash_value = cookies.get(FLASH_COOKIE)
    flash = load_flash(app, flash_value) if flash_value else {}
    try:
        dead = await dead_render(app, route, params, url, session, check=check, flash=flash)
    except InvalidParams as error:
        return text(400, f"bad request: {error}")
    if dead.redirect is not None:  # mount or handle_params halted: no byte of the view
        # The flash it put (and one it was brought) goes to the page the redirect leads to.
        redirect_cookies = []
        if dead.flash:
            redirect_cookies.append(flash_cookie(dump_flash(app, dead.flash), https))
        headers = {**SECURITY_HEADERS, "Location": location(dead.redirect)}
        return HttpResult(302, HTML, b"", headers, redirect_cookies)
    body = page(app, dead.tree, dead.token, dead.title, app.csrf.for_nonce(nonce))
    if flash_value is not None:
        set_cookies.append(expire(FLASH_COOKIE, https))  # shown once
    return HttpResult(200, HTML, body.encode(), dict(SECURITY_HEADERS), set_cookies)


async def serve_handler(
    app: App,
    route: HttpRoute,
    params: Mapping[str, str],
    path: str,
    query: str,
    form_pairs: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    cookies: Mapping[str, str],
    https: bool,
) -> HttpResult:
    """Run the handler of an ``app.get/post/delete`` route (see the module's docstring)."""
    try:
        decoded_query = decode_query(query)
        form = decode_pairs(form_pairs, "form body")
    except InvalidParams as error:
        return text(400, f"bad request: {error}")
    if route.needs_csrf and not csrf_valid(app, form, headers, cookies):
        log.warning("%s %s refused: missing or wrong CSRF token", route.method, path)
        return text(403, "invalid CSRF token")
    form.pop(CSRF_FIELD, None)
    request = HttpRequest(
        route.method,
        path,
        params=params,
        query=decoded_query,
        form=form,
        headers=headers,
        cookies=cookies,
        session=load_session(app, cookies.get(SESSION_COOKIE)),
        app=app,
    )
    result = route.handler(request)
    if inspect.isawaitable(result):
        result = await result
    status, content_type, body, answer_headers = answer(result, f"{route.name} ({route.method})")
    return HttpResult(
        status,
        content_type,
        body,
        {**SECURITY_HEADERS, **answer_headers},
        response_cookies(app, request, https),
    )


def response_cookies(app: App, request: HttpRequest, https: bool) -> list[Cookie]:
    """The cookies a handler's request leaves to set: the session when it changed or was
    cleared (expired when empty), the flash when ``put_flash`` was called."""
    cookies: list[Cookie] = []
    if request.session_changed:
        if request.session:
            cookies.append(session_cookie(dump_session(app, request.session), https))
        else:
            cookies.append(expire(SESSION_COOKIE, https))
    if request.flash:
        cookies.append(flash_cookie(dump_flash(app, request.flash), https))
    return cookies
