"""Physics of the IMU synthesis: gravity, rotation rate, lever-arm accelerations, mounting invariance."""

from __future__ import annotations

import numpy as np
import pytest

from repquest.simulator.exercise_models import EXERCISE_IDS, build_set
from repquest.simulator.gait import Gait, Placement
from repquest.simulator.imu import GRAVITY_M_S2, SensorErrors, dequantise, quantise, synthesize_imu
from repquest.simulator.motion import FloatArray, axis_rotation, random_rotation
from repquest.simulator.walks import simulate_walk

HINGE_IDS = [e for e in EXERCISE_IDS if e not in ("walking", "squeeze")]


def _spin(rate_dps: float) -> tuple[FloatArray, FloatArray]:
    """Constant-rate turn about world z, joint at the origin."""

    def pose(t_s: FloatArray) -> tuple[FloatArray, FloatArray]:
        return axis_rotation(np.array([0.0, 0.0, 1.0]), rate_dps * t_s), np.zeros((t_s.shape[0], 3))

    t = np.linspace(0.0, 2.0, 201)
    return synthesize_imu(pose, t, lever_arm_m=[0.5, 0.0, 0.0], mounting=np.eye(3))


def test_constant_spin_reads_rate_gravity_and_centripetal() -> None:
    acc, gyr = _spin(90.0)
    np.testing.assert_allclose(gyr, np.tile([0.0, 0.0, 90.0], (len(gyr), 1)), atol=1e-6)
    centripetal_g = np.deg2rad(90.0) ** 2 * 0.5 / GRAVITY_M_S2
    # Specific force points at the axis (towards -x in the segment frame) and +1 g up.
    np.testing.assert_allclose(acc, np.tile([-centripetal_g, 0.0, 1.0], (len(acc), 1)), atol=1e-6)


def test_tangential_acceleration_of_a_speeding_up_turn() -> None:
    alpha_dps2 = 40.0

    def pose(t_s: FloatArray) -> tuple[FloatArray, FloatArray]:
        angle = 0.5 * alpha_dps2 * t_s**2
        return axis_rotation(np.array([0.0, 0.0, 1.0]), angle), np.zeros((t_s.shape[0], 3))

    t = np.array([0.0, 0.5, 1.0])
    acc, gyr = synthesize_imu(pose, t, lever_arm_m=[0.3, 0.0, 0.0], mounting=np.eye(3))
    tangential_g = np.deg2rad(alpha_dps2) * 0.3 / GRAVITY_M_S2
    np.testing.assert_allclose(acc[:, 1], tangential_g, rtol=1e-5)
    np.testing.assert_allclose(gyr[:, 2], alpha_dps2 * t, atol=1e-6)


@pytest.mark.parametrize("exercise", HINGE_IDS)
def test_accelerometer_reads_one_g_at_rest(exercise: str) -> None:
    sim = build_set(exercise, 2, seed=3, noise=False, start_rest_s=2.0)
    norm = np.linalg.norm(sim.sample(np.linspace(0.2, 1.8, 161))[0], axis=1)
    assert norm.mean() == pytest.approx(1.0, abs=0.003)
    np.testing.assert_allclose(norm, 1.0, atol=0.02)  # tremor rides on it


def test_gravity_direction_follows_mounting() -> None:
    neutral = build_set("leg_raise", 1, seed=1, mounting="neutral", noise=False)
    acc, _, _ = neutral.sample(np.array([0.5]))
    np.testing.assert_allclose(acc[0], [0.0, 0.0, 1.0], atol=0.01)
    m = random_rotation(np.random.default_rng(5))
    turned = build_set("leg_raise", 1, seed=1, mounting=m, noise=False)
    acc_m, _, _ = turned.sample(np.array([0.5]))
    np.testing.assert_allclose(acc_m[0], m.T @ acc[0], atol=1e-9)


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_rate_and_acc_magnitudes_do_not_depend_on_mounting(exercise: str) -> None:
    t = np.linspace(0.0, 20.0, 2001)
    a_n, g_n, f_n = build_set(exercise, 3, seed=2, mounting="neutral", noise=False).sample(t)
    m = random_rotation(np.random.default_rng(11))
    a_m, g_m, f_m = build_set(exercise, 3, seed=2, mounting=m, noise=False).sample(t)
    np.testing.assert_allclose(np.linalg.norm(g_m, axis=1), np.linalg.norm(g_n, axis=1), atol=1e-9)
    np.testing.assert_allclose(np.linalg.norm(a_m, axis=1), np.linalg.norm(a_n, axis=1), atol=1e-9)
    np.testing.assert_allclose(g_m, g_n @ m, atol=1e-9)
    np.testing.assert_array_equal(f_m, f_n)


@pytest.mark.parametrize("exercise", HINGE_IDS)
def test_integrated_gyro_reproduces_rep_amplitude(exercise: str) -> None:
    sim = build_set(exercise, 4, seed=7, noise=False)
    for rep in sim.truth.rep_events:
        t = np.arange(rep.t_start_s, rep.t_peak_s, 0.002)
        _, gyr, _ = sim.sample(t)
        # Trapezoid integral of the body rate; the joint axis is fixed in the segment: its norm is the angle.
        turned = np.linalg.norm(((gyr[1:] + gyr[:-1]) * 0.5 * np.diff(t)[:, None]).sum(axis=0))
        assert turned == pytest.approx(rep.amplitude_deg, rel=0.03)


@pytest.mark.parametrize("placement", ["shank", "thigh"])  # a foot turns fastest at push-off, in stance
@pytest.mark.parametrize("gait", ["healthy", "hemi_affected", "hemi_unaffected"])
def test_walking_swing_has_the_largest_rate_and_heel_strikes_ring(placement: Placement, gait: Gait) -> None:
    sim = simulate_walk(placement, gait, 6, seed=4, noise=False, turn=False)
    t = sim.time_axis(400.0)
    acc, gyr, _ = sim.sample(t)
    rate = np.linalg.norm(gyr, axis=1)
    for rep in sim.truth.rep_events:
        swing = (t >= rep.t_start_s) & (t <= rep.t_peak_s)
        stance = (t > rep.t_peak_s + 0.1) & (t < rep.t_end_s - 0.1)
        assert rate[swing].max() > 30.0
        assert rate[swing].max() > 1.3 * rate[stance].max()
        strike = (t >= rep.t_peak_s) & (t < rep.t_peak_s + 0.06)
        # A weak hemiparetic leg lands softly: still a clear jolt, well above the sensor noise.
        assert np.abs(np.linalg.norm(acc[strike], axis=1) - 1.0).max() > 0.1


def test_walking_set_is_a_walk_on_the_shin() -> None:
    sim = build_set("walking", 6, seed=4)
    assert sim.truth.placement == "shank"
    assert sim.truth.steps == 6


def test_sensor_errors_add_bias_and_white_noise_of_the_stated_size() -> None:
    errors = SensorErrors.random(np.random.default_rng(0), key=9)
    t = np.arange(20000) / 100.0
    zeros = np.zeros((t.size, 3))
    acc, gyr, force = errors.apply(t, zeros, zeros, np.zeros(t.size))
    np.testing.assert_allclose(acc.mean(axis=0), errors.acc_bias_g, atol=3e-4)
    np.testing.assert_allclose(gyr.mean(axis=0), errors.gyr_bias_dps, atol=3e-3)
    np.testing.assert_allclose(acc.std(axis=0), 0.004, rtol=0.05)
    np.testing.assert_allclose(gyr.std(axis=0), 0.1, rtol=0.05)
    assert np.all(np.abs(errors.gyr_bias_dps) <= 1.0)
    assert not force.any()


def test_quantise_matches_the_protocol_scales() -> None:
    acc = np.array([[1.0, -0.5, 20.0]])
    gyr = np.array([[100.03, -3000.0, 0.0]])
    qa, qg, qf = quantise(acc, gyr, np.array([200.0]))
    assert qa.dtype == np.int16
    assert qa.tolist() == [[2048, -1024, 32767]]
    assert qg.tolist() == [[1600, -32768, 0]]
    assert qf.tolist() == [255]
    _, g, f = dequantise(qa, qg, qf)
    assert g[0, 0] == 100.0
    assert f[0] == 127.5
