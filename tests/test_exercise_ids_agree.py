"""The engine, the simulator and the catalog agree on the exercise ids of DESIGN.md's contract."""

from __future__ import annotations

from repquest.dsp import EXERCISE_IDS as ENGINE_IDS
from repquest.exercises import default_catalog
from repquest.simulator import EXERCISE_IDS as SIMULATOR_IDS

CONTRACT_IDS = {
    "knee_extension", "leg_raise", "prone_leg_raise", "seated_march", "leg_hug", "knee_twist", "leg_crossover",
    "ankle_pump", "heel_slide", "sit_to_stand", "walking", "arm_raise", "bicep_curl", "wrist_turn", "squeeze",
    "generic",
}  # fmt: skip


def test_engine_and_simulator_know_the_same_exercises() -> None:
    assert set(ENGINE_IDS) == set(SIMULATOR_IDS)
    assert set(ENGINE_IDS) >= CONTRACT_IDS


def test_every_catalog_exercise_runs_on_an_engine_exercise() -> None:
    catalog = default_catalog()
    engines = {exercise.engine for exercise in catalog.values()}
    assert engines <= set(ENGINE_IDS)
