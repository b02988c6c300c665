"""A therapist's level cap: level-ups past it are held back and logged with the reason; step-downs still work."""

from __future__ import annotations

from repquest.exercises import default_catalog
from repquest.progress import CAPPED, RULES, RepRecord, Store, settle_progress


def _session(store: Store, pid: int, day: int, hits: int, exercise: str = "leg_hug") -> int:
    sid = store.start_session(pid, exercise, f"2025-03-{day:02d}T10:00:00")
    store.start_set(sid, 1, 4, 80.0, 40.0, 0.0)
    for n in range(4):
        store.add_rep(RepRecord(sid, 1, n + 1, n, 45.0, 3.0, 60.0, False, n < hits, 40.0, 10))
    store.end_session(sid, f"2025-03-{day:02d}T10:30:00", "completed")
    return sid


def _settle(store: Store, pid: int, day: int, sid: int, cap: int | None) -> tuple[int, str]:
    out = settle_progress(
        store, default_catalog(), pid, "leg_hug", f"2025-03-{day:02d}T11:00:00", max_level=cap, session_id=sid
    )
    return out.level, out.reason


def test_the_cap_holds_a_level_up_back_and_logs_why_once_per_streak() -> None:
    with Store(":memory:") as store:
        pid = store.profile_id("ann", "2025-03-01")
        results = []
        for day in range(1, 1 + 3 * RULES.sessions_to_level_up):
            sid = _session(store, pid, day, hits=4)
            results.append(_settle(store, pid, day, sid, cap=2))
        assert [lv for lv, _ in results] == [1, 1, 2, 2, 2, 2, 2, 2, 2]
        assert [h["new_level"] for h in store.level_history(pid)] == [2]  # never past the cap
        held = [a for a in store.adjustments(pid) if a["what"] == "level"]
        assert len(held) == 2  # one per streak of good sessions above the cap, not one per session
        assert all(a["reason"].startswith(CAPPED) and "highest level 2" in a["reason"] for a in held)
        assert all((a["old_value"], a["new_value"]) == (2, 2) for a in held)
        assert results[5][1].startswith(CAPPED)
        assert results[4][1] == ""
        assert held[0]["session_id"] == 6  # the session that completed the held-back streak
        assert store.level(pid, "leg_hug") == 2


def test_step_down_works_under_the_cap_and_no_cap_means_the_rules_alone() -> None:
    with Store(":memory:") as store:
        pid = store.profile_id("ann", "2025-03-01")
        store.set_level(pid, "leg_hug", 3, "earlier", "2025-02-01T00:00:00")
        day = 1
        for _ in range(RULES.sessions_to_step_down):
            sid = _session(store, pid, day, hits=1)
            level, reason = _settle(store, pid, day, sid, cap=5)
            day += 1
        assert (level, store.level(pid, "leg_hug")) == (2, 2)
        assert "struggle" in reason
        for _ in range(RULES.sessions_to_level_up):
            sid = _session(store, pid, day, hits=4)
            level, reason = _settle(store, pid, day, sid, cap=None)
            day += 1
        assert level == 3
        assert not reason.startswith(CAPPED)


def test_a_level_stored_above_a_new_cap_is_kept_but_doses_at_the_cap() -> None:
    with Store(":memory:") as store:
        pid = store.profile_id("ann", "2025-03-01")
        store.set_level(pid, "leg_hug", 5, "earlier", "2025-02-01T00:00:00")
        level, _ = _settle(store, pid, 1, _session(store, pid, 1, hits=4), cap=3)
        assert level == 3
        assert store.level(pid, "leg_hug") == 5  # nothing achieved is lost
