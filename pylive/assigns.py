"""Assigns: a view's state, read as attributes, with the keys changed since the last render.

``socket.assign(count=1)`` records ``count`` as changed unless the new value equals the old one;
the session renders only when something changed. Values that may be mutated in place (lists, dicts,
objects) count as changed whenever they are assigned again, even as the same object, because
pylive cannot see an in-place edit: ``socket.assign(items=items)`` after ``items.append(x)``
re-renders, as a Python developer expects.

``Assigns`` is deliberately not a ``Mapping``: ``assigns.items`` must be the assign called
``items``, not a method. Only ``get`` and ``changed`` are methods, so those two names (and
``to_dict``) cannot be assigned.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

_IMMUTABLE = (int, float, str, bool, bytes, complex, type(None), frozenset)


METHOD_NAMES = frozenset({"get", "changed", "to_dict"})
"""Assigns that would be hidden behind a method of ``Assigns``."""


class Assigns:
    """Read-only view of a view's state: ``assigns.count`` or ``assigns["count"]``.

    Write through ``socket.assign(...)``; the socket keeps the record of what changed.
    """

    __slots__ = ("_changed", "_owner", "_values")

    def __init__(self, owner: str = "view") -> None:
        object.__setattr__(self, "_values", {})
        object.__setattr__(self, "_changed", set())
        object.__setattr__(self, "_owner", owner)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            known = ", ".join(sorted(self._values)) or "none yet"
            raise AttributeError(
                f"{self._owner} has no assign {name!r} (assigned: {known}); "
                f"set it with socket.assign({name}=...)"
            ) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(
            f"assigns are read-only: use socket.assign({name}=...) so the change is tracked"
        )

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def get(self, key: str, default: Any = None) -> Any:
        """``assigns[key]``, or ``default`` when it was never assigned."""
        return self._values.get(key, default)

    def to_dict(self) -> dict[str, Any]:
        """A copy of every assign, as a dict."""
        return dict(self._values)

    def __repr__(self) -> str:
        return f"Assigns({self._values!r})"

    def changed(self, key: str | None = None) -> bool:
        """Whether ``key`` (or, without a key, anything) changed since the last render."""
        return bool(self._changed) if key is None else key in self._changed

    # -- used by Socket and the session ---------------------------------------------------------

    def _set(self, key: str, value: Any) -> None:
        values = self._values
        if key in values:
            old = values[key]
            if type(old) is type(value) and isinstance(value, _IMMUTABLE) and old == value:
                return
            if old is not value and old == value and isinstance(value, tuple):
                return
        values[key] = value
        self._changed.add(key)

    def _reset(self, key: str, value: Any) -> None:
        """Put ``value`` back without recording a change (a temporary assign after a render)."""
        self._values[key] = value

    def _clear_changed(self) -> None:
        self._changed.clear()
