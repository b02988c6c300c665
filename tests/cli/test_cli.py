"""Every command explains itself; bad arguments and unreadable files get one clear line, non-zero exit."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from repquest.cli import build_parser, main

COMMANDS = ("play", "scan", "stream", "record", "replay", "simulate", "count", "bench")
COMMANDS += ("exercises", "session", "history", "profile", "export", "demo")
COMMANDS += ("report", "plan")
COMMANDS += ("fitmi",)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    assert "usage: repquest " + command in capsys.readouterr().out


def test_parser_knows_exactly_these_commands() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert set(sub.choices or ()) == set(COMMANDS)


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["stream", "--rate", "123"], "123 Hz is not one of 50, 100, 200, 400"),
        (["stream", "--sim", "x", "--address", "y"], "not allowed with argument"),
        (["simulate", "--exercise", "knee_extension", "--reps", "0", "--out", "a.csv"], "must be 1 or more"),
        (["stream", "--seconds", "-1"], "must be greater than 0"),
        (["nonsense"], "invalid choice"),
    ],
)
def test_bad_arguments_give_one_line(
    argv: list[str], problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert problem in err
    assert len(err.strip().splitlines()) == 1


def test_replay_of_a_missing_file_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(tmp_path / "nope.rqrec")]) == 2
    err = capsys.readouterr().err.strip()
    assert "nope.rqrec" in err
    assert "cannot read" in err
    assert len(err.splitlines()) == 1


def test_simulate_writes_the_csv_contract_and_truth(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "set.csv"
    assert main(["simulate", "--exercise", "knee_extension", "--reps", "5", "--out", str(out)]) == 0
    with out.open() as f:
        rows = list(csv.reader(f))
    assert rows[0][:7] == ["time_s", "acc_x_g", "acc_y_g", "acc_z_g", "gyr_x_dps", "gyr_y_dps", "gyr_z_dps"]
    assert len(rows) > 5 * 100  # at 100 Hz, five reps last well over five seconds
    truth = json.loads(out.with_suffix(".truth.json").read_text())
    assert truth["reps"] == 5
    assert "wrote" in capsys.readouterr().out


def test_simulate_rejects_an_unknown_exercise(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--exercise", "juggling", "--reps", "3", "--out", str(tmp_path / "a.csv")]) == 2
    err = capsys.readouterr().err
    assert "juggling" in err
    assert "knee_extension" in err  # says what would work
