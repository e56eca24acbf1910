"""client.js replays the diff (testing pyramid, level 2).

For each pair of trees ``(a, b)``, ``js/replay.mjs`` builds ``a`` in a jsdom container with
``client.js``, applies ``diff(a, b)`` with ``applyOps`` and reports what the container holds. It
must hold exactly ``b``: its canonical wire form (``to_wire``), and the DOM the HTML parser makes of
``render_html(b)`` (so namespaces, bare attributes and raw HTML are checked against the page the
server would send). One node process serves the whole module.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from pylive.diff import diff
from pylive.html import b as b_tag
from pylive.html import (
    circle,
    div,
    element,
    foreign_object,
    g,
    input,
    li,
    p,
    rect,
    span,
    svg,
    table,
    tbody,
    td,
    textarea,
    tr,
    ul,
)
from pylive.node import VOID_ELEMENTS, Element, Fragment, Node, Tree, fragment, top_level
from pylive.protocol import JS_COMMANDS, OPS
from pylive.render import render_html
from pylive.testing import apply
from pylive.wire import to_wire

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "js"
SETUP_HINT = "run scripts/test, which installs node's test dependencies (npm ci in js/)"

Pair = tuple[Tree | None, Tree | None]


# --- the node process ----------------------------------------------------------------------------


def node_executable() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"node is not on PATH: client.js cannot be tested; {SETUP_HINT}")
    if not (JS / "node_modules" / "jsdom").is_dir():
        pytest.fail(f"js/node_modules/jsdom is missing; {SETUP_HINT}")
    return node


class Replayer:
    """A running ``js/replay.mjs``: one JSON line of cases in, one JSON line of results out."""

    def __init__(self, node: str) -> None:
        self._stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        self._process = subprocess.Popen(
            [node, str(JS / "replay.mjs")],
            cwd=JS,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
        )

    def run(self, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(json.dumps(cases) + "\n")
        stdin.flush()
        answer = stdout.readline()
        if not answer:
            self._stderr.seek(0)
            pytest.fail(f"js/replay.mjs stopped without answering:\n{self._stderr.read()}")
        results: list[dict[str, Any]] = json.loads(answer)
        return results

    def close(self) -> None:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.close()
        self._process.wait(timeout=10)
        self._process.stdout.close()
        self._stderr.close()


@pytest.fixture(scope="module")
def replayer() -> Iterator[Replayer]:
    running = Replayer(node_executable())
    yield running
    running.close()


# --- what the container must hold ----------------------------------------------------------------


def canonical(wire: Any, in_svg: bool = False) -> Any:
    """The canonical form ``js/dom.mjs`` prints: ``[tag, attrs, children]``, bare attributes as
    ``""``, raw HTML parsed into nodes, and SVG-namespace tags prefixed with ``svg:``."""
    if isinstance(wire, str):
        return wire
    tag, attrs, *rest = wire
    svg_ns = in_svg or tag == "svg"
    children = rest[0] if rest else []
    if isinstance(children, str):
        kids = parse_html(children)
    else:
        kids = [canonical(child, svg_ns and tag != "foreignObject") for child in children]
    values = {name: "" if value is True else value for name, value in attrs.items()}
    return [f"svg:{tag}" if svg_ns else tag, values, kids]


class _HTMLToWire(HTMLParser):
    """Raw HTML (simple, well-formed HTML content) into canonical wire nodes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[Any] = []
        self._open: list[list[Any]] = [self.nodes]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        children: list[Any] = []
        self._open[-1].append([tag, {name: value or "" for name, value in attrs}, children])
        if tag not in VOID_ELEMENTS:
            self._open.append(children)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open[-1].append([tag, {name: value or "" for name, value in attrs}, []])

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_ELEMENTS and len(self._open) > 1:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        siblings = self._open[-1]
        if siblings and isinstance(siblings[-1], str):
            siblings[-1] += data
        else:
            siblings.append(data)


def parse_html(html: str) -> list[Any]:
    parser = _HTMLToWire()
    parser.feed(html)
    parser.close()
    return parser.nodes


def replay_case(a: Tree | None, b: Tree | None) -> dict[str, Any]:
    return {
        "tree": [to_wire(node) for node in top_level(a)],
        "ops": diff(a, b),
        "html": render_html(b),
    }


def check_replays(replayer: Replayer, pairs: list[Pair]) -> None:
    """Replay every pair in one round trip; fail listing each pair whose DOM is not ``b``."""
    results = replayer.run([replay_case(a, b) for a, b in pairs])
    failures = []
    for (a, b), result in zip(pairs, results, strict=True):
        expected = [canonical(to_wire(node)) for node in top_level(b)]
        problem = None
        if "error" in result:
            problem = f"client.js threw: {result['error']}"
        elif result["dom"] != expected:
            problem = (
                f"DOM after the ops:\n  {result['dom']}\nexpected b's wire form:\n  {expected}"
            )
        elif result["dom"] != result["parsed"]:
            problem = (
                f"DOM after the ops:\n  {result['dom']}\ndiffers from the parsed "
                f"render_html(b):\n  {result['parsed']}"
            )
        if problem:
            failures.append(f"a = {a!r}\nb = {b!r}\nops = {diff(a, b)}\n{problem}")
    if failures:
        report = "\n\n".join(failures)
        pytest.fail(f"{len(failures)} of {len(pairs)} replays failed:\n\n{report}", pytrace=False)


# --- hand-written cases --------------------------------------------------------------------------


def keyed(keys: str) -> Element:
    return ul(*[li(k, key=k) for k in keys])


HAND_CASES: dict[str, Pair] = {
    "append": (keyed("abc"), keyed("abcd")),
    "prepend": (keyed("abc"), keyed("zabc")),
    "insert-middle": (keyed("abcd"), keyed("abxcd")),
    "remove-middle": (keyed("abcd"), keyed("abd")),
    "remove-several": (keyed("abcdef"), keyed("bdf")),
    "swap": (keyed("abcd"), keyed("adcb")),
    "reverse": (keyed("abcdef"), keyed("fedcba")),
    "move-to-end": (keyed("abcd"), keyed("bcda")),
    "move-to-front": (keyed("abcd"), keyed("dabc")),
    "shuffle-insert-remove": (keyed("abcdefg"), keyed("gxbeyda")),
    "clear": (keyed("abc"), ul()),
    "fill": (ul(), keyed("abc")),
    "replace-tag": (div(p("x"), "tail"), div(span("x"), "tail")),
    "text-to-element": (div("just text"), div(span("now an element"))),
    "element-to-text": (div(span("an element")), div("now text")),
    "keyed-unkeyed-mix": (
        ul(li("a", key="a"), li("u1"), li("b", key="b"), li("u2"), "text"),
        ul(li("b!", key="b"), li("u1 changed"), li("a", key="a"), li("c", key="c"), "text 2"),
    ),
    "unkeyed-grow-shrink": (div(p("1"), p("2"), p("3")), div(p("1"), p("two"))),
    "text-edits": (
        div(p("Count: 1"), "x < y", span("&")),
        div(p("Count: 2"), "x > y & z", span("&amp;")),
    ),
    "attributes": (
        div(class_="a", title="t", data_keep="k"),
        div(class_="b", hidden=True, data_x="1", data_keep="k"),
    ),
    "attributes-bare-to-value": (input(disabled=True), input(disabled="disabled", value="v")),
    "raw-html-change": (div(Markup("<b>old</b> tail")), div(Markup("<i>new</i> &amp; <br>more"))),
    "raw-html-to-children": (div(Markup("<b>raw</b>")), div(p("children"))),
    "children-to-raw-html": (div(p("children")), div(Markup("<em>raw</em>"))),
    "svg-attrs-and-insert": (
        svg(circle(r="1", key="c"), viewBox="0 0 10 10"),
        svg(rect(width="2"), circle(r="2", key="c"), g(circle(r="3")), viewBox="0 0 20 20"),
    ),
    "svg-foreign-object": (
        svg(foreign_object(div("a"))),
        svg(foreign_object(div("b"), p("html again")), g()),
    ),
    "svg-inserted-whole": (div(), div(svg(g(circle(r="1")), foreign_object(span("x"))))),
    "fragment-top-level": (
        fragment(p("a", key="a"), p("b", key="b"), "text"),
        fragment(p("b", key="b"), "other text", p("a", key="a"), div()),
    ),
    "nothing-to-tree": (None, fragment(p("a"), "b")),
    "tree-to-nothing": (div(p("a")), None),
    "text-top-level": ("hello", "world"),
    "textarea-text": (textarea("server"), textarea("server 2")),
    "input-value": (input(value="a", name="q"), input(value="b", name="q")),
    "table-with-tbody": (
        table(tbody(tr(td("1"), key="r1"), tr(td("2"), key="r2"))),
        table(tbody(tr(td("2!"), key="r2"), tr(td("1"), key="r1"), tr(td("3"), key="r3"))),
    ),
    "moved-and-changed-deep": (
        div(ul(li(span("a"), key="a"), li(span("b", class_="x"), key="b"), li("c", key="c"))),
        div(
            ul(li("c", key="c"), li(span("b", class_="y"), "more", key="b"), li(span("A"), key="a"))
        ),
    ),
}


@pytest.mark.parametrize("name", list(HAND_CASES))
def test_client_replay_hand_case(replayer: Replayer, name: str) -> None:
    check_replays(replayer, [HAND_CASES[name]])


# --- random tree pairs ---------------------------------------------------------------------------
# Random pairs come from ``random.Random``: a fixed seed for a reproducible batch, and seeds
# drawn by Hypothesis for fresh pairs on every run (it prints and stores a failing seed).

HTML_TAGS = ("div", "span", "section", "article")  # nest freely under the HTML parser
SVG_TAGS = ("g", "circle", "rect")
TEXTS = ("a", "b", "hello", "x < y & z", " ", "42", "é ✓")
RAW_HTML = ("<b>bold</b> text", "plain &amp; simple", "<i>x</i><br>y", "")
KEYS = tuple(f"k{i}" for i in range(8))


def random_attrs(rng: random.Random, tag: str) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    if rng.random() < 0.5:
        attrs["class_"] = rng.choice(("a", "b", "a b"))
    if rng.random() < 0.3:
        attrs["title"] = rng.choice(TEXTS)
    if rng.random() < 0.2:
        attrs["data_n"] = str(rng.randint(0, 3))
    if rng.random() < 0.2:
        attrs["hidden"] = True
    if tag == "input" and rng.random() < 0.5:
        attrs["value"] = rng.choice(TEXTS)
    return attrs


def random_element(
    rng: random.Random, depth: int, key: str | None = None, in_svg: bool = False
) -> Element:
    """An element with up to ``depth`` levels of elements below it."""
    roll = rng.random()
    if in_svg:
        if roll < 0.15:
            return foreign_object(*random_children(rng, depth - 1), key=key)
        tag = rng.choice(SVG_TAGS)
    elif roll < 0.08:
        return svg(*random_children(rng, depth - 1, in_svg=True), key=key)
    elif roll < 0.16:
        return input(key=key, **random_attrs(rng, "input"))
    else:
        tag = rng.choice(HTML_TAGS)
    attrs = random_attrs(rng, tag)
    if not in_svg and depth > 0 and rng.random() < 0.1:
        return element(tag)(Markup(rng.choice(RAW_HTML)), key=key, **attrs)
    children = random_children(rng, depth - 1, in_svg=in_svg) if depth > 0 else []
    return element(tag)(*children, key=key, **attrs)


def random_children(rng: random.Random, depth: int, in_svg: bool = False) -> list[Node]:
    """0–5 siblings: texts, keyed and unkeyed elements (keys unique among them)."""
    if depth < 0:
        return []
    count = rng.randint(0, 5)
    keys = rng.sample(KEYS, count)
    children: list[Node] = []
    for key in keys:
        roll = rng.random()
        if roll < 0.25:
            children.append(rng.choice(TEXTS))
        else:
            children.append(random_element(rng, depth, key if roll < 0.65 else None, in_svg))
    return children


def mutate(rng: random.Random, node: Node, depth: int, in_svg: bool) -> Node:
    """A variation of ``node``: other attributes, text, children; sometimes another node."""
    if isinstance(node, str):
        return rng.choice(TEXTS) if rng.random() < 0.5 else node
    assert isinstance(node, Element)
    if rng.random() < 0.1:
        return random_element(rng, depth, node.key, in_svg)
    attrs = dict(node.attrs) if rng.random() < 0.6 else random_attrs(rng, node.tag)
    build = element(node.tag)
    if node.tag in VOID_ELEMENTS:
        return build(key=node.key, **attrs)
    if node.raw:
        return build(Markup(rng.choice(RAW_HTML)), key=node.key, **attrs)
    child_svg = (in_svg or node.tag == "svg") and node.tag != "foreignObject"
    children = mutate_children(rng, node.children, depth - 1, child_svg)
    return build(*children, key=node.key, **attrs)


def mutate_children(
    rng: random.Random, children: list[Node], depth: int, in_svg: bool
) -> list[Node]:
    """Remove, change, reorder and insert siblings, as a re-render would."""
    kept = [child for child in children if rng.random() < 0.8]
    kept = [mutate(rng, child, depth, in_svg) if rng.random() < 0.5 else child for child in kept]
    if len(kept) > 1 and rng.random() < 0.3:
        rng.shuffle(kept)
    elif len(kept) > 1 and rng.random() < 0.4:
        kept.insert(rng.randrange(len(kept)), kept.pop(rng.randrange(len(kept))))
    used = {child.key for child in kept if isinstance(child, Element)}
    free = [key for key in KEYS if key not in used]
    for _ in range(rng.randint(0, 2)):
        if rng.random() < 0.3:
            new: Node = rng.choice(TEXTS)
        else:
            key = free.pop(rng.randrange(len(free))) if free and rng.random() < 0.6 else None
            new = random_element(rng, max(depth, 0), key, in_svg)
        kept.insert(rng.randint(0, len(kept)), new)
    return kept


def random_tree(rng: random.Random) -> Tree | None:
    """A view's tree, four levels deep at most: one element, a fragment, text or nothing."""
    roll = rng.random()
    if roll < 0.6:
        return random_element(rng, 3)
    if roll < 0.9:
        return fragment(*random_children(rng, 2))
    return rng.choice((None, "top-level text"))


def random_pair(rng: random.Random) -> Pair:
    """``(a, b)`` where ``b`` is mostly a re-render of ``a``, sometimes an unrelated tree."""
    a = random_tree(rng)
    if rng.random() < 0.2 or a is None or isinstance(a, str):
        return a, random_tree(rng)
    if isinstance(a, Fragment):
        return a, fragment(*mutate_children(rng, a.children, 2, False))
    return a, mutate(rng, a, 3, False)


def test_client_replay_random_pairs(replayer: Replayer) -> None:
    """300 seeded random pairs (keyed and unkeyed siblings, attributes, text, raw HTML, SVG)."""
    rng = random.Random(20240501)
    check_replays(replayer, [random_pair(rng) for _ in range(300)])


@settings(max_examples=10, deadline=None)
@given(st.randoms(use_true_random=True))
def test_client_replay_hypothesis_pairs(replayer: Replayer, rng: random.Random) -> None:
    """50 fresh random pairs per example, from seeds Hypothesis draws (and replays on failure)."""
    check_replays(replayer, [random_pair(rng) for _ in range(50)])


# --- append and prepend containers ---------------------------------------------------------------
# The browser keeps their children, so the DOM after the ops is not ``b``: it is what the test
# client's ``apply`` keeps, which client.js must keep too. Each case is a run of renders, the ops
# of every step replayed in one batch.


def logs(mode: str, *ids: int, text: str = "row", tag: Any = p) -> Element:
    return div(id="logs", phx_update=mode)[[tag(f"{text} {n}", id=f"log-{n}") for n in ids]]


APPEND_CASES: dict[str, list[Tree]] = {
    "append-pages": [logs("append", 1, 2), logs("append", 3, 4), logs("append"), logs("append", 5)],
    "prepend-pages": [logs("prepend", 1, 2), logs("prepend", 3, 4), logs("prepend", 5)],
    "update-in-place-and-add": [
        logs("append", 1, 2, 3),
        logs("append", 2, 9, text="new"),
        logs("append", 3, text="again"),
    ],
    "prepend-update-with-another-tag": [logs("prepend", 1, 2), logs("prepend", 1, 7, tag=li)],
    "plain-to-append-to-plain": [
        div(p("kept", id="log-1"), p("no id"), id="logs"),
        logs("append", 1, 2),
        div(span("fresh"), id="logs"),
    ],
    "append-to-prepend": [logs("append", 1), logs("prepend", 2), logs("append", 3)],
    "nested-in-a-page": [
        div(p("page 1"), logs("append", 1), p("end")),
        div(p("page 2"), logs("append", 2), p("end"), p("more")),
    ],
}


@pytest.mark.parametrize("name", list(APPEND_CASES))
def test_client_replay_append_container(replayer: Replayer, name: str) -> None:
    from_render, *renders = APPEND_CASES[name]
    ops: list[Any] = []
    kept: Tree | None = from_render
    previous: Tree | None = from_render
    for render in renders:
        step = diff(previous, render)
        ops += step
        kept = apply(step, kept)
        previous = render
    [result] = replayer.run(
        [{"tree": [to_wire(node) for node in top_level(from_render)], "ops": ops}]
    )
    assert result == {"dom": [canonical(to_wire(node)) for node in top_level(kept)]}


# --- the op table --------------------------------------------------------------------------------


def test_client_ops_table_mirrors_protocol() -> None:
    script = "import { OPS } from '../client.js'; process.stdout.write(JSON.stringify(OPS));"
    result = subprocess.run(
        [node_executable(), "--input-type=module", "-e", script],
        cwd=JS,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout) == OPS


def test_client_js_commands_table_mirrors_protocol() -> None:
    """Every JS command kind has its exec_<kind> handler in the client, in the same order."""
    script = (
        "import { JS_COMMANDS, JS_HANDLERS } from '../client.js';"
        "process.stdout.write(JSON.stringify([JS_COMMANDS, Object.keys(JS_HANDLERS),"
        " Object.values(JS_HANDLERS).map((f) => f.name)]));"
    )
    result = subprocess.run(
        [node_executable(), "--input-type=module", "-e", script],
        cwd=JS,
        capture_output=True,
        text=True,
        check=True,
    )
    table, handled, names = json.loads(result.stdout)
    assert table == list(JS_COMMANDS)
    assert handled == list(JS_COMMANDS)
    assert names == [f"exec_{kind}" for kind in JS_COMMANDS]


# --- streams -------------------------------------------------------------------------------------


def stream_turns(rng: random.Random, fixed: bool = False) -> tuple[Tree, list[list[Any]], Tree]:
    """A stream container rendered fresh, then random turns of stream asks diffed one by one;
    with ``fixed``, the container also holds two children no stream inserted, one before the
    items and one after them in the render (they end after the items, in their order).

    Returns the fresh tree, every op sent after it, and the tree ``pylive.testing.apply`` makes of
    them.
    """
    from pylive.socket import Socket
    from pylive.stream_items import StreamCollector
    from pylive.testing import apply

    socket = Socket("Replay")

    def render() -> Element:
        return div(
            p("head"),
            ul(id="s", phx_update="stream")[
                li("Empty!", id="s-empty") if fixed else None,
                (li(f"item {it['id']}.{it['v']}", id=d) for d, it in socket.assigns.streams.s),
                li("more", id="s-more") if fixed else None,
            ],
        )

    def collected(collector: StreamCollector) -> Element:
        tree = render()
        collector.collect([tree], socket._stream_sources())  # as the session after a render
        return tree

    socket.stream("s", [{"id": i, "v": 0} for i in range(rng.randrange(0, 5))])
    fresh = collected(StreamCollector())  # the HTTP page: never released
    turn = StreamCollector()
    old = collected(turn)
    turn.release()
    ops: list[list[Any]] = []
    for turn in range(8):
        for _ in range(rng.randrange(1, 4)):
            roll = rng.random()
            item = {"id": rng.randrange(8), "v": turn + 1}
            if roll < 0.55:
                limit = rng.choice([None, None, 3, -3, 0])
                at = rng.choice([-1, 0, 1, 5])
                socket.stream_insert("s", item, at=at, limit=limit, update_only=rng.random() < 0.2)
            elif roll < 0.85:
                socket.stream_delete("s", item)
            else:
                socket.stream("s", [item], reset=True)
        turn = StreamCollector()
        new = collected(turn)
        ops += diff(old, new)
        turn.release()
        old = new
    return fresh, ops, apply(ops, fresh)  # type: ignore[return-value]


def test_client_replay_stream_ops_match_apply(replayer: Replayer) -> None:
    """client.js and ``pylive.testing.apply`` end with the same DOM after random stream turns."""
    rng = random.Random(20261122)
    runs = [stream_turns(rng, fixed=index % 2 == 1) for index in range(80)]
    cases = [
        {"tree": [to_wire(node) for node in top_level(fresh)], "ops": ops, "html": render_html(end)}
        for fresh, ops, end in runs
    ]
    results = replayer.run(cases)
    for (fresh, ops, end), result in zip(runs, results, strict=True):
        expected = [canonical(to_wire(node)) for node in top_level(end)]
        assert result.get("dom") == expected, (render_html(fresh), ops, result)
        assert result["parsed"] == expected
    lists = [top_level(end)[0].children[1].children for _, _, end in runs]  # type: ignore[union-attr]
    shown = [len(children) for children in lists[::2]]
    assert min(shown) == 0 and max(shown) >= 4  # the runs cover empty and fuller streams
    for children in lists[1::2]:  # the fixed children stay last, in their order
        assert [child.attrs["id"] for child in children[-2:]] == ["s-empty", "s-more"]


def test_client_replay_text_rows(replayer: Replayer) -> None:
    """Long uniform lists (kept as ``TextRows``) patch the browser's DOM into ``b``."""

    def rows(values: list[int], **attrs: str) -> Element:
        return ul([li(f"Row {i}: <{v}>", key=i, **attrs) for i, v in enumerate(values)])

    base = [0] * 60
    changed = list(base)
    changed[30] = 1
    changed[59] = 2
    moved = ul([li(f"Row {i}: <0>", key=i) for i in [*range(1, 60), 0]])
    pairs: list[Pair] = [
        (rows(base), rows(changed)),
        (rows(base), rows([*base, 5, 6])),
        (rows(base), rows(base[:40])),
        (rows(base), moved),
        (rows(base), rows(base, class_="x")),
        (rows(base), ul([li(str(n), b_tag("!"), key=n) for n in range(60)])),
        (div(p("x"), rows(base)), div(p("y"), rows(changed))),
    ]
    check_replays(replayer, pairs)
