"""FitMi pucks through their USB dongle (hidapi), turned into the same sample blocks a puck's session gives.

Start-up as the codebases that drive real pucks do it: open the dongle, read, wait up to 200 ms for a puck's
"connected" bit, else reset the dongle and wait 600 ms; then switch "game on" for both pucks. Reads never
block (timeout 0), so polling fits the one event loop. Each puck's scales and axes are learned from its data
(:mod:`.fitmi_calibration`); until then its reports are counted but give no blocks. Times come from the host
clock (the reports carry none); the rate is the median spacing of arrivals. Actuation (LEDs, motor) is limited
to one command per puck per 0.2 s, as the host code does.

NOT YET TRIED ON REAL PUCKS: everything here is built from facts read in other people's code and tested against
:class:`.fitmi_fake.FakeFitMiDongle`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from repquest.clock import Clock
from repquest.errors import DeviceError, ProtocolError
from repquest.firmware_protocol import SampleBlock

from . import fitmi
from .fitmi_calibration import CalibrationLearner, FitMiCalibration

__all__ = ["ACTUATION_GAP_S", "FitMiDongle", "FitMiUpdate", "HidDevice", "open_hid"]

CONNECT_WAIT_S = 0.2
RESET_WAIT_S = 0.6
ACTUATION_GAP_S = 0.2
_ACTUATIONS = range(fitmi.Command.BLINK_RED, fitmi.Command.PULSE_MOTOR + 1)
_U24 = 1 << 24


class HidDevice(Protocol):
    """The part of hidapi's ``hid.device`` the driver uses (the fake dongle implements it too)."""

    def read(self, size: int, timeout_ms: int = 0) -> list[int]: ...

    def write(self, data: bytes | list[int]) -> int: ...

    def close(self) -> None: ...


def open_hid() -> HidDevice:
    """The first FitMi dongle on this computer, through hidapi; DeviceError saying what to do otherwise."""
    try:
        import hid  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise DeviceError("FitMi pucks need the hidapi package: pip install 'repquest[fitmi]'") from None
    device = hid.device()
    try:
        device.open(fitmi.VENDOR_ID, fitmi.PRODUCT_ID)
    except OSError:
        raise DeviceError(
            "no FitMi dongle found: plug it in (on Linux, allow your user to open it with a udev rule)"
        ) from None
    device.set_nonblocking(1)
    return device  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class FitMiUpdate:
    """What one report said about one puck.

    Attributes:
        puck: 0 (blue) or 1 (yellow). connected: the puck is on and linked. touch: its touch pad is pressed.
        load_n: the load cell in newtons (by the ~20 g per unit figure). battery: the raw battery byte.
        block: its samples once the puck is calibrated, else None.
    """

    puck: int
    connected: bool
    touch: bool
    load_n: float
    battery: int
    block: SampleBlock | None


class _PuckTrack:
    def __init__(self) -> None:
        self.learner = CalibrationLearner()
        self.seq = -1
        self.arrivals: deque[float] = deque(maxlen=64)
        self.last_actuation_s = float("-inf")

    def rate_hz(self) -> int:
        if len(self.arrivals) < 3:
            return 100
        gaps = np.diff(np.array(self.arrivals))
        gap = float(np.median(gaps[gaps > 0])) if np.any(gaps > 0) else 0.01
        return max(1, round(1 / gap))


class FitMiDongle:
    """One dongle and its two pucks. ``device`` is a :class:`HidDevice` (``open_hid()`` for the real one)."""

    def __init__(
        self, device: HidDevice, clock: Clock, on_raw: Callable[[float, str, bytes], None] | None = None
    ) -> None:
        """``on_raw(t_s, direction, data)`` sees every report read ("in") and command written ("out")."""
        self.device = device
        self.clock = clock
        self.on_raw = on_raw
        self.tracks = (_PuckTrack(), _PuckTrack())
        self.status: fitmi.DongleStatus | None = None
        self.reports = 0
        self.reset_sent = False
        self._open = True

    @property
    def calibrations(self) -> tuple[FitMiCalibration | None, FitMiCalibration | None]:
        return (self.tracks[0].learner.calibration, self.tracks[1].learner.calibration)

    async def start(self) -> list[FitMiUpdate]:
        """Bring the pucks up (see the module text); returns what arrived meanwhile."""
        updates = await self._wait_connected(CONNECT_WAIT_S)
        if not any(u.connected for u in updates):
            self._write(fitmi.command(0, fitmi.Command.DONGLE_RESET))
            self.reset_sent = True
            await self.clock.sleep(RESET_WAIT_S)
            updates += self.poll()
        for puck in (0, 1):
            self._write(fitmi.command(puck, fitmi.Command.GAME_ON, 0x00, 0x01))
        return updates

    async def _wait_connected(self, wait_s: float) -> list[FitMiUpdate]:
        updates: list[FitMiUpdate] = []
        deadline = self.clock.now() + wait_s
        while True:
            updates += self.poll()
            if any(u.connected for u in updates) or self.clock.now() >= deadline:
                return updates
            await self.clock.sleep(0.01)

    def poll(self) -> list[FitMiUpdate]:
        """Every report waiting now, decoded (never blocks). DeviceError if the dongle was unplugged."""
        updates: list[FitMiUpdate] = []
        while self._open:
            try:
                data = self.device.read(fitmi.REPORT_SIZE, 0)
            except OSError:
                self.close()
                raise DeviceError(
                    "the FitMi dongle was unplugged: plug it back in, then connect again"
                ) from None
            if not data:
                break
            if self.on_raw is not None:
                self.on_raw(self.clock.now(), "in", bytes(data))
            updates += self._decode(data, self.clock.now())
        return updates

    def _decode(self, data: list[int] | bytes, now_s: float) -> list[FitMiUpdate]:
        try:
            pucks = fitmi.decode_report(data)
        except ProtocolError:
            return []  # not a puck report (a short or foreign one): skip it, as the host code does
        *reports, self.status = pucks
        self.reports += 1
        out = []
        for puck, report in enumerate(reports):
            assert isinstance(report, fitmi.PuckReport)
            out.append(self._update(puck, report, now_s))
        return out

    def _update(self, puck: int, report: fitmi.PuckReport, now_s: float) -> FitMiUpdate:
        track = self.tracks[puck]
        block = None
        if report.connected:
            track.arrivals.append(now_s)
            a, b = np.array(report.triple_a, float), np.array(report.triple_b, float)
            calibration = track.learner.feed(a, b, np.array(report.quaternion), now_s)
            if calibration is not None:
                acc, gyr = calibration.apply(a[None, :], b[None, :])
                track.seq += 1
                block = SampleBlock(
                    seq=track.seq & 0xFFFF,
                    t0_us=round(now_s * 1e6) % _U24,
                    rate_hz=track.rate_hz(),
                    t_us=np.array([round(now_s * 1e6) % _U24], dtype=np.int64),
                    acc_g=acc,
                    gyr_dps=gyr,
                    force_n=np.array([report.load_n]),
                    touch=report.touch,
                )
        return FitMiUpdate(puck, report.connected, report.touch, report.load_n, report.battery, block)

    def send(self, command: bytes) -> bool:
        """Write a :func:`.fitmi.command`; an LED or motor command within 0.2 s of the last one to the same puck
        is dropped (returns False), as the host code drops it."""
        if len(command) != 3:
            raise ProtocolError("a FitMi command is 3 bytes")
        puck, cmd = command[0] >> 5, command[0] & 0x1F
        if cmd in _ACTUATIONS and puck in (0, 1):
            track = self.tracks[puck]
            now_s = self.clock.now()
            if now_s - track.last_actuation_s < ACTUATION_GAP_S:
                return False
            track.last_actuation_s = now_s
        self._write(command)
        return True

    def _write(self, command: bytes) -> None:
        if self.on_raw is not None:
            self.on_raw(self.clock.now(), "out", command)
        try:
            self.device.write(b"\x00" + command)  # output report id 0
        except OSError:
            self.close()
            raise DeviceError("the FitMi dongle was unplugged: plug it back in, then connect again") from None

    def close(self) -> None:
        if self._open:
            self._open = False
            self.device.close()
