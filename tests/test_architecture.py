"""``docs/architecture.md`` names every module of the package, with its layer and its job, and
names no module that does not exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROW = re.compile(r"^\| `(pylive/[\w/]+\.py)` \| (L[0-4]) \| (.+) \|$", re.M)


def listed() -> dict[str, str]:
    text = (ROOT / "docs" / "architecture.md").read_text()
    return {path: layer for path, layer, _ in ROW.findall(text)}


def test_every_module_is_on_the_map_and_every_listed_one_exists() -> None:
    modules = {str(p.relative_to(ROOT)) for p in (ROOT / "pylive").rglob("*.py")}
    on_map = set(listed())
    assert sorted(modules - on_map) == [], "modules missing from docs/architecture.md"
    assert sorted(on_map - modules) == [], "docs/architecture.md lists modules that do not exist"


def test_the_map_s_layers_agree_with_the_import_contract() -> None:
    """What the map says of L1 is what pyproject's 'pure core' contract holds to."""
    contract = (ROOT / "pyproject.toml").read_text()
    pure = re.search(r"source_modules = \[(.*?)\]", contract, re.S)
    assert pure is not None
    named = set(re.findall(r'"(pylive(?:\.\w+)+)"', pure.group(1)))
    l0_l1 = {
        path.removesuffix(".py").replace("/", ".")
        for path, layer in listed().items()
        if layer in ("L0", "L1")
    }
    assert named <= l0_l1 | {"pylive.testing._apply"}, named - l0_l1
