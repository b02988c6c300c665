"""Polar measurement data (PMD service) data frames, decoded as Polar's own SDK decodes them, and encoded as a
Verity Sense or an H10 sends them (the simulator mode).

A data frame is: measurement type (u8, low 6 bits; ACC 2, GYRO 5), the u64 device time in ns of its LAST
sample, a frame type byte (bit 7: delta-compressed; bits 0-6: the frame type number), then samples.

- Raw frames: little-endian signed samples, 3 channels of 1, 2 or 3 bytes (ACC frame types 0, 1, 2), in mG.
  No factor is applied (the SDK applies none).
- Compressed frames: a reference sample (each channel in whole bytes, little-endian), then blocks of
  ``delta width`` (u8, bits), ``sample count`` (u8) and ``count x channels`` signed deltas of that width, packed
  LSB-first. Sums wrap at 32 bits, as the SDK's ``Int`` does. Compressed type 0 is 16-bit integers; compressed
  type 1 is 16-bit integers for ACC and IEEE-754 float32 bit patterns for GYRO (the deltas add to the bit
  patterns). Values are multiplied by the factor of the start response.
- Compressed type-0 acceleration is in G on the Verity Sense (the SDK multiplies it by 1000 to give mG);
  everything else arrives in mG (ACC) or deg/s (GYRO).

Sample times (:func:`sample_times_ns`) follow the SDK: a frame's samples are spread evenly between the previous
frame's time stamp and this one; the first frame after a (re)start uses the sample rate instead.
"""

from __future__ import annotations

import itertools
import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass

from repquest.errors import ProtocolError

__all__ = [
    "COMPRESSED",
    "CONTROL_UUID",
    "DATA_UUID",
    "MEASUREMENT_MASK",
    "SERVICE_UUID",
    "MeasurementType",
    "PmdFrame",
    "PreviousTimes",
    "decode_delta_samples",
    "decode_frame",
    "encode_compressed_frame",
    "encode_raw_frame",
    "parse_header",
    "sample_times_ns",
]

SERVICE_UUID = "fb005c80-02e7-f387-1cad-8acd2d8df0c8"
CONTROL_UUID = "fb005c81-02e7-f387-1cad-8acd2d8df0c8"
DATA_UUID = "fb005c82-02e7-f387-1cad-8acd2d8df0c8"
COMPRESSED = 0x80
MEASUREMENT_MASK = 0x3F  # the top two bits of the type byte are not part of the measurement type
_HEADER = struct.Struct("<BQB")
_INT32 = 1 << 32


class MeasurementType:
    ACC = 2
    GYRO = 5


@dataclass(frozen=True, slots=True)
class _Layout:
    bits: int  # per channel
    floats: bool  # the integers are float32 bit patterns
    scale: float  # extra multiplier after the factor (G -> mG)


_RAW_ACC = {0: 8, 1: 16, 2: 24}


def _layout(measurement: int, compressed: bool, frame_type: int, acc_type0_in_g: bool) -> _Layout:
    if measurement == MeasurementType.ACC:
        if compressed and frame_type in (0, 1):
            return _Layout(16, False, 1000.0 if frame_type == 0 and acc_type0_in_g else 1.0)
        if not compressed and frame_type in _RAW_ACC:
            return _Layout(_RAW_ACC[frame_type], False, 1.0)
    elif measurement == MeasurementType.GYRO and compressed and frame_type in (0, 1):
        return _Layout(32 if frame_type == 1 else 16, frame_type == 1, 1.0)
    kind = "compressed" if compressed else "raw"
    raise ProtocolError(f"PMD measurement {measurement} has no {kind} frame type {frame_type} that we decode")


@dataclass(frozen=True, slots=True)
class PmdFrame:
    """One data frame.

    Attributes:
        measurement: the measurement type (masked with 0x3F). timestamp_ns: device time of the last sample.
        compressed, frame_type: from the frame type byte.
        samples: (n x 3) raw integers (float32 bit patterns for float frames), as the SDK's delta parser gives.
        values: (n x 3) in mG (ACC) or deg/s (GYRO): the factor (and the G -> mG step) applied.
    """

    measurement: int
    timestamp_ns: int
    compressed: bool
    frame_type: int
    samples: tuple[tuple[int, ...], ...]
    values: tuple[tuple[float, ...], ...]


def _signed(value: int, bits: int) -> int:
    return value - (1 << bits) if value & (1 << (bits - 1)) else value


def _int32(value: int) -> int:
    return _signed(value % _INT32, 32)


def _float_of(bits: int) -> float:
    return float(struct.unpack("<f", struct.pack("<I", bits & 0xFFFFFFFF))[0])


def decode_frame(
    data: bytes | bytearray | memoryview, *, factor: float = 1.0, acc_type0_in_g: bool = True
) -> PmdFrame:
    """Decode one PMD data notification; ProtocolError for anything malformed or not ACC/GYRO.

    ``factor`` comes from the start response; ``acc_type0_in_g`` is true for the Verity Sense."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ProtocolError(f"a PMD frame must be bytes, not {type(data).__name__}")
    raw = bytes(data)
    measurement, timestamp_ns, compressed, frame_type = parse_header(raw)
    layout = _layout(measurement, compressed, frame_type, acc_type0_in_g)
    body = raw[_HEADER.size :]
    if compressed:
        samples = decode_delta_samples(body, 3, layout.bits)
        scale = factor * layout.scale
    else:
        samples = _decode_raw(body, 3, layout.bits // 8)
        scale = 1.0
    if layout.floats:
        values = tuple(tuple(_float_of(v) * scale for v in s) for s in samples)
    else:
        values = tuple(tuple(v * scale for v in s) for s in samples)
    return PmdFrame(measurement, timestamp_ns, compressed, frame_type, samples, values)


def parse_header(data: bytes | bytearray | memoryview) -> tuple[int, int, bool, int]:
    """(measurement type masked with 0x3F, time stamp in ns, compressed, frame type) of any PMD data frame."""
    raw = bytes(data)
    if len(raw) < _HEADER.size:
        raise ProtocolError(f"PMD frame too short: {len(raw)} bytes")
    type_byte, timestamp_ns, frame_byte = _HEADER.unpack_from(raw)
    return type_byte & MEASUREMENT_MASK, timestamp_ns, bool(frame_byte & COMPRESSED), frame_byte & 0x7F


class PreviousTimes:
    """The previous frame's time stamp per (measurement, frame type), as the SDK keeps it: 0 until a frame has
    come, and 0 again after :meth:`reset` (every (re)start)."""

    def __init__(self) -> None:
        self._last: dict[tuple[int, int], int] = {}

    def advance(self, data: bytes | bytearray | memoryview) -> int:
        """Note a frame; return the time stamp of the one before it of the same kind (0 if none)."""
        measurement, timestamp_ns, _compressed, frame_type = parse_header(data)
        previous = self._last.get((measurement, frame_type), 0)
        self._last[(measurement, frame_type)] = timestamp_ns
        return previous

    def reset(self) -> None:
        self._last.clear()


def _decode_raw(body: bytes, channels: int, step: int) -> tuple[tuple[int, ...], ...]:
    size = step * channels
    if not body or len(body) % size:
        raise ProtocolError(
            f"raw PMD frame of {len(body)} bytes is not a whole number of {size}-byte samples"
        )
    return tuple(
        tuple(
            int.from_bytes(body[o + c * step : o + (c + 1) * step], "little", signed=True)
            for c in range(channels)
        )
        for o in range(0, len(body), size)
    )


def decode_delta_samples(body: bytes, channels: int, resolution: int) -> tuple[tuple[int, ...], ...]:
    """The samples of a compressed frame's body (reference sample, then delta blocks) as signed integers
    (``resolution`` 32: float32 bit patterns as int32), summed with 32-bit wrap-around as the SDK sums them."""
    step = (resolution + 7) // 8
    if len(body) < step * channels:
        raise ProtocolError("compressed PMD frame shorter than its reference sample")
    ref = [
        _int32(_signed(int.from_bytes(body[c * step : (c + 1) * step], "little"), resolution))
        for c in range(channels)
    ]
    out = [tuple(ref)]
    off = step * channels
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
                sample.append(_int32(prev[c] + _signed((stream >> pos) & mask, width)))
                pos += width
            out.append(tuple(sample))
    return tuple(out)


def sample_times_ns(previous_ns: int, timestamp_ns: int, n: int, rate_hz: float) -> list[int]:
    """Device times of a frame's ``n`` samples, as Polar's SDK computes them.

    ``previous_ns`` is the previous frame's time stamp of the same measurement, 0 for the first frame after a
    (re)start: then the samples lie 1/``rate_hz`` apart and end at ``timestamp_ns``. Otherwise they are spread
    evenly after ``previous_ns``, the last at ``timestamp_ns``. ProtocolError where the SDK refuses (no rate
    and no previous frame, time going backwards, times before zero)."""
    if n <= 0:
        raise ProtocolError("a PMD frame without samples has no sample times")
    if previous_ns == 0:
        if rate_hz <= 0:
            raise ProtocolError("PMD sample times need a sample rate or a previous frame time stamp")
        delta = 1e9 / rate_hz
    elif timestamp_ns > previous_ns:
        delta = (timestamp_ns - previous_ns) / n
    else:
        raise ProtocolError(f"PMD time stamp {timestamp_ns} is not after the previous frame's {previous_ns}")
    if float(timestamp_ns) < delta * n:
        raise ProtocolError(f"PMD time stamp {timestamp_ns} ns is too early for {n} samples")
    start = timestamp_ns - delta * (n - 1) if previous_ns == 0 else previous_ns + delta
    if start <= 0:
        raise ProtocolError(f"PMD time stamp {timestamp_ns} ns is too early for {n} samples")
    return [round(start + delta * i) for i in range(n - 1)] + [timestamp_ns]


def _header(measurement: int, timestamp_ns: int, frame_byte: int) -> bytes:
    if not 0 <= timestamp_ns < 1 << 64:
        raise ProtocolError(f"a PMD time stamp is a u64, not {timestamp_ns}")
    return _HEADER.pack(measurement, timestamp_ns, frame_byte)


def encode_raw_frame(
    measurement: int, timestamp_ns: int, samples: Sequence[Sequence[int]], *, step: int = 2
) -> bytes:
    """A raw frame of ``step``-byte channels (frame type ``step - 1``), as the H10 sends acceleration."""
    if not samples:
        raise ProtocolError("a PMD frame needs at least one sample")
    body = b"".join(int(v).to_bytes(step, "little", signed=True) for s in samples for v in s)
    return _header(measurement, timestamp_ns, step - 1) + body


def encode_compressed_frame(
    measurement: int,
    timestamp_ns: int,
    samples: Sequence[Sequence[int]],
    *,
    frame_type: int = 0,
    resolution: int = 16,
) -> bytes:
    """A compressed frame carrying ``samples`` (integers, or float32 bit patterns) exactly: the reference
    sample, then one delta block of the narrowest width that fits (a new block every 255 samples)."""
    if not samples:
        raise ProtocolError("a PMD frame needs at least one sample")
    step = (resolution + 7) // 8
    body = bytearray(
        b"".join((int(v) & ((1 << (8 * step)) - 1)).to_bytes(step, "little") for v in samples[0])
    )
    rows = [[_int32(int(v)) for v in s] for s in samples]
    deltas = [
        [_int32(b - a) for a, b in zip(prev, cur, strict=True)] for prev, cur in itertools.pairwise(rows)
    ]
    for start in range(0, len(deltas), 255):
        block = deltas[start : start + 255]
        flat = [d for row in block for d in row]
        width = min(32, max(1, max(d.bit_length() + 1 for d in flat)))  # int32 deltas fit 32 bits
        stream, pos = 0, 0
        for d in flat:
            stream |= (d & ((1 << width) - 1)) << pos
            pos += width
        body += bytes([width, len(block)]) + stream.to_bytes(math.ceil(pos / 8), "little")
    return _header(measurement, timestamp_ns, COMPRESSED | frame_type) + bytes(body)
