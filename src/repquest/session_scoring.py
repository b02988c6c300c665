"""Scoring inside a session: what one repetition, squeeze or hold is worth, and the running counts.

Pure bookkeeping with no store and no clock: :class:`SessionScore` turns a movement event and the current
targets into the record to store and the event to announce; :mod:`repquest.session` commits the record first.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from repquest.dsp import HoldCompleted, Press, RepCompleted
from repquest.progress import (
    RULES,
    HoldRecord,
    Outcome,
    RepRecord,
    Rules,
    Store,
    daily_status,
    hold_xp,
    overall_level,
    rep_xp,
)
from repquest.session_events import HoldDone, RepCounted, SessionSummary

if TYPE_CHECKING:
    from repquest.session import ExerciseSession

__all__ = ["SessionScore", "amount_of", "summarise"]


def amount_of(m: RepCompleted | Press) -> float:
    """The size of one movement: range of motion in degrees, or peak squeeze force in newtons."""
    return m.rom_deg if isinstance(m, RepCompleted) else m.peak_force_n


@dataclass
class SessionScore:
    """Counts of the whole session and of the current set; ``assisted`` marks every record (caregiver mode)."""

    assisted: bool = False
    rules: Rules = RULES
    reps: int = 0
    hits: int = 0
    holds: int = 0
    xp: int = 0
    set_reps: int = 0
    set_hits: int = 0
    last_hold_s: float = 0.0

    def new_set(self) -> None:
        self.set_reps = self.set_hits = 0

    def rep(
        self, m: RepCompleted | Press, session_id: int, set_no: int, target: float, hold_s: float
    ) -> RepRecord:
        """Score one counted movement against ``target`` (degrees or newtons) and a preceding hold."""
        too_fast = m.too_fast if isinstance(m, RepCompleted) else False
        reached = amount_of(m) >= target and (hold_s <= 0 or self.last_hold_s >= hold_s)
        self.last_hold_s = 0.0
        xp = rep_xp(reached, too_fast, self.rules)
        self.set_reps += 1
        self.reps += 1
        self.set_hits += reached
        self.hits += reached
        self.xp += xp
        is_rep = isinstance(m, RepCompleted)
        return RepRecord(
            session_id,
            set_no,
            self.set_reps,
            m.t_s,
            m.rom_deg if isinstance(m, RepCompleted) else 0.0,
            m.duration_s,
            m.peak_speed_dps if isinstance(m, RepCompleted) else 0.0,
            too_fast,
            reached,
            target,
            xp,
            0.0 if is_rep else amount_of(m),
            self.assisted,
            m.smoothness if isinstance(m, RepCompleted) and math.isfinite(m.smoothness) else None,
        )

    def counted(self, rep_id: int, record: RepRecord, target_reps: int) -> RepCounted:
        """The announcement of a stored repetition."""
        return RepCounted(
            rep_id,
            record.set_no,
            record.rep_no,
            target_reps,
            record.rom_deg,
            record.target_rom_deg,
            record.reached_target,
            record.too_fast,
            record.duration_s,
            record.peak_speed_dps,
            record.xp,
            self.xp,
            record.peak_force_n,
            record.assisted,
        )

    def hold(self, m: HoldCompleted, session_id: int, target_s: float) -> HoldRecord:
        xp = hold_xp(m.duration_s, target_s, self.rules)
        self.last_hold_s = max(self.last_hold_s, m.duration_s)
        self.holds += 1
        self.xp += xp
        return HoldRecord(session_id, m.t_s, m.duration_s, m.steadiness, target_s, xp, self.assisted)

    @staticmethod
    def held(hold_id: int, record: HoldRecord) -> HoldDone:
        return HoldDone(
            hold_id,
            record.duration_s,
            record.target_s,
            record.xp > 0,
            record.steadiness,
            record.xp,
            record.assisted,
        )


def summarise(
    session: ExerciseSession, outcome: Outcome, store: Store, at: str, note: str, rules: Rules = RULES
) -> SessionSummary:
    """The last event of a session: its counts, XP, levels and unlocks after ``outcome``, today's goal."""
    total = store.total_xp(session.profile_id)
    daily = daily_status(store.reps_per_day(session.profile_id), dt.date.fromisoformat(at[:10]))
    sc = session.score
    return SessionSummary(
        session.session_id,
        session.exercise.id,
        session.end_reason,
        sc.reps,
        sc.hits,
        sc.holds,
        sc.xp,
        total,
        overall_level(total, rules),
        outcome.level,
        outcome.reason,
        outcome.unlocked,
        daily,
        session.assisted,
        note,
    )
