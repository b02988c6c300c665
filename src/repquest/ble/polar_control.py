"""Polar PMD control point: commands, responses and measurement settings, as Polar's SDK reads and writes them,
and what each Polar sensor we support offers (so the host asks for settings the device has, and the simulator
answers as that device does).

Commands: ``01 <type>`` asks for the settings a measurement offers, ``02 <type> <settings>`` starts it, ``03
<type>`` stops it. The control point answers ``F0 <op> <type> <status> <more> <parameters>``; the parameters of
a settings answer or a start answer are settings entries: ``setting type`` (u8), ``count`` (u8), then ``count``
little-endian values whose size depends on the type (rate, resolution, range: 2 bytes; range in milli-units and
the factor: 4 bytes, the factor an IEEE-754 float; channels: 1 byte). A read of the control point gives the
measurements the device has: ``0F`` then a bit per measurement type (byte 1: ECG 0x01, PPG 0x02, ACC 0x04,
PPI 0x08, GYRO 0x20, MAG 0x40).
"""

from __future__ import annotations

import struct
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from repquest.errors import ProtocolError

from .polar_pmd import MEASUREMENT_MASK, MeasurementType

__all__ = [
    "H10",
    "MODELS",
    "VERITY_SENSE",
    "ControlResponse",
    "Op",
    "PolarModel",
    "Setting",
    "choose_settings",
    "encode_features",
    "encode_response",
    "encode_settings",
    "factor_of",
    "parse_control_response",
    "parse_features",
    "parse_settings",
    "parse_start_response",
    "settings_request",
    "start_command",
    "stop_command",
]

RESPONSE = 0xF0


class Op:
    GET_SETTINGS = 0x01
    START = 0x02
    STOP = 0x03


class Setting:
    SAMPLE_RATE = 0
    RESOLUTION = 1
    RANGE = 2
    RANGE_MILLIUNIT = 3
    CHANNELS = 4
    FACTOR = 5


_FIELD_SIZE = {0: 2, 1: 2, 2: 2, 3: 4, 4: 1, 5: 4}
_STATUS = {
    1: "invalid op code",
    2: "invalid measurement type",
    3: "not supported",
    4: "invalid length",
    5: "invalid parameter",
    6: "already in that state",
    7: "invalid resolution",
    8: "invalid sample rate",
    9: "invalid range",
    10: "invalid MTU",
    11: "invalid number of channels",
    12: "invalid state",
    13: "the sensor is on its charger",
    14: "its disk is full",
}
_FEATURE_BITS = {0: (1, 0x01), 1: (1, 0x02), 2: (1, 0x04), 3: (1, 0x08), 5: (1, 0x20), 6: (1, 0x40)}

SettingValues = dict[int, tuple[float, ...]]


def parse_settings(params: bytes) -> SettingValues:
    """Settings entries -> {setting type: values}; the factor is a float, the rest integers."""
    out: SettingValues = {}
    if len(params) <= 1:  # the SDK reads nothing from a lone byte either
        return out
    off = 0
    while off < len(params):
        if off + 2 > len(params):
            raise ProtocolError("PMD settings end inside an entry header")
        kind, count = params[off], params[off + 1]
        off += 2
        size = _FIELD_SIZE.get(kind)
        if size is None:
            raise ProtocolError(f"unknown PMD setting type {kind}")
        if off + size * count > len(params):
            raise ProtocolError(f"PMD setting {kind} ends early")
        values: list[float] = []
        for _ in range(count):
            chunk = params[off : off + size]
            off += size
            if kind == Setting.FACTOR:
                values.append(float(struct.unpack("<f", chunk)[0]))
            else:
                values.append(int.from_bytes(chunk, "little", signed=True))
        out[kind] = tuple(values)
    return out


def encode_settings(settings: Mapping[int, Sequence[float]] | Mapping[int, float]) -> bytes:
    """Settings entries for ``{type: value}`` (one value each) or ``{type: values}`` (the offered lists)."""
    out = bytearray()
    for kind, value in settings.items():
        values = list(value) if isinstance(value, Sequence) else [value]
        size = _FIELD_SIZE.get(kind)
        if size is None:
            raise ProtocolError(f"unknown PMD setting type {kind}")
        out += bytes([kind, len(values)])
        for v in values:
            if kind == Setting.FACTOR:
                out += struct.pack("<f", v)
            else:
                out += int(v).to_bytes(size, "little", signed=int(v) < 0)
    return bytes(out)


def settings_request(measurement: int) -> bytes:
    return bytes([Op.GET_SETTINGS, measurement])


def start_command(measurement: int, settings: Mapping[int, int]) -> bytes:
    """``02 <type> <one entry per chosen setting>``; a factor is never sent (the SDK leaves it out too)."""
    chosen = {k: v for k, v in settings.items() if k != Setting.FACTOR}
    return bytes([Op.START, measurement]) + encode_settings(chosen)


def stop_command(measurement: int) -> bytes:
    return bytes([Op.STOP, measurement])


@dataclass(frozen=True, slots=True)
class ControlResponse:
    """``F0 <op> <type> <status> <more> <parameters>``; ``more`` and ``parameters`` only on success."""

    op: int
    measurement: int
    status: int
    more: bool
    parameters: bytes

    def check(self) -> None:
        """ProtocolError naming what the sensor refused, if it did."""
        if self.status:
            why = _STATUS.get(self.status, f"status {self.status}")
            raise ProtocolError(
                f"the Polar sensor refused command {self.op} for measurement {self.measurement}: {why}"
            )


def parse_control_response(data: bytes | bytearray) -> ControlResponse:
    raw = bytes(data)
    if len(raw) < 4 or raw[0] != RESPONSE:
        raise ProtocolError(f"not a PMD control point response: {raw.hex()}")
    ok = raw[3] == 0
    return ControlResponse(
        raw[1], raw[2] & MEASUREMENT_MASK, raw[3], ok and len(raw) > 4 and raw[4] != 0, raw[5:] if ok else b""
    )


def parse_start_response(data: bytes | bytearray) -> float:
    """The conversion factor of a start response (setting type 5; 1.0 without one). ProtocolError if refused."""
    response = parse_control_response(data)
    if response.op != Op.START:
        raise ProtocolError(f"not a PMD start response: {bytes(data).hex()}")
    response.check()
    return factor_of(response)


def factor_of(response: ControlResponse) -> float:
    """The factor among a response's settings entries (1.0 without one)."""
    factor = parse_settings(response.parameters).get(Setting.FACTOR)
    return float(factor[0]) if factor else 1.0


def encode_response(op: int, measurement: int, parameters: bytes = b"", status: int = 0) -> bytes:
    return bytes([RESPONSE, op, measurement, status, 0]) + parameters


def parse_features(data: bytes | bytearray) -> set[int]:
    """The measurement types a device offers, from a read of its control point."""
    raw = bytes(data)
    if len(raw) < 2 or raw[0] != 0x0F:
        raise ProtocolError(f"not a PMD feature read: {raw.hex()}")
    return {m for m, (i, bit) in _FEATURE_BITS.items() if i < len(raw) and raw[i] & bit}


def encode_features(measurements: Collection[int]) -> bytes:
    out = bytearray([0x0F, 0x00, 0x00])
    for m in measurements:
        i, bit = _FEATURE_BITS[m]
        out[i] |= bit
    return bytes(out)


def _nearest(options: Sequence[float], target: float) -> int:
    return int(min(options, key=lambda v: (abs(v - target), -v)))


def choose_settings(offered: SettingValues, measurement: int, rate_hz: int) -> dict[int, int]:
    """What to start ``measurement`` with from what the device offers: the rate nearest ``rate_hz``, the finest
    resolution, +-8 g for acceleration (the widest range otherwise), and every channel."""
    if Setting.SAMPLE_RATE not in offered:
        raise ProtocolError(f"the Polar sensor offers no sample rate for measurement {measurement}")
    chosen = {Setting.SAMPLE_RATE: _nearest(offered[Setting.SAMPLE_RATE], rate_hz)}
    if Setting.RESOLUTION in offered:
        chosen[Setting.RESOLUTION] = int(max(offered[Setting.RESOLUTION]))
    if Setting.RANGE in offered:
        ranges = offered[Setting.RANGE]
        want = 8 if measurement == MeasurementType.ACC else max(ranges)
        chosen[Setting.RANGE] = _nearest(ranges, want)
    if Setting.CHANNELS in offered:
        chosen[Setting.CHANNELS] = int(max(offered[Setting.CHANNELS]))
    return chosen


@dataclass(frozen=True)
class PolarModel:
    """One Polar sensor: its advertised name, the settings each measurement offers, and how it sends data.

    Attributes:
        offers: {measurement: {setting type: offered values}} (the answer to a settings request).
        frames: {measurement: (compressed, frame type)} of its data frames.
        factors: {measurement: factor of its start response}; absent: the response carries none.
        acc_type0_in_g: compressed type-0 acceleration is in G (the SDK turns it into mG).
    """

    name: str
    offers: dict[int, dict[int, tuple[int, ...]]]
    frames: dict[int, tuple[bool, int]]
    factors: dict[int, float] = field(default_factory=dict)
    acc_type0_in_g: bool = False

    @property
    def measurements(self) -> list[int]:
        return sorted(self.offers)


ACC, GYRO = MeasurementType.ACC, MeasurementType.GYRO
VERITY_SENSE = PolarModel(
    name="Polar Sense",
    offers={
        ACC: {
            Setting.SAMPLE_RATE: (52,),
            Setting.RESOLUTION: (16,),
            Setting.RANGE: (8,),
            Setting.CHANNELS: (3,),
        },
        GYRO: {
            Setting.SAMPLE_RATE: (52,),
            Setting.RESOLUTION: (16,),
            Setting.RANGE: (245, 500, 1000, 2000),  # as in the SDK's settings test
            Setting.CHANNELS: (3,),
        },
    },
    frames={ACC: (True, 0), GYRO: (True, 0)},
    factors={
        ACC: 2.44e-4,
        GYRO: 2000 / 32768,
    },  # G per count at +-8 g (the SDK's test value); deg/s per count
    acc_type0_in_g=True,
)
H10 = PolarModel(
    name="Polar H10",
    offers={
        ACC: {Setting.SAMPLE_RATE: (25, 50, 100, 200), Setting.RESOLUTION: (16,), Setting.RANGE: (2, 4, 8)}
    },
    frames={ACC: (False, 1)},  # raw 16-bit samples in mG
)
MODELS = {"verity_sense": VERITY_SENSE, "h10": H10}
