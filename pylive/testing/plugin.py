"""The pytest plugin pylive registers (entry point ``pytest11``): the ``live`` fixture.

It is loaded by every pytest run in an environment where pylive is installed, so it imports
nothing of pylive's runtime until a test asks for the fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal, overload

import pytest

if TYPE_CHECKING:
    from pylive.app import App
    from pylive.testing.client import LiveViewClient, StaticRender


class LiveFactory:
    """``live(app, path, **options)``: ``pylive.testing.live``, closed at the test's end."""

    def __init__(self) -> None:
        self.views: list[LiveViewClient] = []

    @overload
    def __call__(
        self, app: App, path: str, *, connect: Literal[True] = True, **options: Any
    ) -> LiveViewClient: ...

    @overload
    def __call__(
        self, app: App, path: str, *, connect: Literal[False], **options: Any
    ) -> StaticRender: ...

    def __call__(
        self, app: App, path: str, *, connect: bool = True, **options: Any
    ) -> LiveViewClient | StaticRender:
        from pylive.testing.client import LiveViewClient, live

        view: LiveViewClient | StaticRender = live(app, path, connect=connect, **options)
        if isinstance(view, LiveViewClient):
            self.views.append(view)
        return view

    def isolated(self, target: Any, /, **options: Any) -> Any:
        """``pylive.testing.live_isolated(target, **options)``, closed at the test's end."""
        from pylive.testing.client import LiveViewClient
        from pylive.testing.isolated import live_isolated

        view = live_isolated(target, **options)
        if isinstance(view, LiveViewClient):
            self.views.append(view)
        return view

    def close(self) -> None:
        errors: list[BaseException] = []
        for view in self.views:
            try:
                view.close()
            except Exception as error:  # close every view, then report
                errors.append(error)
        self.views.clear()
        if errors:
            raise errors[0]


@pytest.fixture
def live() -> Iterator[LiveFactory]:
    """A factory for in-process live views: ``view = live(app, "/")`` (or
    ``live.isolated(Component, id=...)``); every view it opened is closed (its ``terminate`` runs)
    when the test ends."""
    factory = LiveFactory()
    yield factory
    factory.close()
