"""The movement engine: blocks of raw samples in, movement events out. One code path, live and offline.

Per block: gyro bias at rest -> imufusion orientation -> rotation relative to the start pose -> angle
about the movement's principal axis (learned from the first deliberate movement) -> detectors. Until the
axis is known the relative rotations are kept, then replayed through the detectors, so the first
repetition is not lost and the
result does not depend on how the stream was chunked.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .axis import AxisLearner
from .events import Event, Step
from .holds import HoldDetector
from .orientation import BiasTracker, OrientationStream
from .presses import PressDetector
from .profiles import ExerciseProfile, profile_for
from .quaternion import conjugate, twist_from_parts_deg, twist_projector
from .reps import RepDetector

__all__ = ["MovementEngine"]

FloatArray = npt.NDArray[np.float64]

MAX_PENDING_S = 120.0


class MovementEngine:
    """Stateful wrapper around the pure DSP functions for one puck doing one exercise.

    Args:
        exercise: an id from ``EXERCISE_IDS``.
        rate_hz: nominal sample rate (25-1000 Hz); gaps in the time stamps are allowed.
        calibrated_rom_deg: the person's ROM from a guided calibration, if known.
    """

    def __init__(self, exercise: str, rate_hz: float, calibrated_rom_deg: float | None = None) -> None:
        self.exercise = exercise
        self.profile: ExerciseProfile = profile_for(exercise)
        self.rate_hz = float(rate_hz)
        self.samples = 0
        self.steps = 0
        self.angle_deg = 0.0
        self.progress = 0.0
        self.reps = RepDetector(self.profile.reps, self.rate_hz)
        self.reps.calibrated_rom_deg = calibrated_rom_deg
        self.holds = (
            HoldDetector(self.profile.hold_target_s, self.profile.min_hold_s)
            if self.profile.hold_target_s > 0
            else None
        )
        self.presses = PressDetector()
        self._bias = BiasTracker(self.rate_hz)
        self._fusion = OrientationStream(self.rate_hz)
        self._axis = AxisLearner(self.rate_hz)
        self._q_ref_conj: FloatArray | None = None
        self._projector = np.zeros((4, 2))
        self._pending: list[tuple[FloatArray, FloatArray, FloatArray]] = []
        self._pending_n = 0
        self._grow(64)

    def _grow(self, n: int) -> None:
        self._gyr = np.empty((n, 3))
        self._q = np.empty((n, 4))
        self._parts = np.empty((n, 2))
        self._angle = np.empty(n)

    @property
    def axis(self) -> FloatArray | None:
        """The learned rotation axis (3,) in the sensor frame, or None before the first movement."""
        return self._axis.axis

    def feed(
        self, t_s: FloatArray, acc_g: FloatArray, gyr_dps: FloatArray, force_n: FloatArray | None = None
    ) -> list[Event]:
        """Process one block: t_s (n,), acc_g (n, 3) in g, gyr_dps (n, 3) in deg/s, force_n (n,) or None.

        Returns the events the block completed, in time order per detector.
        """
        n = int(t_s.shape[0])
        events: list[Event] = []
        if n == 0:
            return events
        if n > self._gyr.shape[0]:
            self._grow(max(n, 2 * self._gyr.shape[0]))
        self.samples += n
        if force_n is not None:
            self.presses.update(t_s, force_n, events)
        gyr = self._bias.correct(gyr_dps, acc_g, self._gyr[:n])
        q = self._fusion.update(t_s, gyr, acc_g, self._q[:n])
        if self._q_ref_conj is None:
            self._q_ref_conj = conjugate(q[0])
        if self._axis.axis is None:
            locked_at = self._axis.offer(gyr)
            self._pending.append((t_s.copy(), q.copy(), gyr.copy()))
            self._pending_n += n
            if locked_at is None:
                # Keep at most MAX_PENDING_S of waiting samples (a long fidget-free rest at the start).
                while self._pending_n - self._pending[0][0].shape[0] > MAX_PENDING_S * self.rate_hz:
                    self._pending_n -= self._pending.pop(0)[0].shape[0]
                return events
            assert self._axis.axis is not None
            self._projector = twist_projector(self._q_ref_conj, self._axis.axis)
            t_all, q_all, g_all = (np.concatenate(parts) for parts in zip(*self._pending, strict=True))
            self._pending.clear()
            if t_all.shape[0] > self._gyr.shape[0]:
                self._grow(t_all.shape[0])
            self._track(t_all, q_all, g_all, events)
        else:
            self._track(t_s, q, gyr, events)
        return events

    def _track(self, t_s: FloatArray, q: FloatArray, gyr: FloatArray, events: list[Event]) -> None:
        axis = self._axis.axis
        assert axis is not None
        n = t_s.shape[0]
        parts = np.matmul(q, self._projector, out=self._parts[:n])
        angle = twist_from_parts_deg(parts, self.angle_deg, self._angle[:n])
        rate = gyr @ axis
        before = len(events)
        self.reps.update(t_s, angle, rate, events)
        if self.profile.kind == "gait":
            events.extend(Step(e.t_s) for e in events[before:] if not hasattr(e, "speed_dps"))
            self.steps = self.reps.count
        self.angle_deg = float(angle[-1])
        sign = self.reps.out_sign
        rom = self.reps.rom_reference_deg
        if self.holds is not None and sign != 0.0:
            excursion = sign * angle - sign * self.reps.rest_deg
            self.holds.update(t_s, excursion, np.abs(rate), rom, events)
        if sign != 0.0 and rom > 0.0:
            self.progress = min(1.0, max(0.0, sign * (self.angle_deg - self.reps.rest_deg) / rom))
