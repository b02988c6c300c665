"""``repquest plan check FILE``: a valid plan passes with a summary; mistakes name the file and line (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from repquest.cli import main

ROOT = Path(__file__).resolve().parents[2]
GOOD = """[plan]
profile = "Ann"
days_per_week = 4

[[exercise]]
id = "knee_extension"
reps = 12
placement = { segment = "shin", side = "left" }
"""


def check(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    code = main(["plan", "check", str(path)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_shipped_example_plan_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "check", str(ROOT / "examples" / "plan.toml")]) == 0
    out = capsys.readouterr().out
    assert "ok, 3 exercise(s) for Ann, 5 days per week" in out
    assert "knee_extension: 2 x 12 reps, rest 60 s" in out
    assert "right side" in out


def test_a_valid_plan_is_summarised_with_units(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = check(tmp_path, GOOD, capsys)
    assert (code, err) == (0, "")
    assert "4 days per week" in out
    assert "12 reps" in out
    assert "deg/s" in out
    assert "left side" in out


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (
            GOOD.replace("days_per_week = 4", "days_per_week = 9"),
            3,
            "days_per_week must be a whole number 1-7",
        ),
        (GOOD.replace("reps = 12", "reps = 500"), 7, "reps"),
        (GOOD.replace('id = "knee_extension"', 'id = "moonwalk"'), 5, "'engine'"),
        (GOOD + "colour = 3\n", 9, "unknown key 'colour'"),
        (GOOD.replace("[plan]\n", "[plan]\nwho = 1\n"), 2, "[plan] may only hold"),
        (GOOD.replace("reps = 12", "reps = = 12"), 7, "not valid TOML"),
        (GOOD + '\n[[exercise]]\nid = "knee_extension"\n', 11, "prescribed twice"),
        (GOOD.replace("days_per_week = 4", "max_level = 0"), 3, "max_level must be a whole number 1-10"),
        (GOOD.replace("days_per_week = 4", "max_level = 2.5"), 3, "max_level must be a whole number 1-10"),
        (GOOD.replace("reps = 12", "max_level = 11"), 7, "max_level must be a whole number 1-10"),
        (GOOD.replace("reps = 12", "max_level = true"), 7, "max_level must be a whole number 1-10"),
        (GOOD.replace('profile = "Ann"', "profile = 7"), 2, "profile must be a name in quotes"),
    ],
)
def test_mistakes_name_the_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, line: int, words: str
) -> None:
    code, out, err = check(tmp_path, text, capsys)
    assert code == 2
    assert out == ""
    assert err.startswith(f"repquest plan: {tmp_path / 'plan.toml'}:{line}: ")
    assert words in err
    assert err.count("\n") == 1


def test_a_missing_file_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "check", str(tmp_path / "nope.toml")]) == 2
    err = capsys.readouterr().err
    assert "cannot read the plan" in err
    assert err.count("\n") == 1


def test_level_limits_are_read_per_exercise_and_for_the_plan() -> None:
    from repquest.plan import load_plan, parse_plan

    plan = parse_plan(GOOD.replace("days_per_week = 4", "max_level = 4") + '\n[[exercise]]\nid = "ankle_pump"\n'
                      "max_level = 6\n")  # fmt: skip
    assert (plan.level_cap("knee_extension"), plan.level_cap("ankle_pump"), plan.level_cap("leg_hug")) == (
        4,
        6,
        4,
    )
    assert parse_plan(GOOD).level_cap("knee_extension") is None
    example = load_plan(ROOT / "examples" / "plan.toml")
    assert (example.max_level, example.level_cap("knee_extension"), example.level_cap("leg_hug")) == (4, 3, 4)


def test_the_plan_docs_show_the_level_limits() -> None:
    docs = (ROOT / "docs" / "plan.md").read_text(encoding="utf-8")
    assert "max_level = 4" in docs
    assert "capped by your therapist's plan" in docs
