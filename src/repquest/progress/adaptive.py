"""Two-layer adaptive difficulty, as pure state machines; every change carries a reason for the therapist.

Within a session (:class:`TargetController`): after every block of repetitions the ROM target (a % of the
calibrated ROM) and the hold time move by a weighted up-down rule: +``up`` per success and -``3 * up`` per
miss. The rule is at rest exactly when 3 of 4 attempts succeed, so the success rate settles at 75 %, inside
the 70-80 % band, whatever the person's ability.

Across sessions (:func:`level_decision`): the level changes only after a streak of good sessions, and steps
back after repeated struggle (see :class:`~repquest.progress.rules.Rules`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .rules import RULES, Rules
from .store import SessionResult

__all__ = ["Adjustment", "LevelChange", "TargetController", "level_decision"]

BLOCK = 4  # attempts per adjustment: small enough to react within a set, large enough not to chase luck


@dataclass(frozen=True, slots=True)
class Adjustment:
    """A change of ``what`` ("target_pct" or "hold_s") from ``old`` to ``new``, and why."""

    what: str
    old: float
    new: float
    reason: str


@dataclass
class TargetController:
    """Keeps one person's success rate near 75 % by nudging the ROM target and the hold time.

    Args:
        target_pct: ROM target as % of the calibrated ROM. hold_s: hold target (0 = no holds).
        pct_step / hold_step_s: the "up" step; a miss counts three steps down.
        min_pct, max_pct, min_hold_s, max_hold_s: the range the targets stay in.
    """

    target_pct: float
    hold_s: float = 0.0
    pct_step: float = 2.0
    hold_step_s: float = 0.5
    min_pct: float = 30.0
    max_pct: float = 100.0
    min_hold_s: float = 3.0
    max_hold_s: float = 30.0
    _results: list[bool] = field(default_factory=list)

    def record(self, success: bool) -> list[Adjustment]:
        """Note one attempt; after every :data:`BLOCK` attempts returns the adjustments made (maybe none)."""
        self._results.append(success)
        if len(self._results) < BLOCK:
            return []
        hits = sum(self._results)
        self._results.clear()
        balance = hits - 3 * (BLOCK - hits)
        if balance == 0:
            return []
        why = f"{hits} of {BLOCK} attempts on target: " + (
            "easier than the 70-80 % band" if balance > 0 else "harder than the 70-80 % band"
        )
        changes = []
        new_pct = min(self.max_pct, max(self.min_pct, self.target_pct + balance * self.pct_step))
        if new_pct != self.target_pct:
            changes.append(Adjustment("target_pct", self.target_pct, new_pct, why))
            self.target_pct = new_pct
        if self.hold_s > 0:
            new_hold = min(self.max_hold_s, max(self.min_hold_s, self.hold_s + balance * self.hold_step_s))
            if new_hold != self.hold_s:
                changes.append(Adjustment("hold_s", self.hold_s, new_hold, why))
                self.hold_s = new_hold
        return changes


@dataclass(frozen=True, slots=True)
class LevelChange:
    old: int
    new: int
    reason: str


def _is_good(r: SessionResult, rules: Rules) -> bool:
    return (
        r.end_reason == "completed"
        and r.reps >= r.planned_reps > 0
        and r.successes >= rules.good_rate * r.reps
    )


def _is_struggle(r: SessionResult, rules: Rules) -> bool:
    return r.end_reason == "pain" or (r.reps > 0 and r.successes < rules.struggle_rate * r.reps)


def level_decision(
    level: int, results: Sequence[SessionResult], since_change: int, rules: Rules = RULES
) -> LevelChange | None:
    """The level change earned by the newest sessions (``results`` newest first), or None.

    ``since_change``: sessions played since the level last changed; a streak only counts sessions at the
    current level, so one level-up needs a fresh streak before the next.
    """
    recent = list(results[:since_change])
    up, down = rules.sessions_to_level_up, rules.sessions_to_step_down
    if len(recent) >= up and all(_is_good(r, rules) for r in recent[:up]) and level < rules.max_level:
        return LevelChange(
            level, level + 1, f"{up} good sessions in a row (at least {rules.good_rate:.0%} on target)"
        )
    if len(recent) >= down and all(_is_struggle(r, rules) for r in recent[:down]) and level > 1:
        return LevelChange(
            level, level - 1, f"{down} sessions in a row were a struggle: stepping back to rebuild"
        )
    return None
