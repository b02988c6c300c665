"""The session, history, profile and export commands, and durability when the process is killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from repquest.cli import main

REPQUEST = [sys.executable, "-m", "repquest"]


def test_session_prints_a_line_per_stored_rep_and_history_has_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["session", "--exercise", "knee_extension", "--sim", "--reps", "4", "--data-dir", str(tmp_path)])
        == 0
    )
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("rep ")]
    assert [ln.split()[1] for ln in lines] == ["1", "2", "3", "4"]
    assert main(["history", "--json", "--data-dir", str(tmp_path)]) == 0
    history = json.loads(capsys.readouterr().out)
    (session,) = history["sessions"]
    assert {"id", "exercise", "started_at", "reps", "holds"} <= set(session)
    printed = [float(ln.split("rom_deg=")[1].split()[0]) for ln in lines]
    assert [round(r["rom_deg"], 1) for r in session["reps"]] == printed


def test_export_and_profiles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(tmp_path)]
    assert main(["profile", "add", "ann", *d]) == 0
    assert main(["session", "--exercise", "ankle_pump", "--sim", "--reps", "3", "--profile", "ann", *d]) == 0
    capsys.readouterr()
    assert main(["export", "--format", "csv", *d]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].startswith("record,profile,")
    assert sum(r.startswith("reps,") for r in rows) == 3
    assert main(["export", "--format", "json", *d]) == 0
    assert len(json.loads(capsys.readouterr().out)["reps"]) == 3
    assert main(["profile", "list", *d]) == 0
    assert capsys.readouterr().out.startswith("ann: overall level")
    assert main(["history", "--profile", "nobody", "--json", *d]) == 0
    assert json.loads(capsys.readouterr().out) == {"sessions": []}


def test_a_corrupt_store_gives_one_line_and_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "repquest.db"
    db.write_bytes(b"garbage" * 500)
    assert main(["history", "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "left as it is" in err
    assert db.read_bytes() == b"garbage" * 500


def test_unknown_exercise_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["session", "--exercise", "moonwalk", "--sim", "--data-dir", str(tmp_path)]) == 2
    assert "repquest exercises" in capsys.readouterr().err


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_session_keeps_every_rep_it_printed(tmp_path: Path) -> None:
    cmd = [*REPQUEST, "session", "--exercise", "knee_extension", "--sim", "--reps", "12"]
    proc = subprocess.Popen(
        [*cmd, "--data-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    printed = []
    for line in proc.stdout:
        if line.startswith("rep "):
            printed.append(line)
            if len(printed) == 3:
                proc.send_signal(signal.SIGKILL)
                break
    proc.wait()
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    out = subprocess.run(
        [*REPQUEST, "history", "--json", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    (session,) = json.loads(out.stdout)["sessions"]
    assert len(session["reps"]) >= len(printed) == 3
    assert session["ended_at"] is None  # it really was cut short


def test_the_active_profile_is_used_when_none_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = ["--data-dir", str(tmp_path)]
    assert main(["profile", "add", "ann", *d]) == 0
    assert main(["profile", "use", "ann", *d]) == 0
    assert main(["profile", "use", "bob", *d]) == 2  # not a profile
    assert main(["session", "--exercise", "knee_extension_passive", "--sim", "--reps", "2", *d]) == 0
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("rep ")]
    assert len(lines) == 2
    assert all(ln.endswith("assisted=yes") for ln in lines)
    assert main(["history", "--json", "--profile", "ann", *d]) == 0
    (session,) = json.loads(capsys.readouterr().out)["sessions"]
    assert session["assisted"] is True
    assert main(["profile", "list", *d]) == 0
    assert capsys.readouterr().out.startswith("* ann:")


def test_a_profile_can_be_renamed_and_keeps_its_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The game names new people "Player N"; a caregiver can give them their own name later.
    d = ["--data-dir", str(tmp_path)]
    assert main(["profile", "add", "Player 1", *d]) == 0
    assert main(["profile", "use", "Player 1", *d]) == 0
    assert main(["session", "--exercise", "ankle_pump", "--sim", "--reps", "2", *d]) == 0
    assert main(["profile", "add", "Bob", *d]) == 0
    capsys.readouterr()
    assert main(["profile", "rename", "Player 1", "Maria", *d]) == 0
    assert "Maria" in capsys.readouterr().out
    assert main(["profile", "rename", "Maria", "Bob", *d]) == 2  # taken
    assert "already a profile called 'Bob'" in capsys.readouterr().err
    assert main(["profile", "rename", "Nobody", "Ann", *d]) == 2
    assert main(["profile", "rename", "Maria", "  ", *d]) == 2
    assert main(["profile", "list", *d]) == 0
    listing = capsys.readouterr().out
    assert listing.startswith("* Maria:")  # still the active profile
    assert "Player 1" not in listing
    assert main(["history", "--json", "--profile", "Maria", *d]) == 0
    (session,) = json.loads(capsys.readouterr().out)["sessions"]
    assert len(session["reps"]) == 2
