"""XP, levels and unlocks: the rules are data (:data:`RULES`), the functions only apply them.

- XP: a repetition earns XP when it reached its target at a comfortable speed (speed is never rewarded);
  a hold earns XP when it lasted its target.
- Overall level from total XP (thresholds in :data:`RULES`).
- Per-exercise level: raised only after a streak of good sessions, stepped back after repeated struggle
  (see :mod:`.adaptive`); the level sets the dose (:func:`dose_for_level`).
- Unlocks: an exercise opens when each prerequisite exercise reached its level (catalog data).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from repquest.exercises import Catalog, Exercise, Targets

__all__ = ["RULES", "Rules", "dose_for_level", "hold_xp", "overall_level", "rep_xp", "unlocked"]


@dataclass(frozen=True, slots=True)
class Rules:
    """Every number the progress rules use, in one place.

    Attributes:
        rep_xp / hold_xp: XP for a repetition that reached its target / a hold that lasted its target.
        overall_xp: total XP needed for overall levels 2, 3, ...
        max_level: highest per-exercise level.
        good_rate / struggle_rate: a session is good at or above ``good_rate`` of its reps on target and all
            planned reps done; struggling below ``struggle_rate`` (or stopped for pain).
        sessions_to_level_up / sessions_to_step_down: how many such sessions in a row change the level.
        reps_per_level / hold_s_per_level / max_hold_s: how the dose grows with each level above 1.
    """

    rep_xp: int = 10
    hold_xp: int = 15
    overall_xp: tuple[int, ...] = (100, 300, 600, 1000, 1500, 2100, 2800, 3600, 4500)
    max_level: int = 10
    good_rate: float = 0.7
    struggle_rate: float = 0.5
    sessions_to_level_up: int = 3
    sessions_to_step_down: int = 2
    reps_per_level: int = 1
    hold_s_per_level: float = 1.0
    max_hold_s: float = 30.0
    max_reps: int = 30


RULES = Rules()


def rep_xp(reached_target: bool, too_fast: bool, rules: Rules = RULES) -> int:
    return rules.rep_xp if reached_target and not too_fast else 0


def hold_xp(duration_s: float, target_s: float, rules: Rules = RULES) -> int:
    return rules.hold_xp if target_s > 0 and duration_s >= target_s else 0


def overall_level(total_xp: int, rules: Rules = RULES) -> int:
    """1 + the number of XP thresholds reached."""
    return 1 + sum(total_xp >= t for t in rules.overall_xp)


def dose_for_level(exercise: Exercise, level: int, rules: Rules = RULES) -> Targets:
    """The exercise's default targets grown for ``level``: more reps and longer holds (never more speed)."""
    t = exercise.targets
    above = max(0, level - 1)
    hold_s = min(rules.max_hold_s, t.hold_s + rules.hold_s_per_level * above) if t.hold_s > 0 else 0.0
    return exercise.with_targets(
        reps=min(rules.max_reps, t.reps + rules.reps_per_level * above), hold_s=hold_s
    ).targets


def unlocked(catalog: Catalog, levels: Mapping[str, int]) -> set[str]:
    """Ids whose every prerequisite reached its level (exercises without prerequisites are always open)."""
    return {
        ex.id
        for ex in catalog.values()
        if all(levels.get(p.exercise, 1) >= p.level for p in ex.prerequisites)
    }
