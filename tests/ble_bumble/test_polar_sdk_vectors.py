"""Polar PMD against the byte arrays and expected values of Polar's own SDK unit tests (vectors/polar_sdk.json):
every vector must give the SDK's result."""

from __future__ import annotations

import json
import math
import struct
from pathlib import Path
from typing import Any

import pytest

from repquest.ble import polar_control as pc
from repquest.ble import polar_pmd as pmd
from repquest.errors import ProtocolError

VECTORS: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "vectors" / "polar_sdk.json").read_text()
)["tests"]


def _float32(bits: int) -> float:
    return float(struct.unpack("<f", struct.pack("<I", bits & 0xFFFFFFFF))[0])


def check_frame(v: dict[str, Any]) -> None:
    data = bytes.fromhex(v["hex"])
    e = v["expect"]
    frame = pmd.decode_frame(data, factor=v["factor"])
    assert (frame.measurement, frame.timestamp_ns, frame.compressed, frame.frame_type) == (
        e["measurement"],
        e["timestamp_ns"],
        e["compressed"],
        e["frame_type"],
    )
    assert len(frame.values) == e["n"]
    if "values_trunc" in e:  # the SDK's integer mG: truncated toward zero
        got = [[math.trunc(x) for x in row] for row in frame.values[: len(e["values_trunc"])]]
        assert got == e["values_trunc"]
    if "values" in e:
        assert [list(row) for row in frame.values[: len(e["values"])]] == e["values"]
    if "value_bits" in e:
        want = [[_float32(b) * e["value_factor"] for b in row] for row in e["value_bits"]]
        assert [list(row) for row in frame.values[:2]] == want  # exact: these factors lose no bits
    if "abs_max" in e:
        assert all(abs(x) <= e["abs_max"] for row in frame.values for x in row)
    times = pmd.sample_times_ns(v["previous_ns"], frame.timestamp_ns, len(frame.values), v["rate_hz"])
    if "times_ns" in e:
        assert times == e["times_ns"]
    if "first_time_ns" in e:
        assert times[0] == e["first_time_ns"]
    if "last_time_ns" in e:
        assert times[-1] == e["last_time_ns"]


def check_delta(v: dict[str, Any]) -> None:
    samples = pmd.decode_delta_samples(bytes.fromhex(v["hex"]), v["channels"], v["resolution"])
    e = v["expect"]
    assert len(samples) == e["n"]
    assert list(samples[0]) == e["first"]
    if "second" in e:
        assert list(samples[1]) == e["second"]


def check_header(v: dict[str, Any]) -> None:
    data = bytes.fromhex(v["hex"])
    if v.get("invalid"):  # a frame type the SDK has no parser for: refused, never guessed at
        with pytest.raises(ProtocolError):
            pmd.decode_frame(data)
        return
    measurement, timestamp_ns, compressed, frame_type = pmd.parse_header(data)
    e = v["expect"]
    assert (measurement, timestamp_ns, compressed, frame_type) == (
        e["measurement"],
        e["timestamp_ns"],
        e["compressed"],
        e["frame_type"],
    )


def check_previous(v: dict[str, Any]) -> None:
    previous = pmd.PreviousTimes()
    seen = []
    for frame in v["frames"]:
        data = bytes.fromhex(frame)
        before = previous.advance(data)
        if pmd.parse_header(data)[0] == v["measurement"]:
            seen.append([pmd.parse_header(data)[1], before])
    assert seen == v["expect"]
    previous.reset()
    assert previous.advance(bytes.fromhex(v["frames"][0])) == 0


def check_times(v: dict[str, Any]) -> None:
    args = (v["previous_ns"], v["timestamp_ns"], v["n"], v["rate_hz"])
    if v.get("invalid"):
        with pytest.raises(ProtocolError):
            pmd.sample_times_ns(*args)
    else:
        assert pmd.sample_times_ns(*args) == v["expect"]


def _as_lists(settings: dict[int, tuple[float, ...]]) -> dict[str, list[float]]:
    return {str(k): sorted(vals) for k, vals in settings.items()}


def check_settings(v: dict[str, Any]) -> None:
    assert _as_lists(pc.parse_settings(bytes.fromhex(v["hex"]))) == v["expect"]


def check_serialize(v: dict[str, Any]) -> None:
    selected = {int(k): val for k, val in v["selected"].items()}
    command = pc.start_command(pmd.MeasurementType.ACC, selected)
    assert command[:2] == bytes([pc.Op.START, pmd.MeasurementType.ACC])
    assert _as_lists(pc.parse_settings(command[2:])) == v["expect"]


def check_response(v: dict[str, Any]) -> None:
    r = pc.parse_control_response(bytes.fromhex(v["hex"]))
    e = v["expect"]
    assert (r.op, r.measurement, r.status, r.more, r.parameters.hex()) == (
        e["op"],
        e["measurement"],
        e["status"],
        e["more"],
        e["parameters"],
    )


def check_start_response(v: dict[str, Any]) -> None:
    assert pc.parse_start_response(bytes.fromhex(v["hex"])) == v["expect"]["factor"]


CHECKS = {
    "frame": check_frame,
    "delta": check_delta,
    "header": check_header,
    "previous": check_previous,
    "times": check_times,
    "settings": check_settings,
    "serialize": check_serialize,
    "response": check_response,
    "start_response": check_start_response,
}


@pytest.mark.parametrize("vector", VECTORS, ids=[v["id"] for v in VECTORS])
def test_sdk_vector(vector: dict[str, Any]) -> None:
    CHECKS[vector["kind"]](vector)


def test_every_named_sdk_test_file_is_covered() -> None:
    files = {v["id"].split(".")[0] for v in VECTORS}
    assert {
        "AccDataTest",
        "GyrDataTest",
        "BlePmdClientParsersTest",
        "BlePmdClientTest",
        "PmdTimeStampUtilsTest",
    } <= files
