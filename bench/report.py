"""One markdown report from a full ``scripts/bench`` run: peers side by side, ratios, targets.

Usage: ``python bench/report.py RAW_DIR`` where RAW_DIR holds ``run1/``, ``run2/`` … (each with the
harness's ``<peer>.json`` files: ``pylive``, ``pylive_fast``, ``pylive_s1rss``, the four peers and
``generic``, the stub) and optionally ``live.json``, ``scaling.json``, ``versions.txt``,
``machine.txt``. Prints markdown (stdlib only, so any Python runs it).

Each cell is the median over the runs, with [min-max] when they differ. The ratio columns are
pylive's median / the best peer's median for that metric (lower is better for bytes, latency and
memory; higher for events/s), so a ratio < 1 on a "lower is better" row means pylive is ahead.
Two reference columns are not peers and never "best": the harness's stub (a server that renders
nothing: the harness's ceiling) and ``bench/sanic_floor.py`` (bare Sanic answering each event
with a fixed counter-sized reply: what pylive's S1 would measure if pylive's own work were free).
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path
from typing import Any

PEERS = ["pyview", "reactpy", "nicegui", "reflex"]
COLUMNS = ["pylive", "pylive_fast", *PEERS, "generic", "sanic_floor"]
HEAD = {
    "pylive": "pylive (obvious)",
    "pylive_fast": "pylive (stream S2)",
    "generic": "stub (ceiling)",
    "sanic_floor": "bare Sanic (floor)",
}

# label, path in the harness JSON, format, better ("low"/"high"), target (kind, value) or None
ROWS: list[tuple[str, tuple[str, ...], str, str, tuple[str, float] | None]] = [
    ("S1 inc: update bytes", ("bytes", "s1_inc", "steady"), "{:.0f}", "low", ("max", 60)),
    (
        "S2 change row 500: update bytes",
        ("bytes", "s2_change", "steady"),
        "{:.0f}",
        "low",
        ("max", 70),
    ),
    (
        "S2 append 1 row: update bytes",
        ("bytes", "s2_append", "steady"),
        "{:.0f}",
        "low",
        ("max", 120),
    ),
    ("S2 initial: HTTP page bytes", ("bytes", "s2_initial", "page_bytes"), "{:.0f}", "low", None),
    (
        "S2 initial: first WS message bytes",
        ("bytes", "s2_initial", "initial_ws_bytes"),
        "{:.0f}",
        "low",
        None,
    ),
    ("S1 1 client x500: p50 ms", ("lat", "s1_1client", "p50_ms"), "{:.2f}", "low", None),
    ("S1 1 client x500: p99 ms", ("lat", "s1_1client", "p99_ms"), "{:.2f}", "low", None),
    (
        "S1 1 client x500: events/s",
        ("lat", "s1_1client", "events_per_s"),
        "{:.0f}",
        "high",
        ("ratio_min", 1.5),
    ),
    ("S1 50 clients x100: p50 ms", ("lat", "s1_50clients", "p50_ms"), "{:.2f}", "low", None),
    (
        "S1 50 clients x100: p99 ms",
        ("lat", "s1_50clients", "p99_ms"),
        "{:.2f}",
        "low",
        ("ratio_max", 0.5),
    ),
    (
        "S1 50 clients x100: events/s",
        ("lat", "s1_50clients", "events_per_s"),
        "{:.0f}",
        "high",
        ("ratio_min", 1.5),
    ),
    (
        "S1 50 clients: failed clients",
        ("lat", "s1_50clients", "failed_clients"),
        "{:.0f}",
        "low",
        None,
    ),
    (
        "S2 change 1 client x200: p50 ms",
        ("lat", "s2_change_1client", "p50_ms"),
        "{:.2f}",
        "low",
        ("max", 2.0),
    ),
    (
        "S2 change 1 client x200: p99 ms",
        ("lat", "s2_change_1client", "p99_ms"),
        "{:.2f}",
        "low",
        None,
    ),
    ("server RSS before, MiB", ("rss", "rss_before_mib"), "{:.1f}", "low", None),
    ("server RSS with 200 S2 sessions, MiB", ("rss", "rss_after_mib"), "{:.1f}", "low", None),
    ("RSS per live S2 session, KiB", ("rss", "per_session_kib"), "{:.0f}", "low", ("max", 150)),
    ("time to open 200 S2 sessions (1 at a time), s", ("rss", "open_all_s"), "{:.1f}", "low", None),
    (
        "RSS per idle S1 session, KiB (200 sessions)",
        ("rss_s1", "per_session_kib"),
        "{:.0f}",
        "low",
        ("max", 40),
    ),
]
INFO_ONLY = {
    # a 0 there means "not fetched / not applicable" (see the peers' RESULTS.md), not "best"
    "S2 initial: HTTP page bytes",
    "S2 initial: first WS message bytes",
    "S1 50 clients: failed clients",
}
FAST_TARGET = {"S2 change 1 client x200: p50 ms": ("ratio_max", 1.0)}


def get(d: Any, path: tuple[str, ...]) -> Any:
    for k in path:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def load(raw: Path) -> tuple[list[Path], dict[str, list[dict[str, Any]]]]:
    runs = sorted(p for p in raw.glob("run*") if p.is_dir())
    data: dict[str, list[dict[str, Any]]] = {c: [] for c in COLUMNS}
    for run in runs:
        for column in COLUMNS:
            f = run / f"{column}.json"
            if f.exists():
                result = json.loads(f.read_text())
                if column == "pylive":
                    s1 = run / "pylive_s1rss.json"
                    if s1.exists():
                        result["rss_s1"] = json.loads(s1.read_text())["rss_s1"]
                data[column].append(result)
    return runs, data


def values(data: dict[str, list[dict[str, Any]]], column: str, path: tuple[str, ...]) -> list[Any]:
    return [v for v in (get(r, path) for r in data[column]) if v is not None]


def cell(vals: list[float], fmt: str) -> str:
    if not vals:
        return "–"
    text = fmt.format(statistics.median(vals))
    if min(vals) != max(vals):
        text += f" [{fmt.format(min(vals))}–{fmt.format(max(vals))}]"
    return text


def verdict(target: tuple[str, float] | None, value: float | None, ratio: float | None) -> str:
    if target is None or value is None:
        return ""
    kind, bound = target
    if kind == "max":
        ok = value <= bound
        return f"≤ {bound:g}: {'**met**' if ok else f'missed ({value / bound:.2f}× the bound)'}"
    if ratio is None:
        return "no peer value"
    if kind == "ratio_min":
        ok = ratio >= bound
        return f"≥ {bound:g}× best: {'**met**' if ok else f'missed ({ratio:.2f}×)'}"
    ok = ratio <= bound
    return f"≤ {bound:g}× best: {'**met**' if ok else f'missed ({ratio:.2f}×)'}"


def ratio(
    data: dict[str, list[dict[str, Any]]], column: str, path: tuple[str, ...], best: float | None
) -> float | None:
    vals = values(data, column, path)
    if not vals or not best:
        return None
    return statistics.median(vals) / best


def table(data: dict[str, list[dict[str, Any]]]) -> tuple[str, list[str]]:
    columns = [c for c in COLUMNS if data[c]]
    lines = [
        "| metric | "
        + " | ".join(f"{HEAD.get(c, c)} (n={len(data[c])})" for c in columns)
        + " | best peer | pylive / best | fast / best | target (pylive) |",
        "|---|" + "---|" * (len(columns) + 4),
    ]
    misses: list[str] = []
    for label, path, fmt, better, target in ROWS:
        cells = [cell(values(data, c, path), fmt) for c in columns]
        peer_medians = {p: statistics.median(v) for p in PEERS if (v := values(data, p, path))}
        if label in INFO_ONLY:
            peer_medians = {}
        best_peer = None
        if peer_medians:
            pick = min if better == "low" else max
            best_peer = pick(peer_medians, key=lambda p: peer_medians[p])
        best = peer_medians.get(best_peer) if best_peer else None

        r_obvious, r_fast = (ratio(data, c, path, best) for c in ("pylive", "pylive_fast"))
        mine = values(data, "pylive", path)
        check = verdict(target, statistics.median(mine) if mine else None, r_obvious)
        fast_target = FAST_TARGET.get(label)
        if fast_target:
            fast_vals = values(data, "pylive_fast", path)
            fast_check = verdict(
                fast_target, statistics.median(fast_vals) if fast_vals else None, r_fast
            )
            check = f"obvious {check}; fast {fast_check}"
        if "missed" in check:
            misses.append(f"{label}: {check}")
        lines.append(
            f"| {label} | "
            + " | ".join(cells)
            + f" | {best_peer + ' ' + fmt.format(best) if best_peer else '–'}"
            + f" | {'' if r_obvious is None else f'{r_obvious:.2f}'}"
            + f" | {'' if r_fast is None else f'{r_fast:.2f}'}"
            + f" | {check} |"
        )
    return "\n".join(lines), misses


INTERLEAVED = [
    # label, phase, field, format, better, target for pylive (obvious) / for fast
    ("S1 1 client: events/s", "s1_1client", "events_per_s", "{:.0f}", "high", ("ratio_min", 1.5)),
    ("S1 1 client: p50 ms", "s1_1client", "p50_ms", "{:.2f}", "low", None),
    ("S1 50 clients: events/s", "s1_50clients", "events_per_s", "{:.0f}", "high",
     ("ratio_min", 1.5)),
    ("S1 50 clients: p99 ms", "s1_50clients", "p99_ms", "{:.2f}", "low", ("ratio_max", 0.5)),
    ("S2 change 1 client: p50 ms", "s2_change_1client", "p50_ms", "{:.2f}", "low", ("max", 2.0)),
    ("server CPU per S1 event, µs", "s1_1client", "server_cpu_us_per_event", "{:.0f}", "low",
     None),
    ("server CPU per S2 change, µs", "s2_change_1client", "server_cpu_us_per_event", "{:.0f}",
     "low", None),
]  # fmt: skip


def _val(r: dict[str, Any], column: str, phase: str, field: str) -> float | None:
    value: float | None = r.get(column, {}).get(phase, {}).get(field)
    return value


def merge_interleaved(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The median, figure by figure, of several ``bench/interleaved.py`` results."""
    merged: dict[str, Any] = {"_meta": dict(results[-1]["_meta"])}
    merged["_meta"]["date"] = ", ".join(r["_meta"]["date"] for r in results)
    for server in {k for r in results for k in r if k != "_meta"}:
        phases = {p for r in results for p in r.get(server, {})}
        merged[server] = {
            phase: {
                field: statistics.median(vals)
                for field in ("events_per_s", "p50_ms", "p99_ms", "server_cpu_us_per_event")
                if (
                    vals := [r[server][phase][field] for r in results if phase in r.get(server, {})]
                )
            }
            for phase in phases
        }
    per_run = []
    for r in results:
        parts = []
        for phase, field, label in (
            ("s1_1client", "events_per_s", "S1 eps"),
            ("s1_50clients", "events_per_s", "50c eps"),
            ("s1_50clients", "p99_ms", "50c p99"),
        ):
            pick = min if field == "p99_ms" else max
            peers = [r[p][phase][field] for p in PEERS if p in r and phase in r[p]]
            if peers and "pylive" in r:
                parts.append(f"{label} {r['pylive'][phase][field] / pick(peers):.2f}")
        per_run.append(", ".join(parts))
    merged["_meta"]["per_run"] = per_run
    return merged


def interleaved_table(r: dict[str, Any]) -> tuple[str, list[str]]:
    """The table of ``bench/interleaved.py``'s JSON: servers as columns, ratios, targets."""
    columns = [c for c in COLUMNS if c in r]
    lines = [
        "| metric | " + " | ".join(HEAD.get(c, c) for c in columns)
        + " | best peer | pylive / best | fast / best | target (pylive) |",
        "|---|" + "---|" * (len(columns) + 4),
    ]  # fmt: skip
    misses = []
    for label, phase, field, fmt, better, target in INTERLEAVED:

        def val(c: str, phase: str = phase, field: str = field) -> float | None:
            return _val(r, c, phase, field)

        cells = ["–" if val(c) is None else fmt.format(val(c)) for c in columns]
        peers = {p: v for p in PEERS if (v := val(p)) is not None}
        best_peer = (
            (min if better == "low" else max)(peers, key=peers.__getitem__) if peers else None
        )
        best = peers.get(best_peer) if best_peer else None
        mine, fast = val("pylive"), val("pylive_fast")
        r_obvious = mine / best if mine is not None and best else None
        r_fast = fast / best if fast is not None and best else None
        check = verdict(target, mine, r_obvious)
        if phase == "s2_change_1client" and field == "p50_ms":
            check = f"obvious {check}; fast {verdict(('ratio_max', 1.0), fast, r_fast)}"
        if "missed" in check:
            misses.append(f"{label}: {check}")
        lines.append(
            f"| {label} | " + " | ".join(cells)
            + f" | {best_peer + ' ' + fmt.format(best) if best_peer else '–'}"
            + f" | {'' if r_obvious is None else f'{r_obvious:.2f}'}"
            + f" | {'' if r_fast is None or phase.startswith('s1_50') else f'{r_fast:.2f}'}"
            + f" | {check} |"
        )  # fmt: skip
    return "\n".join(lines), misses


def main() -> None:
    raw = Path(sys.argv[1])
    runs, data = load(raw)
    out = [f"# pylive vs the Python peers — {raw.name}", ""]
    machine = raw / "machine.txt"
    if machine.exists():
        out += ["## Machine and run", "", "```", machine.read_text().rstrip(), "```", ""]
    for run in runs:
        load_file = run / "load.txt"
        if load_file.exists():
            text = load_file.read_text().strip()
            if text.startswith("start"):
                text = "load average (1/5/15 min) " + text
            out.append(f"- {run.name}: {text}")
    if runs:
        out.append("")
    text, misses = table(data)
    out += [
        "## Side by side (harness `../shared/peers/bench.py`, same phases and counting rules)",
        "",
        f"Median of {len(runs)} run(s), [min–max] where they differ. Ratios are of medians. "
        "The stub (a server that renders nothing) and bare Sanic (pylive's "
        "server without pylive) are references, not peers.",
        "",
        text,
        "",
    ]
    if misses:
        out += ["Targets missed:", ""] + [f"- {m}" for m in misses] + [""]
    inter_files = sorted(raw.glob("interleaved*.json"))
    if inter_files:
        r = merge_interleaved([json.loads(f.read_text()) for f in inter_files])
        m = r["_meta"]
        text, inter_misses = interleaved_table(r)
        out += [
            "## The latency figures again, interleaved (`bench/interleaved.py`)",
            "",
            "All servers run at once and one client takes turns, so the load drift of the shared "
            f"machine hits every server alike. {len(inter_files)} invocation(s), median of their "
            f"figures; each: {m['rounds']} rounds, each giving every server "
            f"{m['s1']} S1 clicks (1 client), {m['s2']} S2 change clicks (1 client) and "
            f"{m['clients']} clients × {m['c50']} S1 clicks; latencies pooled over the rounds, "
            "events/s the median of the rounds' blocks. Server CPU per event is the server "
            "process tree's CPU time (/proc/…/schedstat, user + kernel) over the blocks divided by "
            f"their events. Harness sessions and counting rules; {m['date']}. Per invocation, "
            "pylive / best peer: " + "; ".join(m["per_run"]) + ".",
            "",
            text,
            "",
        ]
        stub = []
        for phase, field, label in (
            ("s1_1client", "events_per_s", "S1 1 client events/s"),
            ("s1_50clients", "events_per_s", "S1 50 clients events/s"),
            ("s1_50clients", "p99_ms", "S1 50 clients p99"),
        ):
            peers = [r[p][phase][field] for p in PEERS if p in r and phase in r[p]]
            if peers and "generic" in r:
                best = min(peers) if field == "p99_ms" else max(peers)
                stub.append(f"{label} {r['generic'][phase][field] / best:.2f}×")
        if stub:
            out += [
                "For scale, the stub — a server that renders nothing — reaches, relative to the "
                "best peer: " + ", ".join(stub) + ". A target beyond these ratios is beyond what "
                "this harness can show on this machine.",
                "",
            ]
        if inter_misses:
            out += ["Targets missed (interleaved):", ""] + [f"- {x}" for x in inter_misses] + [""]
    cold = raw / "scaling.json"
    if cold.exists():
        s = json.loads(cold.read_text())
        if "cold" in s:
            c = s["cold"]
            ok = "**met**" if c["median_s"] <= 1.0 else f"missed ({c['median_s']:.2f} s)"
            out += [
                "## Cold start",
                "",
                f"`python -m pylive run bench.apps:app` to the first HTTP 200: median "
                f"{c['median_s']:.3f} s, min {c['min_s']:.3f} s over {c['runs']} runs "
                f"{c['to_first_200_s']} (target ≤ 1 s: {ok}). For context: `python -c pass` "
                f"{c['python_c_pass_min_s']:.3f} s, `python -c 'import pylive.sanic'` "
                f"{c['import_pylive_sanic_min_s']:.3f} s (min).",
                "",
            ]
        if "scaling" in s:
            out += [
                "## Scaling (one client over the websocket; p50 / p99 ms)",
                "",
                "| rows | way | page bytes | join bytes | change bytes | change ms "
                "| append bytes | append ms |",
                "|---|---|---|---|---|---|---|---|",
            ]
            for key, x in s["scaling"].items():
                way, n = key.split("/")
                ch, ap = x["change"], x["append"]
                out.append(
                    f"| {int(n):,} | {way} | {x['page_bytes']:,} | {x['join_bytes']:,} "
                    f"| {ch['bytes']} | {ch['p50_ms']:.2f} / {ch['p99_ms']:.2f} "
                    f"| {ap['bytes']} | {ap['p50_ms']:.2f} / {ap['p99_ms']:.2f} |"
                )
            out.append("")
    live = raw / "live.json"
    if live.exists():
        r = json.loads(live.read_text())
        one, many, rss = r["1client"], r["50clients"], r["rss"]
        out += [
            "## Counter live figures (`bench/live.py`, VmRSS from /proc)",
            "",
            "| figure | value |",
            "|---|---|",
            f"| round trip, 1 client × 500: p50 / p99 | {one['p50_ms']:.2f} / "
            f"{one['p99_ms']:.2f} ms |",
            f"| 1 client: events/s | {one['events_per_s']:.0f} |",
            f"| round trip, 50 clients × 100: p50 / p99 | {many['p50_ms']:.2f} / "
            f"{many['p99_ms']:.2f} ms |",
            f"| 50 clients: events/s | {many['events_per_s']:.0f} |",
            f"| bytes per counter update | {r['s1_update_bytes']} |",
            f"| RSS per connected counter session (200) | {rss['per_session_kib']:.1f} KiB |",
            "",
        ]
    versions = raw / "versions.txt"
    if versions.exists():
        out += ["## Versions", "", "```", versions.read_text().rstrip(), "```", ""]
    commands = raw / "commands.txt"
    if commands.exists():
        out += ["## Commands", "", "```", commands.read_text().rstrip(), "```", ""]
    print("\n".join(out))


if __name__ == "__main__":
    main()
