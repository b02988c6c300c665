"""Quaternion maths on arrays, scalar-first (w, x, y, z), as imufusion returns them."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = [
    "conjugate",
    "gravity_aligned_quaternion",
    "left_matrix",
    "multiply_left",
    "twist_angle_deg",
    "twist_from_parts_deg",
    "twist_projector",
]

FloatArray = npt.NDArray[np.float64]

_CONJ = np.array([1.0, -1.0, -1.0, -1.0])


def conjugate(q: FloatArray) -> FloatArray:
    """Inverse of unit quaternion(s) q, shape (4,) or (n, 4)."""
    out: FloatArray = q * _CONJ
    return out


def multiply_left(p: FloatArray, q: FloatArray, out: FloatArray) -> FloatArray:
    """Hamilton product ``p ⊗ q[i]`` for one quaternion p (4,) and many q (n, 4), written into out (n, 4)."""
    w1, x1, y1, z1 = (float(v) for v in p)
    w2, x2, y2, z2 = q[:, 0], q[:, 1], q[:, 2], q[:, 3]
    out[:, 0] = w1 * w2 - x1 * x2 - y1 * y2 - z1 * z2
    out[:, 1] = w1 * x2 + x1 * w2 + y1 * z2 - z1 * y2
    out[:, 2] = w1 * y2 - x1 * z2 + y1 * w2 + z1 * x2
    out[:, 3] = w1 * z2 + x1 * y2 - y1 * x2 + z1 * w2
    return out


def left_matrix(p: FloatArray) -> FloatArray:
    """(4, 4) matrix L with ``p ⊗ q == L @ q`` for any quaternion q (4,)."""
    w, x, y, z = (float(v) for v in p)
    return np.array([[w, -x, -y, -z], [x, w, -z, y], [y, z, w, -x], [z, -y, x, w]])


def twist_projector(p: FloatArray, axis: FloatArray) -> FloatArray:
    """(4, 2) matrix T so that ``q @ T`` gives (w, v·axis) of ``p ⊗ q`` for each row of q (n, 4).

    Folds the relative rotation and the projection on the axis into one small matrix product per block.
    """
    left = left_matrix(p)
    projector: FloatArray = np.column_stack([left[0], left[1:].T @ axis])
    return projector


def twist_from_parts_deg(parts: FloatArray, previous_deg: float, out: FloatArray) -> FloatArray:
    """Continuous twist angle (n,) into out from (w, v·axis) pairs parts (n, 2), as twist_angle_deg."""
    np.arctan2(parts[:, 1], parts[:, 0], out=out)
    out *= 360.0 / np.pi
    step0 = out[0] - previous_deg
    if abs(step0) > 180.0 or (out.shape[0] > 1 and float(np.abs(np.diff(out)).max()) > 180.0):
        out[:] = twist_unwrap_deg(out, previous_deg)
    return out


def twist_unwrap_deg(twist_deg: FloatArray, previous_deg: float) -> FloatArray:
    """Unwrap twist_deg (n,) so no step (from previous_deg on) exceeds 180 degrees."""
    steps = np.diff(twist_deg, prepend=previous_deg)
    steps -= 360.0 * np.round(steps / 360.0)
    unwrapped: FloatArray = previous_deg + np.cumsum(steps)
    return unwrapped


def twist_angle_deg(q_rel: FloatArray, axis: FloatArray, previous_deg: float) -> FloatArray:
    """Signed rotation of q_rel (n, 4) about the unit axis (3,), in degrees, continuous with previous_deg.

    The swing-twist decomposition keeps only the part of the rotation about the axis. Each result is unwrapped
    so that it never jumps by more than 180 degrees from the sample before it.
    """
    twist_deg = np.degrees(2.0 * np.arctan2(q_rel[:, 1:] @ axis, q_rel[:, 0]))
    return twist_unwrap_deg(twist_deg, previous_deg)


def gravity_aligned_quaternion(acc_g: FloatArray) -> FloatArray:
    """Orientation (4,) that rotates the measured gravity direction acc_g (3,) onto the earth's up axis."""
    norm = float(np.linalg.norm(acc_g))
    if norm < 1e-6:
        return np.array([1.0, 0.0, 0.0, 0.0])
    a = acc_g / norm
    dot = float(a[2])
    if dot < -0.999999:
        return np.array([0.0, 1.0, 0.0, 0.0])
    q = np.array([1.0 + dot, a[1], -a[0], 0.0])
    unit: FloatArray = q / np.linalg.norm(q)
    return unit
