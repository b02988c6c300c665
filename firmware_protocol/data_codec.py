"""Data notifications: the fast decoder, the construct reference decoder and the encoder (PROTOCOL.md section 3).

``decode_notification`` runs once per notification on the hot path, so it reads the header with plain byte
indexing and the samples with one precompiled ``struct`` whose format is derived from :data:`definitions.SAMPLE`
(numpy arrays are built later, and only if asked for: see :class:`SampleBlock`).
``decode_notification_reference`` parses the same bytes with construct; tests prove the two agree on every vector.
"""

from __future__ import annotations

import struct
from typing import Any

import numpy as np
import numpy.typing as npt
from construct import Array, ConstructError, FormatField, Renamed, Struct

from repquest.errors import ProtocolError

from . import definitions as d
from .sample_block import INTERLEAVED_COLUMNS, SampleBlock

__all__ = [
    "SAMPLE_DTYPE",
    "SAMPLE_FORMAT",
    "decode_notification",
    "decode_notification_reference",
    "encode_notification",
]


def numpy_dtype(definition: Struct) -> np.dtype[Any]:
    """A numpy structured dtype with the same layout as a construct Struct of fixed-size numeric fields."""
    fields: list[tuple[str, str] | tuple[str, str, tuple[int, ...]]] = []
    for sub in definition.subcons:
        assert isinstance(sub, Renamed), "every field must be named"
        inner = sub.subcon
        shape: tuple[int, ...] = ()
        if isinstance(inner, Array):
            shape, inner = (int(inner.count),), inner.subcon
        if not isinstance(inner, FormatField):
            raise TypeError(f"field {sub.name!r} has no numpy equivalent")
        fields.append((sub.name, inner.fmtstr, shape) if shape else (sub.name, inner.fmtstr))
    dtype = np.dtype(fields)
    assert dtype.itemsize == definition.sizeof()
    return dtype


def struct_format(definition: Struct) -> str:
    """The :mod:`struct` format (no byte-order prefix) of a construct Struct of little-endian numeric fields."""
    chars = []
    for sub in definition.subcons:
        inner = sub.subcon
        count = 1
        if isinstance(inner, Array):
            count, inner = int(inner.count), inner.subcon
        if not isinstance(inner, FormatField) or inner.fmtstr[0] not in "<>=" or len(inner.fmtstr) != 2:
            raise TypeError(f"field {sub.name!r} has no struct equivalent")
        if inner.fmtstr[0] == ">" and inner.sizeof() > 1:
            raise TypeError(f"field {sub.name!r} is big-endian; samples are little-endian")
        chars.append(inner.fmtstr[1] * count)
    fmt = "".join(chars)
    assert struct.calcsize("<" + fmt) == definition.sizeof()
    return fmt


SAMPLE_DTYPE = numpy_dtype(d.SAMPLE)
SAMPLE_FORMAT = struct_format(d.SAMPLE)
assert len(SAMPLE_FORMAT) == INTERLEAVED_COLUMNS, "SampleBlock.interleaved has one column per sample field"
# One precompiled reader per sample count: a notification's samples become one flat tuple of ints.
_SAMPLES = [struct.Struct("<" + SAMPLE_FORMAT * n) for n in range(d.MAX_SAMPLES_PER_NOTIFICATION + 1)]
_RATE_HZ = d.RATE_CODES


def _check_length(data: object) -> bytes | bytearray | memoryview:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ProtocolError(f"a notification must be bytes, not {type(data).__name__}")
    if isinstance(data, memoryview) and (data.format != "B" or data.ndim != 1 or not data.c_contiguous):
        # len() and indexing of a multi-byte, multi-dimensional or strided view do not count bytes.
        return data.tobytes()
    return data


def decode_notification(data: bytes | bytearray | memoryview) -> SampleBlock:
    """Decode one data notification into physical units. Raises ProtocolError on anything malformed."""
    data = _check_length(data)
    size = len(data)
    if size < d.HEADER_SIZE + d.SAMPLE_SIZE:
        raise ProtocolError(
            f"notification too short: {size} bytes, need at least {d.HEADER_SIZE + d.SAMPLE_SIZE}"
        )
    version = data[0]
    if version != d.PROTOCOL_VERSION:
        raise ProtocolError(
            f"unsupported protocol version {version} (this RepQuest speaks {d.PROTOCOL_VERSION}): "
            "update RepQuest or the puck firmware"
        )
    info = data[1]
    count = info & 0x0F
    if count == 0:
        raise ProtocolError("notification declares 0 samples")
    expected = d.HEADER_SIZE + count * d.SAMPLE_SIZE
    if size != expected:
        raise ProtocolError(
            f"notification declares {count} samples ({expected} bytes) but holds {size} bytes"
        )
    # Positional arguments: this runs for every notification, and keywords cost measurable time here.
    return SampleBlock.from_ints(
        data[2] | data[3] << 8,
        data[4] | data[5] << 8 | data[6] << 16,
        _RATE_HZ[(info >> 4) & 0x03],
        _SAMPLES[count].unpack_from(data, d.HEADER_SIZE),
        bool(info & 0x40),
        bool(info & 0x80),
    )


def decode_notification_reference(data: bytes | bytearray | memoryview) -> SampleBlock:
    """Decode with construct alone: slower, and the reference the fast decoder is tested against."""
    data = _check_length(data)
    try:
        msg = d.DATA_NOTIFICATION.parse(bytes(data))
    except ConstructError as exc:
        raise ProtocolError(f"malformed notification: {exc}") from None
    info = msg.header.info
    if info.count == 0:
        raise ProtocolError("notification declares 0 samples")
    rate_hz = d.RATE_CODES[info.rate_code]
    period_us = 1_000_000 // rate_hz
    samples = msg.samples
    return SampleBlock(
        seq=msg.header.seq,
        t0_us=msg.header.t0_us,
        rate_hz=rate_hz,
        t_us=np.array([msg.header.t0_us + i * period_us for i in range(info.count)], dtype=np.int64),
        acc_g=np.array([list(s.acc) for s in samples], dtype=np.float64) * d.ACC_G_PER_LSB,
        gyr_dps=np.array([list(s.gyr) for s in samples], dtype=np.float64) * d.GYR_DPS_PER_LSB,
        force_n=np.array([s.force for s in samples], dtype=np.float64) * d.FORCE_N_PER_LSB,
        touch=info.touch,
        saturated=info.saturated,
    )


def _quantise(values: npt.ArrayLike, per_lsb: float, lo: int, hi: int) -> tuple[npt.NDArray[np.int64], bool]:
    scaled = np.rint(np.asarray(values, dtype=np.float64) / per_lsb)
    if np.isnan(scaled).any():
        raise ProtocolError("cannot encode NaN sample values")
    clipped = bool(np.any((scaled < lo) | (scaled > hi)))
    return np.clip(scaled, lo, hi).astype(np.int64), clipped


def encode_notification(
    *,
    seq: int,
    t0_us: int,
    rate_hz: int,
    acc_g: npt.ArrayLike,
    gyr_dps: npt.ArrayLike,
    force_n: npt.ArrayLike,
    touch: bool = False,
    saturated: bool = False,
) -> bytes:
    """Build one data notification from physical values, as the puck firmware does.

    Args:
        seq: sequence number; taken modulo 2**16.
        t0_us: device time of the first sample in microseconds; taken modulo 2**24.
        rate_hz: one of 50, 100, 200, 400.
        acc_g: (n, 3) acceleration in g; values beyond +-16 g are clipped and set the saturated flag.
        gyr_dps: (n, 3) angular rate in deg/s; values beyond +-2048 deg/s are clipped likewise.
        force_n: (n,) force in newtons, 0..127.5 N (clipped likewise).
        touch: touch pad covered.
        saturated: set the saturated flag even though no value was clipped here (a sensor running at a
            narrower range than section 3.3's scale saturates below it).
    """
    if rate_hz not in d.RATE_HZ_TO_CODE:
        raise ProtocolError(f"rate {rate_hz} Hz is not one of {d.SUPPORTED_RATES_HZ}")
    acc, acc_clip = _quantise(acc_g, d.ACC_G_PER_LSB, -32768, 32767)
    gyr, gyr_clip = _quantise(gyr_dps, d.GYR_DPS_PER_LSB, -32768, 32767)
    force, force_clip = _quantise(force_n, d.FORCE_N_PER_LSB, 0, 255)
    count = force.shape[0]
    if not 1 <= count <= d.MAX_SAMPLES_PER_NOTIFICATION or acc.shape != (count, 3) or gyr.shape != (count, 3):
        raise ProtocolError(
            f"need 1..{d.MAX_SAMPLES_PER_NOTIFICATION} samples with acc/gyr of shape (n, 3) and force (n,); "
            f"got acc {acc.shape}, gyr {gyr.shape}, force {force.shape}"
        )
    return bytes(
        d.DATA_NOTIFICATION.build(
            {
                "header": {
                    "info": {
                        "saturated": saturated or acc_clip or gyr_clip or force_clip,
                        "touch": touch,
                        "rate_code": d.RATE_HZ_TO_CODE[rate_hz],
                        "count": count,
                    },
                    "seq": seq % d.SEQ_MODULUS,
                    "t0_us": t0_us % d.DEVICE_TIME_MODULUS_US,
                },
                "samples": [
                    {"acc": acc[i].tolist(), "gyr": gyr[i].tolist(), "force": int(force[i])}
                    for i in range(count)
                ],
            }
        )
    )
