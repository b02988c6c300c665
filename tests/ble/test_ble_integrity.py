"""SequenceTracker and DeviceClockMapper: properties over arbitrary streams, wraps, chunking, drift."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repquest.ble import DeviceClockMapper, SequenceTracker
from repquest.ble.integrity import nearest_congruent

# -- SequenceTracker -----------------------------------------------------------------------------------------


@st.composite
def damaged_streams(draw: st.DrawFn) -> tuple[int, list[int], list[int]]:
    """Consecutive sequence numbers from anywhere (so they may wrap), then loss, duplicates and swaps."""
    start = draw(st.integers(0, 65535))
    n = draw(st.integers(1, 400))
    p_loss, p_dup, p_swap = (draw(st.sampled_from([0.0, 0.02, 0.1, 0.5])) for _ in range(3))
    rnd = random.Random(draw(st.integers(0, 2**32)))  # one draw: fast, and reproducible from the example
    sent = list(range(start, start + n))
    out: list[int] = []
    for s in sent:
        if rnd.random() >= p_loss:
            out.append(s)
            if rnd.random() < p_dup:
                out.append(s)
    for i in range(len(out) - 1):
        if rnd.random() < p_swap:
            out[i], out[i + 1] = out[i + 1], out[i]  # swap with the next
    return start, sent, [s & 0xFFFF for s in out]


@given(damaged_streams(), st.lists(st.integers(1, 50), min_size=1, max_size=20))
@settings(max_examples=200, deadline=None)
def test_every_packet_delivered_at_most_once_in_order_and_gaps_counted(
    stream: tuple[int, list[int], list[int]], chunk_sizes: list[int]
) -> None:
    _, _, received = stream
    tracker = SequenceTracker()
    verdicts: list[int | None] = []
    i = 0
    k = 0
    while i < len(received):  # arbitrary chunking of the same stream
        size = chunk_sizes[k % len(chunk_sizes)]
        verdicts += tracker.feed(received[i : i + size])
        i += size
        k += 1
    assert verdicts == SequenceTracker().feed(received)
    delivered = [s for s, v in zip(received, verdicts, strict=True) if v is not None]
    if not delivered:
        assert tracker.lost == tracker.received == 0
        return
    # Unwrap what was delivered: it must be strictly increasing (in order, never twice).
    unwrapped = np.cumsum([0] + [(b - a) % 65536 for a, b in itertools.pairwise(delivered)])
    assert np.all(np.diff(unwrapped) > 0)
    assert len(delivered) == len(set(delivered))
    # Everything between the first and the last delivered is either delivered or counted lost.
    span = int(unwrapped[-1]) + 1
    assert tracker.received == len(delivered)
    assert tracker.lost == span - len(delivered)
    assert sum(v for v in verdicts if v is not None) == tracker.lost
    assert tracker.received + tracker.duplicates + tracker.stale == len(received)


def test_wrap_is_a_step_of_one() -> None:
    tracker = SequenceTracker()
    assert tracker.feed([65534, 65535, 0, 1]) == [0, 0, 0, 0]
    assert tracker.accept(3) == 1
    assert tracker.index == 5


def test_duplicate_and_stale_are_told_apart() -> None:
    tracker = SequenceTracker()
    assert tracker.feed([10, 12, 12, 11, 10]) == [0, 1, None, None, None]
    assert (tracker.duplicates, tracker.stale, tracker.lost) == (2, 1, 1)


def test_a_restarted_counter_resyncs_after_a_run_of_stale_packets() -> None:
    tracker = SequenceTracker(resync_after=4)
    tracker.feed(range(1000, 1010))
    verdicts = tracker.feed(range(0, 10))
    assert verdicts[:3] == [None, None, None]
    assert verdicts[3] == 0
    assert all(v == 0 for v in verdicts[4:])
    assert tracker.resyncs == 1


def test_expected_gap_resolves_gaps_beyond_half_the_sequence_space() -> None:
    tracker = SequenceTracker()
    tracker.accept(100)
    gap = 50_000  # seq 100 + 50_000 looks like a late packet without the hint
    assert tracker.accept((100 + gap) % 65536, expected_gap=gap * 1.01) == gap - 1
    tracker2 = SequenceTracker()
    tracker2.accept(100)
    assert tracker2.accept((100 + 70_000) % 65536, expected_gap=70_000) == 69_999  # more than one wrap


# -- DeviceClockMapper ---------------------------------------------------------------------------------------


def simulate_mapping(
    ppm: float,
    jitter_s: float,
    seconds: float,
    *,
    seed: int = 0,
    per: int = 15,
    rate: int = 100,
    offset_s=5.0,
) -> tuple[np.ndarray, DeviceClockMapper]:
    """Feed a mapper notifications from a puck whose clock errs by ``ppm``; return host-time errors (s)."""
    rng = np.random.default_rng(seed)
    mapper = DeviceClockMapper()
    period_us = 1_000_000 // rate
    errors = []
    dev0_us = 12_345_678
    for k in range(int(seconds * rate / per)):
        first_dev_us = dev0_us + k * per * period_us
        dev_us = first_dev_us + np.arange(per) * period_us
        true_s = offset_s + (dev_us - dev0_us) / (1e6 * (1 + ppm * 1e-6))
        arrival = true_s[-1] + rng.uniform(0, jitter_s) + 0.002 * (rng.random() < 0.05)
        host = mapper.map(first_dev_us % (1 << 24), per, rate, float(arrival), 1 if k else None)
        errors.append(host - true_s)
    return np.concatenate(errors), mapper


@pytest.mark.parametrize("ppm", [-100.0, 0.0, 100.0])
def test_mapper_tracks_drift_and_ignores_jitter(ppm: float) -> None:
    errors, mapper = simulate_mapping(ppm, jitter_s=0.008, seconds=120.0)
    settled = errors[len(errors) // 4 :]
    assert np.max(np.abs(settled)) < 0.003
    assert abs(np.median(settled)) < 0.0015
    assert mapper.drift_ppm == pytest.approx(ppm, abs=25)


def test_mapper_unwraps_across_many_u24_wraps_and_long_gaps() -> None:
    mapper = DeviceClockMapper()
    per, period = 15, 10_000
    t0 = 16_000_000
    mapper.map(t0 % (1 << 24), per, 100, 100.0, None)
    # 40 s later (more than two 16.78 s wraps), with 266 notifications lost.
    packets = 267
    dev = t0 + packets * per * period
    host = mapper.map(dev % (1 << 24), per, 100, 100.0 + (dev - t0) / 1e6 + 0.001, packets)
    assert host[0] == pytest.approx(100.0 + (dev - t0) / 1e6 - 0.14, abs=0.002)
    assert mapper.reanchors == 0


def test_mapper_reanchors_when_the_puck_clock_restarts() -> None:
    mapper = DeviceClockMapper()
    for k in range(100):
        mapper.map((5_000_000 + k * 150_000) % (1 << 24), 15, 100, 10.0 + k * 0.15 + 0.14, 1)
    host = mapper.map(20_000, 15, 100, 40.0, 1)  # rebooted puck: its clock starts near zero
    assert mapper.reanchors == 1
    assert host[-1] <= 40.0
    assert host[-1] > 39.9


def test_host_times_never_exceed_arrival_and_always_increase() -> None:
    errors, _ = simulate_mapping(80.0, jitter_s=0.02, seconds=30.0, per=1, seed=3)
    assert np.all(np.isfinite(errors))
    mapper = DeviceClockMapper()
    last = -np.inf
    for k in range(500):
        arrival = k * 0.01 + 0.005 * ((k * 7919) % 13) / 13
        host = mapper.map((k * 10_000) % (1 << 24), 1, 100, arrival, 1 if k else None)
        assert host[-1] <= arrival + 1e-9
        assert host[0] > last
        last = host[-1]


def test_nearest_congruent() -> None:
    m = 1 << 24
    assert nearest_congruent(5, 3 * m + 10) == 3 * m + 5
    assert nearest_congruent(m - 5, 2 * m + 3) == 2 * m - 5
