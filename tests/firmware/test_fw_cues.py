"""LED and vibration cues as the firmware renders them: never a flash faster than 3 Hz (PROTOCOL.md 4.3),
IDENTIFY's slow blink, vibration pulses with equal gaps, and the levels reaching the board's PWM pins."""

from __future__ import annotations

import numpy as np
from fw_harness import Firmware, board_puck, protocol_vectors
from hypothesis import given
from hypothesis import strategies as st

import repquest.firmware_protocol as fp

pv = protocol_vectors()


def led_trace(cues: object, start_ms: int, ms: int) -> np.ndarray:
    return np.array([cues.led(start_ms + t) for t in range(ms)])  # type: ignore[attr-defined]


def rising_edges_ms(levels: np.ndarray, threshold: float) -> np.ndarray:
    above = levels > threshold
    return np.flatnonzero(above[1:] & ~above[:-1]) + 1


def test_no_pulse_command_can_flash_the_led_faster_than_3_hz(fw: Firmware) -> None:
    rig = board_puck(fw, None)
    wire = fw.puck_wire

    @pv.fuzz_settings(120)
    @given(st.integers(0, 2000), st.integers(1, 255))
    def check(period_ms: int, brightness: int) -> None:
        data = bytes([1, wire.SET_LED, brightness, 0, 0, wire.LED_PULSE]) + period_ms.to_bytes(2, "little")
        rig.command(
            data
        )  # the host's builder refuses < 334 ms; a raw write is how a faulty host would send it
        now = fw.clock.ticks_ms()
        levels = led_trace(rig.cues, now, 3 * max(period_ms, 334) + 10)
        assert levels.max() >= brightness * 0.9  # it does pulse
        edges = rising_edges_ms(levels, brightness / 2)
        assert len(edges) >= 2
        assert np.diff(edges).min() >= 333  # 1000 / 334 ms: at most 3 flashes a second
        assert np.diff(edges).min() >= max(period_ms, 334) - 2

    check()


def test_identify_blinks_once_a_second_then_the_led_goes_back_to_its_pattern(fw: Firmware) -> None:
    rig = board_puck(fw, None)
    rig.command(fp.set_led(0, 90, 0, fp.LedPattern.SOLID))
    rig.command(fp.identify(3))
    now = fw.clock.ticks_ms()
    levels = led_trace(rig.cues, now, 5000)
    assert levels[0] == 255
    assert rising_edges_ms(levels[:3000], 127).tolist() == [1000, 2000]  # 1 Hz while identifying
    assert int((levels[:3000] == 255).sum()) == 1500  # on half of each second
    assert set(levels[3000:].tolist()) == {90}  # then the solid colour again


def test_vibrate_gives_repeat_pulses_of_the_asked_length_and_strength(fw: Firmware) -> None:
    rig = board_puck(fw, None)
    rig.command(fp.vibrate(strength_pct=70, duration_ms=120, repeat=3))
    now = fw.clock.ticks_ms()
    buzz = np.array([rig.cues.buzz(now + t) for t in range(1000)])
    on = buzz > 0
    starts = np.flatnonzero(on[1:] & ~on[:-1]) + 1
    assert on[0]
    assert [0, *starts.tolist()] == [0, 240, 480]  # pulse, equal gap, pulse ...
    assert int(on.sum()) == 3 * 120
    assert set(buzz[on].tolist()) == {70}


def test_levels_reach_the_pwm_pins(fw: Firmware) -> None:
    rig = board_puck(fw, None)
    rig.board.show(255, 0)
    assert fw.machine.PWMS[19].duty == 65535  # the red LED, fully on
    assert fw.machine.PWMS[2].duty == 0  # the buzzer, silent
    rig.board.show(0, 100)
    assert fw.machine.PWMS[19].duty == 0
    assert fw.machine.PWMS[2].duty == 32768  # loudest at half duty
