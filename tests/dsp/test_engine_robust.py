"""The engine takes any motion without failing: random bursts about random axes, rests, gaps, every kind."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from repquest.dsp import MovementEngine, RepCompleted
from repquest.exercises import engine_settings_for

IDS = ("knee_extension", "leg_hug", "knee_twist", "walking", "generic", "squeeze")


@st.composite
def motions(draw: st.DrawFn) -> tuple[str, float, np.ndarray, np.ndarray, np.ndarray]:
    exercise = draw(st.sampled_from(IDS))
    rate = draw(st.sampled_from([25.0, 50.0, 100.0, 200.0]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    gyr_parts = []
    base = rng.normal(size=3)
    for _ in range(draw(st.integers(1, 16))):
        n = int(rate * rng.uniform(0.3, 5.0))
        kind = rng.random()
        if kind < 0.3:
            gyr_parts.append(np.zeros((n, 3)))
            continue
        # Mostly out-and-back repetitions about a wobbling axis (small and big), sometimes a burst anywhere.
        axis = base + rng.normal(0.0, 0.3, 3) if kind < 0.8 else rng.normal(size=3)
        axis /= np.linalg.norm(axis)
        amplitude_deg = rng.uniform(1.0, 90.0)
        phase = np.linspace(0.0, 2.0 * np.pi * rng.integers(1, 3), n)
        rate_dps = amplitude_deg * np.pi * rate / n * np.sin(phase)
        gyr_parts.append(rate_dps[:, None] * axis)
    gyr = np.vstack(gyr_parts) + rng.normal(0.0, 0.5, (sum(len(p) for p in gyr_parts), 3))
    n = gyr.shape[0]
    acc = np.tile(rng.normal(size=3), (n, 1))
    acc /= np.linalg.norm(acc, axis=1, keepdims=True)
    acc += rng.normal(0.0, 0.02, acc.shape)
    t = np.arange(n) / rate
    if n > 10 and rng.random() < 0.5:
        keep = rng.random(n) > 0.05  # lost samples
        keep[0] = True
        t, acc, gyr = t[keep], acc[keep], gyr[keep]
    return exercise, rate, t, acc, gyr


@settings(max_examples=150, deadline=None)
@given(motions())
def test_any_motion_gives_events_never_an_error(
    case: tuple[str, float, np.ndarray, np.ndarray, np.ndarray],
) -> None:
    exercise, rate, t, acc, gyr = case
    engine = MovementEngine(engine_settings_for(exercise), rate)
    events = []
    for start in range(0, t.shape[0], 8):
        events += engine.feed(t[start : start + 8], acc[start : start + 8], gyr[start : start + 8])
    events += engine.finish()
    reps = [e for e in events if isinstance(e, RepCompleted)]
    assert all(e.rom_deg >= 0.0 and e.duration_s >= 0.0 for e in reps)
    assert 0.0 <= engine.progress <= 1.0
