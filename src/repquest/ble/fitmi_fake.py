"""A fake FitMi dongle for tests and demos: the HID device seam of :mod:`.fitmi_dongle`, answering with
synthetic 62-byte reports from two :class:`~repquest.simulator.puck.MotionSource` s.

Each puck's hidden sensor scales and axis order (which the real facts leave open) are parameters, so tests can
prove the driver learns them. The quaternion is the gyroscope's rate integrated (body-to-world), so it agrees
with the motion the way a real puck's on-board fusion does. Commands written to it are recorded; it can refuse
to connect its pucks until reset, lose its pucks, or be unplugged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from repquest.simulator.puck import MotionSource

from . import fitmi

__all__ = ["FakeFitMiDongle", "HiddenScales"]


@dataclass(frozen=True)
class HiddenScales:
    """What a puck's firmware does that the public facts do not say.

    Attributes:
        acc_first: the accelerometer is the triple at bytes 0-5 (else 6-11).
        acc_counts_per_g, gyro_counts_per_dps: the sensor scales.
        gyro_axes, gyro_signs: raw gyro channel i holds ``gyro_signs[i] * rate[gyro_axes[i]]``.
    """

    acc_first: bool = True
    acc_counts_per_g: float = 4096.0
    gyro_counts_per_dps: float = 16.4
    gyro_axes: tuple[int, int, int] = (0, 1, 2)
    gyro_signs: tuple[int, int, int] = (1, 1, 1)


def _integrate(gyr_dps: np.ndarray, t_s: np.ndarray) -> np.ndarray:
    """Body-to-world quaternions (n, 4) from body rates (n, 3), starting level."""
    q = np.array([1.0, 0.0, 0.0, 0.0])
    out = np.empty((len(t_s), 4))
    for i in range(len(t_s)):
        if i:
            w = np.radians((gyr_dps[i] + gyr_dps[i - 1]) / 2) * (t_s[i] - t_s[i - 1])
            angle = float(np.linalg.norm(w))
            if angle > 0:
                axis = w / angle
                dq = np.array([np.cos(angle / 2), *(axis * np.sin(angle / 2))])
                q = np.array(
                    [
                        q[0] * dq[0] - q[1] * dq[1] - q[2] * dq[2] - q[3] * dq[3],
                        q[0] * dq[1] + q[1] * dq[0] + q[2] * dq[3] - q[3] * dq[2],
                        q[0] * dq[2] - q[1] * dq[3] + q[2] * dq[0] + q[3] * dq[1],
                        q[0] * dq[3] + q[1] * dq[2] - q[2] * dq[1] + q[3] * dq[0],
                    ]
                )
                q /= np.linalg.norm(q)
        out[i] = q
    return out


@dataclass
class FakeFitMiDongle:
    """The HID seam (``read``, ``write``, ``close``) over two simulated pucks; time comes from ``now_s``.

    Reports are produced at ``rate_hz`` on that clock; ``read`` returns the next one that is due (or ``[]``).
    ``motions[i]`` None leaves puck i switched off. ``connect_after_reset``: the pucks report "connected" only
    after a dongle reset command. ``touch`` and ``load`` (raw units) are per puck and may be changed live.
    """

    now_s: Callable[[], float]
    motions: tuple[MotionSource | None, MotionSource | None]
    scales: tuple[HiddenScales, HiddenScales] = (HiddenScales(), HiddenScales())
    rate_hz: float = 100.0
    connect_after_reset: bool = False
    touch: list[bool] = field(default_factory=lambda: [False, False])
    load: list[int] = field(default_factory=lambda: [0, 0])
    battery: tuple[int, int] = (90, 80)
    written: list[bytes] = field(default_factory=list)
    unplugged: bool = False
    closed: bool = False
    _next: int = 0
    _resets: int = 0
    _quats: dict[int, np.ndarray] = field(default_factory=dict)

    def _connected(self, puck: int) -> bool:
        return self.motions[puck] is not None and (not self.connect_after_reset or self._resets > 0)

    def _puck_bytes(self, puck: int, index: int) -> bytes:
        motion = self.motions[puck]
        if motion is None or not self._connected(puck):
            return fitmi.encode_puck(status=0x00)
        if puck not in self._quats or len(self._quats[puck]) <= index:
            grid = np.arange(max(2 * index, index + 500)) / self.rate_hz
            self._quats[puck] = _integrate(motion.sample(grid)[1], grid)
        acc_g, gyr_dps, _force = motion.sample(np.array([index / self.rate_hz]))
        s = self.scales[puck]
        acc = tuple(float(v) for v in acc_g[0] * s.acc_counts_per_g)
        gyro = tuple(
            float(s.gyro_signs[i] * gyr_dps[0][s.gyro_axes[i]] * s.gyro_counts_per_dps) for i in range(3)
        )
        a, b = (acc, gyro) if s.acc_first else (gyro, acc)
        w, x, y, z = (float(v) for v in self._quats[puck][index])
        status = 0x03 | (0x04 if self.touch[puck] else 0)
        return fitmi.encode_puck(
            (a[0], a[1], a[2]),
            (b[0], b[1], b[2]),
            (0, 0, 0),
            (w, x, y, z),
            self.load[puck],
            self.battery[puck],
            status,
        )

    def read(self, size: int, timeout_ms: int = 0) -> list[int]:
        """The next due report (as hidapi gives it: a list of ints), or ``[]`` if none is due yet."""
        if self.unplugged or self.closed:
            raise OSError("read error")  # what hidapi raises when the device has gone
        if self._next > self.now_s() * self.rate_hz:
            return []
        index = self._next
        self._next += 1
        report = fitmi.encode_report(
            self._puck_bytes(0, index), self._puck_bytes(1, index), 0x2000 | (37 << 6)
        )
        return list(report[:size])

    def write(self, data: bytes | list[int]) -> int:
        if self.unplugged or self.closed:
            raise OSError("write error")
        raw = bytes(data)
        self.written.append(raw)
        if len(raw) >= 2 and raw[1] & 0x1F == fitmi.Command.DONGLE_RESET:
            self._resets += 1
        return len(raw)

    def close(self) -> None:
        self.closed = True
