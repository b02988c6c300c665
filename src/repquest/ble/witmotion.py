"""WitMotion BLE 5.0 IMUs (WT9011DCL-BT5.0, BWT901BLECL): packet decoder with resynchronisation, commands, and
a simulator that emits the device's exact bytes.

Stream packets are 20 bytes: ``55 61`` then nine little-endian int16: acceleration xyz (/32768*16 g), angular
rate xyz (/32768*2000 deg/s), roll/pitch/yaw (/32768*180 deg). Register replies are ``55 71 <reg u16> <8 x
int16>`` (the register asked for and the seven after it). There is no checksum, counter or timestamp: the host
stamps arrival time and detects gaps from the rate. One notification may hold garbage, part of a packet or
several packets, so the decoder keeps a framing buffer of its own per device (never shared between instances)
and resynchronises on ``55 61`` / ``55 71``.

Driven as the vendor's SDKs drive it: about 100 ms between configuration commands (:data:`COMMAND_GAP_S`), and
the battery read from register 0x64 (volts x 100), mapped to a percentage by the vendor's curve
(:func:`battery_percent`).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from repquest.errors import ProtocolError

__all__ = [
    "NOTIFY_UUID",
    "RATE_CODES",
    "SERVICE_UUID",
    "WRITE_UUID",
    "WitMotionDecoder",
    "WitRegister",
    "WitSample",
    "battery_percent",
    "battery_voltage_x100",
    "encode_sample",
    "rate_verified",
    "read_register",
    "set_rate_commands",
]

SERVICE_UUID = "0000ffe5-0000-1000-8000-00805f9a34fb"
NOTIFY_UUID = "0000ffe4-0000-1000-8000-00805f9a34fb"
WRITE_UUID = "0000ffe9-0000-1000-8000-00805f9a34fb"

PACKET_SIZE = 20
HEADER = 0x55
KIND_SAMPLE = 0x61
KIND_REGISTER = 0x71
ACC_G_PER_LSB = 16.0 / 32768
GYR_DPS_PER_LSB = 2000.0 / 32768
ANGLE_DEG_PER_LSB = 180.0 / 32768
QUATERNION_REGISTER = 0x51
RATE_REGISTER = 0x03
BATTERY_REGISTER = 0x64
TEMPERATURE_REGISTER = 0x40
COMMAND_GAP_S = 0.1  # the vendor's SDKs wait this long after each configuration command
RATE_CODES = {10: 0x06, 50: 0x08, 100: 0x09, 200: 0x0B}
UNLOCK = bytes.fromhex("ffaa6988b5")
SAVE = bytes.fromhex("ffaa000000")
_NINE = struct.Struct("<9h")
_REG = struct.Struct("<H8h")


@dataclass(frozen=True, slots=True)
class WitSample:
    """One stream packet. Acceleration in g, angular rate in deg/s, roll/pitch/yaw in degrees (each x, y, z)."""

    acc_g: tuple[float, float, float]
    gyr_dps: tuple[float, float, float]
    angle_deg: tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class WitRegister:
    """A register read reply: the register and the eight int16 values that follow it."""

    register: int
    values: tuple[int, ...]

    @property
    def quaternion(self) -> tuple[float, float, float, float]:
        """w, x, y, z of register 0x51 (/32768)."""
        if self.register != QUATERNION_REGISTER:
            raise ProtocolError(f"register 0x{self.register:02x} is not the quaternion (0x51)")
        w, x, y, z = (v / 32768 for v in self.values[:4])
        return (w, x, y, z)


def _triple(values: tuple[int, ...], scale: float) -> tuple[float, float, float]:
    return (values[0] * scale, values[1] * scale, values[2] * scale)


class WitMotionDecoder:
    """Turns notifications into packets, whatever their chunking; one per device.

    Attributes:
        skipped_bytes: bytes dropped while resynchronising (garbage, or packets of kinds we do not use).
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.skipped_bytes = 0

    def feed(self, data: bytes | bytearray | memoryview) -> list[WitSample | WitRegister]:
        """Decode what ``data`` completes; keep an unfinished packet for the next call."""
        if not isinstance(data, bytes | bytearray | memoryview):
            raise ProtocolError(f"a notification must be bytes, not {type(data).__name__}")
        buf = self._buffer
        buf += data
        out: list[WitSample | WitRegister] = []
        i = 0
        while len(buf) - i >= 2:
            if buf[i] != HEADER or buf[i + 1] not in (KIND_SAMPLE, KIND_REGISTER):
                i += 1
                self.skipped_bytes += 1
                continue
            if len(buf) - i < PACKET_SIZE:
                break
            packet = bytes(buf[i : i + PACKET_SIZE])
            i += PACKET_SIZE
            if packet[1] == KIND_SAMPLE:
                v = _NINE.unpack_from(packet, 2)
                out.append(
                    WitSample(
                        _triple(v[0:3], ACC_G_PER_LSB),
                        _triple(v[3:6], GYR_DPS_PER_LSB),
                        _triple(v[6:9], ANGLE_DEG_PER_LSB),
                    )
                )
            else:
                reg, *values = _REG.unpack_from(packet, 2)
                out.append(WitRegister(reg, tuple(values)))
        if len(buf) - i == 1 and buf[i] != HEADER:
            i += 1
            self.skipped_bytes += 1
        del buf[:i]
        return out


def read_register(register: int) -> bytes:
    """``FF AA 27 <reg> 00``: ask for a register; the reply is a ``55 71`` packet."""
    if not 0 <= register <= 0xFF:
        raise ProtocolError(f"register must be 0..255, got {register}")
    return bytes([0xFF, 0xAA, 0x27, register, 0x00])


def set_rate_commands(rate_hz: int) -> list[bytes]:
    """Unlock, set the output rate, save: write these in order (with response), then verify the rate."""
    if rate_hz not in RATE_CODES:
        raise ProtocolError(f"WitMotion rate {rate_hz} Hz is not one of {sorted(RATE_CODES)}")
    return [UNLOCK, bytes([0xFF, 0xAA, 0x03, RATE_CODES[rate_hz], 0x00]), SAVE]


def rate_verified(reply: WitRegister, rate_hz: int) -> bool:
    """True if a register 0x03 reply shows ``rate_hz`` took effect."""
    return reply.register == RATE_REGISTER and reply.values[0] == RATE_CODES.get(rate_hz, -1)


def _clip16(value: float) -> int:
    return max(-32768, min(32767, round(value)))


def encode_sample(acc_g: Iterable[float], gyr_dps: Iterable[float], angle_deg: Iterable[float]) -> bytes:
    """The device's exact 20 bytes for one sample (the simulator mode)."""
    raw = [_clip16(a / ACC_G_PER_LSB) for a in acc_g]
    raw += [_clip16(g / GYR_DPS_PER_LSB) for g in gyr_dps]
    raw += [_clip16(a / ANGLE_DEG_PER_LSB) for a in angle_deg]
    if len(raw) != 9:
        raise ProtocolError("a WitMotion sample has three axes of each quantity")
    return bytes([HEADER, KIND_SAMPLE]) + _NINE.pack(*raw)


def encode_register(register: int, values: Iterable[int]) -> bytes:
    """A ``55 71`` register reply (the simulator answers register reads with it)."""
    vals = list(values)
    if len(vals) != 8:
        raise ProtocolError("a register reply carries eight values")
    return bytes([HEADER, KIND_REGISTER]) + _REG.pack(register, *vals)


# The vendor's voltage -> charge curves (linear between points, clamped at the ends): a one-cell battery, and
# a two-cell one for readings above 5.5 V.
_ONE_CELL_V = (3.4, 3.5, 3.68, 3.7, 3.73, 3.77, 3.79, 3.82, 3.87, 3.93, 3.96, 3.99)
_ONE_CELL_PCT = (0.0, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 75.0, 90.0, 100.0)
_TWO_CELL_V = (6.5, 6.8, 7.35, 7.75, 8.5, 8.8)
_TWO_CELL_PCT = (0.0, 10.0, 30.0, 60.0, 90.0, 100.0)


def battery_percent(voltage_x100: int) -> float:
    """Charge in percent from register 0x64 (battery volts x 100), as the vendor maps it."""
    volts = voltage_x100 / 100
    xs, ys = (_TWO_CELL_V, _TWO_CELL_PCT) if volts > 5.5 else (_ONE_CELL_V, _ONE_CELL_PCT)
    return float(np.interp(volts, xs, ys))


def battery_voltage_x100(percent: float) -> int:
    """Register 0x64 for a one-cell battery at ``percent`` (the simulator's inverse of :func:`battery_percent`)."""
    return round(float(np.interp(percent, _ONE_CELL_PCT, _ONE_CELL_V)) * 100)
