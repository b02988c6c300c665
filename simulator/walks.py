"""Simulated walks with every choice explicit: placement, gait, turn, mounting, rate (``build_set`` draws them).

For step-count benchmarks and tests: ``simulate_walk("thigh", "hemi_affected", 8, seed=3, rate_hz=25)``.
"""

from __future__ import annotations

import zlib
from typing import Literal

import numpy as np

from .gait import Gait, Placement, walking_model
from .imu import SensorErrors
from .motion import FloatArray, random_rotation
from .simulated_set import SimulatedSet
from .truth import SetTruth

__all__ = ["simulate_walk"]


def simulate_walk(
    placement: Placement,
    gait: Gait,
    strides: int,
    *,
    seed: int = 0,
    rate_hz: float = 100.0,
    turn: bool | None = None,
    mounting: Literal["random", "neutral"] = "random",
    noise: bool = True,
    start_rest_s: float = 2.0,
    seated: bool = False,
) -> SimulatedSet:
    """``strides`` swings of the puck leg; everything else random follows from ``seed`` and the choices."""
    key = zlib.crc32(f"walk/{placement}/{gait}".encode())
    motion_rng, mount_rng, error_rng = (
        np.random.default_rng(np.random.SeedSequence([seed & 0xFFFFFFFF, key, k])) for k in range(3)
    )
    model = walking_model(
        strides, motion_rng, start_rest_s, placement=placement, gait=gait, turn=turn, seated=seated
    )
    mount: FloatArray = random_rotation(mount_rng) if mounting == "random" else np.eye(3)
    errors = SensorErrors.random(error_rng, key=(seed * 1_000_003 + key) & 0x7FFFFFFFFFFFFFFF)
    truth = SetTruth(
        exercise="walking",
        reps=len(model.reps),
        rep_events=model.reps,
        seed=seed,
        mounting=tuple((float(r[0]), float(r[1]), float(r[2])) for r in mount),
        duration_s=model.duration_s,
        rate_hz=float(rate_hz),
        speed_limit_dps=model.speed_limit_dps,
        steps=model.steps,
        placement=placement,
        notes={"nominal_amplitude_deg": model.nominal_amplitude_deg},
    )
    return SimulatedSet(model, mount, errors if noise else SensorErrors.none(), truth, float(rate_hz))
