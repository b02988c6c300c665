"""The store's reading side: history, sessions, results for the level rules, XP, active days, calibrations,
unlocks and the one-row-per-rep export. Part of :mod:`.store` (the only modules holding SQL are :mod:`.store`,
this one, :mod:`.store_export` and :mod:`.store_migrations`); :class:`~.store.Store` inherits these methods.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

__all__ = ["SessionResult", "StoreQueries"]


@dataclass(frozen=True, slots=True)
class SessionResult:
    """What the level rules look at: how one finished session went."""

    session_id: int
    reps: int
    successes: int
    planned_reps: int
    end_reason: str


class StoreQueries:
    """Read-only queries over an open store connection (``_db``)."""

    _db: sqlite3.Connection

    def _one(self, sql: str, *args: Any) -> Any:
        row = self._db.execute(sql, args).fetchone()
        return None if row is None else row[0]

    def calibrations(self, profile_id: int, exercise: str | None = None) -> list[dict[str, Any]]:
        """Every calibration of one profile (of one exercise, or all), oldest first: ``exercise``, ``value``,
        ``unit`` ("deg" or "N") and ``measured_at`` (ISO)."""
        rows = self._db.execute(
            "SELECT exercise, rom_deg AS value, unit, measured_at FROM calibrations WHERE profile_id = ?"
            " AND (? IS NULL OR exercise = ?) ORDER BY id",
            (profile_id, exercise, exercise),
        )
        return [dict(r) for r in rows]

    def unlock_log(self, profile_id: int) -> list[dict[str, Any]]:
        """Every unlock of one profile in time order: ``exercise``, ``reason`` and ``at`` (ISO)."""
        rows = self._db.execute(
            "SELECT exercise, reason, at FROM unlocks WHERE profile_id = ? ORDER BY at, exercise",
            (profile_id,),
        )
        return [dict(r) for r in rows]

    def last_target_pct(self, profile_id: int, exercise: str) -> float | None:
        """Where the ROM target (% of calibrated range) of ``exercise`` was left: the newest adjustment, or
        the newest set's starting target (it carries over from session to session)."""
        value = self._one(
            "SELECT new_value FROM adjustments WHERE profile_id = ? AND exercise = ? AND what = 'target_pct'"
            " ORDER BY id DESC LIMIT 1",
            profile_id,
            exercise,
        )
        if value is None:
            value = self._one(
                "SELECT t.target_pct FROM sets t JOIN sessions s ON s.id = t.session_id"
                " WHERE s.profile_id = ? AND s.exercise = ? ORDER BY t.id DESC LIMIT 1",
                profile_id,
                exercise,
            )
        return None if value is None else float(value)

    # Reading back: results for the level rules, XP, active days, history and export.
    def session_results(self, profile_id: int, exercise: str, limit: int = 10) -> list[SessionResult]:
        """The last ``limit`` finished sessions of one exercise, newest first."""
        rows = self._db.execute(
            "SELECT s.id, s.end_reason, (SELECT count(*) FROM reps r WHERE r.session_id = s.id),"
            " (SELECT count(*) FROM reps r WHERE r.session_id = s.id AND r.reached_target),"
            " (SELECT coalesce(sum(target_reps), 0) FROM sets t WHERE t.session_id = s.id)"
            " FROM sessions s WHERE s.profile_id = ? AND s.exercise = ? AND s.ended_at IS NOT NULL"
            " ORDER BY s.id DESC LIMIT ?",
            (profile_id, exercise, limit),
        )
        return [SessionResult(r[0], r[2], r[3], r[4], r[1] or "completed") for r in rows]

    def total_xp(self, profile_id: int) -> int:
        return int(
            self._one(
                "SELECT coalesce((SELECT sum(r.xp) FROM reps r JOIN sessions s ON s.id = r.session_id"
                " WHERE s.profile_id = ?), 0) + coalesce((SELECT sum(h.xp) FROM holds h JOIN sessions s"
                " ON s.id = h.session_id WHERE s.profile_id = ?), 0)",
                profile_id,
                profile_id,
            )
        )

    def reps_per_day(self, profile_id: int) -> dict[str, int]:
        """Repetitions per calendar day (the date part of the session start), for streaks and daily goals."""
        rows = self._db.execute(
            "SELECT substr(s.started_at, 1, 10), count(r.id) FROM sessions s LEFT JOIN reps r"
            " ON r.session_id = s.id WHERE s.profile_id = ? GROUP BY 1 ORDER BY 1",
            (profile_id,),
        )
        return {r[0]: int(r[1]) for r in rows}

    def history(self, profile: str | None = None) -> list[dict[str, Any]]:
        """Every session (of one profile, or all), oldest first, with its reps and holds."""
        sql = (
            "SELECT s.id, p.name AS profile, s.exercise, s.started_at, s.ended_at, s.end_reason, s.note,"
            " s.assisted FROM sessions s JOIN profiles p ON p.id = s.profile_id"
        )
        args: tuple[Any, ...] = ()
        if profile is not None:
            sql, args = sql + " WHERE p.name = ?", (profile,)
        sessions = [dict(r) for r in self._db.execute(sql + " ORDER BY s.id", args)]
        for s in sessions:
            self._fill(s)
        return sessions

    def session(self, session_id: int) -> dict[str, Any] | None:
        """One session as :meth:`history` gives it, or None."""
        row = self._db.execute(
            "SELECT s.id, p.name AS profile, s.exercise, s.started_at, s.ended_at, s.end_reason, s.note,"
            " s.assisted FROM sessions s JOIN profiles p ON p.id = s.profile_id WHERE s.id = ?",
            (session_id,),
        ).fetchone()
        return None if row is None else self._fill(dict(row))

    def _fill(self, s: dict[str, Any]) -> dict[str, Any]:
        s["assisted"] = bool(s["assisted"])
        s["reps"] = [
            dict(
                r,
                too_fast=bool(r["too_fast"]),
                reached_target=bool(r["reached_target"]),
                assisted=bool(r["assisted"]),
            )
            for r in self._db.execute(
                "SELECT id, set_no, rep_no, t_s, rom_deg, duration_s, peak_speed_dps, too_fast, reached_target,"
                " target_rom_deg, xp, peak_force_n, smoothness, assisted FROM reps WHERE session_id = ? ORDER BY id",
                (s["id"],),
            )
        ]
        s["holds"] = [
            dict(r, assisted=bool(r["assisted"]))
            for r in self._db.execute(
                "SELECT id, t_s, duration_s, steadiness, target_s, xp, assisted FROM holds WHERE session_id = ?"
                " ORDER BY id",
                (s["id"],),
            )
        ]
        return s

    def sessions_since_level_change(self, profile_id: int, exercise: str) -> int:
        """Finished sessions of ``exercise`` started after its level last changed, or after a level-up was
        last held back by the therapist's cap (all of them if neither happened)."""
        return int(
            self._one(
                "SELECT count(*) FROM sessions WHERE profile_id = ? AND exercise = ? AND ended_at IS NOT NULL"
                " AND started_at > max(coalesce((SELECT max(at) FROM level_history WHERE profile_id = ?"
                " AND exercise = ?), ''), coalesce((SELECT max(at) FROM adjustments WHERE profile_id = ?"
                " AND exercise = ? AND what = 'level'), ''))",
                profile_id,
                exercise,
                profile_id,
                exercise,
                profile_id,
                exercise,
            )
        )

    def export_rows(self) -> list[dict[str, Any]]:
        """One row per repetition with its session's profile, exercise and start time."""
        rows = self._db.execute(
            "SELECT p.name AS profile, s.id AS session_id, s.exercise, s.started_at, r.set_no, r.rep_no, r.t_s,"
            " r.rom_deg, r.target_rom_deg, r.duration_s, r.peak_speed_dps, r.too_fast, r.reached_target, r.xp,"
            " r.peak_force_n, r.assisted"
            " FROM reps r JOIN sessions s ON s.id = r.session_id JOIN profiles p ON p.id = s.profile_id"
            " ORDER BY r.id"
        )
        return [dict(r) for r in rows]
