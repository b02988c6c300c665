"""Property tests on generated valid messages: both decoders agree with an independent reading of the bytes
(``struct``), and encode -> decode -> encode is byte-exact for notifications, commands and status records."""

from __future__ import annotations

import struct
from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from protocol_vectors import build_command, command_fields, encode_decoded, fuzz_settings

import repquest.firmware_protocol as fp
from repquest.firmware_protocol import definitions as d

RATE_HZ = {0: 50, 1: 100, 2: 200, 3: 400}  # PROTOCOL.md section 3.2, written out independently


@st.composite
def raw_notifications(draw: st.DrawFn) -> bytes:
    """Any valid notification: header fields from their full ranges, samples from arbitrary bytes."""
    count = draw(st.integers(1, 15))
    info = draw(st.integers(0, 0xF)) << 4 | count
    seq = draw(st.integers(0, 0xFFFF))
    t0_us = draw(st.integers(0, 2**24 - 1))
    payload = draw(st.binary(min_size=13 * count, max_size=13 * count))
    return struct.pack("<BBH", 1, info, seq) + t0_us.to_bytes(3, "little") + payload


def _expected(data: bytes) -> dict[str, Any]:
    info = data[1]
    count = info & 0x0F
    rows = [struct.unpack_from("<3h3hB", data, 7 + 13 * i) for i in range(count)]
    rate_hz = RATE_HZ[(info >> 4) & 3]
    t0_us = int.from_bytes(data[4:7], "little")
    return {
        "seq": int.from_bytes(data[2:4], "little"),
        "t0_us": t0_us,
        "rate_hz": rate_hz,
        "count": count,
        "touch": bool(info & 0x40),
        "saturated": bool(info & 0x80),
        "t_us": [t0_us + i * (1_000_000 // rate_hz) for i in range(count)],
        "acc_g": [[v / 2048 for v in row[0:3]] for row in rows],
        "gyr_dps": [[v / 16 for v in row[3:6]] for row in rows],
        "force_n": [row[6] * 0.5 for row in rows],
    }


@fuzz_settings(800)
@given(raw_notifications())
def test_both_decoders_read_any_valid_notification_as_struct_does(data: bytes) -> None:
    want = _expected(data)
    fast = fp.decode_notification(data)
    reference = fp.decode_notification_reference(data)
    assert fast.same_samples(reference)
    got = {
        "seq": fast.seq,
        "t0_us": fast.t0_us,
        "rate_hz": fast.rate_hz,
        "count": len(fast),
        "touch": fast.touch,
        "saturated": fast.saturated,
        "t_us": fast.t_us.tolist(),
        "acc_g": fast.acc_g.tolist(),
        "gyr_dps": fast.gyr_dps.tolist(),
        "force_n": fast.force_n.tolist(),
    }
    assert got == want
    # decoded -> encoded reproduces the exact bytes, flags included.
    assert encode_decoded(want) == data


finite = {"allow_nan": False, "allow_infinity": False}


@st.composite
def physical_samples(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(1, 15))
    acc = draw(st.lists(st.floats(-20.0, 20.0, **finite), min_size=3 * count, max_size=3 * count))
    gyr = draw(st.lists(st.floats(-2500.0, 2500.0, **finite), min_size=3 * count, max_size=3 * count))
    force = draw(st.lists(st.floats(-5.0, 140.0, **finite), min_size=count, max_size=count))
    return {
        "seq": draw(st.integers(-(2**20), 2**20)),
        "t0_us": draw(st.integers(0, 2**26)),
        "rate_hz": draw(st.sampled_from(d.SUPPORTED_RATES_HZ)),
        "acc_g": np.reshape(acc, (count, 3)),
        "gyr_dps": np.reshape(gyr, (count, 3)),
        "force_n": np.asarray(force),
        "touch": draw(st.booleans()),
    }


@fuzz_settings(400)
@given(physical_samples())
def test_encode_decode_encode_is_byte_exact(values: dict[str, Any]) -> None:
    data = fp.encode_notification(**values)
    block = fp.decode_notification(data)
    assert block.same_samples(fp.decode_notification_reference(data))
    # Quantised to the section 3.3 scales, clipped at full scale; clipping sets the saturated flag.
    acc = np.rint(values["acc_g"] * 2048)
    gyr = np.rint(values["gyr_dps"] * 16)
    force = np.rint(values["force_n"] * 2)
    assert np.array_equal(block.acc_g, np.clip(acc, -32768, 32767) / 2048)
    assert np.array_equal(block.gyr_dps, np.clip(gyr, -32768, 32767) / 16)
    assert np.array_equal(block.force_n, np.clip(force, 0, 255) / 2)
    int16 = (-32768, 32767)
    clipped = any(
        bool(((q < lo) | (q > hi)).any()) for q, (lo, hi) in ((acc, int16), (gyr, int16), (force, (0, 255)))
    )
    assert block.saturated == clipped
    assert block.seq == values["seq"] % 65536
    assert block.t0_us == values["t0_us"] % 2**24
    assert block.touch == values["touch"]
    again = fp.encode_notification(
        seq=block.seq,
        t0_us=block.t0_us,
        rate_hz=block.rate_hz,
        acc_g=block.acc_g,
        gyr_dps=block.gyr_dps,
        force_n=block.force_n,
        touch=block.touch,
        saturated=block.saturated,
    )
    assert again == data


def _commands() -> st.SearchStrategy[dict[str, Any]]:
    u8 = st.integers(0, 255)

    def cmd(opcode: str, **params: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
        return st.fixed_dictionaries(params).map(lambda p: {"opcode": opcode, "params": p})

    return st.one_of(
        *(cmd(name) for name in ("START_STREAM", "STOP_STREAM", "TARE_FORCE", "REQUEST_STATUS")),
        cmd("SET_RATE", rate_hz=st.sampled_from(d.SUPPORTED_RATES_HZ)),
        cmd(
            "SET_LED",
            red=u8,
            green=u8,
            blue=u8,
            pattern=st.sampled_from(["OFF", "SOLID"]),
            period_ms=st.integers(0, 65535),
        ),
        cmd(
            "SET_LED", red=u8, green=u8, blue=u8, pattern=st.just("PULSE"), period_ms=st.integers(334, 10_000)
        ),
        cmd(
            "VIBRATE",
            strength_pct=st.integers(0, 100),
            duration_ms=st.integers(10, 2000),
            repeat=st.integers(1, 5),
        ),
        cmd("IDENTIFY", seconds=st.integers(1, 30)),
    )


@fuzz_settings(400)
@given(_commands())
def test_build_parse_build_is_byte_exact_for_commands(decoded: dict[str, Any]) -> None:
    data = build_command(decoded)
    assert command_fields(fp.parse_command(data)) == decoded
    assert build_command(command_fields(fp.parse_command(data))) == data


@fuzz_settings(400)
@given(
    st.builds(
        fp.PuckStatus,
        battery_pct=st.integers(0, 100),
        firmware=st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)),
        acc_range_g=st.integers(0, 255),
        gyr_range_dps=st.integers(0, 65535),
        rate_hz=st.integers(0, 65535),
        samples_per_notification=st.integers(0, 255),
        streaming=st.booleans(),
        charging=st.booleans(),
        touch=st.booleans(),
        errors=st.frozensets(
            st.sampled_from(["imu_fault", "force_fault", "battery_low", "overheated", "fifo_overflow"])
        ),
    ),
    st.binary(max_size=8),
)
def test_build_parse_build_is_byte_exact_for_status(status: fp.PuckStatus, extension: bytes) -> None:
    data = fp.build_status(status)
    assert len(data) == d.STATUS_SIZE
    assert fp.parse_status(data) == status
    assert fp.parse_status(data + extension) == status
    assert fp.build_status(fp.parse_status(data)) == data
