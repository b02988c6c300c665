"""Shared helpers of the protocol tests: the JSON vectors, field comparison, mutation and the fuzz budget.

Imported by the test modules beside it (pytest puts this directory on ``sys.path``); it holds no tests itself.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import HealthCheck, settings

import repquest.firmware_protocol as fp
from repquest.errors import ProtocolError
from repquest.firmware_protocol import LedPattern, PuckStatus, SampleBlock

VECTOR_DIR = Path(fp.__file__).resolve().parent / "vectors"
Json = dict[str, Any]
Decoder = Callable[[bytes], object]

NOTIFICATION_DECODERS: dict[str, Decoder] = {
    "fast": fp.decode_notification,
    "reference": fp.decode_notification_reference,
}
ALL_DECODERS: dict[str, Decoder] = {
    "decode_notification": fp.decode_notification,
    "decode_notification_reference": fp.decode_notification_reference,
    "parse_command": fp.parse_command,
    "parse_status": fp.parse_status,
}
VECTOR_FILE_OF: dict[str, str] = {
    "decode_notification": "data_notifications.json",
    "decode_notification_reference": "data_notifications.json",
    "parse_command": "commands.json",
    "parse_status": "status.json",
}


def fuzz_settings(max_examples: int) -> settings:
    """Deterministic (CI sees the same cases every run), no deadline, no example database on disk."""
    return settings(
        max_examples=max_examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# ---------------------------------------------------------------------------------------------------------
# Vectors


@cache
def load(name: str) -> tuple[Json, ...]:
    with (VECTOR_DIR / name).open(encoding="utf-8") as f:
        return tuple(json.load(f)["tests"])


def of(name: str, result: str) -> list[Json]:
    return [t for t in load(name) if t["result"] == result]


def data_of(test: Json) -> bytes:
    return bytes.fromhex(test["hex"])


def ids(tests: Sequence[Json]) -> list[str]:
    return [f"{t['id']}-{t['comment'][:40]}" for t in tests]


def all_vector_bytes(name: str) -> list[bytes]:
    return [data_of(t) for t in load(name)]


# ---------------------------------------------------------------------------------------------------------
# decoded <-> objects


def assert_block_matches(block: SampleBlock, decoded: Json) -> None:
    """A decoded notification equals the vector's physical values exactly (they are binary fractions)."""
    header = (block.seq, block.t0_us, block.rate_hz, len(block), block.touch, block.saturated)
    want = tuple(decoded[k] for k in ("seq", "t0_us", "rate_hz", "count", "touch", "saturated"))
    assert header == want
    assert block.t_us.dtype == np.int64
    assert block.t_us.tolist() == decoded["t_us"]
    for attr, shape in (("acc_g", (len(block), 3)), ("gyr_dps", (len(block), 3)), ("force_n", (len(block),))):
        values = getattr(block, attr)
        assert values.dtype == np.float64, attr
        assert values.shape == shape, attr
        assert values.tolist() == decoded[attr], attr


def encode_decoded(decoded: Json) -> bytes:
    """The encoder's bytes for a vector's physical values."""
    return fp.encode_notification(
        seq=decoded["seq"],
        t0_us=decoded["t0_us"],
        rate_hz=decoded["rate_hz"],
        acc_g=decoded["acc_g"],
        gyr_dps=decoded["gyr_dps"],
        force_n=decoded["force_n"],
        touch=decoded["touch"],
        saturated=decoded["saturated"],
    )


def block_fields(block: SampleBlock) -> Json:
    return {
        "seq": block.seq,
        "t0_us": block.t0_us,
        "rate_hz": block.rate_hz,
        "touch": block.touch,
        "saturated": block.saturated,
        "acc_g": block.acc_g,
        "gyr_dps": block.gyr_dps,
        "force_n": block.force_n,
    }


_BUILDERS: dict[str, Callable[..., bytes]] = {
    "START_STREAM": fp.start_stream,
    "STOP_STREAM": fp.stop_stream,
    "SET_RATE": fp.set_rate,
    "SET_LED": fp.set_led,
    "VIBRATE": fp.vibrate,
    "TARE_FORCE": fp.tare_force,
    "IDENTIFY": fp.identify,
    "REQUEST_STATUS": fp.request_status,
}


def build_command(decoded: Json) -> bytes:
    """The host builder's bytes for a vector's opcode and parameters."""
    params = dict(decoded["params"])
    if "pattern" in params:
        params["pattern"] = LedPattern[params["pattern"]]
    return _BUILDERS[decoded["opcode"]](**params)


def command_fields(command: fp.Command) -> Json:
    params = {k: (v.name if isinstance(v, LedPattern) else v) for k, v in command.params.items()}
    return {"opcode": command.opcode.name, "params": params}


def status_from_decoded(decoded: Json) -> PuckStatus:
    fields = dict(decoded)
    fields["firmware"] = tuple(fields["firmware"])
    fields["errors"] = frozenset(fields["errors"])
    return PuckStatus(**fields)


# ---------------------------------------------------------------------------------------------------------
# Mutation: one list of operations, drawn by hypothesis or by a seeded random.Random

Mutation = tuple[str, int, int]
OPS = ("flip", "set", "insert", "delete", "truncate", "extend")


def apply_mutations(data: bytes, mutations: Sequence[Mutation]) -> bytes:
    """Apply (op, position, value) edits in order; positions wrap to the current length."""
    buf = bytearray(data)
    for op, pos, value in mutations:
        n = len(buf)
        if op == "flip" and n:
            buf[pos % n] ^= 1 << (value & 7)
        elif op == "set" and n:
            buf[pos % n] = value & 0xFF
        elif op == "insert":
            buf.insert(pos % (n + 1), value & 0xFF)
        elif op == "delete" and n:
            del buf[pos % n]
        elif op == "truncate":
            del buf[pos % (n + 1) :]
        elif op == "extend":
            buf.extend(bytes([value & 0xFF]) * (1 + pos % 16))
    return bytes(buf)


def mutations_from_bytes(raw: bytes) -> list[Mutation]:
    """(op, position, value) triples read from bytes: one byte-string draw is far cheaper than tuples."""
    return [(OPS[raw[i] % len(OPS)], raw[i + 1], raw[i + 2]) for i in range(0, len(raw) - 2, 3)]


def random_mutations(rng: random.Random, max_ops: int = 3) -> list[Mutation]:
    # Flips and byte sets dominate: they keep the length, so they reach past the length checks.
    weights = (8, 4, 1, 1, 1, 1)
    count = rng.randint(1, max_ops)
    return [(rng.choices(OPS, weights)[0], rng.randrange(256), rng.randrange(256)) for _ in range(count)]


def outcome(decode: Decoder, data: bytes) -> object | ProtocolError:
    """The decoded value, or the ProtocolError; any other exception propagates and fails the test."""
    try:
        return decode(data)
    except ProtocolError as exc:
        return exc
