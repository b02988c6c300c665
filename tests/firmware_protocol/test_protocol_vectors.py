"""The committed JSON vectors: hex -> decoded (both decoders), decoded -> hex (encoder, builders), invalid ->
ProtocolError; plus the few layout facts the rest of RepQuest relies on (section 3 of PROTOCOL.md)."""

from __future__ import annotations

import importlib.util
import struct
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from construct import Array, Int8ub, Int16sl, Struct
from protocol_vectors import (
    NOTIFICATION_DECODERS,
    VECTOR_DIR,
    Decoder,
    Json,
    assert_block_matches,
    build_command,
    command_fields,
    data_of,
    encode_decoded,
    ids,
    load,
    of,
    status_from_decoded,
)

import repquest.firmware_protocol as fp
from repquest.errors import ProtocolError, RepQuestError
from repquest.firmware_protocol import definitions as d
from repquest.firmware_protocol.data_codec import SAMPLE_DTYPE, SAMPLE_FORMAT

NOTIFICATIONS = "data_notifications.json"
COMMANDS = "commands.json"
STATUS = "status.json"
FILES = (NOTIFICATIONS, COMMANDS, STATUS)
ROOT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------------------------------------------------
# The files themselves


@pytest.mark.parametrize("name", FILES)
def test_vector_file_follows_the_contract_schema(name: str) -> None:
    tests = load(name)
    assert [t["id"] for t in tests] == list(range(1, len(tests) + 1))
    assert len({t["hex"] for t in tests}) == len(tests), "duplicate vectors"
    for t in tests:
        assert {"id", "comment", "hex", "result", "decoded"} <= set(t)
        assert isinstance(t["comment"], str)
        assert t["comment"].strip()
        assert t["result"] in {"valid", "invalid"}
        bytes.fromhex(t["hex"])
        assert (t["decoded"] == {}) == (t["result"] == "invalid")
    assert of(name, "valid")
    assert of(name, "invalid")


def test_vectors_are_what_make_vectors_writes() -> None:
    """The JSON is committed, and regenerating it from the encoder and builders changes nothing."""
    spec = importlib.util.spec_from_file_location("make_vectors", ROOT / "scripts" / "make_vectors.py")
    assert spec is not None
    assert spec.loader is not None
    module: ModuleType = importlib.util.module_from_spec(spec)
    sys.modules["make_vectors"] = module
    spec.loader.exec_module(module)
    for name, text in module.build_all().items():
        assert (VECTOR_DIR / name).read_text(encoding="utf-8") == text, f"{name} is stale"


def test_notification_vectors_cover_the_brief() -> None:
    valid = [t["decoded"] for t in of(NOTIFICATIONS, "valid")]
    lengths = {len(data_of(t)) for t in of(NOTIFICATIONS, "valid")}
    assert {20, 7 + 15 * 13} <= lengths
    assert {v["rate_hz"] for v in valid} == set(d.SUPPORTED_RATES_HZ)
    assert {65535, 0} <= {v["seq"] for v in valid}
    assert any(v["t0_us"] == d.DEVICE_TIME_MODULUS_US - 1 for v in valid)
    assert any(v["t_us"][-1] >= d.DEVICE_TIME_MODULUS_US for v in valid)
    acc = np.concatenate([np.asarray(v["acc_g"]) for v in valid])
    gyr = np.concatenate([np.asarray(v["gyr_dps"]) for v in valid])
    assert acc.min() == -16.0
    assert acc.max() == 32767 / 2048
    assert gyr.min() == -2048.0
    flags = {(v["touch"], v["saturated"]) for v in valid}
    assert flags == {(False, False), (True, False), (False, True), (True, True)}
    invalid = [data_of(t) for t in of(NOTIFICATIONS, "invalid")]
    assert b"" in invalid
    assert {b[0] for b in invalid if b} >= {0, 2, 255}


# ---------------------------------------------------------------------------------------------------------
# Data notifications


@pytest.mark.parametrize("decoder", NOTIFICATION_DECODERS.values(), ids=NOTIFICATION_DECODERS.keys())
@pytest.mark.parametrize("test", of(NOTIFICATIONS, "valid"), ids=ids(of(NOTIFICATIONS, "valid")))
def test_valid_notification_decodes_to_its_physical_values(test: Json, decoder: Decoder) -> None:
    block = decoder(data_of(test))
    assert isinstance(block, fp.SampleBlock)
    assert_block_matches(block, test["decoded"])


@pytest.mark.parametrize("test", of(NOTIFICATIONS, "valid"), ids=ids(of(NOTIFICATIONS, "valid")))
def test_both_decoders_agree_and_accept_every_buffer_type(test: Json) -> None:
    data = data_of(test)
    fast = fp.decode_notification(data)
    for buffer in (bytearray(data), memoryview(data), memoryview(b"\xaa" + data + b"\xbb")[1:-1]):
        assert fast.same_samples(fp.decode_notification(buffer))
        assert fast.same_samples(fp.decode_notification_reference(buffer))


@pytest.mark.parametrize("test", of(NOTIFICATIONS, "valid"), ids=ids(of(NOTIFICATIONS, "valid")))
def test_valid_notification_is_reproduced_by_the_encoder(test: Json) -> None:
    assert encode_decoded(test["decoded"]).hex() == test["hex"]


@pytest.mark.parametrize("decoder", NOTIFICATION_DECODERS.values(), ids=NOTIFICATION_DECODERS.keys())
@pytest.mark.parametrize("test", of(NOTIFICATIONS, "invalid"), ids=ids(of(NOTIFICATIONS, "invalid")))
def test_invalid_notification_raises_protocol_error(test: Json, decoder: Decoder) -> None:
    with pytest.raises(ProtocolError):
        decoder(data_of(test))


def test_decoded_arrays_do_not_alias_the_received_buffer() -> None:
    buffer = bytearray(data_of(of(NOTIFICATIONS, "valid")[2]))
    block = fp.decode_notification(buffer)
    before = block.acc_g.copy()
    buffer[7:] = bytes(len(buffer) - 7)
    assert np.array_equal(block.acc_g, before)


@pytest.mark.parametrize("decoder", NOTIFICATION_DECODERS.values(), ids=NOTIFICATION_DECODERS.keys())
def test_non_byte_memoryviews_are_read_as_their_bytes(decoder: Decoder) -> None:
    """A view of int16 items, a 2-D view or a strided view decodes exactly as its bytes do."""
    data = data_of(of(NOTIFICATIONS, "valid")[0])  # 20 bytes
    want = fp.decode_notification(data)
    views = [
        memoryview(np.frombuffer(data, dtype=np.int16)),
        memoryview(np.frombuffer(data, dtype=np.uint8).reshape(4, 5)),
        memoryview(np.frombuffer(bytes(b for x in data for b in (x, 0)), dtype=np.uint8))[::2],
    ]
    for view in views:
        block = decoder(view)
        assert isinstance(block, fp.SampleBlock)
        assert block.same_samples(want)


@pytest.mark.parametrize("decoder", [*NOTIFICATION_DECODERS.values(), fp.parse_command, fp.parse_status])
@pytest.mark.parametrize("value", [None, "0101", 7, [1, 1], np.zeros(20, dtype=np.uint8)])
def test_non_bytes_input_raises_protocol_error(decoder: Decoder, value: object) -> None:
    with pytest.raises(ProtocolError):
        decoder(value)  # type: ignore[arg-type]


def test_protocol_error_belongs_to_the_error_tree() -> None:
    assert issubclass(ProtocolError, RepQuestError)
    assert issubclass(ProtocolError, ValueError)


def test_default_mtu_carries_one_sample_in_twenty_bytes() -> None:
    assert fp.samples_per_notification(23) == 1
    assert d.HEADER_SIZE + 1 * d.SAMPLE_SIZE == 20 == 23 - d.ATT_NOTIFY_OVERHEAD
    block = fp.decode_notification(data_of(of(NOTIFICATIONS, "valid")[0]))
    assert len(block) == 1
    assert fp.samples_per_notification(247) == 15
    assert fp.samples_per_notification(114) == 8


def test_fast_path_dtype_is_the_construct_sample_layout() -> None:
    assert d.SAMPLE_SIZE == 13
    assert d.HEADER_SIZE == 7
    assert np.dtype([("acc", "<i2", (3,)), ("gyr", "<i2", (3,)), ("force", "u1")]) == SAMPLE_DTYPE
    assert SAMPLE_DTYPE.itemsize == d.SAMPLE.sizeof()
    assert [(sub.name, sub.sizeof()) for sub in d.SAMPLE.subcons] == [
        (name, SAMPLE_DTYPE.fields[name][0].itemsize) for name in SAMPLE_DTYPE.names or ()
    ]
    # Same field offsets and byte order: a record packed by numpy is the record construct builds.
    independent = Struct("acc" / Array(3, Int16sl), "gyr" / Array(3, Int16sl), "force" / Int8ub)
    rng = np.random.default_rng(7)
    records = np.zeros(64, dtype=SAMPLE_DTYPE)
    records["acc"] = rng.integers(-32768, 32768, (64, 3))
    records["gyr"] = rng.integers(-32768, 32768, (64, 3))
    records["force"] = rng.integers(0, 256, 64)
    for record in records:
        value = {"acc": record["acc"].tolist(), "gyr": record["gyr"].tolist(), "force": int(record["force"])}
        assert d.SAMPLE.build(value) == record.tobytes() == independent.build(value)


def test_fast_path_struct_format_is_the_construct_sample_layout() -> None:
    # The decoder reads samples with struct; its format comes from d.SAMPLE, one letter per interleaved column.
    assert SAMPLE_FORMAT == "hhhhhhB"
    rng = np.random.default_rng(8)
    for _ in range(64):
        acc, gyr = rng.integers(-32768, 32768, 3).tolist(), rng.integers(-32768, 32768, 3).tolist()
        force = int(rng.integers(0, 256))
        packed = d.SAMPLE.build({"acc": acc, "gyr": gyr, "force": force})
        assert struct.unpack("<" + SAMPLE_FORMAT, packed) == (*acc, *gyr, force)


def test_decoded_block_interleaved_values_are_its_arrays() -> None:
    for test in of(NOTIFICATIONS, "valid"):
        block = fp.decode_notification(data_of(test))
        values, (acc_scale, gyr_scale, force_scale) = block.interleaved
        rows = np.asarray(values, dtype=np.float64).reshape(len(block), 7)
        assert np.array_equal(rows[:, :3] * acc_scale, block.acc_g)
        assert np.array_equal(rows[:, 3:6] * gyr_scale, block.gyr_dps)
        assert np.array_equal(rows[:, 6] * force_scale, block.force_n)
        reference = fp.decode_notification_reference(data_of(test))
        assert block.same_samples(reference)
        assert reference.interleaved[1] == (1.0, 1.0, 1.0)
        assert np.array_equal(
            np.asarray(reference.interleaved[0]),
            np.asarray(values) * np.tile([acc_scale] * 3 + [gyr_scale] * 3 + [force_scale], len(block)),
        )


# ---------------------------------------------------------------------------------------------------------
# Commands


@pytest.mark.parametrize("test", of(COMMANDS, "valid"), ids=ids(of(COMMANDS, "valid")))
def test_valid_command_parses_to_its_fields(test: Json) -> None:
    command = fp.parse_command(data_of(test))
    assert command_fields(command) == test["decoded"]
    if "pattern" in command.params:
        assert isinstance(command.params["pattern"], fp.LedPattern)


@pytest.mark.parametrize("test", of(COMMANDS, "valid"), ids=ids(of(COMMANDS, "valid")))
def test_valid_command_is_reproduced_by_its_builder(test: Json) -> None:
    rebuilt = build_command(test["decoded"])
    if "Clamped" in test.get("flags", ()):
        # The puck clamped the period: the builder gives the clamped command, which parses the same.
        assert rebuilt != data_of(test)
        assert command_fields(fp.parse_command(rebuilt)) == test["decoded"]
    else:
        assert rebuilt.hex() == test["hex"]


@pytest.mark.parametrize("test", of(COMMANDS, "invalid"), ids=ids(of(COMMANDS, "invalid")))
def test_invalid_command_raises_protocol_error(test: Json) -> None:
    with pytest.raises(ProtocolError):
        fp.parse_command(data_of(test))


def test_every_opcode_has_a_valid_vector() -> None:
    assert {t["decoded"]["opcode"] for t in of(COMMANDS, "valid")} == {op.name for op in fp.Opcode}


@pytest.mark.parametrize(
    "build",
    [
        lambda: fp.set_rate(60),
        lambda: fp.set_led(256, 0, 0),
        lambda: fp.set_led(0, 0, 0, fp.LedPattern.PULSE, 333),
        lambda: fp.vibrate(101),
        lambda: fp.vibrate(50, 9),
        lambda: fp.vibrate(50, 100, 0),
        lambda: fp.identify(31),
    ],
)
def test_builders_refuse_out_of_range_parameters(build: object) -> None:
    with pytest.raises(ProtocolError):
        build()  # type: ignore[operator]


# ---------------------------------------------------------------------------------------------------------
# Status


@pytest.mark.parametrize("test", of(STATUS, "valid"), ids=ids(of(STATUS, "valid")))
def test_valid_status_parses_to_its_fields(test: Json) -> None:
    assert fp.parse_status(data_of(test)) == status_from_decoded(test["decoded"])


@pytest.mark.parametrize("test", of(STATUS, "valid"), ids=ids(of(STATUS, "valid")))
def test_valid_status_is_reproduced_by_build_status(test: Json) -> None:
    rebuilt = fp.build_status(status_from_decoded(test["decoded"]))
    flags = test.get("flags", ())
    if "Extension" in flags:
        assert rebuilt == data_of(test)[: d.STATUS_SIZE]
    elif "ReservedBits" in flags:
        assert len(rebuilt) == d.STATUS_SIZE
        assert rebuilt[:11] == data_of(test)[:11]
        assert fp.parse_status(rebuilt) == fp.parse_status(data_of(test))
    else:
        assert rebuilt.hex() == test["hex"]


@pytest.mark.parametrize("test", of(STATUS, "invalid"), ids=ids(of(STATUS, "invalid")))
def test_invalid_status_raises_protocol_error(test: Json) -> None:
    with pytest.raises(ProtocolError):
        fp.parse_status(data_of(test))


def test_build_status_refuses_what_parse_status_refuses() -> None:
    with pytest.raises(ProtocolError):
        fp.build_status(fp.PuckStatus(battery_pct=101, firmware=(1, 0, 0)))
    with pytest.raises(ProtocolError):
        fp.build_status(fp.PuckStatus(battery_pct=50, firmware=(1, 0, 0), errors=frozenset({"on_fire"})))
