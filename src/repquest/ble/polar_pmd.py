"""Polar Verity Sense / H10 measurement data (PMD service): frame decoder, start command, and an encoder that
emits the device's exact bytes (the simulator mode).

A data frame is: measurement type (u8; ACC 2, GYRO 5), the u64 timestamp in ns of the LAST sample, a frame
type (bit 7: delta-compressed; low bits: sample resolution for raw frames), then samples. A compressed frame
holds a reference sample (``channels`` x ``resolution`` bits, little-endian signed) followed by blocks of
``delta bit width`` (u8), ``sample count`` (u8) and ``count x channels`` signed deltas of that width, packed
LSB-first: bit 0 of byte 0 is the first bit. Values are multiplied by the conversion factor that the start
response carries.
"""

from __future__ import annotations

import itertools
import struct
from collections.abc import Sequence
from dataclasses import dataclass

from repquest.errors import ProtocolError

__all__ = [
    "CONTROL_UUID",
    "DATA_UUID",
    "SERVICE_UUID",
    "MeasurementType",
    "PmdFrame",
    "decode_frame",
    "encode_delta_frame",
    "parse_start_response",
    "start_command",
]

SERVICE_UUID = "fb005c80-02e7-f387-1cad-8acd2d8df0c8"
CONTROL_UUID = "fb005c81-02e7-f387-1cad-8acd2d8df0c8"
DATA_UUID = "fb005c82-02e7-f387-1cad-8acd2d8df0c8"
COMPRESSED = 0x80


class MeasurementType:
    ACC = 2
    GYRO = 5


_RAW_RESOLUTION = {0: 8, 1: 16, 2: 24}  # frame type low bits -> bits per channel in raw frames
_HEADER = struct.Struct("<BQB")


@dataclass(frozen=True, slots=True)
class PmdFrame:
    """One data frame: ``samples`` (n x channels) raw integers, ``values`` scaled by the factor."""

    measurement: int
    timestamp_ns: int
    compressed: bool
    samples: tuple[tuple[int, ...], ...]
    factor: float = 1.0

    @property
    def values(self) -> list[tuple[float, ...]]:
        return [tuple(v * self.factor for v in s) for s in self.samples]


def _signed(value: int, bits: int) -> int:
    return value - (1 << bits) if value & (1 << (bits - 1)) else value


def decode_frame(
    data: bytes | bytearray | memoryview, *, channels: int = 3, resolution: int = 16, factor: float = 1.0
) -> PmdFrame:
    """Decode one PMD data notification; ProtocolError for anything malformed."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ProtocolError(f"a PMD frame must be bytes, not {type(data).__name__}")
    raw = bytes(data)
    if len(raw) < _HEADER.size:
        raise ProtocolError(f"PMD frame too short: {len(raw)} bytes")
    measurement, timestamp_ns, frame_type = _HEADER.unpack_from(raw)
    body = raw[_HEADER.size :]
    compressed = bool(frame_type & COMPRESSED)
    if compressed:
        samples = _decode_delta(body, channels, resolution)
    else:
        bits = _RAW_RESOLUTION.get(frame_type & 0x7F)
        if bits is None:
            raise ProtocolError(f"unknown PMD frame type 0x{frame_type:02x}")
        samples = _decode_raw(body, channels, bits)
    return PmdFrame(measurement, timestamp_ns, compressed, samples, factor)


def _decode_raw(body: bytes, channels: int, bits: int) -> tuple[tuple[int, ...], ...]:
    size = bits // 8 * channels
    if not body or len(body) % size:
        raise ProtocolError(
            f"raw PMD frame of {len(body)} bytes is not a whole number of {size}-byte samples"
        )
    step = bits // 8
    out = []
    for off in range(0, len(body), size):
        sample = body[off : off + size]
        out.append(
            tuple(
                int.from_bytes(sample[c * step : (c + 1) * step], "little", signed=True)
                for c in range(channels)
            )
        )
    return tuple(out)


def _decode_delta(body: bytes, channels: int, resolution: int) -> tuple[tuple[int, ...], ...]:
    ref_size = (resolution * channels + 7) // 8
    if len(body) < ref_size:
        raise ProtocolError("compressed PMD frame shorter than its reference sample")
    bits = int.from_bytes(body[:ref_size], "little")
    ref = [_signed((bits >> (c * resolution)) & ((1 << resolution) - 1), resolution) for c in range(channels)]
    out = [tuple(ref)]
    off = ref_size
    while off < len(body):
        if off + 2 > len(body):
            raise ProtocolError("compressed PMD frame ends inside a block header")
        width, count = body[off], body[off + 1]
        off += 2
        if not 1 <= width <= 32 or count == 0:
            raise ProtocolError(f"bad PMD delta block: width {width}, count {count}")
        nbytes = (width * channels * count + 7) // 8
        if off + nbytes > len(body):
            raise ProtocolError("compressed PMD frame ends inside a delta block")
        stream = int.from_bytes(body[off : off + nbytes], "little")  # LSB-first: bit k is bit k of the int
        off += nbytes
        mask = (1 << width) - 1
        pos = 0
        for _ in range(count):
            prev = out[-1]
            sample = []
            for c in range(channels):
                sample.append(prev[c] + _signed((stream >> pos) & mask, width))
                pos += width
            out.append(tuple(sample))
    return tuple(out)


def encode_delta_frame(
    measurement: int, timestamp_ns: int, samples: Sequence[Sequence[int]], *, resolution: int = 16
) -> bytes:
    """A compressed frame carrying ``samples`` exactly (one delta block of the narrowest width that fits)."""
    if not samples:
        raise ProtocolError("a PMD frame needs at least one sample")
    channels = len(samples[0])
    ref_bits = 0
    for c, v in enumerate(samples[0]):
        ref_bits |= (v & ((1 << resolution) - 1)) << (c * resolution)
    body = ref_bits.to_bytes((resolution * channels + 7) // 8, "little")
    deltas = [b - a for prev, cur in itertools.pairwise(samples) for a, b in zip(prev, cur, strict=True)]
    if deltas:
        width = max(max(d.bit_length() + 1 for d in deltas), 1)
        stream, pos = 0, 0
        for d in deltas:
            stream |= (d & ((1 << width) - 1)) << pos
            pos += width
        body += bytes([width, len(samples) - 1]) + stream.to_bytes((pos + 7) // 8, "little")
    return _HEADER.pack(measurement, timestamp_ns, COMPRESSED) + body


def start_command(measurement: int, settings: dict[int, int]) -> bytes:
    """``02 <type> <setting TLVs>``: each setting is ``type, count=1, value u16`` (e.g. 0 = rate, 1 = resolution,
    2 = range). Enable notifications on the control point and the data characteristic first."""
    out = bytearray([0x02, measurement])
    for kind, value in settings.items():
        out += bytes([kind, 1]) + struct.pack("<H", value)
    return bytes(out)


def parse_start_response(data: bytes) -> float:
    """The conversion factor from a start response ``F0 02 <type> <status> <more> [factor f32]`` (1.0 if absent).

    ProtocolError if the device refused (non-zero status)."""
    raw = bytes(data)
    if len(raw) < 4 or raw[0] != 0xF0 or raw[1] != 0x02:
        raise ProtocolError(f"not a PMD start response: {raw.hex()}")
    if raw[3] != 0:
        raise ProtocolError(f"the sensor refused to start measurement {raw[2]} (status {raw[3]})")
    if len(raw) >= 9:
        (factor,) = struct.unpack_from("<f", raw, 5)
        return float(factor)
    return 1.0
