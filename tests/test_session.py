"""``pylive.session.Connection`` driven directly, frame by frame, over a fake transport."""

from __future__ import annotations

import asyncio
import base64
import time
import types
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
import pytest

import pylive.limits
import pylive.session
import pylive.tokens
from pylive.app import App, Limits
from pylive.html import button, p
from pylive.node import Tree
from pylive.session import Connection
from pylive.socket import Socket
from pylive.view import LiveView

SECRET = "a test secret, long enough"


class FakeTransport:
    """Frames the server sent, decoded, and how it closed; ``recv`` plays ``incoming``."""

    def __init__(self, incoming: list[str] | None = None) -> None:
        self.incoming = list(incoming or [])
        self.sent: list[dict[str, Any]] = []
        self.closed: tuple[int, str] | None = None

    async def recv(self) -> str | None:
        return self.incoming.pop(0) if self.incoming else None

    async def send(self, text: str) -> None:
        self.sent.append(orjson.loads(text))

    async def close(self, code: int, reason: str = "") -> None:
        self.closed = (code, reason)


class Counter(LiveView):
    terminated: list[str] = []

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(count=0)

    def render(self, assigns: Any) -> Tree:
        return p(f"Count: {assigns.count}", button("+", phx_click="inc"), id="count")

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        if event == "boom":
            raise RuntimeError("boom")
        socket.update("count", lambda n: n + 1)

    def terminate(self, reason: str, socket: Socket) -> None:
        self.terminated.append(reason)


class Other(Counter):
    pass


def make_app(**options: Any) -> App:
    app = App(secret_key=SECRET, **options)
    app.live("/", Counter)
    app.live("/other", Other)
    return app


def token_for(app: App, path: str = "/", session: dict[str, Any] | None = None) -> str:
    found = app.match(path)
    assert found is not None
    route = found[0]
    return app.tokens.issue(route.pattern, route.name, session or {})


def frame(**fields: Any) -> str:
    return orjson.dumps(fields).decode()


def join(ref: int, token: Any, url: str = "/") -> str:
    """A join frame; ``url`` is a path, sent absolute as a browser's ``location.href`` is."""
    return frame(type="join", ref=ref, token=token, url=f"http://testserver{url}")


def click(ref: int, event: str = "inc") -> str:
    return frame(type="event", ref=ref, kind="click", event=event, value={})


async def feed(connection: Connection, text: str | bytes) -> None:
    """One client frame, and whatever it queued for the view, done now."""
    await connection.handle_frame(text)
    await connection.process_queued()


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(scenario())  # type: ignore[arg-type]


def count_text(n: int) -> list[Any]:
    return [0, [1, 0], f"Count: {n}"]  # child 0 is the layout's flash group


# -- join tokens ----------------------------------------------------------------------------------


def test_join_token_valid_mounts_the_view() -> None:
    app = make_app()

    async def scenario() -> None:
        transport = FakeTransport()
        connection = Connection(app, transport)
        await feed(connection, join(0, token_for(app)))
        assert transport.sent == [
            {
                "ref": 0,
                "tree": [
                    ["div", {"id": "flash-group"}],
                    ["p", {"id": "count"}, ["Count: 0", ["button", {"phx-click": "inc"}, ["+"]]]],
                ],
            }
        ]

    run(scenario)


def test_join_token_every_byte_flipped_refused() -> None:
    app = make_app(limits=Limits(events_per_second=1e6, event_burst=10**6))

    async def scenario() -> None:
        token = token_for(app)
        transport = FakeTransport()
        connection = Connection(app, transport)
        for index in range(len(token)):
            tampered = token[:index] + chr(ord(token[index]) ^ 1) + token[index + 1 :]
            await feed(connection, join(index, tampered))
        assert len(transport.sent) == len(token)
        for index, sent in enumerate(transport.sent):
            assert sent == {
                "ref": index,
                "type": "error",
                "reason": "stale",
                "detail": "invalid join token",
            }
        assert connection.live is None
        await feed(connection, join(999, token))
        assert "tree" in transport.sent[-1]

    run(scenario)


def test_join_token_noncanonical_base64_refused() -> None:
    """The token's last character has unused low bits; setting them decodes to the same
    bytes, but the token is still not the one the server issued."""
    app = make_app()

    async def scenario() -> None:
        transport = FakeTransport()
        connection = Connection(app, transport)
        token = token_for(app)
        body = token.rstrip("=")
        padding = token[len(body) :]
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        last = alphabet.index(body[-1])
        twins = [
            body[:-1] + alphabet[last ^ bits] + padding for bits in (1, 2, 3) if last ^ bits != last
        ]
        for twin in twins:  # same bytes, other spelling
            assert base64.urlsafe_b64decode(twin) == base64.urlsafe_b64decode(token)
            assert base64.urlsafe_b64encode(base64.urlsafe_b64decode(twin)).decode() != twin
        for ref, twin in enumerate(twins):
            await feed(connection, join(ref, twin))
        assert [sent["detail"] for sent in transport.sent] == ["invalid join token"] * len(twins)
        assert twins

    run(scenario)


def test_join_token_expired_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(token_max_age=60)
    now = time.time()
    monkeypatch.setattr(pylive.tokens.time, "time", lambda: now - 3600)
    old = token_for(app)
    monkeypatch.setattr(pylive.tokens.time, "time", lambda: now + 3600)
    future = token_for(app)
    monkeypatch.undo()

    async def scenario() -> None:
        transport = FakeTransport()
        connection = Connection(app, transport)
        await feed(connection, join(0, old))
        await feed(connection, join(1, future))
        await feed(connection, join(2, token_for(app)))
        expired = {"type": "error", "reason": "stale", "detail": "expired join token"}
        assert transport.sent[0] == {"ref": 0, **expired}
        assert transport.sent[1] == {"ref": 1, **expired}
        assert "tree" in transport.sent[2]

    run(scenario)


def test_join_token_of_another_version_refused() -> None:
    app = make_app()
    route = app.routes[0]
    payload = {"v": pylive.tokens.TOKEN_VERSION - 1, "route": "/", "view": route.name}
    old = app.tokens._fernet.encrypt(orjson.dumps(payload)).decode()

    async def scenario() -> None:
        transport = FakeTransport()
        connection = Connection(app, transport)
        await feed(connection, join(0, old))
        assert transport.sent == [
            {
                "ref": 0,
                "type": "error",
                "reason": "stale",
                "detail": "join token of another version",
            }
        ]

    run(scenario)


def test_join_token_keeps_the_session_secret() -> None:
    """Signed is not secret: nothing of the session can be read from the token."""
    app = make_app()
    token = token_for(app, "/", {"user_id": 7, "role": "member", "email": "ada@example.org"})
    raw = base64.urlsafe_b64decode(token)
    for secret in (b"user_id", b"member", b"ada@example.org", b"Counter", b"route"):
        assert secret not in raw
    assert app.tokens.check(token, "/", app.routes[0].name) == {
        "user_id": 7,
        "role": "member",
        "email": "ada@example.org",
    }


def test_join_token_for_another_view_or_route_refused() -> None:
    app = make_app()
    other_app = App(secret_key="another secret, long enough")
    other_app.live("/", Counter)

    async def scenario() -> None:
        transport = FakeTransport()
        connection = Connection(app, transport)
        await feed(connection, join(0, token_for(app, "/other"), url="/"))
        await feed(connection, join(1, token_for(app, "/"), url="/other"))
        await feed(connection, join(2, token_for(other_app, "/")))
        await feed(connection, join(3, None))
        await feed(connection, join(4, token_for(app), url="/nowhere"))
        name = "test_session.Counter"
        other = "test_session.Other"
        assert transport.sent == [
            {
                "ref": 0,
                "type": "error",
                "reason": "stale",
                "detail": f"join token is for {other!r} at '/other', not {name!r} at '/'",
            },
            {
                "ref": 1,
                "type": "error",
                "reason": "stale",
                "detail": f"join token is for {name!r} at '/', not {other!r} at '/other'",
            },
            {
                "ref": 2,
                "type": "error",
                "reason": "stale",
                "detail": "invalid join token",
            },
            {
                "ref": 3,
                "type": "error",
                "reason": "bad_frame",
                "detail": "join.token: input should be a valid string, got None",
            },
            {
                "ref": 4,
                "type": "error",
                "reason": "stale",
                "detail": "no live route for url 'http://testserver/nowhere'",
            },
        ]
        assert connection.live is None

    run(scenario)


def test_join_token_carries_the_session() -> None:
    app = App(secret_key=SECRET)
    seen: list[dict[str, Any]] = []

    class Who(LiveView):
        def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
            seen.append(session)

        def render(self, assigns: Any) -> Tree:
            return p("hi")

    app.live("/", Who)

    async def scenario() -> None:
        connection = Connection(app, FakeTransport())
        await feed(connection, join(0, token_for(app, "/", {"user_id": 7})))
        assert seen == [{"user_id": 7}]

    run(scenario)


# -- frames ---------------------------------------------------------------------------------------


def test_message_oversize_closes_with_1009() -> None:
    app = make_app(limits=Limits(max_message_bytes=200))

    async def scenario() -> None:
        transport = FakeTransport()
        connection = Connection(app, transport)
        hb = frame(type="hb", ref=1)
        padded = hb[:-1] + " " * (200 - len(hb)) + "}"
        assert len(padded) == 200
        await feed(connection, padded)
        assert transport.sent == [{"ref": 1}] and transport.closed is None
        await feed(connection, padded[:-1] + " }")
        assert transport.closed == (1009, "message too big")
        assert connection.closed is True
        await feed(connection, frame(type="hb", ref=2))
        assert transport.sent == [{"ref": 1}]  # nothing is sent on a closed connection

    run(scenario)


def test_message_bad_json_answered_and_connection_keeps_working() -> None:
    app = make_app()

    async def scenario() -> None:
        transport = FakeTransport()
        connection = Connection(app, transport)
        await feed(connection, "{not json")
        await feed(connection, "[1, 2]")
        await feed(connection, frame(type="hb", ref=-1))
        await feed(connection, frame(type="nope", ref=3))
        await feed(connection, join(4, token_for(app)))
        await feed(connection, click(5))
        assert transport.sent[:4] == [
            {
                "type": "error",
                "reason": "bad_frame",
                "detail": "not a JSON object: key must be a string at line 1 column 2",
            },
            {
                "type": "error",
                "reason": "bad_frame",
                "detail": "expected a JSON object, got [1, 2]",
            },
            {
                "type": "error",
                "reason": "bad_frame",
                "detail": "hb.ref: input should be greater than or equal to 0, got -1",
            },
            {
                "ref": 3,
                "type": "error",
                "reason": "bad_frame",
                "detail": "type: expected 'join', 'event', 'hb', 'upload', 'upload_progress' "
                "or 'navigate', got 'nope'",
            },
        ]
        assert transport.sent[5] == {"ref": 5, "ops": [count_text(1)]}

    run(scenario)


def test_event_bad_payload_refused_without_reaching_the_view() -> None:
    app = make_app()

    async def scenario() -> None:
        transport = FakeTransport()
        connection = Connection(app, transport)
        await feed(connection, click(0))
        await feed(connection, join(1, token_for(app)))
        await feed(connection, frame(type="event", ref=2, kind="drag", event="inc"))
        await feed(connection, frame(type="event", ref=3, kind="click", event=5))
        await feed(connection, frame(type="event", ref=4, kind="click", event="inc", value=[1]))
        await feed(
            connection, frame(type="event", ref=5, kind="submit", event="inc", value={"a": 1})
        )
        assert transport.sent[0] == {"ref": 0, "error": "no live view joined on this connection"}
        kinds = "'click', 'submit', 'change', 'keydown', 'keyup', 'focus', 'blur' or 'hook'"
        assert transport.sent[2:] == [
            {"ref": 2, "error": f"event.kind: expected {kinds}, got 'drag'"},
            {"ref": 3, "error": "event.event: input should be a valid string, got 5"},
            {"ref": 4, "error": "event.value: a click event's value must be an object, got [1]"},
            {
                "ref": 5,
                "error": "event.value: a submit event's value must be [[name, value], ...] with "
                "text names and values, got {'a': 1}",
            },
        ]
        assert connection.live is not None and connection.live.socket.assigns.count == 0

    run(scenario)


def test_rate_limit_refuses_events_beyond_the_burst(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(pylive.limits, "time", types.SimpleNamespace(monotonic=lambda: clock[0]))
    app = make_app(limits=Limits(events_per_second=2, event_burst=3))  # the join takes one

    async def scenario() -> None:
        transport = FakeTransport()
        connection = Connection(app, transport)
        await feed(connection, join(0, token_for(app)))
        for ref in (1, 2, 3):
            await feed(connection, click(ref))
        clock[0] += 0.5  # one token back at 2 events/s
        await feed(connection, click(4))
        await feed(connection, click(5))
        await feed(connection, frame(type="hb", ref=6))  # heartbeats have their own budget
        assert transport.sent[1:] == [
            {"ref": 1, "ops": [count_text(1)]},
            {"ref": 2, "ops": [count_text(2)]},
            {"ref": 3, "error": "rate limited: more than 2 events/s"},
            {"ref": 4, "ops": [count_text(3)]},
            {"ref": 5, "error": "rate limited: more than 2 events/s"},
            {"ref": 6},
        ]

    run(scenario)


def test_heartbeat_answered_before_and_after_join() -> None:
    app = make_app()

    async def scenario() -> None:
        transport = FakeTransport()
        connection = Connection(app, transport)
        await feed(connection, frame(type="hb", ref=7))
        await feed(connection, join(8, token_for(app)))
        await feed(connection, frame(type="hb", ref=9))
        assert transport.sent[0] == {"ref": 7}
        assert transport.sent[2] == {"ref": 9}

    run(scenario)


# -- crashes and closing --------------------------------------------------------------------------


def test_crash_in_one_connection_leaves_another_untouched() -> None:
    app = make_app()

    async def scenario() -> None:
        a, b = FakeTransport(), FakeTransport()
        first, second = Connection(app, a), Connection(app, b)
        await feed(first, join(0, token_for(app)))
        await feed(second, join(0, token_for(app)))
        for ref in (1, 2):
            await feed(second, click(ref))
        await feed(first, click(1))
        await feed(first, click(2, "boom"))
        assert a.sent[-1] == {"type": "error", "reason": "crash", "ref": 2}
        assert first.live is None
        await feed(second, click(3))
        assert b.sent[1:] == [
            {"ref": 1, "ops": [count_text(1)]},
            {"ref": 2, "ops": [count_text(2)]},
            {"ref": 3, "ops": [count_text(3)]},
        ]
        assert second.live is not None and second.live.socket.assigns.count == 3
        await feed(first, join(3, token_for(app)))  # the client rejoins: a fresh mount
        await feed(first, click(4))
        assert a.sent[-1] == {"ref": 4, "ops": [count_text(1)]}

    run(scenario)


def test_crash_loop_asks_the_client_to_reload() -> None:
    app = make_app(limits=Limits(max_crashes=2))

    async def scenario() -> None:
        transport = FakeTransport()
        connection = Connection(app, transport)
        for attempt in range(3):
            await feed(connection, join(2 * attempt, token_for(app)))
            await feed(connection, click(2 * attempt + 1, "boom"))
        crashes = [sent for sent in transport.sent if "tree" not in sent]
        assert crashes == [
            {"type": "error", "reason": "crash", "ref": 1},
            {"type": "error", "reason": "crash", "ref": 3},
            {"type": "reload", "reason": "crash loop"},
        ]

    run(scenario)


def test_run_ends_with_terminate_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    terminated: list[str] = []
    monkeypatch.setattr(Counter, "terminated", terminated)
    app = make_app()

    async def scenario() -> None:
        transport = FakeTransport([join(0, token_for(app)), click(1)])
        await Connection(app, transport).run()
        assert transport.sent[1] == {"ref": 1, "ops": [count_text(1)]}
        assert terminated == ["closed"]

    run(scenario)


def test_shutdown_terminates_and_closes_with_1012(monkeypatch: pytest.MonkeyPatch) -> None:
    terminated: list[str] = []
    monkeypatch.setattr(Counter, "terminated", terminated)
    app = make_app()

    async def scenario() -> None:
        transport = FakeTransport()
        connection = Connection(app, transport)
        await feed(connection, join(0, token_for(app)))
        await connection.shutdown()
        assert terminated == ["shutdown"]
        assert transport.closed == (1012, "server restarting")

    run(scenario)


def test_rejoin_terminates_the_previous_view_with_left(monkeypatch: pytest.MonkeyPatch) -> None:
    terminated: list[str] = []
    monkeypatch.setattr(Counter, "terminated", terminated)
    app = make_app()

    async def scenario() -> None:
        connection = Connection(app, FakeTransport())
        await feed(connection, join(0, token_for(app)))
        await feed(connection, join(1, token_for(app, "/other"), url="/other"))
        assert terminated == ["left"]

    run(scenario)
