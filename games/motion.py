"""What scenes receive each frame instead of devices: the exercise session's events, the continuous
``progress`` of each puck, and the link state. pygame-free."""

from __future__ import annotations

from dataclasses import dataclass, field

from repquest.session_events import SessionEvent

__all__ = ["GameEvent", "LinkState", "MotionFrame"]

GameEvent = SessionEvent


@dataclass(frozen=True, slots=True)
class LinkState:
    """``connected``: streaming now; ``reconnecting``: lost and trying again (the game pauses)."""

    connected: bool = False
    reconnecting: bool = False
    label: str = ""
    battery_pct: int | None = None
    attempt: int = 0
    battery_low: bool = False
    gave_up: bool = False


@dataclass(slots=True)
class MotionFrame:
    """One frame's movement: the session's events since the last frame, in order (every RepCounted and
    HoldDone among them is already committed to the store).

    Attributes:
        events: session events of the main puck since the last frame.
        progress: 0..1 of the calibrated range, one per puck (main puck first).
        angle_deg: the main puck's angle about the exercise axis (calibration feedback).
        link: the main puck's link state.
    """

    events: list[GameEvent] = field(default_factory=list)
    progress: tuple[float, ...] = (0.0,)
    angle_deg: float = 0.0
    link: LinkState = field(default_factory=LinkState)


IDLE = MotionFrame()
