"""``pylive.session.Connection`` driven directly, frame by frame, over a fake transport."""

from __future__ import annotations

import asyncio
import time
import types
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from itsdangerous.encoding import base64_decode, base64_encode

import pylive.session
from pylive.app import App, Limits
from pylive.html import button, p
from pylive.node import Tree
from pylive.session import Connection
from pylive.socket import Socket
from pylive.tokens import SALT, TOKEN_VERSION
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
        await connection.handle_frame(join(0, token_for(app)))
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
    app = make_app()

    async def scenario() -> None:
        token = token_for(app)
        transport = FakeTransport()
        connection = Connection(app, transport)
        for index in range(len(token)):
            tampered = token[:index] + chr(ord(token[index]) ^ 1) + token[index + 1 :]
            await connection.handle_frame(join(index, tampered))
        assert len(transport.sent) == len(token)
        for index, sent in enumerate(transport.sent):
            assert sent == {
                "ref": index,
                "type": "error",
                "reason": "stale",
                "detail": "invalid join token signature",
            }
        assert connection.live is None
        await connection.handle_frame(join(999, token))
        assert "tree" in transport.sent[-1]

    run(scenario)


def test_join_token_noncanonical_base64_refused() -> None:
    """The last character of a segment has unused low bits; setting them decodes to the same
    bytes, but the token is still not the one the server issued."""
    app = make_app()

    async def scenario() -> None:
        transport = FakeTransport()
        connection = Connection(app, transport)
        token = token_for(app)
        head, _, signature = token.rpartition(".")
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        last = alphabet.index(signature[-1])
        twins = [
            signature[:-1] + alphabet[last ^ bits] for bits in (1, 2, 3) if last ^ bits != last
        ]
        for twin in twins:  # same bytes, other spelling
            assert base64_decode(twin) == base64_decode(signature)
            assert base64_encode(base64_decode(twin)).decode() != twin
        for ref, twin in enumerate(twins):
            await connection.handle_frame(join(ref, f"{head}.{twin}"))
        assert [sent["reason"] for sent in transport.sent] == ["stale"] * 3

    run(scenario)


class OldSigner(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(time.time()) - 3600


def test_join_token_expired_refused() -> None:
    app = make_app(token_max_age=60)
    route = app.routes[0]
    old = URLSafeTimedSerializer(SECRET, salt=SALT, signer=OldSigner)
    token = old.dumps({"v": TOKEN_VERSION, "route": "/", "view": route.name, "session": {}})

    async def scenario() -> None:
        transport = FakeTransport()
        connection = Connection(app, transport)
        await connection.handle_frame(join(0, token))
        fresh = URLSafeTimedSerializer(SECRET, salt=SALT)
        await connection.handle_frame(
            join(1, fresh.dumps({"v": TOKEN_VERSION, "route": "/", "view": route.name}))
        )
        assert transport.sent[0] == {
            "ref": 0,
            "type": "error",
            "reason": "stale",
            "detail": "expired join token",
        }
        assert "tree" in transport.sent[1]

    run(scenario)


def test_join_token_for_another_view_or_route_refused() -> None:
    app = make_app()
    other_app = App(secret_key="another secret, long enough")
    other_app.live("/", Counter)

    async def scenario() -> None:
        transport = FakeTransport()
        connection = Connection(app, transport)
        await connection.handle_frame(join(0, token_for(app, "/other"), url="/"))
        await connection.handle_frame(join(1, token_for(app, "/"), url="/other"))
        await connection.handle_frame(join(2, token_for(other_app, "/")))
        await connection.handle_frame(join(3, None))
        await connection.handle_frame(join(4, token_for(app), url="/nowhere"))
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
                "detail": "invalid join token signature",
            },
            {"ref": 3, "type": "error", "reason": "stale", "detail": "missing join token"},
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
        await connection.handle_frame(join(0, token_for(app, "/", {"user_id": 7})))
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
        await connection.handle_frame(padded)
        assert transport.sent == [{"ref": 1}] and transport.closed is None
        await connection.handle_frame(padded[:-1] + " }")
        assert transport.closed == (1009, "message too big")
        assert connection.closed is True
        await connection.handle_frame(frame(type="hb", ref=2))
        assert transport.sent == [{"ref": 1}]  # nothing is sent on a closed connection

    run(scenario)


def test_message_bad_json_answered_and_connection_keeps_working() -> None:
    app = make_app()

    async def scenario() -> None:
        transport = FakeTransport()
        connection = Connection(app, transport)
        await connection.handle_frame("{not json")
        await connection.handle_frame("[1, 2]")
        await connection.handle_frame(frame(type="hb", ref=-1))
        await connection.handle_frame(frame(type="nope", ref=3))
        await connection.handle_frame(join(4, token_for(app)))
        await connection.handle_frame(click(5))
        first = transport.sent[0]
        assert first["type"] == "error" and first["reason"] == "bad_frame"
        assert first["detail"].startswith("unexpected character")
        assert transport.sent[1:4] == [
            {"type": "error", "reason": "bad_frame", "detail": "expected a JSON object"},
            {"type": "error", "reason": "bad_frame", "detail": "bad ref -1"},
            {
                "ref": 3,
                "type": "error",
                "reason": "bad_frame",
                "detail": "unknown message type 'nope'",
            },
        ]
        assert transport.sent[5] == {"ref": 5, "ops": [count_text(1)]}

    run(scenario)


def test_event_bad_payload_refused_without_reaching_the_view() -> None:
    app = make_app()

    async def scenario() -> None:
        transport = FakeTransport()
        connection = Connection(app, transport)
        await connection.handle_frame(click(0))
        await connection.handle_frame(join(1, token_for(app)))
        await connection.handle_frame(frame(type="event", ref=2, kind="drag", event="inc"))
        await connection.handle_frame(frame(type="event", ref=3, kind="click", event=5))
        await connection.handle_frame(
            frame(type="event", ref=4, kind="click", event="inc", value=[1])
        )
        await connection.handle_frame(
            frame(type="event", ref=5, kind="submit", event="inc", value={"a": 1})
        )
        assert transport.sent[0] == {"ref": 0, "error": "no live view joined on this connection"}
        assert transport.sent[2:] == [
            {"ref": 2, "error": "bad event 'inc' of kind 'drag'"},
            {"ref": 3, "error": "bad event 5 of kind 'click'"},
            {"ref": 4, "error": "click event: expected value as an object, got [1]"},
            {
                "ref": 5,
                "error": "form event: expected value as [[name, value], ...], got {'a': 1}",
            },
        ]
        assert connection.live is not None and connection.live.socket.assigns.count == 0

    run(scenario)


def test_rate_limit_refuses_events_beyond_the_burst(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(pylive.session, "time", types.SimpleNamespace(monotonic=lambda: clock[0]))
    app = make_app(limits=Limits(events_per_second=2, event_burst=2))

    async def scenario() -> None:
        transport = FakeTransport()
        connection = Connection(app, transport)
        await connection.handle_frame(join(0, token_for(app)))
        for ref in (1, 2, 3):
            await connection.handle_frame(click(ref))
        clock[0] += 0.5  # one token back at 2 events/s
        await connection.handle_frame(click(4))
        await connection.handle_frame(click(5))
        await connection.handle_frame(frame(type="hb", ref=6))  # heartbeats are not limited
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
        await connection.handle_frame(frame(type="hb", ref=7))
        await connection.handle_frame(join(8, token_for(app)))
        await connection.handle_frame(frame(type="hb", ref=9))
        assert transport.sent[0] == {"ref": 7}
        assert transport.sent[2] == {"ref": 9}

    run(scenario)


# -- crashes and closing --------------------------------------------------------------------------


def test_crash_in_one_connection_leaves_another_untouched() -> None:
    app = make_app()

    async def scenario() -> None:
        a, b = FakeTransport(), FakeTransport()
        first, second = Connection(app, a), Connection(app, b)
        await first.handle_frame(join(0, token_for(app)))
        await second.handle_frame(join(0, token_for(app)))
        for ref in (1, 2):
            await second.handle_frame(click(ref))
        await first.handle_frame(click(1))
        await first.handle_frame(click(2, "boom"))
        assert a.sent[-1] == {"type": "error", "reason": "crash", "ref": 2}
        assert first.live is None
        await second.handle_frame(click(3))
        assert b.sent[1:] == [
            {"ref": 1, "ops": [count_text(1)]},
            {"ref": 2, "ops": [count_text(2)]},
            {"ref": 3, "ops": [count_text(3)]},
        ]
        assert second.live is not None and second.live.socket.assigns.count == 3
        await first.handle_frame(join(3, token_for(app)))  # the client rejoins: a fresh mount
        await first.handle_frame(click(4))
        assert a.sent[-1] == {"ref": 4, "ops": [count_text(1)]}

    run(scenario)


def test_crash_loop_asks_the_client_to_reload() -> None:
    app = make_app(limits=Limits(max_crashes=2))

    async def scenario() -> None:
        transport = FakeTransport()
        connection = Connection(app, transport)
        for attempt in range(3):
            await connection.handle_frame(join(2 * attempt, token_for(app)))
            await connection.handle_frame(click(2 * attempt + 1, "boom"))
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
        await connection.handle_frame(join(0, token_for(app)))
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
        await connection.handle_frame(join(0, token_for(app)))
        await connection.handle_frame(join(1, token_for(app, "/other"), url="/other"))
        assert terminated == ["left"]

    run(scenario)
