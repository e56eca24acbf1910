"""The stateful components of one live view: mounting, updating, rendering, routing, freeing.

After a view (or a component) renders, ``resolve`` finds the ``live_component(...)`` placeholders
its tree holds (a walk of the tree that stops at text rows, raw HTML and components' roots),
mounts the new ones, calls ``update`` (or ``update_many``) where the passed assigns
changed, re-renders the components whose state changed, and puts each component's root element in
its placeholder's place. A component that did not change puts back the very element it rendered
last time, so the diff skips it in O(1). Components that a render left out are destroyed, with
their descendants.

A component that re-renders alone (its own event, ``send_update``) is diffed alone: its root's
path is known from the last resolve, so the patch is a few ops whatever the size of the page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from time import perf_counter_ns
from typing import Any

from pylive import lifecycle
from pylive.client_hooks import Hooks, register_component_hooks
from pylive.diff import Op, diff_node
from pylive.exceptions import DuplicateKey
from pylive.live_component import ComponentSocket, LiveComponent
from pylive.node import (
    Children,
    ComponentPlaceholder,
    Element,
    Fragment,
    Node,
    TextRows,
    Tree,
    top_level,
)
from pylive.socket import Runtime, Socket
from pylive.stream_items import StreamCollector

log = logging.getLogger("pylive")

COMPONENT_ATTR = "data-phx-component"
Found = list[tuple[list[Node], int, list[int], ComponentPlaceholder]]
"""Placeholders found in a tree: (the list holding it, its index, its path, the placeholder)."""
_NOT_GIVEN: dict[str, Any] = {}


class ComponentState:
    """One mounted component: its instance, socket, last root element and place in the tree."""

    __slots__ = (
        "children",
        "cid",
        "cls",
        "given",
        "id",
        "index",
        "instance",
        "node",
        "parent",
        "rel_path",
        "siblings",
        "socket",
    )

    def __init__(
        self, cls: type[LiveComponent], id: str, cid: int, socket: ComponentSocket
    ) -> None:
        self.cls = cls
        self.id = id
        self.cid = cid
        self.instance = cls()
        self.socket = socket
        self.node: Element | None = None
        self.given: dict[str, Any] = _NOT_GIVEN
        self.parent: ComponentState | None = None
        self.children: set[ComponentState] = set()
        self.rel_path: list[int] = []
        self.siblings: list[Node] = []
        self.index = 0

    @property
    def name(self) -> str:
        return f"{self.cls.__qualname__}(id={self.id!r})"

    def path(self) -> list[int]:
        """The root element's path from the view's container."""
        if self.parent is None:
            return self.rel_path
        return self.parent.path() + self.rel_path


class Components:
    """The registry of one live view's components, keyed by ``(class, id)`` and by cid.

    ``streams`` collects the stream containers of each component's render (the session's
    collector, released after each frame; a fresh one, never released, for an HTTP render).
    ``hooks`` is the app's registry: a component class's ``hooks`` join it when the first component
    of the class mounts (``strict``: a live mount may not bring a hook module the page lacks).
    ``timed`` (debug) adds the time a component's re-render spends diffing to ``diff_ns``.
    """

    def __init__(
        self,
        runtime: Runtime | None,
        view_socket: Socket,
        streams: StreamCollector | None = None,
        hooks: Hooks | None = None,
        strict: bool = False,
    ) -> None:
        self.runtime = runtime
        self.hooks = hooks
        self.strict = strict
        self.timed = False
        self.diff_ns = 0
        self.view_socket = view_socket
        self.streams = StreamCollector() if streams is None else streams
        self.by_key: dict[tuple[type[LiveComponent], str], ComponentState] = {}
        self.by_cid: dict[int, ComponentState] = {}
        self.top: set[ComponentState] = set()  # the components the view's own tree holds
        self.next_cid = 0

    def __len__(self) -> int:
        return len(self.by_cid)

    # -- resolving placeholders ------------------------------------------------------------------

    async def resolve_view(self, tree: Tree | None) -> Tree | None:
        """Resolve the components in a freshly rendered view tree."""
        if type(tree) is ComponentPlaceholder:
            tree = Fragment([tree])  # a list to put the component's root element in
        await self._resolve(top_level(tree), None)
        return tree

    async def _resolve(self, nodes: Children, scope: ComponentState | None) -> None:
        found: Found = []
        _find(nodes, [], found)
        if not found and not self._children_of(scope):
            return  # nothing placed, nothing to destroy: the common render of a plain view
        seen: set[ComponentState] = set()
        pending: dict[type[LiveComponent], list[tuple[ComponentState, dict[str, Any]]]] = {}
        for siblings, index, path, live in found:
            state = self.by_key.get((live.cls, live.id))
            if state is None:
                state = await self._mount(live.cls, live.id)
            elif state in seen:
                raise DuplicateKey(
                    f"live_component {state.name} is rendered twice; ids must be unique per "
                    "component class within a live view"
                )
            seen.add(state)
            if state.parent is not scope:
                self._children_of(state.parent).discard(state)
                state.parent = scope
            state.rel_path, state.siblings, state.index = path, siblings, index
            if state.given is _NOT_GIVEN or state.given != live.assigns:
                pending.setdefault(state.cls, []).append((state, live.assigns))
        for cls, updates in pending.items():
            await _update(cls, updates)
            for state, assigns in updates:
                state.given = assigns
        for state in seen:
            if state.node is None or state.socket.assigns.changed():
                await self._render(state)
            state.siblings[state.index] = state.node  # type: ignore[assignment]
        children = self._children_of(scope)
        for gone in children - seen:
            self._destroy(gone)
        children.clear()
        children.update(seen)

    def _children_of(self, scope: ComponentState | None) -> set[ComponentState]:
        return self.top if scope is None else scope.children

    async def _mount(self, cls: type[LiveComponent], id: str) -> ComponentState:
        self.next_cid += 1
        cid = self.next_cid
        socket = ComponentSocket(
            f"{cls.__qualname__}(id={id!r})", cid, self.runtime, self.view_socket
        )
        state = ComponentState(cls, id, cid, socket)
        if self.hooks is not None and cls.hooks:
            after_page = self.strict and self.runtime is not None
            view = self.view_socket.view_name
            register_component_hooks(self.hooks, cls, state.name, view, after_page)
        self.by_key[(cls, id)] = state
        self.by_cid[cid] = state
        await lifecycle.component_mount(state.instance, state.name, socket)
        return state

    async def _render(self, state: ComponentState) -> None:
        tree = lifecycle.component_render(state.instance, state.name, state.socket.assigns)
        state.socket._reset_temporary()
        self.streams.collect((tree,), state.socket._stream_sources())
        root = Element(
            tree.tag,
            {**tree.attrs, COMPONENT_ATTR: str(state.cid)},
            tree.children,
            state.id,
            tree.raw,
        )
        state.socket.assigns._clear_changed()
        if not root.raw:
            await self._resolve(root.children, state)
        state.node = root

    def _destroy(self, state: ComponentState) -> None:
        for child in list(state.children):
            self._destroy(child)
        state.children.clear()
        self.by_key.pop((state.cls, state.id), None)
        self.by_cid.pop(state.cid, None)
        if state.socket._uploads is not None:  # its temp files go with it
            state.socket._uploads.leave()
        if self.runtime is not None:  # and its background work
            self.runtime.drop_async(state.cid)
        self._children_of(state.parent).discard(state)
        state.node = None
        state.siblings = []

    # -- a component changing alone --------------------------------------------------------------

    async def rerender(self, state: ComponentState) -> list[Op]:
        """Re-render one component if its state changed; the ops that patch it in place."""
        if not state.socket.assigns.changed() or state.node is None:
            return []
        old = state.node
        await self._render(state)
        new = state.node
        assert new is not None
        state.siblings[state.index] = new
        if not self.timed:
            return diff_node(old, new, state.path())
        start = perf_counter_ns()
        ops = diff_node(old, new, state.path())
        self.diff_ns += perf_counter_ns() - start
        return ops

    async def send_update(
        self, cls: type[LiveComponent], id: str, assigns: dict[str, Any]
    ) -> list[Op]:
        """``update(assigns)`` then re-render one component; nothing else re-renders."""
        state = self.by_key.get((cls, str(id)))
        if state is None:
            log.warning(
                "send_update to %s(id=%r) ignored: no such component is rendered",
                cls.__qualname__,
                id,
            )
            return []
        await _update(cls, [(state, assigns)])
        return await self.rerender(state)

    def clear(self) -> None:
        for state in list(self.top):
            self._destroy(state)
        self.by_key.clear()
        self.by_cid.clear()


def places_components(tree: Tree | None) -> bool:
    """Whether ``tree`` places a live component (``live_component(...)``) outside other ones."""
    if type(tree) is ComponentPlaceholder:
        return True
    found: Found = []
    _find(top_level(tree), [], found)
    return bool(found)


def _find(nodes: Children, path: list[int], found: Found) -> None:
    """Collect the placeholders under ``nodes``, with their places (not inside other components).

    An element whose only child is a text (a cell, a label) is not entered, and a path is made only
    for an element that is: most of a big page is walked without allocating."""
    if type(nodes) is TextRows:
        return  # text rows hold no component
    for index, node in enumerate(nodes):
        kind = type(node)
        if kind is Element:
            children = node.children  # type: ignore[union-attr]
            if (
                children
                and (len(children) > 1 or type(children[0]) is not str)
                and not node.raw  # type: ignore[union-attr]
                and COMPONENT_ATTR not in node.attrs  # type: ignore[union-attr]
            ):
                _find(children, [*path, index], found)
        elif kind is ComponentPlaceholder:
            found.append((nodes, index, [*path, index], node))  # type: ignore[arg-type]


async def _update(
    cls: type[LiveComponent], updates: list[tuple[ComponentState, dict[str, Any]]]
) -> None:
    """Give components of one class their new assigns: ``update_many`` once, or ``update`` each."""
    update_many: Callable[..., Any] | None = getattr(cls, "update_many", None)
    if update_many is not None:
        pairs = [(assigns, state.socket) for state, assigns in updates]
        await lifecycle.component_update_many(cls, update_many, pairs)
        return
    for state, assigns in updates:
        await lifecycle.component_update(state.instance, state.name, assigns, state.socket)
