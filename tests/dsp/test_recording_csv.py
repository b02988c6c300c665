"""The CSV contract: any column order, optional force, and one clear error per bad file."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest

from repquest.count_command import run_count
from repquest.errors import InputFileError
from repquest.recording_csv import read_recording_csv

HEADER = "time_s,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps,gyr_z_dps"


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def _still_rows(n: int, rate_hz: float = 50.0) -> str:
    return "".join(f"{i / rate_hz:.4f},0,0,1,0.1,-0.2,0.05\n" for i in range(n))


def test_columns_in_any_order_with_force_and_extra_columns(tmp_path: Path) -> None:
    text = "force_n,gyr_z_dps,gyr_y_dps,gyr_x_dps,note,acc_z_g,acc_y_g,acc_x_g,time_s\n"
    text += "".join(f"{i % 5},3,2,1,x,1.0,0.5,0.25,{i * 0.01:.2f}\n" for i in range(10))
    rec = read_recording_csv(_write(tmp_path, "a.csv", text))
    assert rec.rate_hz == pytest.approx(100.0)
    assert rec.acc_g[0].tolist() == [0.25, 0.5, 1.0]
    assert rec.gyr_dps[0].tolist() == [1.0, 2.0, 3.0]
    assert rec.force_n is not None
    assert rec.force_n[:5].tolist() == [0, 1, 2, 3, 4]


def test_gaps_are_allowed(tmp_path: Path) -> None:
    rows = [f"{t:.3f},0,0,1,0,0,0\n" for t in np.r_[np.arange(0, 1, 0.02), np.arange(3, 4, 0.02)]]
    rec = read_recording_csv(_write(tmp_path, "gap.csv", HEADER + "\n" + "".join(rows)))
    assert rec.rate_hz == pytest.approx(50.0)
    assert rec.t_s.shape == (100,)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", None, "empty"),
        (HEADER + "\n", None, "no samples"),
        ("time_s,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps\n0,0,0,1,0,0\n", 1, "gyr_z_dps"),
        (HEADER + "\n0,0,0,1,0,0,0\n0.02,0,abc,1,0,0,0\n", 3, "non-numeric"),
        (HEADER + "\n0,0,0,1,0,0,0\n0.02,0,0,1,0,0,0\n0.01,0,0,1,0,0,0\n", 4, "backwards"),
        (HEADER + "\n0,0,0,1,0,0,0\n0.02,0,0,1,0\n", 3, "cells"),
    ],
)
def test_bad_input_names_line_and_problem(tmp_path: Path, text: str, line: int | None, words: str) -> None:
    path = _write(tmp_path, "bad.csv", text)
    with pytest.raises(InputFileError) as caught:
        read_recording_csv(path)
    assert caught.value.path == path
    assert caught.value.line == line
    assert words in caught.value.problem


def test_run_count_reports_good_files_and_one_line_per_bad_file(tmp_path: Path) -> None:
    good = _write(tmp_path, "good.csv", HEADER + "\n" + _still_rows(200))
    bad = _write(tmp_path, "bad.csv", HEADER + "\n0,0,0,1,0,0,0\n0.02,x,0,1,0,0,0\n")
    missing = str(tmp_path / "missing.csv")
    out, err = io.StringIO(), io.StringIO()
    code = run_count("knee_extension", [bad, good, missing, good], out, err)
    assert code != 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [obj["file"] for obj in lines] == [good, good]
    assert lines[0]["reps"] == 0
    assert lines[0]["samples"] == 200
    assert set(lines[0]) >= {"file", "exercise", "reps", "rep_events", "holds", "steps", "samples"}
    problems = err.getvalue().splitlines()
    assert len(problems) == 2
    assert f"{bad}:3" in problems[0]
    assert "non-numeric" in problems[0]
    assert missing in problems[1]


def test_run_count_rejects_unknown_exercise() -> None:
    err = io.StringIO()
    assert run_count("juggling", [], io.StringIO(), err) != 0
    assert "juggling" in err.getvalue()
