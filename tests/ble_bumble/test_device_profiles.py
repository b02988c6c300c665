"""WitMotion and Polar PMD profiles: the issue's vectors, round trips, arbitrary chunking, fuzzing."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repquest.ble import polar_pmd, witmotion
from repquest.errors import ProtocolError

WIT = [
    ("5561000000000008000000000000000000000000", (0.0, 0.0, 1.0), (0.0, 0.0, 0.0), (0.0, 0.0, 0.0)),
    (
        "556100f800040008a400b8fe0040004000e00080",
        (-1.0, 0.5, 1.0),
        (10.01, -20.02, 1000.0),
        (90.0, -45.0, -180.0),
    ),
    (
        "5561ff7f00800100ffffff7f00800100ffffff7f",
        (16.0, -16.0, 0.0),
        (-0.061, 1999.939, -2000.0),
        (0.005, -0.005, 179.995),
    ),
]


@pytest.mark.parametrize(("hex_", "acc", "gyr", "ang"), WIT)
def test_witmotion_vendor_vectors(hex_: str, acc: tuple, gyr: tuple, ang: tuple) -> None:
    (sample,) = witmotion.WitMotionDecoder().feed(bytes.fromhex(hex_))
    assert isinstance(sample, witmotion.WitSample)
    assert tuple(round(v, 3) for v in sample.acc_g) == pytest.approx(acc)
    assert tuple(round(v, 3) for v in sample.gyr_dps) == pytest.approx(gyr, abs=1e-3)
    assert tuple(round(v, 3) for v in sample.angle_deg) == pytest.approx(ang, abs=1e-3)
    assert witmotion.encode_sample(sample.acc_g, sample.gyr_dps, sample.angle_deg) == bytes.fromhex(hex_)


def test_witmotion_resyncs_on_garbage_split_packets_and_register_replies() -> None:
    quat = witmotion.encode_register(0x51, [32767, 0, 0, -16384, 0, 0, 0, 0])
    stream = b"\x00\x55\x12" + bytes.fromhex(WIT[1][0]) + b"\x55" + quat + bytes.fromhex(WIT[0][0])
    decoder = witmotion.WitMotionDecoder()
    out = []
    for i in range(0, len(stream), 7):
        out += decoder.feed(stream[i : i + 7])
    assert [type(p).__name__ for p in out] == ["WitSample", "WitRegister", "WitSample"]
    assert out[1].register == 0x51
    assert out[1].quaternion[3] == pytest.approx(-0.5)
    assert decoder.skipped_bytes == 4


def test_witmotion_rate_commands_unlock_set_save_then_verify() -> None:
    assert [c.hex() for c in witmotion.set_rate_commands(200)] == ["ffaa6988b5", "ffaa030b00", "ffaa000000"]
    assert witmotion.read_register(0x03).hex() == "ffaa270300"
    reply = witmotion.WitMotionDecoder().feed(witmotion.encode_register(0x03, [0x0B, 0, 0, 0, 0, 0, 0, 0]))[0]
    assert isinstance(reply, witmotion.WitRegister)
    assert witmotion.rate_verified(reply, 200)
    assert not witmotion.rate_verified(reply, 100)
    with pytest.raises(ProtocolError):
        witmotion.set_rate_commands(25)


def test_witmotion_decoders_do_not_share_a_buffer() -> None:
    a, b = witmotion.WitMotionDecoder(), witmotion.WitMotionDecoder()
    packet = bytes.fromhex(WIT[0][0])
    assert a.feed(packet[:10]) == []
    assert len(b.feed(packet)) == 1
    assert len(a.feed(packet[10:])) == 1


@given(st.lists(st.binary(max_size=64), max_size=20))
def test_witmotion_fuzz_only_decodes(chunks: list[bytes]) -> None:
    decoder = witmotion.WitMotionDecoder()
    for chunk in chunks:
        decoder.feed(chunk)


@given(st.lists(st.tuples(*[st.integers(-32768, 32767)] * 9), min_size=1, max_size=8), st.integers(1, 40))
def test_witmotion_any_chunking_gives_the_same_packets(raw: list[tuple[int, ...]], size: int) -> None:
    stream = b"".join(bytes([0x55, 0x61]) + witmotion._NINE.pack(*r) for r in raw)
    decoder = witmotion.WitMotionDecoder()
    out = []
    for i in range(0, len(stream), size):
        out += decoder.feed(stream[i : i + size])
    assert len(out) == len(raw)


POLAR_VECTOR = "05ffffffffffffff7f80eaff08000d000301df00"


def test_polar_sdk_gyro_vector_lsb_first() -> None:
    frame = polar_pmd.decode_frame(bytes.fromhex(POLAR_VECTOR))
    assert frame.measurement == polar_pmd.MeasurementType.GYRO
    assert frame.compressed
    assert frame.timestamp_ns == 0x7FFFFFFFFFFFFFFF
    assert frame.samples == ((-22, 8, 13), (-23, 11, 16))


def test_polar_factor_from_the_start_response_is_applied() -> None:
    import struct

    factor = polar_pmd.parse_start_response(bytes([0xF0, 0x02, 0x05, 0x00, 0x00]) + struct.pack("<f", 0.5))
    frame = polar_pmd.decode_frame(bytes.fromhex(POLAR_VECTOR), factor=factor)
    assert frame.values == [(-11.0, 4.0, 6.5), (-11.5, 5.5, 8.0)]
    with pytest.raises(ProtocolError, match="refused"):
        polar_pmd.parse_start_response(bytes([0xF0, 0x02, 0x05, 0x03, 0x00]))
    assert polar_pmd.start_command(2, {0: 52, 1: 16}).hex() == "0202000134000101" + "1000"


@given(
    st.lists(st.tuples(*[st.integers(-2000, 2000)] * 3), min_size=1, max_size=30),
    st.integers(0, 2**64 - 1),
)
def test_polar_encoder_round_trips(samples: list[tuple[int, int, int]], ts: int) -> None:
    data = polar_pmd.encode_delta_frame(polar_pmd.MeasurementType.ACC, ts, samples)
    frame = polar_pmd.decode_frame(data)
    assert frame.samples == tuple(samples)
    assert frame.timestamp_ns == ts


@given(st.binary(max_size=80))
def test_polar_fuzz_only_protocol_errors(data: bytes) -> None:
    for compressed in (False, True):
        raw = data[:9] + bytes([0x80 if compressed else data[9] if len(data) > 9 else 1]) + data[10:]
        with contextlib.suppress(ProtocolError):
            polar_pmd.decode_frame(raw)


async def test_scan_recognises_all_three_kinds() -> None:
    from bleak.backends.device import BLEDevice
    from bleak.backends.scanner import AdvertisementData

    from repquest.ble.bleak_transport import scan_sensors

    def adv(name: str, uuids: list[str], rssi: int) -> AdvertisementData:
        return AdvertisementData(name, {}, {}, uuids, None, rssi, ())

    found = {
        "A": (BLEDevice("A", "RepQuest Puck 1", None), adv("RepQuest Puck 1", [], -40)),
        "B": (BLEDevice("B", "WT901BLE68", None), adv("WT901BLE68", [witmotion.SERVICE_UUID], -50)),
        "C": (BLEDevice("C", "Polar Sense 1", None), adv("Polar Sense 1", [polar_pmd.SERVICE_UUID], -60)),
        "D": (BLEDevice("D", "Kettle", None), adv("Kettle", [], -30)),
    }

    async def discover(**_kwargs: object) -> dict:
        return found

    sensors = await scan_sensors(1.0, discover=discover)
    assert [(d.address, kind) for d, kind in sensors] == [("A", "puck"), ("B", "witmotion"), ("C", "polar")]
