"""The movement engine: numpy-only signal processing from raw IMU samples to movement events.

Knows no devices, does no I/O and no logging. ``MovementEngine.feed`` is the one entry point, used live per
notification and offline by ``repquest count``.
"""

from .axis import principal_axis
from .engine import MovementEngine
from .events import Event, HoldCompleted, HoldProgress, Press, RepCompleted, Step, TooFast
from .profiles import DETECTOR_KINDS, DetectorKind, EngineSettings, ExerciseProfile, engine_settings
from .quaternion import twist_angle_deg
from .reps import RepSettings

__all__ = [
    "DETECTOR_KINDS",
    "DetectorKind",
    "EngineSettings",
    "Event",
    "ExerciseProfile",
    "HoldCompleted",
    "HoldProgress",
    "MovementEngine",
    "Press",
    "RepCompleted",
    "RepSettings",
    "Step",
    "TooFast",
    "engine_settings",
    "principal_axis",
    "twist_angle_deg",
]
