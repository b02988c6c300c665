"""The catalog plus a therapist's plan is the one source of what the engine applies per exercise."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from repquest.count_command import run_count
from repquest.exercises import default_catalog, engine_settings_for
from repquest.plan import parse_plan
from repquest.session_command import session_command
from repquest.simulator import write_simulated_csv

SLOW_PLAN = """
[plan]
[[exercise]]
id = "knee_extension"
reps = 5
sets = 1
speed_limit_dps = 10
"""


@pytest.fixture(scope="module")
def knee_set(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, int]:
    path = tmp_path_factory.mktemp("plan") / "knee.csv"
    truth = write_simulated_csv("knee_extension", 8, path, seed=21)
    return path, truth.reps, sum(r.too_fast for r in truth.rep_events)


def _events(path: Path, exercise: str, plan: str | None = None) -> list[dict[str, object]]:
    out, err = io.StringIO(), io.StringIO()
    catalog = parse_plan(plan).catalog if plan else None
    assert run_count(exercise, [str(path)], out, err, catalog=catalog) == 0, err.getvalue()
    events: list[dict[str, object]] = json.loads(out.getvalue())["rep_events"]
    return events


def test_a_plan_s_speed_limit_flags_every_normal_rep(knee_set: tuple[Path, int, int]) -> None:
    path, reps, _ = knee_set
    events = _events(path, "knee_extension", SLOW_PLAN)
    assert len(events) == reps
    assert all(e["too_fast"] for e in events)


def test_without_a_plan_the_catalog_limit_applies(knee_set: tuple[Path, int, int]) -> None:
    path, reps, fast = knee_set
    assert (
        engine_settings_for("knee_extension").too_fast_dps
        == default_catalog()["knee_extension"].targets.speed_limit_dps
    )
    events = _events(path, "knee_extension")
    assert len(events) == reps
    assert sum(bool(e["too_fast"]) for e in events) <= fast + 1  # the calm reps are not flagged
    limit = default_catalog()["knee_extension"].targets.speed_limit_dps
    assert all(e["too_fast"] for e in events if float(e["peak_speed_dps"]) > limit)  # type: ignore[arg-type]


def test_a_session_following_the_plan_flags_every_rep_too_fast(tmp_path: Path) -> None:
    plan = tmp_path / "slow.toml"
    plan.write_text(SLOW_PLAN, encoding="utf-8")
    out = io.StringIO()
    session_command(
        "knee_extension", sim=True, reps=None, sets=None, data_dir=tmp_path / "d", profile=None, seed=5,
        out=out, plan=plan,
    )  # fmt: skip
    reps = [line for line in out.getvalue().splitlines() if line.startswith("rep ")]
    assert len(reps) == 5
    assert all("too_fast=yes" in line for line in reps)


def test_a_helper_s_variant_counts_the_same_movement(tmp_path: Path) -> None:
    path = tmp_path / "helper.csv"
    truth = write_simulated_csv("knee_extension_passive", 7, path, seed=8)
    passive = _events(path, "knee_extension_passive")
    active = _events(path, "knee_extension")
    assert len(passive) == len(active) == truth.reps
    assert [e["t_s"] for e in passive] == [e["t_s"] for e in active]
    assert engine_settings_for("knee_extension_passive").kind == engine_settings_for("knee_extension").kind


def test_a_plan_s_hold_target_and_new_exercise_reach_the_engine() -> None:
    plan = parse_plan(
        '[plan]\n[[exercise]]\nid = "leg_hug"\nhold_s = 20\n'
        '[[exercise]]\nid = "towel_twist"\nbased_on = "knee_twist"\nname = "Towel twist"\nspeed_limit_dps = 50\n'
    )
    assert engine_settings_for("leg_hug", plan.catalog).hold_target_s == 20.0
    towel = engine_settings_for("towel_twist", plan.catalog)
    assert (towel.kind, towel.too_fast_dps, towel.reps.two_sided) == ("twist", 50.0, True)


def test_generic_counts_any_movement_with_the_free_movement_settings() -> None:
    free = default_catalog()["free_movement"]
    assert engine_settings_for("generic") == free.engine_settings
