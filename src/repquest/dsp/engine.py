"""The movement engine: blocks of raw samples in, movement events out. One code path, live and offline.

Per block: samples -> groups of ``k`` (orientation.Frontend: gyro bias at rest, imufusion per group) ->
rotation relative to the start pose -> angle about the movement's principal axis (learned from the first
deliberate movement) -> detectors, one group at a time. Until the axis is known the groups are kept, then
replayed through the detectors, so the first repetition is not lost and the result does not depend on how
the stream was chunked. Every input (``feed`` for arrays, ``feed_block`` for decoded notifications) ends in
``feed_interleaved``; the hot path is plain Python on scalars, makes no numpy call per notification and
allocates nothing that outlives a call (see ``repquest bench``).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ..firmware_protocol import INTERLEAVED_COLUMNS as _COLUMNS
from ..firmware_protocol import SampleBlock
from .axis import AxisLearner
from .events import Event, RepCompleted, Step
from .holds import HoldDetector
from .orientation import Frontend
from .pose_reps import PoseExcursions
from .presses import PressDetector
from .profiles import EngineSettings
from .reps import RepDetector
from .steps import StrideDetector

__all__ = ["MovementEngine"]

FloatArray = npt.NDArray[np.float64]

_UNIT_SCALES = (1.0, 1.0, 1.0)
MAX_PENDING_S = 120.0
_ROW = 9  # pending group: t, dt, gx, gy, gz, qw, qx, qy, qz
_DEG_PER_HALF_RAD = 360.0 / math.pi
REST_SPEED_SQ = 25.0  # (deg/s)^2: groups slower than 5 deg/s are rest for re-referencing the angle...
REREF_S = 0.5  # ...once the limb has rested this long
# The out side is decided again (between repetitions) once the followed axis has turned this far (cos 60 deg)
# from the axis it was decided on: about the new axis, "out" may be the other sign.
SIDE_AXIS_COS = 0.5
# Reps of the whole orientation (``pose_reps``) complement the axis-based detector for small repetitions that
# hardly turn about the learned axis. Both report into ONE list: a rep from one detector that overlaps (by
# more than SAME_SHARE of the shorter of the two spans) a rep already reported by the other and not yet
# paired is the same movement and is not reported again; each rep pairs with at most one of the other's, and
# nothing already reported is retracted. Any overlap counts: where the limb hardly turns about the axis, the
# axis may see a small rep shifted in time (its candidate spans the rest between two raises). A pose excursion is
# decided POSE_DECIDE_S after it ends (the axis detector usually reports first, with the better angle).
POSE_DECIDE_S = 0.5
SAME_SHARE = 0.0
SPANS_KEPT = 16
# A pose-only excursion counts when the previous excursion (counted or not) ended at most this long before
# it started, no full-size axis rep came between them, and the two are within a factor of POSE_SIZE_RATIO
# in size: a series of small reps, not a lone fidget (as the axis detector's own pairs of minor reps).
POSE_SERIES_GAP_S = 8.0
POSE_SIZE_RATIO = 2.0


class MovementEngine:
    """Stateful wrapper around the DSP for one puck doing one exercise.

    Args:
        settings: the exercise's detector kind, speed limit and hold target (built by the exercise catalog,
            ``Exercise.engine_settings``, with a therapist's plan applied).
        rate_hz: nominal sample rate (25-1000 Hz); gaps in the time stamps are allowed.
        calibrated_rom_deg: the person's ROM from a guided calibration, if known (see ``start_calibration``).
    """

    def __init__(
        self, settings: EngineSettings, rate_hz: float, calibrated_rom_deg: float | None = None
    ) -> None:
        if not isinstance(settings, EngineSettings):
            raise TypeError(
                "MovementEngine needs EngineSettings (see repquest.exercises.engine_settings_for)"
            )
        self.profile: EngineSettings = settings
        self.rate_hz = float(rate_hz)
        self.samples = 0
        self.steps = 0
        self.angle_deg = 0.0
        self._front = Frontend(self.rate_hz)
        self.group_rate_hz = 1.0 / self._front.group_period_s
        self.reps = RepDetector(self.profile.reps, self.group_rate_hz)
        self.reps.calibrated_rom_deg = calibrated_rom_deg
        self.holds = (
            HoldDetector(self.profile.hold_target_s, self.profile.min_hold_s)
            if self.profile.hold_target_s > 0
            else None
        )
        self.presses = PressDetector()
        self._axis = AxisLearner()
        # The angle is offset + the twist of the orientation relative to the pose ref about the axis ax;
        # ref, ax and offset move on at each rest (REREF_S below REST_SPEED_SQ). See ``_track``.
        self._ref: tuple[float, float, float, float] = (1.0, 0.0, 0.0, 0.0)
        self._ax = (0.0, 0.0, 0.0)
        self._offset = 0.0
        self._rest_s = 0.0
        self._rerefd = False
        self._side_axis = (0.0, 0.0, 0.0)  # the followed axis when the repetitions' out side was decided
        self._locked = False
        self._pending = array("d")
        self._max_pending = _ROW * int(MAX_PENDING_S * self.group_rate_hz)
        self._gait = self.profile.kind == "gait"
        self._strides = StrideDetector() if self._gait else None
        self._plain = not self._gait and self.holds is None
        self._calibration_left = 0
        self._calibration_roms: list[float] = []
        self._pose = PoseExcursions(self.group_rate_hz) if not self._gait else None
        self._pose_pending: tuple[float, float, float, float] | None = None
        self._pose_prev: tuple[float, float] | None = None
        self._pose_low = self._pose_pending_low = 0.0
        self._axis_full_end = -math.inf
        # Reported reps per detector: [start_s, end_s, matched] (matched: already paired with the other's).
        self._axis_spans: list[list[float]] = []
        self._pose_spans: list[list[float]] = []

    @property
    def axis(self) -> FloatArray | None:
        """The learned rotation axis (3,) in the sensor frame, or None before the first movement."""
        return self._axis.axis

    # -- guided calibration -------------------------------------------------------------------------------

    @property
    def calibrated_rom_deg(self) -> float | None:
        """The ROM targets and ``progress`` are relative to, once calibrated (None before)."""
        return self.reps.calibrated_rom_deg

    @property
    def calibrating(self) -> bool:
        """True while a guided calibration is waiting for more repetitions."""
        return self._calibration_left > 0

    def set_calibrated_rom(self, rom_deg: float | None) -> None:
        """Use a known ROM (e.g. from the store) for targets and progress; None goes back to the observed one."""
        if rom_deg is not None and not rom_deg > 0.0:
            raise ValueError(f"calibrated ROM must be positive, not {rom_deg}")
        self.reps.calibrated_rom_deg = rom_deg

    def start_calibration(self, reps: int = 3) -> None:
        """Guided calibration: the next ``reps`` comfortable repetitions set the calibrated ROM (their median).

        Repetitions keep being counted and reported meanwhile; when the last one completes,
        ``calibrated_rom_deg`` is set and ``calibrating`` turns False.
        """
        if reps < 1:
            raise ValueError(f"calibration needs at least one repetition, not {reps}")
        self._calibration_left = reps
        self._calibration_roms = []

    def _calibrate_from(self, events: list[Event], before: int) -> None:
        for event in events[before:]:
            rom = getattr(event, "rom_deg", None)
            if rom is None or self._calibration_left == 0:
                continue
            self._calibration_roms.append(rom)
            self._calibration_left -= 1
            if self._calibration_left == 0:
                roms = sorted(self._calibration_roms)
                self.reps.calibrated_rom_deg = (
                    roms[len(roms) // 2]
                    if len(roms) % 2
                    else 0.5 * (roms[len(roms) // 2 - 1] + roms[len(roms) // 2])
                )

    # -- the stream -----------------------------------------------------------------------------------------

    def feed(
        self, t_s: FloatArray, acc_g: FloatArray, gyr_dps: FloatArray, force_n: FloatArray | None = None
    ) -> list[Event]:
        """Process one block: t_s (n,), acc_g (n, 3) in g, gyr_dps (n, 3) in deg/s, force_n (n,) or None.

        Returns the events the block completed, in time order per detector.
        """
        if len(t_s) == 0:
            return []
        force = np.zeros(len(t_s)) if force_n is None else force_n
        values = np.column_stack((acc_g, gyr_dps, force)).ravel().tolist()
        return self.feed_interleaved(t_s.tolist(), values, _UNIT_SCALES)

    def feed_block(self, t_s: Sequence[float] | FloatArray, block: SampleBlock) -> list[Event]:
        """Process one decoded notification whose samples happened at times t_s (s): the live path."""
        values, scales = block.interleaved
        return self.feed_interleaved(t_s.tolist() if isinstance(t_s, np.ndarray) else t_s, values, scales)

    def feed_interleaved(
        self, t_s: Sequence[float], values: Sequence[float], scales: tuple[float, float, float]
    ) -> list[Event]:
        """Process n samples given as times t_s (n,) and interleaved values (``SampleBlock.interleaved``).

        ``feed`` and ``feed_block`` both end here: one code path for every source.
        """
        events: list[Event] = []
        n = len(t_s)
        if n == 0:
            return events
        if len(values) != _COLUMNS * n:
            raise ValueError(f"{n} times need {_COLUMNS * n} interleaved values, not {len(values)}")
        self.samples += n
        presses = self.presses
        forces = values[_COLUMNS - 1 :: _COLUMNS]
        force_scale = scales[2]
        if presses.pressed or max(forces) * force_scale >= presses.on_level_n:
            presses.update(t_s, [f * force_scale for f in forces], events)
        before = len(events)
        sink = self._stride if self._strides is not None else self._track if self._locked else self._learn
        self._front.push(t_s, values, scales, sink, events)
        if self._calibration_left and len(events) > before:
            self._calibrate_from(events, before)
        return events

    def finish(self) -> list[Event]:
        """The stream has ended (``count`` calls this at the end of each file): settle what waits for more data.

        Groups kept until the axis is known are counted on the axis seen so far (a short recording of a few
        slow, small repetitions may never reach the usual lock), and a small excursion waiting for its
        decision is decided. Returns the events that completes; feeding more samples afterwards is allowed.
        """
        events: list[Event] = []
        if self._strides is not None:
            self._strides.finish()
            self._stride_events(self._strides, events)
        if not self._locked and self._axis.settle():
            self._lock()
            self._replay(events)
        pending = self._pose_pending
        if pending is not None:
            self._pose_pending = None
            self._pose_decide(pending, self._pose_pending_low, events)
        if self._calibration_left and events:
            self._calibrate_from(events, 0)
        return events

    def _learn(
        self, t: float, dt: float, gx: float, gy: float, gz: float, q: list[float], events: list[Event]
    ) -> None:
        """Sink for groups before the axis is known: keep them, and replay them all once it locks."""
        if self._locked:
            self._track(t, dt, gx, gy, gz, q, events)
            return
        pending = self._pending
        if not len(pending):
            self._ref = (q[0], q[1], q[2], q[3])
        pending.extend((t, dt, gx, gy, gz))
        pending.extend(q)
        if self._axis.offer(gx, gy, gz, dt):
            self._lock()
            self._replay(events)
        elif len(pending) > 2 * self._max_pending:
            # Keep at most MAX_PENDING_S of waiting groups (a long fidget-free rest at the start).
            del pending[: len(pending) - self._max_pending]

    def _lock(self) -> None:
        self._ax = self._axis.components
        self._locked = True

    def _replay(self, events: list[Event]) -> None:
        p = self._pending
        track = self._track
        for r in range(0, len(p), _ROW):
            track(p[r], p[r + 1], p[r + 2], p[r + 3], p[r + 4], p[r + 5 : r + 9], events)
        del p[:]

    def _track(
        self,
        t: float,
        dt: float,
        gx: float,
        gy: float,
        gz: float,
        q: list[float] | array[float],
        events: list[Event],
    ) -> None:
        """Sink for groups once the axis is known: exercise angle and rate, then the detectors."""
        fx, fy, fz = self._axis.follow(gx, gy, gz, dt)
        q0, q1, q2, q3 = q
        if gx * gx + gy * gy + gz * gz < REST_SPEED_SQ:
            self._rest_s += dt
            if self._rest_s >= REREF_S and not self._rerefd:
                # At rest: measure from here, about the axis as followed so far. The angle stays continuous
                # (the offset is where it was); between two rests it is the twist of the orientation relative
                # to this pose, so it does not depend on the path the limb took, and gravity keeps it honest.
                self._rerefd = True
                self._ref = (q0, q1, q2, q3)
                self._ax = (fx, fy, fz)
                self._offset = self.angle_deg
        else:
            self._rest_s = 0.0
            self._rerefd = False
        ax, ay, az = self._ax
        w = gx * ax + gy * ay + gz * az
        p0, p1, p2, p3 = self._ref
        # conj(ref) * q, in the sensor frame at the reference pose; its twist about the axis.
        dw = p0 * q0 + p1 * q1 + p2 * q2 + p3 * q3
        dx = p0 * q1 - p1 * q0 - p2 * q3 + p3 * q2
        dy = p0 * q2 + p1 * q3 - p2 * q0 - p3 * q1
        dz = p0 * q3 - p1 * q2 + p2 * q1 - p3 * q0
        angle = self._offset + _DEG_PER_HALF_RAD * math.atan2(dx * ax + dy * ay + dz * az, dw)
        previous = self.angle_deg
        if angle - previous > 180.0 or previous - angle > 180.0:
            angle += 360.0 * round((previous - angle) / 360.0)
        self.angle_deg = angle
        reps = self.reps
        if reps.sign == 0.0:
            self._side_axis = (ax, ay, az)
        elif not reps.out:
            sx, sy, sz = self._side_axis
            if sx * ax + sy * ay + sz * az < SIDE_AXIS_COS:
                reps.forget_side()
        pose = self._pose
        if pose is not None:
            before = len(events)
            reps.step(t, angle, w, events)
            if len(events) > before:
                self._merge_axis(events, before)
            was_out = pose.out
            found = pose.step(t, gx, gy, gz, q)
            if was_out or pose.out:
                # How near the start side about the axis the limb stays during a pose excursion: small
                # movements while a big one is held out (a wobble in a hold) are no repetitions.
                y = angle - reps.rest_deg
                y = y if y > 0.0 else -y
                low = self._pose_low
                self._pose_low = y if not was_out or y < low else low
            if found is not None:
                self._pose_pending = found
                self._pose_pending_low = self._pose_low
            pending = self._pose_pending
            if pending is not None and t >= pending[1] + POSE_DECIDE_S:
                self._pose_pending = None
                self._pose_decide(pending, self._pose_pending_low, events)
            if self._plain:
                return
        elif self._plain:
            reps.step(t, angle, w, events)
            return
        holds = self.holds
        if holds is not None and reps.sign != 0.0:
            sign = reps.sign
            holds.step(t, sign * (angle - reps.rest_deg), abs(w), reps.rom_reference_deg, events)

    # -- walking ------------------------------------------------------------------------------------------

    def _stride(
        self, t: float, dt: float, gx: float, gy: float, gz: float, q: list[float], events: list[Event]
    ) -> None:
        """Sink for groups when walking: the stride detector alone (``steps.py``) needs no axis lock.

        A ``Step`` goes out when a stride's swing starts; its ``RepCompleted`` (the swing's angle, duration
        and peak rate, never too fast) when the swing ends, so sessions count strides like repetitions.
        """
        strides = self._strides
        assert strides is not None
        strides.step(t, dt, gx, gy, gz, q)
        self.angle_deg = strides.angle_deg
        if strides.started or strides.finished:
            self._stride_events(strides, events)

    def _stride_events(self, strides: StrideDetector, events: list[Event]) -> None:
        for t0 in strides.started:
            events.append(Step(t0))
        for t_end, swing_deg, swing_s, peak_dps in strides.finished:
            self.reps.count += 1
            events.append(RepCompleted(t_end, swing_deg, swing_s, peak_dps, False, True))
        self.steps = strides.count

    @staticmethod
    def _same(start: float, end: float, spans: list[list[float]]) -> list[float] | None:
        """The first unmatched span overlapping start..end by more than SAME_SHARE of the shorter one."""
        for span in spans:
            if span[2]:
                continue
            overlap = min(end, span[1]) - max(start, span[0])
            if overlap > SAME_SHARE * min(end - start, span[1] - span[0]) and overlap > 0.0:
                return span
        return None

    def _merge_axis(self, events: list[Event], before: int) -> None:
        """Drop axis reps just reported that a counted pose excursion already reported; remember the rest."""
        kept = 0
        for i in range(before, len(events)):
            event = events[i]
            if isinstance(event, RepCompleted):
                start, end = event.t_s - event.duration_s, event.t_s
                same = self._same(start, end, self._pose_spans)
                if same is not None:
                    same[2] = 1.0
                    self.reps.count -= 1
                    continue
                if event.rom_deg >= self.reps.hysteresis_deg:
                    self._axis_full_end = end
                self._axis_spans.append([start, end, 0.0])
                if len(self._axis_spans) > SPANS_KEPT:
                    del self._axis_spans[0]
            events[before + kept] = event
            kept += 1
        del events[before + kept :]

    def _pose_decide(
        self, found: tuple[float, float, float, float], low_deg: float, events: list[Event]
    ) -> None:
        """Count a small pose-only excursion that is part of a series and no axis rep already reported."""
        start, end, peak, peak_speed = found
        prev = self._pose_prev
        self._pose_prev = (end, peak)
        reps = self.reps
        if (
            (reps.sign == 0.0 and not reps.count)
            or peak >= reps.hysteresis_deg
            or low_deg >= reps.hysteresis_deg
        ):
            return
        if prev is None or start - prev[0] > POSE_SERIES_GAP_S or prev[0] < self._axis_full_end:
            return
        if peak > POSE_SIZE_RATIO * prev[1] or prev[1] > POSE_SIZE_RATIO * peak:
            return
        same = self._same(start, end, self._axis_spans)
        if same is not None:
            same[2] = 1.0
            return
        self._pose_spans.append([start, end, 0.0])
        if len(self._pose_spans) > SPANS_KEPT:
            del self._pose_spans[0]
        reps.add_rep(end, peak, end - start, peak_speed, events)

    @property
    def progress(self) -> float:
        """0..1: how far out the limb is now, as a share of the reference ROM (0 before the first movement)."""
        reps = self.reps
        sign = reps.sign
        rom = reps.rom_reference_deg
        if sign == 0.0 or not rom > 0.0:
            return 0.0
        return min(1.0, max(0.0, sign * (self.angle_deg - reps.rest_deg) / rom))
