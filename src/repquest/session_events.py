"""What an exercise session tells the game: small frozen dataclasses, in the order things happen.

Every :class:`RepCounted` and :class:`HoldDone` is committed to the store before the game receives it.
"""

from __future__ import annotations

from dataclasses import dataclass

from repquest.progress import DailyStatus

__all__ = [
    "Calibrated",
    "Calibrating",
    "HoldDone",
    "HoldProgress",
    "Paused",
    "PuckBatteryLow",
    "PuckDisconnected",
    "PuckReconnected",
    "RepCounted",
    "Resting",
    "Resumed",
    "SessionEvent",
    "SessionStarted",
    "SessionSummary",
    "SetCompleted",
    "SetStarted",
    "StoppedForPain",
    "TargetAdjusted",
    "TooFastCoach",
    "WarmUp",
]


@dataclass(frozen=True, slots=True)
class SessionStarted:
    session_id: int
    exercise: str
    sets: int
    reps_per_set: int
    level: int
    assisted: bool = False  # caregiver mode: a helper moves the limb, prompts speak to the helper


@dataclass(frozen=True, slots=True)
class Calibrating:
    """Guided calibration: move as far as is comfortable. ``progress`` 0..1 of ``reps_needed`` done."""

    progress: float
    reps_done: int
    reps_needed: int


@dataclass(frozen=True, slots=True)
class Calibrated:
    """The person's range (degrees; newtons for squeezes); ``source`` "measured", "stored", or "first rep"
    (calibration skipped with none stored: the first counted repetition sets the range)."""

    rom: float
    source: str


@dataclass(frozen=True, slots=True)
class WarmUp:
    """Warm-up repetition ``rep`` of ``of`` (easy, not scored)."""

    rep: int
    of: int


@dataclass(frozen=True, slots=True)
class SetStarted:
    """``target_rom`` = ``target_pct`` % of the calibrated range; ``hold_s`` 0 when there are no holds."""

    set_no: int
    sets: int
    target_reps: int
    target_pct: float
    target_rom: float
    hold_s: float


@dataclass(frozen=True, slots=True)
class RepCounted:
    """A stored repetition. ``rep_id`` is its row in the store; ``xp`` earned by it, ``total_xp`` so far."""

    rep_id: int
    set_no: int
    rep: int
    target_reps: int
    rom_deg: float
    target_rom: float
    reached_target: bool
    too_fast: bool
    duration_s: float
    peak_speed_dps: float
    xp: int
    total_xp: int
    peak_force_n: float = 0.0  # squeezes: their size in newtons (rom_deg is 0)
    assisted: bool = False  # a helper moved the limb


@dataclass(frozen=True, slots=True)
class HoldProgress:
    elapsed_s: float
    target_s: float


@dataclass(frozen=True, slots=True)
class HoldDone:
    """A stored hold of ``duration_s`` (target ``target_s``); ``steadiness`` 0..1."""

    hold_id: int
    duration_s: float
    target_s: float
    reached_target: bool
    steadiness: float
    xp: int
    assisted: bool = False


@dataclass(frozen=True, slots=True)
class TooFastCoach:
    """The movement was faster than comfortable: the game says "slower", it never rewards speed."""

    speed_dps: float
    limit_dps: float
    message: str = "Slower, please: smooth and gentle movements loosen stiff muscles."


@dataclass(frozen=True, slots=True)
class TargetAdjusted:
    """Within-session difficulty moved ``what`` ("target_pct" or "hold_s") from ``old`` to ``new``."""

    what: str
    old: float
    new: float
    reason: str


@dataclass(frozen=True, slots=True)
class SetCompleted:
    set_no: int
    reps: int
    successes: int


@dataclass(frozen=True, slots=True)
class Resting:
    """Rest between sets; sent once per whole second left (frozen while paused)."""

    seconds_left: int


@dataclass(frozen=True, slots=True)
class Paused:
    reason: str


@dataclass(frozen=True, slots=True)
class Resumed:
    pass


@dataclass(frozen=True, slots=True)
class StoppedForPain:
    note: str


@dataclass(frozen=True, slots=True)
class PuckDisconnected:
    reason: str
    final: bool


@dataclass(frozen=True, slots=True)
class PuckReconnected:
    pass


@dataclass(frozen=True, slots=True)
class PuckBatteryLow:
    battery_pct: int


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """The last event. ``end_reason``: completed, pain, stopped, idle, puck_lost or stream_ended."""

    session_id: int
    exercise: str
    end_reason: str
    reps: int
    successes: int
    holds: int
    xp: int
    total_xp: int
    overall_level: int
    level: int
    level_reason: str
    unlocked: tuple[str, ...]
    daily: DailyStatus
    assisted: bool = False
    note: str = ""  # why it stopped, when stopped for pain


SessionEvent = (
    SessionStarted
    | Calibrating
    | Calibrated
    | WarmUp
    | SetStarted
    | RepCounted
    | HoldProgress
    | HoldDone
    | TooFastCoach
    | TargetAdjusted
    | SetCompleted
    | Resting
    | Paused
    | Resumed
    | StoppedForPain
    | PuckDisconnected
    | PuckReconnected
    | PuckBatteryLow
    | SessionSummary
)
