"""How the cost of an update grows with the list, and how long the server takes to start.

Run: ``uv run python bench/scaling.py`` (``--only scaling`` or ``--only cold``; ``--json FILE``).

**Scaling.** The S2 list (``bench/apps.py``) at 100, 1,000 and 10,000 rows, both ways — obvious
(a comprehension of keyed rows) and fast (a stream) — served by
``python -m pylive run bench.scaling:app`` in a subprocess and driven over the real websocket by
one client (``bench/_client.py``). Per list: HTTP page and join reply bytes, then ``change`` (row
n/2 value += 1) and ``append`` (one row): websocket payload bytes of the reply to the third click,
and round-trip p50/p99 over ``--clicks`` clicks after 3 warm-up clicks. Appends grow the list by
``--clicks`` + 3 rows, a negligible change at these sizes.

**Cold start.** Wall time from spawning ``python -m pylive run bench.apps:app --port P`` to the
first HTTP 200 on ``/s1`` (polled every 5 ms), ``--cold-runs`` times; with, for context, the time
of ``python -c pass`` and of ``python -c "import pylive.sanic"`` (the import cost of the server).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(1, os.path.dirname(HERE))  # the repository root, for ``bench.apps``

from _client import (  # noqa: E402
    HOST,
    Client,
    pct,
    repo_root,
    start_server,
    stop_server,
    wait_http,
)

from bench.apps import Counter, Rows, StreamRows  # noqa: E402
from pylive import App  # noqa: E402

SIZES = (100, 1_000, 10_000)


def make_scaling_app() -> App:
    from bench.apps import LIMITS, SECRET

    application = App(secret_key=SECRET, limits=LIMITS, title="pylive scaling")
    application.live("/s1", Counter)
    for n in SIZES:
        for way, base in (("obvious", Rows), ("fast", StreamRows)):
            view = type(f"{base.__name__}{n}", (base,), {"rows": n, "changed": n // 2})
            application.live(f"/{way}/{n}", view)
    return application


app = make_scaling_app()


async def one_list(base: str, path: str, clicks: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    c = await Client(base, path).open()
    out: dict[str, Any] = {
        "open_ms": round((time.perf_counter() - t0) * 1e3, 1),
        "page_bytes": c.page_bytes,
        "join_bytes": c.join_bytes,
    }
    for action in ("change", "append"):
        sizes = [(await c.click(action))[0] for _ in range(3)]
        lat = [(await c.click(action))[1] for _ in range(clicks)]
        out[action] = {
            "bytes": sizes[-1],
            "p50_ms": round(pct(lat, 50) * 1e3, 3),
            "p99_ms": round(pct(lat, 99) * 1e3, 3),
        }
    await c.close()
    return out


def scaling(port: int, clicks: int) -> dict[str, Any]:
    base = f"http://{HOST}:{port}"
    proc = start_server("bench.scaling:app", port)
    try:

        async def all_lists() -> dict[str, Any]:
            return {
                f"{way}/{n}": await one_list(base, f"/{way}/{n}", clicks)
                for way in ("obvious", "fast")
                for n in SIZES
            }

        return asyncio.run(all_lists())
    finally:
        stop_server(proc)


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=repo_root(), check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def cold_start(port: int, runs: int) -> dict[str, Any]:
    python = str(repo_root() / ".venv" / "bin" / "python")
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [python, "-m", "pylive", "run", "bench.apps:app", "--port", str(port)],
            cwd=repo_root(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_http(proc, f"http://{HOST}:{port}/s1", 30, step=0.005)
            times.append(time.perf_counter() - t0)
        finally:
            stop_server(proc)
    bare = [timed([python, "-c", "pass"]) for _ in range(runs)]
    imports = [timed([python, "-c", "import pylive.sanic"]) for _ in range(runs)]
    return {
        "runs": runs,
        "to_first_200_s": [round(t, 3) for t in times],
        "min_s": round(min(times), 3),
        "median_s": round(sorted(times)[len(times) // 2], 3),
        "python_c_pass_min_s": round(min(bare), 3),
        "import_pylive_sanic_min_s": round(min(imports), 3),
    }


def print_scaling(r: dict[str, Any]) -> None:
    print(
        "| rows | way | page bytes | join bytes | change bytes | change p50 / p99 ms "
        "| append bytes | append p50 / p99 ms |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for way in ("obvious", "fast"):
        for n in SIZES:
            x = r[f"{way}/{n}"]
            ch, ap = x["change"], x["append"]
            print(
                f"| {n:,} | {way} | {x['page_bytes']:,} | {x['join_bytes']:,} | {ch['bytes']} "
                f"| {ch['p50_ms']:.2f} / {ch['p99_ms']:.2f} | {ap['bytes']} "
                f"| {ap['p50_ms']:.2f} / {ap['p99_ms']:.2f} |"
            )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--port", type=int, default=8121)
    ap.add_argument("--clicks", type=int, default=50)
    ap.add_argument("--cold-runs", type=int, default=5)
    ap.add_argument("--only", choices=("scaling", "cold"))
    ap.add_argument("--json")
    a = ap.parse_args()
    result: dict[str, Any] = {"date": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
    if a.only in (None, "scaling"):
        result["scaling"] = scaling(a.port, a.clicks)
        print_scaling(result["scaling"])
    if a.only in (None, "cold"):
        result["cold"] = c = cold_start(a.port, a.cold_runs)
        print(
            f"\ncold start, `python -m pylive run` to first HTTP 200: min {c['min_s']:.3f} s, "
            f"median {c['median_s']:.3f} s over {c['runs']} runs {c['to_first_200_s']}; "
            f"`python -c pass` {c['python_c_pass_min_s']:.3f} s, "
            f"`import pylive.sanic` {c['import_pylive_sanic_min_s']:.3f} s"
        )
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
