#!/usr/bin/env python3
"""Regenerate ``firmware_protocol/vectors/*.json``, the puck protocol's test vectors (Wycheproof style).

Valid vectors are built by the encoder and the command/status builders from raw sensor counts chosen here,
so the committed bytes are what the firmware emulation sends; invalid vectors are hand-made byte strings, each
with a comment saying why it must be refused. The output is deterministic: running this twice gives identical
files, and ``--check`` fails (exit 1) when the committed files differ from what this script would write.

Usage: ``python scripts/make_vectors.py [--check] [--out DIR]``
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from repquest.errors import ProtocolError
from repquest.firmware_protocol import (
    LedPattern,
    PuckStatus,
    SampleBlock,
    build_status,
    decode_notification,
    decode_notification_reference,
    encode_notification,
    identify,
    parse_command,
    parse_status,
    request_status,
    samples_per_notification,
    set_led,
    set_rate,
    start_stream,
    stop_stream,
    tare_force,
    vibrate,
)
from repquest.firmware_protocol import definitions as d
from repquest.firmware_protocol.commands import Command

ROOT = Path(__file__).resolve().parents[1]
VECTOR_DIR = ROOT / "firmware_protocol" / "vectors"
SEED = 20240611  # fixed: the vectors must not change from run to run

Json = dict[str, Any]


@dataclass
class VectorFile:
    """One JSON file of vectors under construction."""

    name: str
    title: str
    section: str
    notes: dict[str, str] = field(default_factory=dict)
    tests: list[Json] = field(default_factory=list)

    def valid(self, comment: str, data: bytes, decoded: Json, flags: Iterable[str] = ()) -> None:
        self._add(comment, data, "valid", decoded, flags)

    def invalid(self, comment: str, data: bytes, flags: Iterable[str] = ()) -> None:
        self._add(comment, data, "invalid", {}, flags)

    def _add(self, comment: str, data: bytes, result: str, decoded: Json, flags: Iterable[str]) -> None:
        test: Json = {"id": len(self.tests) + 1, "comment": comment, "hex": data.hex(), "result": result}
        flags = sorted(flags)
        for flag in flags:
            assert flag in self.notes, f"flag {flag} needs a note"
        if flags:
            test["flags"] = flags
        test["decoded"] = decoded
        self.tests.append(test)

    def render(self) -> str:
        """The file's text: a readable header, then one test per line so diffs stay small."""
        head = {
            "title": self.title,
            "protocol_version": d.PROTOCOL_VERSION,
            "spec": f"firmware_protocol/PROTOCOL.md {self.section}",
            "generator": "scripts/make_vectors.py",
            "numberOfTests": len(self.tests),
            "notes": self.notes,
        }
        lines = [json.dumps(head, indent=1, ensure_ascii=False)[:-2] + ","]
        lines.append(' "tests": [')
        body = [f"  {json.dumps(test, ensure_ascii=False)}" for test in self.tests]
        lines.append(",\n".join(body))
        lines.append(" ]\n}\n")
        return "\n".join(lines)


# ----------------------------------------------------------------------------------------------------
# Data notifications (section 3)


def notification_fields(block: SampleBlock) -> Json:
    """The physical values of a decoded notification, as the vectors store them (exact binary fractions)."""
    return {
        "seq": block.seq,
        "t0_us": block.t0_us,
        "rate_hz": block.rate_hz,
        "count": len(block),
        "touch": block.touch,
        "saturated": block.saturated,
        "t_us": block.t_us.tolist(),
        "acc_g": block.acc_g.tolist(),
        "gyr_dps": block.gyr_dps.tolist(),
        "force_n": block.force_n.tolist(),
    }


def _encode_counts(
    acc: npt.ArrayLike,
    gyr: npt.ArrayLike,
    force: npt.ArrayLike,
    *,
    seq: int = 0,
    t0_us: int = 0,
    rate_hz: int = 100,
    touch: bool = False,
    saturated: bool = False,
    scale: float = 1.0,
) -> tuple[bytes, Json]:
    """Encode raw counts (as physical values times ``scale``, to exercise clipping) and decode them back."""
    data = encode_notification(
        seq=seq,
        t0_us=t0_us,
        rate_hz=rate_hz,
        acc_g=np.asarray(acc, dtype=np.float64) * d.ACC_G_PER_LSB * scale,
        gyr_dps=np.asarray(gyr, dtype=np.float64) * d.GYR_DPS_PER_LSB * scale,
        force_n=np.asarray(force, dtype=np.float64) * d.FORCE_N_PER_LSB * scale,
        touch=touch,
        saturated=saturated,
    )
    fast, reference = decode_notification(data), decode_notification_reference(data)
    assert fast.same_samples(reference), data.hex()
    return data, notification_fields(fast)


def _counts(rng: np.random.Generator, n: int) -> tuple[np.ndarray[Any, Any], ...]:
    acc = rng.integers(-32768, 32768, size=(n, 3))
    gyr = rng.integers(-32768, 32768, size=(n, 3))
    force = rng.integers(0, 256, size=n)
    return acc, gyr, force


def _at_rest(n: int) -> tuple[np.ndarray[Any, Any], ...]:
    acc = np.tile([0, 0, 2048], (n, 1))  # 1 g on z
    return acc, np.zeros((n, 3), dtype=np.int64), np.zeros(n, dtype=np.int64)


def _header(info: int, seq: int = 0, t0_us: int = 0, version: int = d.PROTOCOL_VERSION) -> bytes:
    return bytes([version, info]) + seq.to_bytes(2, "little") + t0_us.to_bytes(3, "little")


def notifications() -> VectorFile:
    vf = VectorFile(
        "data_notifications.json",
        "Data notifications: 7-byte header + count x 13-byte samples",
        "section 3",
        notes={
            "DefaultMtu": "fits the default ATT MTU of 23 (20-byte payload, one sample)",
            "MaxCount": "15 samples, the most the 4-bit count allows (MTU >= 212)",
            "SeqWrap": "sequence number at or next to the 16-bit wrap",
            "TimeWrap": "t0_us near the 24-bit wrap; t_us is not wrapped within a notification",
            "Extremes": "int16 counts at full scale, force at 0 or 255",
            "Flags": "touch and/or saturated flags",
            "Length": "length differs from 7 + 13 x count",
            "Version": "protocol version other than 1",
            "Count": "count field is 0",
        },
    )
    rng = np.random.default_rng(SEED)
    assert samples_per_notification(23) == 1
    data, dec = _encode_counts(*_at_rest(1), seq=1, t0_us=123_456)
    assert len(data) == 20
    vf.valid(
        "one sample at rest (1 g on z), 20 bytes: the whole payload of the default MTU 23",
        data,
        dec,
        ["DefaultMtu"],
    )
    data, dec = _encode_counts(*_counts(rng, 1), seq=2, t0_us=10_000)
    vf.valid("one sample of arbitrary counts at 100 Hz", data, dec, ["DefaultMtu"])
    data, dec = _encode_counts(*_counts(rng, 15), seq=300, t0_us=5_000_000, rate_hz=200)
    assert len(data) == 202
    vf.valid("15 samples (202 bytes), the maximum, at 200 Hz", data, dec, ["MaxCount"])
    data, dec = _encode_counts(*_counts(rng, 8), seq=301, t0_us=5_040_000, rate_hz=200)
    vf.valid("8 samples (111 bytes), what an MTU of 114 carries", data, dec)
    for code, rate_hz in sorted(d.RATE_CODES.items()):
        data, dec = _encode_counts(*_counts(rng, 3), seq=40 + code, t0_us=1_000_000, rate_hz=rate_hz)
        vf.valid(f"rate code {code}: {rate_hz} Hz, period {1_000_000 // rate_hz} us, 3 samples", data, dec)
    data, dec = _encode_counts(*_at_rest(2), seq=65535, t0_us=777)
    vf.valid("seq 65535, the last value before the wrap", data, dec, ["SeqWrap"])
    data, dec = _encode_counts(*_at_rest(2), seq=65536, t0_us=20_777)
    vf.valid("seq 0 after the wrap (the encoder takes seq modulo 2**16)", data, dec, ["SeqWrap"])
    top = d.DEVICE_TIME_MODULUS_US - 1
    data, dec = _encode_counts(*_at_rest(1), seq=7, t0_us=top)
    vf.valid("t0_us = 2**24 - 1, the largest device time", data, dec, ["TimeWrap"])
    data, dec = _encode_counts(*_counts(rng, 8), seq=8, t0_us=top - 10_000, rate_hz=400)
    vf.valid(
        "t0_us 10 ms before the wrap, 8 samples at 400 Hz: the last t_us lie beyond 2**24",
        data,
        dec,
        ["TimeWrap"],
    )
    data, dec = _encode_counts(*_at_rest(1), seq=9, t0_us=d.DEVICE_TIME_MODULUS_US + 5)
    vf.valid("t0_us 5 after the wrap (the encoder takes t0_us modulo 2**24)", data, dec, ["TimeWrap"])
    lo, hi = -32768, 32767
    acc = np.array([[lo, lo, lo], [hi, hi, hi], [-1, 0, 1], [lo, hi, -1]])
    gyr = np.array([[hi, hi, hi], [lo, lo, lo], [1, -1, 0], [hi, lo, 1]])
    force = np.array([0, 255, 1, 254])
    data, dec = _encode_counts(acc, gyr, force, seq=10, t0_us=50_000)
    vf.valid(
        "int16 extremes -32768 / 32767 (-16 g, 15.9995 g, -2048, 2047.9375 dps), -1, force 0 and "
        "127.5 N: at full scale but not clipped, so not saturated",
        data,
        dec,
        ["Extremes"],
    )
    data, dec = _encode_counts(*_at_rest(2), seq=11, t0_us=60_000, touch=True)
    vf.valid("touch flag set (bit 6)", data, dec, ["Flags"])
    acc = np.array([[40000, -40000, 0], [0, 0, 2048]])  # beyond +-16 g: clipped by the encoder
    data, dec = _encode_counts(acc, np.zeros((2, 3)), np.array([10, 10]), seq=12, t0_us=70_000)
    vf.valid(
        "saturated flag set (bit 7) because acceleration beyond +-16 g was clipped to full scale",
        data,
        dec,
        ["Flags", "Extremes"],
    )
    data, dec = _encode_counts(*_at_rest(1), seq=13, t0_us=80_000, saturated=True)
    vf.valid(
        "saturated flag set with in-range values: the sensor runs at a narrower range than the scale",
        data,
        dec,
        ["Flags"],
    )
    data, dec = _encode_counts(np.zeros((3, 3)), [[0, 0, 99999]] * 3, [300, 300, 300], seq=14, touch=True)
    vf.valid(
        "touch and saturated together (gyro and force clipped), 3 samples", data, dec, ["Flags", "Extremes"]
    )

    one = vf.tests[0]["hex"]
    one_b = bytes.fromhex(one)
    max_b = bytes.fromhex(vf.tests[2]["hex"])
    vf.invalid("empty notification", b"", ["Length"])
    vf.invalid("version byte only", one_b[:1], ["Length"])
    vf.invalid("truncated header: 6 of 7 bytes", one_b[:6], ["Length"])
    vf.invalid("header only: count 1 but no sample", one_b[:7], ["Length"])
    vf.invalid("truncated sample: 19 bytes, the force byte is missing", one_b[:19], ["Length"])
    vf.invalid("truncated sample: 8 bytes, one byte of the sample", one_b[:8], ["Length"])
    vf.invalid("15-sample notification missing its last byte (201 bytes)", max_b[:-1], ["Length"])
    vf.invalid(
        "extended: one trailing byte after the declared sample (21 bytes)", one_b + b"\x00", ["Length"]
    )
    vf.invalid(
        "extended: 15-sample notification with one trailing byte (203 bytes)", max_b + b"\xff", ["Length"]
    )
    two = _header(0x12, seq=3) + one_b[7:] * 2
    vf.invalid("count 1 but two samples present (33 bytes)", _header(0x11, seq=3) + one_b[7:] * 2, ["Length"])
    vf.invalid("count 2 but one sample present (20 bytes)", two[:20], ["Length"])
    vf.invalid("count 15 but one sample present (20 bytes)", _header(0x1F) + one_b[7:], ["Length"])
    vf.invalid("count 3 but two samples present (33 bytes)", _header(0x13) + one_b[7:] * 2, ["Length"])
    for version in (0, 2, 255):
        vf.invalid(
            f"protocol version {version}, otherwise a valid one-sample notification",
            bytes([version]) + one_b[1:],
            ["Version"],
        )
    vf.invalid("count 0 with nothing after the header (7 bytes)", _header(0x10), ["Count"])
    vf.invalid("count 0 followed by one sample (20 bytes)", _header(0x10) + one_b[7:], ["Count"])
    vf.invalid("count 0 with every other info bit set", _header(0xF0) + one_b[7:], ["Count"])
    return vf


# ----------------------------------------------------------------------------------------------------
# Commands (section 4)


def command_fields(command: Command) -> Json:
    params = {k: (v.name if isinstance(v, LedPattern) else v) for k, v in command.params.items()}
    return {"opcode": command.opcode.name, "params": params}


def commands() -> VectorFile:
    vf = VectorFile(
        "commands.json",
        "Control commands: version, opcode, params of the exact length",
        "section 4",
        notes={
            "Clamped": "the puck clamps a LED pulse period below 334 ms up to 334 ms (section 4.3); "
            "the builder refuses such periods, so decoded -> hex gives the clamped bytes",
            "Length": "parameters missing or extra bytes",
            "Opcode": "opcode unknown to protocol version 1",
            "Range": "a parameter out of its range (ATT error 0x83)",
            "Version": "protocol version other than 1",
        },
    )

    def ok(comment: str, data: bytes, flags: Iterable[str] = ()) -> None:
        vf.valid(comment, data, command_fields(parse_command(data)), flags)

    ok("START_STREAM", start_stream())
    ok("STOP_STREAM", stop_stream())
    for rate_hz in d.SUPPORTED_RATES_HZ:
        ok(f"SET_RATE {rate_hz} Hz (u16 little-endian)", set_rate(rate_hz))
    ok("SET_LED solid green", set_led(0, 255, 0))
    ok("SET_LED off", set_led(0, 0, 0, LedPattern.OFF))
    ok("SET_LED pulse at the 3 Hz limit (334 ms)", set_led(255, 128, 1, LedPattern.PULSE, 334))
    ok("SET_LED pulse, slowest the builder allows (10000 ms)", set_led(10, 20, 30, LedPattern.PULSE, 10_000))
    ok("SET_LED solid: period_ms is ignored and may be anything", set_led(1, 2, 3, LedPattern.SOLID, 65535))
    ok("VIBRATE defaults (60 %, 150 ms, once)", vibrate())
    ok("VIBRATE lower bounds (0 %, 10 ms, once)", vibrate(0, 10, 1))
    ok("VIBRATE upper bounds (100 %, 2000 ms, 5 times)", vibrate(100, 2000, 5))
    ok("TARE_FORCE", tare_force())
    ok("IDENTIFY 1 s", identify(1))
    ok("IDENTIFY 30 s", identify(30))
    ok("REQUEST_STATUS", request_status())
    ok(
        "SET_LED pulse of 100 ms (5 Hz): accepted, clamped to 334 ms",
        bytes.fromhex("0104ff000002") + b"\x64\x00",
        ["Clamped"],
    )
    ok("SET_LED pulse of 0 ms: accepted, clamped to 334 ms", bytes.fromhex("01040000ff020000"), ["Clamped"])
    ok("SET_LED pulse of 333 ms: accepted, clamped to 334 ms", bytes.fromhex("0104010101024d01"), ["Clamped"])

    led = set_led(0, 255, 0)
    vf.invalid("empty command", b"", ["Length"])
    vf.invalid("version byte only, no opcode", b"\x01", ["Length"])
    for version in (0, 2, 255):
        vf.invalid(f"protocol version {version} with START_STREAM", bytes([version, 0x01]), ["Version"])
    for opcode in (0x00, 0x09, 0x7F, 0xFF):
        vf.invalid(f"unknown opcode 0x{opcode:02x}", bytes([1, opcode]), ["Opcode"])
    vf.invalid("unknown opcode 0x09 with a parameter byte", b"\x01\x09\x00", ["Opcode"])
    vf.invalid("START_STREAM with an extra byte", start_stream() + b"\x00", ["Length"])
    vf.invalid("REQUEST_STATUS with an extra byte", request_status() + b"\x01", ["Length"])
    vf.invalid("SET_RATE without its parameter", b"\x01\x03", ["Length"])
    vf.invalid("SET_RATE with one of its two parameter bytes", b"\x01\x03\x64", ["Length"])
    vf.invalid("SET_RATE 100 Hz with an extra byte", set_rate(100) + b"\x00", ["Length"])
    for rate_hz in (0, 25, 60, 800, 1000, 65535):
        vf.invalid(
            f"SET_RATE to unsupported {rate_hz} Hz", b"\x01\x03" + rate_hz.to_bytes(2, "little"), ["Range"]
        )
    vf.invalid("SET_LED missing the high byte of period_ms (5 param bytes)", led[:-1], ["Length"])
    vf.invalid("SET_LED with an extra byte (7 param bytes)", led + b"\x00", ["Length"])
    vf.invalid("SET_LED with unknown pattern 3", led[:5] + b"\x03" + led[6:], ["Range"])
    vf.invalid("SET_LED with unknown pattern 255", led[:5] + b"\xff" + led[6:], ["Range"])
    vib = vibrate()
    vf.invalid("VIBRATE missing the repeat byte", vib[:-1], ["Length"])
    vf.invalid("VIBRATE with an extra byte", vib + b"\x01", ["Length"])
    vf.invalid("VIBRATE strength 101 %", b"\x01\x05\x65\x96\x00\x01", ["Range"])
    vf.invalid("VIBRATE duration 9 ms", b"\x01\x05\x3c\x09\x00\x01", ["Range"])
    vf.invalid("VIBRATE duration 2001 ms", b"\x01\x05\x3c\xd1\x07\x01", ["Range"])
    vf.invalid("VIBRATE repeat 0", b"\x01\x05\x3c\x96\x00\x00", ["Range"])
    vf.invalid("VIBRATE repeat 6", b"\x01\x05\x3c\x96\x00\x06", ["Range"])
    vf.invalid("IDENTIFY without its parameter", b"\x01\x07", ["Length"])
    vf.invalid("IDENTIFY with two parameter bytes", b"\x01\x07\x03\x00", ["Length"])
    vf.invalid("IDENTIFY 0 s", b"\x01\x07\x00", ["Range"])
    vf.invalid("IDENTIFY 31 s", b"\x01\x07\x1f", ["Range"])
    return vf


# ----------------------------------------------------------------------------------------------------
# Status record (section 5)


def status_fields(status: PuckStatus) -> Json:
    return {
        "battery_pct": status.battery_pct,
        "firmware": list(status.firmware),
        "acc_range_g": status.acc_range_g,
        "gyr_range_dps": status.gyr_range_dps,
        "rate_hz": status.rate_hz,
        "samples_per_notification": status.samples_per_notification,
        "streaming": status.streaming,
        "charging": status.charging,
        "touch": status.touch,
        "errors": sorted(status.errors),
    }


def statuses() -> VectorFile:
    vf = VectorFile(
        "status.json",
        "Status record: 14 bytes, fields a later minor revision appends are ignored",
        "sections 5 and 6",
        notes={
            "Extension": "bytes beyond the 14 of version 1 are ignored (section 6); decoded -> hex gives the "
            "first 14 bytes",
            "ReservedBits": "state or error bits version 1 does not define are ignored; decoded -> hex gives "
            "them cleared",
            "Length": "shorter than 14 bytes",
            "Range": "battery level above 100 %",
            "Version": "protocol version other than 1",
        },
    )

    def ok(comment: str, status: PuckStatus) -> bytes:
        data = build_status(status)
        assert parse_status(data) == status
        vf.valid(comment, data, status_fields(status))
        return data

    typical = ok(
        "typical: 87 %, firmware 1.2.3, streaming 8 samples at 100 Hz",
        PuckStatus(87, (1, 2, 3), 16, 2000, 100, 8, streaming=True),
    )
    ok(
        "battery 0 %, battery_low set",
        PuckStatus(0, (1, 0, 0), 2, 250, 50, 1, errors=frozenset({"battery_low"})),
    )
    ok("battery 100 %, charging", PuckStatus(100, (2, 10, 255), 4, 500, 400, 15, charging=True))
    ok(
        "every state flag",
        PuckStatus(50, (1, 0, 0), 8, 1000, 200, 4, streaming=True, charging=True, touch=True),
    )
    ok(
        "every error flag",
        PuckStatus(
            12,
            (1, 1, 1),
            16,
            2000,
            100,
            1,
            errors=frozenset({"imu_fault", "force_fault", "battery_low", "overheated", "fifo_overflow"}),
        ),
    )
    ok(
        "firmware 255.255.255, u16 fields at their maximum",
        PuckStatus(99, (255, 255, 255), 255, 65535, 65535, 255),
    )
    fields = status_fields(parse_status(typical))
    vf.valid(
        "typical record with 2 bytes appended by a later minor revision",
        typical + b"\xab\xcd",
        fields,
        ["Extension"],
    )
    vf.valid("typical record with 50 bytes appended", typical + bytes(range(50)), fields, ["Extension"])
    reserved = bytearray(typical)
    reserved[11] |= 0xF8
    reserved[12] |= 0xE0
    reserved[13] = 0xFF
    vf.valid("reserved state bits 3-7 and error bits 5-15 set", bytes(reserved), fields, ["ReservedBits"])

    vf.invalid("empty status record", b"", ["Length"])
    vf.invalid("version byte only", typical[:1], ["Length"])
    vf.invalid("13 bytes: the high byte of errors is missing", typical[:13], ["Length"])
    for version in (0, 2, 255):
        vf.invalid(f"protocol version {version}", bytes([version]) + typical[1:], ["Version"])
    vf.invalid("protocol version 2, longer record", b"\x02" + typical[1:] + b"\x00\x00", ["Version"])
    for battery in (101, 200, 255):
        vf.invalid(f"battery level {battery} %", typical[:1] + bytes([battery]) + typical[2:], ["Range"])
    return vf


# ----------------------------------------------------------------------------------------------------


def _check_invalid(vf: VectorFile, decoders: Iterable[Callable[[bytes], object]]) -> None:
    for test in vf.tests:
        if test["result"] != "invalid":
            continue
        for decode in decoders:
            try:
                decode(bytes.fromhex(test["hex"]))
            except ProtocolError:
                continue
            raise AssertionError(f"{vf.name} #{test['id']} ({test['comment']}) was accepted by {decode}")


def build_all() -> dict[str, str]:
    """File name -> the text this script writes for it."""
    files = [notifications(), commands(), statuses()]
    _check_invalid(files[0], [decode_notification, decode_notification_reference])
    _check_invalid(files[1], [parse_command])
    _check_invalid(files[2], [parse_status])
    return {vf.name: vf.render() for vf in files}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--check", action="store_true", help="compare with the committed files, write nothing"
    )
    parser.add_argument("--out", type=Path, default=VECTOR_DIR, help="directory of the JSON files")
    args = parser.parse_args(argv)
    stale = []
    for name, text in build_all().items():
        path = args.out / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path} ({json.loads(text)['numberOfTests']} tests)")
    if stale:
        print(f"stale vectors: {', '.join(stale)}; run scripts/make_vectors.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
