"""``repquest count`` reads what people will hand it: its own recordings, spreadsheet CSV, broken numbers."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from repquest.count_command import run_count
from repquest.firmware_protocol import CONTROL_CHAR_UUID, DATA_CHAR_UUID, start_stream
from repquest.recording import RecordingWriter
from repquest.simulator import build_set, write_simulated_csv
from repquest.simulator.puck import VirtualPuck

HEADER = "time_s,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps,gyr_z_dps"


def _count(exercise: str, *files: Path) -> tuple[int, list[dict[str, object]], list[str]]:
    out, err = io.StringIO(), io.StringIO()
    code = run_count(exercise, [str(f) for f in files], out, err)
    return code, [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue().splitlines()


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("count") / "good.csv"
    truth = write_simulated_csv("knee_extension", 5, path, seed=11)
    return path, truth.reps


def _rqrec(path: Path, exercise: str, reps: int, seed: int, drop_every: int = 0) -> int:
    """Record the virtual puck doing a set as ``repquest record`` does; returns the true rep count."""
    sim = build_set(exercise, reps, seed=seed, rate_hz=100.0)
    puck = VirtualPuck(source=sim, rate_hz=100)
    puck.write(CONTROL_CHAR_UUID, start_stream())
    with RecordingWriter(path, {"name": "RepQuest Puck SIM", "address": "C0:FF:EE:00:00:01"}) as writer:
        for i, emission in enumerate(puck.advance_to(sim.duration_s)):
            if drop_every and i % drop_every == drop_every - 1:
                continue  # a lossy link: the notification never arrived
            writer.add(emission.t_s + 0.004, emission.char_uuid, emission.data)
    return sim.truth.reps


@pytest.mark.parametrize(("exercise", "drop_every"), [("knee_extension", 0), ("leg_hug", 37)])
def test_counts_the_project_s_own_recording(tmp_path: Path, exercise: str, drop_every: int) -> None:
    path = tmp_path / "set.rqrec"
    reps = _rqrec(path, exercise, 6, seed=4, drop_every=drop_every)
    code, results, problems = _count(exercise, path)
    assert (code, problems) == (0, [])
    assert results[0]["reps"] == reps
    assert results[0]["samples"] > 1000
    if exercise == "leg_hug":
        assert len(results[0]["holds"]) == reps  # type: ignore[arg-type]


def test_a_recording_is_known_by_its_header_whatever_its_name(tmp_path: Path) -> None:
    path = tmp_path / "set.txt"
    reps = _rqrec(path, "knee_extension", 4, seed=9)
    code, results, _ = _count("knee_extension", path)
    assert code == 0
    assert results[0]["reps"] == reps


def test_a_recording_without_motion_samples_is_one_clear_line(tmp_path: Path, good: tuple[Path, int]) -> None:
    path = tmp_path / "empty.rqrec"
    with RecordingWriter(path, {"name": "x"}) as writer:
        writer.add(0.1, DATA_CHAR_UUID, b"\x00\x01")  # undecodable: lost, as live
    code, results, problems = _count("knee_extension", path, good[0])
    assert code != 0
    assert [r["file"] for r in results] == [str(good[0])]
    assert len(problems) == 1
    assert str(path) in problems[0]
    assert "no motion samples" in problems[0]


def test_a_csv_saved_with_a_byte_order_mark_counts_the_same(tmp_path: Path, good: tuple[Path, int]) -> None:
    bom = tmp_path / "excel.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + good[0].read_bytes())
    code, results, problems = _count("knee_extension", bom, good[0])
    assert (code, problems) == (0, [])
    assert results[0]["reps"] == results[1]["reps"] == good[1]
    assert results[0]["rep_events"] == results[1]["rep_events"]


def _rows(bad_row: int, cell: str, n: int = 300) -> str:
    rows = [f"{i * 0.01:.2f},0,0,1,{cell if i == bad_row else '0.5'},0,0\n" for i in range(n)]
    return HEADER + "\n" + "".join(rows)


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        # Values that break the maths: one line each, naming the line.
        (_rows(150, "1e300"), ":152:", "beyond what any body-worn sensor reads"),
        (_rows(40, "inf"), ":42:", "not a finite number"),
        (_rows(7, "nan"), ":9:", "not a finite number"),
        (HEADER + "\n" + "".join(f"{i * 0.01:.2f},1e300,-1e300,1e300,1e300,-1e300,1e300\n" for i in range(400)),
         ":2:", "acc_x_g"),
        (HEADER + "\n0,0,0,1,0,0,0\n1e300,0,0,1,0,0,0\n", ":3:", "time_s"),
        # The contract's bad input.
        ("time_s,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps\n0,0,0,1,0,0\n", ":1:", "missing column"),
        (HEADER + "\n0,0,0,1,0,0,0\n0.01,0,zero,1,0,0,0\n", ":3:", "non-numeric cell 'zero'"),
        (HEADER + "\n0,0,0,1,0,0,0\n0.02,0,0,1,0,0,0\n0.01,0,0,1,0,0,0\n", ":4:", "time goes backwards"),
        ("", "bad.csv:", "empty"),
        ("\ufeff", "bad.csv:", "empty"),
    ],
)  # fmt: skip
def test_a_bad_file_is_one_line_and_the_others_are_still_counted(
    tmp_path: Path, good: tuple[Path, int], text: str, where: str, words: str
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(text, encoding="utf-8")
    code, results, problems = _count("knee_extension", good[0], bad, good[0])
    assert code != 0
    assert [r["file"] for r in results] == [str(good[0])] * 2
    assert all(r["reps"] == good[1] for r in results)
    assert len(problems) == 1
    assert str(bad) in problems[0]
    assert where in problems[0]
    assert words in problems[0]


def test_a_folder_is_one_clear_line(tmp_path: Path, good: tuple[Path, int]) -> None:
    code, results, problems = _count("knee_extension", tmp_path, good[0])
    assert code != 0
    assert len(results) == 1
    assert len(problems) == 1
    assert "folder" in problems[0]
