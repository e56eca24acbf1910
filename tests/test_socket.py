"""``Socket``: what a view's callbacks change state with."""

from __future__ import annotations

import functools
from typing import Any

import pytest

from pylive.assigns import Assigns
from pylive.live_component import ComponentSocket
from pylive.socket import Socket


def counter_socket() -> Socket:
    socket = Socket("Counter")
    socket.assign(count=1, step=10)
    return socket


def test_update_takes_a_function_of_the_value() -> None:
    socket = counter_socket().update("count", lambda count: count + 1)
    assert socket.assigns.count == 2
    assert counter_socket().update("count", str).assigns.count == "1"  # a builtin: one argument


def test_update_takes_a_function_of_the_value_and_the_assigns() -> None:
    """LiveView's ``update(socket, :count, fn count, assigns -> ... end)``, chosen by arity."""
    seen: list[Any] = []

    def add_step(count: int, assigns: Assigns) -> int:
        seen.append(assigns)
        return count + assigns.step

    socket = counter_socket()
    socket.update("count", add_step)
    assert socket.assigns.count == 11
    assert seen == [socket.assigns]
    socket.update("count", lambda count, assigns: count * assigns.step)
    assert socket.assigns.count == 110


def test_update_with_defaults_or_varargs_gets_the_value_only() -> None:
    socket = counter_socket()
    socket.update("count", lambda count, extra=5: count + extra)
    assert socket.assigns.count == 6
    socket.update("count", lambda *args: len(args))
    assert socket.assigns.count == 1
    socket.update("count", functools.partial(lambda by, count, assigns: count + by, 100))
    assert socket.assigns.count == 101


@pytest.mark.parametrize(
    ("fn", "shown"),
    [
        (lambda: 0, "'<lambda>' taking ()"),
        (lambda a, b, c: 0, "'<lambda>' taking (a, b, c)"),
        (lambda *, value: 0, "'<lambda>' taking (*, value)"),
    ],
)
def test_update_with_a_function_of_another_arity_refused(fn: Any, shown: str) -> None:
    with pytest.raises(TypeError) as info:
        counter_socket().update("count", fn)
    assert str(info.value) == (
        "Counter.update('count'): expected a function of the value, or of the value and the "
        f"assigns, got {shown}"
    )


def test_update_with_a_non_callable_refused() -> None:
    with pytest.raises(TypeError) as info:
        counter_socket().update("count", 3)  # type: ignore[arg-type]
    assert str(info.value) == "Counter.update('count'): expected a function, got 3"


def test_update_in_a_live_component_names_the_component() -> None:
    socket = ComponentSocket("Card(id='c')", 1, None, Socket("Page"))
    socket.assign(n=1)
    socket.update("n", lambda n, assigns: n + 1)
    assert socket.assigns.n == 2
    with pytest.raises(TypeError, match=r"^Card\(id='c'\)\.update\('n'\): expected a function"):
        socket.update("n", lambda: 0)
