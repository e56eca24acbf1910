"""Stateful components: ``LiveComponent`` and ``live_component(...)``.

A live component keeps its own state inside a live view, handles its own events
(``phx_target=assigns.myself``) and re-renders alone::

    class CounterComponent(LiveComponent):
        def update(self, assigns, socket):
            socket.assign(**assigns)
            socket.assign_new("count", lambda: 0)

        def render(self, assigns):
            return div(
                p(f"{assigns.label}: {assigns.count}"),
                button("Increment", phx_click="increment", phx_target=assigns.myself),
            )

        def handle_event(self, event, params, socket):
            socket.update("count", lambda n: n + 1)

    # in a view's render:
    live_component(CounterComponent, id="counter-1", label="Clicks")

Identity is ``(class, id)``: moving a component in the tree keeps it (it is moved, not remounted);
leaving it out of a render destroys it and frees its state. ``update`` runs on the first render and
whenever the parent passes different assigns; with the same assigns the component costs O(1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pylive.attached_hooks import COMPONENT_STAGES, AttachStage
from pylive.node import ComponentPlaceholder
from pylive.socket import Runtime, Socket
from pylive.uploads import Uploads

if TYPE_CHECKING:
    from pylive.assigns import Assigns
    from pylive.client_hooks import Hook
    from pylive.node import Tree


class LiveComponent:
    """Base class of stateful components. Every callback may be ``def`` or ``async def``."""

    hooks: tuple[Hook, ...] = ()
    """The client hooks its renders use, registered with the app when a component of the class
    first mounts. One that may first mount after the page was served (an event opens it) must
    be listed in the view's or the app's ``hooks`` too (``pylive.client_hooks``)."""

    def mount(self, socket: ComponentSocket) -> Any:
        """Called once, when the component first appears."""

    def update(self, assigns: dict[str, Any], socket: ComponentSocket) -> Any:
        """Receive the assigns the parent passed (first render, then when they change).

        The default merges them into the component's assigns.
        """
        socket.assign(**assigns)

    def render(self, assigns: Assigns) -> Tree:
        """Return exactly one root element."""
        raise NotImplementedError(f"{type(self).__qualname__} must define render(self, assigns)")

    def handle_event(self, event: str, params: dict[str, Any], socket: ComponentSocket) -> Any:
        """Handle an event targeted at this component (``phx_target=assigns.myself``)."""
        raise NotImplementedError(
            f"{type(self).__qualname__} received event {event!r} but defines no handle_event"
        )

    def handle_async(self, name: str, result: tuple[str, Any], socket: ComponentSocket) -> Any:
        """The outcome of its ``socket.start_async(name, fn)``: ``("ok", value)`` or
        ``("exit", exception)``."""
        raise NotImplementedError(
            f"{type(self).__qualname__} started async work {name!r} but defines no handle_async"
        )


class ComponentSocket(Socket):
    """A component's socket: its own assigns; flash, events and redirects go to the view.

    ``send_parent(msg)`` (LiveView's ``send(self(), msg)`` from a component) reaches the parent
    view's ``handle_info``; so do ``send_self``, ``send_after`` and ``send_interval``.
    """

    __slots__ = ("_view_socket", "cid")

    def __init__(self, name: str, cid: int, runtime: Runtime | None, view_socket: Socket) -> None:
        super().__init__(name, runtime)
        self.connected = view_socket.connected
        self.cid = cid
        self._view_socket = view_socket
        self.assigns._set("myself", cid)
        self.assigns._clear_changed()

    @property
    def myself(self) -> int:
        """This component's target id, for ``phx_target=socket.myself``."""
        return self.cid

    @property
    def uploads(self) -> Uploads:
        """This component's upload configs: its own, in the view's group (refs unique across
        the view, limits counted over all of them)."""
        uploads = self._uploads
        if uploads is None:
            view = self._view_socket.uploads
            uploads = self._uploads = Uploads(
                self.view_name, view.limits, view.directory, group=view.group, cid=self.cid
            )
        return uploads

    def send_parent(self, msg: Any) -> None:
        """Deliver ``msg`` to the parent view's ``handle_info``."""
        self.send_self(msg)

    def put_flash(self, kind: str, message: str) -> Socket:
        self._view_socket.put_flash(kind, message)
        return self

    def clear_flash(self, kind: str | None = None) -> Socket:
        self._view_socket.clear_flash(kind)
        return self

    def push_event(self, name: str, payload: dict[str, Any] | None = None) -> Socket:
        self._view_socket.push_event(name, payload)
        return self

    def redirect(self, to: str | None = None, *, external: str | None = None) -> Socket:
        self._view_socket.redirect(to, external=external)
        return self

    def push_patch(self, to: str, *, replace: bool = False) -> Socket:
        """The page's view goes to ``to`` (its ``handle_params`` runs)."""
        self._view_socket.push_patch(to, replace=replace)
        return self

    def push_navigate(self, to: str, *, replace: bool = False) -> Socket:
        """The page goes to the view at ``to``."""
        self._view_socket.push_navigate(to, replace=replace)
        return self

    def _attach_stages(self) -> tuple[AttachStage, ...]:
        return COMPONENT_STAGES

    def _cid(self) -> int | None:
        return self.cid


def live_component(
    cls: type[LiveComponent], /, *children: Any, id: str | int, **assigns: Any
) -> ComponentPlaceholder:
    """Place a stateful component in a tree: ``live_component(Counter, id="c1", label="A")``.

    ``cls`` may be chosen at run time (a dynamic component); extra assigns may be spread from a
    dict (``**widget.options``). Slots are assigns like any other: nodes, or callables. Positional
    children are the default slot, the assign ``inner_block`` (a tuple), as between LiveView's
    ``<.live_component>`` tags: ``live_component(Card, p("body"), id="c", header=h2("T"))``.
    """
    if not (isinstance(cls, type) and issubclass(cls, LiveComponent)):
        raise TypeError(f"live_component: expected a LiveComponent subclass, got {cls!r}")
    if isinstance(id, bool) or not isinstance(id, str | int) or id == "":
        raise TypeError(
            f"live_component({cls.__qualname__}): expected id= a non-empty str or int, got {id!r}"
        )
    for reserved in ("myself", "flash", "socket"):
        if reserved in assigns:
            raise ValueError(
                f"live_component({cls.__qualname__}): {reserved!r} is managed by pylive"
            )
    if children:
        if "inner_block" in assigns:
            raise TypeError(
                f"live_component({cls.__qualname__}): got both positional children and "
                "inner_block=; the positional children are the inner_block slot"
            )
        assigns["inner_block"] = children
    return ComponentPlaceholder(cls, str(id), {"id": id, **assigns})
