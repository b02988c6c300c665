"""Declarative definitions of every puck message: the single source of truth (PROTOCOL.md sections 3-5).

The simulator builds its bytes from these definitions and the host parses control and status messages with them.
The per-notification IMU decode (:mod:`.decode`) takes its numpy dtype from :data:`SAMPLE` below, so the fast path
cannot drift from the spec. Callers never see construct types: :mod:`.codec` wraps every construct error.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from construct import (
    Array,
    BitsInteger,
    BitStruct,
    Bytes,
    Const,
    Enum,
    Flag,
    FlagsEnum,
    GreedyBytes,
    Int8ub,
    Int16sl,
    Int16ul,
    Int24ul,
    Pass,
    Struct,
    Switch,
    Terminated,
    this,
)

PROTOCOL_VERSION = 1

# Section 3.3: fixed scale factors of protocol version 1, whatever range the sensors run at.
ACC_G_PER_LSB = 1.0 / 2048.0  # int16 -> +-16 g
GYR_DPS_PER_LSB = 1.0 / 16.0  # int16 -> +-2048 deg/s
FORCE_N_PER_LSB = 0.5  # uint8 -> 0 .. 127.5 N

# Section 3.2: the two-bit rate code carried in every data notification.
RATE_CODES: dict[int, int] = {0: 50, 1: 100, 2: 200, 3: 400}
RATE_HZ_TO_CODE: dict[int, int] = {hz: code for code, hz in RATE_CODES.items()}
SUPPORTED_RATES_HZ: tuple[int, ...] = tuple(sorted(RATE_HZ_TO_CODE))

MAX_SAMPLES_PER_NOTIFICATION = 15  # the count field is four bits; 0 is invalid
ATT_NOTIFY_OVERHEAD = 3  # opcode + handle: a notification carries MTU - 3 bytes
DEVICE_TIME_MODULUS_US = 1 << 24  # section 3.2: the device timestamp is a u24 of microseconds
SEQ_MODULUS = 1 << 16

# Section 3.2: byte 1 of every data notification. BitStruct fields run from the most significant bit.
DATA_INFO = BitStruct(
    "saturated" / Flag,  # bit 7: some value in this notification was clipped at full scale
    "touch" / Flag,  # bit 6: the touch pad is covered
    "rate_code" / BitsInteger(2),  # bits 5-4: sample rate, see RATE_CODES
    "count" / BitsInteger(4),  # bits 3-0: number of samples that follow, 1..15
)

# Section 3.2: the seven-byte header.
DATA_HEADER = Struct(
    "version" / Const(PROTOCOL_VERSION, Int8ub),
    "info" / DATA_INFO,
    "seq" / Int16ul,
    "t0_us" / Int24ul,
)

# Section 3.3: one IMU sample, 13 bytes.
SAMPLE = Struct(
    "acc" / Array(3, Int16sl),
    "gyr" / Array(3, Int16sl),
    "force" / Int8ub,
)

# Section 3.1: a whole notification on the data characteristic.
DATA_NOTIFICATION = Struct(
    "header" / DATA_HEADER,
    "samples" / Array(this.header.info.count, SAMPLE),
    Terminated,
)


class Opcode(IntEnum):
    """Section 4.2: command opcodes written to the control characteristic."""

    START_STREAM = 0x01
    STOP_STREAM = 0x02
    SET_RATE = 0x03
    SET_LED = 0x04
    VIBRATE = 0x05
    TARE_FORCE = 0x06
    IDENTIFY = 0x07
    REQUEST_STATUS = 0x08


class LedPattern(IntEnum):
    """Section 4.3: what the RGB LED does."""

    OFF = 0
    SOLID = 1
    PULSE = 2


_COMMAND_PARAMS: dict[str, Any] = {
    "START_STREAM": Pass,
    "STOP_STREAM": Pass,
    "SET_RATE": Struct("rate_hz" / Int16ul),
    "SET_LED": Struct(
        "red" / Int8ub,
        "green" / Int8ub,
        "blue" / Int8ub,
        "pattern" / Enum(Int8ub, LedPattern),
        "period_ms" / Int16ul,
    ),
    "VIBRATE": Struct("strength_pct" / Int8ub, "duration_ms" / Int16ul, "repeat" / Int8ub),
    "TARE_FORCE": Pass,
    "IDENTIFY": Struct("seconds" / Int8ub),
    "REQUEST_STATUS": Pass,
}

# Section 4.1: a command frame. An unknown opcode fails the Enum's Switch and so fails the parse.
COMMAND = Struct(
    "version" / Const(PROTOCOL_VERSION, Int8ub),
    "opcode" / Enum(Int8ub, Opcode),
    "params" / Switch(this.opcode, _COMMAND_PARAMS, default=Bytes(-1)),
    Terminated,
)

STATE_FLAGS = FlagsEnum(Int8ub, streaming=0x01, charging=0x02, touch=0x04)
ERROR_FLAGS = FlagsEnum(
    Int16ul, imu_fault=0x0001, force_fault=0x0002, battery_low=0x0004, overheated=0x0008, fifo_overflow=0x0010
)

# Section 5: the status record (read, and notified on change). Later minor revisions may append fields,
# which a host of this version ignores (section 6).
_STATUS_FIELDS = (
    "version" / Const(PROTOCOL_VERSION, Int8ub),
    "battery_pct" / Int8ub,
    "firmware" / Struct("major" / Int8ub, "minor" / Int8ub, "patch" / Int8ub),
    "acc_range_g" / Int8ub,
    "gyr_range_dps" / Int16ul,
    "rate_hz" / Int16ul,
    "samples_per_notification" / Int8ub,
    "state" / STATE_FLAGS,
    "errors" / ERROR_FLAGS,
)
STATUS_SIZE: int = Struct(*_STATUS_FIELDS).sizeof()
STATUS = Struct(*_STATUS_FIELDS, "extension" / GreedyBytes)

HEADER_SIZE: int = DATA_HEADER.sizeof()
SAMPLE_SIZE: int = SAMPLE.sizeof()


def samples_per_notification(mtu: int) -> int:
    """Section 3.4: how many samples one notification carries at a negotiated ATT MTU (bytes)."""
    room = mtu - ATT_NOTIFY_OVERHEAD - HEADER_SIZE
    return max(1, min(MAX_SAMPLES_PER_NOTIFICATION, room // SAMPLE_SIZE))
