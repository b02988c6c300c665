"""A simulated set: motion model + sensor imperfections + ground truth, as a :class:`~.puck.MotionSource`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .imu import AccFn, PoseFn, SensorErrors, synthesize_imu
from .motion import FloatArray
from .truth import DistractorTruth, HoldTruth, PressTruth, RepTruth, SetTruth

__all__ = ["ModelOutput", "SimulatedSet"]

ForceFn = Callable[[FloatArray], FloatArray]


@dataclass(frozen=True)
class ModelOutput:
    """What an exercise model produces before sensor mounting and errors are chosen."""

    placement: str
    pose: PoseFn
    lever_arm_m: FloatArray  # (3,) sensor position from the joint, segment frame, metres
    duration_s: float
    speed_limit_dps: float
    reps: tuple[RepTruth, ...]
    holds: tuple[HoldTruth, ...] = ()
    distractors: tuple[DistractorTruth, ...] = ()
    presses: tuple[PressTruth, ...] = ()
    steps: int = 0
    extra_acc_w: AccFn | None = None
    force_n: ForceFn | None = None
    nominal_amplitude_deg: float = 0.0


@dataclass(frozen=True)
class SimulatedSet:
    """One set of an exercise, sampled at any times: ``sample(t_s)`` is a pure function of ``t_s``.

    Attributes:
        duration_s: from 0 to the end of the rest after the last rep.
        rate_hz: the rate :meth:`time_axis` uses by default (the puck samples at its own rate).
        truth: what was done.
    """

    model: ModelOutput
    mounting: FloatArray  # (3, 3) sensor frame -> segment frame
    errors: SensorErrors
    truth: SetTruth
    rate_hz: float

    @property
    def duration_s(self) -> float:
        return self.model.duration_s

    def time_axis(self, rate_hz: float | None = None) -> FloatArray:
        """Sample times (n,) in seconds from 0 to ``duration_s`` at ``rate_hz`` (default: the set's rate)."""
        rate = self.rate_hz if rate_hz is None else rate_hz
        n = int(np.floor(self.duration_s * rate + 1e-9)) + 1
        return np.arange(n, dtype=np.float64) / rate

    def sample(self, t_s: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Readings at ``t_s`` (n,) seconds: acc (n, 3) in g, angular rate (n, 3) in deg/s, force (n,) in N,
        sensor frame, with noise and biases unless the set was built with ``noise=False``."""
        t = np.ascontiguousarray(t_s, dtype=np.float64).reshape(-1)
        m = self.model
        acc, gyr = synthesize_imu(
            m.pose, t, lever_arm_m=m.lever_arm_m, mounting=self.mounting, extra_acc_w=m.extra_acc_w
        )
        force = m.force_n(t) if m.force_n is not None else np.zeros(t.shape[0])
        return self.errors.apply(t, acc, gyr, force)

    def sample_ideal(self, t_s: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Like :meth:`sample` without noise or biases."""
        t = np.ascontiguousarray(t_s, dtype=np.float64).reshape(-1)
        m = self.model
        acc, gyr = synthesize_imu(
            m.pose, t, lever_arm_m=m.lever_arm_m, mounting=self.mounting, extra_acc_w=m.extra_acc_w
        )
        return acc, gyr, m.force_n(t) if m.force_n is not None else np.zeros(t.shape[0])
