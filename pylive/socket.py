"""The socket a view's callbacks receive: its state, and the ways to act on the connection.

It mirrors LiveView's functions on ``%Socket{}``: ``assign``, ``assign_new``, ``update``,
``push_event``, ``put_flash``, and the process idioms ``send(self(), msg)`` → ``send_self(msg)``,
``Process.send_after`` → ``send_after(msg, ms)``, ``:timer.send_interval`` → ``send_interval``.
Timers live as long as the live view: the session cancels them when it closes. During the HTTP
render (``socket.connected`` is False) messages and timers are accepted and dropped, as in
LiveView, so ``mount`` can schedule unconditionally.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Collection, Iterable
from types import CodeType, FunctionType
from typing import Any, Protocol

from pylive.assigns import METHOD_NAMES, Assigns
from pylive.async_result import AsyncResult
from pylive.attached_hooks import ATTACH_STAGES, AttachedHooks, AttachStage
from pylive.navigation import Nav, external_url
from pylive.stream import DomId, Stream, Streams, check_items, check_position
from pylive.uploads import Uploads
from pylive.urls import local_path

RESERVED_ASSIGNS = frozenset({"flash", "live_action", "myself", "socket", "streams", "uploads"})
"""Names the framework manages; ``assign`` refuses them (use ``put_flash`` for the flash)."""


class Runtime(Protocol):
    """What a connected socket needs from its session (implemented by ``pylive.session``)."""

    def send_self(self, msg: Any) -> None: ...

    def schedule(self, msg: Any, ms: float, repeat: bool) -> int: ...

    def cancel(self, ref: int) -> bool: ...

    def update_component(
        self, cls: type[Any], id: str, assigns: dict[str, Any], ms: float | None
    ) -> int | None: ...

    def run_async(
        self, cid: int | None, kind: str, name: str, keys: tuple[str, ...], fn: Callable[[], Any]
    ) -> None: ...

    def cancel_async(self, cid: int | None, kind: str, name: str, reason: Any) -> bool: ...

    def drop_async(self, cid: int) -> None: ...


class Socket:
    """State and actions of one live view (or one HTTP render of it)."""

    __slots__ = (
        "_async_jobs",
        "_attached",
        "_events",
        "_nav",
        "_rendered",
        "_runtime",
        "_streams",
        "_temporary",
        "_uploads",
        "assigns",
        "connected",
        "redirect_to",
        "view_name",
    )

    def __init__(self, view_name: str, runtime: Runtime | None = None) -> None:
        self.view_name = view_name
        self.assigns = Assigns(view_name)
        self.assigns._set("flash", {})
        self.assigns._clear_changed()
        self.connected = runtime is not None
        self._runtime = runtime
        self._events: list[list[Any]] = []
        self.redirect_to: str | None = None
        self._nav: Nav | None = None
        self._attached: AttachedHooks | None = None
        self._async_jobs: dict[str, str] | None = None
        """Each ``assign_async`` assign's job name (its keys joined), for ``cancel_async``."""
        self._streams: Streams | None = None
        self._uploads: Uploads | None = None
        self._temporary: dict[str, Any] | None = None
        """The temporary assigns and their defaults (``temporary_assigns``)."""
        self._rendered = False

    # -- state ----------------------------------------------------------------------------------

    def assign(self, **values: Any) -> Socket:
        """Set assigns; each one that changed is re-rendered. Returns the socket for chaining."""
        for key, value in values.items():
            if key in METHOD_NAMES:
                raise ValueError(
                    f"{self.view_name}: an assign cannot be called {key!r}, the name of an "
                    f"Assigns method (assigns.{key} would not be your value); choose another name"
                )
            if key in RESERVED_ASSIGNS:
                raise ValueError(
                    f"{self.view_name}: {key!r} is managed by pylive and cannot be assigned"
                    + ("; use socket.put_flash(kind, message)" if key == "flash" else "")
                )
            self.assigns._set(key, value)
        return self

    def assign_new(self, key: str, fn: Callable[[], Any]) -> Socket:
        """Assign ``fn()`` to ``key`` only when ``key`` has no value yet (``fn`` runs lazily)."""
        if key not in self.assigns:
            self.assign(**{key: fn()})
        return self

    def update(self, key: str, fn: Callable[[Any], Any] | Callable[[Any, Assigns], Any]) -> Socket:
        """Assign ``fn(value)`` to ``key``, or ``fn(value, assigns)`` when ``fn`` takes two
        arguments (LiveView picks by arity too); the key must exist."""
        if key not in self.assigns:
            raise KeyError(f"{self.view_name}: cannot update {key!r}, it was never assigned")
        value = self.assigns[key]
        if takes_assigns(fn, f"{self.view_name}.update({key!r})"):
            return self.assign(**{key: fn(value, self.assigns)})  # type: ignore[call-arg]
        return self.assign(**{key: fn(value)})  # type: ignore[call-arg]

    def temporary_assigns(self, **defaults: Any) -> Socket:
        """Declare assigns that go back to their default after each render, in ``mount``:
        ``socket.temporary_assigns(logs=[])`` (LiveView's ``{:ok, socket, temporary_assigns:
        [logs: []]}``). The server then holds a page of rows only until it is rendered; a
        ``phx_update="append"`` (or ``"prepend"``) container keeps them in the browser. An
        assign not set yet takes its default now; a list, dict or set default is copied at each
        reset, so an edit in place never reaches the next render."""
        where = f"{self.view_name}.temporary_assigns"
        if not defaults:
            raise ValueError(
                f"{where}: expected at least one assign and its default, such as "
                "temporary_assigns(logs=[]), got none"
            )
        if self._rendered:
            raise RuntimeError(
                f"{where}({', '.join(f'{key}=...' for key in defaults)}): expected in mount, "
                "before the first render (LiveView's mount option), got a call after the view "
                "rendered"
            )
        for key in defaults:
            if key in METHOD_NAMES or key in RESERVED_ASSIGNS:
                raise ValueError(
                    f"{where}: {key!r} is a name pylive manages (flash, streams, uploads …) or "
                    "an Assigns method; a temporary assign needs a name of its own"
                )
        temporary = self._temporary
        if temporary is None:
            temporary = self._temporary = {}
        for key, default in defaults.items():
            temporary[key] = default
            if key not in self.assigns:
                self.assigns._set(key, _fresh(default))
        return self

    def _reset_temporary(self) -> None:
        """After a render: the temporary assigns take their defaults again (no change recorded,
        so the next render is not caused by it); later declarations are refused."""
        self._rendered = True
        temporary = self._temporary
        if temporary is None:
            return
        for key, default in temporary.items():
            self.assigns._reset(key, _fresh(default))

    # -- streams (see pylive.stream) -----------------------------------------------------------

    def stream(
        self,
        name: str,
        items: Iterable[Any],
        *,
        at: int = -1,
        reset: bool = False,
        limit: int | None = None,
    ) -> Socket:
        """Insert ``items`` into the stream ``name`` (created on first use); the server keeps none.

        ``reset=True`` empties the browser's container first; ``at``/``limit`` as ``stream_insert``.
        """
        where = f"{self.view_name}.stream({name!r})"
        check_position(where, at, limit)
        stream = self._stream(name, where)
        if reset:
            stream.clear()
        for item in check_items(where, items):
            stream.insert(item, at, limit, False)
        return self

    def stream_configure(self, name: str, *, dom_id: DomId) -> Socket:
        """Set how an item's DOM id is made (default ``f"{name}-{item.id}"``), before any insert."""
        where = f"{self.view_name}.stream_configure({name!r})"
        self._all_streams().configure(name, dom_id, where)
        return self

    def stream_insert(
        self,
        name: str,
        item: Any,
        *,
        at: int = -1,
        limit: int | None = None,
        update_only: bool = False,
    ) -> Socket:
        """Insert one item at ``at`` (``-1``: last, ``0``: first), or update it in place if shown.

        ``limit`` then keeps the first ``limit`` items (the last ``-limit`` when negative);
        ``update_only=True`` only updates an item already shown.
        """
        where = f"{self.view_name}.stream_insert({name!r})"
        check_position(where, at, limit)
        self._stream(name, where).insert(item, at, limit, bool(update_only))
        return self

    def stream_delete(self, name: str, item: Any) -> Socket:
        """Remove ``item`` (found by its DOM id) from the browser's container."""
        stream = self._stream(name, f"{self.view_name}.stream_delete({name!r})")
        stream.delete(stream.id_of(item))
        return self

    def stream_delete_by_dom_id(self, name: str, dom_id: str) -> Socket:
        """Remove the item whose DOM id is ``dom_id`` (as an event's params carry it)."""
        where = f"{self.view_name}.stream_delete_by_dom_id({name!r})"
        if not isinstance(dom_id, str) or not dom_id:
            raise ValueError(f"{where}: expected a non-empty str DOM id, got {dom_id!r}")
        self._stream(name, where).delete(dom_id)
        return self

    def _all_streams(self) -> Streams:
        streams = self._streams
        if streams is None:
            streams = self._streams = Streams(self.view_name)
            self.assigns._set("streams", streams)
        return streams

    def _stream_sources(self) -> Collection[Stream]:
        """This socket's streams, for the session to collect its render's stream containers."""
        streams = self._streams
        return () if streams is None else streams._all()

    def _stream(self, name: str, where: str) -> Stream:
        streams = self._all_streams()
        stream = streams.get(name, where)
        self.assigns._set("streams", streams)  # marks the view for a render
        return stream

    # -- uploads (see pylive.uploads) ---------------------------------------------------------

    @property
    def uploads(self) -> Uploads:
        """This view's upload configs and entries (``assigns.uploads`` shows the configs)."""
        uploads = self._uploads
        if uploads is None:
            uploads = self._uploads = Uploads(self.view_name)
        return uploads

    def allow_upload(
        self,
        name: str,
        *,
        accept: Any,
        max_entries: int = 1,
        max_file_size: int = 8_000_000,
        chunk_size: int = 64_000,
        auto_upload: bool = False,
        progress: Callable[..., Any] | None = None,
        external: Callable[..., Any] | None = None,
    ) -> Socket:
        """Accept files for ``name``: ``accept`` is ``":any"`` or extensions and MIME types
        (``[".png", "image/*"]``); ``progress(name, entry, socket)`` runs as bytes arrive;
        ``external(entry, socket)`` returns ``{"uploader": ..., "meta": {...}}`` for an upload
        that goes elsewhere. ``assigns.uploads.<name>`` is the config."""
        self.uploads.allow(
            name,
            accept=accept,
            max_entries=max_entries,
            max_file_size=max_file_size,
            chunk_size=chunk_size,
            auto_upload=auto_upload,
            progress=progress,
            external=external,
        )
        self._touch_uploads()
        return self

    def disallow_upload(self, name: str) -> Socket:
        """Stop accepting files for ``name``; its entries and temp files go."""
        self.uploads.disallow(name)
        self._touch_uploads()
        return self

    def cancel_upload(self, name: str, entry_ref: str) -> Socket:
        """Drop one entry of ``name`` (the client's ref, as ``phx-value-ref`` sends it)."""
        self.uploads.cancel(name, entry_ref)
        self._touch_uploads()
        return self

    def _touch_uploads(self) -> None:
        """Mark ``assigns.uploads`` changed: the view renders again."""
        self.assigns._set("uploads", self.uploads.configs)

    # -- flash ----------------------------------------------------------------------------------

    def put_flash(self, kind: str, message: str) -> Socket:
        """Show a flash message of ``kind`` (``"info"``, ``"error"`` …), rendered by the layout."""
        flash = dict(self.assigns["flash"])
        flash[kind] = message
        self.assigns._set("flash", flash)
        return self

    def clear_flash(self, kind: str | None = None) -> Socket:
        """Remove one flash message, or all of them."""
        flash = (
            {} if kind is None else {k: v for k, v in self.assigns["flash"].items() if k != kind}
        )
        self.assigns._set("flash", flash)
        return self

    # -- messages to the client -----------------------------------------------------------------

    def push_event(self, name: str, payload: dict[str, Any] | None = None) -> Socket:
        """Dispatch ``phx:<name>`` on the browser's window with ``payload`` as ``detail``."""
        if not isinstance(name, str) or not name:
            raise ValueError(
                f"{self.view_name}.push_event: expected a non-empty name, got {name!r}"
            )
        self._events.append([name, {} if payload is None else payload])
        return self

    def redirect(self, to: str | None = None, *, external: str | None = None) -> Socket:
        """Load another page over HTTP: a local path (``"/users/1"``), or with ``external=``
        an absolute http(s) URL of another site. A flash put before it shows on that page."""
        if (to is None) == (external is None):
            raise ValueError(
                f"{self.view_name}.redirect: expected a local path or external=URL (one of "
                f"them), got to={to!r}, external={external!r}"
            )
        if external is not None:
            self.redirect_to = external_url(external, f"{self.view_name}.redirect")
        else:
            self.redirect_to = local_path(str(to), f"{self.view_name}.redirect")
        self._nav = None
        return self

    def push_patch(self, to: str, *, replace: bool = False) -> Socket:
        """Go to ``to`` (a local path) in this same view: its ``handle_params`` runs, its state
        stays (no mount), the browser's URL and history follow (``replace``: no new entry)."""
        self._nav = Nav("patch", local_path(to, f"{self.view_name}.push_patch"), bool(replace))
        self.redirect_to = None
        return self

    def push_navigate(self, to: str, *, replace: bool = False) -> Socket:
        """Go to ``to`` (a local path): its view is mounted over the same websocket (no page
        load) when it is in this live session, else the page is loaded."""
        where = f"{self.view_name}.push_navigate"
        self._nav = Nav("navigate", local_path(to, where), bool(replace))
        self.redirect_to = None
        return self

    # -- async work (pylive.async_result, pylive.async_tasks) -----------------------------------

    def assign_async(
        self, keys: str | Iterable[str], fn: Callable[[], Any], *, reset: bool = False
    ) -> Socket:
        """Load assigns in the background: each of ``keys`` is an ``AsyncResult``, loading now,
        then ``ok`` with ``result`` — ``fn()``'s value for one key, its dict's values for
        several — or ``failed`` with the exception it raised (never a crash of the view). A
        plain ``fn`` runs in a worker thread, an ``async def`` as a task; neither runs during
        the HTTP render, which shows the loading state. ``reset=True`` drops a result shown
        before while it reloads."""
        names = (keys,) if isinstance(keys, str) else tuple(keys)
        where = f"{self.view_name}.assign_async({keys!r})"
        if not names or not all(isinstance(n, str) and n for n in names):
            raise ValueError(f"{where}: expected an assign name or a list of them")
        for name in names:
            if name in RESERVED_ASSIGNS or name in METHOD_NAMES:
                raise ValueError(f"{where}: {name!r} is a name pylive manages")
        if not callable(fn):
            raise TypeError(f"{where}: expected a function, got {fn!r}")
        for name in names:
            previous = self.assigns.get(name)
            keep = isinstance(previous, AsyncResult) and not reset
            self.assigns._set(name, AsyncResult.loading_(previous if keep else None))
        if self._runtime is not None:
            job = ",".join(names)
            if self._async_jobs is None:
                self._async_jobs = {}
            self._async_jobs.update(dict.fromkeys(names, job))
            self._runtime.run_async(self._cid(), "assign", job, names, fn)
        return self

    def start_async(self, name: str, fn: Callable[[], Any]) -> Socket:
        """Run ``fn`` in the background (a thread, or a task for an ``async def``); its
        outcome reaches ``handle_async(name, result, socket)``: ``("ok", value)`` or
        ``("exit", exception)``. Starting ``name`` again replaces the run going on. Not run
        during the HTTP render."""
        if not isinstance(name, str) or not name:
            raise ValueError(f"{self.view_name}.start_async: expected a non-empty name")
        if not callable(fn):
            raise TypeError(f"{self.view_name}.start_async({name!r}): expected a function")
        if self._runtime is not None:
            self._runtime.run_async(self._cid(), "start", name, (), fn)
        return self

    def cancel_async(self, target: str | AsyncResult, reason: Any = "cancelled") -> Socket:
        """Stop the background work of an assign (its name, or its ``AsyncResult``: it fails
        with ``AsyncCancelled(reason)``) or of a ``start_async`` name (``handle_async`` gets
        ``("exit", AsyncCancelled(reason))``). Nothing running: nothing happens."""
        if isinstance(target, AsyncResult):
            names = [k for k, v in self.assigns.to_dict().items() if v is target]
            if not names:
                raise KeyError(f"{self.view_name}.cancel_async: that AsyncResult is no assign")
            target = names[0]
        if self._runtime is not None:
            job = (self._async_jobs or {}).get(target)
            if job is None or not self._runtime.cancel_async(self._cid(), "assign", job, reason):
                self._runtime.cancel_async(self._cid(), "start", target, reason)
        return self

    def _cid(self) -> int | None:
        """The live component this socket is (None: the view)."""
        return None

    # -- hooks attached at run time (pylive.attached_hooks) -------------------------------------

    def attach_hook(self, name: str, stage: str, fn: Callable[..., Any]) -> Socket:
        """Run ``fn`` before the view's ``stage`` callback (``handle_params``,
        ``handle_event``, ``handle_info``) or after each render (``after_render``); it
        returns ``"cont"`` or ``"halt"`` (see ``pylive.attached_hooks``)."""
        if self._attached is None:
            self._attached = AttachedHooks(self.view_name, self._attach_stages())
        self._attached.attach(name, stage, fn)
        return self

    def detach_hook(self, name: str, stage: str) -> Socket:
        """Remove the hook ``name`` from ``stage``."""
        if self._attached is None:
            self._attached = AttachedHooks(self.view_name, self._attach_stages())
        self._attached.detach(name, stage)
        return self

    def _attach_stages(self) -> tuple[AttachStage, ...]:
        return ATTACH_STAGES

    # -- messages to the view itself ------------------------------------------------------------

    def send_self(self, msg: Any) -> None:
        """Deliver ``msg`` to this view's ``handle_info`` after the current callback."""
        if self._runtime is not None:
            self._runtime.send_self(msg)

    def send_after(self, msg: Any, ms: float) -> int | None:
        """Deliver ``msg`` to ``handle_info`` in ``ms`` milliseconds; returns a timer ref."""
        if self._runtime is None:
            return None
        return self._runtime.schedule(msg, ms, False)

    def send_interval(self, msg: Any, ms: float) -> int | None:
        """Deliver ``msg`` to ``handle_info`` every ``ms`` milliseconds; returns a timer ref."""
        if ms <= 0:
            raise ValueError(f"{self.view_name}.send_interval: expected ms > 0, got {ms!r}")
        if self._runtime is None:
            return None
        return self._runtime.schedule(msg, ms, True)

    def cancel_timer(self, ref: int | None) -> bool:
        """Cancel a timer from ``send_after``/``send_interval``; True if it was still pending."""
        if self._runtime is None or ref is None:
            return False
        return self._runtime.cancel(ref)

    def send_update(self, cls: type[Any], /, id: str | int, **assigns: Any) -> None:
        """Update one live component (``update(assigns)``, then it re-renders alone).

        Safe from any task or thread holding the socket (LiveView's ``send_update(pid, ...)``).
        """
        if self._runtime is not None:
            self._runtime.update_component(cls, str(id), assigns, None)

    def send_update_after(
        self, cls: type[Any], /, id: str | int, ms: float, **assigns: Any
    ) -> int | None:
        """``send_update`` in ``ms`` milliseconds; returns a timer ref for ``cancel_timer``."""
        if self._runtime is None:
            return None
        return self._runtime.update_component(cls, str(id), assigns, ms)

    def _take_events(self) -> list[list[Any]]:
        events, self._events = self._events, []
        return events


def _fresh(default: Any) -> Any:
    """A temporary assign's default as it is put back: a copy of a list, dict or set."""
    kind = type(default)
    if kind is list or kind is dict or kind is set:
        return default.copy()
    return default


_ARITY: dict[tuple[CodeType, int], bool] = {}
"""``takes_assigns`` of plain functions, by code and number of defaults: a lambda written in a
handler is a new function each call, but its code is the same."""


def takes_assigns(fn: Callable[..., Any], where: str) -> bool:
    """Whether ``update``'s ``fn`` takes the value and the assigns (two arguments), not only the
    value (one); anything else is a ``TypeError`` naming ``where``."""
    key = None
    if type(fn) is FunctionType:
        key = (fn.__code__, len(fn.__defaults__ or ()))
        known = _ARITY.get(key)
        if known is not None:
            return known
    elif not callable(fn):
        raise TypeError(f"{where}: expected a function, got {fn!r}")
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):  # a builtin without a signature: it gets the value
        return False
    for arguments, two in (((None,), False), ((None, None), True)):
        try:
            signature.bind(*arguments)
        except TypeError:
            continue
        if key is not None and not fn.__kwdefaults__:
            _ARITY[key] = two
        return two
    raise TypeError(
        f"{where}: expected a function of the value, or of the value and the assigns, got "
        f"{getattr(fn, '__qualname__', fn)!r} taking {signature}"
    )
