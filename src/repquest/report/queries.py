"""Read-only look-ups the report needs and the store's public methods do not offer.

The store answers "the latest calibration" and "which exercises are unlocked", but a report needs every
calibration (the baseline moves when the person is re-measured) and when and why each exercise opened.
These two SELECTs read the store's connection and never write; they belong in the store once its owner adds
``calibrations(profile_id)`` and ``unlock_log(profile_id)`` there.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from repquest.progress import Store

__all__ = ["Calibration", "Unlock", "calibrations", "unlock_log"]


@dataclass(frozen=True, slots=True)
class Calibration:
    """One measurement of the person's comfortable range, ``rom_deg`` in degrees, at ``measured_at`` (ISO)."""

    exercise: str
    rom_deg: float
    measured_at: str


@dataclass(frozen=True, slots=True)
class Unlock:
    """An exercise that opened at ``at`` (ISO), and why."""

    exercise: str
    reason: str
    at: str


def _connection(store: Store) -> sqlite3.Connection:
    db = store._db  # read-only use; see the module docstring
    assert isinstance(db, sqlite3.Connection)
    return db


def calibrations(store: Store, profile_id: int) -> list[Calibration]:
    """Every calibration of one profile, oldest first."""
    rows = _connection(store).execute(
        "SELECT exercise, rom_deg, measured_at FROM calibrations WHERE profile_id = ? ORDER BY id",
        (profile_id,),
    )
    return [Calibration(str(r[0]), float(r[1]), str(r[2])) for r in rows]


def unlock_log(store: Store, profile_id: int) -> list[Unlock]:
    """Every unlock of one profile, in time order."""
    rows = _connection(store).execute(
        "SELECT exercise, reason, at FROM unlocks WHERE profile_id = ? ORDER BY at, exercise", (profile_id,)
    )
    return [Unlock(str(r[0]), str(r[1]), str(r[2])) for r in rows]
