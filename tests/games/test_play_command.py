"""``repquest play --plan FILE --data-dir DIR``: a bad plan is one clear line naming the line; a good one runs
the game on the progress store in DIR."""

from __future__ import annotations

from pathlib import Path

import pytest

from repquest.cli import main


def test_a_bad_plan_is_one_line_naming_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text('[[exercise]]\nid = "knee_extension"\nreps = "many"\n', encoding="utf-8")
    assert main(["play", "--plan", str(plan), "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert f"{plan}:3:" in err[0]
    assert not (tmp_path / "repquest.db").exists()  # nothing opened before the plan was read


def test_play_follows_a_plan_into_the_data_dir(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text('[[exercise]]\nid = "knee_extension"\nreps = 4\nnote = "towel"\n', encoding="utf-8")
    argv = [
        "play",
        "--plan",
        str(plan),
        "--data-dir",
        str(tmp_path),
        "--sim",
        "knee_extension",
        "--seconds",
        "0.2",
    ]
    assert main(argv) == 0
    assert (tmp_path / "repquest.db").exists()
