"""``python -m pylive``: its options, their help and docs/cli.md, and what it prints at start."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from pylive.__main__ import build_parser
from pylive.app import App
from pylive.sanic._server import in_debug
from pylive.version import __version__

ROOT = Path(__file__).resolve().parent.parent
CLI_DOC = ROOT / "docs" / "cli.md"


def help_of(*command: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "pylive", *command, "--help"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
        env={"COLUMNS": "200", "PATH": ""},  # the width is fixed whatever the terminal
    )
    return result.stdout


def documented_blocks() -> dict[str, str]:
    """docs/cli.md's ``$ command`` text blocks: the command → what the page says it prints."""
    blocks = re.findall(r"```text\n\$ (.*?)\n(.*?)```", CLI_DOC.read_text(), re.S)
    return dict(blocks)


@pytest.mark.parametrize("command", [(), ("run",)], ids=["pylive", "run"])
def test_cli_docs_show_exactly_what_help_shows(command: tuple[str, ...]) -> None:
    shown = documented_blocks()[" ".join(["python -m pylive", *command, "--help"])]
    assert shown == help_of(*command)


def test_cli_every_option_has_help_and_says_its_default() -> None:
    run = build_parser()._subparsers._group_actions[0].choices["run"]  # type: ignore[union-attr]
    options = [action for action in run._actions if action.option_strings]
    assert [action.option_strings[0] for action in options] == [
        "-h",
        "--host",
        "--port",
        "--reload",
        "--workers",
        "--debug",
    ]
    for action in options[1:]:
        assert action.help and "(default: " in action.help, action


def test_cli_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pylive", "--version"], capture_output=True, text=True, timeout=30
    )
    assert (result.returncode, result.stdout) == (0, f"pylive {__version__}\n")
    assert __version__ == "0.1.0"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_cli_run_prints_version_app_and_url_then_serves() -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "pylive", "run", "gallery.app:app", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        assert first == f"pylive {__version__} serving gallery.app:app on http://127.0.0.1:{port}\n"
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server never answered"
                time.sleep(0.1)
        assert response.status_code == 200
    finally:
        server.kill()  # how it stops is not this test's concern
        server.wait(10)
        if server.stdout is not None:
            server.stdout.close()


def test_cli_debug_puts_the_app_in_debug_mode() -> None:
    """``--debug`` (``serve(debug=True)``) turns on ``App.debug``: the render check of hooks and
    the server timing on replies, besides Sanic's debug logs."""
    app = App()
    assert in_debug(app, False) is app and app.debug is False
    assert in_debug(app, True) is app and app.debug is True
