"""pylive's pytest plugin in a user's project: a fresh directory with no conftest.py, run by
pytest's own ``pytester`` in a subprocess (as ``pytest`` in that project would run)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.e2e

DOCS = Path(__file__).resolve().parent.parent / "docs" / "testing.md"

APP = """
from pylive import App, LiveComponent, LiveView, live_component
from pylive.html import button, div, p


class Counter(LiveView):
    def mount(self, params, session, socket):
        socket.assign(count=0)

    def render(self, assigns):
        return div(p(f"Count: {assigns.count}", id="count"), button("+", id="inc", phx_click="inc"))

    def handle_event(self, event, params, socket):
        socket.update("count", lambda count: count + 1)


class Badge(LiveComponent):
    def render(self, assigns):
        return p(f"badge {assigns.id}")


app = App(secret_key="a secret of at least 16 characters")
app.live("/", Counter)
"""

IN_PROCESS = """
import asyncio

from pylive.testing import live_isolated, render_component
from myapp import Badge, app


def test_asyncio_run_{n}():
    assert asyncio.run(asyncio.sleep(0, result=7)) == 7


def test_live_{n}(live):
    view = live(app, "/")
    view.element("#inc").click()
    assert view.element("#count").render() == '<p id="count">Count: 1</p>'


def test_isolated_and_render_component_{n}():
    with live_isolated(Badge, id="b") as view:
        assert view.has_element("p", text="badge b")
    assert render_component(Badge, id="c") == '<p data-phx-component="1">badge c</p>'
"""

IN_BROWSER = """
from playwright.sync_api import expect
from pylive.testing.browser import sync
from myapp import app


def test_browser_{n}(live_server, live_page):
    server = live_server(app)
    live_page.goto(server.url + "/")
    sync(live_page)
    live_page.click("#inc")
    sync(live_page)
    expect(live_page.locator("#count")).to_have_text("Count: 1")
"""


def docs_example() -> str:
    """The whole test module docs/testing.md shows under "Browser tests"."""
    found = re.search(r"```python\n(# test_counter\.py.*?)```", DOCS.read_text(), re.S)
    assert found is not None, "docs/testing.md lost its test_counter.py example"
    return found.group(1)


def test_browser_and_in_process_tests_mix_in_any_order(pytester: pytest.Pytester) -> None:
    """In-process tests before and after a browser test, with no conftest.py: the browser
    fixtures come from the plugin, and Playwright's idle loop stops neither ``live()`` nor
    ``asyncio.run``."""
    pytester.makepyfile(
        myapp=APP,
        test_1_live=IN_PROCESS.format(n=1),
        test_2_browser=IN_BROWSER.format(n=2),
        test_3_live=IN_PROCESS.format(n=3),
    )
    assert not (pytester.path / "conftest.py").exists()
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-v")
    result.assert_outcomes(passed=7)
    ran = [line.split("::")[1].split()[0] for line in result.outlines if " PASSED" in line]
    assert ran == [
        "test_asyncio_run_1",
        "test_live_1",
        "test_isolated_and_render_component_1",
        "test_browser_2[chromium]",
        "test_asyncio_run_3",
        "test_live_3",
        "test_isolated_and_render_component_3",
    ]


def test_docs_browser_example_runs_as_it_stands(pytester: pytest.Pytester) -> None:
    """docs/testing.md's example: a browser test, then an in-process one, in one module."""
    pytester.makepyfile(test_counter=docs_example())
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_browser_fixtures_listed_by_pytest_fixtures(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_nothing="def test_nothing():\n    pass\n")
    result = pytester.runpytest_subprocess("--fixtures", "-p", "no:cacheprovider")
    assert result.ret == 0
    listing = "\n".join(result.outlines)
    for fixture, doc in [
        ("live", "pylive: a factory of in-process live views"),
        ("live_server", "pylive: ``live_server(app)`` serves ``app`` on a free loopback port"),
        ("live_page", "pylive: pytest-playwright's ``page``; the test fails if the page raised"),
        ("browser_type_launch_args", "pylive: pytest-playwright's launch arguments, pointed"),
    ]:
        entry = rf"^{fixture}( \[session scope\])? -- .*\n    {re.escape(doc)}"
        assert re.search(entry, listing, re.M), (fixture, listing)


def test_browser_fixtures_can_be_turned_off(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_nothing="def test_nothing():\n    pass\n")
    result = pytester.runpytest_subprocess(
        "--fixtures", "-p", "no:cacheprovider", "-p", "no:pylive.testing.browser"
    )
    assert result.ret == 0
    listing = "\n".join(result.outlines)
    assert re.search(r"^live -- ", listing, re.M)
    assert not re.search(r"^live_server", listing, re.M)
