"""Device profiles: what differs between the sensors a :class:`~.session.PuckSession` streams from.

A profile knows one kind of device's GATT layout, how to configure and start it on every (re)connect, and how
to turn its notifications into :class:`~repquest.firmware_protocol.SampleBlock` s. Everything else (timeouts,
reconnect with backoff, sequence checking, device-to-host time mapping, the bounded queue, events) stays in
the session, so the movement engine and games never learn which device fed them. Devices without a sequence
counter or clock get both synthesised here (from their timestamps or from host arrival time), so the same
integrity machinery counts their losses.

Profiles: :class:`PuckProfile` (our puck, PROTOCOL.md), and in :mod:`.offshelf_profiles`
:class:`~.offshelf_profiles.WitMotionProfile` and :class:`~.offshelf_profiles.PolarProfile`.
"""

from __future__ import annotations

import abc
from collections.abc import Awaitable
from typing import ClassVar, Literal, Protocol, TypeVar

import numpy as np

from repquest import firmware_protocol as fp
from repquest.clock import Clock, WallClock
from repquest.firmware_protocol import SampleBlock

from .transport import NotifyCallback, Transport

__all__ = [
    "BATTERY_LEVEL_UUID",
    "BoundedCall",
    "DeviceKind",
    "DeviceProfile",
    "PuckProfile",
    "make_block",
    "profile_for",
]

T = TypeVar("T")
DeviceKind = Literal["puck", "witmotion", "polar"]
BATTERY_LEVEL_UUID = "00002a19-0000-1000-8000-00805f9a34fb"
_U24 = 1 << 24


class BoundedCall(Protocol):
    """The session's ``await`` with its command timeout (on its clock)."""

    def __call__(self, awaitable: Awaitable[T], timeout_s: float | None = None) -> Awaitable[T]: ...


class DeviceProfile(abc.ABC):
    """One kind of sensor behind the session API.

    Attributes:
        kind: which device this profile speaks to. rate_hz: the sample rate asked for.
        command_uuid: where :meth:`PuckSession.send` writes.
        garbled: notifications that held bytes the decoder had to skip (counted as ``corrupt``).
        clock: the session's clock, for the pauses a device needs between commands (the session sets it).
    """

    kind: ClassVar[DeviceKind]
    service_uuid: ClassVar[str]
    command_uuid: ClassVar[str]

    def __init__(self, rate_hz: int) -> None:
        self.rate_hz = rate_hz
        self.garbled = 0
        self.clock: Clock = WallClock()

    @abc.abstractmethod
    async def open(
        self, transport: Transport, call: BoundedCall, on_data: NotifyCallback, on_status: NotifyCallback
    ) -> int | None:
        """Subscribe, configure and start streaming on a freshly connected ``transport`` (every reconnect).

        ``on_data`` must receive every data notification; ``on_status`` is the puck's status entry. Returns the
        battery charge in percent when the device reports one outside a status characteristic."""

    @abc.abstractmethod
    def decode(self, data: bytes, now_s: float) -> list[SampleBlock]:
        """The sample blocks one notification completes (arrived at host time ``now_s``); ProtocolError if it
        is undecodable. Never awaits."""

    def stop_commands(self) -> list[bytes]:
        """What to write to :attr:`command_uuid` before disconnecting on purpose."""
        return []


class PuckProfile(DeviceProfile):
    """Our puck (PROTOCOL.md): sequence numbers and a device clock in every notification."""

    kind = "puck"
    service_uuid = fp.PUCK_SERVICE_UUID
    command_uuid = fp.CONTROL_CHAR_UUID

    def __init__(self, rate_hz: int = 100) -> None:
        fp.set_rate(rate_hz)  # validates the rate now rather than at connect
        super().__init__(rate_hz)

    async def open(
        self, transport: Transport, call: BoundedCall, on_data: NotifyCallback, on_status: NotifyCallback
    ) -> int | None:
        # Subscribe before starting the stream: Windows drops notifications that arrive before start_notify.
        await call(transport.start_notify(fp.STATUS_CHAR_UUID, on_status))
        await call(transport.start_notify(fp.DATA_CHAR_UUID, on_data))
        on_status(await call(transport.read(fp.STATUS_CHAR_UUID)))
        await call(transport.write(fp.CONTROL_CHAR_UUID, fp.set_rate(self.rate_hz)))
        await call(transport.write(fp.CONTROL_CHAR_UUID, fp.start_stream()))
        return None

    def decode(self, data: bytes, now_s: float) -> list[SampleBlock]:
        return [fp.decode_notification(data)]

    def stop_commands(self) -> list[bytes]:
        return [fp.stop_stream()]


def make_block(seq: int, t0_us: int, rate_hz: int, acc_g: np.ndarray, gyr_dps: np.ndarray) -> SampleBlock:
    """A :class:`SampleBlock` for a device without force or touch (force 0); ``acc_g``/``gyr_dps`` (n, 3)."""
    n = acc_g.shape[0]
    t0 = t0_us % _U24
    t_us = t0 + np.arange(n, dtype=np.int64) * (1_000_000 // rate_hz)
    return SampleBlock(
        seq=seq & 0xFFFF,
        t0_us=t0,
        rate_hz=rate_hz,
        t_us=t_us,
        acc_g=np.asarray(acc_g, dtype=np.float64).reshape(n, 3),
        gyr_dps=np.asarray(gyr_dps, dtype=np.float64).reshape(n, 3),
        force_n=np.zeros(n),
    )


def profile_for(kind: str, rate_hz: int | None = None) -> DeviceProfile:
    """The profile for a scanned device ``kind`` ("puck", "witmotion", "polar") at its usual rate or ``rate_hz``."""
    from .offshelf_profiles import PolarProfile, WitMotionProfile

    if kind == "puck":
        return PuckProfile(rate_hz or 100)
    if kind == "witmotion":
        return WitMotionProfile(rate_hz or 100)
    if kind == "polar":
        return PolarProfile(rate_hz or 52)
    raise ValueError(f"no device profile for {kind!r}: expected puck, witmotion or polar")
