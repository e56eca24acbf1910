"""``pylive.testing._identity``: element identities follow the server's ops as the browser's DOM
nodes do (keyed moves keep them, removals end them), and a join render takes them over by id,
else by place."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pylive.diff import diff
from pylive.html import div, element, li, p, span, ul
from pylive.node import Element, Node, top_level
from pylive.testing import apply
from pylive.testing._dom import Page
from pylive.testing._identity import Slot, Slots

TAGS = ["div", "span", "p", "li"]


@st.composite
def rows(draw: st.DrawFn, depth: int = 0, key: str | None = None) -> Element:
    tag = draw(st.sampled_from(TAGS))
    children: list[Any] = []
    for _ in range(draw(st.integers(0, 3 if depth < 2 else 0))):
        if draw(st.booleans()):
            children.append(draw(st.sampled_from(["x", "y"])))
        else:
            children.append(draw(rows(depth + 1)))
    title = draw(st.sampled_from(["1", "2"]))
    return element(tag)(*children, key=key, title=title)


@st.composite
def related(draw: st.DrawFn) -> tuple[Element, Element, list[str], list[str]]:
    keys = draw(st.lists(st.sampled_from("abcdefgh"), unique=True, max_size=8))
    made = {k: draw(rows(key=k)) for k in "abcdefgh"}
    new = [k for k in draw(st.permutations(keys)) if draw(st.integers(0, 4))]
    new += [k for k in draw(st.permutations("abcdefgh")) if k not in keys][
        : draw(st.integers(0, 2))
    ]
    return ul(*[made[k] for k in keys]), ul(*[made[k] for k in new]), keys, new


def joined(nodes: list[Node]) -> Slots:
    slots = Slots()
    slots.join([], nodes)
    return slots


def check_aligned(nodes: list[Node], slots: list[Slot | None]) -> None:
    """Each element has a slot of its tag, each text none (``Page`` checks the counts)."""
    Page(nodes, slots)
    for node, slot in zip(nodes, slots, strict=True):
        if type(node) is Element:
            assert slot is not None and slot.tag == node.tag
            if not node.raw:
                check_aligned(list(node.children), slot.children)
        else:
            assert slot is None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(related())
def test_identity_follows_keyed_moves_inserts_and_removals(
    case: tuple[Element, Element, list[str], list[str]],
) -> None:
    a, b, old_keys, new_keys = case
    slots = joined([a])
    before = {k: slot.token for k, slot in zip(old_keys, slots.roots[0].children, strict=True)}  # type: ignore[union-attr]
    kept, added, removed = slots.patch(diff(a, b))
    nodes = list(top_level(apply(kept, a)))
    assert nodes == [b]
    check_aligned(nodes, slots.roots)
    after = {k: slot.token for k, slot in zip(new_keys, slots.roots[0].children, strict=True)}  # type: ignore[union-attr]
    for k in set(old_keys) & set(new_keys):
        assert after[k] == before[k]  # a kept row is the same element, wherever it moved
    fresh = {after[k] for k in new_keys if k not in old_keys}
    assert not fresh & set(before.values())
    assert {slot.token for slot in added} >= fresh
    assert {slot.token for slot in removed} == {before[k] for k in old_keys if k not in new_keys}


def test_identity_join_takes_over_by_id_else_by_place() -> None:
    old: list[Node] = [div(p("a", id="x"), span("b"), ul(li("c")))]
    slots = joined(old)
    root = slots.roots[0]
    assert root is not None
    x, s, u = root.children
    assert x is not None and s is not None and u is not None
    new: list[Node] = [div(span("b2"), ul(li("c2")), p("a2", id="x"))]
    slots.join(old, new)
    root2 = slots.roots[0]
    assert root2 is not None
    assert root2.token == root.token  # the container div: same place, same tag
    s2, u2, x2 = root2.children
    assert x2 is not None and x2.token == x.token  # moved, found by its id
    assert s2 is not None and s2.token not in (s.token, x.token)  # a span where a p was
    assert u2 is not None and u2.token != u.token  # a ul where a span was


def test_identity_ops_inside_an_ignored_element_are_dropped() -> None:
    old: list[Node] = [div(p("first", id="in"), id="island", phx_update="ignore"), p("n")]
    new: list[Node] = [div(p("second", id="in"), id="island", phx_update="ignore"), p("m")]
    slots = joined(old)
    kept, added, removed = slots.patch(diff(old[0], new[0]) + [[0, [1, 0], "m"]])
    assert kept == [[0, [1, 0], "m"]]
    assert (added, removed) == ([], [])
