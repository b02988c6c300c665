"""The store's complete export for a clinician's own tools: every table of one profile (or all), as records.

Part of :mod:`.store` (SQL lives only in the store); :class:`~.store.Store` inherits :meth:`StoreExport.export`.
:data:`EXPORT_COLUMNS` fixes the columns of each kind of record, so a file written from an empty store has the
same header as one written from a full one. Units are in the column names (``_deg``, ``_s``, ``_dps``,
``_n``, ``_pct``) or, for calibrations, in ``unit``. Repetitions and holds repeat their session's
``started_at`` (their own ``t_s`` is seconds on the session clock) so a day's work needs no join.
"""

from __future__ import annotations

import sqlite3
from typing import Any

__all__ = ["EXPORT_COLUMNS", "StoreExport"]

_REP = (
    "profile", "session_id", "exercise", "started_at", "rep_id", "set_no", "rep_no", "t_s", "rom_deg", "target_rom_deg",
    "duration_s", "peak_speed_dps", "too_fast", "reached_target", "xp", "peak_force_n", "smoothness", "assisted",
)  # fmt: skip

EXPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "profiles": ("profile", "created_at"),
    "sessions": ("profile", "session_id", "exercise", "started_at", "ended_at", "end_reason", "note", "assisted"),
    "sets": ("profile", "session_id", "exercise", "set_no", "target_reps", "target_pct", "target_rom_deg",
             "hold_s", "reps", "successes", "ended_at"),
    "reps": _REP,
    "holds": ("profile", "session_id", "exercise", "started_at", "hold_id", "t_s", "duration_s", "target_s",
              "steadiness", "xp", "assisted"),
    "calibrations": ("profile", "exercise", "value", "unit", "measured_at"),
    "level_changes": ("profile", "exercise", "old_level", "new_level", "reason", "at"),
    "adjustments": ("profile", "session_id", "exercise", "what", "old_value", "new_value", "reason", "at"),
    "unlocks": ("profile", "exercise", "reason", "at"),
}  # fmt: skip

_BOOLEAN = frozenset({"assisted", "too_fast", "reached_target"})
_S = "JOIN sessions s ON s.id = x.session_id JOIN profiles p ON p.id = s.profile_id"
_P = "JOIN profiles p ON p.id = x.profile_id"
_SQL: dict[str, str] = {
    "profiles": "SELECT p.name AS profile, p.created_at FROM profiles p",
    "sessions": "SELECT p.name AS profile, x.id AS session_id, x.exercise, x.started_at, x.ended_at,"
    " x.end_reason, x.note, x.assisted FROM sessions x " + _P,
    "sets": "SELECT p.name AS profile, x.session_id, s.exercise, x.set_no, x.target_reps, x.target_pct,"
    " x.target_rom_deg, x.hold_s, x.reps, x.successes, x.ended_at FROM sets x " + _S,
    "reps": "SELECT p.name AS profile, x.session_id, s.exercise, s.started_at, x.id AS rep_id, x.set_no,"
    " x.rep_no, x.t_s, x.rom_deg, x.target_rom_deg, x.duration_s, x.peak_speed_dps, x.too_fast, x.reached_target, x.xp,"
    " x.peak_force_n, x.smoothness, x.assisted FROM reps x " + _S,
    "holds": "SELECT p.name AS profile, x.session_id, s.exercise, s.started_at, x.id AS hold_id, x.t_s, x.duration_s,"
    " x.target_s, x.steadiness, x.xp, x.assisted FROM holds x " + _S,
    "calibrations": "SELECT p.name AS profile, x.exercise, x.rom_deg AS value, x.unit, x.measured_at"
    " FROM calibrations x " + _P,
    "level_changes": "SELECT p.name AS profile, x.exercise, x.old_level, x.new_level, x.reason, x.at"
    " FROM level_history x " + _P,
    "adjustments": "SELECT p.name AS profile, x.session_id, x.exercise, x.what, x.old_value, x.new_value,"
    " x.reason, x.at FROM adjustments x " + _P,
    "unlocks": "SELECT p.name AS profile, x.exercise, x.reason, x.at FROM unlocks x " + _P,
}
# Unlocks have no id: their order is the order they happened in.
_ORDER = {"profiles": "p.id", "unlocks": "x.at, x.exercise"}


class StoreExport:
    """The export over an open store connection (``_db``)."""

    _db: sqlite3.Connection

    def export(self, profile: str | None = None) -> dict[str, list[dict[str, Any]]]:
        """Every record of ``profile`` (or of everyone), by kind (the keys of :data:`EXPORT_COLUMNS`).

        Each record holds exactly its kind's columns; ``assisted``, ``too_fast`` and ``reached_target`` are
        booleans, unknown values (a running session's ``ended_at``, an unmeasured ``smoothness``) are None.
        """
        out: dict[str, list[dict[str, Any]]] = {}
        for kind, sql in _SQL.items():
            order = _ORDER.get(kind, "x.id")
            rows = self._db.execute(
                f"{sql} WHERE ? IS NULL OR p.name = ? ORDER BY {order}", (profile, profile)
            )
            out[kind] = [
                {k: bool(r[k]) if k in _BOOLEAN else r[k] for k in EXPORT_COLUMNS[kind]} for r in rows
            ]
        return out
