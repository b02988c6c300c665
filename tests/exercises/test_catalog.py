"""The catalog: every entry loads, covers the engine's ids, has reachable prerequisites and complete texts."""

from __future__ import annotations

import io
import json

import pytest

from repquest.exercises import MOVEMENTS as EXERCISE_IDS
from repquest.exercises import Catalog, default_catalog, from_mapping, load
from repquest.exercises.data import CATALOG_DATA
from repquest.progress import RULES
from repquest.session_command import exercises_command


def test_at_least_twenty_exercises_load() -> None:
    assert len(default_catalog()) >= 20
    assert len(default_catalog()) == len(CATALOG_DATA)


def test_every_engine_id_is_used_by_some_exercise() -> None:
    engines = {ex.engine for ex in default_catalog().values()}
    assert set(EXERCISE_IDS) <= engines


@pytest.mark.parametrize(
    "needed",
    ["leg_hug", "leg_hug_both", "knee_extension", "seated_march", "knee_twist", "leg_crossover", "wall_stretch",
     "leg_press", "walking", "ankle_pump", "leg_raise", "prone_leg_raise", "heel_slide", "sit_to_stand",
     "arm_raise", "bicep_curl", "wrist_turn", "squeeze", "reach"],
)  # fmt: skip
def test_the_brief_s_exercises_are_present(needed: str) -> None:
    assert needed in default_catalog()


def test_passive_caregiver_versions_exist_and_say_so() -> None:
    passive = [ex for ex in default_catalog().values() if ex.passive]
    assert len(passive) >= 3
    assert all("helper" in ex.safety.lower() for ex in passive)


def test_leg_hug_dosing_follows_the_brief() -> None:
    hug = default_catalog()["leg_hug"]
    assert hug.kind == "hold"
    assert 10 <= hug.targets.hold_s <= 15
    assert 5 <= hug.targets.reps <= 10
    both = default_catalog()["leg_hug_both"]
    assert any(p.exercise == "leg_hug" for p in both.prerequisites)


def test_prerequisites_exist_and_are_reachable_levels() -> None:
    catalog = default_catalog()
    for ex in catalog.values():
        for p in ex.prerequisites:
            assert p.exercise in catalog
            assert 1 < p.level <= RULES.max_level


def test_every_entry_has_instructions_avoid_and_a_safety_note() -> None:
    for ex in default_catalog().values():
        assert ex.instructions
        assert ex.avoid
        assert ex.safety
        assert "stop" in ex.safety.lower() or "helper" in ex.safety.lower()
        assert ex.start_position
        assert ex.body_part


def test_json_listing_has_the_contract_fields() -> None:
    out = io.StringIO()
    assert exercises_command(True, out) == 0
    listed = json.loads(out.getvalue())["exercises"]
    assert len(listed) == len(default_catalog())
    for entry in listed:
        assert {"id", "name", "body_part", "placement", "kind", "targets", "tier"} <= set(entry)


def test_text_listing_has_one_line_per_exercise() -> None:
    out = io.StringIO()
    exercises_command(False, out)
    assert len(out.getvalue().splitlines()) == len(default_catalog()) + 1


def test_a_bad_entry_names_the_key() -> None:
    data = dict(CATALOG_DATA[0], kind="jumping")
    with pytest.raises(ValueError, match="'kind'"):
        from_mapping(data)
    with pytest.raises(ValueError, match="engine"):
        from_mapping(dict(CATALOG_DATA[0], engine="cartwheel"))
    with pytest.raises(ValueError, match="catalog entry 0"):
        load([dict(CATALOG_DATA[0], targets={"reps": 0})])


def test_duplicate_ids_and_missing_prerequisites_are_refused() -> None:
    hug = default_catalog()["leg_hug"]
    with pytest.raises(ValueError, match="twice"):
        Catalog([hug, hug])
    with pytest.raises(ValueError, match="prerequisite"):
        Catalog([default_catalog()["leg_hug_both"]])


def test_merged_overrides_and_appends() -> None:
    catalog = default_catalog()
    changed = catalog["knee_extension"].with_targets(reps=20)
    merged = catalog.merged([changed])
    assert merged["knee_extension"].targets.reps == 20
    assert catalog["knee_extension"].targets.reps != 20  # the default catalog is not changed
    assert list(merged) == list(catalog)


def test_unknown_id_error_points_at_the_listing() -> None:
    with pytest.raises(KeyError, match="repquest exercises"):
        default_catalog()["moonwalk"]
