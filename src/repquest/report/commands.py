"""The therapist's commands: ``repquest report`` (a PDF or HTML report) and ``repquest plan check FILE``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TextIO

from repquest.errors import UsageError

__all__ = ["parse_day", "plan_check_command", "report_command"]


def parse_day(text: str) -> dt.date:
    """A date written YYYY-MM-DD (raises UsageError otherwise)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{text!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-11-01") from None


def report_command(
    profile: str,
    out_path: Path,
    *,
    data_dir: Path | None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    plan_path: Path | None = None,
    days_per_week: int | None = None,
    out: TextIO | None = None,
) -> int:
    """Write the report; the plan file (if any) gives the days per week unless ``days_per_week`` is given."""
    from repquest.plan import load_plan
    from repquest.session_command import open_store

    from . import write_report

    out = out or sys.stdout
    if plan_path is not None and days_per_week is None:
        days_per_week = load_plan(plan_path).days_per_week
    if since is not None and until is not None and until < since:
        raise UsageError(f"--until {until} is before --since {since}")
    with open_store(data_dir) as store:
        data = write_report(store, profile, out_path, since=since, until=until, days_per_week=days_per_week)
    reps = sum(d.reps for d in data.days)
    out.write(
        f"wrote {out_path}: {profile}, {data.first_day} to {data.last_day}, {len(data.sessions)} sessions, "
        f"{reps} repetitions\n"
    )
    return 0


def plan_check_command(path: Path, out: TextIO | None = None) -> int:
    """Validate a plan file; an error raises InputFileError naming the file and line (the CLI exits 2)."""
    from repquest.plan import load_plan

    out = out or sys.stdout
    plan = load_plan(path)
    doses = []
    for ex in plan.exercises:
        t = plan.catalog[ex.id].targets
        hold = f", hold {t.hold_s:g} s" if t.hold_s > 0 else ""
        where = plan.catalog[ex.id].placement.describe()
        doses.append(
            f"  {ex.id}: {t.sets} x {t.reps} reps{hold}, rest {t.rest_s:g} s, target {t.target_rom_pct:g} % "
            f"of range, speed limit {t.speed_limit_dps:g} deg/s, puck on {where}"
        )
    days = f"{plan.days_per_week} days per week" if plan.days_per_week else "days per week not set"
    who = f" for {plan.profile}" if plan.profile else ""
    out.write(f"{path}: ok, {len(plan.exercises)} exercise(s){who}, {days}\n" + "\n".join(doses) + "\n")
    return 0
