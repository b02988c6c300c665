"""Therapist prescriptions: overrides, new exercises, and errors that name the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from repquest.errors import InputFileError
from repquest.plan import load_plan, parse_plan

GOOD = """\
# from the clinic
[plan]
profile = "Ann"
note = "Gentle week"

[[exercise]]
id = "knee_extension"
reps = 12
sets = 3

[[exercise]]
id = "towel_slide"
based_on = "heel_slide"
name = "Towel slide"
instructions = ["Sit with a towel under the foot.", "Slide it forward and back."]
"""


def test_a_good_plan_overrides_and_adds() -> None:
    plan = parse_plan(GOOD, "plan.toml")
    assert plan.ids == ("knee_extension", "towel_slide")
    assert plan.profile == "Ann"
    assert plan.note == "Gentle week"
    assert plan.catalog["knee_extension"].targets.reps == 12
    assert plan.dose("knee_extension") == {"sets": 3, "reps": 12, "rest_s": 45.0}
    towel = plan.catalog["towel_slide"]
    assert towel.engine == "heel_slide"
    assert towel.name == "Towel slide"
    assert towel.targets == plan.catalog["heel_slide"].targets


def line_of(text: str) -> int | None:
    with pytest.raises(InputFileError) as info:
        parse_plan(text, "plan.toml")
    assert str(info.value).startswith("plan.toml")
    return info.value.line


@pytest.mark.parametrize(
    ("change", "line"),
    [
        (("reps = 12", "reps = 0"), 8),
        (("sets = 3", 'sets = "three"'), 9),
        (("reps = 12", "repz = 12"), 8),
        (('based_on = "heel_slide"', 'based_on = "nothing"'), 13),
        (('name = "Towel slide"', "name = "), 14),
        (('id = "towel_slide"', 'id = "Towel Slide"'), 12),
    ],
)
def test_errors_name_the_line(change: tuple[str, str], line: int) -> None:
    assert line_of(GOOD.replace(*change)) == line


def test_a_new_exercise_without_a_base_needs_every_field() -> None:
    text = '[[exercise]]\nid = "mystery"\nname = "Mystery"\n'
    with pytest.raises(InputFileError, match="mystery"):
        parse_plan(text)


def test_duplicates_and_empty_plans_are_refused() -> None:
    assert line_of(GOOD + '\n[[exercise]]\nid = "knee_extension"\n') == 18
    with pytest.raises(InputFileError, match="no exercise"):
        parse_plan("[plan]\nnote = 'x'\n")


def test_load_plan_reads_a_file_and_reports_a_missing_one(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_plan(path).ids[0] == "knee_extension"
    with pytest.raises(InputFileError, match="cannot read"):
        load_plan(tmp_path / "missing.toml")


def test_each_exercise_may_carry_a_note_for_the_patient() -> None:
    plan = parse_plan(
        '[[exercise]]\nid = "knee_extension"\nnote = "Towel under the knee"\n\n[[exercise]]\nid = "squeeze"\n'
    )
    assert plan.notes == {"knee_extension": "Towel under the knee"}
    with pytest.raises(InputFileError, match=":3:"):
        parse_plan('[[exercise]]\nid = "knee_extension"\nnote = 3\n')
