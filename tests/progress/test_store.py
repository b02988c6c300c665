"""The store: migrations from every old version, backups, refusal of foreign or corrupt files, durability."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from repquest.progress import LATEST_VERSION, HoldRecord, RepRecord, Store, StoreError
from repquest.progress.store_migrations import APPLICATION_ID, MIGRATIONS

AT = "2025-03-01T10:00:00.000000+00:00"


def make_old(path: Path, version: int) -> None:
    """A database as RepQuest ``version`` left it, with one session holding one rep (and one hold from v2)."""
    db = sqlite3.connect(path)
    for number in range(1, version + 1):
        for statement in MIGRATIONS[number - 1]:
            db.execute(statement)
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {number}")
    if version >= 1:
        db.execute("INSERT INTO profiles (name, created_at) VALUES ('ann', ?)", (AT,))
        db.execute(
            "INSERT INTO sessions (profile_id, exercise, started_at, ended_at) VALUES (1, 'leg_hug', ?, ?)",
            (AT, AT),
        )
        db.execute(
            "INSERT INTO reps (session_id, rep_no, t_s, rom_deg, duration_s, peak_speed_dps, too_fast, reached_target)"
            " VALUES (1, 1, 3.5, 42.0, 4.0, 50.0, 0, 1)"
        )
    if version >= 3:
        db.execute("UPDATE sessions SET end_reason = 'completed'")
    if version >= 2:
        db.execute("INSERT INTO holds (session_id, t_s, duration_s, steadiness) VALUES (1, 5.0, 11.0, 0.9)")
        for exercise, value in (("leg_hug", 40.0), ("squeeze", 18.0)):
            db.execute(
                "INSERT INTO calibrations (profile_id, exercise, rom_deg, measured_at) VALUES (1, ?, ?, ?)",
                (exercise, value, AT),
            )
    if version >= 5:  # as version 5 writes them
        db.execute("UPDATE calibrations SET unit = 'N' WHERE exercise = 'squeeze'")
    db.commit()
    db.close()


@pytest.mark.parametrize("version", range(LATEST_VERSION + 1))
def test_upgrade_from_every_version_keeps_the_data(tmp_path: Path, version: int) -> None:
    path = tmp_path / "repquest.db"
    make_old(path, version)
    with Store(path) as store:
        assert store.version == LATEST_VERSION
        history = store.history()
    if version == 0:
        assert history == []
        return
    (session,) = history
    assert session["exercise"] == "leg_hug"
    assert session["end_reason"] == "completed"
    assert [r["rom_deg"] for r in session["reps"]] == [42.0]
    assert len(session["holds"]) == (1 if version >= 2 else 0)
    # Version 5: nothing stored before it was assisted; squeeze calibrations were newtons all along.
    assert session["assisted"] is False
    assert [r["assisted"] for r in session["reps"]] == [False]
    # Version 6: a repetition stored before it had no smoothness measured.
    assert [r["smoothness"] for r in session["reps"]] == [None]
    if version >= 2:
        with Store(path) as store:
            assert [c["unit"] for c in store.calibrations(1, "leg_hug")] == ["deg"]
            assert [(c["value"], c["unit"]) for c in store.calibrations(1, "squeeze")] == [(18.0, "N")]
    backup = tmp_path / f"repquest.db.v{version}.bak"
    assert backup.exists() == (version < LATEST_VERSION)
    if backup.exists():
        old = sqlite3.connect(backup)
        assert old.execute("PRAGMA user_version").fetchone()[0] == version
        old.close()


def test_garbage_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "repquest.db"
    path.write_bytes(b"this is not a database at all " * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="left as it is"):
        Store(path)
    assert path.read_bytes() == before


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE recipes (name TEXT)")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="another program"):
        Store(path)
    assert path.read_bytes() == before


def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "repquest.db"
    make_old(path, LATEST_VERSION)
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def test_file_store_uses_wal_and_commits_each_rep_at_once(tmp_path: Path) -> None:
    with Store.in_dir(tmp_path) as store:
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        pid = store.profile_id("ann", AT)
        sid = store.start_session(pid, "knee_extension", AT)
        rep_id = store.add_rep(RepRecord(sid, 1, 1, 1.0, 40.0, 3.0, 60.0, False, True, 32.0, 10))
        other = sqlite3.connect(tmp_path / "repquest.db")  # another process's view
        assert other.execute("SELECT rom_deg FROM reps WHERE id = ?", (rep_id,)).fetchone() == (40.0,)
        other.close()


def test_profiles_levels_unlocks_adjustments_and_results() -> None:
    with Store(":memory:") as store:
        ann, bob = store.profile_id("ann", AT), store.profile_id("bob", AT)
        assert store.profile_id("ann", AT) == ann
        assert store.profiles() == ["ann", "bob"]
        assert store.level(ann, "leg_hug") == 1
        store.set_level(ann, "leg_hug", 2, "three good sessions", AT)
        assert store.levels(ann) == {"leg_hug": 2}
        assert store.levels(bob) == {}
        assert store.level_history(ann)[0]["reason"] == "three good sessions"
        store.add_unlock(ann, "leg_hug_both", "leg_hug level 3", AT)
        store.add_unlock(ann, "leg_hug_both", "again", AT)
        assert store.unlocks(ann) == {"leg_hug_both"}
        store.log_adjustment(ann, None, "leg_hug", "hold_s", 10, 11, "4 of 4", AT)
        assert store.adjustments(ann)[0]["new_value"] == 11
        sid = store.start_session(ann, "leg_hug", "2025-03-02T10:00")
        store.start_set(sid, 1, 2, 80.0, 40.0, 10.0)
        store.add_rep(RepRecord(sid, 1, 1, 1.0, 45.0, 3.0, 60.0, False, True, 40.0, 10))
        store.add_rep(RepRecord(sid, 1, 2, 5.0, 30.0, 3.0, 60.0, False, False, 40.0, 0))
        store.add_hold(HoldRecord(sid, 2.0, 12.0, 0.8, 10.0, 15))
        store.end_session(sid, "2025-03-02T10:10", "completed")
        (result,) = store.session_results(ann, "leg_hug")
        assert (result.reps, result.successes, result.planned_reps, result.end_reason) == (
            2,
            1,
            2,
            "completed",
        )
        assert store.total_xp(ann) == 25
        assert store.total_xp(bob) == 0
        assert store.reps_per_day(ann) == {"2025-03-02": 2}
        assert store.sessions_since_level_change(ann, "leg_hug") == 1
        assert [r["rom_deg"] for r in store.export_rows()] == [45.0, 30.0]
        store.set_setting("active_profile", "ann")
        assert store.setting("active_profile") == "ann"
        assert store.setting("nothing") is None
