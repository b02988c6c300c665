"""Exercise models: every id builds, truth is consistent, sampling is deterministic and chunk-independent."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repquest.errors import UsageError
from repquest.simulator.exercise_models import EXERCISE_IDS, build_set
from repquest.simulator.puck import MotionSource

EXPECTED_IDS = (
    "knee_extension",
    "leg_raise",
    "prone_leg_raise",
    "seated_march",
    "leg_hug",
    "knee_twist",
    "leg_crossover",
    "ankle_pump",
    "heel_slide",
    "sit_to_stand",
    "walking",
    "arm_raise",
    "bicep_curl",
    "wrist_turn",
    "squeeze",
    "generic",
    "leg_hug_both",
    "leg_hug_passive",
    "knee_extension_passive",
    "ankle_pump_passive",
    "heel_slide_passive",
    "arm_raise_passive",
    "wall_stretch",
    "leg_press",
    "reach",
    "free_movement",
)


def test_exercise_ids_are_the_contract_list() -> None:
    assert EXPECTED_IDS == EXERCISE_IDS


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
@pytest.mark.parametrize("reps", [0, 1, 7])
def test_every_exercise_builds_with_the_asked_rep_count(exercise: str, reps: int) -> None:
    sim = build_set(exercise, reps, seed=reps)
    source: MotionSource = sim
    truth = sim.truth
    assert truth.exercise == exercise
    assert truth.reps == reps == len(truth.rep_events)
    assert sim.duration_s >= 2.0
    acc, gyr, force = source.sample(sim.time_axis())
    n = sim.time_axis().size
    assert acc.shape == gyr.shape == (n, 3)
    assert force.shape == (n,)
    assert np.isfinite(np.column_stack([acc, gyr, force])).all()
    ends = [r.t_end_s for r in truth.rep_events]
    assert all(0.0 < r.t_start_s < r.t_peak_s < r.t_end_s < sim.duration_s for r in truth.rep_events)
    assert ends == sorted(ends)


def test_unknown_exercise_is_a_usage_error_naming_the_valid_ids() -> None:
    with pytest.raises(UsageError, match=r"knee_extension.*generic"):
        build_set("moonwalk", 3)


@pytest.mark.parametrize("bad", [np.eye(4), np.diag([1.0, 1.0, -1.0]), 2 * np.eye(3)])
def test_mounting_must_be_a_rotation(bad: np.ndarray) -> None:
    with pytest.raises(UsageError):
        build_set("leg_raise", 1, mounting=bad)


def test_same_seed_same_bytes_and_different_seed_different() -> None:
    def raw(seed: int) -> bytes:
        sim = build_set("knee_extension", 5, seed=seed)
        return b"".join(a.tobytes() for a in sim.sample(sim.time_axis()))

    assert raw(3) == raw(3)
    assert raw(3) != raw(4)
    assert build_set("knee_extension", 5, seed=3).truth == build_set("knee_extension", 5, seed=3).truth


@settings(max_examples=25, deadline=None)
@given(
    exercise=st.sampled_from(EXERCISE_IDS),
    seed=st.integers(0, 2**40),
    cuts=st.lists(st.integers(1, 3000), min_size=1, max_size=6),
)
def test_chunked_sampling_equals_one_shot(exercise: str, seed: int, cuts: list[int]) -> None:
    sim = build_set(exercise, 3, seed=seed)
    t = sim.time_axis(200.0)[:3000]
    whole = sim.sample(t)
    parts = [sim.sample(chunk) for chunk in np.split(t, sorted(set(cuts)))]
    for k in range(3):
        np.testing.assert_array_equal(np.concatenate([p[k] for p in parts]), whole[k])


def test_random_mounting_follows_the_seed() -> None:
    a = build_set("leg_raise", 2, seed=1).truth.mounting
    assert a == build_set("leg_raise", 2, seed=1).truth.mounting
    assert a != build_set("leg_raise", 2, seed=2).truth.mounting
    assert build_set("leg_raise", 2, mounting="neutral").truth.mounting == ((1, 0, 0), (0, 1, 0), (0, 0, 1))


def test_rep_amplitudes_and_tempo_vary_like_a_person() -> None:
    truth = build_set("knee_extension", 30, seed=5).truth
    amps = np.array([r.amplitude_deg for r in truth.rep_events])
    spread = (amps.max() - amps.min()) / np.median(amps)
    assert 0.15 < spread < 0.55
    slow = [r for r in truth.rep_events if not r.too_fast]
    durations = np.array([r.t_end_s - r.t_start_s for r in slow])
    assert durations.min() >= 1.5
    assert durations.max() <= 8.0
    assert durations.std() > 0.2


@pytest.mark.parametrize("exercise", [e for e in EXERCISE_IDS if e not in ("walking", "squeeze")])
def test_too_fast_flag_separates_rep_speeds_at_the_limit(exercise: str) -> None:
    truth = build_set(exercise, 40, seed=8).truth
    fast = [r.peak_speed_dps for r in truth.rep_events if r.too_fast]
    calm = [r.peak_speed_dps for r in truth.rep_events if not r.too_fast]
    assert fast
    assert calm
    assert min(fast) > truth.speed_limit_dps > max(calm)


def test_too_fast_reps_really_turn_faster() -> None:
    sim = build_set("bicep_curl", 20, seed=2, noise=False)
    t = sim.time_axis(200.0)
    _, gyr, _ = sim.sample(t)
    rate = np.linalg.norm(gyr, axis=1)
    for rep in sim.truth.rep_events:
        in_rep = (t >= rep.t_start_s) & (t <= rep.t_end_s)
        assert rate[in_rep].max() == pytest.approx(rep.peak_speed_dps, rel=0.05)


def test_distractors_fall_between_reps_and_are_small() -> None:
    truth = build_set("seated_march", 40, seed=6).truth
    assert truth.distractors
    kinds = {d.kind for d in truth.distractors}
    assert kinds <= {"fidget", "partial", "other_leg"}
    smallest = min(r.amplitude_deg for r in truth.rep_events)
    for d in truth.distractors:
        assert d.amplitude_deg < 0.5 * smallest
        assert not any(r.t_start_s < d.t_end_s and d.t_start_s < r.t_end_s for r in truth.rep_events)


def test_leg_hug_holds_last_ten_to_fifteen_seconds() -> None:
    truth = build_set("leg_hug", 5, seed=1).truth
    assert len(truth.holds) == 5
    for hold, rep in zip(truth.holds, truth.rep_events, strict=True):
        assert 10.0 <= hold.duration_s <= 15.0
        assert hold.t_start_s == rep.t_peak_s
        assert rep.t_end_s > hold.t_start_s + hold.duration_s


def test_knee_twist_alternates_sides() -> None:
    sim = build_set("knee_twist", 6, seed=3, mounting="neutral", noise=False)
    assert [r.side for r in sim.truth.rep_events] == [1, -1, 1, -1, 1, -1]
    # The thigh rolls about the body's long axis (x): the rate sign at the start of each rep alternates.
    signs = []
    for rep in sim.truth.rep_events:
        _, gyr, _ = sim.sample(np.array([(rep.t_start_s + rep.t_peak_s) / 2]))
        signs.append(np.sign(gyr[0, 0]))
    assert signs == [1, -1, 1, -1, 1, -1]


def test_walking_truth_counts_strides_of_the_puck_leg() -> None:
    sim = build_set("walking", 12, seed=9)
    truth = sim.truth
    assert truth.steps == 12 == truth.reps
    strides = np.diff([r.t_start_s for r in truth.rep_events])
    assert np.all((strides > 1.0) & (strides < 2.8))


def test_squeeze_presses_show_on_the_force_channel() -> None:
    sim = build_set("squeeze", 6, seed=2, noise=False)
    truth = sim.truth
    assert len(truth.presses) == 6 == truth.reps
    t = sim.time_axis()
    _, gyr, force = sim.sample(t)
    for press in truth.presses:
        during = (t >= press.t_s) & (t <= press.t_s + press.duration_s)
        assert force[during].max() == pytest.approx(press.peak_force_n, rel=0.02)
    pressed = np.zeros(t.size, dtype=bool)
    for press in truth.presses:
        pressed |= (t >= press.t_s) & (t <= press.t_s + press.duration_s)
    for touch in truth.distractors:
        pressed |= (t >= touch.t_start_s) & (t <= touch.t_end_s)
    assert not force[~pressed].any()
    assert np.abs(gyr).max() < 30.0  # the hand stays still-ish
