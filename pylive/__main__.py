"""``python -m pylive run module:app [--host H] [--port P] [--reload] [--workers N]``."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pylive", description="Serve a pylive app.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="serve an App, e.g. `python -m pylive run myapp:app`")
    run.add_argument("app", help="the App to serve, as module:attribute")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--reload", action="store_true", help="restart when source files change")
    run.add_argument("--workers", type=int, default=1, help="server processes (default 1)")
    run.add_argument("--debug", action="store_true")
    args = parser.parse_args(argv)
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
