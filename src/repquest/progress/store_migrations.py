"""The store's schema as numbered migrations (part of the store: the only other file holding SQL).

Migration ``k`` (1-based) takes a database from ``PRAGMA user_version`` k-1 to k. Never edit a released
migration; append a new one. ``tests/progress`` upgrades a database from every earlier version.
"""

from __future__ import annotations

__all__ = ["APPLICATION_ID", "MIGRATIONS"]

APPLICATION_ID = 0x52515354  # "RQST": marks a file as a RepQuest store (PRAGMA application_id)

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: people, sessions and every repetition.
    (
        """CREATE TABLE profiles (
            id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL)""",
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY, profile_id INTEGER NOT NULL REFERENCES profiles(id),
            exercise TEXT NOT NULL, started_at TEXT NOT NULL, ended_at TEXT)""",
        """CREATE TABLE reps (
            id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES sessions(id),
            rep_no INTEGER NOT NULL, t_s REAL NOT NULL, rom_deg REAL NOT NULL, duration_s REAL NOT NULL,
            peak_speed_dps REAL NOT NULL, too_fast INTEGER NOT NULL, reached_target INTEGER NOT NULL)""",
        "CREATE INDEX reps_by_session ON reps(session_id)",
    ),
    # 2: holds and range-of-motion calibrations.
    (
        """CREATE TABLE holds (
            id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES sessions(id),
            t_s REAL NOT NULL, duration_s REAL NOT NULL, steadiness REAL NOT NULL)""",
        "CREATE INDEX holds_by_session ON holds(session_id)",
        """CREATE TABLE calibrations (
            id INTEGER PRIMARY KEY, profile_id INTEGER NOT NULL REFERENCES profiles(id),
            exercise TEXT NOT NULL, rom_deg REAL NOT NULL, measured_at TEXT NOT NULL)""",
    ),
    # 3: sets, targets and XP per repetition, how a session ended, levels, unlocks, the adjustment log.
    (
        """CREATE TABLE sets (
            id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES sessions(id),
            set_no INTEGER NOT NULL, target_reps INTEGER NOT NULL, target_pct REAL NOT NULL,
            target_rom_deg REAL NOT NULL, hold_s REAL NOT NULL, reps INTEGER NOT NULL DEFAULT 0,
            successes INTEGER NOT NULL DEFAULT 0, ended_at TEXT)""",
        "ALTER TABLE sessions ADD COLUMN end_reason TEXT",
        "ALTER TABLE sessions ADD COLUMN note TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE reps ADD COLUMN set_no INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE reps ADD COLUMN target_rom_deg REAL NOT NULL DEFAULT 0",
        "ALTER TABLE reps ADD COLUMN xp INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE holds ADD COLUMN target_s REAL NOT NULL DEFAULT 0",
        "ALTER TABLE holds ADD COLUMN xp INTEGER NOT NULL DEFAULT 0",
        """CREATE TABLE levels (
            profile_id INTEGER NOT NULL REFERENCES profiles(id), exercise TEXT NOT NULL,
            level INTEGER NOT NULL, PRIMARY KEY (profile_id, exercise))""",
        """CREATE TABLE level_history (
            id INTEGER PRIMARY KEY, profile_id INTEGER NOT NULL, exercise TEXT NOT NULL,
            old_level INTEGER NOT NULL, new_level INTEGER NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL)""",
        """CREATE TABLE unlocks (
            profile_id INTEGER NOT NULL, exercise TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL,
            PRIMARY KEY (profile_id, exercise))""",
        """CREATE TABLE adjustments (
            id INTEGER PRIMARY KEY, profile_id INTEGER NOT NULL, session_id INTEGER, exercise TEXT NOT NULL,
            what TEXT NOT NULL, old_value REAL NOT NULL, new_value REAL NOT NULL, reason TEXT NOT NULL,
            at TEXT NOT NULL)""",
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        # Sessions stored by version 2 had no end reason: they finished normally or were cut short.
        "UPDATE sessions SET end_reason = CASE WHEN ended_at IS NULL THEN 'interrupted' ELSE 'completed' END",
    ),
    # 4: squeezes store their peak force.
    ("ALTER TABLE reps ADD COLUMN peak_force_n REAL NOT NULL DEFAULT 0",),
    # 5: assisted (caregiver-moved) sessions, reps and holds are marked, so reports keep them apart; a
    # calibration names its unit (squeezes measure newtons, not degrees).
    (
        "ALTER TABLE sessions ADD COLUMN assisted INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE reps ADD COLUMN assisted INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE holds ADD COLUMN assisted INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE calibrations ADD COLUMN unit TEXT NOT NULL DEFAULT 'deg'",
        # Before version 5 the only force exercise stored its peak squeeze force in rom_deg.
        "UPDATE calibrations SET unit = 'N' WHERE exercise = 'squeeze'",
    ),
    # 6: a repetition keeps its smoothness (log dimensionless jerk; NULL when it was not measured).
    ("ALTER TABLE reps ADD COLUMN smoothness REAL",),
)
