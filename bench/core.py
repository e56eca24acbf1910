"""Micro-benchmarks of the pure core: build + render_html, diff, op encoding.

Run: ``uv run python bench/core.py`` (add ``--rows N`` for another table size). Prints one line per
figure, best of ``--repeat`` runs (the minimum is the least noisy estimate on a shared machine).
These are figures, not tests: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Callable
from typing import Any

import orjson

from pylive.component import component
from pylive.diff import diff
from pylive.html import table, tbody, td, tr
from pylive.node import Element
from pylive.render import render_html

CELLS = 5


def cell_text(i: int, j: int, changed: tuple[int, int] | None) -> str:
    return "changed" if (i, j) == changed else f"row {i} cell {j}"


def build_table(rows: int, changed: tuple[int, int] | None = None) -> Element:
    """The obvious way: a comprehension of keyed rows, rebuilt on every render."""
    return table(
        tbody(
            *[
                tr(*[td(cell_text(i, j, changed)) for j in range(CELLS)], key=str(i))
                for i in range(rows)
            ]
        )
    )


@component(memo=True)
def row(i: int, texts: tuple[str, ...]) -> Element:
    return tr(*[td(text) for text in texts])


def build_memo_table(rows: int, changed: tuple[int, int] | None = None) -> Element:
    """The fast way: memoized row components, skipped by the diff when their arguments match."""
    return table(
        tbody(
            *[
                row(i, tuple(cell_text(i, j, changed) for j in range(CELLS)), key=str(i))
                for i in range(rows)
            ]
        )
    )


def count_nodes(node: Any) -> int:
    if isinstance(node, Element):
        return 1 + sum(count_nodes(child) for child in node.children)
    return 1


def best(fn: Callable[[], Any], repeat: int) -> float:
    """Best wall time of ``repeat`` runs, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    rows, repeat = args.rows, args.repeat
    changed = (rows // 2, 2)

    old = build_table(rows)
    new = build_table(rows, changed)
    nodes = count_nodes(old)
    build_ms = best(lambda: build_table(rows), repeat)
    render_ms = best(lambda: render_html(old), repeat)
    both_ms = best(lambda: render_html(build_table(rows)), repeat)
    diff_rebuilt_ms = best(lambda: diff(old, new), repeat)

    # Keyed identical objects: the rows that did not change are the very same objects.
    shared_rows = list(old.children[0].children)  # type: ignore[union-attr]
    shared_rows[changed[0]] = new.children[0].children[changed[0]]  # type: ignore[union-attr]
    new_shared = table(tbody(*shared_rows))
    diff_shared_ms = best(lambda: diff(old, new_shared), repeat)

    memo_old = build_memo_table(rows)
    render_html(memo_old)  # a live view's previous tree has always been rendered
    memo_new = build_memo_table(rows, changed)
    diff_memo_ms = best(lambda: diff(memo_old, memo_new), repeat)
    memo_build_diff_ms = best(lambda: diff(memo_old, build_memo_table(rows, changed)), repeat)

    ops = diff(old, new)
    encode_ms = best(lambda: orjson.dumps(ops), repeat)
    full_ops = diff(None, old)
    encode_full_ms = best(lambda: orjson.dumps(full_ops), repeat)

    print(f"# pylive core benchmark: {rows} rows x {CELLS} cells = {nodes} nodes")
    print(f"# python {platform.python_version()} on {platform.machine()}, best of {repeat}")
    print(f"build                      {build_ms:8.2f} ms  {build_ms * 1e3 / nodes:6.2f} us/node")
    print(f"render_html                {render_ms:8.2f} ms  {render_ms * 1e3 / nodes:6.2f} us/node")
    print(f"build + render_html        {both_ms:8.2f} ms  {both_ms * 1e3 / nodes:6.2f} us/node")
    print(f"diff, all rebuilt          {diff_rebuilt_ms:8.2f} ms  ({len(ops)} op)")
    print(f"diff, keyed identical rows {diff_shared_ms:8.2f} ms")
    print(f"diff, memoized rows        {diff_memo_ms:8.2f} ms")
    print(f"build + diff, memoized     {memo_build_diff_ms:8.2f} ms")
    print(f"orjson of the 1-cell patch {encode_ms * 1e3:8.2f} us  ({len(orjson.dumps(ops))} bytes)")
    print(
        f"orjson of the full insert  {encode_full_ms:8.2f} ms  "
        f"({len(orjson.dumps(full_ops))} bytes, {encode_full_ms * 1e3 / nodes:.3f} us/node)"
    )


if __name__ == "__main__":
    sys.exit(main())
