"""Testing one piece alone: ``live_isolated`` (a live component or a live view) and
``render_component`` (a component rendered once, to HTML).

``live_isolated(CounterComponent, id="c", label="Clicks")`` mounts the component in a tiny live view
generated for the test, whose only content is that component, and joins it like ``live`` does: the
test drives the component through the page (``view.element("button").click()``) and the very
session code the websocket runs. The generated parent also stands in for the component's parent:
what the component sends it (``socket.send_parent``) is collected in ``view.sent_to_parent``,
``view.set_assigns(...)`` re-renders it passing new assigns (``update`` runs, as when a real parent
re-renders) and ``view.send_update(...)`` is ``send_update`` to the component.

``live_isolated(SomeView, session={...})`` joins a live view with no app to route it: the view is
served alone at ``/``.
"""

from __future__ import annotations

import asyncio
import functools
import secrets
from collections.abc import Callable, Mapping
from typing import Any, Literal, overload

from pylive.app import App
from pylive.assigns import Assigns
from pylive.component_registry import Components, places_components
from pylive.live_component import LiveComponent, live_component
from pylive.node import Tree, fragment
from pylive.render import render_html
from pylive.socket import Socket
from pylive.testing._loop import run_sync
from pylive.testing.client import DEFAULT_BASE_URL, LiveViewClient, StaticRender, open_live
from pylive.view import LiveView
from pylive.view_render import DeadRender

__all__ = ["IsolatedComponent", "live_isolated", "render_component"]

COMPONENT_ASSIGNS = "component_assigns"
"""The generated parent's assign holding what it passes to the component."""


class _SetAssigns:
    __slots__ = ("assigns",)

    def __init__(self, assigns: dict[str, Any]) -> None:
        self.assigns = assigns


class _SendUpdate:
    __slots__ = ("assigns",)

    def __init__(self, assigns: dict[str, Any]) -> None:
        self.assigns = assigns


def isolated_view(
    cls: type[LiveComponent], assigns: dict[str, Any], inbox: list[Any]
) -> type[LiveView]:
    """A live view whose whole content is ``live_component(cls, **assigns)``."""

    class Isolated(LiveView):
        def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
            socket.assign(**{COMPONENT_ASSIGNS: dict(assigns)})

        def render(self, assigns: Assigns) -> Tree:
            return fragment(live_component(cls, **assigns[COMPONENT_ASSIGNS]))

        def handle_info(self, msg: Any, socket: Socket) -> None:
            if type(msg) is _SetAssigns:
                given = {**socket.assigns[COMPONENT_ASSIGNS], **msg.assigns}
                socket.assign(**{COMPONENT_ASSIGNS: given})
            elif type(msg) is _SendUpdate:
                socket.send_update(cls, id=socket.assigns[COMPONENT_ASSIGNS]["id"], **msg.assigns)
            else:
                inbox.append(msg)

    Isolated.__name__ = Isolated.__qualname__ = f"Isolated{cls.__name__}"
    return Isolated


class IsolatedComponent(LiveViewClient):
    """A live component joined alone by ``live_isolated``, with its generated parent."""

    def __init__(
        self,
        component: type[LiveComponent],
        inbox: list[Any],
        app: App,
        url: str,
        dead: DeadRender,
        loop: asyncio.AbstractEventLoop,
        timeout: float,
    ) -> None:
        super().__init__(app, url, dead, loop, timeout)
        self.component = component
        self.sent_to_parent = inbox
        """Every message the component sent its parent (``socket.send_parent``), in order."""

    def __repr__(self) -> str:
        state = "closed" if self.closed else "joined"
        return f"<IsolatedComponent {self.component.__qualname__} {state}>"

    def set_assigns(self, **assigns: Any) -> str:
        """Re-render the parent passing ``assigns`` (merged over the ones passed so far): the
        component's ``update`` runs if they differ. Returns the new render."""
        return self.send(_SetAssigns(assigns))

    def send_update(self, **assigns: Any) -> str:
        """``send_update(Component, id=..., **assigns)``: only the component re-renders."""
        return self.send(_SendUpdate(assigns))


@overload
def live_isolated(
    target: type[LiveComponent],
    /,
    *,
    session: Mapping[str, Any] | None = None,
    connect: Literal[True] = True,
    timeout: float = 5.0,
    **assigns: Any,
) -> IsolatedComponent: ...


@overload
def live_isolated(
    target: type[LiveView],
    /,
    *,
    session: Mapping[str, Any] | None = None,
    connect: Literal[True] = True,
    timeout: float = 5.0,
) -> LiveViewClient: ...


@overload
def live_isolated(
    target: type[LiveComponent] | type[LiveView],
    /,
    *,
    session: Mapping[str, Any] | None = None,
    connect: Literal[False],
    timeout: float = 5.0,
    **assigns: Any,
) -> StaticRender: ...


def live_isolated(
    target: type[LiveComponent] | type[LiveView],
    /,
    *,
    session: Mapping[str, Any] | None = None,
    connect: bool = True,
    timeout: float = 5.0,
    **assigns: Any,
) -> LiveViewClient | StaticRender:
    """Join one live component, or one live view, alone (Phoenix's ``live_isolated``).

    A component gets ``session`` and ``assigns`` together as the assigns its parent passes
    (``id`` among them): ``live_isolated(Counter, session={"id": "c", "label": "Clicks"})`` or
    ``live_isolated(Counter, id="c", label="Clicks")``. A view gets ``session`` in ``mount``.
    ``connect=False`` stops after the HTTP render.
    """
    if isinstance(target, type) and issubclass(target, LiveComponent):
        given = {**(session or {}), **assigns}
        bad = [key for key in given if not isinstance(key, str)]
        if bad:
            raise TypeError(
                f"live_isolated({target.__qualname__}): assign names must be str, got {bad[0]!r}"
            )
        if "id" not in given:
            raise TypeError(
                f"live_isolated({target.__qualname__}): expected an id among the assigns "
                '(id="..." or session={"id": ...}), got none'
            )
        live_component(target, **given)  # the same checks a parent's render makes, raised here
        inbox: list[Any] = []
        view = isolated_view(target, given, inbox)
        factory: Callable[..., LiveViewClient] = functools.partial(IsolatedComponent, target, inbox)
        view_session: Mapping[str, Any] = {}
    elif isinstance(target, type) and issubclass(target, LiveView):
        if assigns:
            raise TypeError(
                f"live_isolated({target.__qualname__}): keyword assigns "
                f"({', '.join(sorted(assigns))}) are for a live component; a live view gets its "
                "state in mount, from session=..."
            )
        view, factory, view_session = target, LiveViewClient, session or {}
    else:
        raise TypeError(
            f"live_isolated: expected a LiveComponent or LiveView subclass, got {target!r}"
        )
    app = App(secret_key=secrets.token_urlsafe(32), title=f"isolated {target.__qualname__}")
    app.live("/", view)
    return open_live(app, "/", view_session, connect, timeout, DEFAULT_BASE_URL, factory)


def render_component(component: Callable[..., Any], /, *children: Any, **kwargs: Any) -> str:
    """Render a component once, to HTML (Phoenix's ``render_component``).

    A function component is called with ``children`` and ``kwargs``; a ``LiveComponent`` class is
    mounted, updated with ``kwargs`` (``id`` among them; ``children`` are its ``inner_block``) and
    rendered, as in a page's HTTP render. Live components the result places are rendered too.
    """
    if isinstance(component, type) and issubclass(component, LiveComponent):
        tree: Any = live_component(component, *children, **kwargs)
        name = component.__qualname__
    elif callable(component):
        tree = component(*children, **kwargs)
        name = getattr(component, "__qualname__", repr(component))
    else:
        raise TypeError(f"render_component: expected a component, got {component!r}")
    if isinstance(tree, list | tuple):
        tree = fragment(*tree)
    if places_components(tree):
        components = Components(None, Socket(f"render_component({name})"))
        loop = asyncio.new_event_loop()
        try:
            tree = run_sync(loop, components.resolve_view(tree), "render_component()")
        finally:
            loop.close()
    return render_html(tree)
