"""Stride detector: one count per swing of the leg that wears the puck (foot, shin or thigh, any mounting).

What holds for every placement, speed and gait: the segment turns forward about the leg's mediolateral axis
once per stride (the swing) and back during stance, so its angle about that axis goes round one cycle per
stride; and the swing is the QUICKER half of that cycle (walking has swing shorter than stance at any
speed: ~40 % of the stride when healthy, up to ~45 % on a hemiparetic leg). Per group of samples
(``orientation.Frontend``, 12.5-25 per second: a group's summed rates integrate the angle as exactly as the
raw samples do, and strides last 0.7-4 s):

1. **Axis.** The mediolateral axis is the main direction of the rotation rate: the leading eigenvector of an
   exponentially weighted covariance of the rate vectors (``AXIS_TAU_S``), one power iteration per group.
   No lock, no early guess to live with; turns (rotation about the vertical) hardly move it.
2. **Angle.** A leaky integral of the rate VECTOR (``LEAK_S``), projected on the current axis: a high-pass
   angle with no drift from an imperfect gyro bias, back at zero whenever the person stands, and with no
   jump when the axis estimate moves.
3. **Half-cycles.** Peak/trough tracking with hysteresis ``delta``: a share of the person's own recent
   half-cycles (slow, weak walkers swing little), never below ``MIN_RISE_DEG`` (``MIN_START_DEG`` for
   the first half-cycle of a walk, which has no history to go by). Each half-cycle's duration
   runs from the moment the angle left one extreme to the moment it left the next.
4. **Which way is the swing.** The direction whose half-cycles are quicker on average. It is decided after
   two full half-cycles of walking (steps of the first stride are held back until then, then reported with
   their own times) and kept unless later walking clearly says otherwise.
5. **Count.** A stride counts when a half-cycle in the swing direction begins, unless it begins within
   ``REFRACTORY_SHARE`` of the recent stride period of the last stride. A pause of ``BOUT_GAP_S`` ends the
   walking bout: amplitudes and periods are forgotten and the next walk starts like the first.

Heel-strike impacts and the recording's speed play no part. Plain Python on scalars; nothing allocated per
group outlives the call.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["StrideDetector", "Swing"]

AXIS_TAU_S = 10.0  # memory of the rate covariance that gives the mediolateral axis
LEAK_S = 2.0  # time constant of the leaky angle (a high-pass near 0.08 Hz; strides are 0.25-1.4 Hz)
MOVING_DPS = 15.0  # slower rotation does not teach the axis (rest, sway)
MIN_START_DEG = 12.0  # a walk's first half-cycle must be this big (not standing sway, shifting weight)
MIN_RISE_DEG = 6.0  # once walking, a half-cycle must still be this big (short turning steps are bigger)
RISE_SHARE = 0.35  # hysteresis as a share of the median recent half-cycle
EXTREME_TOL_DEG = 1.0  # the angle has left an extreme when it is this far from it
RECENT = 6  # half-cycle sizes and stride periods remembered
MIN_STRIDE_S = 0.45  # no one walks strides shorter than this
REFRACTORY_SHARE = 0.5  # a new stride cannot start before this share of the recent stride period
BOUT_GAP_S = 4.0  # this long without a half-cycle ends a walking bout
TURNED_SHARE = 0.5  # a half-cycle is a movement only if the segment turned this share of the hysteresis
DURATION_GAIN = 0.3  # EMA gain of the mean half-cycle duration per direction
SETTLED = 3  # half-cycles in a direction before its mean duration is settled
OUTLIER_RATIO = 2.0  # a half-cycle this many times as long as its settled mean is no gait
FLIP_RATIO = 0.75  # once decided, the swing direction flips only when the other is this much quicker

Swing = tuple[float, float, float, float]
"""A finished swing: (t_end_s, angle_deg, duration_s, peak_rate_dps)."""


def _median(values: list[float]) -> float:
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else 0.5 * (s[n // 2 - 1] + s[n // 2])


class StrideDetector:
    """Counts strides from bias-corrected group rates (deg/s); see the module docstring.

    After each ``step``, ``started`` lists the start times (s) of strides counted in that call (usually
    none or one; the first stride of the first walk is reported a stride late, with its own time) and
    ``finished`` the swings that ended. Both lists are reused: read them before the next call.
    """

    def __init__(self) -> None:
        self.count = 0
        self.angle_deg = 0.0
        self.started: list[float] = []
        self.finished: list[Swing] = []
        # Covariance of the rate (upper triangle) and the current axis estimate (unit, sensor frame).
        self._cxx = self._cyy = self._czz = self._cxy = self._cxz = self._cyz = 0.0
        self._ax, self._ay, self._az = 0.6, 0.64, 0.48
        self._lx = self._ly = self._lz = 0.0  # leaky integral of the rate vector (deg)
        # Half-cycle tracker: direction (+1 rising, -1 falling, 0 none yet), extreme, when it was left.
        self._dir = 0
        self._hi = self._lo = 0.0
        self._hi_t = self._lo_t = 0.0
        self._start_t = 0.0  # when the current half-cycle left its first extreme
        self._start_y = 0.0
        self._peak_rate = 0.0
        # How far the segment actually turned up and down since the last trough and peak (deg): a
        # half-cycle the leaky angle makes by settling back, the segment still, is no swing.
        self._moved_up = self._moved_down = 0.0
        self._genuine = False
        self._timed = False  # a movement from its start: its duration times the gait
        self._counted = False  # the current half-cycle is a counted swing
        self._last_half_t = -math.inf
        self._last_step_t = -math.inf
        self._last_begin_t = [-math.inf, -math.inf]  # last half-cycle begun downwards, upwards
        self._sizes: list[float] = []
        self._periods: list[float] = []
        # Which way the swing goes: mean half-cycle duration per direction (rising, falling), decided sign.
        self._dur_up = self._dur_down = 0.0
        self._n_up = self._n_down = 0
        self._swing_dir = 0
        self._halves = 0  # half-cycles begun in this bout
        # Half-cycles begun before the swing direction was known: (direction, start time), and each one's
        # swing once it has ended.
        self._held: list[tuple[int, float]] = []
        self._held_swings: list[Swing | None] = []
        self._delta_deg = MIN_START_DEG

    # -- per group -------------------------------------------------------------------------------------

    def step(self, t: float, dt: float, gx: float, gy: float, gz: float, q: Sequence[float]) -> None:
        """One group: end time t (s), duration dt (s), bias-corrected mean rate (deg/s), orientation q.

        q (w, x, y, z) turns sensor-frame vectors into an earth frame whose z is up (imufusion's).
        """
        if self.started:
            del self.started[:]
        if self.finished:
            del self.finished[:]
        # Turning round (about the vertical) is no part of a stride: keep only the horizontal rotation.
        qw, qx, qy, qz = q
        ux = 2.0 * (qx * qz - qw * qy)
        uy = 2.0 * (qy * qz + qw * qx)
        uz = 1.0 - 2.0 * (qx * qx + qy * qy)
        v = gx * ux + gy * uy + gz * uz
        gx -= v * ux
        gy -= v * uy
        gz -= v * uz
        if gx * gx + gy * gy + gz * gz > MOVING_DPS * MOVING_DPS:
            self._learn_axis(dt, gx, gy, gz)
        k = 1.0 - dt / LEAK_S if dt < LEAK_S else 0.0
        self._lx = k * self._lx + gx * dt
        self._ly = k * self._ly + gy * dt
        self._lz = k * self._lz + gz * dt
        ax, ay, az = self._ax, self._ay, self._az
        y = self._lx * ax + self._ly * ay + self._lz * az
        self.angle_deg = y
        rate = gx * ax + gy * ay + gz * az
        if t - self._last_half_t > BOUT_GAP_S and self._dir != 0:
            self._end_bout(y, t)
        if rate > 0.0:
            self._moved_up += rate * dt
        else:
            self._moved_down -= rate * dt
        d = self._dir
        if d >= 0:
            if y > self._hi:
                self._hi = y
                self._moved_down = 0.0
            if y >= self._hi - EXTREME_TOL_DEG:
                self._hi_t = t
        if d <= 0:
            if y < self._lo:
                self._lo = y
                self._moved_up = 0.0
            if y <= self._lo + EXTREME_TOL_DEG:
                self._lo_t = t
        r = rate if d >= 0 else -rate
        if r > self._peak_rate:
            self._peak_rate = r
        delta = self._delta_deg
        if (
            not self._genuine
            and 0 < self._halves <= 2
            and (self._moved_up if d > 0 else self._moved_down) >= delta
        ):
            self._promote(d, t)
        if d >= 0 and y < self._hi - delta:
            self._begin(-1, t, y, -rate)
        elif d <= 0 and y > self._lo + delta:
            self._begin(1, t, y, rate)

    def _learn_axis(self, dt: float, gx: float, gy: float, gz: float) -> None:
        """Covariance EMA, then one power iteration from the current axis (which keeps its sign)."""
        u = dt / AXIS_TAU_S
        v = 1.0 - u
        self._cxx = v * self._cxx + u * gx * gx
        self._cyy = v * self._cyy + u * gy * gy
        self._czz = v * self._czz + u * gz * gz
        self._cxy = v * self._cxy + u * gx * gy
        self._cxz = v * self._cxz + u * gx * gz
        self._cyz = v * self._cyz + u * gy * gz
        ax, ay, az = self._ax, self._ay, self._az
        nx = self._cxx * ax + self._cxy * ay + self._cxz * az
        ny = self._cxy * ax + self._cyy * ay + self._cyz * az
        nz = self._cxz * ax + self._cyz * ay + self._czz * az
        norm = math.sqrt(nx * nx + ny * ny + nz * nz)
        if norm > 1e-9:
            self._ax, self._ay, self._az = nx / norm, ny / norm, nz / norm

    def _update_delta(self) -> None:
        """The hysteresis for the next half-cycles, from the sizes of the recent ones."""
        sizes = self._sizes
        if not sizes:
            self._delta_deg = MIN_START_DEG
            return
        rise = RISE_SHARE * _median(sizes)
        self._delta_deg = rise if rise > MIN_RISE_DEG else MIN_RISE_DEG

    def _refractory(self) -> float:
        periods = self._periods
        if not periods:
            return MIN_STRIDE_S
        r = REFRACTORY_SHARE * _median(periods)
        return r if r > MIN_STRIDE_S else MIN_STRIDE_S

    # -- half-cycles ------------------------------------------------------------------------------------

    def _begin(self, d: int, t: float, y: float, rate: float) -> None:
        """The angle moved delta away from its extreme: the half-cycle in direction -d ended there."""
        old = self._dir
        left_t = self._hi_t if d < 0 else self._lo_t
        extreme = self._hi if d < 0 else self._lo
        if old != 0:
            self._end_half(old, left_t, extreme)
        self._dir = d
        self._start_t, self._start_y = left_t, extreme
        self._hi = self._lo = y
        self._hi_t = self._lo_t = t
        self._peak_rate = rate
        self._genuine = (self._moved_up if d > 0 else self._moved_down) >= TURNED_SHARE * self._delta_deg
        self._timed = self._genuine
        last = self._last_begin_t[d > 0]
        if self._timed and t - last <= BOUT_GAP_S:
            # Stride period from every movement half-cycle in this direction, counted or not.
            self._periods.append(t - last)
            if len(self._periods) > RECENT:
                del self._periods[0]
        # The bout's first half-cycle (from standing or sitting) and settling-back ones start no period.
        self._last_begin_t[d > 0] = t if self._timed and self._halves > 0 else -math.inf
        self._last_half_t = t
        self._halves += 1
        self._counted = False
        if self._genuine:
            self._candidate(d, t)

    def _promote(self, d: int, t: float) -> None:
        """The segment has now really turned a full hysteresis this way (a swing that set off while the leaky
        angle was still settling back from standing up, early in a walk): the half-cycle is a movement."""
        self._genuine = True
        self._candidate(d, t)

    def _candidate(self, d: int, t: float) -> None:
        """A movement half-cycle in direction d from time t: a stride if d is the swing direction."""
        if self._swing_dir == 0:
            self._held.append((d, t))
            self._held_swings.append(None)
            if len(self._held) > 8:
                del self._held[0]
                del self._held_swings[0]
            return
        if d == self._swing_dir:
            self._count(t)

    def _end_half(self, d: int, end_t: float, extreme: float) -> None:
        """A half-cycle in direction d ended at end_t at the given extreme: learn from it."""
        size = extreme - self._start_y if d > 0 else self._start_y - extreme
        duration = end_t - self._start_t
        # The bout's first half-cycle starts from standing (or from sitting: standing up turns the thigh a
        # quarter turn): neither its size nor its duration says anything about the gait.
        if self._halves >= 2:
            self._sizes.append(size)
            if len(self._sizes) > RECENT:
                del self._sizes[0]
            self._update_delta()
        # A half-cycle that the leaky angle made by settling back (the segment hardly turned: after standing
        # up, say) says nothing about how long swings take.
        if self._halves >= 2 and duration > 0.0 and self._timed:
            self._time(d, duration)
        swing = (end_t, size, duration, self._peak_rate)
        if self._counted:
            self.finished.append(swing)
            self._counted = False
        elif self._swing_dir == 0 and self._genuine and self._held:
            self._held_swings[-1] = swing  # the current half-cycle is the last one held

    def _time(self, d: int, duration: float) -> None:
        """Learn how long half-cycles in direction d take; once both are known, decide the swing direction.

        Once a direction has a settled mean, a half-cycle over OUTLIER_RATIO times as long is something else
        (the last swing running into sitting down, say) and is not learned.
        """
        n, mean = (self._n_up, self._dur_up) if d > 0 else (self._n_down, self._dur_down)
        if n >= SETTLED and duration > OUTLIER_RATIO * mean:
            return
        mean = duration if n == 0 else mean + DURATION_GAIN * (duration - mean)
        if d > 0:
            self._n_up, self._dur_up = n + 1, mean
        else:
            self._n_down, self._dur_down = n + 1, mean
        self._decide()

    def _decide(self) -> None:
        if self._n_up == 0 or self._n_down == 0:
            return
        up, down = self._dur_up, self._dur_down
        if self._swing_dir == 0:
            self._swing_dir = 1 if up <= down else -1
            for (d, t0), swing in zip(self._held, self._held_swings, strict=True):
                if d == self._swing_dir:
                    self._count_held(t0, swing)
            del self._held[:]
            del self._held_swings[:]
        elif self._swing_dir > 0 and up * FLIP_RATIO > down:
            self._swing_dir = -1
        elif self._swing_dir < 0 and down * FLIP_RATIO > up:
            self._swing_dir = 1

    def _count_held(self, t: float, swing: Swing | None) -> None:
        """Count a held half-cycle; report its swing too if it has already ended."""
        before = self.count
        self._count(t)
        if self.count > before and swing is not None:
            self.finished.append(swing)

    def _count(self, t: float) -> None:
        if t - self._last_step_t < self._refractory():
            return  # too soon after the last stride: part of it
        self._last_step_t = t
        self.count += 1
        self.started.append(t)
        if t >= self._last_half_t:
            self._counted = True  # the half-cycle under way is this swing

    def _end_bout(self, y: float, t: float) -> None:
        """No half-cycle for BOUT_GAP_S: the person stopped. The next walk starts afresh (same leg, same
        swing direction)."""
        if self._dir != 0 and self._counted:
            d = self._dir
            self._end_half(d, self._hi_t if d > 0 else self._lo_t, self._hi if d > 0 else self._lo)
        if self._swing_dir == 0 and self._held:
            self._settle_held()
        self._dir = 0
        self._hi = self._lo = y
        self._hi_t = self._lo_t = t
        self._halves = 0
        del self._sizes[:]
        del self._periods[:]
        self._update_delta()

    def _settle_held(self) -> None:
        """A walk too short to tell which way the swing goes: one stride per full cycle (two half-cycles).

        A lone half-cycle is a leg put somewhere else (and the leaky angle's slow return is not a second).
        """
        held = self._held
        for i in range(0, len(held) - 1, 2):
            self._count_held(held[i][1], self._held_swings[i])
        del held[:]
        del self._held_swings[:]

    def finish(self) -> None:
        """The stream ended: settle held strides and the swing under way (read ``started``/``finished``)."""
        if self.started:
            del self.started[:]
        if self.finished:
            del self.finished[:]
        if self._dir != 0:
            self._end_bout(self.angle_deg, self._last_half_t + BOUT_GAP_S)
