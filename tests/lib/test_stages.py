"""Tests of lib/stages.py: the stage constants of a service (no Odoo needed)."""

from __future__ import annotations

import pytest


def test_open_stages_are_the_gate_stages(stages):
    assert stages.OPEN_STAGES == ("s1", "s2", "s3", "s4", "s5", "s6")
    assert [code for code, _label in stages.GATE_STAGES] == list(stages.OPEN_STAGES)


def test_order_and_ends(stages):
    assert stages.STAGE_ORDER == ["s1", "s2", "s3", "s4", "s5", "s6", "done"]
    assert stages.TERMINAL_STAGES == ("done", "declined", "cancelled")
    codes = [code for code, _label in stages.SERVICE_STAGES]
    assert codes == stages.STAGE_ORDER + ["declined", "cancelled"]
    assert set(stages.OPEN_STAGES).isdisjoint(stages.TERMINAL_STAGES)
    assert set(stages.STOPPED_STAGES) < set(stages.TERMINAL_STAGES)


def test_next_stage(stages):
    assert stages.next_stage("s1") == "s2"
    assert stages.next_stage("s6") == "done"
    with pytest.raises(ValueError):
        stages.next_stage("done")
    with pytest.raises(ValueError):
        stages.next_stage("cancelled")


def test_stage_passed(stages):
    assert stages.stage_passed("s3", "s2")
    assert not stages.stage_passed("s3", "s3")
    assert not stages.stage_passed("s1", "s2")
    assert stages.stage_passed("done", "s6")
    # a stopped service keeps its records closed, whatever stage it stopped at
    assert stages.stage_passed("declined", "s3")
    assert stages.stage_passed("cancelled", "s1")


def test_gate_progress(stages):
    states = dict(stages.gate_progress("s3"))
    assert list(states) == list(stages.OPEN_STAGES)
    assert states == {
        "s1": "passed",
        "s2": "passed",
        "s3": "current",
        "s4": "todo",
        "s5": "todo",
        "s6": "todo",
    }
    assert set(dict(stages.gate_progress("done")).values()) == {"passed"}
    assert dict(stages.gate_progress("declined")) == {
        "s1": "passed",
        **dict.fromkeys(stages.OPEN_STAGES[1:], "todo"),
    }
    assert set(dict(stages.gate_progress("cancelled")).values()) == {"todo"}
