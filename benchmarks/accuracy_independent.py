"""Counts and hold times on a motion model written apart from ``repquest.simulator`` (shares no code with it).

Our simulator and our engine were developed together, so the simulator's habits can hide the engine's
blind spots. This model makes its own choices: minimum-jerk movements about an axis that wobbles from one
repetition to the next (10-15 deg), a rest pose that drifts, the limb swaying in holds, slow (hemiparetic)
and brisk people, two-sided movements that sometimes swing straight through the centre, any strap angle,
25-200 Hz, gyro bias and noise. The IMU is derived from the orientation alone (gyro from its rate of change,
accelerometer from gravity). Truth: every excursion of a two-sided movement is one repetition; holds last
from arrival at the far position to leaving it.

Usage: ``python benchmarks/accuracy_independent.py [SETS_PER_EXERCISE] [SEED]``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from repquest.dsp import HoldCompleted, MovementEngine, RepCompleted
from repquest.exercises import engine_settings_for

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Style:
    """How one exercise moves: range (deg), out time (s), rest (s), hold (s), two-sided, axis in the world."""

    range_deg: tuple[float, float]
    out_s: tuple[float, float]
    rest_s: tuple[float, float]
    hold_s: tuple[float, float]
    two_sided: bool
    axis: tuple[float, float, float]


STYLES: dict[str, Style] = {
    "knee_extension": Style((30, 70), (1.0, 3.0), (0.5, 4.0), (0.0, 1.5), False, (1, 0, 0)),
    "seated_march": Style((15, 40), (0.8, 2.5), (0.3, 3.0), (0.0, 0.5), False, (1, 0, 0)),
    "leg_hug": Style((60, 110), (2.0, 5.0), (2.0, 6.0), (10.0, 15.0), False, (1, 0, 0)),
    "knee_twist": Style((15, 45), (1.0, 3.5), (0.0, 3.0), (0.0, 1.0), True, (0, 1, 0)),
    "ankle_pump": Style((12, 30), (0.7, 2.0), (0.2, 2.0), (0.0, 0.5), False, (1, 0, 0)),
    "generic": Style((20, 90), (1.0, 3.0), (0.5, 4.0), (0.0, 2.0), False, (0, 0, 1)),
}


def _min_jerk(n: int) -> FloatArray:
    s = np.linspace(0.0, 1.0, n)
    out: FloatArray = 10 * s**3 - 15 * s**4 + 6 * s**5
    return out


def _axis_angle(axis: FloatArray, angle_rad: FloatArray) -> FloatArray:
    """Quaternions (n, 4) w, x, y, z for rotations by angle (n,) about unit axes (n, 3)."""
    half = 0.5 * angle_rad
    return np.column_stack((np.cos(half), axis * np.sin(half)[:, None]))


def _mul(p: FloatArray, q: FloatArray) -> FloatArray:
    w1, x1, y1, z1 = p.T
    w2, x2, y2, z2 = q.T
    return np.column_stack(
        (
            w1 * w2 - x1 * x2 - y1 * y2 - z1 * z2,
            w1 * x2 + x1 * w2 + y1 * z2 - z1 * y2,
            w1 * y2 - x1 * z2 + y1 * w2 + z1 * x2,
            w1 * z2 + x1 * y2 - y1 * x2 + z1 * w2,
        )
    )


def _rotate_to_body(q: FloatArray, v: FloatArray) -> FloatArray:
    """World vector v (3,) seen in the body frames of orientations q (n, 4)."""
    w, x, y, z = q.T
    # Rows of R(q)^T applied to v.
    r = np.stack(
        (
            np.column_stack((1 - 2 * (y * y + z * z), 2 * (x * y + w * z), 2 * (x * z - w * y))),
            np.column_stack((2 * (x * y - w * z), 1 - 2 * (x * x + z * z), 2 * (y * z + w * x))),
            np.column_stack((2 * (x * z + w * y), 2 * (y * z - w * x), 1 - 2 * (x * x + y * y))),
        ),
        axis=1,
    )
    out: FloatArray = r @ v
    return out


@dataclass
class Trial:
    t_s: FloatArray
    acc_g: FloatArray
    gyr_dps: FloatArray
    reps: int
    holds_s: list[float]


def make_trial(exercise: str, rng: np.random.Generator) -> Trial:
    """One set of 4-15 repetitions of the exercise, as a sensor strapped on at a random angle records it."""
    style = STYLES[exercise]
    rate = float(rng.choice([25.0, 50.0, 100.0, 200.0]))
    dt = 1.0 / rate
    slow = rng.random() < 0.4  # hemiparetic: slower and smaller
    n_reps = int(rng.integers(4, 16))
    angle: list[float] = [0.0] * int(rate * rng.uniform(1.0, 3.0))
    axes: list[FloatArray] = []
    base_axis = np.asarray(style.axis, dtype=np.float64)
    holds: list[float] = []
    side = 1.0
    for _ in range(n_reps):
        amp = rng.uniform(*style.range_deg) * (0.6 if slow else 1.0)
        out_s = rng.uniform(*style.out_s) * (1.8 if slow else 1.0)
        hold_s = rng.uniform(*style.hold_s)
        rest_s = rng.uniform(*style.rest_s)
        start = angle[-1]
        target = side * amp + (0.0 if style.two_sided else rng.normal(0.0, 2.0))
        out = start + (target - start) * _min_jerk(max(2, int(out_s * rate)))
        n_hold = int(hold_s * rate)
        sway = target + rng.normal(0.0, 0.8) * np.sin(2 * np.pi * 0.3 * np.arange(n_hold) / rate)
        back_to = rng.normal(0.0, 2.0)  # the rest drifts a little
        back = target + (back_to - target) * _min_jerk(max(2, int(out_s * rng.uniform(0.8, 1.3) * rate)))
        segment = [*out, *sway, *back]
        if style.two_sided and rng.random() < 0.3:
            rest_s = 0.0  # swing straight on to the other side
        segment += [back_to] * int(rest_s * rate)
        angle += segment
        if n_hold >= rate * 2.0:
            holds.append(n_hold / rate)
        # The plane wobbles from repetition to repetition.
        tilt = rng.normal(0.0, np.radians(8.0), 3)
        axis = base_axis + tilt
        axes += [axis / np.linalg.norm(axis)] * len(segment)
        if style.two_sided:
            side = -side
    angle += [angle[-1]] * int(rate * 2.0)
    n = len(angle)
    axes = [base_axis] * (n - len(axes)) + axes
    ax = np.asarray(axes)
    # Smooth the axis so its changes happen during movement, not as jumps.
    kernel = np.ones(int(rate)) / int(rate)
    ax = np.column_stack([np.convolve(ax[:, i], kernel, mode="same") for i in range(3)])
    ax /= np.linalg.norm(ax, axis=1, keepdims=True)
    q_move = _axis_angle(ax, np.radians(np.asarray(angle)))
    mount = rng.normal(size=4)
    mount /= np.linalg.norm(mount)
    q = _mul(q_move, np.tile(mount, (n, 1)))
    # Gyro (body frame) from the orientation's change per sample; acceleration is gravity in the body frame.
    dq = _mul(q[:-1] * np.array([1, -1, -1, -1]), q[1:])
    gyr = np.degrees(2.0 * dq[:, 1:] / dt)
    gyr = np.vstack((gyr, gyr[-1:]))
    acc = _rotate_to_body(q, np.array([0.0, 0.0, 1.0]))
    bias = rng.uniform(-1.5, 1.5, 3)
    gyr = gyr + bias + rng.normal(0.0, 0.4, gyr.shape)
    acc = acc + rng.normal(0.0, 0.006, acc.shape)
    t = np.arange(n) * dt
    return Trial(t, acc, gyr, n_reps, holds)


def count(exercise: str, trial: Trial) -> tuple[int, list[float]]:
    engine = MovementEngine(engine_settings_for(exercise), 1.0 / (trial.t_s[1] - trial.t_s[0]))
    events = []
    for start in range(0, len(trial.t_s), 8):
        stop = start + 8
        events += engine.feed(trial.t_s[start:stop], trial.acc_g[start:stop], trial.gyr_dps[start:stop])
    events += engine.finish()
    reps = sum(isinstance(e, RepCompleted) for e in events)
    holds = [e.duration_s for e in events if isinstance(e, HoldCompleted)]
    return reps, holds


def main(sets: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    total = exact = within = 0
    hold_ok = hold_n = 0
    for exercise in STYLES:
        errors = []
        for _ in range(sets):
            trial = make_trial(exercise, rng)
            reps, holds = count(exercise, trial)
            errors.append(reps - trial.reps)
            if trial.holds_s:
                hold_n += len(trial.holds_s)
                hold_ok += sum(any(abs(h - truth) <= 0.5 for h in holds) for truth in trial.holds_s)
        e = np.asarray(errors)
        total += e.size
        exact += int((e == 0).sum())
        within += int((np.abs(e) <= 1).sum())
        near, wrong = int((np.abs(e) <= 1).sum()), sorted(e[e != 0].tolist())
        print(f"{exercise:16s} exact {(e == 0).sum():3d}/{e.size}  within 1 {near:3d}  errors {wrong}")
    print(f"all: exact {100.0 * exact / total:.1f} %, within +-1 {100.0 * within / total:.1f} %")
    if hold_n:
        print(f"holds found within 0.5 s: {hold_ok}/{hold_n}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20, int(sys.argv[2]) if len(sys.argv) > 2 else 1)
