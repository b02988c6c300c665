"""Movement events the engine emits: small frozen dataclasses, times in seconds on the input clock."""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Event", "HoldCompleted", "HoldProgress", "Press", "RepCompleted", "Step", "TooFast"]


@dataclass(frozen=True, slots=True)
class RepCompleted:
    """One deliberate out-and-back movement, committed when the limb is back near where it started.

    Attributes:
        t_s: time the repetition was committed.
        rom_deg: range of motion of this repetition about the exercise axis.
        duration_s: from leaving the start position to coming back.
        peak_speed_dps: highest angular speed about the exercise axis during the repetition.
        too_fast: the peak speed exceeded the exercise's comfortable limit.
        reached_target: the ROM reached the calibrated target (a share of the calibrated ROM).
        smoothness: log dimensionless jerk (LDLJ) of the angular velocity during the repetition: about -6
            for one smooth out-and-back movement, lower (more negative) for jerky or hesitant ones; nan if
            unknown. Accumulated as the repetition goes, so it costs nothing when the repetition completes.
    """

    t_s: float
    rom_deg: float
    duration_s: float
    peak_speed_dps: float
    too_fast: bool
    reached_target: bool
    smoothness: float = math.nan


@dataclass(frozen=True, slots=True)
class TooFast:
    """The limb is moving faster than the exercise's comfortable limit (at most once per repetition)."""

    t_s: float
    speed_dps: float
    limit_dps: float


@dataclass(frozen=True, slots=True)
class HoldProgress:
    """A hold is under way: ``elapsed_s`` of ``target_s`` so far (about once per second)."""

    t_s: float
    elapsed_s: float
    target_s: float


@dataclass(frozen=True, slots=True)
class HoldCompleted:
    """A hold ended (the limb left the hold zone); ``t_s`` is when it began.

    Attributes:
        t_s: start of the hold.
        duration_s: how long the limb stayed in the zone.
        steadiness: 0..1, 1 = perfectly still (from the angle's spread during the hold).
    """

    t_s: float
    duration_s: float
    steadiness: float


@dataclass(frozen=True, slots=True)
class Step:
    """One stride of the leg that wears the puck."""

    t_s: float


@dataclass(frozen=True, slots=True)
class Press:
    """One press or squeeze on the force pad; ``t_s`` is when it was released."""

    t_s: float
    peak_force_n: float
    duration_s: float


Event = RepCompleted | TooFast | HoldProgress | HoldCompleted | Step | Press
