"""How one exercise session is set up: :class:`SessionConfig` (dose overrides, calibration, caregiver mode)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["SessionConfig", "now_iso"]


@dataclass(frozen=True, slots=True)
class SessionConfig:
    """Session options. ``sets``/``reps``/``rest_s``: override the dose of the person's level (None = keep).

    ``calibration_reps``: movements through the full comfortable range to measure it (0 = reuse the stored
    calibration when there is one). ``idle_timeout_s``: a connected puck that shows no repetition this long
    during calibration, warm-up or a set ends the session. ``tick_s``: how often time-based work runs.
    ``assisted``: caregiver mode (None: when the exercise is passive). ``max_level``: the therapist's cap
    on this exercise's level (None: no cap): the dose never comes from a higher level and no level-up passes it.
    """

    sets: int | None = None
    reps: int | None = None
    rest_s: float | None = None
    calibration_reps: int = 2
    warmup_reps: int = 1
    idle_timeout_s: float = 90.0
    tick_s: float = 0.25
    profile: str = "default"
    assisted: bool | None = None  # a helper moves the limb; None: when the exercise is a passive one
    max_level: int | None = None  # the plan's level cap for this exercise


def now_iso() -> str:
    """Wall-clock time for the store, to the microsecond, with the local UTC offset."""
    return dt.datetime.now().astimezone().isoformat(timespec="microseconds")
