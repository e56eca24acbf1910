"""pylive as one more column of the shared peer harness (``../shared/peers/bench.py``).

The harness is imported, not copied: ``PyliveSession`` speaks pylive's protocol (GET the page →
CSRF token, cookie and join token → websocket → ``join`` → ``event`` frames), is registered as
``harness.PEERS["pylive"]``, and ``harness.main()`` runs — so pylive is measured by exactly the
same phases, counting rules, client counts and RSS method (psutil, process + children) as the
peers. The update of a click is the frame carrying the click's ``ref`` (``{"ref":N,"ops":[…]}``);
an error answer (rate limit, crash) raises instead of being counted.

Usage (from the repository root; the harness needs ``websockets`` and ``psutil``: the peers'
``venv-bench`` has both, the repo venv has websockets and psutil is replaced by a /proc reader
with psutil's definition of RSS when it is missing)::

    B=~/.cache/pylive-peers/venv-bench/bin/python
    $B bench/pylive_peer.py --port 8105 --open-concurrency 1 [--json out.json] [--only ...]
    $B bench/pylive_peer.py --fast ...     # S2 as a stream (bench.apps:app_fast)
    $B bench/pylive_peer.py --s1-rss ...   # the harness's RSS phase with S1 (counter) sessions
    uv run python bench/pylive_peer.py --quick   # pylive alone, 1 s settles, ends with BENCH

Without ``--server-cmd`` the server is ``<repo>/.venv/bin/python -m pylive run bench.apps:app
--port {port}`` in ``<repo>``. The harness is found at ``<repo>/../shared/peers`` or
``$PYLIVE_PEERS_DIR``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
import types
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PEERS_DIR = Path(os.environ.get("PYLIVE_PEERS_DIR") or REPO.parent / "shared" / "peers")
sys.path.insert(0, str(HERE))

from _client import aget_page, event_frame, join_frame, reply_for, ws_connect  # noqa: E402


def _proc_psutil() -> types.ModuleType:
    """psutil's ``Process(pid).memory_info().rss`` and ``.children(recursive=True)`` from /proc.

    psutil reads RSS on Linux as ``/proc/<pid>/statm`` resident pages × page size; so does this.
    """
    page = os.sysconf("SC_PAGE_SIZE")

    class MemInfo:
        def __init__(self, rss: int) -> None:
            self.rss = rss

    class Process:
        def __init__(self, pid: int) -> None:
            self.pid = pid

        def memory_info(self) -> MemInfo:
            with open(f"/proc/{self.pid}/statm") as f:
                return MemInfo(int(f.read().split()[1]) * page)

        def children(self, recursive: bool = False) -> list[Process]:
            parents: dict[int, list[int]] = {}
            for entry in os.listdir("/proc"):
                if entry.isdigit():
                    try:
                        with open(f"/proc/{entry}/stat") as f:
                            stat = f.read()
                    except OSError:
                        continue
                    ppid = int(stat.rsplit(")", 1)[1].split()[1])
                    parents.setdefault(ppid, []).append(int(entry))
            found, todo = [], list(parents.get(self.pid, []))
            while todo:
                pid = todo.pop()
                found.append(Process(pid))
                if recursive:
                    todo.extend(parents.get(pid, []))
            return found

    module = types.ModuleType("psutil")
    module.Process = Process  # type: ignore[attr-defined]
    module.__doc__ = "pylive bench: /proc stand-in for the two psutil calls the harness makes"
    return module


try:
    import psutil  # noqa: F401
except ImportError:
    sys.modules["psutil"] = _proc_psutil()

if not (PEERS_DIR / "bench.py").is_file():
    raise SystemExit(f"peer harness not found: {PEERS_DIR}/bench.py (set PYLIVE_PEERS_DIR)")
sys.path.insert(0, str(PEERS_DIR))
import bench as harness  # noqa: E402


class PyliveSession(harness.Session):  # type: ignore[misc]
    """pylive's protocol (docs/protocol.md) under the harness's counting rules."""

    async def open(self) -> PyliveSession:
        url = f"{self.base}/{self.scenario}"
        page = await aget_page(url)
        self.page_bytes = page.nbytes
        self.ws = await ws_connect(self.base, page)
        self.ref = 0
        await self.ws.send(join_frame(0, page.token, url))
        while True:
            msg = await asyncio.wait_for(self.ws.recv(), harness.WAIT)
            frame = reply_for(msg, 0)
            if frame is not None:
                if "tree" not in frame:
                    raise RuntimeError(f"join of {url} answered without a tree: {msg[:300]}")
                self.initial_ws_bytes = harness.wlen(msg)
                return self

    async def _send_action(self, action: str) -> int:
        self.ref += 1
        await self.ws.send(event_frame(self.ref, action))
        return self.ref

    async def _is_update(self, msg: Any, ref: int) -> bool:
        return reply_for(msg, ref) is not None


class PyliveS1Session(PyliveSession):
    """For the harness's RSS phase with counter sessions: opens ``/s1``, clicks ``inc``."""

    def __init__(self, base: str, scenario: str) -> None:
        super().__init__(base, "s1")

    async def _send_action(self, action: str) -> int:
        return await super()._send_action("inc")


harness.PEERS["pylive"] = PyliveSession


def server_cmd(fast: bool) -> str:
    python = REPO / ".venv" / "bin" / "python"
    target = "bench.apps:app_fast" if fast else "bench.apps:app"
    return f"{python} -m pylive run {target} --port {{port}}"


def server_args(port: int, cmd: str) -> argparse.Namespace:
    """What ``harness.Server`` reads from the harness's argument namespace."""
    return argparse.Namespace(
        peer="pylive",
        port=port,
        server_cmd=cmd,
        server_python=None,
        server_cwd=str(REPO),
        ready_path="/s1",
    )


# --- --s1-rss: the harness's RSS phase with idle counter sessions -------------------------------


def s1_rss(port: int, sessions: int, settle: float, open_conc: int, fast: bool) -> dict[str, Any]:
    server = harness.Server(server_args(port, server_cmd(fast)))
    try:
        server.start()
        base = f"http://{harness.HOST}:{port}"
        return asyncio.run(
            harness.phase_rss(PyliveS1Session, base, server, sessions, settle, open_conc)
        )
    finally:
        server.stop()


# --- --quick: pylive alone, 1 s settles, one BENCH line ----------------------------------------

QUICK = {
    "clients": 50,
    "clicks_per_client": 100,
    "single": 500,
    "s2_change": 200,
    "sessions": 200,
    "settle_s": 1.0,
}


async def fast_change_latency(base: str, n: int) -> dict[str, Any]:
    """The harness's 'extra' S2 change phase (5 warm-up clicks, then n), on its own."""
    s = await PyliveSession(base, "s2").open()
    for _ in range(5):
        await s.click("change")
    lat = []
    t0 = time.perf_counter()
    for _ in range(n):
        lat.append((await s.click("change"))[1])
    wall = time.perf_counter() - t0
    await s.close()
    return harness.summarize(lat, wall)


def quick(port: int) -> dict[str, Any]:
    q = QUICK
    base = f"http://{harness.HOST}:{port}"
    out: dict[str, Any] = {"quick": dict(q)}
    t0 = time.perf_counter()
    server = harness.Server(server_args(port, server_cmd(False)))
    try:
        server.start()
        out["bytes"] = asyncio.run(harness.phase_bytes(PyliveSession, base))
        out["lat"] = asyncio.run(
            harness.phase_latency(
                PyliveSession,
                base,
                clients_n=q["clients"],
                clicks_n=q["clicks_per_client"],
                single_n=q["single"],
                open_conc=1,
            )
        )
        server.stop()
        server.start()  # fresh server: the RSS baseline is not polluted by the other phases
        out["rss"] = asyncio.run(
            harness.phase_rss(PyliveSession, base, server, q["sessions"], q["settle_s"], 1)
        )
        server.stop()
        server.start()
        out["rss_s1"] = asyncio.run(
            harness.phase_rss(PyliveS1Session, base, server, q["sessions"], q["settle_s"], 1)
        )
        server.stop()
        fast = harness.Server(server_args(port, server_cmd(True)))
        try:
            fast.start()
            out["fast_lat"] = {
                "s2_change_1client": asyncio.run(fast_change_latency(base, q["s2_change"]))
            }
        finally:
            fast.stop()
    finally:
        server.stop()
    out["wall_s"] = round(time.perf_counter() - t0, 1)
    return out


def bench_line(r: dict[str, Any]) -> str:
    b, lat, c = r["bytes"], r["lat"], f"s1_{QUICK['clients']}clients"
    fields = {
        "s1_bytes": b["s1_inc"]["steady"],
        "s2_change_bytes": b["s2_change"]["steady"],
        "s2_append_bytes": b["s2_append"]["steady"],
        "s1_p50_ms": f"{lat['s1_1client']['p50_ms']:.3f}",
        "s1_eps": round(lat["s1_1client"]["events_per_s"]),
        "s1_50c_eps": round(lat[c]["events_per_s"]),
        "s1_50c_p99_ms": f"{lat[c]['p99_ms']:.3f}",
        "s2_change_p50_ms": f"{lat['s2_change_1client']['p50_ms']:.3f}",
        "s2_fast_change_p50_ms": f"{r['fast_lat']['s2_change_1client']['p50_ms']:.3f}",
        "rss_kib_s2": round(r["rss"]["per_session_kib"]),
        "rss_kib_s1": round(r["rss_s1"]["per_session_kib"]),
    }
    return "BENCH " + " ".join(f"{k}={v}" for k, v in fields.items())


def main() -> None:
    own = argparse.ArgumentParser(add_help=False)
    own.add_argument("--fast", action="store_true", help="serve bench.apps:app_fast")
    own.add_argument("--quick", action="store_true")
    own.add_argument("--s1-rss", action="store_true")
    mine, rest = own.parse_known_args()
    if mine.quick or mine.s1_rss:
        ap = argparse.ArgumentParser(description="pylive quick bench / S1 RSS phase")
        ap.add_argument("--port", type=int, default=8105)
        ap.add_argument("--sessions", type=int, default=200)
        ap.add_argument("--open-concurrency", type=int, default=1)
        ap.add_argument("--json")
        a = ap.parse_args(rest)
        if mine.quick:
            result = quick(a.port)
        else:
            result = {
                "peer": "pylive",
                "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
                "rss_s1": s1_rss(a.port, a.sessions, 3.0, a.open_concurrency, mine.fast),
            }
        if a.json:
            Path(a.json).write_text(json.dumps(result, indent=2))
        print(json.dumps(result, indent=2))
        if mine.quick:
            q = QUICK
            print(
                f"quick: pylive only; the harness's counts (1 client x {q['single']} S1 clicks, "
                f"{q['clients']} clients x {q['clicks_per_client']}, 1 client x "
                f"{q['s2_change']} S2 change, RSS over {q['sessions']} sessions) but "
                f"{q['settle_s']} s settle instead of 3 s; one run, not a median; "
                f"took {result['wall_s']} s"
            )
            print(bench_line(result))
        return
    argv = ["--peer", "pylive"] if "--peer" not in rest else []
    if "--server-cmd" not in rest and "--server-python" not in rest:
        argv += ["--server-cmd", server_cmd(mine.fast), "--server-cwd", str(REPO)]
    sys.argv = [sys.argv[0], *argv, *rest]
    harness.main()


if __name__ == "__main__":
    main()
