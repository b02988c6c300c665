"""The report renders: an A4 PDF, one self-contained HTML file, and the CLI command around them."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from report_history import LAST_DAY, PROFILE

from repquest.cli import main
from repquest.progress import Store
from repquest.report import collect, write_report
from repquest.report.content import summary_lines, tables
from repquest.report.layout import charts


def test_pdf_renders_every_section_on_a4_pages(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    write_report(store, PROFILE, out, until=LAST_DAY, days_per_week=5)
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF")
    pages = re.findall(rb"/Type /Page\b", pdf)
    assert 4 <= len(pages) <= 10
    assert b"/MediaBox [ 0 0 595.44 841.68 ]" in pdf  # A4 in points


def test_html_is_one_self_contained_file(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    data = write_report(store, PROFILE, out, until=LAST_DAY, days_per_week=5)
    text = out.read_text(encoding="utf-8")
    outside_images = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", text)
    assert "//" not in outside_images  # no http://, https:// or protocol-relative address anywhere
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?!data:)""", text)
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', text)
    assert len(images) == len(charts(data))
    assert all(base64.b64decode(i).startswith(b"\x89PNG\r\n\x1a\n") for i in images)
    for heading in ("Summary", "Adherence calendar", "Range of motion", "Pain stops", "Automatic difficulty"):
        assert heading in text
    assert data.pain_stops[0]["note"] in text
    assert text.count("<tr><td>") >= len(data.adjustments)  # every difficulty change is listed


def test_summary_is_plain_and_every_number_has_its_unit(store: Store) -> None:
    data = collect(store, PROFILE, until=LAST_DAY, days_per_week=5)
    lines = summary_lines(data)
    assert lines[0].startswith("Exercised on ")
    assert "%" in lines[0]
    assert "days per week" in lines[0]
    assert any(line.startswith("Stopped for pain in 1 session;") for line in lines)
    joined = " ".join(lines)
    for unit in ("repetitions", "min", "°", "%", " s "):
        assert unit in joined
    for table in tables(data):
        for row in table.rows:
            assert len(row) == len(table.columns)
    adjustments = next(t for t in tables(data) if t.title.startswith("Automatic"))
    assert all(re.search(r"\d+ (%|s) \u2192 \d+ (%|s)", row[3]) for row in adjustments.rows)


def test_report_command_writes_and_reports_bad_input(
    history_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.html"
    args = ["report", "--profile", PROFILE, "--data-dir", str(history_dir), "--until", str(LAST_DAY)]
    assert main([*args, "--out", str(out), "--days-per-week", "5"]) == 0
    assert out.stat().st_size > 10_000
    assert f"wrote {out}" in capsys.readouterr().out
    assert main([*args, "--out", str(tmp_path / "r.txt")]) == 2
    assert "must end in .pdf or .html" in capsys.readouterr().err
    assert main([*args, "--out", str(out), "--since", "1st of May"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    bad = ["report", "--profile", "Nobody", "--data-dir", str(history_dir), "--out", str(out)]
    assert main(bad) == 2
    assert "no profile named 'Nobody'" in capsys.readouterr().err


def test_the_plan_file_sets_the_days_per_week(history_dir: Path, tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text('[plan]\ndays_per_week = 3\n\n[[exercise]]\nid = "knee_extension"\n', encoding="utf-8")
    out = tmp_path / "r.html"
    args = ["report", "--profile", PROFILE, "--data-dir", str(history_dir), "--until", str(LAST_DAY)]
    assert main([*args, "--out", str(out), "--plan", str(plan)]) == 0
    assert "plan: 3 days per week" in out.read_text(encoding="utf-8")


def test_export_gives_the_same_repetitions_as_the_report(
    store: Store, history_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv
    import io

    data = collect(store, PROFILE, until=LAST_DAY)
    assert main(["export", "--format", "csv", "--data-dir", str(history_dir)]) == 0
    rows = [r for r in csv.DictReader(io.StringIO(capsys.readouterr().out)) if r["record"] == "reps"]
    assert len(rows) == sum(d.reps for d in data.days)
    for column in (
        "profile",
        "exercise",
        "started_at",
        "rom_deg",
        "duration_s",
        "peak_speed_dps",
        "too_fast",
    ):
        assert column in rows[0]
    by_day: dict[str, int] = {}
    for row in rows:
        by_day[row["started_at"][:10]] = by_day.get(row["started_at"][:10], 0) + 1
    assert by_day == {str(d.day): d.reps for d in data.days if d.reps}
