"""A real ``redis-server`` for tests: on a free loopback port, no persistence, always stopped.

::

    from pylive.testing.redis_server import RedisServer

    with RedisServer() as redis:
        app = App(pubsub=RedisPubSub(redis.url))
        ...
        redis.stop()        # Redis gone (the hub notices, retries)
        redis.start()       # back on the same port

The binary is ``$PYLIVE_REDIS_SERVER`` or ``redis-server`` on ``PATH`` (Debian's package
``redis-server``; ``scripts/setup --e2e`` installs it). ``clients()`` counts the connections
Redis has (the caller's own ``redis-cli`` probe excluded).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from types import TracebackType

from pylive.testing._ports import HOST, free_port

WAIT = 10.0


def redis_server_binary() -> str:
    """The path of ``redis-server``, or a ``RuntimeError`` saying how to install it."""
    found = os.environ.get("PYLIVE_REDIS_SERVER") or shutil.which("redis-server")
    if not found:
        raise RuntimeError(
            "redis-server is not installed: `apt-get install -y --no-install-recommends "
            "redis-server` (or scripts/setup --e2e), or set $PYLIVE_REDIS_SERVER"
        )
    return found


class RedisServer:
    """One ``redis-server`` process on loopback; ``start``/``stop`` may repeat (same port)."""

    def __init__(self, port: int = 0) -> None:
        self.port = port or free_port()
        self.url = f"redis://{HOST}:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> RedisServer:
        if self.process is not None:
            return self
        self.process = subprocess.Popen(
            [
                redis_server_binary(),
                "--port",
                str(self.port),
                "--bind",
                HOST,
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited at once (port {self.port} taken?)")
            if self.command("PING") == "+PONG":
                return self
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"redis-server did not answer on port {self.port} within {WAIT} s")

    def stop(self) -> None:
        """Kill it (SIGKILL: its clients see the connection drop, as in a crash)."""
        process, self.process = self.process, None
        if process is not None:
            process.kill()
            process.wait(WAIT)

    def command(self, *words: str) -> str:
        """Send one command and return its reply: a status or integer line (``+OK``, ``:2``),
        a bulk string's text, or "" if Redis does not answer."""
        request = b"*%d\r\n" % len(words) + b"".join(
            b"$%d\r\n%s\r\n" % (len(word.encode()), word.encode()) for word in words
        )
        try:
            with socket.create_connection((HOST, self.port), timeout=1.0) as conn:
                conn.sendall(request)
                reply = b""
                while not reply.endswith(b"\r\n"):
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    reply += chunk
                if reply.startswith(b"$"):  # a bulk string: its length, then its bytes
                    size = int(reply[1 : reply.index(b"\r\n")])
                    head = reply.index(b"\r\n") + 2
                    while len(reply) < head + size + 2:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        reply += chunk
                    return reply[head : head + size].decode()
                return reply.decode().rstrip("\r\n")
        except OSError:
            return ""

    def clients(self) -> int:
        """Connections Redis has now, not counting this probe's own."""
        info = self.command("INFO", "clients")
        for line in info.splitlines():
            if line.startswith("connected_clients:"):
                return int(line.split(":", 1)[1]) - 1
        raise RuntimeError(f"redis-server did not answer INFO clients: {info!r}")

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


__all__ = ["RedisServer", "redis_server_binary"]
