"""An app served by ``python -m pylive run`` in its own processes, for tests that need what a
deployment has: several ``--workers``, a server that can be killed, its log.

::

    with AppProcess("myapp:app", workers=2, env={"PYLIVE_REDIS_URL": redis.url}) as server:
        page.goto(server.url + "/")

It listens on a free loopback port, is ready once every worker is, and is stopped (SIGTERM,
then SIGKILL after ``stop_timeout``) when the block ends.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import weakref
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from pylive.testing._ports import HOST, free_port


class AppProcess:
    """``python -m pylive run TARGET --workers N`` on a free loopback port."""

    def __init__(
        self,
        target: str,
        *,
        workers: int = 1,
        cwd: str | Path | None = None,
        env: dict[str, str] | None = None,
        start_timeout: float = 60.0,
        stop_timeout: float = 20.0,
    ) -> None:
        self.target = target
        self.workers = workers
        self.cwd = cwd
        self.env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        fd, log_path = tempfile.mkstemp(prefix="pylive-app-", suffix=".log")
        self.log_path = Path(log_path)
        """What the server prints; readable after it stopped, removed with this object."""
        self._log: BinaryIO | None = os.fdopen(fd, "wb")
        weakref.finalize(self, self.log_path.unlink, missing_ok=True)
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> AppProcess:
        command = [sys.executable, "-m", "pylive", "run", self.target, "--port", str(self.port)]
        if self._log is None:  # started again after a stop: the same log, appended to
            self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [*command, "--workers", str(self.workers)],
            cwd=self.cwd,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            # every worker up: Sanic's manager does not stop on a SIGTERM while one still boots
            if self.workers == 1 or self.log_text().count("Worker ready") >= self.workers:
                try:
                    with urllib.request.urlopen(self.url + "/", timeout=5):
                        return self
                except urllib.error.HTTPError:  # it answers: a 404 at / is still an answer
                    return self
                except OSError:
                    pass
            time.sleep(0.1)
        log = self.log_text()
        self.stop()
        raise RuntimeError(f"{self.target} did not start on {self.url}: {log[-2000:]}")

    def log_text(self) -> str:
        """What the server printed so far (stdout and stderr)."""
        if self._log is not None:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(self.stop_timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        log, self._log = self._log, None
        if log is not None:
            log.close()

    def __enter__(self) -> AppProcess:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
