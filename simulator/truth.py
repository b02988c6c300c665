"""Ground truth of a simulated set: what was really done, for tests, benchmarks and ``repquest simulate``.

Times are seconds from the start of the set (the time axis :meth:`SimulatedSet.sample` takes). ``reps``
counts deliberate, complete repetitions only; fidgets and partial movements are listed in ``distractors`` and
must not be counted by a movement engine.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["DistractorTruth", "HoldTruth", "PressTruth", "RepTruth", "SetTruth"]


@dataclass(frozen=True, slots=True)
class RepTruth:
    """One deliberate repetition: onset, arrival at the far end (before any hold), back at rest.

    ``amplitude_deg`` is the rotation from the start posture to the far end about the exercise's joint axis;
    ``peak_speed_dps`` the largest planned angular speed of the rep; ``too_fast`` marks reps done deliberately
    faster than the exercise's ``speed_limit_dps``; ``side`` is +1/-1 for exercises with alternating sides.
    """

    t_start_s: float
    t_peak_s: float
    t_end_s: float
    amplitude_deg: float
    peak_speed_dps: float
    too_fast: bool
    side: int = 1


@dataclass(frozen=True, slots=True)
class HoldTruth:
    """A held position: it starts when the limb arrives and lasts ``duration_s`` (small sway included)."""

    t_start_s: float
    duration_s: float


@dataclass(frozen=True, slots=True)
class PressTruth:
    """One squeeze of the force pad: ``t_s`` is its onset."""

    t_s: float
    peak_force_n: float
    duration_s: float


@dataclass(frozen=True, slots=True)
class DistractorTruth:
    """A movement that is not a repetition.

    ``kind``: "fidget", "partial", "other_leg" (the other leg's march), "light_touch" (squeeze).
    """

    kind: str
    t_start_s: float
    t_end_s: float
    amplitude_deg: float


@dataclass(frozen=True)
class SetTruth:
    """Everything the simulator knows about one set."""

    exercise: str
    reps: int
    rep_events: tuple[RepTruth, ...]
    seed: int
    mounting: tuple[tuple[float, float, float], ...]  # sensor frame -> segment frame, rows of the 3x3 matrix
    duration_s: float
    rate_hz: float
    speed_limit_dps: float
    holds: tuple[HoldTruth, ...] = ()
    steps: int = 0
    presses: tuple[PressTruth, ...] = ()
    distractors: tuple[DistractorTruth, ...] = ()
    placement: str = ""
    notes: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (lists and numbers only)."""
        out = asdict(self)
        out["mounting"] = [list(row) for row in self.mounting]
        for key in ("rep_events", "holds", "presses", "distractors"):
            out[key] = [dict(item) for item in out[key]]
        return out

    @staticmethod
    def from_json(data: dict[str, Any]) -> SetTruth:
        """The inverse of :meth:`to_json`."""
        return SetTruth(
            exercise=str(data["exercise"]),
            reps=int(data["reps"]),
            rep_events=tuple(RepTruth(**r) for r in data["rep_events"]),
            seed=int(data["seed"]),
            mounting=tuple((float(row[0]), float(row[1]), float(row[2])) for row in data["mounting"]),
            duration_s=float(data["duration_s"]),
            rate_hz=float(data["rate_hz"]),
            speed_limit_dps=float(data["speed_limit_dps"]),
            holds=tuple(HoldTruth(**h) for h in data.get("holds", [])),
            steps=int(data.get("steps", 0)),
            presses=tuple(PressTruth(**p) for p in data.get("presses", [])),
            distractors=tuple(DistractorTruth(**d) for d in data.get("distractors", [])),
            placement=str(data.get("placement", "")),
            notes={str(k): float(v) for k, v in data.get("notes", {}).items()},
        )
