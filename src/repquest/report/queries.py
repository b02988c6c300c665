"""What the report reads from the store beyond its history: every calibration and every unlock, as values.

The store answers both (:meth:`~repquest.progress.Store.calibrations`, :meth:`~repquest.progress.Store.unlock_log`);
this module only turns its rows into the typed values the report's figures and tables use. No SQL here.
"""

from __future__ import annotations

from dataclasses import dataclass

from repquest.progress import Store

__all__ = ["Calibration", "Unlock", "calibrations", "unlock_log"]


@dataclass(frozen=True, slots=True)
class Calibration:
    """One measurement of the person's comfortable range, ``rom_deg`` in degrees, at ``measured_at`` (ISO).

    Squeezes measure force: there ``rom_deg`` holds newtons and ``unit`` is "N".
    """

    exercise: str
    rom_deg: float
    measured_at: str
    unit: str = "deg"


@dataclass(frozen=True, slots=True)
class Unlock:
    """An exercise that opened at ``at`` (ISO), and why."""

    exercise: str
    reason: str
    at: str


def calibrations(store: Store, profile_id: int) -> list[Calibration]:
    """Every calibration of one profile, oldest first."""
    return [
        Calibration(str(c["exercise"]), float(c["value"]), str(c["measured_at"]), str(c["unit"]))
        for c in store.calibrations(profile_id)
    ]


def unlock_log(store: Store, profile_id: int) -> list[Unlock]:
    """Every unlock of one profile, in time order."""
    return [Unlock(str(u["exercise"]), str(u["reason"]), str(u["at"])) for u in store.unlock_log(profile_id)]
