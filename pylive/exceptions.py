"""Every error pylive raises on purpose.

Each domain error subclasses the builtin a Python developer would catch for the same mistake
(``InvalidChild`` is a ``TypeError``, ``DuplicateKey`` a ``ValueError``), so ``except TypeError``
keeps working, and ``except PyliveError`` catches all of them.
"""

from __future__ import annotations


class PyliveError(Exception):
    """Base class of every error raised by pylive itself."""


class InvalidChild(PyliveError, TypeError):
    """A value that cannot be a child of an element (a dict, a set, bytes, an arbitrary object)."""


class InvalidAttribute(PyliveError, TypeError):
    """An attribute name or value that cannot be rendered safely."""


class UnsafeURL(PyliveError, ValueError):
    """A ``javascript:``-style URL in ``href``/``src``/``action``/``formaction``, not trusted."""


class DuplicateKey(PyliveError, ValueError):
    """Two siblings share one ``key`` (or ``id``), so the diff could not tell them apart."""


class ComponentError(PyliveError, TypeError):
    """A function component was called with missing, unknown or mistyped arguments."""


class InvalidParams(PyliveError, ValueError):
    """Query-string or form fields in shapes that cannot both hold (``a=1&a[b]=2``)."""


class ProtocolError(PyliveError, ValueError):
    """A client frame that is not one pylive's protocol defines (``pylive.frames``).

    ``ref`` and ``kind`` are the frame's ``ref`` and ``type`` when they could be read, so that
    the error reply answers the right call.
    """

    def __init__(self, message: str, ref: int | None = None, kind: str | None = None) -> None:
        super().__init__(message)
        self.ref = ref
        self.kind = kind


class InvalidReturn(PyliveError, TypeError):
    """A user callback returned something pylive does not understand (``pylive.lifecycle``)."""


class InvalidToken(PyliveError, ValueError):
    """A join token that is tampered with, expired, of another version or for another view.

    ``reason`` says which, for the log and the client's error frame.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class InvalidHook(PyliveError, ValueError):
    """A ``phx-hook`` the browser could not run: an element without a unique id, a name no
    ``Hook`` declares, or a component's hook whose module the page lacks
    (``pylive.client_hooks``)."""


class HookFileNotFound(PyliveError, FileNotFoundError):
    """``Hook(name, js=Path(...))`` of a file that does not exist."""
