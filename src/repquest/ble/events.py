"""What a :class:`~repquest.ble.session.PuckSession` yields: timed sample blocks and connection events."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from repquest.firmware_protocol import PuckStatus, SampleBlock

from .transport import DeviceInfo

__all__ = [
    "BatteryLow",
    "Connected",
    "Disconnected",
    "Reconnecting",
    "SessionItem",
    "SessionStats",
    "StatusChanged",
    "TimedBlock",
    "WeakSignal",
]


@dataclass(frozen=True, slots=True, eq=False)
class TimedBlock:
    """One notification's samples with host timestamps.

    Attributes:
        block: the decoded samples (device time in ``block.t_us``, wrapping).
        host_t_s: (n,) float64 host time of each sample in seconds, on the session's clock; increasing across
            blocks.
        lost_before: notifications lost since the previous block (gaps, undecodable ones, queue overflow).
    """

    block: SampleBlock
    host_t_s: npt.NDArray[np.float64]
    lost_before: int = 0

    def __len__(self) -> int:
        return len(self.block)


@dataclass(frozen=True, slots=True)
class Connected:
    """The link is up, subscribed, and the stream (re)started. ``mtu`` in bytes."""

    device: DeviceInfo
    mtu: int


@dataclass(frozen=True, slots=True)
class Disconnected:
    """The link dropped (or went silent); ``reason`` says why. ``final``: no reconnect will follow."""

    reason: str
    final: bool = False


@dataclass(frozen=True, slots=True)
class Reconnecting:
    """Attempt ``attempt`` (1-based) to reconnect starts after ``delay_s`` seconds."""

    attempt: int
    delay_s: float


@dataclass(frozen=True, slots=True)
class StatusChanged:
    """The puck reported its status (on connect, and whenever it changes)."""

    status: PuckStatus


@dataclass(frozen=True, slots=True)
class BatteryLow:
    """The battery fell to ``battery_pct`` percent: time to charge the puck after this set."""

    battery_pct: int


@dataclass(frozen=True, slots=True)
class WeakSignal:
    """The scan before this (re)connect heard the sensor at ``rssi_dbm`` only: move it or the computer closer
    (expect losses and reconnects until then)."""

    rssi_dbm: int


SessionItem = TimedBlock | Connected | Disconnected | Reconnecting | StatusChanged | BatteryLow | WeakSignal


@dataclass(frozen=True, slots=True)
class SessionStats:
    """Counters of one session, in notifications (``samples`` in samples).

    ``lost`` counts every sequence number never delivered, whatever the cause: lost on air, undecodable
    (``corrupt``), sent while the link was down, or dropped because the consumer fell behind (``overflow``).
    ``duplicates`` and ``stale`` (arrived after a later one) were received but not delivered.
    """

    received: int = 0
    samples: int = 0
    lost: int = 0
    duplicates: int = 0
    stale: int = 0
    corrupt: int = 0
    overflow: int = 0
    reconnects: int = 0
