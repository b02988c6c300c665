"""One exercise model: the catalog is the one list of exercises, and every part knows every id in it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from repquest.dsp import EngineSettings
from repquest.exercises import GENERIC, MOVEMENTS, default_catalog, engine_settings_for
from repquest.session_command import session_command
from repquest.simulator import EXERCISE_IDS as SIMULATOR_IDS
from repquest.simulator import build_set

CONTRACT_IDS = {
    "knee_extension", "leg_raise", "prone_leg_raise", "seated_march", "leg_hug", "knee_twist", "leg_crossover",
    "ankle_pump", "heel_slide", "sit_to_stand", "walking", "arm_raise", "bicep_curl", "wrist_turn", "squeeze",
    "generic",
}  # fmt: skip
CATALOG_IDS = tuple(default_catalog())


def test_the_simulator_has_a_motion_model_for_every_catalog_exercise() -> None:
    assert set(SIMULATOR_IDS) == {*CATALOG_IDS, GENERIC}


def test_the_contract_ids_are_all_accepted() -> None:
    assert set(default_catalog().ids()) >= CONTRACT_IDS


def test_every_catalog_exercise_runs_on_a_known_movement() -> None:
    assert {exercise.engine for exercise in default_catalog().values()} <= set(MOVEMENTS)


@pytest.mark.parametrize("exercise", [*CATALOG_IDS, GENERIC])
def test_every_id_builds_engine_settings_from_its_catalog_entry(exercise: str) -> None:
    settings = engine_settings_for(exercise)
    entry = default_catalog().resolve(exercise)
    assert isinstance(settings, EngineSettings)
    assert settings.kind == entry.detector
    if settings.kind not in ("gait", "press"):
        assert settings.too_fast_dps == entry.targets.speed_limit_dps
    if entry.kind == "hold":
        assert settings.hold_target_s == entry.targets.hold_s


def test_an_unknown_id_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match=r"knee_extension.*generic"):
        engine_settings_for("moonwalk")


@pytest.mark.parametrize("exercise", [ex for ex in CATALOG_IDS if ex not in ("walking", "squeeze")])
def test_the_simulated_person_s_calm_pace_is_half_the_catalog_limit(exercise: str) -> None:
    # The simulator marks reps above its calm limit as too fast; the catalog's limit (the engine's) sits at
    # twice it, where clearly hurried repetitions begin. A new model or catalog entry keeps the two in step.
    truth = build_set(exercise, 1, seed=1).truth
    assert default_catalog()[exercise].targets.speed_limit_dps == 2 * truth.speed_limit_dps


@pytest.mark.parametrize("exercise", ["generic", "leg_press", "arm_raise_passive"])
def test_a_session_runs_on_any_id(exercise: str, tmp_path: Path) -> None:
    out = io.StringIO()
    session_command(exercise, sim=True, reps=3, sets=None, data_dir=tmp_path, profile=None, seed=2, out=out)
    assert sum(line.startswith("rep ") for line in out.getvalue().splitlines()) == 3
