"""Motion primitives: minimum-jerk knot tracks, small oscillations, rotations and time-keyed noise.

Everything here is a pure function of the sample times, so a set sampled in chunks gives exactly what it gives
in one call. Angles are in degrees unless a name says ``_rad``; times in seconds; arrays of times are (n,).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "FloatArray",
    "KnotTrack",
    "Oscillation",
    "axis_rotation",
    "gaussian_noise",
    "min_jerk",
    "random_rotation",
    "rotation_about",
    "unit",
]

FloatArray = npt.NDArray[np.float64]


def min_jerk(tau: FloatArray) -> FloatArray:
    """The minimum-jerk position profile 10τ³ - 15τ⁴ + 6τ⁵ for τ clipped to 0..1.

    Speed and acceleration are zero at both ends, so consecutive segments join smoothly.
    """
    x = np.clip(tau, 0.0, 1.0)
    return x * x * x * (10.0 + x * (-15.0 + 6.0 * x))


MIN_JERK_PEAK_SPEED = 1.875  # peak of d/dτ min_jerk, at τ = 0.5


@dataclass(frozen=True)
class KnotTrack:
    """A scalar track through knots ``(t_s[k], value[k])``.

    It moves by minimum jerk between consecutive knots and holds the end values outside them; equal
    neighbouring values make a rest.
    """

    t_s: FloatArray  # (k,) strictly increasing
    value: FloatArray  # (k,)

    @staticmethod
    def from_pairs(pairs: list[tuple[float, float]]) -> KnotTrack:
        arr = np.asarray(pairs, dtype=np.float64).reshape(-1, 2)
        if arr.shape[0] == 0 or np.any(np.diff(arr[:, 0]) <= 0.0):
            raise ValueError("knot times must be strictly increasing and non-empty")
        return KnotTrack(arr[:, 0].copy(), arr[:, 1].copy())

    def __call__(self, t_s: FloatArray) -> FloatArray:
        k = len(self.t_s)
        if k == 1:
            return np.full(t_s.shape, self.value[0])
        i = np.clip(np.searchsorted(self.t_s, t_s, side="right") - 1, 0, k - 2)
        t0, t1 = self.t_s[i], self.t_s[i + 1]
        v0, v1 = self.value[i], self.value[i + 1]
        return v0 + (v1 - v0) * min_jerk((t_s - t0) / (t1 - t0))


@dataclass(frozen=True)
class Oscillation:
    """A sum of sinusoids ``Σ amp·sin(2π f t + phase)``: tremor, sway, bobbing."""

    amp: FloatArray  # (m,)
    freq_hz: FloatArray  # (m,)
    phase_rad: FloatArray  # (m,)

    @staticmethod
    def random(
        rng: np.random.Generator, count: int, freq_hz: tuple[float, float], amp: tuple[float, float]
    ) -> Oscillation:
        return Oscillation(
            rng.uniform(*amp, size=count),
            rng.uniform(*freq_hz, size=count),
            rng.uniform(0.0, 2.0 * np.pi, size=count),
        )

    def __call__(self, t_s: FloatArray) -> FloatArray:
        out = np.zeros(t_s.shape)
        for a, f, p in zip(self.amp, self.freq_hz, self.phase_rad, strict=True):
            out += a * np.sin(2.0 * np.pi * f * t_s + p)
        return out


def unit(v: npt.ArrayLike) -> FloatArray:
    arr = np.asarray(v, dtype=np.float64)
    return arr / np.linalg.norm(arr)


def rotation_about(axis: npt.ArrayLike, angle_deg: float) -> FloatArray:
    """One (3, 3) rotation matrix about ``axis`` (right-hand rule)."""
    out: FloatArray = axis_rotation(unit(axis), np.array([angle_deg]))[0]
    return out


def axis_rotation(axis: FloatArray, angle_deg: FloatArray) -> FloatArray:
    """(n, 3, 3) rotations about the fixed unit ``axis`` (3,) by ``angle_deg`` (n,) (Rodrigues' formula)."""
    x, y, z = (float(c) for c in axis)
    k = np.array([[0.0, -z, y], [z, 0.0, -x], [-y, x, 0.0]])
    th = np.deg2rad(angle_deg)[:, None, None]
    out: FloatArray = np.eye(3) + np.sin(th) * k + (1.0 - np.cos(th)) * (k @ k)
    return out


def random_rotation(rng: np.random.Generator) -> FloatArray:
    """A (3, 3) rotation drawn uniformly over SO(3) (from a uniformly random unit quaternion)."""
    q = rng.normal(size=4)
    w, x, y, z = q / np.linalg.norm(q)
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
            [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
            [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
        ]
    )


_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _splitmix64(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    # Array arithmetic on uint64 wraps modulo 2**64 silently, which is what the mixer wants.
    x = x + _GOLDEN
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


def gaussian_noise(t_s: FloatArray, channels: int, key: int) -> FloatArray:
    """(n, channels) standard normal noise that is a function of (sample time, channel, key) only.

    The time is taken to the microsecond, so any chunking of the same time axis gives the same numbers, and
    any sample rate gets white noise.
    """
    t_us = np.rint(np.atleast_1d(t_s) * 1e6).astype(np.int64).view(np.uint64)
    salt = _splitmix64(np.array([key & 0xFFFFFFFFFFFFFFFF], dtype=np.uint64))
    ch = np.arange(channels, dtype=np.uint64)
    base = _splitmix64(t_us[:, None] * np.uint64(64) + ch[None, :] + salt)
    h1 = _splitmix64(base)
    h2 = _splitmix64(base ^ salt)
    u1 = ((h1 >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53
    u2 = (h2 >> np.uint64(11)).astype(np.float64) * 2.0**-53
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)
