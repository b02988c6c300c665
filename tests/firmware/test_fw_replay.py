"""The firmware's own modules (board, MPU-6886 driver, puck core) under CPython on stand-in pins, with an IMU
that replays a simulated set: what they would notify decodes, through our decoder, to the samples the
simulated sensor gave, on the clock and in the batches PROTOCOL.md asks for."""

from __future__ import annotations

import numpy as np
import pytest
from fw_harness import Firmware, board_puck, decode_all, unwrapped_times_s

import repquest.firmware_protocol as fp
from repquest.simulator import VirtualPuck, build_set

GYR_FIRMWARE_LSB_DPS = 1 / 16.4  # the sensor's count, rescaled once more to the protocol's 1/16 deg/s


@pytest.mark.parametrize(
    ("exercise", "rate_hz", "mtu"),
    [("knee_extension", 100, 23), ("seated_march", 200, 247), ("walking", 50, 114)],
)
def test_replayed_set_decodes_to_the_simulated_samples(
    fw: Firmware, exercise: str, rate_hz: int, mtu: int
) -> None:
    motion = build_set(exercise, 2, seed=4, rate_hz=rate_hz, start_rest_s=0.5)
    rig = board_puck(fw, motion)
    rig.puck.set_mtu(mtu)
    rig.command(fp.set_rate(rate_hz))
    rig.command(fp.start_stream())
    start_us = rig.fw.clock.ticks_us()
    blocks = decode_all(rig.run(min(motion.duration_s, 6.0)))

    per = fp.samples_per_notification(mtu)
    assert blocks, "nothing was notified"
    assert all(len(b) == per and b.rate_hz == rate_hz for b in blocks)
    assert [b.seq for b in blocks] == list(range(len(blocks)))
    # Device time: the timer's period exactly, from the tick count at START_STREAM, across the u24 wrap and
    # across the board's own 2**30 tick wrap (the clock starts 3 s before it).
    t_s = unwrapped_times_s(blocks)
    assert blocks[0].t0_us == (start_us + 1_000_000 // rate_hz) % (1 << 24)  # the first timer tick
    np.testing.assert_array_equal(np.diff(np.round(t_s * 1e6)), 1_000_000 // rate_hz)
    # Every sample is stamped with the instant the timer read it.
    n = len(t_s)
    read_s = np.array(rig.imu.reads[:n])
    np.testing.assert_allclose(t_s - t_s[0], read_s - read_s[0], atol=1e-9)
    assert read_s[0] == pytest.approx(1 / rate_hz)
    # Values: what the sensor felt at that instant, within the quantisation steps.
    acc, gyr, _ = motion.sample(read_s)
    got_acc = np.concatenate([b.acc_g for b in blocks])
    got_gyr = np.concatenate([b.gyr_dps for b in blocks])
    np.testing.assert_allclose(got_acc, np.clip(acc, -16, 32767 / 2048), atol=0.5 / 2048 + 1e-12)
    np.testing.assert_allclose(got_gyr, gyr, atol=0.5 * GYR_FIRMWARE_LSB_DPS + 0.5 / 16 + 1e-9)
    assert not any(b.touch or b.saturated for b in blocks)
    assert np.all(np.concatenate([b.force_n for b in blocks]) == 0.0)  # the board has no load cell


def test_firmware_and_virtual_puck_stream_the_same_set_alike(fw: Firmware) -> None:
    """The reference firmware and the simulator's protocol-exact puck agree, notification by notification
    (without sensor noise, which is drawn afresh for every read)."""
    motion = build_set("knee_extension", 1, seed=9, rate_hz=100, start_rest_s=0.3, noise=False)
    rig = board_puck(fw, motion)
    rig.puck.set_mtu(114)
    rig.command(fp.start_stream())
    ours = decode_all(rig.run(3.0))

    # The virtual puck's first sample: the same true time (the firmware's first timer tick, 10 ms after
    # START_STREAM) and the same device time.
    first_s = rig.imu.reads[0]
    virtual = VirtualPuck(
        source=motion, rate_hz=100, mtu=114, device_t0_us=ours[0].t0_us - round(first_s * 1e6)
    )
    virtual.now_s = first_s
    virtual.write(fp.CONTROL_CHAR_UUID, fp.start_stream())
    theirs = [
        fp.decode_notification(e.data)
        for e in virtual.advance_to(3.0 + first_s)
        if e.char_uuid == fp.DATA_CHAR_UUID
    ]
    assert len(theirs) == len(ours)
    for a, b in zip(ours, theirs, strict=True):
        assert (a.seq, a.t0_us, a.rate_hz, len(a)) == (b.seq, b.t0_us, b.rate_hz, len(b))
        np.testing.assert_allclose(a.acc_g, b.acc_g, atol=1.01 / 2048)
        np.testing.assert_allclose(a.gyr_dps, b.gyr_dps, atol=1.01 / 16)


def test_rate_and_mtu_changes_take_effect_at_the_next_notification(fw: Firmware) -> None:
    rig = board_puck(fw, build_set("ankle_pump", 1, seed=1))
    rig.command(fp.start_stream())
    first = decode_all(rig.run(0.1))
    assert rig.timer.freq == 100
    assert all(len(b) == 1 and b.rate_hz == 100 for b in first)

    rig.puck.set_mtu(247)
    rig.command(fp.set_rate(400))
    later = decode_all(rig.run(0.2))
    assert rig.timer.freq == 400
    assert all(len(b) == 15 and b.rate_hz == 400 for b in later)
    blocks = first + later
    assert [b.seq for b in blocks] == list(range(len(blocks)))
    # No hole and no overlap in device time where the rate changed.
    assert later[0].t0_us == (first[-1].t0_us + 10_000) % (1 << 24)
    assert fp.parse_status(rig.puck.status()).samples_per_notification == 15


def test_stop_start_and_a_dropped_link_keep_the_sequence_counter(fw: Firmware) -> None:
    rig = board_puck(fw, build_set("heel_slide", 1, seed=2))
    rig.command(fp.start_stream())
    a = decode_all(rig.run(0.05))
    rig.command(fp.stop_stream())
    assert rig.run(0.1) == []
    assert rig.timer.freq == 0  # the timer stops with the stream
    rig.command(fp.start_stream())
    rig.command(fp.start_stream())  # idempotent
    b = decode_all(rig.run(0.05))
    rig.puck.link_lost()
    assert not rig.puck.streaming
    rig.command(fp.start_stream())
    c = decode_all(rig.run(0.05))
    seqs = [blk.seq for blk in a + b + c]
    assert seqs == list(range(len(seqs)))


def test_a_clipping_sensor_sets_the_saturated_flag(fw: Firmware) -> None:
    rig = board_puck(fw, build_set("arm_raise", 1, seed=3))
    rig.command(fp.start_stream())
    rig.imu.override = (100, -200, 2048, 0, 32767, 0, -5)
    (block,) = decode_all(rig.run(0.01))
    assert block.saturated
    assert block.gyr_dps[0, 0] == pytest.approx(32767 / 16.4, abs=1 / 16)
    rig.imu.override = (100, -200, 2048, 0, 10, 0, -5)
    (block,) = decode_all(rig.run(0.01))
    assert not block.saturated


def test_button_a_is_the_touch_pad(fw: Firmware) -> None:
    rig = board_puck(fw, build_set("squeeze", 1, seed=3))
    rig.command(fp.start_stream())
    fw.machine.PINS[37].level = 0  # pressed
    (block,) = decode_all(rig.run(0.01))
    assert block.touch
    assert fp.parse_status(rig.puck.status()).touch
    fw.machine.PINS[37].level = 1
    (block,) = decode_all(rig.run(0.01))
    assert not block.touch


def test_a_radio_that_cannot_keep_up_loses_the_oldest_and_says_so(fw: Firmware) -> None:
    rig = board_puck(fw, build_set("leg_raise", 1, seed=3))
    rig.command(fp.start_stream())
    for _ in range(20):  # nobody takes the notifications
        rig.fw.clock.now_us += 10_000
        rig.timer.fire()
    kept = decode_all(list(rig.puck.outbox))
    assert [b.seq for b in kept] == list(range(12, 20))  # the host counts 0..11 as lost
    assert "fifo_overflow" in fp.parse_status(rig.puck.status()).errors
    assert rig.puck.status_due


def test_lost_timer_ticks_move_the_clock_on_and_set_the_overflow_flag(fw: Firmware) -> None:
    rig = board_puck(fw, build_set("leg_raise", 1, seed=3))
    rig.command(fp.start_stream())
    before = decode_all(rig.run(0.03))
    rig.fw.clock.now_us += 200_000  # 20 periods with no callback: the board was too busy
    after = decode_all(rig.run(0.02))
    assert after[0].seq == before[-1].seq + 1
    gap_us = (after[0].t0_us - before[-1].t0_us) % (1 << 24)
    assert gap_us > 200_000  # t0 tells the truth about when the samples were taken
    assert "fifo_overflow" in fp.parse_status(rig.puck.status()).errors
    rig.command(fp.stop_stream())
    rig.command(fp.start_stream())
    assert "fifo_overflow" not in fp.parse_status(rig.puck.status()).errors


def test_status_record_reports_the_firmware_the_sensor_and_the_battery(fw: Firmware) -> None:
    rig = board_puck(fw, build_set("leg_raise", 1, seed=3))
    rig.puck.set_battery(rig.board.battery_pct(), rig.board.charging())
    status = fp.parse_status(rig.puck.status())
    assert status.firmware_version == "1.0.0"
    assert (status.acc_range_g, status.gyr_range_dps, status.rate_hz) == (16, 2000, 100)
    assert status.battery_pct == 70  # 3.9 V on the stand-in ADC
    assert status.errors == frozenset()
    rig.puck.status_due = False
    rig.puck.set_battery(70, False)
    assert not rig.puck.status_due  # unchanged: nothing to notify
    rig.puck.set_battery(12, False)
    assert rig.puck.status_due
    assert fp.parse_status(rig.puck.status()).errors == frozenset({"battery_low"})


def test_a_silent_imu_is_reported_as_an_imu_fault_and_streams_zeros(fw: Firmware) -> None:
    rig = board_puck(fw, None, who_am_i=0x00)
    assert "imu_fault" in fp.parse_status(rig.puck.status()).errors
    del fw.machine.I2C_DEVICES[0x68]  # nothing answers on the bus at all
    rig.command(fp.start_stream())
    blocks = decode_all(rig.run(0.05))
    assert len(blocks) == 5
    assert all(not b.acc_g.any() and not b.gyr_dps.any() for b in blocks)


@pytest.mark.parametrize(
    ("mv", "pct"), [(3000, 0), (3300, 0), (3650, 25), (3900, 70), (4150, 100), (4400, 100)]
)
def test_battery_voltage_to_percent(fw: Firmware, mv: int, pct: int) -> None:
    assert fw.puck_board.battery_pct_from_mv(mv) == pct


def test_holding_the_side_button_two_seconds_switches_the_puck_off(fw: Firmware) -> None:
    rig = board_puck(fw, None)
    hold, side = fw.machine.PINS[4], fw.machine.PINS[39]
    assert hold.level == 1  # powered
    side.level = 0
    for t in range(0, 1900, 20):  # pressed 1.9 s, then let go
        rig.board.poll_power_button(t)
    side.level = 1
    rig.board.poll_power_button(1920)
    assert hold.level == 1
    side.level = 0
    for t in range(3000, 5020, 20):
        rig.board.poll_power_button(t)
    assert hold.level == 0
