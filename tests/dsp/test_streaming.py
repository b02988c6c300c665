"""One engine, any chunking, any mounting: properties of the streaming path."""

from __future__ import annotations

import itertools
from functools import cache

import numpy as np
import numpy.typing as npt
from hypothesis import given, settings
from hypothesis import strategies as st

from repquest.dsp import HoldCompleted, MovementEngine, RepCompleted, principal_axis, twist_angle_deg
from repquest.dsp.events import Event
from repquest.exercises import engine_settings_for
from repquest.firmware_protocol import decode_notification, encode_notification
from repquest.simulator.exercise_models import build_set

FloatArray = npt.NDArray[np.float64]


@cache
def _set(exercise: str, seed: int) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, int]:
    sim = build_set(exercise, 6, seed=seed, rate_hz=50.0)
    t = sim.time_axis()
    acc, gyr, force = sim.sample(t)
    return t, acc, gyr, force, sim.truth.reps


def _run(
    exercise: str, data: tuple[FloatArray, ...], cuts: list[int], rotation: FloatArray | None = None
) -> list[Event]:
    t, acc, gyr, force = data[:4]
    if rotation is not None:
        acc, gyr = acc @ rotation.T, gyr @ rotation.T
    engine = MovementEngine(engine_settings_for(exercise), 50.0)
    events: list[Event] = []
    bounds = [0, *sorted(set(cuts)), t.shape[0]]
    for a, b in itertools.pairwise(bounds):
        events += engine.feed(t[a:b], acc[a:b], gyr[a:b], force[a:b])
    return events


def _summary(events: list[Event]) -> list[tuple[float, float]]:
    """Repetitions, then holds: each detector's events are in time order, whatever the chunking."""
    reps = [(e.t_s, e.rom_deg) for e in events if isinstance(e, RepCompleted)]
    holds = [(e.t_s, e.duration_s) for e in events if isinstance(e, HoldCompleted)]
    return [*reps, (-1.0, -1.0), *holds]


@settings(max_examples=12, deadline=None)
@given(
    st.sampled_from(["knee_extension", "leg_hug", "knee_twist"]), st.lists(st.integers(1, 2000), max_size=40)
)
def test_chunked_output_equals_one_shot(exercise: str, cuts: list[int]) -> None:
    data = _set(exercise, 3)
    one_shot = _summary(_run(exercise, data, []))
    chunked = _summary(_run(exercise, data, [c for c in cuts if c < data[0].shape[0]]))
    assert len(chunked) == len(one_shot)
    np.testing.assert_allclose(chunked, one_shot, rtol=1e-6, atol=1e-6)


def _random_rotation(rng: np.random.Generator) -> FloatArray:
    q, r = np.linalg.qr(rng.normal(size=(3, 3)))
    q = q * np.sign(np.diag(r))
    return q if np.linalg.det(q) > 0 else -q


def test_counts_do_not_depend_on_the_sensor_frame() -> None:
    data = _set("leg_raise", 5)
    base = sum(isinstance(e, RepCompleted) for e in _run("leg_raise", data, list(range(8, 5000, 8))))
    assert base == data[4]
    rng = np.random.default_rng(0)
    for _ in range(3):
        rotated = _run("leg_raise", data, list(range(8, 5000, 8)), _random_rotation(rng))
        assert sum(isinstance(e, RepCompleted) for e in rotated) == base


def test_principal_axis_of_a_hinge_and_twist_angle() -> None:
    axis = np.array([0.6, 0.0, 0.8])
    rates = np.outer(np.sin(np.linspace(0, 20, 500)), axis) * 90.0
    found = principal_axis(rates)
    assert abs(float(found @ axis)) > 0.9999
    half = np.radians(np.array([10.0, 100.0, 170.0, 190.0])) / 2
    q = np.column_stack([np.cos(half), np.outer(np.sin(half), axis)])
    np.testing.assert_allclose(twist_angle_deg(q, axis, 0.0), [10.0, 100.0, 170.0, 190.0], atol=1e-9)


def test_fidgets_and_rest_are_not_reps() -> None:
    t = np.arange(0, 30, 0.02)
    acc = np.tile([0.0, 0.0, 1.0], (t.shape[0], 1))
    gyr = np.zeros((t.shape[0], 3))
    gyr[:, 1] = 30.0 * np.sin(2 * np.pi * 6.0 * t) * (t > 10)  # 6 Hz tremor, under a degree each way
    gyr += np.random.default_rng(1).normal(0.0, 0.5, gyr.shape)
    engine = MovementEngine(engine_settings_for("generic"), 50.0)
    events = [
        e
        for s in range(0, t.shape[0], 10)
        for e in engine.feed(t[s : s + 10], acc[s : s + 10], gyr[s : s + 10])
    ]
    assert not [e for e in events if isinstance(e, RepCompleted)]


def test_presses_from_the_force_channel() -> None:
    t = np.arange(0, 12, 0.01)
    force = np.clip(np.sin(2 * np.pi * 0.4 * t), 0, None) ** 2 * 40.0
    acc = np.tile([0.0, 0.0, 1.0], (t.shape[0], 1))
    engine = MovementEngine(engine_settings_for("squeeze"), 100.0)
    for s in range(0, t.shape[0], 8):
        engine.feed(t[s : s + 8], acc[s : s + 8], np.zeros((len(t[s : s + 8]), 3)), force[s : s + 8])
    assert engine.presses.count == 5


@settings(max_examples=6, deadline=None)
@given(st.sampled_from([1, 3, 8, 15]), st.sampled_from([50, 100, 200]))
def test_live_notifications_give_the_events_of_the_offline_arrays(
    per_notification: int, rate_hz: int
) -> None:
    # Live: decoded notifications through feed_block (no numpy on the way); offline: the same samples as
    # arrays through feed. One engine path, so the same repetitions at the same times.
    sim = build_set("knee_extension", 5, seed=11, rate_hz=float(rate_hz))
    t = sim.time_axis()
    acc, gyr, force = sim.sample(t)
    period_us = 1_000_000 // rate_hz
    live, offline = (
        MovementEngine(engine_settings_for("knee_extension"), rate_hz),
        MovementEngine(engine_settings_for("knee_extension"), rate_hz),
    )
    live_events: list[Event] = []
    offline_events: list[Event] = []
    for k, start in enumerate(range(0, t.shape[0], per_notification)):
        sl = slice(start, start + per_notification)
        data = encode_notification(
            seq=k, t0_us=start * period_us, rate_hz=rate_hz, acc_g=acc[sl], gyr_dps=gyr[sl], force_n=force[sl]
        )
        block = decode_notification(data)
        t_s = block.times_s((start * period_us >> 24 << 24) * 1e-6)  # device time wraps every 16.8 s
        live_events += live.feed_block(t_s, block)
        offline_events += offline.feed(np.asarray(t_s), block.acc_g, block.gyr_dps, block.force_n)
    assert sum(isinstance(e, RepCompleted) for e in live_events) == sim.truth.reps
    assert _summary(live_events) == _summary(offline_events)
