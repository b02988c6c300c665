"""Motion primitives: knot tracks, rotations, time-keyed noise."""

from __future__ import annotations

import numpy as np
import pytest

from repquest.simulator.motion import (
    MIN_JERK_PEAK_SPEED,
    KnotTrack,
    axis_rotation,
    gaussian_noise,
    min_jerk,
    random_rotation,
)


def test_min_jerk_starts_and_stops_smoothly() -> None:
    tau = np.linspace(0.0, 1.0, 100001)
    s = min_jerk(tau)
    assert s[0] == 0.0
    assert s[-1] == 1.0
    speed = np.gradient(s, tau)
    assert speed[0] == pytest.approx(0.0, abs=1e-4)
    assert speed.max() == pytest.approx(MIN_JERK_PEAK_SPEED, rel=1e-6)


def test_knot_track_passes_through_knots_and_holds_outside() -> None:
    track = KnotTrack.from_pairs([(1.0, 0.0), (2.0, 10.0), (4.0, 10.0), (5.0, -3.0)])
    t = np.array([0.0, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 9.0])
    np.testing.assert_allclose(track(t), [0.0, 0.0, 5.0, 10.0, 10.0, 10.0, -3.0, -3.0])


def test_knot_times_must_increase() -> None:
    with pytest.raises(ValueError, match="increasing"):
        KnotTrack.from_pairs([(1.0, 0.0), (1.0, 2.0)])


def test_rotations_are_proper() -> None:
    rng = np.random.default_rng(0)
    for _ in range(20):
        m = random_rotation(rng)
        np.testing.assert_allclose(m @ m.T, np.eye(3), atol=1e-12)
        assert np.linalg.det(m) == pytest.approx(1.0)
    r = axis_rotation(np.array([0.0, 0.0, 1.0]), np.array([90.0]))[0]
    np.testing.assert_allclose(r @ [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], atol=1e-12)


def test_noise_is_standard_normal_and_keyed_on_time() -> None:
    t = np.arange(50000) / 400.0
    z = gaussian_noise(t, 7, key=3)
    assert z.shape == (50000, 7)
    np.testing.assert_allclose(z.mean(axis=0), 0.0, atol=0.03)
    np.testing.assert_allclose(z.std(axis=0), 1.0, atol=0.03)
    assert abs(np.corrcoef(z[:-1, 0], z[1:, 0])[0, 1]) < 0.03
    np.testing.assert_array_equal(gaussian_noise(t[1234:1240], 7, key=3), z[1234:1240])
    assert not np.array_equal(gaussian_noise(t[:100], 7, key=4), z[:100])
