"""The goal ladder: which goal a petition shows for a given count."""

from __future__ import annotations

import bisect
from functools import cache
from pathlib import Path

import yaml

LADDER_FILE = Path(__file__).with_name("goal_ladder.yaml")


@cache
def ladder() -> tuple[tuple[int, ...], int]:
    """The rungs (ascending) and the step used beyond the last one, read from the data file."""
    data = yaml.safe_load(LADDER_FILE.read_text(encoding="utf-8"))
    rungs = tuple(int(rung) for rung in data["rungs"])
    step = int(data["step_beyond_last_rung"])
    if list(rungs) != sorted(set(rungs)) or rungs[0] <= 0 or step <= 0:
        raise ValueError(f"{LADDER_FILE}: rungs must be positive, unique and ascending")
    return rungs, step


def ladder_goal(count: int) -> int:
    """The first rung strictly above `count`."""
    rungs, step = ladder()
    index = bisect.bisect_right(rungs, count)
    if index < len(rungs):
        return rungs[index]
    last = rungs[-1]
    return last + ((count - last) // step + 1) * step


def next_goal(count: int, organiser_goal: int | None = None,
              highest_shown: int | None = None) -> int:
    """The goal to show: the next rung, never below the organiser's goal or a goal already
    shown (so that invalidating signatures never makes the goal go down)."""
    if count < 0:
        raise ValueError("a signature count cannot be negative")
    return max(ladder_goal(count), organiser_goal or 0, highest_shown or 0)
