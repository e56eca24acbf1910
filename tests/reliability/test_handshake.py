"""The websocket handshake is the door: only the app's own pages (Origin, S1) holding the CSRF
pair this server signed for this browser (S2) get in, and one address can neither open
handshakes without bound (D6) nor hold more than its share of TCP connections.

Every request is a raw HTTP/1.1 upgrade on loopback, so each header is the test's choice.
"""

from __future__ import annotations

import asyncio
import re
import string
import time
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest
from _security import (
    FORBIDDEN_ORIGIN,
    INVALID_CSRF,
    NO_HEADER,
    SECURITY_APP,
    Reply,
    handshake,
    parse_head,
    probe,
)
from _wire import HOST, WAIT, Page, ServerProcess, Session, run

from pylive import App, LiveView
from pylive.html import p
from pylive.sanic import LiveServer

pytestmark = pytest.mark.e2e  # real sockets and server processes
T = TypeVar("T")

ALLOWLIST = [
    "https://example.com",
    "//other.example",
    "https://*.prefix.example.com",
    "http://dev.example:8080",
]
"""The explicit policy of the ``listed`` server (and nothing of the loopback default)."""

TOO_MANY_CONNECTIONS = (
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\ncontent-length: 38\r\n"
    b"connection: close\r\nretry-after: 5\r\n\r\ntoo many connections from this address\n"
)


@pytest.fixture(scope="module")
def default_server() -> Iterator[ServerProcess]:
    """``security_app.py`` without ``allowed_origins``: the loopback default."""
    with ServerProcess(app=SECURITY_APP) as server:
        yield server


@pytest.fixture(scope="module")
def listed_server() -> Iterator[ServerProcess]:
    with ServerProcess({"allowed_origins": ALLOWLIST}, app=SECURITY_APP) as server:
        yield server


def default_hostile(port: int) -> list[tuple[str, str | None]]:
    """(Origin, Host) pairs the loopback default refuses; Host None: the server's own."""
    other = port + 1 if port < 65535 else port - 1
    evil = f"evil.example:{port}"
    return [
        ("https://evil.example", None),
        ("null", None),
        ("file://", None),
        ("file:///etc/passwd", None),
        ("https://example.com.evil.net", None),
        ("https://evil-example.com", None),
        (f"http://{evil}", evil),  # DNS rebinding: evil.example resolved to 127.0.0.1
        (f"http://{evil}", None),
        (f"http://localhost.evil.example:{port}", f"localhost.evil.example:{port}"),
        (f"http://127.0.0.1.evil.example:{port}", None),
        (f"https://127.0.0.1:{port}", None),  # the page is http: an https origin is not it
        (f"https://localhost:{port}", f"localhost:{port}"),
        (f"https://[::1]:{port}", f"[::1]:{port}"),
        (f"HTTPS://127.0.0.1:{port}", None),
        (f"ws://127.0.0.1:{port}", None),
        (f"wss://127.0.0.1:{port}", None),
        (f"ws://localhost:{port}", f"localhost:{port}"),
        ("http://127.0.0.1", None),  # port 80
        (f"http://127.0.0.1:{other}", None),  # wrong port
        (f"http://localhost:{other}", None),
        ("http://[::1]:1", None),
        (f"http://127.0.0.2:{port}", None),
        (f"http://0.0.0.0:{port}", None),
        (f"http://127.1:{port}", None),
        (f"http://2130706433:{port}", None),
        (f"http://0x7f000001:{port}", None),
        (f"http://[::ffff:127.0.0.1]:{port}", None),
        (f"http://evil@127.0.0.1:{port}", None),  # user info: no browser sends it
        (f"http://127.0.0.1:{port}@evil.example", None),
        (f"http://127.0.0.1:{port}\\@evil.example", None),
        (f"http://127.0.0.1:{port}/path", None),
        (f"http://127.0.0.1:{port}?q", None),
        (f"http://127.0.0.1:{port}#f", None),
        ("http://127.0.0.1:0", None),
        ("http://127.0.0.1:99999", None),
        ("", None),  # an empty header is not "no header"
        ("*", None),
        (f"127.0.0.1:{port}", None),
        (f"//127.0.0.1:{port}", None),
        ("http://", None),
        (f"http:///127.0.0.1:{port}", None),
        ("javascript:alert(1)", None),
        ("data:text/html,x", None),
        ("chrome-extension://abcdefghijklmnop", None),
        (f"http://localhost:{port}, http://evil.example", None),
        (f"http://%6cocalhost:{port}", None),
        (f"http://localhost_:{port}", None),
    ]


LISTED_HOSTILE = [
    "http://example.com",  # wrong scheme
    "https://example.com:8443",  # wrong port
    "wss://example.com",
    "https://www.example.com",  # not a wildcard entry
    "https://evil-example.com",
    "https://example.com.evil.net",
    "https://org1.prefix-example.com",  # CVE-2022-42975: a suffix is not a subdomain
    "https://org1.prefix-foo.example.com",
    "https://xprefix.example.com",
    "https://prefix.example.com.evil.net",
    "https://.prefix.example.com",
    "https://a..prefix.example.com",
    "https://evil.com\\.prefix.example.com",
    "https://evil.com%2e.prefix.example.com",
    "http://org1.prefix.example.com",  # the wildcard entry names https
    "http://dev.example",
    "http://dev.example:8081",
    "https://dev.example:8080",
    "https://other.example.evil.net",
    "https://evil-other.example",
    "null",
]
"""Refused by ``ALLOWLIST``; with the loopback origin (the default no longer applies) 22."""

LISTED_ALLOWED = [
    "https://example.com",
    "https://example.com:443",
    "https://EXAMPLE.com",
    "http://other.example",
    "https://other.example:8443",
    "https://prefix.example.com",
    "https://org1.prefix.example.com",
    "https://a.b.prefix.example.com",
    "http://dev.example:8080",
    "https://deep.org1.prefix.example.com:443",
]


async def handshakes(port: int, cases: list[tuple[Any, str | None]], **common: Any) -> list[Reply]:
    """One handshake per (origin, host), eight at a time."""
    gate = asyncio.Semaphore(8)

    async def one(origin: Any, host: str | None) -> Reply:
        async with gate:
            return await handshake(port, origin=origin, host=host, **common)

    return await asyncio.gather(*(one(origin, host) for origin, host in cases))


async def gather(*coros: Coroutine[Any, Any, T]) -> list[T]:
    return list(await asyncio.gather(*coros))


def outcome(reply: Reply) -> tuple[int, bytes]:
    return reply.status, reply.body


def test_handshake_hostile_origins_get_403_under_the_loopback_default(default_server) -> None:
    server = default_server
    page = Page(server.url + "/rec")
    cases = default_hostile(server.port)
    assert len(cases) + len(LISTED_HOSTILE) + 1 >= 50
    replies = run(handshakes(server.port, cases, csrf=page.csrf, cookie=page.cookie))
    got = {case: outcome(r) for case, r in zip(cases, replies, strict=True)}
    assert got == dict.fromkeys(cases, (403, FORBIDDEN_ORIGIN))
    stats = server.stats()
    assert (stats["connections"], stats["views"]) == (0, 0)
    assert server.unhandled() == []


def test_handshake_loopback_origins_get_101_under_the_default(default_server) -> None:
    server = default_server
    page = Page(server.url + "/rec")
    port = server.port
    cases: list[tuple[Any, str | None]] = [
        (f"http://127.0.0.1:{port}", None),
        (f"http://localhost:{port}", f"localhost:{port}"),
        (f"http://[::1]:{port}", f"[::1]:{port}"),
        (NO_HEADER, None),  # not a browser: only the CSRF pair is checked
    ]
    replies = run(handshakes(port, cases, csrf=page.csrf, cookie=page.cookie))
    assert [r.status for r in replies] == [101] * len(cases)
    assert all(r.headers["upgrade"].lower() == "websocket" for r in replies)


def test_handshake_explicit_allowlist_refuses_lookalikes_with_403(listed_server) -> None:
    server = listed_server
    page = Page(server.url + "/rec")
    cases: list[tuple[Any, str | None]] = [(o, None) for o in LISTED_HOSTILE]
    cases.append((f"http://{HOST}:{server.port}", None))  # naming origins drops the default
    replies = run(handshakes(server.port, cases, csrf=page.csrf, cookie=page.cookie))
    assert {case[0]: outcome(r) for case, r in zip(cases, replies, strict=True)} == {
        case[0]: (403, FORBIDDEN_ORIGIN) for case in cases
    }
    assert server.unhandled() == []


def test_handshake_explicit_allowlist_admits_its_ten_origins_with_101(listed_server) -> None:
    server = listed_server
    page = Page(server.url + "/rec")
    cases: list[tuple[Any, str | None]] = [(o, None) for o in LISTED_ALLOWED]
    replies = run(handshakes(server.port, cases, csrf=page.csrf, cookie=page.cookie))
    got = {case[0]: r.status for case, r in zip(cases, replies, strict=True)}
    assert got == dict.fromkeys(LISTED_ALLOWED, 101)


def test_handshake_trailing_slash_path_is_not_an_unguarded_socket(default_server) -> None:
    """Sanic routes ``/live/`` to the websocket handler too: the guard goes by route, and the
    route is strict, so no spelling of the path skips the Origin and CSRF checks."""
    server = default_server
    port = server.port
    paths = ["/live/", "/live//", "/live/?x=1"]
    replies = run(gather(*(handshake(port, origin="https://evil.example", path=p) for p in paths)))
    assert [r.status for r in replies] == [404] * len(paths)
    refused = run(handshake(port, origin="https://evil.example", path="/live?x=/"))
    assert outcome(refused) == (403, FORBIDDEN_ORIGIN)


JUNK_COOKIES = [
    b"\xff\xfe\xfd" + b"a" * 30,  # not UTF-8
    "\u00f1".encode() * 20,  # not ASCII
    b"a" * 15,  # too short to be a nonce
    b"b" * 200,  # too long
    b"aaaaaaaaaaaaaaaaaaaa<script>",
    b'"quoted aaaaaaaaaaaaaaaaaaaa"',
]


async def page_with_cookie(port: int, cookie: bytes) -> tuple[int, str, str, str]:
    """GET /rec with a raw ``_pylive_csrf`` cookie: (status, Set-Cookie, csrf meta, body)."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(
            f"GET /rec HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n".encode()
            + b"Cookie: _pylive_csrf="
            + cookie
            + b"\r\n\r\n"
        )
        async with asyncio.timeout(WAIT):
            data = await reader.read(-1)
    finally:
        writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status, headers = parse_head(head + b"\r\n")
    text = body.decode()
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)"', text)
    return status, headers.get("set-cookie", ""), meta.group(1) if meta else "", text


def test_handshake_page_replaces_a_junk_csrf_cookie_with_a_fresh_nonce(default_server) -> None:
    """A cookie this server would not have made (not UTF-8, not ASCII, too short or long,
    markup) is replaced: the page is a 200 with a fresh nonce whose pair opens the socket,
    never a 500, and the junk is not written into the page."""
    server = default_server

    async def scenario() -> list[tuple[int, int, bool]]:
        out = []
        for cookie in JUNK_COOKIES:
            status, set_cookie, csrf, body = await page_with_cookie(server.port, cookie)
            found = re.fullmatch(
                r"_pylive_csrf=([A-Za-z0-9_-]{32}); Path=/; SameSite=Lax; HttpOnly", set_cookie
            )
            nonce = found.group(1) if found else ""
            reply = await handshake(server.port, csrf=csrf, cookie=nonce)
            junk = cookie.decode("utf-8", "replace")
            out.append((status, reply.status, csrf.startswith(nonce + ".") and junk not in body))
        return out

    assert run(scenario()) == [(200, 101, True)] * len(JUNK_COOKIES)
    assert server.unhandled() == []


class Hello(LiveView):
    def render(self, assigns: Any) -> Any:
        return p("hello", id="hello")


def in_process_app(origins: list[str] | None) -> App:
    app = App(secret_key="handshake tests secret 0123456789", allowed_origins=origins)
    app.live("/", Hello)
    return app


def test_handshake_two_apps_in_one_process_keep_their_own_policies() -> None:
    """Phoenix 0b7223a8c: a policy cached by whichever mount was reached first. Two apps (and
    two defaults on two ports) in one process, tried in both orders and interleaved."""
    a_origin, b_origin = "https://a.example", "https://b.example"

    def expected(servers: dict[str, LiveServer]) -> dict[tuple[str, str], int]:
        a, c, d = (f"http://{HOST}:{servers[name].port}" for name in "ACD")
        return {
            ("A", a_origin): 101,
            ("A", b_origin): 403,
            ("A", a): 403,  # its own loopback origin: the list replaced the default
            ("B", a_origin): 403,
            ("B", b_origin): 101,
            ("C", c): 101,
            ("C", d): 403,
            ("D", c): 403,
            ("D", d): 101,
        }

    async def attempt(server: LiveServer, page: Page, origin: str) -> int:
        reply = await handshake(server.port, origin=origin, csrf=page.csrf, cookie=page.cookie)
        return reply.status

    for order in ("ABCD", "DCBA"):
        servers = {
            "A": LiveServer(in_process_app([a_origin])),
            "B": LiveServer(in_process_app([b_origin])),
            "C": LiveServer(in_process_app(None)),
            "D": LiveServer(in_process_app(None)),
        }
        try:
            for server in servers.values():
                server.start()
            pages = {name: Page(server.url + "/") for name, server in servers.items()}
            table = expected(servers)
            seen: dict[tuple[str, str], int] = {}
            cases = list(table) if order == "ABCD" else list(reversed(table))
            for name in order:  # whichever app and origin comes first decides nothing
                for target, origin in cases:
                    if target == name:
                        seen[(target, origin)] = run(attempt(servers[name], pages[name], origin))
            assert seen == table, order
            interleaved = run(
                gather(*(attempt(servers[t], pages[t], o) for t, o in list(table) * 3))
            )
            assert interleaved == list(table.values()) * 3
        finally:
            for server in servers.values():
                server.stop()


# -- S2: CSRF on connect -------------------------------------------------------------------------


def tampered_signatures(token: str) -> list[str]:
    """Every one-character change of the signature part, every other last character, and the
    spellings a lenient base64 reader would accept (padding, ``+``/``/`` for ``-``/``_``)."""
    alphabet = string.ascii_letters + string.digits + "-_"
    nonce, signature = token.rsplit(".", 1)
    start = len(nonce) + 1
    variants = []
    for index in range(start, len(token)):
        other = alphabet[(alphabet.index(token[index]) + 1) % len(alphabet)]
        variants.append(token[:index] + other + token[index + 1 :])
    variants += [token[:-1] + c for c in alphabet if c != token[-1]]
    variants += [token + "=", token + "==", token + " ", token.upper(), token[:-1]]
    variants += [nonce + "." + signature.replace("-", "+").replace("_", "/")] * (
        "-" in signature or "_" in signature
    )
    return sorted(set(variants) - {token})


def test_handshake_without_the_page_csrf_pair_gets_403(default_server) -> None:
    server = default_server
    port = server.port
    mine, theirs = Page(server.url + "/rec"), Page(server.url + "/rec")
    assert mine.cookie != theirs.cookie
    nonce = mine.csrf.rsplit(".", 1)[0]
    assert nonce == mine.cookie  # the page signs the cookie's nonce
    cases: dict[str, tuple[str | None, str | None]] = {
        "no csrf param": (None, mine.cookie),
        "csrf=": ("", mine.cookie),
        "the raw nonce as param": (mine.cookie, mine.cookie),
        "forged pair x/x": ("x", "x"),
        "forged long pair": ("a" * 32, "a" * 32),
        "forged signed-looking pair": ("a" * 32 + ".sig", "a" * 32),
        "another session's token, this cookie": (theirs.csrf, mine.cookie),
        "this token, another session's cookie": (mine.csrf, theirs.cookie),
        "this token, no cookie": (mine.csrf, None),
        "this token, empty cookie": (mine.csrf, ""),
        "a token signed with another secret": (
            mine.cookie + "." + theirs.csrf.rsplit(".", 1)[1],
            mine.cookie,
        ),
    }
    for index, variant in enumerate(tampered_signatures(mine.csrf)):
        cases[f"tampered signature {index}: {variant!r}"] = (variant, mine.cookie)

    async def scenario() -> dict[str, tuple[int, bytes]]:
        gate = asyncio.Semaphore(8)

        async def one(csrf: str | None, cookie: str | None) -> tuple[int, bytes]:
            async with gate:
                return outcome(await handshake(port, csrf=csrf, cookie=cookie))

        results = await asyncio.gather(*(one(*case) for case in cases.values()))
        return dict(zip(cases, results, strict=True))

    assert run(scenario()) == dict.fromkeys(cases, (403, INVALID_CSRF))
    assert len(cases) > 100
    own = run(handshake(port, csrf=mine.csrf, cookie=mine.cookie))
    assert own.status == 101
    assert server.unhandled() == []


def test_handshake_page_pair_joins_and_counts_one_mount(default_server) -> None:
    """The pair the page carries opens the socket and the join mounts the view once."""
    server = default_server

    async def scenario() -> dict[str, Any]:
        session = await Session.open(server.url, "/rec")
        reply = session.join_reply
        await session.close()
        return reply

    mounts = probe(server.url)["mounts"]
    reply = run(scenario())
    assert reply["ref"] == 1 and "tree" in reply, reply
    assert probe(server.url)["mounts"] == mounts + 1


# -- D6 and the per-address cap ------------------------------------------------------------------


def test_handshake_flood_from_one_address_gets_429_past_the_budget(start_server) -> None:
    """500 handshakes as fast as one client can: the burst (200) and the refill (20/s) get
    101, every other one 429 with ``Retry-After: 1``; the server's memory stays bounded."""
    server = start_server()
    page = Page(server.url + "/")

    async def scenario() -> tuple[list[Reply], float, int]:
        gate = asyncio.Semaphore(25)
        peak = server.rss_kib()
        done = False

        async def one() -> Reply:
            async with gate:
                return await handshake(server.port, csrf=page.csrf, cookie=page.cookie)

        async def watch() -> None:
            nonlocal peak
            while not done:
                peak = max(peak, server.rss_kib())
                await asyncio.sleep(0.05)

        watcher = asyncio.create_task(watch())
        start = time.monotonic()
        replies = await asyncio.gather(*(one() for _ in range(500)))
        elapsed = time.monotonic() - start
        done = True
        await watcher
        return replies, elapsed, peak

    baseline = server.rss_kib()
    replies, elapsed, peak = run(scenario())
    statuses = [r.status for r in replies]
    accepted = statuses.count(101)
    refused = [r for r in replies if r.status != 101]
    assert {r.status for r in refused} == {429}
    assert {(r.body, r.headers.get("retry-after")) for r in refused} == {
        (b"too many connections", "1")
    }
    assert 200 <= accepted <= 200 + int(20 * elapsed) + 1, (accepted, elapsed)
    assert len(refused) == 500 - accepted
    assert peak - baseline < 50 * 1024, (baseline, peak)
    time.sleep(1.0)  # the bucket refills at 20/s
    assert run(handshake(server.port, csrf=page.csrf, cookie=page.cookie)).status == 101
    after = server.rss_kib()
    assert after - baseline < 50 * 1024, (baseline, after)
    assert server.unhandled() == []
    print(f"D6: {accepted} × 101, {len(refused)} × 429 in {elapsed:.2f} s; RSS {baseline} → "
          f"peak {peak} → {after} KiB")  # fmt: skip


async def admitted(port: int) -> asyncio.StreamWriter | None:
    """A TCP connection the server admitted (it answered a keep-alive request on it), or None
    if the server refused it."""
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(f"GET /_stats HTTP/1.1\r\nHost: {HOST}:{port}\r\n\r\n".encode())
    try:
        async with asyncio.timeout(WAIT):
            status, headers = parse_head(await reader.readuntil(b"\r\n\r\n"))
            await reader.readexactly(int(headers["content-length"]))
    except (asyncio.IncompleteReadError, ConnectionError):
        status = 0
    if status != 200:
        writer.close()
        return None
    return writer


async def refused_bytes(port: int) -> bytes:
    """Everything the server sends a new connection, sending nothing, until it closes it."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        async with asyncio.timeout(WAIT):
            return await reader.read(-1)
    finally:
        writer.close()


def test_handshake_21st_connection_from_one_address_gets_503(start_server) -> None:
    """``max_connections_per_ip=20``: 10 live websockets and 10 idle keep-alive connections fill
    the budget; the 21st TCP connection is answered 503 and closed before it sends a byte (so a
    websocket handshake never starts); closing one lets exactly one new connection in."""
    server = start_server(max_connections_per_ip=20, http_keep_alive_timeout=30)

    async def scenario() -> None:
        sessions = [await Session.open(server.url, "/") for _ in range(10)]
        await asyncio.sleep(0.3)  # the page fetches' connections are released
        idle = [await admitted(server.port) for _ in range(10)]
        assert None not in idle
        assert await refused_bytes(server.port) == TOO_MANY_CONNECTIONS
        assert await refused_bytes(server.port) == TOO_MANY_CONNECTIONS
        assert (await sessions[0].click())["ref"] == 2  # the admitted ones are still served
        writers = [w for w in idle if w is not None]
        writers.pop().close()
        newcomer = None
        deadline = time.monotonic() + 2
        while newcomer is None and time.monotonic() < deadline:
            newcomer = await admitted(server.port)
            if newcomer is None:
                await asyncio.sleep(0.05)  # the close has not reached the server yet
        assert newcomer is not None
        assert await refused_bytes(server.port) == TOO_MANY_CONNECTIONS  # full again
        for writer in [*writers, newcomer]:
            writer.close()
        for session in sessions:
            await session.close()

    run(scenario())
    assert server.unhandled() == []
