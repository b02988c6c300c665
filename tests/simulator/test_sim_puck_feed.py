"""A simulated set drives the virtual puck, and the real decoder reads back what the set produced."""

from __future__ import annotations

import numpy as np
import pytest

from repquest.firmware_protocol import CONTROL_CHAR_UUID, DATA_CHAR_UUID, decode_notification, start_stream
from repquest.simulator.exercise_models import build_set
from repquest.simulator.imu import dequantise, quantise
from repquest.simulator.puck import VirtualPuck


@pytest.mark.parametrize(
    ("exercise", "rate_hz", "mtu"), [("knee_extension", 100, 23), ("squeeze", 200, 247), ("walking", 50, 100)]
)
def test_puck_streams_the_set_through_the_protocol(exercise: str, rate_hz: int, mtu: int) -> None:
    sim = build_set(exercise, 2, seed=5, rate_hz=rate_hz, start_rest_s=0.5)
    puck = VirtualPuck(source=sim, rate_hz=rate_hz, mtu=mtu)
    puck.write(CONTROL_CHAR_UUID, start_stream())
    blocks = [
        decode_notification(e.data) for e in puck.advance_to(sim.duration_s) if e.char_uuid == DATA_CHAR_UUID
    ]
    # Device time wraps every 2**24 us; with no clock drift and t0 = 0, the unwrapped time is true time.
    wraps = np.cumsum(np.diff([b.t0_us for b in blocks], prepend=0) < 0)
    t_s = np.concatenate([b.t_us + (w << 24) for b, w in zip(blocks, wraps, strict=True)]) / 1e6
    acc = np.concatenate([b.acc_g for b in blocks])
    gyr = np.concatenate([b.gyr_dps for b in blocks])
    force = np.concatenate([b.force_n for b in blocks])
    assert t_s[-1] > sim.duration_s - 0.2
    expected = dequantise(*quantise(*sim.sample(t_s)))
    np.testing.assert_array_equal(acc, expected[0])
    np.testing.assert_array_equal(gyr, expected[1])
    np.testing.assert_array_equal(force, expected[2])
