"""The long reliability runs (plan rows D1, D2, D5, D9, D10, D11, C2, C4, and P3 at 10,000
examples), too long for ``scripts/test``: ``scripts/soak [--quick] [--only D2,D9]``.

Each prints one line, ``SOAK <id> <what>: <figures> PASS`` (or ``FAIL``), and the run exits 1 if
any failed. ``--quick`` scales every run down so that all of them finish in under 5 minutes.
Loopback only; every server started is stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from _wire import HOST, Canary, ServerProcess, Session, flood, free_port  # noqa: E402

MANY = {"websocket_connects_per_second": 1e6, "websocket_connect_burst": 10**6,
        "max_connections_per_ip": 0}  # fmt: skip
"""The load comes from one address: lift the per-address limits for it."""
results: list[bool] = []


def report(row: str, what: str, figures: str, ok: bool) -> None:
    results.append(ok)
    print(f"SOAK {row} {what}: {figures} {'PASS' if ok else 'FAIL'}", flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("nan")


async def open_many(base: str, n: int, path: str = "/") -> list[Session]:
    sessions: list[Session] = []
    while len(sessions) < n:
        batch = min(50, n - len(sessions))
        sessions += await asyncio.gather(*(Session.open(base, path) for _ in range(batch)))
    return sessions


# -- D1: idle and slow connections -------------------------------------------------------------


async def d1(quick: bool) -> None:
    n_idle, n_partial = (500, 50) if quick else (2000, 200)
    with ServerProcess(MANY) as server:
        canary = await Canary(server.url, n=10).start()
        canary.reset()

        async def closed(reader: asyncio.StreamReader, opened: float) -> tuple[float, bytes]:
            """Seconds from this connection's opening to its closing by the server, and what
            the server wrote before it closed."""
            data = await asyncio.wait_for(reader.read(), 30)
            return time.monotonic() - opened, data

        waits = []
        writers = []
        for _ in range(n_idle):
            reader, writer = await asyncio.open_connection(HOST, server.port)
            waits.append(asyncio.create_task(closed(reader, time.monotonic())))
            writers.append(writer)
        idle_waits, waits = waits, []
        for _ in range(n_partial):
            reader, writer = await asyncio.open_connection(HOST, server.port)
            writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n")
            waits.append(asyncio.create_task(closed(reader, time.monotonic())))
            writers.append(writer)
        big_reader, big_writer = await asyncio.open_connection(HOST, server.port)
        headers = "".join(f"X-H{i}: {i}\r\n" for i in range(2000))
        big_writer.write(f"GET /live HTTP/1.1\r\nHost: x\r\n{headers}\r\n".encode())
        idle_closed = await asyncio.gather(*idle_waits)
        partial_closed = await asyncio.gather(*waits)
        _, big = await closed(big_reader, time.monotonic())
        for writer in [*writers, big_writer]:
            writer.close()
        await canary.stop()
        idle_s = max(t for t, _ in idle_closed)
        partial_s = max(t for t, _ in partial_closed)
        ok = (  # the timeouts are checked every 2.5 s (half the shortest): that is the margin
            idle_s <= 5 + 2.5 + 0.5
            and partial_s <= 10 + 2.5 + 0.5
            and all(d.startswith(b"HTTP/1.1 408") for _, d in partial_closed)
            and big[:12] in (b"HTTP/1.1 413", b"HTTP/1.1 431", b"HTTP/1.1 400")
            and not canary.failures
            and canary.p99() < 50
        )
        report("D1", f"{n_idle} idle + {n_partial} half-sent connections, a 2,000-header upgrade",
               f"idle closed by {idle_s:.1f} s, half-sent 408 by {partial_s:.1f} s, "
               f"big {big[:12].decode()!r}, canary p99 {canary.p99():.1f} ms", ok)  # fmt: skip


# -- D2: churn ---------------------------------------------------------------------------------


async def d2(quick: bool) -> None:
    rounds, per_round = (5, 200) if quick else (10, 1000)
    with ServerProcess(MANY) as server:
        baseline = server.stats()
        rss: list[int] = []
        for _ in range(rounds):
            for sessions in [await open_many(server.url, 50) for _ in range(per_round // 50)]:
                for session in sessions:
                    await session.close()
            await asyncio.sleep(3)  # past Sanic's retention of a closed connection (2.5 s here)
            rss.append(server.rss_kib())
        after = server.stats()
        grown = (rss[-1] - rss[1]) / rss[1] * 100
        ok = grown <= 10 and (after["tasks"], after["connections"], after["views"]) == (
            baseline["tasks"],
            0,
            0,
        )
        report("D2", f"{rounds} rounds x {per_round} connect-join-leave",
               f"RSS round 2 {rss[1] / 1024:.1f} MiB, round {rounds} {rss[-1] / 1024:.1f} MiB "
               f"({grown:+.1f} %), tasks {after['tasks']}/{baseline['tasks']}, "
               f"connections {after['connections']}, views {after['views']}", ok)  # fmt: skip


# -- D9 / D11: steady load and soak --------------------------------------------------------------


async def steady(base: str, sessions: list[Session], rate: float, seconds: float) -> dict[str, Any]:
    times: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + seconds

    async def one(session: Session, offset: float) -> None:
        await asyncio.sleep(offset)
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                reply = await session.click()
                if "ops" not in reply:
                    errors.append(repr(reply))
            except Exception as error:
                errors.append(repr(error))
                return
            times.append((time.perf_counter() - start) * 1000)
            await asyncio.sleep(max(0.0, 1 / rate - (time.perf_counter() - start)))

    n = len(sessions)
    await asyncio.gather(*(one(s, i / n / rate) for i, s in enumerate(sessions)))
    return {"times": times, "errors": errors}


async def d9(quick: bool) -> None:
    n, seconds = (200, 10) if quick else (1000, 60)
    with ServerProcess(MANY) as server:
        sessions = await open_many(server.url, n)
        result = await steady(server.url, sessions, 2.0, seconds)
        for session in sessions:
            await session.close()
        p99 = percentile(result["times"], 0.99)
        ok = not result["errors"] and p99 < 50
        p50 = statistics.median(result["times"])
        report("D9", f"{n} sessions x 2 events/s x {seconds} s",
               f"{len(result['times'])} events, {len(result['errors'])} errors, "
               f"p50 {p50:.1f} ms, p99 {p99:.1f} ms", ok)  # fmt: skip


async def d10(quick: bool) -> None:
    """Ramp the offered load until p99 passes 100 ms: the events/s where it did."""
    with ServerProcess({**MANY, "events_per_second": 1e6, "event_burst": 10**6}) as server:
        sessions = await open_many(server.url, 200)
        best = 0.0
        for rate in (2, 5, 10, 20, 40) if not quick else (5, 20):
            result = await steady(server.url, sessions, float(rate), 5)
            achieved = len(result["times"]) / 5
            p99 = percentile(result["times"], 0.99)
            if p99 > 100 or result["errors"]:
                break
            best = achieved
        for session in sessions:
            await session.close()
        report("D10", "saturation (200 sessions, rate ramped until p99 > 100 ms)",
               f"{best:.0f} events/s with p99 <= 100 ms", best > 0)  # fmt: skip


async def d11(quick: bool) -> None:
    n, minutes = (100, 1) if quick else (200, 30)
    with ServerProcess(MANY) as server:
        sessions = await open_many(server.url, n)
        samples: list[tuple[float, int]] = []
        start = time.monotonic()
        warm = 15 if quick else 300

        async def sample() -> None:
            while time.monotonic() - start < minutes * 60:
                if time.monotonic() - start >= warm:
                    samples.append((time.monotonic() - start, server.rss_kib()))
                await asyncio.sleep(5)

        sampling = asyncio.create_task(sample())
        result = await steady(server.url, sessions, 1.0, minutes * 60)
        await sampling
        for session in sessions:
            await session.close()
        xs = [t for t, _ in samples]
        ys = [r for _, r in samples]
        slope = statistics.linear_regression(xs, ys).slope * 600 / 1024 if len(xs) > 2 else 0.0
        ok = not result["errors"] and slope < 1.0
        report("D11", f"{n} sessions x 1 event/s x {minutes} min",
               f"RSS slope {slope:+.2f} MiB per 10 min after {warm} s, "
               f"{len(result['errors'])} errors", ok)  # fmt: skip


# -- D5: one client floods, the others keep their latency --------------------------------------


async def d5(quick: bool) -> None:
    """A client writes events as fast as it can with the rate limit lifted: only backpressure
    holds it. Server on one core, the load on the other (plan row D9's setup), so that the
    canary's p99 measures the server, not the two competing for a core."""
    seconds = 4 if quick else 20
    unlimited = {**MANY, "events_per_second": 1e9, "event_burst": 10**9}
    cores = sorted(os.sched_getaffinity(0))
    with ServerProcess(unlimited) as server:
        if len(cores) >= 2:
            os.sched_setaffinity(server.pid, {cores[0]})
            os.sched_setaffinity(0, {cores[1]})
        try:
            canary = await Canary(server.url, n=10).start()
            await asyncio.sleep(1)
            baseline = server.rss_kib()
            canary.reset()
            written, code = await flood(server, seconds)
            p50, p99, failures = canary.p50(), canary.p99(), len(canary.failures)
            await asyncio.sleep(2)
            after = server.rss_kib()
            await canary.stop()
        finally:
            os.sched_setaffinity(0, set(cores))
        ok = code is None and failures == 0 and p99 < 50 and after < baseline * 1.10
        report("D5", f"one client floods for {seconds} s, rate limit lifted",
               f"{written / 1e6:.1f} MB written, canary p50 {p50:.1f} ms p99 {p99:.1f} ms, "
               f"RSS {baseline / 1024:.1f} -> {after / 1024:.1f} MiB", ok)  # fmt: skip


# -- C2: the server killed under a browser ------------------------------------------------------


async def c2(quick: bool) -> None:
    from playwright.async_api import async_playwright

    from pylive.testing.browser import HOST_RULES, chromium_path

    port = free_port()
    server = ServerProcess(MANY, port=port).start()
    try:
        async with async_playwright() as playwright:
            path = chromium_path()
            browser = await playwright.chromium.launch(
                **({"executable_path": path} if path else {}), args=[HOST_RULES]
            )
            page = await browser.new_page()
            await page.goto(server.url + "/")
            await page.wait_for_selector("[data-phx-main].phx-connected", timeout=10_000)
            server.kill()
            await page.wait_for_selector("[data-phx-main].phx-client-error", timeout=10_000)
            await asyncio.sleep(2)
            server = ServerProcess(MANY, port=port).start()
            listening = time.monotonic()
            await page.wait_for_selector("[data-phx-main].phx-connected", timeout=30_000)
            back = time.monotonic() - listening
            await page.click("#inc")
            await page.wait_for_function(
                "document.querySelector('#count').textContent === 'Count: 1'", timeout=5000
            )
            await browser.close()
        report("C2", "server SIGKILLed under a browser, restarted 2 s later",
               f"reconnected {back:.1f} s after the new server listened", back <= 5)  # fmt: skip
    finally:
        server.__exit__()


# -- C4: one of two workers dies -----------------------------------------------------------------


async def c4(quick: bool) -> None:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(HERE), "PYLIVE_SECRET_KEY": "soak secret, long enough"}
    process = subprocess.Popen(
        [sys.executable, "-m", "pylive", "run", "soak_app:app", "--port", str(port),
         "--workers", "2"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                probe = await Session.open(base)
                await probe.close()
                break
            except Exception:
                assert time.monotonic() < deadline, "the two workers never came up"
                await asyncio.sleep(0.2)
        await asyncio.sleep(2)  # both workers up
        n = 100 if quick else 500
        sessions = await open_many(base, n)
        pids = {int(s.join_reply["tree"][1][2][2][2][0].split("=")[1]) for s in sessions}
        victim = min(pids)
        os.kill(victim, signal.SIGKILL)
        start = time.monotonic()
        lost = survived = 0
        reconnect: list[float] = []
        for session in sessions:
            try:
                reply = await asyncio.wait_for(session.click(), 2)
                survived += "ops" in reply
            except Exception:
                lost += 1
        while lost and len(reconnect) < lost and time.monotonic() - start < 30:
            try:
                again = await Session.open(base)
                reconnect.append(time.monotonic() - start)
                await again.close()
            except Exception:
                await asyncio.sleep(0.1)
        for session in sessions:
            await session.close()
        p99 = percentile(reconnect, 0.99) if reconnect else 0.0
        ok = survived + lost == n and (not lost or p99 <= 5)
        report("C4", f"{n} sessions over 2 workers, one SIGKILLed",
               f"{lost} lost and reconnected (p99 {p99:.1f} s), {survived} untouched, "
               f"workers seen {len(pids)}", ok)  # fmt: skip
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        if process.stderr is not None:
            process.stderr.close()


# -- P3 at 10,000 examples -------------------------------------------------------------------------


async def p3(quick: bool) -> None:
    examples = "2000" if quick else "10000"
    start = time.monotonic()
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/test_frames.py::test_frames_nothing_but_protocol_error_ever_raised"],
        cwd=ROOT, env={**os.environ, "PYLIVE_FUZZ_EXAMPLES": examples},
        capture_output=True, text=True,
    )  # fmt: skip
    report("P3", f"decoder fuzz, {examples} hostile frames",
           f"{done.stdout.strip().splitlines()[-1]} in {time.monotonic() - start:.0f} s",
           done.returncode == 0)  # fmt: skip


RUNS = {
    "D1": d1,
    "D2": d2,
    "D5": d5,
    "D9": d9,
    "D10": d10,
    "D11": d11,
    "C2": c2,
    "C4": c4,
    "P3": p3,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="everything scaled down (< 5 min)")
    parser.add_argument("--only", help="comma-separated rows, e.g. D2,D9")
    args = parser.parse_args()
    rows = args.only.split(",") if args.only else list(RUNS)
    start = time.monotonic()
    for row in rows:
        try:
            asyncio.run(RUNS[row](args.quick))
        except Exception as error:
            report(row, "crashed", repr(error), False)
    print(f"soak: {sum(results)}/{len(results)} passed in {time.monotonic() - start:.0f} s")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
