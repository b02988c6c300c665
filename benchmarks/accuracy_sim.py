"""Rep-count accuracy of the movement engine on randomised simulated sets.

Every set: random exercise, rep count, seed, mounting and rate (50-400 Hz); sensor noise and bias; 2 % of
8-sample notifications dropped (gaps in time, as a lossy BLE link gives). Fed through ``MovementEngine.feed``
one notification at a time, as live, then ``finish`` (the end of the set, as ``repquest count`` ends a file).
Prints exact-count share, worst error, per-exercise errors and hold
duration errors, with a per-exercise table (every exercise of the catalog, plus ``generic``).
Usage: ``python benchmarks/accuracy_sim.py [N_SETS] [SEED] [ID,ID,...]``.
"""

from __future__ import annotations

import sys
from collections import defaultdict

import numpy as np

from repquest.dsp import HoldCompleted, MovementEngine, Press, RepCompleted, Step
from repquest.exercises import engine_settings_for
from repquest.simulator.exercise_models import EXERCISE_IDS, build_set

RATES_HZ = (50, 100, 200, 400)
NOTIFICATION = 8
LOSS = 0.02


def run_one(exercise: str, reps: int, seed: int, rate_hz: int) -> tuple[int, int, list[float]]:
    """Count one simulated set; returns (truth count, engine count, hold duration errors in s)."""
    sim = build_set(exercise, reps, seed=seed, rate_hz=rate_hz, mounting="random")
    t = sim.time_axis()
    acc, gyr, force = sim.sample(t)
    rng = np.random.default_rng(seed)
    engine = MovementEngine(engine_settings_for(exercise), rate_hz)
    counted = 0
    holds: list[float] = []
    blocks = [slice(start, start + NOTIFICATION) for start in range(0, t.shape[0], NOTIFICATION)]
    received = [sl for sl in blocks if rng.random() >= LOSS]
    events = [e for sl in received for e in engine.feed(t[sl], acc[sl], gyr[sl], force[sl])]
    for event in events + engine.finish():  # the end of the set, as ``repquest count`` ends a file
        if isinstance(
            event, Step if exercise == "walking" else Press if exercise == "squeeze" else RepCompleted
        ):
            counted += 1
        elif isinstance(event, HoldCompleted):
            holds.append(event.duration_s)
    truth = sim.truth
    want = (
        truth.steps if exercise == "walking" else len(truth.presses) if exercise == "squeeze" else truth.reps
    )
    errors = [abs(a - b.duration_s) for a, b in zip(holds, truth.holds, strict=False)]
    errors += [99.0] * abs(len(holds) - len(truth.holds))
    return want, counted, errors


def main() -> None:
    n_sets = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    rng = np.random.default_rng(int(sys.argv[2]) if len(sys.argv) > 2 else 2026)
    only = sys.argv[3].split(",") if len(sys.argv) > 3 else list(EXERCISE_IDS)
    per_ex: dict[str, list[int]] = defaultdict(list)
    per_hold: dict[str, list[float]] = defaultdict(list)
    exact = 0
    worst = 0
    for i in range(n_sets):
        exercise = only[i % len(only)]
        reps = int(rng.integers(3, 16))
        rate = int(rng.choice(RATES_HZ))
        seed = int(rng.integers(1 << 31))
        want, got, herr = run_one(exercise, reps, seed, rate)
        if got != want:
            print(f"  miss: {exercise} reps={reps} seed={seed} rate={rate}: counted {got}, truth {want}")
        per_ex[exercise].append(got - want)
        per_hold[exercise] += herr
        exact += got == want
        worst = max(worst, abs(got - want))
    print(f"sets {n_sets}: exact {exact / n_sets:.1%}, worst |error| {worst}")
    print("| exercise | sets | exact | worst | holds within 0.5 s |")
    print("| --- | --- | --- | --- | --- |")
    for exercise in only:
        errs = per_ex[exercise]
        holds = per_hold[exercise]
        good = sum(e == 0 for e in errs)
        hold_text = f"{sum(e <= 0.5 for e in holds)}/{len(holds)}" if holds else "-"
        print(f"| {exercise} | {len(errs)} | {good}/{len(errs)} | {max(map(abs, errs))} | {hold_text} |")
    hold_errors = [e for errs in per_hold.values() for e in errs]
    if hold_errors:
        within = sum(e <= 0.5 for e in hold_errors)
        print(f"holds: {within}/{len(hold_errors)} within 0.5 s; median error {np.median(hold_errors):.2f} s")


if __name__ == "__main__":
    main()
