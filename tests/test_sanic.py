"""The Sanic adapter over loopback sockets: HTTP render, client.js, websocket guards, limits."""

from __future__ import annotations

import asyncio
import gc
import gzip
import hashlib
import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import websockets
from websockets.exceptions import ConnectionClosed, InvalidStatus

from pylive import App, Hook, LiveView
from pylive.app import Limits
from pylive.html import button, div, p
from pylive.sanic import GC_THRESHOLD, LiveServer, sanic_path, tune_gc


class Counter(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        socket.assign(count=int(params.get("start", 0)), user=params.get("id", "-"))

    def render(self, assigns: Any) -> Any:
        return div(
            p(f"Count: {assigns.count}", id="count"),
            p(f"User {assigns.user}", id="user"),
            button("+", id="inc", phx_click="inc"),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        socket.update("count", lambda n: n + 1)


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    app = App(
        secret_key="test-secret-0123456789",
        allowed_origins=["http://allowed.example", "//127.0.0.1"],
        limits=Limits(max_message_bytes=2048),
    )
    app.live("/", Counter)
    app.live("/users/{id}", Counter)
    with LiveServer(app) as live_server:
        yield live_server


def page(server: LiveServer, path: str = "/") -> tuple[httpx.Response, str, str]:
    """The page, its join token and its CSRF token; the CSRF cookie is in ``COOKIES``."""
    response = httpx.get(server.url + path)
    token = re.search(r'data-phx-session="([^"]+)"', response.text)
    csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', response.text)
    assert token and csrf, response.text
    COOKIES[csrf.group(1)] = response.cookies["_pylive_csrf"]
    return response, token.group(1), csrf.group(1)


COOKIES: dict[str, str] = {}
"""The ``_pylive_csrf`` cookie that came with each page's CSRF token."""


async def open_socket(
    server: LiveServer, csrf: str, *, origin: str | None = None, cookie: str | None = None
) -> Any:
    """A websocket as the page opens it: ``?csrf=<the page's token>`` and its cookie."""
    headers = {"Cookie": f"_pylive_csrf={COOKIES.get(csrf, '') if cookie is None else cookie}"}
    if origin is not None:
        headers["Origin"] = origin
    return await websockets.connect(
        f"ws://127.0.0.1:{server.port}/live?csrf={csrf}",
        additional_headers=headers,
        open_timeout=5,
    )


def run(coro: Any) -> Any:
    return asyncio.run(asyncio.wait_for(coro, 10))


def test_sanic_http_render_embeds_token_csrf_and_hashed_client(server: LiveServer) -> None:
    response, token, csrf = page(server, "/users/7?start=3")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["x-content-type-options"] == "nosniff"
    nonce = response.cookies["_pylive_csrf"]
    assert csrf.startswith(nonce + ".") and server.app.csrf.valid(nonce, csrf)
    assert '<p id="count">Count: 3</p><p id="user">User 7</p>' in response.text
    src = re.search(
        r'<script type="module" src="(/_pylive/client\.[0-9a-f]{12}\.js)">', response.text
    )
    assert src is not None
    client = httpx.get(server.url + src.group(1))
    assert client.status_code == 200
    assert client.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert client.headers["content-type"] == "text/javascript; charset=utf-8"
    assert client.content == server.app.client_js


@pytest.mark.parametrize(
    ("accept", "encoded"),
    [("gzip, deflate, br", True), ("br;q=1, gzip;q=0.5", True), ("*", True),
     ("gzip;q=0", False), ("identity", False), ("", False)],
)  # fmt: skip
def test_sanic_client_js_served_gzipped_to_browsers_that_accept_it(
    server: LiveServer, accept: str, encoded: bool
) -> None:
    url = server.url + server.app.client_js_url
    with httpx.Client(headers={"Accept-Encoding": accept}) as client:
        with client.stream("GET", url) as response:
            raw = b"".join(response.iter_raw())
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    if encoded:
        assert response.headers["content-encoding"] == "gzip"
        assert raw == server.app.client_js_gzip
        assert gzip.decompress(raw) == server.app.client_js
        assert len(raw) < len(server.app.client_js) / 3
    else:
        assert "content-encoding" not in response.headers
        assert raw == server.app.client_js


def test_sanic_unknown_path_is_404(server: LiveServer) -> None:
    assert httpx.get(server.url + "/nope").status_code == 404


def test_sanic_websocket_join_and_event_round_trip(server: LiveServer) -> None:
    _, token, csrf = page(server, "/users/9")

    async def scenario() -> list[Any]:
        async with await open_socket(server, csrf, origin=server.url) as ws:
            url = f"{server.url}/users/9"
            await ws.send(json.dumps({"type": "join", "ref": 0, "token": token, "url": url}))
            joined = json.loads(await ws.recv())
            await ws.send(json.dumps({"type": "event", "ref": 1, "kind": "click", "event": "inc"}))
            clicked = await ws.recv()
            await ws.send(json.dumps({"type": "hb", "ref": 2}))
            beat = json.loads(await ws.recv())
            return [joined, clicked, beat]

    joined, clicked, beat = run(scenario())
    assert joined["ref"] == 0 and joined["tree"][1][2][1] == ["p", {"id": "user"}, ["User 9"]]
    assert clicked == '{"ref":1,"ops":[[0,[1,0,0],"Count: 1"]]}'
    assert beat == {"ref": 2}


def test_sanic_websocket_refuses_foreign_origin_with_403(server: LiveServer) -> None:
    _, _, csrf = page(server)
    with pytest.raises(InvalidStatus) as refused:
        run(open_socket(server, csrf, origin="http://evil.example"))
    assert refused.value.response.status_code == 403
    assert refused.value.response.body == b"forbidden origin"


def test_sanic_websocket_accepts_listed_origin(server: LiveServer) -> None:
    """A listed origin joins and gets its events answered."""
    _, token, csrf = page(server, "/users/3")

    async def scenario() -> list[Any]:
        async with await open_socket(server, csrf, origin="http://allowed.example") as ws:
            url = f"{server.url}/users/3"
            await ws.send(json.dumps({"type": "join", "ref": 0, "token": token, "url": url}))
            joined = json.loads(await ws.recv())
            await ws.send(json.dumps({"type": "event", "ref": 1, "kind": "click", "event": "inc"}))
            return [joined["ref"], joined["tree"][1][2][1], await ws.recv()]

    assert run(scenario()) == [
        0,
        ["p", {"id": "user"}, ["User 3"]],
        '{"ref":1,"ops":[[0,[1,0,0],"Count: 1"]]}',
    ]


def test_sanic_websocket_refuses_wrong_or_missing_csrf_with_403(server: LiveServer) -> None:
    _, _, csrf = page(server)
    for cookie in ("someone-elses-token-000", ""):
        with pytest.raises(InvalidStatus) as refused:
            run(open_socket(server, csrf, origin=server.url, cookie=cookie))
        assert refused.value.response.status_code == 403
        assert refused.value.response.body == b"invalid CSRF token"


def test_sanic_websocket_refuses_a_valid_cookie_without_the_csrf_parameter(
    server: LiveServer,
) -> None:
    _, _, csrf = page(server)
    cookie = COOKIES[csrf]
    for query in ("", "?csrf=", "?csrf=" + cookie, "?other=" + csrf):
        with pytest.raises(InvalidStatus) as refused:
            run(
                websockets.connect(
                    f"ws://127.0.0.1:{server.port}/live{query}",
                    additional_headers={"Cookie": f"_pylive_csrf={cookie}", "Origin": server.url},
                    open_timeout=5,
                )
            )
        assert (refused.value.response.status_code, refused.value.response.body) == (
            403,
            b"invalid CSRF token",
        ), query


def test_sanic_websocket_refuses_a_forged_matching_csrf_pair(server: LiveServer) -> None:
    """A cookie and parameter that match but that the server never signed fail."""
    forged = "x" * 32
    with pytest.raises(InvalidStatus) as refused:
        run(open_socket(server, forged, origin=server.url, cookie=forged))
    assert refused.value.response.status_code == 403


def test_sanic_websocket_oversize_message_closes_with_1009(server: LiveServer) -> None:
    _, _, csrf = page(server)

    async def scenario() -> int | None:
        async with await open_socket(server, csrf, origin=server.url) as ws:
            await ws.send("x" * 4096)
            with pytest.raises(ConnectionClosed) as closed:
                await ws.recv()
            return closed.value.rcvd.code if closed.value.rcvd else None

    assert run(scenario()) == 1009


def test_sanic_websocket_bad_token_is_stale(server: LiveServer) -> None:
    _, token, csrf = page(server)

    async def scenario() -> Any:
        async with await open_socket(server, csrf, origin=server.url) as ws:
            bad = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
            await ws.send(json.dumps({"type": "join", "ref": 0, "token": bad, "url": server.url}))
            return json.loads(await ws.recv())

    assert run(scenario()) == {
        "ref": 0,
        "type": "error",
        "reason": "stale",
        "detail": "invalid join token",
    }


def test_sanic_shutdown_tells_clients_to_reconnect_with_1012() -> None:
    app = App(secret_key="test-secret-0123456789")
    app.live("/", Counter)
    live_server = LiveServer(app).start()
    try:
        _, token, csrf = page(live_server)

        async def scenario() -> int | None:
            async with await open_socket(live_server, csrf, origin=live_server.url) as ws:
                join = {"type": "join", "ref": 0, "token": token, "url": live_server.url + "/"}
                await ws.send(json.dumps(join))
                await ws.recv()
                await asyncio.to_thread(live_server.stop)
                with pytest.raises(ConnectionClosed) as closed:
                    await ws.recv()
                return closed.value.rcvd.code if closed.value.rcvd else None

        assert run(scenario()) == 1012
    finally:
        live_server.stop()


def test_sanic_path_syntax() -> None:
    assert sanic_path("/users/{id}/posts/{post}") == "/users/<id:str>/posts/<post:str>"


def test_sanic_tune_gc_raises_the_threshold_unless_told_not_to(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = gc.get_threshold()
    try:
        tune_gc()
        assert gc.get_threshold() == GC_THRESHOLD
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
    monkeypatch.setenv("PYLIVE_GC", "default")
    tune_gc()
    assert gc.get_threshold() == before


# -- client hook modules --------------------------------------------------------------------------

HOOK_SOURCE = "export default { mounted() { this.el.dataset.hooked = 'yes' } }\n" * 20
CHART = Hook("Chart", js=HOOK_SOURCE)


class Charted(LiveView):
    hooks = (CHART,)

    def render(self, assigns: Any) -> Any:
        return div(id="chart", phx_hook=CHART)


@pytest.fixture(scope="module")
def hooked() -> Iterator[LiveServer]:
    app = App(secret_key="test-secret-0123456789", hooks=[Hook("Clipboard")])
    app.live("/", Charted)
    with LiveServer(app) as live_server:
        yield live_server


def test_sanic_page_lists_the_hook_modules(hooked: LiveServer) -> None:
    response = httpx.get(hooked.url + "/")
    assert CHART.url is not None
    attribute = f'data-phx-hooks="{{&#34;Chart&#34;:&#34;{CHART.url}&#34;}}"'
    assert re.search(
        rf'<div id="phx-main" data-phx-main data-phx-session="[^"]+" {re.escape(attribute)}>'
        r'<div id="flash-group"></div><div id="chart" phx-hook="Chart"></div></div>',
        response.text,
    )


@pytest.mark.parametrize(("accept", "encoded"), [("gzip, br", True), ("identity", False)])
def test_sanic_serves_hook_modules_immutable(
    hooked: LiveServer, accept: str, encoded: bool
) -> None:
    assert (
        CHART.url
        == f"/_pylive/hooks/Chart.{hashlib.sha256(HOOK_SOURCE.encode()).hexdigest()[:12]}.js"
    )
    with httpx.Client(headers={"Accept-Encoding": accept}) as client:
        with client.stream("GET", hooked.url + CHART.url) as response:
            raw = b"".join(response.iter_raw())
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["vary"] == "Accept-Encoding"
    if encoded:
        assert response.headers["content-encoding"] == "gzip"
        assert gzip.decompress(raw) == HOOK_SOURCE.encode() and len(raw) < len(HOOK_SOURCE) / 3
    else:
        assert "content-encoding" not in response.headers
        assert raw == HOOK_SOURCE.encode()


def test_sanic_unknown_hook_module_is_404(hooked: LiveServer) -> None:
    assert CHART.url is not None
    for path in (
        "/_pylive/hooks/Chart.000000000000.js",
        "/_pylive/hooks/Clipboard.js",
        "/_pylive/hooks/" + CHART.url.rsplit("/", 1)[1].replace("Chart", "Chrat"),
    ):
        response = httpx.get(hooked.url + path)
        assert (response.status_code, response.text) == (404, "not found"), path


def test_sanic_serves_a_hook_registered_after_the_server_started(hooked: LiveServer) -> None:
    late = hooked.app.hook(Hook("Late", js="export default {}"))
    assert late.url is not None
    response = httpx.get(hooked.url + late.url)
    assert (response.status_code, response.text) == (200, "export default {}")
    assert f"&#34;Late&#34;:&#34;{late.url}&#34;" in httpx.get(hooked.url + "/").text
