"""After a session: apply the across-session level rule and record new unlocks, each with its reason.

A therapist's plan may cap an exercise's level (``max_level``): a level-up the sessions earned above the cap is
not made; the decision goes to the adjustment log (``what = "level"``, old = new) with the reason
:data:`CAPPED`, and the streak starts over, so the log gets one line per held-back streak, not one per session.
"""

from __future__ import annotations

from dataclasses import dataclass

from repquest.exercises import Catalog

from .adaptive import level_decision
from .rules import RULES, Rules, unlocked
from .store import Store

__all__ = ["CAPPED", "Outcome", "settle_progress"]

CAPPED = "capped by your therapist's plan"


@dataclass(frozen=True, slots=True)
class Outcome:
    """The level after the session (the one that sets the dose: at most the plan's cap), why it changed or was
    held back ("" if neither) and exercises unlocked just now."""

    level: int
    reason: str
    unlocked: tuple[str, ...]


def settle_progress(
    store: Store,
    catalog: Catalog,
    profile_id: int,
    exercise: str,
    at: str,
    rules: Rules = RULES,
    *,
    max_level: int | None = None,
    session_id: int | None = None,
) -> Outcome:
    """Level the exercise up or down if the newest sessions earned it, then record newly open exercises.

    ``max_level``: the therapist's cap for this exercise (None: only ``rules.max_level``); ``session_id``: the
    session just finished, named in the log when a level-up is held back by the cap.
    """
    before = unlocked(catalog, store.levels(profile_id))
    level = store.level(profile_id, exercise)
    since = store.sessions_since_level_change(profile_id, exercise)
    change = level_decision(
        level, store.session_results(profile_id, exercise, limit=since or 1), since, rules
    )
    reason = ""
    if change is not None and max_level is not None and change.new > max(change.old, max_level):
        reason = f"{CAPPED} (highest level {max_level}): {change.reason}"
        store.log_adjustment(profile_id, session_id, exercise, "level", level, level, reason, at)
    elif change is not None:
        store.set_level(profile_id, exercise, change.new, change.reason, at)
        level, reason = change.new, change.reason
    fresh = sorted(unlocked(catalog, store.levels(profile_id)) - before - store.unlocks(profile_id))
    for ex_id in fresh:
        needs = ", ".join(f"{p.exercise} level {p.level}" for p in catalog[ex_id].prerequisites)
        store.add_unlock(profile_id, ex_id, f"reached {needs}", at)
    if max_level is not None:
        level = min(
            level, max_level
        )  # a level earned before the cap was set stays stored, but doses at the cap
    return Outcome(level, reason, tuple(fresh))
