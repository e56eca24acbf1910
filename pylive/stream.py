"""Streams: collections the browser keeps and the server forgets (LiveView's ``stream``).

A stream is for a long or endless list: the server sends each item once and keeps none of them,
so a session's memory does not grow with the list. The view asks for inserts and deletes on the
socket; its render iterates ``assigns.streams.<name>`` (the items asked for since the last render,
as ``(dom_id, item)`` pairs) inside a container with an id and ``phx_update="stream"``::

    class Songs(LiveView):
        def mount(self, params, session, socket):
            socket.stream("songs", list_songs())       # DOM ids "songs-1", "songs-2", … (item.id)

        def render(self, assigns):
            return ul(id="songs", phx_update="stream")[
                (li(song.title, id=dom_id) for dom_id, song in assigns.streams.songs)
            ]

        def handle_event(self, event, params, socket):
            if event == "add":
                socket.stream_insert("songs", new_song(params), at=0)    # prepend
            elif event == "remove":
                socket.stream_delete_by_dom_id("songs", params["id"])

An item whose DOM id is already shown is updated in place (``at`` is ignored); ``limit`` keeps the
first ``limit`` items (the last ``-limit`` when negative); ``reset=True`` empties the container
first. This module is the socket side; ``pylive.stream_items`` turns a render into stream items,
which the diff sends as stream ops.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, ValuesView
from typing import Any

DomId = Callable[[Any], str]


class Stream:
    """One named stream of a socket: what was asked for since the last render, and nothing else."""

    __slots__ = ("container", "deletes", "dom_id", "inserts", "iterated", "name", "reset")

    def __init__(self, name: str, dom_id: DomId | None = None) -> None:
        self.name = name
        self.dom_id = dom_id
        self.container: str | None = None  # the id of the element showing it, once rendered
        self.reset = False
        self.deletes: list[str] = []
        self.inserts: dict[str, tuple[Any, int, int | None, bool]] = {}  # by DOM id, in order
        self.iterated = False  # read by a render since it last forgot what it sent

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        """``(dom_id, item)`` for each item to insert in this render."""
        self.iterated = True
        return iter([(dom_id, entry[0]) for dom_id, entry in self.inserts.items()])

    def __len__(self) -> int:
        return len(self.inserts)

    def __repr__(self) -> str:
        inserts, deletes = len(self.inserts), len(self.deletes)
        return f"<stream {self.name!r}: {inserts} to insert, {deletes} to delete>"

    def rendered(self) -> None:
        """The render that showed them is sent: forget the items."""
        self.iterated = False
        self.reset = False
        self.deletes = []
        self.inserts = {}

    # -- used by the socket ---------------------------------------------------------------------

    def id_of(self, item: Any) -> str:
        """The DOM id of ``item``: ``dom_id(item)``, or ``"<name>-<item.id>"`` by default."""
        if self.dom_id is not None:
            dom_id = self.dom_id(item)
            where = f"the dom_id function of stream {self.name!r}"
        else:
            key = item.get("id") if isinstance(item, dict) else getattr(item, "id", None)
            if key is None:
                raise ValueError(
                    f"stream {self.name!r}: expected an item with an id (item.id or item['id']), "
                    f"got {item!r}; or give socket.stream_configure({self.name!r}, "
                    "dom_id=lambda item: ...)"
                )
            dom_id = f"{self.name}-{key}"
            where = f"stream {self.name!r}"
        if not isinstance(dom_id, str) or not dom_id:
            raise ValueError(f"{where}: expected a non-empty str DOM id, got {dom_id!r}")
        return dom_id

    def insert(self, item: Any, at: int, limit: int | None, update_only: bool) -> None:
        dom_id = self.id_of(item)
        first = self.inserts.get(dom_id)
        if first is not None:  # asked for twice before one render: one insert of the last item
            _, at, first_limit, first_only = first
            limit = first_limit if limit is None else limit
            update_only = first_only and update_only
        self.inserts[dom_id] = (item, at, limit, update_only)

    def delete(self, dom_id: str) -> None:
        self.inserts.pop(dom_id, None)
        self.deletes.append(dom_id)

    def clear(self) -> None:
        self.inserts = {}
        self.deletes = []
        self.reset = True


class Streams:
    """``assigns.streams``: each stream of the socket by name (``assigns.streams.songs``)."""

    __slots__ = ("_owner", "_streams")

    def __init__(self, owner: str) -> None:
        self._owner = owner
        self._streams: dict[str, Stream] = {}

    def __getattr__(self, name: str) -> Stream:
        try:
            return self._streams[name]
        except KeyError:
            known = ", ".join(sorted(self._streams)) or "none yet"
            raise AttributeError(
                f"{self._owner} has no stream {name!r} (streams: {known}); "
                f"create it with socket.stream({name!r}, items)"
            ) from None

    def __getitem__(self, name: str) -> Stream:
        return self.__getattr__(name)

    def __contains__(self, name: object) -> bool:
        return name in self._streams

    def __iter__(self) -> Iterator[str]:
        return iter(self._streams)

    def __repr__(self) -> str:
        return f"<streams {sorted(self._streams)}>"

    def _all(self) -> ValuesView[Stream]:
        """Every stream, for the session's stream collection after a render (a private name, so
        that ``assigns.streams.<name>`` can be any stream's name)."""
        return self._streams.values()

    # -- used by the socket ---------------------------------------------------------------------

    def get(self, name: str, where: str) -> Stream:
        """The stream called ``name``, created on first use."""
        stream = self._streams.get(name)
        if stream is None:
            if not isinstance(name, str) or not name.isidentifier():
                raise ValueError(
                    f"{where}: expected a stream name that is a Python identifier "
                    f"(assigns.streams.<name>), got {name!r}"
                )
            stream = self._streams[name] = Stream(name)
        return stream

    def configure(self, name: str, dom_id: DomId, where: str) -> None:
        stream = self._streams.get(name)
        if stream is not None:
            raise ValueError(
                f"{where}: stream {name!r} is already in use; configure it once, before the "
                "first insert"
            )
        if not callable(dom_id):
            raise TypeError(f"{where}: expected dom_id to be a function of an item, got {dom_id!r}")
        self.get(name, where).dom_id = dom_id


def check_position(where: str, at: Any, limit: Any) -> None:
    """``at`` is an int (``-1``: last); ``limit`` is None or an int."""
    if type(at) is not int or at < -1:
        raise TypeError(f"{where}: expected at to be an index >= 0, or -1 for last, got {at!r}")
    if limit is not None and type(limit) is not int:
        raise TypeError(f"{where}: expected limit to be None or an int, got {limit!r}")


def check_items(where: str, items: Any) -> Iterable[Any]:
    if isinstance(items, (str, bytes, dict)) or not isinstance(items, Iterable):
        raise TypeError(f"{where}: expected an iterable of items, got {items!r}")
    return items
