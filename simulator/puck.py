"""The virtual puck: a protocol-exact emulation of the firmware (PROTOCOL.md sections 3-5).

It owns what the firmware owns: the streaming state, the sample rate, the device clock (with drift),
sequence numbers, the MTU-fitted batching, the status record, the battery, and what the host asked the LED and
the motor to do. Motion comes from a :class:`MotionSource`; time comes from whoever drives it through
:meth:`advance_to`, so the same puck runs on a virtual clock in tests and on the wall clock live. It never
sleeps and never does I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt

from repquest.errors import ProtocolError
from repquest.firmware_protocol import (
    CONTROL_CHAR_UUID,
    DATA_CHAR_UUID,
    DEVICE_NAME_PREFIX,
    STATUS_CHAR_UUID,
    Command,
    Opcode,
    PuckStatus,
    build_status,
    encode_notification,
    gatt,
    parse_command,
    samples_per_notification,
)

__all__ = ["Emission", "MotionSource", "VirtualPuck"]

FloatArray = npt.NDArray[np.float64]


class MotionSource(Protocol):
    """Physical sensor readings at given true times (seconds since the set began)."""

    def sample(self, t_s: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Return acc in g (n, 3), angular rate in deg/s (n, 3) and force in N (n,) at the times t_s (n,)."""
        ...


@dataclass(frozen=True, slots=True)
class Emission:
    """A notification the puck sends at true time ``t_s`` on characteristic ``char_uuid``."""

    t_s: float
    char_uuid: str
    data: bytes


@dataclass
class VirtualPuck:
    """The emulated puck. Drive it with :meth:`write`, :meth:`read` and :meth:`advance_to`.

    Args:
        source: the motion the puck feels.
        name: advertised name.
        address: a made-up Bluetooth address.
        rate_hz: initial sample rate (50, 100, 200 or 400).
        mtu: negotiated ATT MTU; the default 23 carries one sample per notification.
        clock_ppm: device crystal error in parts per million (positive runs fast).
        device_t0_us: the device clock's reading when true time is 0 (makes the u24 wrap happen anywhere).
        battery_pct: charge at true time 0.
        drain_pct_per_hour: battery drain while streaming.
    """

    source: MotionSource
    name: str = f"{DEVICE_NAME_PREFIX} SIM"
    address: str = "C0:FF:EE:00:00:01"
    rate_hz: int = 100
    mtu: int = 23
    clock_ppm: float = 0.0
    device_t0_us: int = 0
    battery_pct: float = 100.0
    drain_pct_per_hour: float = 4.0
    firmware: tuple[int, int, int] = (1, 0, 0)
    streaming: bool = False
    commands: list[tuple[float, Command]] = field(default_factory=list)
    led: tuple[int, int, int, str] = (0, 0, 0, "OFF")
    vibrations: list[tuple[float, int, int, int]] = field(default_factory=list)
    now_s: float = 0.0
    _seq: int = 0
    _next_sample_dev_us: float = 0.0
    _force_offset_n: float = 0.0
    _status_due: bool = False

    @property
    def samples_per_notification(self) -> int:
        return samples_per_notification(self.mtu)

    def _device_us(self, t_s: float) -> float:
        return self.device_t0_us + t_s * 1e6 * (1.0 + self.clock_ppm * 1e-6)

    def _true_s(self, device_us: FloatArray) -> FloatArray:
        return (device_us - self.device_t0_us) / (1e6 * (1.0 + self.clock_ppm * 1e-6))

    def status(self) -> PuckStatus:
        return PuckStatus(
            battery_pct=max(0, min(100, math.ceil(self.battery_pct))),
            firmware=self.firmware,
            rate_hz=self.rate_hz,
            samples_per_notification=self.samples_per_notification,
            streaming=self.streaming,
            errors=frozenset({"battery_low"}) if self.battery_pct < 15 else frozenset(),
        )

    def read(self, char_uuid: str) -> bytes:
        """A GATT read of one of the puck's readable characteristics."""
        if char_uuid == STATUS_CHAR_UUID:
            return build_status(self.status())
        if char_uuid == gatt.BATTERY_LEVEL_UUID:
            return bytes([self.status().battery_pct])
        info = {
            gatt.MANUFACTURER_NAME_UUID: "RepQuest (virtual)",
            gatt.MODEL_NUMBER_UUID: "RQ-PUCK-1",
            gatt.SERIAL_NUMBER_UUID: self.address.replace(":", ""),
            gatt.FIRMWARE_REVISION_UUID: ".".join(map(str, self.firmware)),
        }
        if char_uuid in info:
            return info[char_uuid].encode()
        raise ProtocolError(f"characteristic {char_uuid} is not readable")

    def write(self, char_uuid: str, data: bytes) -> Command:
        """A write with response to the control characteristic; ProtocolError stands for the ATT error."""
        if char_uuid != CONTROL_CHAR_UUID:
            raise ProtocolError(f"characteristic {char_uuid} is not writable")
        command = parse_command(data)
        self.commands.append((self.now_s, command))
        params = command.params
        if command.opcode is Opcode.START_STREAM and not self.streaming:
            self.streaming = True
            self._next_sample_dev_us = self._device_us(self.now_s)
        elif command.opcode is Opcode.STOP_STREAM:
            self.streaming = False
        elif command.opcode is Opcode.SET_RATE:
            self.rate_hz = int(params["rate_hz"])
        elif command.opcode is Opcode.SET_LED:
            self.led = (params["red"], params["green"], params["blue"], params["pattern"].name)
        elif command.opcode is Opcode.VIBRATE:
            self.vibrations.append(
                (self.now_s, params["strength_pct"], params["duration_ms"], params["repeat"])
            )
        elif command.opcode is Opcode.TARE_FORCE:
            self._force_offset_n = float(self.source.sample(np.array([self.now_s]))[2][0])
        elif command.opcode is Opcode.REQUEST_STATUS:
            self._status_due = True
        return command

    def advance_to(self, t_s: float) -> list[Emission]:
        """Run the firmware up to true time ``t_s`` and return what it notified, oldest first."""
        out: list[Emission] = []
        if t_s < self.now_s:
            return out
        if self._status_due:
            out.append(Emission(self.now_s, STATUS_CHAR_UUID, build_status(self.status())))
            self._status_due = False
        if self.streaming:
            out.extend(self._stream_until(t_s))
            before = math.ceil(self.battery_pct)
            self.battery_pct -= (t_s - self.now_s) * self.drain_pct_per_hour / 3600.0
            if math.ceil(self.battery_pct) != before:
                out.append(Emission(t_s, STATUS_CHAR_UUID, build_status(self.status())))
        self.now_s = t_s
        return out

    def _stream_until(self, t_s: float) -> list[Emission]:
        per = self.samples_per_notification
        period_us = 1_000_000 // self.rate_hz
        end_dev_us = self._device_us(t_s)
        out = []
        # A notification leaves when its last sample is taken.
        while self._next_sample_dev_us + (per - 1) * period_us <= end_dev_us:
            dev_us: FloatArray = self._next_sample_dev_us + np.arange(per, dtype=np.float64) * period_us
            acc, gyr, force = self.source.sample(self._true_s(dev_us))
            data = encode_notification(
                seq=self._seq,
                t0_us=int(dev_us[0]),
                rate_hz=self.rate_hz,
                acc_g=acc,
                gyr_dps=gyr,
                force_n=np.maximum(force - self._force_offset_n, 0.0),
            )
            out.append(Emission(float(self._true_s(dev_us[-1:])[0]), DATA_CHAR_UUID, data))
            self._seq = (self._seq + 1) & 0xFFFF
            self._next_sample_dev_us += per * period_us
        return out
