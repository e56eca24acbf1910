"""The command line: ``python -m pylive run module:app`` (``--help`` lists every option)."""

from __future__ import annotations

import argparse
import sys

from pylive.version import __version__

DESCRIPTION = "Serve pylive apps."
HELP_WIDTH = 88
"""Help is wrapped at a fixed width, so that docs/cli.md can show it exactly."""


class HelpFormatter(argparse.HelpFormatter):
    """Help wrapped at ``HELP_WIDTH`` columns, whatever the terminal."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=HELP_WIDTH)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pylive", description=DESCRIPTION, formatter_class=HelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"pylive {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    run = commands.add_parser(
        "run",
        help="serve an App, e.g. `python -m pylive run myapp:app`",
        description="Serve a pylive App over HTTP and its websocket, with Sanic.",
        formatter_class=HelpFormatter,
    )
    run.add_argument("app", help="the App to serve, as module:attribute (e.g. myapp:app)")
    run.add_argument(
        "--host", default="127.0.0.1", help="the address to listen on (default: %(default)s)"
    )
    run.add_argument(
        "--port", type=int, default=8000, help="the port to listen on (default: %(default)s)"
    )
    run.add_argument(
        "--reload",
        action="store_true",
        help="restart the server when a source file changes (default: off)",
    )
    run.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes; each holds its own live views (default: %(default)s)",
    )
    run.add_argument(
        "--debug",
        action="store_true",
        help="debug logs, tracebacks on error pages, and App(debug=True): every render's "
        "hooks checked, server timing on replies (default: off)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    sys.path.insert(0, ".")
    from pylive.sanic import serve

    serve(
        args.app,
        host=args.host,
        port=args.port,
        reload=args.reload,
        workers=args.workers,
        debug=args.debug,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
