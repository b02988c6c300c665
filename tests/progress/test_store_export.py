"""The store's reading accessors for the report (calibrations, unlock log) and its complete export."""

from __future__ import annotations

import pytest

from repquest.progress import EXPORT_COLUMNS, HoldRecord, RepRecord, Store

AT = "2025-03-02T10:00:00"


def _fill(store: Store) -> tuple[int, int]:
    ann, bob = store.profile_id("ann", AT), store.profile_id("bob", AT)
    store.save_calibration(ann, "leg_hug", 40.0, "2025-03-01T09:00:00")
    store.save_calibration(ann, "squeeze", 18.0, "2025-03-01T09:05:00", unit="N")
    store.save_calibration(ann, "leg_hug", 44.0, "2025-03-05T09:00:00")
    store.save_calibration(bob, "leg_hug", 30.0, "2025-03-01T09:00:00")
    sid = store.start_session(ann, "leg_hug", AT, assisted=True)
    store.start_set(sid, 1, 2, 80.0, 32.0, 10.0)
    store.add_rep(
        RepRecord(sid, 1, 1, 3.5, 45.0, 4.0, 50.0, False, True, 40.0, 10, assisted=True, smoothness=-6.5)
    )
    store.add_rep(RepRecord(sid, 1, 2, 8.0, 30.0, 3.0, 60.0, True, False, 40.0, 0, assisted=True))
    store.add_hold(HoldRecord(sid, 2.0, 12.0, 0.8, 10.0, 15, assisted=True))
    store.end_set(1, 2, 1, "2025-03-02T10:05:00")
    store.end_session(sid, "2025-03-02T10:10:00", "pain", "knee ached")
    store.log_adjustment(ann, sid, "leg_hug", "target_pct", 80.0, 74.0, "1 of 4 attempts on target", AT)
    store.set_level(ann, "leg_hug", 2, "three good sessions", "2025-03-03T10:00:00")
    store.add_unlock(ann, "leg_hug_both", "reached leg_hug level 2", "2025-03-03T10:00:00")
    store.add_unlock(ann, "arm_raise", "reached x", "2025-03-01T10:00:00")
    store.start_session(bob, "leg_hug", AT)  # still running: no end
    return ann, bob


def test_calibrations_of_a_profile_all_or_one_exercise_oldest_first() -> None:
    with Store(":memory:") as store:
        ann, bob = _fill(store)
        every = store.calibrations(ann)
        assert [(c["exercise"], c["value"], c["unit"]) for c in every] == [
            ("leg_hug", 40.0, "deg"),
            ("squeeze", 18.0, "N"),
            ("leg_hug", 44.0, "deg"),
        ]
        assert [c["value"] for c in store.calibrations(ann, "leg_hug")] == [40.0, 44.0]
        assert [c["value"] for c in store.calibrations(bob)] == [30.0]
        assert set(every[0]) == {"exercise", "value", "unit", "measured_at"}


def test_unlock_log_is_in_time_order_with_reasons() -> None:
    with Store(":memory:") as store:
        ann, bob = _fill(store)
        assert [(u["exercise"], u["at"][:10]) for u in store.unlock_log(ann)] == [
            ("arm_raise", "2025-03-01"),
            ("leg_hug_both", "2025-03-03"),
        ]
        assert store.unlock_log(ann)[1]["reason"] == "reached leg_hug level 2"
        assert store.unlock_log(bob) == []


def test_export_has_every_kind_with_fixed_columns_even_when_empty() -> None:
    with Store(":memory:") as store:
        empty = store.export()
        assert list(empty) == list(EXPORT_COLUMNS)
        assert all(rows == [] for rows in empty.values())
        _fill(store)
        full = store.export()
        for kind, rows in full.items():
            assert all(tuple(r) == EXPORT_COLUMNS[kind] for r in rows), kind


def test_export_matches_what_was_stored() -> None:
    with Store(":memory:") as store:
        ann, _ = _fill(store)
        data = store.export("ann")
        assert {r["profile"] for rows in data.values() for r in rows} == {"ann"}
        (session,) = data["sessions"]
        assert (session["end_reason"], session["note"], session["assisted"]) == ("pain", "knee ached", True)
        history = store.history("ann")[0]
        assert [r["rom_deg"] for r in data["reps"]] == [r["rom_deg"] for r in history["reps"]] == [45.0, 30.0]
        assert [r["smoothness"] for r in data["reps"]] == [-6.5, None]
        assert [r["too_fast"] for r in data["reps"]] == [False, True]
        assert all(r["assisted"] is True for r in data["reps"] + data["holds"])
        assert data["holds"][0]["duration_s"] == pytest.approx(12.0)
        assert data["sets"][0]["successes"] == 1
        assert [c["value"] for c in data["calibrations"]] == [c["value"] for c in store.calibrations(ann)]
        assert data["level_changes"][0]["reason"] == "three good sessions"
        assert data["adjustments"][0]["reason"] == "1 of 4 attempts on target"
        assert [u["exercise"] for u in data["unlocks"]] == ["arm_raise", "leg_hug_both"]
        everyone = store.export()
        assert len(everyone["sessions"]) == 2
        assert everyone["sessions"][1]["ended_at"] is None
        assert store.export("nobody")["reps"] == []
