"""IMU synthesis: what an accelerometer and a gyroscope strapped to a moving body segment read.

World frame: z up, gravity (0, 0, -9.80665) m/s². A *pose function* gives, at each time, the segment's
orientation ``R_ws`` (segment frame -> world, (n, 3, 3)) and the world position of the joint it turns about
(n, 3) in metres. The sensor sits at ``lever_arm_m`` (segment frame) from the joint, its axes turned by
``mounting`` (sensor frame -> segment frame, (3, 3)). Derivatives are central differences of the pose with a
0.5 ms step: the pose functions are smooth closed forms, so this is exact to far below sensor noise and works
for any composition of motions.

The accelerometer measures specific force (linear acceleration minus gravity: +1 g up at rest), in g; the
gyroscope measures the segment's angular velocity in the sensor frame, in deg/s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from repquest.firmware_protocol.definitions import ACC_G_PER_LSB, FORCE_N_PER_LSB, GYR_DPS_PER_LSB

from .motion import FloatArray, gaussian_noise

__all__ = [
    "GRAVITY_M_S2",
    "PoseFn",
    "SensorErrors",
    "dequantise",
    "quantise",
    "segment_kinematics",
    "synthesize_imu",
]

GRAVITY_M_S2 = 9.80665
DIFF_STEP_S = 5e-4
PoseFn = Callable[[FloatArray], tuple[FloatArray, FloatArray]]
AccFn = Callable[[FloatArray], FloatArray]


def _transpose(r: FloatArray) -> FloatArray:
    out: FloatArray = np.swapaxes(r, -1, -2)
    return out


def _rows_times(v: FloatArray, m: FloatArray) -> FloatArray:
    """Row vectors (n, 3) times matrices (3, 3) or (n, 3, 3), summed in a fixed order so that results never
    depend on how many rows there are (BLAS may block differently; chunked output must equal one-shot)."""
    out: FloatArray
    if m.ndim == 2:
        out = v[:, 0:1] * m[0] + v[:, 1:2] * m[1] + v[:, 2:3] * m[2]
    else:
        out = v[:, 0:1] * m[:, 0] + v[:, 1:2] * m[:, 1] + v[:, 2:3] * m[:, 2]
    return out


def segment_kinematics(
    pose: PoseFn, t_s: FloatArray, lever_arm_m: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Orientation (n, 3, 3), body-frame angular velocity (n, 3) in rad/s, and the world acceleration (n, 3)
    in m/s² of the point ``lever_arm_m`` (3,) fixed in the segment (tangential and centripetal terms in).
    """
    n = t_s.shape[0]
    h = DIFF_STEP_S
    r_all, joint_all = pose(np.concatenate([t_s - h, t_s, t_s + h]))
    point = joint_all + _rows_times(np.broadcast_to(lever_arm_m, joint_all.shape), _transpose(r_all))
    r_before, r_now, r_after = r_all[:n], r_all[n : 2 * n], r_all[2 * n :]
    acc_w = (point[:n] - 2.0 * point[n : 2 * n] + point[2 * n :]) / (h * h)
    delta = _transpose(r_before) @ r_after  # rotation over 2h, in the body frame
    v = 0.5 * np.stack(
        [delta[:, 2, 1] - delta[:, 1, 2], delta[:, 0, 2] - delta[:, 2, 0], delta[:, 1, 0] - delta[:, 0, 1]],
        axis=1,
    )
    s = np.linalg.norm(v, axis=1)
    # |v| = sin(angle); angle / sin(angle) -> 1 as the angle -> 0.
    scale = np.where(s > 1e-12, np.arcsin(np.clip(s, 0.0, 1.0)) / np.maximum(s, 1e-12), 1.0)
    omega_b = v * (scale / (2.0 * h))[:, None]
    return r_now, omega_b, acc_w


def synthesize_imu(
    pose: PoseFn,
    t_s: FloatArray,
    *,
    lever_arm_m: npt.ArrayLike,
    mounting: FloatArray,
    extra_acc_w: AccFn | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Ideal (noise-free) readings at ``t_s`` (n,): specific force (n, 3) in g and angular rate (n, 3) in
    deg/s, both in the sensor frame. ``extra_acc_w`` adds world linear acceleration (n, 3) in m/s² that the
    pose does not carry, such as the short ringing of a heel strike."""
    r_ws, omega_b, acc_w = segment_kinematics(pose, t_s, np.asarray(lever_arm_m, dtype=np.float64))
    if extra_acc_w is not None:
        acc_w = acc_w + extra_acc_w(t_s)
    specific_w = acc_w + np.array([0.0, 0.0, GRAVITY_M_S2])
    specific_b = _rows_times(specific_w, r_ws)  # Rᵀ·v
    acc_g = _rows_times(specific_b, mounting) / GRAVITY_M_S2  # mountingᵀ·v
    gyr_dps = np.rad2deg(_rows_times(omega_b, mounting))
    return acc_g, gyr_dps


@dataclass(frozen=True)
class SensorErrors:
    """Imperfections of one puck: constant biases and white noise (RMS per sample), keyed for repeats."""

    acc_bias_g: FloatArray  # (3,)
    gyr_bias_dps: FloatArray  # (3,)
    acc_noise_g: float
    gyr_noise_dps: float
    force_noise_n: float
    key: int

    @staticmethod
    def random(rng: np.random.Generator, key: int) -> SensorErrors:
        return SensorErrors(
            acc_bias_g=rng.uniform(-0.02, 0.02, size=3),
            gyr_bias_dps=rng.uniform(-1.0, 1.0, size=3),
            acc_noise_g=0.004,
            gyr_noise_dps=0.1,
            force_noise_n=0.15,
            key=key,
        )

    @staticmethod
    def none() -> SensorErrors:
        return SensorErrors(np.zeros(3), np.zeros(3), 0.0, 0.0, 0.0, 0)

    def apply(
        self, t_s: FloatArray, acc_g: FloatArray, gyr_dps: FloatArray, force_n: FloatArray
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Readings with biases and noise added; noise depends only on the sample times and the key."""
        if self.acc_noise_g == 0.0 and self.gyr_noise_dps == 0.0 and self.force_noise_n == 0.0:
            return acc_g + self.acc_bias_g, gyr_dps + self.gyr_bias_dps, force_n
        z = gaussian_noise(t_s, 7, self.key)
        acc = acc_g + self.acc_bias_g + self.acc_noise_g * z[:, 0:3]
        gyr = gyr_dps + self.gyr_bias_dps + self.gyr_noise_dps * z[:, 3:6]
        # The pad reads nothing until pressed; noise only rides on a press.
        force = np.where(force_n > 0.0, np.maximum(force_n + self.force_noise_n * z[:, 6], 0.0), 0.0)
        return acc, gyr, force


def quantise(
    acc_g: FloatArray, gyr_dps: FloatArray, force_n: FloatArray
) -> tuple[npt.NDArray[np.int16], npt.NDArray[np.int16], npt.NDArray[np.uint8]]:
    """Raw counts as the puck sends them (PROTOCOL.md 3.3 scales, round to nearest, clip to the range)."""
    acc = np.clip(np.rint(acc_g / ACC_G_PER_LSB), -32768, 32767).astype(np.int16)
    gyr = np.clip(np.rint(gyr_dps / GYR_DPS_PER_LSB), -32768, 32767).astype(np.int16)
    force = np.clip(np.rint(force_n / FORCE_N_PER_LSB), 0, 255).astype(np.uint8)
    return acc, gyr, force


def dequantise(
    acc: npt.NDArray[np.int16], gyr: npt.NDArray[np.int16], force: npt.NDArray[np.uint8]
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Physical units from raw counts: g, deg/s, N."""
    return (
        acc.astype(np.float64) * ACC_G_PER_LSB,
        gyr.astype(np.float64) * GYR_DPS_PER_LSB,
        force.astype(np.float64) * FORCE_N_PER_LSB,
    )
