"""``repquest export``: everything in the store, for a clinician's own tools, exactly as stored; and the plan's
profile made ready for ``repquest play --plan``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from repquest.cli import main
from repquest.errors import InputFileError
from repquest.progress import EXPORT_COLUMNS, Store
from repquest.session_command import CSV_COLUMNS, ensure_plan_profile


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("store")
    for who, exercise in (("ann", "knee_extension"), ("ann", "leg_hug"), ("bob", "ankle_pump")):
        args = [
            "session",
            "--exercise",
            exercise,
            "--sim",
            "--reps",
            "3",
            "--profile",
            who,
            "--data-dir",
            str(d),
        ]
        assert main(args) == 0
    return d


def _stored(data_dir: Path, profile: str | None) -> dict[str, list[dict[str, object]]]:
    with Store.in_dir(data_dir) as store:
        return store.export(profile)


def test_json_export_of_one_profile_matches_the_store(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ann.json"
    assert (
        main(
            ["export", "--format", "json", "--profile", "ann", "--out", str(out), "--data-dir", str(data_dir)]
        )
        == 0
    )
    assert capsys.readouterr().out == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    assert (data.pop("format"), data.pop("version")) == ("repquest-export", 1)
    assert data == _stored(data_dir, "ann")
    assert len(data["sessions"]) == 2
    assert len(data["reps"]) == 6
    assert data["calibrations"]
    assert all(s["end_reason"] for s in data["sessions"])
    with Store.in_dir(data_dir) as store:
        history = store.history("ann")
    assert [r["rom_deg"] for r in data["reps"]] == [r["rom_deg"] for s in history for r in s["reps"]]
    assert [r["smoothness"] for r in data["reps"]] == [r["smoothness"] for s in history for r in s["reps"]]


def test_csv_export_is_one_long_file_matching_the_store(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--data-dir", str(data_dir)]) == 0
    reader = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert reader.fieldnames == ["record", *CSV_COLUMNS]
    rows = list(reader)
    stored = _stored(data_dir, None)
    for kind, records in stored.items():
        mine = [r for r in rows if r["record"] == kind]
        assert len(mine) == len(records), kind
        for got, want in zip(mine, records, strict=True):
            for column in EXPORT_COLUMNS[kind]:
                value = want[column]
                text = "" if value is None else str(int(value) if isinstance(value, bool) else value)
                assert got[column] == text, (kind, column)
    assert {r["profile"] for r in rows if r["record"] == "sessions"} == {"ann", "bob"}


def test_the_csv_header_does_not_depend_on_the_data(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--format", "csv", "--data-dir", str(data_dir)]) == 0
    full = capsys.readouterr().out.splitlines()[0]
    assert main(["export", "--format", "csv", "--data-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines() == [full]
    assert full.startswith("record,profile,")
    assert "smoothness" in full
    assert "end_reason" in full


def test_an_unknown_profile_is_one_clear_line(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--profile", "nobody", "--data-dir", str(data_dir)]) == 2
    err = capsys.readouterr().err
    assert "no profile named 'nobody'" in err
    assert err.count("\n") == 1


def test_the_plan_profile_is_created_before_the_game(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text('[plan]\nprofile = "Zoe"\n\n[[exercise]]\nid = "knee_extension"\n', encoding="utf-8")
    seen: list[list[str]] = []

    def fake_play(**kwargs: object) -> int:
        with Store.in_dir(tmp_path) as store:
            seen.append(store.profiles())
        return 0

    monkeypatch.setattr("repquest.demo.play_command", fake_play)
    assert main(["play", "--plan", str(plan), "--data-dir", str(tmp_path)]) == 0
    assert seen == [["Zoe"]]
    assert ensure_plan_profile(plan, tmp_path) == "Zoe"  # again: nothing new
    with Store.in_dir(tmp_path) as store:
        assert store.profiles() == ["Zoe"]
    plan.write_text('[[exercise]]\nid = "knee_extension"\n', encoding="utf-8")
    assert ensure_plan_profile(plan, tmp_path) is None
    plan.write_text('[plan]\nprofile = 3\n\n[[exercise]]\nid = "knee_extension"\n', encoding="utf-8")
    with pytest.raises(InputFileError, match=":2:"):
        ensure_plan_profile(plan, tmp_path)


def test_every_exported_column_is_documented() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "export.md").read_text(encoding="utf-8")
    for kind, columns in EXPORT_COLUMNS.items():
        (line,) = [ln for ln in docs.splitlines() if ln.startswith(f"| `{kind}` |")]
        assert all(f"`{c}`" in line for c in columns), kind
