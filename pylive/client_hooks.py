"""Client hooks declared in Python: ``Hook(name, js=...)``, an app's registry of them, and the
render check that every ``phx-hook`` on a page can run.

A hook is JavaScript the browser runs on an element's life (``mounted``, ``updated`` …; LiveView's
``phx-hook``). ``Hook("Chart", js=Path("chart.js"))`` declares one whose module pylive serves: an
ES module whose ``export default`` is the hook object. ``Hook("Chart")`` declares one the page
defines itself (``window.pylive.hooks.Chart = {...}``), known to the server for the render check
only. A hook is registered with ``App(hooks=[...])``, ``app.hook(hook)``, or the ``hooks``
class attribute of a ``LiveView`` (registered by ``app.live``) or a ``LiveComponent``, and used as
an attribute value: ``div(id="chart", phx_hook=CHART)`` renders ``phx-hook="Chart"``.

Each module is served at ``/_pylive/hooks/<Name>.<sha256[:12]>.js`` (cached for good: the name
changes with the source), and the live container lists them all in ``data-phx-hooks``; the
browser imports every one before it joins.

A component's hooks, the rule: a ``LiveComponent``'s ``hooks`` are registered when a component of
that class first mounts. The HTTP render mounts the components it places, so a component on the
page brings its modules with it. A component that first appears later (an event opens it) would
bring a module the page does not have: list its hooks in the view's ``hooks`` (or the app's) too.
In debug (``App(debug=True)``) and in the test client that omission is an ``InvalidHook`` when the
component mounts, rather than a hook that silently never runs.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson

from pylive.exceptions import HookFileNotFound, InvalidChild, InvalidHook
from pylive.node import Additions, Children, Element, Memo, TextRows, Tree, top_level

HOOKS_PATH = "/_pylive/hooks/"
"""Where hook modules are served: ``HOOKS_PATH + hook.filename``."""
HOOK_ATTR = "phx-hook"
_NAME = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_FILE_NAME = re.compile(r"[^\s;(){}=]+\.m?js")
"""A ``js=`` string that is a file name, not a module's source (``"chart.js"``)."""


class Hook:
    """A client hook: its ``name`` and, unless the browser defines it, its module's ``source``.

    >>> CHART = Hook("Chart", js="export default {mounted() {}}")
    >>> CHART.url
    '/_pylive/hooks/Chart.002f2c01653b.js'
    >>> from pylive.html import div
    >>> div(id="c", phx_hook=CHART).attrs["phx-hook"]
    'Chart'
    """

    __slots__ = ("_gzip", "filename", "name", "source", "url")

    name: str
    source: bytes | None
    """The module's bytes (read once, when the hook is declared), or None."""
    filename: str | None
    """``<Name>.<sha256 of the source, 12 hex digits>.js``, or None without a source."""
    url: str | None
    """``/_pylive/hooks/<filename>``, or None without a source."""

    def __init__(self, name: str, js: str | os.PathLike[str] | None = None) -> None:
        if not isinstance(name, str):
            raise TypeError(f"Hook(name): expected the hook's name as a str, got {name!r}")
        if not _NAME.fullmatch(name):
            raise ValueError(
                f"Hook({name!r}): expected a JavaScript identifier as the name (a letter, _ or $, "
                f"then letters, digits, _ or $), got {name!r}"
            )
        self.name = name
        self.source = _source(name, js)
        self._gzip: bytes | None = None
        if self.source is None:
            self.filename = self.url = None
        else:
            digest = hashlib.sha256(self.source).hexdigest()[:12]
            self.filename = f"{name}.{digest}.js"
            self.url = HOOKS_PATH + self.filename

    @property
    def gzip(self) -> bytes:
        """The module gzip-compressed, once (served to browsers that accept gzip)."""
        if self.source is None:
            raise ValueError(f"{self!r} has no module: the browser defines it")
        if self._gzip is None:
            self._gzip = gzip.compress(self.source, compresslevel=9, mtime=0)
        return self._gzip

    def __pylive_attr__(self) -> str:
        """As an attribute value (``phx_hook=CHART``): the name."""
        return self.name

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if type(other) is not Hook:
            return NotImplemented
        return self.name == other.name and self.source == other.source

    def __hash__(self) -> int:
        return hash((self.name, self.source))

    def __repr__(self) -> str:
        if self.source is None:
            return f"Hook({self.name!r})"
        return f"Hook({self.name!r}, js=<{len(self.source)} bytes>)"


def _source(name: str, js: object) -> bytes | None:
    if js is None:
        return None
    if isinstance(js, str):
        if not js.strip():
            raise ValueError(
                f"Hook({name!r}, js=...): expected the module's JavaScript source, got {js!r}"
            )
        if _FILE_NAME.fullmatch(js.strip()):
            raise ValueError(
                f"Hook({name!r}, js={js!r}): a str is the module's source, and this looks like a "
                f"file name; pass pathlib.Path({js!r}) to read the file"
            )
        return js.encode()
    if isinstance(js, os.PathLike):
        path = Path(js)
        try:
            return path.read_bytes()
        except FileNotFoundError as error:
            raise HookFileNotFound(
                f"Hook({name!r}, js=Path({str(path)!r})): no such file (resolved: "
                f"{str(path.absolute())!r}); expected an ES module whose export default is the "
                "hook"
            ) from error
    raise TypeError(
        f"Hook({name!r}, js=...): expected a pathlib.Path of an ES module, its source as a str, "
        f"or None for a hook the browser defines, got {js!r}"
    )


class Hooks:
    """The client hooks an app knows, by name: one hook per name."""

    __slots__ = ("_by_file", "_by_name", "_json")

    def __init__(self) -> None:
        self._by_name: dict[str, tuple[Hook, str]] = {}
        self._by_file: dict[str, Hook] = {}
        self._json: str | None = None

    def add(self, hook: Hook, where: str) -> bool:
        """Register ``hook`` (``where`` says who declared it, for errors); True when it is new.

        The same hook twice is fine; another hook under a registered name is a ``ValueError``.
        """
        if type(hook) is not Hook:
            raise TypeError(f"{where}: expected a pylive.Hook, got {hook!r}")
        known = self._by_name.get(hook.name)
        if known is not None:
            if known[0] == hook:
                return False
            raise ValueError(
                f"{where}: {hook!r} is not the hook already registered as {hook.name!r} "
                f"({known[0]!r}, from {known[1]}); one name, one hook: rename one of them"
            )
        self._by_name[hook.name] = (hook, where)
        if hook.filename is not None:
            self._by_file[hook.filename] = hook
            self._json = None
        return True

    def add_all(self, hooks: object, where: str) -> None:
        """Register every hook of a ``hooks`` class attribute (a tuple or list of ``Hook``)."""
        for hook in declared(hooks, where):
            self.add(hook, where)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __iter__(self) -> Iterator[Hook]:
        return (hook for hook, _ in self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)

    def get(self, name: str) -> Hook | None:
        known = self._by_name.get(name)
        return None if known is None else known[0]

    def by_file(self, filename: str) -> Hook | None:
        """The hook served as ``/_pylive/hooks/<filename>``, or None."""
        return self._by_file.get(filename)

    def urls(self) -> dict[str, str]:
        """Name → module URL of every hook with a module, by name."""
        files = sorted(self._by_file.items(), key=_by_name)
        return {hook.name: HOOKS_PATH + filename for filename, hook in files}

    def attribute(self) -> str | None:
        """The live container's ``data-phx-hooks``: ``urls()`` as JSON, or None when empty."""
        if self._json is None and self._by_file:
            self._json = orjson.dumps(self.urls()).decode()
        return self._json


def _by_name(item: tuple[str, Hook]) -> str:
    return item[1].name


def declared(hooks: object, where: str) -> tuple[Hook, ...]:
    """A ``hooks`` declaration checked: a tuple or list of ``Hook``."""
    if not isinstance(hooks, tuple | list):
        raise TypeError(f"{where}: expected a tuple of pylive.Hook, got {hooks!r}")
    for hook in hooks:
        if type(hook) is not Hook:
            raise TypeError(f"{where}: expected a tuple of pylive.Hook, got {hook!r} in it")
    return tuple(hooks)


def register_component_hooks(
    registry: Hooks, cls: type[Any], component: str, view: str, after_page: bool
) -> None:
    """Register the ``hooks`` of a component's class when it mounts (``component`` names it).

    ``after_page`` (a live mount, in debug or the test client): a hook with a module that was not
    registered yet is refused, since the page that is already in the browser lacks its module.
    """
    hooks: object = getattr(cls, "hooks", ())
    if not hooks:
        return
    where = f"{cls.__qualname__}.hooks"
    checked = declared(hooks, where)
    if after_page:
        for hook in checked:
            if hook.source is not None and hook.name not in registry:
                raise InvalidHook(
                    f"{component} mounted after the page of {view} was served, and its {where} "
                    f"declares {hook!r}, whose module that page does not have (a page loads its "
                    f"hook modules before it joins); list it in {view}.hooks or "
                    "App(hooks=[...]) too"
                )
    for hook in checked:
        registry.add(hook, where)


# -- the render check -----------------------------------------------------------------------------

Scope = Callable[[Element], "str | None"]
"""For an element: the name of the component whose root it is, or None."""
Found = list[tuple[Element, str]]


def check_hooks(
    tree: Tree | None,
    registry: Hooks,
    view: str,
    scope: Scope | None = None,
    *,
    resolve: bool = False,
) -> None:
    """Raise ``InvalidHook`` unless every ``phx-hook`` element of ``tree`` has an id, unique in
    the tree, and names a registered hook; raise ``InvalidChild`` unless every
    ``phx-update="append"``/``"prepend"`` container has an id and its children are elements with
    an id, none of them a live component (``check_additions``).

    ``view`` names the view (errors say ``ChartView.render``); ``scope`` names the component an
    element is the root of (its elements are reported in ``Name(id='x').render``). Raw HTML is
    opaque and text rows hold no hook. A memoized call is entered once rendered, or rendered first
    when ``resolve`` (an HTTP render: the page's render would resolve it anyway).
    """
    hooked: Found = []
    appended: Found = []
    first: dict[str, tuple[Element, str]] = {}
    again: dict[str, tuple[Element, str]] = {}
    _walk(top_level(tree), f"{view}.render", scope, resolve, (hooked, appended), first, again)
    for el, where in appended:
        check_additions(el, where, scope)
    for el, where in hooked:
        value = el.attrs[HOOK_ATTR]
        name = "" if value is True else str(value)
        what = f'phx-hook="{name}" on {describe(el)} in {where}'
        id = el.attrs.get("id")
        if type(id) is not str or not id:
            raise InvalidHook(
                f"{what}: the element needs a unique id (LiveView's rule: hooks find their "
                "element by id)"
            )
        if name not in registry:
            names = ", ".join(sorted(hook.name for hook in registry)) or "none"
            fix = f'Hook("{name}", js=...)' if name else 'Hook("Name", js=...)'
            raise InvalidHook(
                f"{what} names no registered hook; registered: {names}. Declare it: "
                f'App(hooks=[{fix}]) or Hook("{name}") for a hook defined in the browser'
            )
        if id in again:
            other, other_where = first[id] if first[id][0] is not el else again[id]
            raise InvalidHook(
                f"{what}: the element needs a unique id, and {id!r} is also the id of "
                f"{describe(other)} in {other_where} (LiveView's rule: hooks find their element "
                "by id)"
            )


def check_additions(el: Element, where: str, scope: Scope | None = None) -> None:
    """The render check of an append or prepend container (``el``, rendered in ``where``): it
    has an id, and each child is an element with an id that is not a live component (whose
    re-render alone would address it by an index the browser does not have), as LiveView checks
    in development."""
    update = el.attrs.get("phx-update")
    id = el.attrs.get("id")
    what = f'<{el.tag} id="{id}" phx-update="{update}"> in {where}'
    if type(id) is not str or not id:
        raise InvalidChild(
            f'{describe(el)} in {where} needs an id (LiveView\'s rule for phx-update="{update}": '
            "the browser keeps its children across renders and rejoins)"
        )
    for child in el.children:
        if type(child) is Memo:
            child = child.resolve()
        dom_id = child.attrs.get("id") if type(child) is Element else None
        if type(dom_id) is not str or not dom_id:
            raise InvalidChild(
                f"the children of {what} must be elements with an id (the browser keeps them and "
                f"updates the one with a new child's id in place), got {child!r}"
            )
        if scope is not None and scope(child) is not None:  # type: ignore[arg-type]
            raise InvalidChild(
                f"the children of {what} cannot be live components (got {scope(child)}): its "  # type: ignore[arg-type]
                "render alone would address it by its place among the children, which the "
                "browser keeps and the server does not know; render the rows as elements"
            )


def _walk(
    nodes: Children,
    where: str,
    scope: Scope | None,
    resolve: bool,
    found: tuple[Found, Found],
    first: dict[str, tuple[Element, str]],
    again: dict[str, tuple[Element, str]],
) -> None:
    if type(nodes) is TextRows:
        return
    for node in nodes:
        kind = type(node)
        if kind is Memo:
            memo: Memo = node  # type: ignore[assignment]
            if memo.node is None and not resolve:
                continue  # the diff skipped it: the call it equals was checked
            node = memo.resolve()
        elif kind is not Element:
            continue  # text, raw HTML
        el: Element = node  # type: ignore[assignment]
        attrs = el.attrs
        here = where
        if scope is not None:
            component = scope(el)
            if component is not None:
                here = f"{component}.render"
        id = attrs.get("id")
        if type(id) is str:
            if id not in first:
                first[id] = (el, here)
            elif id not in again:
                again[id] = (el, here)
        if HOOK_ATTR in attrs:
            found[0].append((el, here))
        if type(el.children) is Additions:
            found[1].append((el, here))
        if not el.raw:
            _walk(el.children, here, scope, resolve, found, first, again)


def describe(el: Element) -> str:
    """An element's start tag for an error, without its ``phx-hook``: ``<div class="chart">``."""
    parts = [el.tag]
    for name, value in el.attrs.items():
        if name == HOOK_ATTR or name == "data-phx-component":
            continue
        if value is True:
            parts.append(name)
        else:
            text = str(value)
            text = text if len(text) <= 40 else text[:37] + "..."
            parts.append(f'{name}="{text}"')
    return f"<{' '.join(parts)}>"
