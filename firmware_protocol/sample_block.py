"""The decoded form of one data notification."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["SampleBlock"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(slots=True, eq=False)
class SampleBlock:
    """One notification's samples, in physical units. Treat it as read-only.

    Not ``frozen``: a frozen dataclass's ``__init__`` costs five times as much, and one is made per notification.

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

    seq: int
    t0_us: int
    rate_hz: int
    t_us: IntArray
    acc_g: FloatArray
    gyr_dps: FloatArray
    force_n: FloatArray
    touch: bool = False
    saturated: bool = False

    def __len__(self) -> int:
        return int(self.t_us.shape[0])

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
