"""FitMi pucks through their USB dongle, against a fake HID dongle: report layout, commands, start-up, learning
the sensor scales from the data, touch and load cell, the actuation limit, and unplugging."""

from __future__ import annotations

import contextlib
import json
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from repquest.ble import fitmi
from repquest.ble.fitmi_dongle import ACTUATION_GAP_S, FitMiDongle, FitMiUpdate
from repquest.ble.fitmi_fake import FakeFitMiDongle, HiddenScales
from repquest.clock import VirtualClock
from repquest.errors import DeviceError, ProtocolError
from repquest.fitmi_probe import probe
from repquest.simulator.exercise_models import build_set

# One report written out byte by byte from the facts: puck 0 connected + IMU ok + touch, bytes 12-17 magnetometer;
# puck 1 off; dongle: hardware state 1, channel 37, pipe fields 5 and 2.
PUCK0 = (
    struct.pack("<3h", 100, -200, 4096)
    + struct.pack("<3h", -16, 32, 0)
    + struct.pack("<3h", 1234, -50, 0)
    + struct.pack("<4h", 10000, 0, -5000, 0)
    + struct.pack("<h", 150)
    + bytes([87, 0b0100_0111])
)
PUCK1 = bytes(30)
STATUS = (1 << 13) | (37 << 6) | (2 << 3) | 5
REPORT = PUCK0 + PUCK1 + struct.pack("<H", STATUS)


def test_report_fields_follow_the_facts() -> None:
    p0, p1, status = fitmi.decode_report(REPORT)
    assert (p0.triple_a, p0.triple_b) == ((100, -200, 4096), (-16, 32, 0))
    assert p0.magnetometer == pytest.approx((12.34, -0.5, 0.0))
    assert p0.quaternion == (1.0, 0.0, -0.5, 0.0)
    assert (p0.load, p0.battery) == (150, 87)
    assert p0.load_n == pytest.approx(150 * 0.020 * 9.80665)
    assert (p0.connected, p0.imu_ok, p0.touch, p0.extra_is_linear_acc, p0.state) == (
        True,
        True,
        True,
        False,
        4,
    )
    assert not p1.connected
    assert (status.hardware_state, status.channel, status.pipe_low, status.pipe_high) == (1, 37, 5, 2)
    linear = fitmi.decode_report(PUCK0[:29] + bytes([0x0B]) + PUCK1 + b"\0\0")[0]
    assert linear.extra_is_linear_acc
    assert linear.magnetometer is None


def test_commands_are_three_bytes_with_the_puck_in_the_top_bits() -> None:
    assert fitmi.command(0, fitmi.Command.GAME_ON, 0x00, 0x01) == bytes([0x0B, 0x00, 0x01])
    assert fitmi.command(1, fitmi.Command.GAME_ON, 0x00, 0x01) == bytes([0x2B, 0x00, 0x01])
    assert fitmi.command(1, fitmi.Command.BLINK_GREEN) == bytes([0x22, 0, 0])
    assert fitmi.pulse_motor(0, 750, 60) == bytes([0x08, 127, 60])
    assert fitmi.pulse_motor(1, 5000, 250) == bytes([0x28, 255, 100])  # duration and amplitude capped
    with pytest.raises(ProtocolError):
        fitmi.command(2, fitmi.Command.GAME_ON)


@pytest.mark.parametrize("size", [0, 30, 61, 63, 64])
def test_reports_of_another_size_are_refused(size: int) -> None:
    with pytest.raises(ProtocolError, match="62 bytes"):
        fitmi.decode_report(bytes(size))


@given(st.binary(min_size=0, max_size=80))
def test_fuzz_only_protocol_errors(data: bytes) -> None:
    with contextlib.suppress(ProtocolError):
        fitmi.decode_report(data)


@given(
    st.tuples(*[st.integers(-32768, 32767)] * 9),
    st.tuples(*[st.integers(-10000, 10000)] * 4),
    st.integers(-32768, 32767),
    st.integers(0, 255),
    st.integers(0, 255),
)
def test_encode_decode_round_trip(
    ints: tuple[int, ...], quat: tuple[int, ...], load: int, battery: int, status: int
) -> None:
    q = tuple(v / 10000 for v in quat)
    puck = fitmi.encode_puck(ints[0:3], ints[3:6], ints[6:9], q, load, battery, status)  # type: ignore[arg-type]
    back = fitmi.decode_report(fitmi.encode_report(puck, puck))[1]
    assert back.triple_a + back.triple_b + back.extra == ints
    assert back.quaternion == q
    assert (back.load, back.battery, back.status) == (load, battery, status)


def make_dongle(clock: VirtualClock, **options: object) -> tuple[FakeFitMiDongle, FitMiDongle]:
    motions = options.pop(
        "motions", (build_set("knee_extension", 4, seed=1), build_set("bicep_curl", 4, seed=2))
    )
    fake = FakeFitMiDongle(clock.now, motions, **options)  # type: ignore[arg-type]
    return fake, FitMiDongle(fake, clock)


async def test_start_up_switches_game_on_for_both_pucks_without_a_reset_when_they_answer() -> None:
    clock = VirtualClock()
    fake, dongle = make_dongle(clock)
    updates = await dongle.start()
    assert any(u.connected for u in updates)
    assert not dongle.reset_sent
    assert fake.written == [b"\x00\x0b\x00\x01", b"\x00\x2b\x00\x01"]  # report id 0, then the command
    assert clock.now() < 0.2


async def test_start_up_resets_the_dongle_when_no_puck_answers_within_200_ms() -> None:
    clock = VirtualClock()
    fake, dongle = make_dongle(clock, connect_after_reset=True)
    await dongle.start()
    assert dongle.reset_sent
    assert fake.written[0] == b"\x00\x0f\x00\x00"
    assert fake.written[1:] == [b"\x00\x0b\x00\x01", b"\x00\x2b\x00\x01"]
    assert clock.now() >= 0.2 + 0.6  # waited for an answer, then for the reset
    await clock.sleep(0.1)
    assert all(u.connected for u in dongle.poll())


async def run_until_calibrated(
    clock: VirtualClock, dongle: FitMiDongle, limit_s: float = 30
) -> list[FitMiUpdate]:
    updates = await dongle.start()
    while clock.now() < limit_s and not all(dongle.calibrations):
        await clock.sleep(0.01)
        updates += dongle.poll()
    return updates


async def test_scales_and_axes_are_learned_from_the_data_for_each_puck() -> None:
    clock = VirtualClock()
    hidden = (
        HiddenScales(),
        HiddenScales(
            acc_first=False,
            acc_counts_per_g=2048,
            gyro_counts_per_dps=32.8,
            gyro_axes=(2, 0, 1),
            gyro_signs=(-1, 1, -1),
        ),
    )
    fake, dongle = make_dongle(clock, scales=hidden)
    await run_until_calibrated(clock, dongle)
    c0, c1 = dongle.calibrations
    assert c0 is not None
    assert c1 is not None
    assert (c0.acc_index, c1.acc_index) == (0, 1)
    assert c0.acc_g_per_count == pytest.approx(1 / 4096, rel=0.02)
    assert c1.acc_g_per_count == pytest.approx(1 / 2048, rel=0.02)
    assert c0.gyro_dps_per_count == pytest.approx(1 / 16.4, rel=0.02)
    assert c1.gyro_dps_per_count == pytest.approx(1 / 32.8, rel=0.02)

    # from now on both pucks give blocks in g and deg/s that match what they felt
    start_s = clock.now()
    got: list[list[FitMiUpdate]] = [[], []]
    while clock.now() < start_s + 3:
        await clock.sleep(0.01)
        for u in dongle.poll():
            got[u.puck].append(u)
    for puck, motion in enumerate(fake.motions):
        assert motion is not None
        blocks = [u.block for u in got[puck] if u.block is not None]
        assert len(blocks) == len(got[puck]) > 250
        assert [b.seq for b in blocks] == list(range(blocks[0].seq, blocks[0].seq + len(blocks)))
        assert {b.rate_hz for b in blocks[10:]} == {100}
        index = np.array(
            [round(u.block.t0_us / 1e4) for u in got[puck] if u.block is not None]
        )  # 100 Hz grid
        truth_acc, truth_gyr, _f = motion.sample(index / 100)  # (the test ends before t0_us wraps at 16.8 s)
        acc = np.vstack([b.acc_g for b in blocks])
        gyr = np.vstack([b.gyr_dps for b in blocks])
        assert np.abs(acc - truth_acc).max() < 0.05
        assert np.abs(gyr - truth_gyr).max() < 3


async def test_touch_and_load_cell_reach_the_host_per_puck() -> None:
    clock = VirtualClock()
    fake, dongle = make_dongle(clock)
    await dongle.start()
    fake.touch[1] = True
    fake.load[1] = 250
    await clock.sleep(0.05)
    updates = dongle.poll()
    yellow = [u for u in updates if u.puck == 1]
    blue = [u for u in updates if u.puck == 0]
    assert yellow
    assert all(u.touch and u.load_n == pytest.approx(250 * 0.020 * 9.80665) for u in yellow)
    assert blue
    assert not any(u.touch or u.load_n for u in blue)


async def test_a_switched_off_puck_is_reported_and_gives_no_blocks() -> None:
    clock = VirtualClock()
    _fake, dongle = make_dongle(clock, motions=(build_set("knee_extension", 2, seed=1), None))
    updates = await run_until_calibrated(clock, dongle, limit_s=3)
    assert not any(u.connected or u.block for u in updates if u.puck == 1)
    assert any(u.connected for u in updates if u.puck == 0)


async def test_one_actuation_per_puck_per_200_ms() -> None:
    clock = VirtualClock()
    fake, dongle = make_dongle(clock)
    await dongle.start()
    sent_before = len(fake.written)
    assert dongle.send(fitmi.pulse_motor(0, 300, 80))
    assert not dongle.send(fitmi.command(0, fitmi.Command.BLINK_RED))  # too soon for puck 0
    assert dongle.send(fitmi.command(1, fitmi.Command.BLINK_RED))  # puck 1 is its own
    assert dongle.send(fitmi.command(0, fitmi.Command.TOUCH_BUZZ, 0, 1))  # not an actuation
    await clock.sleep(ACTUATION_GAP_S)
    assert dongle.send(fitmi.command(0, fitmi.Command.BLINK_RED))
    assert fake.written[sent_before:] == [
        b"\x00\x08\x33\x50",  # 300 ms -> 300 x 255 / 1500 = 51
        b"\x00\x21\x00\x00",
        b"\x00\x11\x00\x01",
        b"\x00\x01\x00\x00",
    ]


async def test_unplugging_the_dongle_is_one_clear_error() -> None:
    clock = VirtualClock()
    fake, dongle = make_dongle(clock)
    await dongle.start()
    fake.unplugged = True
    with pytest.raises(DeviceError, match="unplugged: plug it back in"):
        dongle.poll()
    assert fake.closed
    assert dongle.poll() == []  # closed: nothing more, and no second error


async def test_probe_records_every_report_and_command_with_its_time(tmp_path: Path) -> None:
    clock = VirtualClock()
    fake, _dongle = make_dongle(clock)
    path = tmp_path / "probe.jsonl"
    with path.open("w") as out:
        summary = await probe(fake, clock, 1.0, out)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert lines[0]["kind"] == "repquest-fitmi-probe"
    reports = [bytes.fromhex(line["in"]) for line in lines[1:] if "in" in line]
    sent = [line["out"] for line in lines[1:] if "out" in line]
    assert len(reports) == summary.reports >= 95
    assert all(len(r) == 62 for r in reports)
    assert sent == ["0b0001", "2b0001"]
    assert summary.connected == (True, True)
    assert summary.rate_hz == pytest.approx(100, rel=0.1)


def test_probe_command_without_a_dongle_says_what_to_do_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from repquest import cli

    def no_dongle() -> None:
        raise DeviceError("no FitMi dongle found: plug it in")

    monkeypatch.setattr("repquest.ble.fitmi_dongle.open_hid", no_dongle)
    assert cli.main(["fitmi", "probe", "--out", str(tmp_path / "p.jsonl")]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["repquest fitmi: no FitMi dongle found: plug it in"]

    existing = tmp_path / "keep.jsonl"
    existing.write_text("mine")
    assert cli.main(["fitmi", "probe", "--out", str(existing)]) != 0
    assert "already exists" in capsys.readouterr().err
    assert existing.read_text() == "mine"
