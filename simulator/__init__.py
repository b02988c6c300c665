"""The virtual puck: motion models per exercise, IMU synthesis, the firmware emulation and fault injection.

Seeded and deterministic; it feeds the real decoder through the real protocol, so everything runs and
is tested without hardware.
"""

from .csv_export import write_simulated_csv
from .exercise_models import EXERCISE_IDS, SimulatedSet, build_set
from .puck import Emission, MotionSource, VirtualPuck
from .truth import SetTruth

__all__ = [
    "EXERCISE_IDS",
    "Emission",
    "MotionSource",
    "SetTruth",
    "SimulatedSet",
    "VirtualPuck",
    "build_set",
    "write_simulated_csv",
]
