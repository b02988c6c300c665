# The bytes of RepQuest puck protocol version 1 (firmware_protocol/PROTOCOL.md), written for MicroPython.
#
# The host's construct definitions cannot run on a microcontroller, so this module restates the layout with
# `struct`. tests/firmware checks every function here against firmware_protocol/vectors/*.json, so the two
# cannot drift apart. No allocation on the per-sample path: pack_sample writes into the caller's buffer.
import struct

from micropython import const

VERSION = const(1)
HEADER_SIZE = const(7)  # section 3.1
SAMPLE_SIZE = const(13)  # section 3.3
MAX_COUNT = const(15)  # section 3.2: the count field has four bits
ATT_NOTIFY_OVERHEAD = const(3)  # section 3.4: a notification carries MTU - 3 bytes
MIN_PULSE_PERIOD_MS = const(334)  # section 4.3: never flash faster than 3 Hz
STATUS_SIZE = const(14)  # section 5

RATES_HZ = (50, 100, 200, 400)  # section 3.2: index = rate_code

# Section 2: the 128-bit UUIDs of the puck, and the SIG numbers of the standard services.
SERVICE_UUID = "b6a30001-2c4d-4e5f-9a1b-5245505155a1"
DATA_UUID = "b6a30002-2c4d-4e5f-9a1b-5245505155a1"
CONTROL_UUID = "b6a30003-2c4d-4e5f-9a1b-5245505155a1"
STATUS_UUID = "b6a30004-2c4d-4e5f-9a1b-5245505155a1"
DEVICE_INFO_UUID16 = const(0x180A)
MANUFACTURER_UUID16 = const(0x2A29)
MODEL_UUID16 = const(0x2A24)
SERIAL_UUID16 = const(0x2A25)
FIRMWARE_REV_UUID16 = const(0x2A26)
BATTERY_SERVICE_UUID16 = const(0x180F)
BATTERY_LEVEL_UUID16 = const(0x2A19)
NAME_PREFIX = "RepQuest Puck"

# Section 4.2 opcodes.
START_STREAM = const(0x01)
STOP_STREAM = const(0x02)
SET_RATE = const(0x03)
SET_LED = const(0x04)
VIBRATE = const(0x05)
TARE_FORCE = const(0x06)
IDENTIFY = const(0x07)
REQUEST_STATUS = const(0x08)
_PARAM_SIZE = (None, 0, 0, 2, 6, 4, 0, 1, 0)  # by opcode

# Section 4.1: the ATT error a malformed command deserves.
ERR_VERSION = const(0x80)
ERR_OPCODE = const(0x81)
ERR_LENGTH = const(0x82)
ERR_RANGE = const(0x83)

# Section 4.3 LED patterns.
LED_OFF = const(0)
LED_SOLID = const(1)
LED_PULSE = const(2)

# Section 5 bit fields.
STATE_STREAMING = const(0x01)
STATE_CHARGING = const(0x02)
STATE_TOUCH = const(0x04)
ERROR_IMU = const(0x0001)
ERROR_FORCE = const(0x0002)
ERROR_BATTERY_LOW = const(0x0004)
ERROR_OVERHEATED = const(0x0008)
ERROR_FIFO_OVERFLOW = const(0x0010)

_SAMPLE = "<hhhhhhB"


class CommandError(Exception):
    """A command the puck refuses; ``code`` is the ATT error of section 4.1."""

    def __init__(self, code, why):
        super().__init__(why)
        self.code = code


def samples_per_notification(mtu):
    """Section 3.4: samples that fit one notification at this ATT MTU (at least 1, at most 15)."""
    room = (mtu - ATT_NOTIFY_OVERHEAD - HEADER_SIZE) // SAMPLE_SIZE
    return max(1, min(MAX_COUNT, room))


def notification_size(count):
    return HEADER_SIZE + SAMPLE_SIZE * count


def pack_header(buf, seq, t0_us, rate_hz, count, touch, saturated):
    """Section 3.2: the seven header bytes at the start of ``buf``."""
    info = RATES_HZ.index(rate_hz) << 4 | count
    if touch:
        info |= 0x40
    if saturated:
        info |= 0x80
    t0 = t0_us & 0xFFFFFF
    struct.pack_into("<BBHBH", buf, 0, VERSION, info, seq & 0xFFFF, t0 & 0xFF, t0 >> 8)


def _clip(value, lo, hi):
    if value < lo:
        return lo, True
    if value > hi:
        return hi, True
    return value, False


def pack_sample(buf, index, counts, force):
    """Section 3.3: sample ``index`` of a notification from six protocol counts and a force count.

    ``counts`` holds acc x y z at 1/2048 g per count, then gyr x y z at 1/16 deg/s per count; ``force`` is
    in 0.5 N counts. Out-of-range values are clipped to the field. Returns True when something was clipped.
    """
    clipped = False
    a0, c = _clip(counts[0], -32768, 32767)
    clipped |= c
    a1, c = _clip(counts[1], -32768, 32767)
    clipped |= c
    a2, c = _clip(counts[2], -32768, 32767)
    clipped |= c
    g0, c = _clip(counts[3], -32768, 32767)
    clipped |= c
    g1, c = _clip(counts[4], -32768, 32767)
    clipped |= c
    g2, c = _clip(counts[5], -32768, 32767)
    clipped |= c
    f, c = _clip(force, 0, 255)
    clipped |= c
    struct.pack_into(_SAMPLE, buf, HEADER_SIZE + SAMPLE_SIZE * index, a0, a1, a2, g0, g1, g2, f)
    return clipped


def parse_command(data):
    """Section 4: ``(opcode, params)`` of a command frame, or CommandError with its ATT error code.

    params: SET_RATE (rate_hz,); SET_LED (red, green, blue, pattern, period_ms) with a pulse period clamped up
    to 334 ms; VIBRATE (strength_pct, duration_ms, repeat); IDENTIFY (seconds,); otherwise ().
    """
    if len(data) < 1 or data[0] != VERSION:
        raise CommandError(ERR_VERSION, "unsupported protocol version")
    if len(data) < 2 or not 1 <= data[1] <= REQUEST_STATUS:
        raise CommandError(ERR_OPCODE, "unknown opcode")
    opcode = data[1]
    if len(data) - 2 != _PARAM_SIZE[opcode]:
        raise CommandError(ERR_LENGTH, "wrong parameter length")
    if opcode == SET_RATE:
        rate = data[2] | data[3] << 8
        if rate not in RATES_HZ:
            raise CommandError(ERR_RANGE, "rate must be 50, 100, 200 or 400 Hz")
        return opcode, (rate,)
    if opcode == SET_LED:
        pattern = data[5]
        if pattern > LED_PULSE:
            raise CommandError(ERR_RANGE, "unknown LED pattern")
        period = data[6] | data[7] << 8
        if pattern == LED_PULSE and period < MIN_PULSE_PERIOD_MS:
            period = MIN_PULSE_PERIOD_MS  # section 4.3: clamp, never refuse
        return opcode, (data[2], data[3], data[4], pattern, period)
    if opcode == VIBRATE:
        strength, duration, repeat = data[2], data[3] | data[4] << 8, data[5]
        if strength > 100 or not 10 <= duration <= 2000 or not 1 <= repeat <= 5:
            raise CommandError(ERR_RANGE, "vibration out of range")
        return opcode, (strength, duration, repeat)
    if opcode == IDENTIFY:
        if not 1 <= data[2] <= 30:
            raise CommandError(ERR_RANGE, "identify for 1..30 s")
        return opcode, (data[2],)
    return opcode, ()


def pack_status(battery_pct, firmware, acc_range_g, gyr_range_dps, rate_hz, count, state, errors):
    """Section 5: the 14-byte status record. ``firmware`` is (major, minor, patch)."""
    return struct.pack(
        "<BBBBBBHHBBH",
        VERSION,
        battery_pct,
        firmware[0],
        firmware[1],
        firmware[2],
        acc_range_g,
        gyr_range_dps,
        rate_hz,
        count,
        state,
        errors,
    )


def uuid128_le(text):
    """A 128-bit UUID string as the 16 bytes that go on the air (least significant byte first)."""
    digits = text.replace("-", "")
    return bytes(reversed([int(digits[i : i + 2], 16) for i in range(0, 32, 2)]))


def _ad(kind, value):
    return bytes((len(value) + 1, kind)) + value


def advertising_data(battery_pct):
    """Section 1: flags, the puck service UUID, and the battery level as Battery service data (26 bytes)."""
    flags = _ad(0x01, b"\x06")  # LE general discoverable, no BR/EDR
    service = _ad(0x07, uuid128_le(SERVICE_UUID))  # complete list of 128-bit service UUIDs
    battery = _ad(0x16, struct.pack("<HB", BATTERY_SERVICE_UUID16, battery_pct))  # service data, 16-bit UUID
    return flags + service + battery


def scan_response(name):
    """The complete local name: too long to share the 31 advertising bytes with the 128-bit UUID."""
    return _ad(0x09, name.encode())
