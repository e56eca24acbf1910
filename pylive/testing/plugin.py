"""The pytest plugin pylive registers (entry point ``pytest11``): the ``live`` fixture, the
``redis_server`` fixture (a real redis-server on loopback, for ``RedisPubSub``), the browser
fixtures of ``pylive.testing.browser`` when pytest-playwright is installed, and browser
tests and in-process tests in one run in any order.

It is loaded by every pytest run in an environment where pylive is installed, so it imports
nothing of pylive's runtime until a test asks for a fixture.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any, Literal, overload

import pytest

from pylive.testing._loop import idle_loop_set_aside
from pylive.testing.redis_server import RedisServer

if TYPE_CHECKING:
    from pylive.app import App
    from pylive.testing.client import LiveViewClient, StaticRender

BROWSER_PLUGIN = "pylive.testing.browser"
PLAYWRIGHT_PLUGIN = "playwright"
"""The name pytest-playwright's plugin is registered under."""
PLAYWRIGHT_FIXTURE = "playwright"
"""pytest-playwright's session fixture, which every one of its browser fixtures depends on."""


def pytest_configure(config: pytest.Config) -> None:
    # Registered here, after every entry-point plugin, so that its ``browser_type_launch_args``
    # (the system chromium) takes precedence over pytest-playwright's own; a fixture of the same
    # name in a user's conftest.py still takes precedence over both.
    manager = config.pluginmanager
    if manager.has_plugin(PLAYWRIGHT_PLUGIN):
        manager.import_plugin(BROWSER_PLUGIN)  # once: a second registration is skipped


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    with _outside_playwright(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    with _outside_playwright(item):
        return (yield)


def _outside_playwright(item: pytest.Item) -> AbstractContextManager[None]:
    """A test that uses no Playwright fixture runs with Playwright's idle loop set aside, so its
    ``asyncio.run`` and ``live()`` work after a browser test (see ``pylive.testing._loop``)."""
    if PLAYWRIGHT_FIXTURE in getattr(item, "fixturenames", ()):
        return nullcontext()
    return idle_loop_set_aside()


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
    """pylive: a factory of in-process live views, ``view = live(app, "/")`` (or
    ``live.isolated(Component, id=...)``); every view it opened is closed (its ``terminate``
    runs) when the test ends."""
    factory = LiveFactory()
    yield factory
    factory.close()


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A real ``redis-server`` on a free loopback port, stopped after the test
    (``pylive.testing.redis_server``): ``redis_server.url`` for ``RedisPubSub``;
    ``stop()``/``start()`` take it away and bring it back on the same port."""
    with RedisServer() as server:
        yield server
