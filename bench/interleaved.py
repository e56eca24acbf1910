"""The latency figures of the side-by-side table, measured interleaved: every server at once.

Why: the machine is shared and its load drifts by 2-3× within minutes, so the harness, which
measures one server after another, can hand one framework the quiet minutes and another the busy
ones (in the 2026-11-22 run pylive's S1 50-client events/s ranged 2221-9856 across three runs).
Here all servers run at the same time and one client process takes turns: round after round,
each server gets the same block of work, so drift hits all of them alike and the ratios hold.

The sessions are the harness's own classes (``../shared/peers/bench.py`` and
``bench/pylive_peer.py``), so the protocols and the counting rules (which message is "the
update") are exactly the harness's; sessions are opened one at a time (``--open-concurrency 1``).
Per round and server: S1, 1 client × ``--s1`` sequential clicks; S2 change, 1 client × ``--s2``
clicks; S1, 50 clients × ``--c50`` clicks each, all at once. Latencies are pooled over the rounds
(p50/p99); events/s is the median over the rounds' blocks. Bytes and memory are not affected by
load and are left to the harness.

    ~/.cache/pylive-peers/venv-bench/bin/python bench/interleaved.py [--rounds 6] [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pylive_peer  # imports the shared harness

harness = pylive_peer.harness
REPO = pylive_peer.REPO
PEERS_DIR = pylive_peer.PEERS_DIR
VENVS = Path(os.environ.get("PEERS", Path.home() / ".cache" / "pylive-peers"))


def servers() -> dict[str, tuple[type, argparse.Namespace]]:
    """name → (session class, harness.Server arguments), as run_all.sh starts them."""
    python = REPO / ".venv" / "bin" / "python"
    apps = PEERS_DIR / "apps"

    def args(port: int, cmd: str | None, cwd: Path, python: Path | None = None, ready: str = "/s1"):
        # harness.Server runs apps/<peer>_app.py when there is no command: peer names the app
        peer = {8133: "pyview", 8134: "reactpy", 8135: "nicegui"}.get(port, f"interleaved{port}")
        return argparse.Namespace(
            peer=peer, port=port, server_cmd=cmd, server_python=python,
            server_cwd=str(cwd), ready_path=ready,
        )  # fmt: skip

    reflex = (
        f"env REFLEX_TELEMETRY_ENABLED=false {VENVS}/venv-reflex/bin/reflex run --backend-only "
        "--backend-host 127.0.0.1 --backend-port {port} --env prod"
    )
    bench_py = VENVS / "venv-bench" / "bin" / "python"
    return {
        "pylive": (
            pylive_peer.PyliveSession,
            args(8131, f"{python} -m pylive run bench.apps:app --port {{port}}", REPO),
        ),
        "pylive_fast": (
            pylive_peer.PyliveSession,
            args(8132, f"{python} -m pylive run bench.apps:app_fast --port {{port}}", REPO),
        ),
        "pyview": (harness.PyViewSession, args(8133, None, apps, VENVS / "venv-pyview/bin/python")),
        "reactpy": (
            harness.ReactPySession,
            args(8134, None, apps, VENVS / "venv-reactpy/bin/python"),
        ),
        "nicegui": (
            harness.NiceGUISession,
            args(8135, None, apps, VENVS / "venv-nicegui/bin/python"),
        ),
        "reflex": (harness.ReflexSession, args(8136, reflex, apps / "reflex_app", ready="/ping")),
        "generic": (
            harness.GenericSession,
            args(8137, f"{bench_py} generic_stub_app.py {{port}}", apps),
        ),
        "sanic_floor": (
            harness.GenericSession,
            args(8138, f"{python} bench/sanic_floor.py {{port}}", REPO),
        ),
    }


def tree_pids(pid: int) -> list[int]:
    """``pid`` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def cpu_ns(pids: list[int]) -> int:
    """CPU time of every thread of ``pids`` so far, in ns (/proc/<pid>/task/<tid>/schedstat)."""
    total = 0
    for pid in pids:
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                    total += int(f.read().split()[0])
        except OSError:
            continue  # a thread or process that just ended
    return total


async def answer_pings(sessions: list[Any]) -> None:
    """Answer the Engine.IO pings (``2`` → ``3``) that idle NiceGUI/Reflex sockets received.

    The harness answers a ping only while it waits for a click's update; a socket left idle for
    longer than the server's ping interval + timeout while the other servers take their turn is
    closed by the server (NiceGUI 3.18: 4 s + 2 s, from its 3 s ``reconnect_timeout``), so this
    runs between every two blocks. Other messages waiting on an idle socket are dropped.
    """
    for s in sessions:
        for _ in range(100):  # bounded: a few pings at most are pending
            try:
                msg = await asyncio.wait_for(s.ws.recv(), 0.001)
            except TimeoutError:
                break
            if msg == "2":
                await s.ws.send("3")


async def run(
    targets: dict[str, tuple[type, str]], pids: dict[str, list[int]], a: argparse.Namespace
) -> dict[str, Any]:
    s1, s2, many = {}, {}, {}
    pinged: list[Any] = []  # the Engine.IO sockets (NiceGUI, Reflex) that must answer pings

    async def open_session(name: str, cls: type, base: str, scenario: str) -> Any:
        session = await cls(base, scenario).open()
        if name in ("nicegui", "reflex"):
            pinged.append(session)
        await answer_pings(pinged)
        return session

    for name, (cls, base) in targets.items():
        s1[name] = await open_session(name, cls, base, "s1")
        for _ in range(20):
            await s1[name].click("inc")
        s2[name] = await open_session(name, cls, base, "s2")
        for _ in range(5):
            await s2[name].click("change")
        if name != "pylive_fast":  # S1 is the same app code in both pylive columns
            many[name] = [await open_session(name, cls, base, "s1") for _ in range(a.clients)]
            for s in many[name]:
                await s.click("inc")
    lat: dict[str, dict[str, list[float]]] = {n: {} for n in targets}
    eps: dict[str, dict[str, list[float]]] = {n: {} for n in targets}

    cpu: dict[str, dict[str, int]] = {n: {} for n in targets}

    def record(name: str, phase: str, times: list[float], wall: float, ns: int) -> None:
        lat[name].setdefault(phase, []).extend(times)
        eps[name].setdefault(phase, []).append(len(times) / wall)
        cpu[name][phase] = cpu[name].get(phase, 0) + ns

    for round_no in range(a.rounds):
        for name in targets:
            await answer_pings(pinged)
            where = f"round {round_no + 1}, {name}"
            for phase, session, action, n in (
                ("s1_1client", s1[name], "inc", a.s1),
                ("s2_change_1client", s2[name], "change", a.s2),
            ):
                await answer_pings(pinged)
                times = []
                c0 = cpu_ns(pids[name])
                t0 = time.perf_counter()
                try:
                    for _ in range(n):
                        times.append((await session.click(action))[1])
                except Exception as error:
                    raise RuntimeError(f"{where}, {phase}: {error!r}") from error
                wall = time.perf_counter() - t0
                record(name, phase, times, wall, cpu_ns(pids[name]) - c0)
            if name in many:
                await answer_pings(pinged)
                times = []

                async def worker(s: Any, times: list[float] = times, where: str = where) -> None:
                    try:
                        for _ in range(a.c50):
                            times.append((await s.click("inc"))[1])
                    except Exception as error:
                        raise RuntimeError(f"{where}, {a.clients} clients: {error!r}") from error

                c0 = cpu_ns(pids[name])
                t0 = time.perf_counter()
                await asyncio.gather(*(worker(s) for s in many[name]))
                wall = time.perf_counter() - t0
                record(name, f"s1_{a.clients}clients", times, wall, cpu_ns(pids[name]) - c0)
    for name in targets:
        for s in [s1[name], s2[name], *many.get(name, [])]:
            await s.close()
    out: dict[str, Any] = {}
    for name in targets:
        out[name] = {
            phase: {
                "n": len(times),
                "p50_ms": round(harness.pct(times, 50) * 1e3, 3),
                "p99_ms": round(harness.pct(times, 99) * 1e3, 3),
                "events_per_s": round(statistics.median(eps[name][phase]), 1),
                "events_per_s_min": round(min(eps[name][phase]), 1),
                "events_per_s_max": round(max(eps[name][phase]), 1),
                "server_cpu_us_per_event": round(cpu[name][phase] / len(times) / 1e3, 1),
            }
            for phase, times in lat[name].items()
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--s1", type=int, default=200, help="S1 clicks per round, 1 client")
    ap.add_argument("--s2", type=int, default=30, help="S2 change clicks per round, 1 client")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--c50", type=int, default=20, help="clicks per client per round, 50 clients")
    ap.add_argument("--only", help="comma-separated server names (default: all)")
    ap.add_argument("--json")
    a = ap.parse_args()
    chosen = servers()
    if a.only:
        chosen = {k: v for k, v in chosen.items() if k in a.only.split(",")}
    started = []
    targets: dict[str, tuple[type, str]] = {}
    pids: dict[str, list[int]] = {}
    t0 = time.perf_counter()
    try:
        for name, (cls, args) in chosen.items():
            server = harness.Server(args)
            server.start()
            started.append(server)
            targets[name] = (cls, f"http://{harness.HOST}:{args.port}")
        for name, server in zip(targets, started, strict=True):
            pids[name] = tree_pids(server.proc.pid)  # reflex: CLI + worker processes
        result = asyncio.run(run(targets, pids, a))
    finally:
        for server in started:
            server.stop()
    result["_meta"] = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "rounds": a.rounds, "s1": a.s1, "s2": a.s2, "clients": a.clients, "c50": a.c50,
        "wall_s": round(time.perf_counter() - t0, 1),
    }  # fmt: skip
    if a.json:
        Path(a.json).write_text(json.dumps(result, indent=2))
    c = f"s1_{a.clients}clients"
    print(f"{'server':<12} {'S1 1c eps':>10} {'S1 1c p50':>10} {'S1 50c eps':>11} "
          f"{'S1 50c p99':>11} {'S2 chg p50':>11} {'CPU us/S1':>10} {'CPU us/S2':>10}")  # fmt: skip
    for name in targets:
        r = result[name]
        many = r.get(c)
        print(
            f"{name:<12} {r['s1_1client']['events_per_s']:>10.0f} "
            f"{r['s1_1client']['p50_ms']:>10.3f} "
            f"{many['events_per_s'] if many else float('nan'):>11.0f} "
            f"{many['p99_ms'] if many else float('nan'):>11.2f} "
            f"{r['s2_change_1client']['p50_ms']:>11.3f} "
            f"{r['s1_1client']['server_cpu_us_per_event']:>10.1f} "
            f"{r['s2_change_1client']['server_cpu_us_per_event']:>10.1f}"
        )


if __name__ == "__main__":
    main()
