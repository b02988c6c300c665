"""The decoded form of one data notification."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from . import definitions as d

__all__ = ["INTERLEAVED_COLUMNS", "SampleBlock"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# ``SampleBlock.interleaved``: per sample acc x, y, z, gyr x, y, z, force, in this order.
INTERLEAVED_COLUMNS = 7
_UNIT_SCALES = (1.0, 1.0, 1.0)
_PROTOCOL_SCALES = (d.ACC_G_PER_LSB, d.GYR_DPS_PER_LSB, d.FORCE_N_PER_LSB)
_COLUMN_SCALE = np.array([d.ACC_G_PER_LSB] * 3 + [d.GYR_DPS_PER_LSB] * 3 + [d.FORCE_N_PER_LSB])


@functools.cache
def _offsets_s(period_us: int, n: int) -> tuple[float, ...]:
    return tuple(i * period_us * 1e-6 for i in range(n))


class SampleBlock:
    """One notification's samples, in physical units. Treat it as read-only.

    The fast decoder makes blocks with :meth:`from_ints` from the notification's raw integers; the numpy
    arrays are then built only when someone asks for them (a recorder or a view does, the movement engine
    does not: it reads :attr:`interleaved`, which for ~8 samples costs less than any numpy call).

    Attributes:
        seq: notification sequence number, 0..65535 (wraps).
        t0_us: device timestamp of the first sample in microseconds, modulo 2**24 (wraps every 16.78 s).
        rate_hz: sample rate the device reported for these samples.
        t_us: (n,) device time of each sample in microseconds, ``t0_us + i * 1e6 / rate_hz``; not wrapped, so the
            last values may exceed 2**24 (stream integrity unwraps across notifications).
        acc_g: (n, 3) acceleration in g, sensor frame.
        gyr_dps: (n, 3) angular rate in degrees per second, sensor frame.
        force_n: (n,) force on the pad in newtons.
        touch: the touch pad was covered.
        saturated: a value in this notification was clipped at full scale.
    """

    __slots__ = (
        "_acc",
        "_force",
        "_gyr",
        "_ints",
        "_n",
        "_t_us",
        "rate_hz",
        "saturated",
        "seq",
        "t0_us",
        "touch",
    )

    def __init__(
        self,
        seq: int,
        t0_us: int,
        rate_hz: int,
        t_us: IntArray,
        acc_g: FloatArray,
        gyr_dps: FloatArray,
        force_n: FloatArray,
        touch: bool = False,
        saturated: bool = False,
    ) -> None:
        self.seq = seq
        self.t0_us = t0_us
        self.rate_hz = rate_hz
        self.touch = touch
        self.saturated = saturated
        self._n = int(t_us.shape[0])
        self._t_us: IntArray | None = t_us
        self._acc: FloatArray | None = acc_g
        self._gyr: FloatArray | None = gyr_dps
        self._force: FloatArray | None = force_n
        self._ints: tuple[int, ...] | None = None

    @classmethod
    def from_ints(
        cls, seq: int, t0_us: int, rate_hz: int, ints: tuple[int, ...], touch: bool, saturated: bool
    ) -> SampleBlock:
        """A block over the raw integers of a notification, ``INTERLEAVED_COLUMNS`` per sample (PROTOCOL.md 3.3)."""
        block = cls.__new__(cls)
        block.seq = seq
        block.t0_us = t0_us
        block.rate_hz = rate_hz
        block.touch = touch
        block.saturated = saturated
        block._n = len(ints) // INTERLEAVED_COLUMNS
        block._t_us = block._acc = block._gyr = block._force = None
        block._ints = ints
        return block

    def __len__(self) -> int:
        return self._n

    def __repr__(self) -> str:
        return (
            f"SampleBlock(seq={self.seq}, t0_us={self.t0_us}, rate_hz={self.rate_hz}, samples={self._n}, "
            f"touch={self.touch}, saturated={self.saturated})"
        )

    @property
    def t_us(self) -> IntArray:
        if self._t_us is None:
            self._t_us = self.t0_us + np.arange(self._n, dtype=np.int64) * self.period_us
        return self._t_us

    def _arrays(self) -> tuple[FloatArray, FloatArray, FloatArray]:
        """(acc_g, gyr_dps, force_n), built from the raw integers on first use."""
        if self._acc is None or self._gyr is None or self._force is None:
            assert self._ints is not None
            values = (
                np.array(self._ints, dtype=np.float64).reshape(self._n, INTERLEAVED_COLUMNS) * _COLUMN_SCALE
            )
            self._acc = np.ascontiguousarray(values[:, :3])
            self._gyr = np.ascontiguousarray(values[:, 3:6])
            self._force = np.ascontiguousarray(values[:, 6])
        return self._acc, self._gyr, self._force

    @property
    def acc_g(self) -> FloatArray:
        return self._arrays()[0]

    @property
    def gyr_dps(self) -> FloatArray:
        return self._arrays()[1]

    @property
    def force_n(self) -> FloatArray:
        return self._arrays()[2]

    @property
    def interleaved(self) -> tuple[Sequence[float], tuple[float, float, float]]:
        """The samples as one flat sequence and its scales: ``(values, (acc, gyr, force) units per value)``.

        ``values`` holds ``INTERLEAVED_COLUMNS`` numbers per sample (acc x y z, gyr x y z, force); multiplied
        by the scale of their column they are g, deg/s and N. No numpy: the engine's hot path reads this.
        """
        if self._ints is not None:
            return self._ints, _PROTOCOL_SCALES
        values = np.column_stack((self.acc_g, self.gyr_dps, self.force_n)).ravel().tolist()
        return values, _UNIT_SCALES

    def times_s(self, offset_s: float = 0.0) -> list[float]:
        """Device time of each sample in seconds (not unwrapped), plus ``offset_s``: a plain list."""
        t0 = self.t0_us * 1e-6 + offset_s
        return [t0 + dt for dt in _offsets_s(self.period_us, self._n)]

    @property
    def period_us(self) -> int:
        """Time between samples in microseconds."""
        return 1_000_000 // self.rate_hz

    @property
    def flags(self) -> int:
        """The protocol's two flag bits as one integer: bit 0 touch, bit 1 saturated."""
        return int(self.touch) | int(self.saturated) << 1

    def same_samples(self, other: SampleBlock) -> bool:
        """True when both blocks hold identical header fields and sample values."""
        return (
            (self.seq, self.t0_us, self.rate_hz, self.touch, self.saturated)
            == (other.seq, other.t0_us, other.rate_hz, other.touch, other.saturated)
            and np.array_equal(self.t_us, other.t_us)
            and np.array_equal(self.acc_g, other.acc_g)
            and np.array_equal(self.gyr_dps, other.gyr_dps)
            and np.array_equal(self.force_n, other.force_n)
        )
