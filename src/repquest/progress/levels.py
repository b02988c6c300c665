"""After a session: apply the across-session level rule and record new unlocks, each with its reason."""

from __future__ import annotations

from dataclasses import dataclass

from repquest.exercises import Catalog

from .adaptive import level_decision
from .rules import RULES, Rules, unlocked
from .store import Store

__all__ = ["Outcome", "settle_progress"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """The level after the session, why it changed ("" if it did not) and exercises unlocked just now."""

    level: int
    reason: str
    unlocked: tuple[str, ...]


def settle_progress(
    store: Store, catalog: Catalog, profile_id: int, exercise: str, at: str, rules: Rules = RULES
) -> Outcome:
    """Level the exercise up or down if the newest sessions earned it, then record newly open exercises."""
    before = unlocked(catalog, store.levels(profile_id))
    level = store.level(profile_id, exercise)
    since = store.sessions_since_level_change(profile_id, exercise)
    change = level_decision(
        level, store.session_results(profile_id, exercise, limit=since or 1), since, rules
    )
    reason = ""
    if change is not None:
        store.set_level(profile_id, exercise, change.new, change.reason, at)
        level, reason = change.new, change.reason
    fresh = sorted(unlocked(catalog, store.levels(profile_id)) - before - store.unlocks(profile_id))
    for ex_id in fresh:
        needs = ", ".join(f"{p.exercise} level {p.level}" for p in catalog[ex_id].prerequisites)
        store.add_unlock(profile_id, ex_id, f"reached {needs}", at)
    return Outcome(level, reason, tuple(fresh))
