"""Where stream ops (and the append and prepend ops) put things, as the browser does
(``client.js``'s streams and append modules), once for the test client's two copies of the page:
the tree it renders (``_apply``) and the identities of its elements (``_identity``).

A stream container's children are its stream items, then its fixed children (``STREAM_FIXED``,
children no stream inserted); anything else among them (a text) is neither. Items are inserted by
their index among the items, kept before the fixed children; a reset takes the items only, unless
told to take everything; a limit counts items only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
W = TypeVar("W")

ITEM, FIXED, OTHER = "item", "fixed", "other"


def insert(items: list[T], node: T, at: int, kind: Callable[[T], str]) -> None:
    """Put the new child ``node`` in place: a fixed one last, an item at ``at`` among the items
    (``-1`` or past the end: after the last, before the first fixed child)."""
    if kind(node) == FIXED:
        items.append(node)
        return
    first_fixed = next((i for i, child in enumerate(items) if kind(child) == FIXED), len(items))
    positions = [i for i, child in enumerate(items) if kind(child) == ITEM]
    items.insert(positions[at] if 0 <= at < len(positions) else first_fixed, node)


def reset(items: list[T], kind: Callable[[T], str], everything: bool) -> list[T]:
    """Remove the items (every child when ``everything``); the children removed."""
    removed = [child for child in items if everything or kind(child) != FIXED]
    items[:] = [child for child in items if not (everything or kind(child) != FIXED)]
    return removed


def trim(items: list[T], limit: int, kind: Callable[[T], str]) -> list[T]:
    """Keep the first ``limit`` items (the last ``-limit`` when negative); the items removed."""
    stream = [child for child in items if kind(child) == ITEM]
    if len(stream) <= abs(limit):
        return []
    surplus = stream[limit:] if limit >= 0 else stream[:limit]
    gone = {id(child) for child in surplus}
    items[:] = [child for child in items if id(child) not in gone]
    return surplus


def add(
    items: list[T],
    wires: list[W],
    prepend: bool,
    id_of: Callable[[T], str | None],
    wire_id: Callable[[W], str | None],
    update: Callable[[T, W], T],
    build: Callable[[W], T],
) -> None:
    """An append or prepend op on a container's children ``items``: a wire node with the id of a
    child updates it where it stands (``update``); the others are built and added after the last
    child, or (``prepend``) before the first, in their order."""
    positions: dict[str, int] = {}
    for place, item in enumerate(items):
        dom_id = id_of(item)
        if dom_id is not None and dom_id not in positions:
            positions[dom_id] = place
    added = 0  # prepended so far: the original children moved this far right
    for wire in wires:
        dom_id = wire_id(wire)
        index = None if dom_id is None else positions.get(dom_id)
        if index is not None:
            index += added if prepend else 0
            items[index] = update(items[index], wire)
        elif prepend:
            items.insert(added, build(wire))
            added += 1
        else:
            items.append(build(wire))
