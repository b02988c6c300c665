"""WitMotion and Polar PMD profiles: the issue's vectors, round trips, arbitrary chunking, fuzzing."""

from __future__ import annotations

import contextlib
import itertools
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repquest.ble import polar_control, polar_pmd, witmotion
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


@pytest.mark.parametrize(
    ("voltage_x100", "percent"),
    [
        (399, 100.0),
        (340, 0.0),
        (300, 0.0),
        (382, 50.0),
        (385, 56.0),
        (500, 100.0),
        (880, 100.0),
        (735, 30.0),
        (650, 0.0),
    ],
)
def test_witmotion_battery_follows_the_vendor_curve(voltage_x100: int, percent: float) -> None:
    assert witmotion.battery_percent(voltage_x100) == pytest.approx(percent, abs=1e-6)


@given(st.floats(0, 100))
def test_witmotion_simulated_battery_voltage_reads_back(percent: float) -> None:
    assert witmotion.battery_percent(witmotion.battery_voltage_x100(percent)) == pytest.approx(percent, abs=3)


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
    response = bytes([0xF0, 0x02, 0x05, 0x00, 0x00]) + polar_control.encode_settings(
        {polar_control.Setting.FACTOR: 0.5}
    )
    factor = polar_control.parse_start_response(response)
    frame = polar_pmd.decode_frame(bytes.fromhex(POLAR_VECTOR), factor=factor)
    assert frame.values == ((-11.0, 4.0, 6.5), (-11.5, 5.5, 8.0))
    with pytest.raises(ProtocolError, match=r"refused.*not supported"):
        polar_control.parse_start_response(bytes([0xF0, 0x02, 0x05, 0x03, 0x00]))
    assert polar_control.start_command(2, {0: 52, 1: 16, 5: 7}).hex() == "0202000134000101" + "1000"


def test_polar_measurement_type_is_masked_to_six_bits() -> None:
    frame = polar_pmd.decode_frame(bytes([0xC5]) + bytes.fromhex(POLAR_VECTOR)[1:])
    assert frame.measurement == polar_pmd.MeasurementType.GYRO


def test_polar_compressed_type0_acceleration_is_g_on_the_verity_sense_mg_elsewhere() -> None:
    data = polar_pmd.encode_compressed_frame(polar_pmd.MeasurementType.ACC, 10**9, [(4096, 0, -4096)])
    assert polar_pmd.decode_frame(data, factor=2.44e-4).values[0] == pytest.approx((999.424, 0.0, -999.424))
    in_mg = polar_pmd.decode_frame(data, factor=2.44e-4, acc_type0_in_g=False).values[0]
    assert in_mg == pytest.approx((0.999424, 0.0, -0.999424))


def test_polar_raw_h10_frames_ignore_the_factor_as_the_sdk_does() -> None:
    data = polar_pmd.encode_raw_frame(polar_pmd.MeasurementType.ACC, 10**9, [(-9, -1, 999)])
    assert polar_pmd.decode_frame(data, factor=2.0).values == ((-9.0, -1.0, 999.0),)


def test_polar_models_offer_what_the_real_devices_offer() -> None:
    acc, gyro = polar_pmd.MeasurementType.ACC, polar_pmd.MeasurementType.GYRO
    h10, sense = polar_control.H10, polar_control.VERITY_SENSE
    assert h10.measurements == [acc]  # no gyro on the H10
    assert h10.offers[acc][polar_control.Setting.SAMPLE_RATE] == (25, 50, 100, 200)
    assert sense.measurements == [acc, gyro]
    assert sense.offers[acc][polar_control.Setting.SAMPLE_RATE] == (52,)
    assert sense.offers[gyro][polar_control.Setting.SAMPLE_RATE] == (52,)
    offered = polar_control.parse_settings(polar_control.encode_settings(h10.offers[acc]))
    assert polar_control.choose_settings(offered, acc, 52) == {0: 50, 1: 16, 2: 8}
    offered = polar_control.parse_settings(polar_control.encode_settings(sense.offers[gyro]))
    assert polar_control.choose_settings(offered, gyro, 52) == {0: 52, 1: 16, 2: 2000, 4: 3}
    assert polar_control.parse_features(polar_control.encode_features([acc])) == {acc}


@given(
    st.lists(st.tuples(*[st.integers(-32768, 32767)] * 3), min_size=1, max_size=300),
    st.integers(0, 2**64 - 1),
    st.sampled_from([polar_pmd.MeasurementType.ACC, polar_pmd.MeasurementType.GYRO]),
)
def test_polar_compressed_encoder_round_trips(
    samples: list[tuple[int, int, int]], ts: int, measurement: int
) -> None:
    data = polar_pmd.encode_compressed_frame(measurement, ts, samples)
    frame = polar_pmd.decode_frame(data)
    assert frame.samples == tuple(samples)
    assert frame.timestamp_ns == ts


@given(st.lists(st.tuples(*[st.floats(-4000, 4000, width=32)] * 3), min_size=1, max_size=40))
def test_polar_float_gyro_frames_round_trip(rows: list[tuple[float, float, float]]) -> None:
    bits = [[struct.unpack("<i", struct.pack("<f", v))[0] for v in row] for row in rows]
    data = polar_pmd.encode_compressed_frame(
        polar_pmd.MeasurementType.GYRO, 5, bits, frame_type=1, resolution=32
    )
    assert polar_pmd.decode_frame(data).values == tuple(tuple(r) for r in rows)


@given(st.lists(st.tuples(*[st.integers(-32768, 32767)] * 3), min_size=1, max_size=40))
def test_polar_raw_encoder_round_trips(samples: list[tuple[int, int, int]]) -> None:
    data = polar_pmd.encode_raw_frame(polar_pmd.MeasurementType.ACC, 7, samples)
    assert polar_pmd.decode_frame(data).samples == tuple(samples)


@given(st.binary(max_size=80), st.sampled_from([0x00, 0x01, 0x02, 0x03, 0x80, 0x81, 0x82, 0x7F, 0xFF]))
def test_polar_fuzz_only_protocol_errors(data: bytes, frame_byte: int) -> None:
    for measurement in (polar_pmd.MeasurementType.ACC, polar_pmd.MeasurementType.GYRO, data[:1] or b"\x00"):
        kind = bytes([measurement]) if isinstance(measurement, int) else measurement
        with contextlib.suppress(ProtocolError):
            polar_pmd.decode_frame(kind + data[1:9] + bytes([frame_byte]) + data[9:])


@given(st.binary(max_size=40))
def test_polar_control_fuzz_only_protocol_errors(data: bytes) -> None:
    with contextlib.suppress(ProtocolError):
        polar_control.parse_settings(data)
    with contextlib.suppress(ProtocolError):
        polar_control.parse_start_response(b"\xf0\x02" + data)
    with contextlib.suppress(ProtocolError):
        polar_control.parse_features(data)


@given(st.integers(0, 10**12), st.integers(1, 10**9), st.integers(1, 200), st.integers(1, 400))
def test_polar_sample_times_end_at_the_stamp_and_never_go_back(
    previous: int, step: int, n: int, rate: int
) -> None:
    timestamp = previous + step
    try:
        times = polar_pmd.sample_times_ns(previous, timestamp, n, rate)
    except ProtocolError:
        return  # the SDK refuses times before zero
    assert times[-1] == timestamp
    assert all(b >= a for a, b in itertools.pairwise(times))
    if previous:
        assert times[0] >= previous  # after it (to the nanosecond, rounded as the SDK rounds)


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
