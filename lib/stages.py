# Copyright 2026 Tech Service Quality contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The stages of a technology service: the one home of every stage constant.

Plain Python, no Odoo import: models, wizards, controllers and the demo import the
constants from here, so "the open stages" or "the stages with a gate" mean the same
everywhere.  The labels are the English source strings of the ``service_stage``
selection (Odoo translates them through the field, not through this module).
"""

from __future__ import annotations

__all__ = [
    "GATE_STAGES",
    "OPEN_STAGES",
    "SERVICE_STAGES",
    "STAGE_ORDER",
    "STOPPED_STAGES",
    "TERMINAL_STAGES",
    "gate_progress",
    "next_stage",
    "stage_passed",
]

# The six stages of the service process (R5), plus the three ends of a service.
SERVICE_STAGES = [
    ("s1", "S1 Reception & needs"),
    ("s2", "S2 Service plan"),
    ("s3", "S3 Contract"),
    ("s4", "S4 Implementation"),
    ("s5", "S5 Delivery & acceptance"),
    ("s6", "S6 After-sales"),
    ("done", "Closed"),
    ("declined", "Declined"),
    ("cancelled", "Cancelled"),
]

GATE_STAGES = SERVICE_STAGES[:6]
"""(code, label) of the six stages that end with a gate."""

OPEN_STAGES = tuple(code for code, _label in GATE_STAGES)
"""A service in one of these stages is still running (s1 .. s6)."""

STAGE_ORDER = [code for code, _label in SERVICE_STAGES[:7]]
"""The forward order of a service: s1 .. s6, then done."""

TERMINAL_STAGES = ("done", "declined", "cancelled")
"""The ends of a service: it moves no further."""

STOPPED_STAGES = ("declined", "cancelled")
"""The ends that are not a completion: the service keeps its records and cannot move."""


def next_stage(stage: str) -> str:
    """The stage after ``stage`` in the forward order (``ValueError`` at the end)."""
    index = STAGE_ORDER.index(stage)
    if index + 1 >= len(STAGE_ORDER):
        raise ValueError(f"{stage!r} has no next stage")
    return STAGE_ORDER[index + 1]


def gate_progress(current: str) -> list[tuple[str, str]]:
    """``(code, state)`` of each gate stage for a service at ``current``, state being
    ``passed``, ``current`` or ``todo`` (the client's progress bar).  A declined
    inquiry passed reception only; a cancelled service shows nothing passed."""
    steps = []
    for code, _label in GATE_STAGES:
        if current in STOPPED_STAGES:
            state = "passed" if code == "s1" and current == "declined" else "todo"
        elif current == "done" or STAGE_ORDER.index(code) < STAGE_ORDER.index(current):
            state = "passed"
        elif code == current:
            state = "current"
        else:
            state = "todo"
        steps.append((code, state))
    return steps


def stage_passed(current: str, stage: str) -> bool:
    """Whether a service at ``current`` is past ``stage`` (a stopped service is past
    every stage: its records are closed)."""
    if current in STOPPED_STAGES:
        return True
    return STAGE_ORDER.index(current) > STAGE_ORDER.index(stage)
