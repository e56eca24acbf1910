"""``TestClient``: plain HTTP in-process, with a browser's cookie jar, beside ``live()``.

The client sends each request through ``pylive.http_dispatch.dispatch`` — the code the Sanic
adapter runs — and keeps the cookies the answers set (``_pylive_session``, ``_pylive_flash``,
``_pylive_csrf``) as a browser does, ``Max-Age`` honoured on the client's clock. A ``POST`` or
``DELETE`` carries the page's CSRF token (``client.csrf_token``) in the ``X-CSRF-Token`` header
unless ``csrf=False``. ``client.live(path)`` joins a live route with the jar's session and flash,
and ``client.follow(response)`` goes where a redirect points: so a log in flow is testable
without a browser::

    client = TestClient(app)
    resp = client.post("/login", data={"user[email]": "a@b.c", "user[password]": "secret123"})
    assert resp.status == 302 and resp.location == "/dashboard"
    view = client.follow(resp)          # the live dashboard, session and flash from the cookies
    assert "Logged in successfully" in view.render()

What a handler raises fails the call (a server would answer 500).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import orjson

from pylive.app import App
from pylive.http import CSRF_HEADER
from pylive.http_dispatch import HttpResult, dispatch, mount_session, page_request
from pylive.http_session import (
    CSRF_COOKIE,
    FLASH_COOKIE,
    SESSION_COOKIE,
    Cookie,
    csrf_nonce,
    load_flash,
    load_session,
    new_csrf_nonce,
)
from pylive.testing._loop import run_sync
from pylive.testing.client import DEFAULT_BASE_URL, LiveViewClient, StaticRender, live

FormData = Mapping[str, str | Sequence[str]] | Iterable[Sequence[str]]
"""A form body: ``{name: value}`` (a list of values repeats the name), or ``[[name, value]]``."""


class ClientResponse:
    """What ``TestClient`` got back: ``status``, ``headers`` (lower-case names), ``text``,
    ``json()``, ``location``, and ``set_cookies`` (each ``Set-Cookie`` header, in order)."""

    __test__ = False
    __slots__ = ("body", "headers", "set_cookies", "status")

    def __init__(self, result: HttpResult) -> None:
        self.status = result.status
        self.headers: dict[str, str] = {"content-type": result.content_type}
        self.headers.update((name.lower(), value) for name, value in result.headers.items())
        self.set_cookies: list[str] = [cookie.header() for cookie in result.set_cookies]
        self.body = result.body

    @property
    def text(self) -> str:
        return self.body.decode()

    def json(self) -> Any:
        return orjson.loads(self.body)

    @property
    def location(self) -> str | None:
        """Where a redirect points (its ``Location``), or None."""
        return self.headers.get("location")

    def __repr__(self) -> str:
        where = f" → {self.location}" if self.location else ""
        return f"<ClientResponse {self.status}{where}>"


class CookieJar:
    """The cookies a browser keeps for one site: set by ``Set-Cookie``, dropped at ``Max-Age``."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._cookies: dict[str, tuple[str, float | None]] = {}

    def set(self, cookie: Cookie) -> None:
        if cookie.max_age is not None and cookie.max_age <= 0:
            self._cookies.pop(cookie.name, None)
            return
        until = None if cookie.max_age is None else self._clock() + cookie.max_age
        self._cookies[cookie.name] = (cookie.value, until)

    def drop(self, name: str) -> None:
        self._cookies.pop(name, None)

    def get(self, name: str) -> str | None:
        return self.values().get(name)

    def values(self) -> dict[str, str]:
        """The cookies not expired, ``{name: value}``."""
        now = self._clock()
        for name, (_, until) in list(self._cookies.items()):
            if until is not None and until <= now:
                del self._cookies[name]
        return {name: value for name, (value, _) in self._cookies.items()}


class TestClient:
    """Plain HTTP requests to ``app`` in-process, with a cookie jar (see the module's docstring).

    ``base_url`` is where the app is as far as requests can tell (an ``https`` one makes the
    cookies ``Secure``); ``clock`` is the jar's clock (``time.time``), for testing expiry.
    ``close()`` (or the end of a ``with TestClient(app) as client:`` block) closes the live
    views ``client.live`` and ``client.follow`` opened.
    """

    __test__ = False

    def __init__(
        self,
        app: App,
        *,
        base_url: str = DEFAULT_BASE_URL,
        clock: Callable[[], float] = time.time,
    ) -> None:
        split = urlsplit(base_url)
        if split.scheme not in ("http", "https") or not split.netloc:
            raise ValueError(
                f"TestClient(base_url=...): expected a URL like 'http://testserver', "
                f"got {base_url!r}"
            )
        self.app = app
        self.base_url = base_url.rstrip("/")
        self.https = split.scheme == "https"
        self.host = split.netloc
        self.jar = CookieJar(clock)
        self._views: list[LiveViewClient] = []

    def __enter__(self) -> TestClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the live views this client opened."""
        views, self._views = self._views, []
        for view in views:
            view.close()

    def __repr__(self) -> str:
        return f"<TestClient {self.base_url} cookies={sorted(self.cookies)}>"

    # -- what the jar holds -----------------------------------------------------------------------

    @property
    def cookies(self) -> dict[str, str]:
        """The cookies the next request sends, ``{name: value}``."""
        return self.jar.values()

    @property
    def session(self) -> dict[str, Any]:
        """The session the session cookie holds (``{}`` without one)."""
        return load_session(self.app, self.jar.get(SESSION_COOKIE))

    @property
    def flash(self) -> dict[str, str]:
        """The flash the flash cookie holds for the next page (``{}`` without one)."""
        return load_flash(self.app, self.jar.get(FLASH_COOKIE))

    @property
    def csrf_token(self) -> str:
        """The token a page rendered for this jar carries (its ``csrf-token`` meta tag): the
        signed form of the CSRF cookie's nonce. Without a CSRF cookie, the jar gets one first,
        as the first page a browser loads gives it."""
        return self.app.csrf.for_nonce(self._nonce())

    def _nonce(self) -> str:
        nonce = csrf_nonce(self.jar.get(CSRF_COOKIE))
        if nonce is None:
            nonce = new_csrf_nonce()
            self.jar.set(Cookie(CSRF_COOKIE, nonce))
        return nonce

    # -- requests ---------------------------------------------------------------------------------

    def get(self, path: str, *, headers: Mapping[str, str] | None = None) -> ClientResponse:
        """``GET path``: an HTTP handler's answer, or a live route's page (its HTML, or the 302
        of a mount that redirects)."""
        return self._request("GET", path, [], headers, csrf=False)

    def post(
        self,
        path: str,
        data: FormData | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        csrf: bool = True,
    ) -> ClientResponse:
        """``POST path`` with the form ``data``, the CSRF token added unless ``csrf=False``."""
        return self._request("POST", path, form_pairs(data, f"post({path!r})"), headers, csrf)

    def delete(
        self,
        path: str,
        data: FormData | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        csrf: bool = True,
    ) -> ClientResponse:
        """``DELETE path``, the CSRF token added unless ``csrf=False``."""
        return self._request("DELETE", path, form_pairs(data, f"delete({path!r})"), headers, csrf)

    def live(self, path: str, **options: Any) -> LiveViewClient | StaticRender:
        """``pylive.testing.live(app, path, session=..., flash=..., **options)`` with the
        session and the flash of the jar's cookies, as the browser's page load would bring them
        (``App(session=...)`` is called with an ``HttpRequest`` of the page when the app has
        one); the flash is then dropped (a page shows it once)."""
        if not path.startswith("/"):
            raise ValueError(f"client.live(path): expected a path starting with '/', got {path!r}")
        self._nonce()  # the page load sets the CSRF cookie
        cookies = self.jar.values()
        split = urlsplit(path)
        native = None
        found = self.app.match(split.path)
        if found is not None and self.app.session is not None:
            native = page_request(
                self.app, split.path, found[1], split.query, self._headers(None, cookies), cookies
            )
        session = mount_session(self.app, native, cookies)
        flash = load_flash(self.app, cookies.get(FLASH_COOKIE))
        options.setdefault("base_url", self.base_url)
        view: LiveViewClient | StaticRender = live(
            self.app, path, session=session, flash=flash, **options
        )
        self.jar.drop(FLASH_COOKIE)
        if isinstance(view, LiveViewClient):
            self._views.append(view)
        return view

    def follow(
        self, response: ClientResponse, **options: Any
    ) -> LiveViewClient | StaticRender | ClientResponse:
        """Go where the redirect ``response`` points: ``client.live(location, **options)`` for
        a live route, else ``client.get(location)``."""
        to = response.location
        if to is None:
            raise AssertionError(
                f"client.follow(response): expected a redirect (a response with a Location), "
                f"got {response!r}"
            )
        if self.app.match(urlsplit(to).path) is not None:
            return self.live(to, **options)
        return self.get(to)

    def _headers(
        self, extra: Mapping[str, str] | None, cookies: Mapping[str, str]
    ) -> dict[str, str]:
        headers = {"host": self.host}
        if cookies:
            headers["cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        headers.update((name.lower(), value) for name, value in (extra or {}).items())
        return headers

    def _request(
        self,
        method: str,
        path: str,
        form: list[tuple[str, str]],
        extra: Mapping[str, str] | None,
        csrf: bool,
    ) -> ClientResponse:
        call = f"client.{method.lower()}({path!r})"
        if not isinstance(path, str) or not path.startswith("/"):
            raise ValueError(f"{call}: expected a path starting with '/'")
        token = self.csrf_token if csrf else None
        cookies = self.jar.values()
        headers = self._headers(extra, cookies)
        if token is not None:
            headers.setdefault(CSRF_HEADER, token)
        if form:
            headers.setdefault("content-type", "application/x-www-form-urlencoded")
        split = urlsplit(path)
        request = dispatch(
            self.app,
            method,
            split.path,
            query=split.query,
            form=form,
            headers=headers,
            cookies=cookies,
            https=self.https,
            url=self.base_url + path,
            check=True,
        )
        loop = asyncio.new_event_loop()
        try:
            result = run_sync(loop, request, call)
        finally:
            loop.close()
        for cookie in result.set_cookies:
            self.jar.set(cookie)
        return ClientResponse(result)


def form_pairs(data: FormData | None, where: str) -> list[tuple[str, str]]:
    """``data`` as ``(name, value)`` pairs, in order; anything but strings is a ``TypeError``."""
    if data is None:
        return []
    pairs: list[tuple[str, str]] = []
    if isinstance(data, Mapping):
        for name, value in data.items():
            values = [value] if isinstance(value, str) else list(value)
            pairs.extend((name, item) for item in values)
    else:
        for pair in data:
            if isinstance(pair, str) or len(pair) != 2:
                raise TypeError(f"{where}: expected [name, value] pairs, got {pair!r}")
            pairs.append((pair[0], pair[1]))
    for name, value in pairs:
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError(
                f"{where}: expected form names and values as strings, got {name!r}: {value!r}"
            )
    return pairs
