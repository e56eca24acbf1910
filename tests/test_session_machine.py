"""The session as a state machine (plan row P5): joins, stale joins, duplicate joins, events
before a join, crashes, hostile frames and heartbeats in any order. Invariants: the connection
never raises, every frame with a ref is answered exactly once, and the view's state is the
model's."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from pylive.app import App, Limits
from pylive.html import p
from pylive.session import Connection
from pylive.view import LiveView


class Counter(LiveView):
    terminated: list[str] = []

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        socket.assign(count=0)

    def render(self, assigns: Any) -> Any:
        return p(f"Count: {assigns.count}", id="count")

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        if event == "boom":
            raise RuntimeError("boom (the state machine provokes it)")
        socket.update("count", lambda n: n + 1)

    def terminate(self, reason: str, socket: Any) -> None:
        Counter.terminated.append(reason)


APP = App(
    secret_key="a state machine's secret, long enough",
    limits=Limits(events_per_second=1e9, event_burst=10**9, max_crashes=10**9),
)
APP.live("/", Counter)
ROUTE = APP.routes[0]
URL = "http://testserver/"


class Recorder:
    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.closed: int | None = None

    async def recv(self) -> str | None:
        return None

    async def send(self, text: str) -> None:
        self.sent.append(orjson.loads(text))

    async def close(self, code: int, reason: str = "") -> None:
        self.closed = code


class SessionMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.transport = Recorder()
        self.connection = Connection(APP, self.transport)
        self.ref = 0
        self.expected: dict[int, str] = {}  # ref → what its answer must be
        self.joined = False
        self.count = 0
        Counter.terminated = []
        self.terminations = 0

    def teardown(self) -> None:
        self.loop.run_until_complete(self.connection.end("closed"))
        self.loop.close()

    def feed(self, text: str | bytes) -> None:
        async def go() -> None:
            await self.connection.handle_frame(text)
            await self.connection.process_queued()

        self.loop.run_until_complete(go())

    def frame(self, **fields: Any) -> int:
        self.ref += 1
        self.feed(orjson.dumps({**fields, "ref": self.ref}).decode())
        return self.ref

    def answer(self, ref: int) -> dict[str, Any]:
        answers = [sent for sent in self.transport.sent if sent.get("ref") == ref]
        assert len(answers) == 1, (ref, answers)
        return answers[0]

    # -- rules ----------------------------------------------------------------------------------

    @rule()
    def join(self) -> None:
        token = APP.tokens.issue(ROUTE.pattern, ROUTE.name, {})
        if self.joined:
            self.terminations += 1  # a duplicate join closes the existing view ("left")
        ref = self.frame(type="join", token=token, url=URL)
        assert self.answer(ref)["tree"][1] == ["p", {"id": "count"}, ["Count: 0"]]
        self.joined, self.count = True, 0

    @rule(token=st.sampled_from(["", "x", "gAAAAA", "not-a-token" * 10]))
    def join_stale(self, token: str) -> None:
        if self.joined:
            self.terminations += 1
        ref = self.frame(type="join", token=token, url=URL)
        answer = self.answer(ref)
        assert (answer["type"], answer["reason"]) == ("error", "stale")
        self.joined = False

    @rule()
    def click(self) -> None:
        ref = self.frame(type="event", kind="click", event="inc", value={})
        answer = self.answer(ref)
        if self.joined:
            self.count += 1
            assert answer == {"ref": ref, "ops": [[0, [1, 0], f"Count: {self.count}"]]}
        else:
            assert answer == {"ref": ref, "error": "no live view joined on this connection"}

    @rule()
    def crash(self) -> None:
        ref = self.frame(type="event", kind="click", event="boom", value={})
        answer = self.answer(ref)
        if self.joined:
            assert answer == {"type": "error", "reason": "crash", "ref": ref}
        else:
            assert answer == {"ref": ref, "error": "no live view joined on this connection"}
        self.joined = False

    @rule()
    def heartbeat(self) -> None:
        ref = self.frame(type="hb")
        assert self.answer(ref) == {"ref": ref}

    @rule(junk=st.one_of(st.binary(max_size=40).map(lambda b: b"\x00" + b),
                         st.text(max_size=40).map(lambda t: "x" + t)))  # fmt: skip
    def hostile(self, junk: str | bytes) -> None:
        before = len(self.transport.sent)
        self.feed(junk)
        if isinstance(junk, bytes):  # binary: the socket is closed, a new one is needed
            assert self.transport.closed == 1003
            self.reconnect()
            return
        assert self.transport.sent[before:] == [
            {"type": "error", "reason": "bad_frame", "detail": self.transport.sent[-1]["detail"]}
        ]

    @rule()
    def leave(self) -> None:
        self.reconnect()

    def reconnect(self) -> None:
        if self.joined:
            self.terminations += 1  # terminate("closed")
        self.loop.run_until_complete(self.connection.end("closed"))
        self.transport = Recorder()
        self.connection = Connection(APP, self.transport)
        self.joined = False
        self.ref = 0

    # -- invariants -----------------------------------------------------------------------------

    @invariant()
    def view_is_the_model(self) -> None:
        live = self.connection.live
        assert (live is not None) == self.joined
        if live is not None:
            assert live.socket.assigns.count == self.count

    @invariant()
    def terminate_ran_once_per_view_that_ended(self) -> None:
        assert len(Counter.terminated) == self.terminations


SessionMachine.TestCase.settings = settings(max_examples=100, stateful_step_count=30, deadline=None)
test_session_state_machine = SessionMachine.TestCase
