"""``LiveView``: the class users subclass, with LiveView's callbacks in LiveView's order.

Every callback may be ``def`` or ``async def``. Callbacks change state through the socket and
return ``None``; ``handle_event`` may instead return a dict, sent as a reply to the client's
``pushEvent`` (LiveView's ``{:reply, map, socket}``). Returning the socket is accepted too, so
LiveView's ``{:noreply, socket}`` habit ports as ``return socket``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from pylive.pubsub import PubSubGap

if TYPE_CHECKING:
    from pylive.assigns import Assigns
    from pylive.client_hooks import Hook
    from pylive.node import Tree
    from pylive.socket import Socket


class LiveView:
    """A live page. Subclass it, implement ``render``, and usually ``mount`` and ``handle_event``.

    >>> from pylive.html import p
    >>> class Hello(LiveView):
    ...     def mount(self, params, session, socket):
    ...         socket.assign(name=params.get("name", "world"))
    ...     def render(self, assigns):
    ...         return p(f"Hello, {assigns.name}!")
    """

    hooks: tuple[Hook, ...] = ()
    """The client hooks its renders use (``pylive.client_hooks``), registered by ``app.live``."""

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> Any:
        """Set up state; runs for the HTTP render, then again once connected."""

    def handle_params(self, params: dict[str, Any], uri: str, socket: Socket) -> Any:
        """React to the URL's params; runs after ``mount`` (and on live patches). ``uri`` is
        the page's absolute URL."""

    def render(self, assigns: Assigns) -> Tree:
        """Return the element tree for ``assigns``."""
        raise NotImplementedError(f"{type(self).__qualname__} must define render(self, assigns)")

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> Any:
        """Handle a client event (``phx-click="inc"`` → ``event == "inc"``)."""
        raise NotImplementedError(
            f"{type(self).__qualname__} received event {event!r} but defines no handle_event"
        )

    def handle_info(self, msg: Any, socket: Socket) -> Any:
        """Handle a message from ``send_self``/``send_after``/``send_interval`` or another task.

        Without one of its own, a view logs a ``PubSubGap`` (messages it may have missed) and
        carries on; any other message is an error."""
        if isinstance(msg, PubSubGap):
            logging.getLogger("pylive.pubsub").warning(
                "%s may have missed messages on %r (%s) and defines no handle_info to read "
                "its data again",
                type(self).__qualname__,
                msg.topic,
                msg.reason,
            )
            return None
        raise NotImplementedError(
            f"{type(self).__qualname__} received message {msg!r} but defines no handle_info"
        )

    def handle_async(self, name: str, result: tuple[str, Any], socket: Socket) -> Any:
        """The outcome of ``socket.start_async(name, fn)``: ``("ok", value)`` or
        ``("exit", exception)``."""
        raise NotImplementedError(
            f"{type(self).__qualname__} started async work {name!r} but defines no handle_async"
        )

    def terminate(self, reason: str, socket: Socket) -> Any:
        """Called when the live view closes (``"closed"``, ``"shutdown"``, ``"left"``, or
        ``"redirect"`` when its connected ``mount``/``handle_params`` redirected)."""
