"""The progress store: one SQLite file per computer, several profiles, nothing achieved ever lost.

- WAL journal with ``synchronous=FULL``: each :meth:`Store.add_rep` is its own committed transaction, so a
  repetition the game has announced survives a crash or a power cut.
- Numbered migrations (:mod:`.store_migrations`) tracked by ``PRAGMA user_version``; a file copy
  ``<name>.v<N>.bak`` is taken before a file is migrated.
- A file that is not a database, is another program's database, or comes from a newer RepQuest raises
  :class:`StoreError` and is never written to.

All SQL of RepQuest lives here and in :mod:`.store_queries`, :mod:`.store_export` and
:mod:`.store_migrations`. Times are ISO-8601 texts given by callers.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from repquest.errors import RepQuestError

from .store_export import EXPORT_COLUMNS, StoreExport
from .store_migrations import APPLICATION_ID, MIGRATIONS
from .store_queries import SessionResult, StoreQueries

__all__ = [
    "ACTIVE_PROFILE",
    "EXPORT_COLUMNS",
    "LATEST_VERSION",
    "HoldRecord",
    "RepRecord",
    "SessionResult",
    "Store",
    "StoreError",
]

LATEST_VERSION = len(MIGRATIONS)
ACTIVE_PROFILE = "active_profile"  # setting: the profile used when none is named (CLI and game)
DB_NAME = "repquest.db"


class StoreError(RepQuestError, RuntimeError):
    """The progress database cannot be used (corrupt, foreign or too new); it was left untouched."""


@dataclass(frozen=True, slots=True)
class RepRecord:
    """One counted repetition (``t_s`` on the session clock; angles in degrees)."""

    session_id: int
    set_no: int
    rep_no: int
    t_s: float
    rom_deg: float
    duration_s: float
    peak_speed_dps: float
    too_fast: bool
    reached_target: bool
    target_rom_deg: float
    xp: int
    peak_force_n: float = 0.0
    assisted: bool = False  # a helper moved the limb (caregiver mode)
    smoothness: float | None = None  # log dimensionless jerk (about -6 smooth, lower jerky); None: unmeasured


@dataclass(frozen=True, slots=True)
class HoldRecord:
    """One hold: started at ``t_s``, lasted ``duration_s`` of ``target_s``; steadiness 0..1."""

    session_id: int
    t_s: float
    duration_s: float
    steadiness: float
    target_s: float
    xp: int
    assisted: bool = False


class Store(StoreQueries, StoreExport):
    """Open (creating or migrating) the store at ``path``; ``":memory:"`` for tests."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._open()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise StoreError(
                f"{self.path} is not a usable RepQuest database ({exc}); it was left as it is"
            ) from exc

    @classmethod
    def in_dir(cls, data_dir: Path) -> Store:
        data_dir.mkdir(parents=True, exist_ok=True)
        return cls(data_dir / DB_NAME)

    def _open(self) -> None:
        version = self.version
        app_id = self._one("PRAGMA application_id")
        tables = self._one("SELECT count(*) FROM sqlite_master")
        if (version == 0 and tables) or (version > 0 and app_id != APPLICATION_ID):
            raise StoreError(f"{self.path} belongs to another program; choose another --data-dir")
        if version > LATEST_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer RepQuest (version {version}): please update"
            )
        self._db.execute("PRAGMA foreign_keys = ON")
        if self.path != ":memory:":
            self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")
        if 0 < version < LATEST_VERSION and self.path != ":memory:":
            backup = sqlite3.connect(f"{self.path}.v{version}.bak")
            with backup:
                self._db.backup(backup)
            backup.close()
        self.migrate()

    def migrate(self, to_version: int = LATEST_VERSION) -> None:
        """Apply the migrations after the current version up to ``to_version``, each in one transaction."""
        for number in range(self.version + 1, to_version + 1):
            with self._tx():
                for statement in MIGRATIONS[number - 1]:
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                self._db.execute(f"PRAGMA user_version = {number}")

    @property
    def version(self) -> int:
        return int(self._one("PRAGMA user_version"))

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _insert(self, sql: str, *args: Any) -> int:
        with self._tx():
            cur = self._db.execute(sql, args)
        assert cur.lastrowid is not None
        return cur.lastrowid

    # Profiles and settings.
    def profile_id(self, name: str, created_at: str) -> int:
        """The id of profile ``name``, created if new."""
        found = self._one("SELECT id FROM profiles WHERE name = ?", name)
        if found is not None:
            return int(found)
        return self._insert("INSERT INTO profiles (name, created_at) VALUES (?, ?)", name, created_at)

    def profiles(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT name FROM profiles ORDER BY id")]

    def rename_profile(self, old: str, new: str) -> None:
        """Give profile ``old`` (e.g. an automatic "Player 2") the name ``new``; its history stays with it.

        Raises KeyError if ``old`` is no profile, ValueError if ``new`` is empty or already taken.
        """
        new = new.strip()
        if not new:
            raise ValueError("a profile name cannot be empty")
        with self._tx():
            if self._db.execute("SELECT 1 FROM profiles WHERE name = ?", (new,)).fetchone() is not None:
                raise ValueError(f"there is already a profile called {new!r}")
            if self._db.execute("UPDATE profiles SET name = ? WHERE name = ?", (new, old)).rowcount == 0:
                raise KeyError(old)
            self._db.execute(
                "UPDATE settings SET value = ? WHERE key = ? AND value = ?", (new, ACTIVE_PROFILE, old)
            )

    def setting(self, key: str) -> str | None:
        value = self._one("SELECT value FROM settings WHERE key = ?", key)
        return None if value is None else str(value)

    def set_setting(self, key: str, value: str) -> None:
        with self._tx():
            self._db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))

    # Sessions, sets, repetitions and holds.
    def start_session(self, profile_id: int, exercise: str, started_at: str, assisted: bool = False) -> int:
        """Open a session; ``assisted``: a caregiver moves the limb (its reps are marked assisted)."""
        return self._insert(
            "INSERT INTO sessions (profile_id, exercise, started_at, end_reason, assisted)"
            " VALUES (?, ?, ?, 'running', ?)",
            profile_id,
            exercise,
            started_at,
            int(assisted),
        )

    def end_session(self, session_id: int, ended_at: str, reason: str, note: str = "") -> None:
        with self._tx():
            self._db.execute(
                "UPDATE sessions SET ended_at = ?, end_reason = ?, note = ? WHERE id = ?",
                (ended_at, reason, note, session_id),
            )

    def start_set(
        self,
        session_id: int,
        set_no: int,
        target_reps: int,
        target_pct: float,
        target_rom_deg: float,
        hold_s: float,
    ) -> int:
        return self._insert(
            "INSERT INTO sets (session_id, set_no, target_reps, target_pct, target_rom_deg, hold_s)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            session_id,
            set_no,
            target_reps,
            target_pct,
            target_rom_deg,
            hold_s,
        )

    def end_set(self, set_id: int, reps: int, successes: int, ended_at: str) -> None:
        with self._tx():
            self._db.execute(
                "UPDATE sets SET reps = ?, successes = ?, ended_at = ? WHERE id = ?",
                (reps, successes, ended_at, set_id),
            )

    def add_rep(self, rep: RepRecord) -> int:
        """Store one repetition and commit it before returning (the caller may then announce it)."""
        return self._insert(
            "INSERT INTO reps (session_id, set_no, rep_no, t_s, rom_deg, duration_s, peak_speed_dps, too_fast,"
            " reached_target, target_rom_deg, xp, peak_force_n, assisted, smoothness)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rep.session_id,
            rep.set_no,
            rep.rep_no,
            rep.t_s,
            rep.rom_deg,
            rep.duration_s,
            rep.peak_speed_dps,
            int(rep.too_fast),
            int(rep.reached_target),
            rep.target_rom_deg,
            rep.xp,
            rep.peak_force_n,
            int(rep.assisted),
            rep.smoothness,
        )

    def add_hold(self, hold: HoldRecord) -> int:
        """Store one hold and commit it before returning."""
        return self._insert(
            "INSERT INTO holds (session_id, t_s, duration_s, steadiness, target_s, xp, assisted)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            hold.session_id,
            hold.t_s,
            hold.duration_s,
            hold.steadiness,
            hold.target_s,
            hold.xp,
            int(hold.assisted),
        )

    # Calibrations, levels, unlocks and the adjustment log.
    def save_calibration(
        self, profile_id: int, exercise: str, rom_deg: float, measured_at: str, unit: str = "deg"
    ) -> None:
        """Store a measured range: degrees, or newtons (``unit="N"``) for squeezes (column ``rom_deg``)."""
        self._insert(
            "INSERT INTO calibrations (profile_id, exercise, rom_deg, measured_at, unit) VALUES (?, ?, ?, ?, ?)",
            profile_id,
            exercise,
            rom_deg,
            measured_at,
            unit,
        )

    def latest_calibration(self, profile_id: int, exercise: str) -> float | None:
        value = self._one(
            "SELECT rom_deg FROM calibrations WHERE profile_id = ? AND exercise = ? ORDER BY id DESC LIMIT 1",
            profile_id,
            exercise,
        )
        return None if value is None else float(value)

    def level(self, profile_id: int, exercise: str) -> int:
        value = self._one(
            "SELECT level FROM levels WHERE profile_id = ? AND exercise = ?", profile_id, exercise
        )
        return 1 if value is None else int(value)

    def levels(self, profile_id: int) -> dict[str, int]:
        rows = self._db.execute("SELECT exercise, level FROM levels WHERE profile_id = ?", (profile_id,))
        return {r[0]: int(r[1]) for r in rows}

    def set_level(self, profile_id: int, exercise: str, level: int, reason: str, at: str) -> None:
        """Change a level and log the change with its reason, in one transaction."""
        old = self.level(profile_id, exercise)
        with self._tx():
            self._db.execute(
                "INSERT OR REPLACE INTO levels (profile_id, exercise, level) VALUES (?, ?, ?)",
                (profile_id, exercise, level),
            )
            self._db.execute(
                "INSERT INTO level_history (profile_id, exercise, old_level, new_level, reason, at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (profile_id, exercise, old, level, reason, at),
            )

    def level_history(self, profile_id: int) -> list[dict[str, Any]]:
        rows = self._db.execute(
            "SELECT exercise, old_level, new_level, reason, at FROM level_history WHERE profile_id = ? ORDER BY id",
            (profile_id,),
        )
        return [dict(r) for r in rows]

    def add_unlock(self, profile_id: int, exercise: str, reason: str, at: str) -> None:
        with self._tx():
            self._db.execute(
                "INSERT OR IGNORE INTO unlocks (profile_id, exercise, reason, at) VALUES (?, ?, ?, ?)",
                (profile_id, exercise, reason, at),
            )

    def unlocks(self, profile_id: int) -> set[str]:
        return {
            r[0] for r in self._db.execute("SELECT exercise FROM unlocks WHERE profile_id = ?", (profile_id,))
        }

    def log_adjustment(
        self,
        profile_id: int,
        session_id: int | None,
        exercise: str,
        what: str,
        old: float,
        new: float,
        reason: str,
        at: str,
    ) -> None:
        self._insert(
            "INSERT INTO adjustments (profile_id, session_id, exercise, what, old_value, new_value, reason, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            profile_id,
            session_id,
            exercise,
            what,
            old,
            new,
            reason,
            at,
        )

    def adjustments(self, profile_id: int) -> list[dict[str, Any]]:
        rows = self._db.execute(
            "SELECT session_id, exercise, what, old_value, new_value, reason, at FROM adjustments"
            " WHERE profile_id = ? ORDER BY id",
            (profile_id,),
        )
        return [dict(r) for r in rows]
