"""Hooks attached to one socket at run time: LiveView's ``attach_hook(name, stage, fn)``.

A view (or an ``on_mount`` hook, or a live component for ``handle_event`` and ``after_render``)
attaches ``fn`` to a stage; the stage's hooks run in the order attached, before the callback
(``pylive.lifecycle``). Each returns ``"cont"`` (or None) to go on, or ``"halt"`` to stop there:
the callback and the later hooks do not run. A ``handle_event`` hook may halt with a reply:
``("halt", {"ok": True})``. ``after_render`` hooks run after each render and only observe.

===================  ==============================  ==========================
stage                ``fn`` receives                 returns
===================  ==============================  ==========================
``handle_params``    ``(params, uri, socket)``       "cont" / "halt"
``handle_event``     ``(event, params, socket)``     "cont" / "halt" / ("halt", reply)
``handle_info``      ``(msg, socket)``               "cont" / "halt"
``handle_async``     ``(name, result, socket)``      "cont" / "halt"
``after_render``     ``(socket)``                    anything (ignored)
===================  ==============================  ==========================
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, Literal

from pylive.exceptions import InvalidReturn

AttachStage = Literal[
    "handle_params", "handle_event", "handle_info", "handle_async", "after_render"
]
ATTACH_STAGES: Final[tuple[AttachStage, ...]] = (
    "handle_params",
    "handle_event",
    "handle_info",
    "handle_async",
    "after_render",
)
COMPONENT_STAGES: Final[tuple[AttachStage, ...]] = ("handle_event", "after_render")
CONT: Final = "cont"
HALT: Final = "halt"


class AttachedHooks:
    """The hooks of one socket, by stage, in the order attached."""

    __slots__ = ("by_stage", "owner", "stages")

    def __init__(self, owner: str, stages: tuple[AttachStage, ...] = ATTACH_STAGES) -> None:
        self.owner = owner
        self.stages = stages
        self.by_stage: dict[str, list[tuple[str, Callable[..., Any]]]] = {}

    def attach(self, name: str, stage: str, fn: Callable[..., Any]) -> None:
        where = f"{self.owner}.attach_hook({name!r}, {stage!r})"
        if stage not in self.stages:
            raise ValueError(f"{where}: expected a stage among {', '.join(self.stages)}")
        if not isinstance(name, str) or not name:
            raise ValueError(f"{where}: expected a non-empty str name")
        if not callable(fn):
            raise TypeError(f"{where}: expected a function, got {fn!r}")
        hooks = self.by_stage.setdefault(stage, [])
        if any(existing == name for existing, _ in hooks):
            raise ValueError(f"{where}: a hook named {name!r} is already attached to {stage}")
        hooks.append((name, fn))

    def detach(self, name: str, stage: str) -> None:
        hooks = self.by_stage.get(stage, [])
        kept = [(n, fn) for n, fn in hooks if n != name]
        if len(kept) == len(hooks):
            attached = ", ".join(n for n, _ in hooks) or "none"
            raise KeyError(
                f"{self.owner}.detach_hook({name!r}, {stage!r}): no such hook (attached: "
                f"{attached})"
            )
        self.by_stage[stage] = kept

    def of(self, stage: str) -> list[tuple[str, Callable[..., Any]]]:
        """The hooks of ``stage``, a copy (a hook may attach or detach others)."""
        return list(self.by_stage.get(stage, ()))


def verdict(result: Any, stage: str, name: str, owner: str) -> tuple[bool, dict[str, Any] | None]:
    """What a hook's return means: ``(halted, reply)``; anything else is an ``InvalidReturn``."""
    if result is None or result == CONT:
        return False, None
    if result == HALT:
        return True, None
    if (
        stage == "handle_event"
        and isinstance(result, tuple)
        and len(result) == 2
        and result[0] == HALT
        and isinstance(result[1], dict)
    ):
        return True, result[1]
    allowed = (
        "'cont', 'halt' or ('halt', reply_dict)"
        if stage == "handle_event"
        else ("'cont' or 'halt'")
    )
    raise InvalidReturn(
        f"invalid return from the {stage} hook {name!r} of {owner}: expected {allowed}, "
        f"got {result!r}"
    )
