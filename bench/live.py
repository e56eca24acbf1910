"""Live figures of the counter (issue 3): round trip, throughput, bytes and memory per session.

Run: ``uv run python bench/live.py`` (``--json FILE`` to keep the numbers). Self-contained: the
server is ``python -m pylive run bench.apps:app`` in a subprocess on a loopback port, the clients
are in this process and speak the real protocol over the real websocket (``bench/_client.py``:
HTTP page → CSRF cookie + join token → websocket → join → click events).

- round trip: time from sending a click frame to receiving the frame with its ``ref``;
  1 client × 500 sequential clicks (after 20 warm-up clicks), then 50 clients opened one at a time
  and clicking concurrently, 100 sequential clicks each; events/s = clicks / wall time;
- bytes per update: payload of the reply to the third click (the first ones are not special in
  pylive, but the peer harness counts the third);
- RSS per connected counter session: VmRSS of the server (``/proc/<pid>/status``) after one
  warm-up session and a settle, then after opening 200 counter sessions (page + websocket + join,
  kept open and idle) and a settle; (after − before) / 200. One click on the last session proves
  they are all still live.

Client and server share the machine's cores, so these are "loopback on one box" figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from typing import Any

from _client import HOST, Client, pct, start_server, stop_server, vmrss_kib


def summary(lat: list[float], wall: float) -> dict[str, Any]:
    return {
        "n": len(lat),
        "p50_ms": round(pct(lat, 50) * 1e3, 3),
        "p99_ms": round(pct(lat, 99) * 1e3, 3),
        "mean_ms": round(statistics.mean(lat) * 1e3, 3),
        "events_per_s": round(len(lat) / wall, 1),
    }


async def latency(base: str, clients: int, clicks: int, single: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    c = await Client(base, "/s1").open()
    sizes = [(await c.click("inc"))[0] for _ in range(3)]
    out["s1_update_bytes"] = sizes[-1]
    out["s1_page_bytes"] = c.page_bytes
    out["s1_join_bytes"] = c.join_bytes
    for _ in range(20):
        await c.click("inc")
    lat = []
    t0 = time.perf_counter()
    for _ in range(single):
        lat.append((await c.click("inc"))[1])
    out["1client"] = summary(lat, time.perf_counter() - t0)
    await c.close()

    many = [await Client(base, "/s1").open() for _ in range(clients)]
    for c in many:
        await c.click("inc")
    all_lat: list[float] = []

    async def worker(c: Client) -> None:
        for _ in range(clicks):
            all_lat.append((await c.click("inc"))[1])

    t0 = time.perf_counter()
    await asyncio.gather(*(worker(c) for c in many))
    out[f"{clients}clients"] = summary(all_lat, time.perf_counter() - t0)
    await asyncio.gather(*(c.close() for c in many))
    return out


async def memory(base: str, pid: int, sessions: int, settle: float) -> dict[str, Any]:
    warm = await Client(base, "/s1").open()
    await warm.click("inc")
    await warm.close()
    await asyncio.sleep(settle)
    before = vmrss_kib(pid)
    t0 = time.perf_counter()
    opened = [await Client(base, "/s1").open() for _ in range(sessions)]
    open_s = time.perf_counter() - t0
    await asyncio.sleep(settle)
    await opened[-1].click("inc")
    after = vmrss_kib(pid)
    await asyncio.gather(*(c.close() for c in opened))
    return {
        "sessions": sessions,
        "open_all_s": round(open_s, 2),
        "rss_before_kib": before,
        "rss_after_kib": after,
        "per_session_kib": round((after - before) / sessions, 1),
    }


def run(port: int, clients: int, clicks: int, single: int, sessions: int, settle: float) -> Any:
    base = f"http://{HOST}:{port}"
    result: dict[str, Any] = {"date": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
    proc = start_server("bench.apps:app", port)
    try:
        result.update(asyncio.run(latency(base, clients, clicks, single)))
    finally:
        stop_server(proc)
    proc = start_server("bench.apps:app", port)  # fresh server for an unpolluted baseline
    try:
        result["rss"] = asyncio.run(memory(base, proc.pid, sessions, settle))
    finally:
        stop_server(proc)
    return result


def table(r: dict[str, Any], clients: int) -> str:
    one, many, rss = r["1client"], r[f"{clients}clients"], r["rss"]
    rows = [
        (
            "counter round trip, 1 client: p50 / p99",
            f"{one['p50_ms']:.2f} / {one['p99_ms']:.2f} ms",
        ),
        ("counter, 1 client: events/s", f"{one['events_per_s']:.0f}"),
        (
            f"counter round trip, {clients} clients: p50 / p99",
            f"{many['p50_ms']:.2f} / {many['p99_ms']:.2f} ms",
        ),
        (f"counter, {clients} clients: events/s", f"{many['events_per_s']:.0f}"),
        ("bytes per counter update (websocket payload)", f"{r['s1_update_bytes']}"),
        ("counter page (HTTP) / join reply bytes", f"{r['s1_page_bytes']} / {r['s1_join_bytes']}"),
        (
            f"RSS per connected counter session ({rss['sessions']} sessions)",
            f"{rss['per_session_kib']:.1f} KiB "
            f"({rss['rss_before_kib']} → {rss['rss_after_kib']} KiB)",
        ),
    ]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--port", type=int, default=8120)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--clicks", type=int, default=100, help="clicks per client, concurrent phase")
    ap.add_argument("--single", type=int, default=500, help="clicks of the 1-client phase")
    ap.add_argument("--sessions", type=int, default=200)
    ap.add_argument("--settle", type=float, default=3.0, help="seconds before each RSS reading")
    ap.add_argument("--json")
    a = ap.parse_args()
    r = run(a.port, a.clients, a.clicks, a.single, a.sessions, a.settle)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(r, f, indent=2)
    print(table(r, a.clients))


if __name__ == "__main__":
    main()
