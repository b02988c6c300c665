"""FitMi pucks (Flint Rehab) through their USB dongle: the HID input report and the dongle's commands.

Facts gathered from two public codebases that drive real pucks (no vendor documentation is public; the code here
is our own). The dongle is a USB HID device, vendor 0x04D8, product 0x2742. Each 62-byte input report holds:

- bytes 0-29 puck 0 (blue), 30-59 puck 1 (yellow), 60-61 the dongle status word (little-endian: bits 13-15
  hardware state, bits 6-12 radio channel, bits 0-5 two 3-bit pipe fields whose order the codebases disagree on);
- per puck, little-endian: two int16 triples at 0-5 and 6-11 (accelerometer and gyroscope, but the codebases
  disagree on which is which, and no scale is documented: :mod:`.fitmi_calibration` learns both), an int16
  triple at 12-17 (magnetometer / 100, or linear acceleration: status bit 3 says which), the quaternion w, x, y,
  z at 18-25 (int16 / 10000), the load cell at 26-27 (int16, raw; about 20 g per unit by one study), the battery
  at 28 (u8) and a status byte at 29 (bit 0 connected, bit 1 IMU ok, bit 2 touch, bit 3 bytes 12-17 are linear
  acceleration, bits 4-6 a state number).

There is no time stamp and no sequence number: the host's clock times the reports.

Commands are 3 bytes, ``((puck << 5) & 0xE0) | command, msb, lsb``, written as an output report with id 0.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from repquest.errors import ProtocolError

__all__ = [
    "PRODUCT_ID",
    "REPORT_SIZE",
    "VENDOR_ID",
    "Command",
    "DongleStatus",
    "PuckReport",
    "command",
    "decode_report",
    "encode_puck",
    "encode_report",
    "pulse_motor",
]

VENDOR_ID = 0x04D8
PRODUCT_ID = 0x2742
REPORT_SIZE = 62
PUCK_SIZE = 30
PUCKS = 2
QUATERNION_SCALE = 10000
MAGNETOMETER_SCALE = 100
LOAD_CELL_N_PER_UNIT = 0.020 * 9.80665  # ~20 g per unit (one study's figure, not the vendor's)
_PUCK = struct.Struct("<3h3h3h4hhBB")


class Command:
    BLINK_RED = 0x01
    BLINK_GREEN = 0x02
    BLINK_BLUE = 0x03
    BLINK_MOTOR = 0x04
    PULSE_RED = 0x05
    PULSE_GREEN = 0x06
    PULSE_BLUE = 0x07
    PULSE_MOTOR = 0x08
    GAME_ON = 0x0B
    DONGLE_RESET = 0x0F
    SEND_LINEAR_ACC = 0x10
    TOUCH_BUZZ = 0x11


@dataclass(frozen=True, slots=True)
class PuckReport:
    """One puck's 30 bytes. Raw integers where the scale is unknown; the quaternion is unit-scaled.

    Attributes:
        triple_a, triple_b: the two int16 triples at bytes 0-5 and 6-11 (accelerometer and gyroscope, in an
            order to be learned). extra: the triple at 12-17 (see ``extra_is_linear_acc``).
        quaternion: w, x, y, z. load: raw load cell units. battery: raw byte. status: the raw status byte.
    """

    triple_a: tuple[int, int, int]
    triple_b: tuple[int, int, int]
    extra: tuple[int, int, int]
    quaternion: tuple[float, float, float, float]
    load: int
    battery: int
    status: int

    @property
    def connected(self) -> bool:
        return bool(self.status & 0x01)

    @property
    def imu_ok(self) -> bool:
        return bool(self.status & 0x02)

    @property
    def touch(self) -> bool:
        return bool(self.status & 0x04)

    @property
    def extra_is_linear_acc(self) -> bool:
        return bool(self.status & 0x08)

    @property
    def state(self) -> int:
        return (self.status >> 4) & 0x07

    @property
    def magnetometer(self) -> tuple[float, float, float] | None:
        """Bytes 12-17 / 100 when they hold the magnetometer, else None."""
        if self.extra_is_linear_acc:
            return None
        x, y, z = (v / MAGNETOMETER_SCALE for v in self.extra)
        return (x, y, z)

    @property
    def load_n(self) -> float:
        """The load cell in newtons, by the ~20 g per unit figure (unverified on our side)."""
        return self.load * LOAD_CELL_N_PER_UNIT


@dataclass(frozen=True, slots=True)
class DongleStatus:
    """The dongle's status word; ``pipe_low`` (bits 0-2) and ``pipe_high`` (bits 3-5) are left unnamed, since
    the two codebases disagree on which pipe is which."""

    word: int

    @property
    def hardware_state(self) -> int:
        return (self.word >> 13) & 0x07

    @property
    def channel(self) -> int:
        return (self.word >> 6) & 0x7F

    @property
    def pipe_low(self) -> int:
        return self.word & 0x07

    @property
    def pipe_high(self) -> int:
        return (self.word >> 3) & 0x07


def _decode_puck(raw: bytes) -> PuckReport:
    v = _PUCK.unpack(raw)
    w, x, y, z = (q / QUATERNION_SCALE for q in v[9:13])
    return PuckReport(
        (v[0], v[1], v[2]), (v[3], v[4], v[5]), (v[6], v[7], v[8]), (w, x, y, z), v[13], v[14], v[15]
    )


def decode_report(
    data: bytes | bytearray | memoryview | list[int],
) -> tuple[PuckReport, PuckReport, DongleStatus]:
    """Both pucks and the dongle status from one input report; ProtocolError unless it is 62 bytes."""
    if not isinstance(data, bytes | bytearray | memoryview | list):
        raise ProtocolError(f"a FitMi report must be bytes, not {type(data).__name__}")
    try:
        raw = bytes(data)
    except (TypeError, ValueError) as exc:
        raise ProtocolError(f"a FitMi report must hold bytes: {exc}") from None
    if len(raw) != REPORT_SIZE:
        raise ProtocolError(f"a FitMi report is {REPORT_SIZE} bytes, not {len(raw)}")
    (word,) = struct.unpack_from("<H", raw, PUCKS * PUCK_SIZE)
    return _decode_puck(raw[:PUCK_SIZE]), _decode_puck(raw[PUCK_SIZE : 2 * PUCK_SIZE]), DongleStatus(word)


def _clip16(value: float) -> int:
    return max(-32768, min(32767, round(value)))


def encode_puck(
    triple_a: tuple[float, float, float] = (0, 0, 0),
    triple_b: tuple[float, float, float] = (0, 0, 0),
    extra: tuple[float, float, float] = (0, 0, 0),
    quaternion: tuple[float, float, float, float] = (1.0, 0.0, 0.0, 0.0),
    load: float = 0,
    battery: int = 100,
    status: int = 0x03,
) -> bytes:
    """One puck's 30 bytes (the fake dongle's mode); values are rounded and clipped to their fields."""
    quat = [_clip16(q * QUATERNION_SCALE) for q in quaternion]
    ints = [_clip16(v) for v in (*triple_a, *triple_b, *extra)]
    return _PUCK.pack(*ints, *quat, _clip16(load), battery & 0xFF, status & 0xFF)


def encode_report(puck0: bytes, puck1: bytes, status_word: int = 0) -> bytes:
    """A 62-byte input report from two :func:`encode_puck` results and the dongle status word."""
    if len(puck0) != PUCK_SIZE or len(puck1) != PUCK_SIZE:
        raise ProtocolError(f"each puck is {PUCK_SIZE} bytes")
    return puck0 + puck1 + struct.pack("<H", status_word & 0xFFFF)


def command(puck: int, cmd: int, msb: int = 0, lsb: int = 0) -> bytes:
    """The 3 command bytes for ``puck`` (0 blue, 1 yellow); write them after the report id 0."""
    if puck not in (0, 1):
        raise ProtocolError(f"a FitMi dongle has pucks 0 and 1, not {puck}")
    if not 0 <= cmd <= 0x1F or not 0 <= msb <= 0xFF or not 0 <= lsb <= 0xFF:
        raise ProtocolError(f"FitMi command out of range: {cmd:#x} {msb:#x} {lsb:#x}")
    return bytes([((puck << 5) & 0xE0) | cmd, msb, lsb])


def pulse_motor(puck: int, duration_ms: float, amplitude: int) -> bytes:
    """Buzz ``puck``: duration byte min(ms x 255 / 1500, 255), amplitude 0..100."""
    duration = min(int(max(duration_ms, 0) * 255 / 1500), 255)
    return command(puck, Command.PULSE_MOTOR, duration, max(0, min(100, amplitude)))
