"""``pylive.lifecycle`` is the only caller of user callbacks: a probe hook on every stage, and
callbacks that fail unless their stage's hook ran just before them, driven through every
callback of a view and of live components (HTTP render, join, events, messages, leave)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pylive import lifecycle
from pylive.app import App
from pylive.html import button, div, p
from pylive.lifecycle import HALT, STAGES, InvalidReturn, Invocation
from pylive.live_component import LiveComponent, live_component
from pylive.socket import Socket
from pylive.testing.client import live
from pylive.view import LiveView

expected: list[tuple[str, Any]] = []
"""The stage and owner the last hook announced: the next user callback must be that one."""
seen: list[tuple[str, str]] = []


def through(stage: str, owner: Any) -> None:
    """Called first thing in every user callback: it must have been reached through the
    lifecycle, right after its stage's hooks."""
    assert expected and expected[-1] == (stage, owner), (
        f"{stage} of {owner!r} was called without going through pylive.lifecycle"
    )
    expected.pop()


class Row(LiveComponent):
    def mount(self, socket: Socket) -> None:
        through("component_mount", self)

    def update(self, assigns: dict[str, Any], socket: Socket) -> None:
        through("component_update", self)
        socket.assign(**assigns)

    def render(self, assigns: Any) -> Any:
        through("component_render", self)
        return p(
            f"row {assigns.id}: {assigns.label}",
            button("+", id=f"b-{assigns.id}", phx_click="bump", phx_target=assigns.myself),
            id=f"row-{assigns.id}",
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        through("component_event", self)
        socket.assign(label=socket.assigns.label + "!")


class Batch(LiveComponent):
    @classmethod
    def update_many(cls, pairs: list[tuple[dict[str, Any], Socket]]) -> None:
        through("component_update_many", cls)
        for assigns, socket in pairs:
            socket.assign(**assigns)

    def mount(self, socket: Socket) -> None:
        through("component_mount", self)

    def render(self, assigns: Any) -> Any:
        through("component_render", self)
        return p(f"batch {assigns.id}", id=f"batch-{assigns.id}")


class Page(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        through("mount", self)
        socket.assign(n=0)

    def handle_params(self, params: dict[str, Any], uri: str, socket: Socket) -> None:
        through("handle_params", self)

    def render(self, assigns: Any) -> Any:
        through("render", self)
        return div(
            p(f"n={assigns.n}", id="n"),
            button("inc", id="inc", phx_click="inc"),
            live_component(Row, id="r1", label="a"),
            live_component(Batch, id="x1"),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> dict[str, Any]:
        through("handle_event", self)
        socket.assign(n=socket.assigns.n + 1)
        return {"n": socket.assigns.n}

    def handle_info(self, msg: Any, socket: Socket) -> None:
        through("handle_info", self)
        socket.assign(n=100)
        socket.start_async("work", lambda: 7)

    def handle_async(self, name: str, result: Any, socket: Socket) -> None:
        through("handle_async", self)
        socket.assign(n=result[1])

    def terminate(self, reason: str, socket: Socket) -> None:
        through("terminate", self)


@pytest.fixture
def probes() -> Iterator[None]:
    def probe(invocation: Invocation) -> None:
        expected.append((invocation.stage, invocation.owner))
        seen.append((invocation.stage, invocation.name))

    detach = [lifecycle.attach(stage, probe) for stage in STAGES]
    expected.clear()
    seen.clear()
    yield
    for undo in detach:
        undo()
    expected.clear()


def test_every_user_callback_is_called_through_the_lifecycle(probes: None) -> None:
    app = App(secret_key="lifecycle-hooks-secret")
    app.live("/", Page)
    with live(app, "/") as view:
        view.element("#inc").click()
        view.element("#b-r1").click()
        view.send("tick")
        view.render_async()
    assert expected == []  # every hook's callback ran right after it
    assert {stage for stage, _ in seen} == set(STAGES)
    render = [  # mount, handle_params, render, then the components it placed
        ("mount", "Page"),
        ("handle_params", "Page"),
        ("render", "Page"),
        ("component_mount", "Row(id='r1')"),
        ("component_mount", "Batch(id='x1')"),
        ("component_update", "Row(id='r1')"),
        ("component_update_many", "Batch"),
        ("component_render", "Batch(id='x1')"),  # sibling components render in any order
        ("component_render", "Row(id='r1')"),
    ]
    assert in_order(seen) == [
        *render,  # over HTTP
        *render,  # the live join
        ("handle_event", "Page"),
        ("render", "Page"),  # the components' assigns did not change: no update, no render
        ("component_event", "Row(id='r1')"),
        ("component_render", "Row(id='r1')"),  # it alone
        ("handle_info", "Page"),
        ("render", "Page"),
        ("handle_async", "Page"),
        ("render", "Page"),
        ("terminate", "Page"),
    ]


def in_order(calls: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``calls`` with each run of consecutive ``component_render`` calls sorted by name."""
    result: list[tuple[str, str]] = []
    run: list[tuple[str, str]] = []
    for call in [*calls, ("", "")]:
        if call[0] == "component_render":
            run.append(call)
            continue
        result += sorted(run)
        run = []
        result.append(call)
    return result[:-1]


def test_a_hook_that_halts_stops_the_callback(probes: None) -> None:
    class Counting(LiveView):
        def mount(self, params: Any, session: Any, socket: Socket) -> None:
            socket.assign(n=0)

        def render(self, assigns: Any) -> Any:
            return div(p(f"n={assigns.n}", id="n"), button("inc", id="inc", phx_click="inc"))

        def handle_event(self, event: str, params: Any, socket: Socket) -> None:
            socket.assign(n=socket.assigns.n + 1)

    def halt_events(invocation: Invocation) -> str:
        return HALT

    for undo in [lifecycle.attach("handle_event", halt_events)]:
        try:
            app = App(secret_key="lifecycle-hooks-secret")
            app.live("/", Counting)
            with live(app, "/") as view:
                view.element("#inc").click()
                assert view.element("#n").render() == '<p id="n">n=0</p>'
        finally:
            undo()


def test_attach_refuses_an_unknown_stage_and_a_non_callable() -> None:
    with pytest.raises(
        ValueError, match=r"lifecycle.attach: expected one of mount, .*got 'mounted'"
    ):
        lifecycle.attach("mounted", lambda invocation: None)  # type: ignore[arg-type]
    with pytest.raises(
        TypeError, match=r"lifecycle.attach\('mount'\): expected a callable hook, got 3"
    ):
        lifecycle.attach("mount", 3)  # type: ignore[arg-type]


def test_invalid_return_is_a_pylive_error_and_a_type_error() -> None:
    from pylive.exceptions import PyliveError

    assert issubclass(InvalidReturn, PyliveError)
    assert issubclass(InvalidReturn, TypeError)
