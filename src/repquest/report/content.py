"""The report's words: the plain-language summary and the tables (levels, difficulty changes, pain stops).

Every number carries its unit. Texts are shared by the PDF and the HTML renderers.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from .data import ReportData
from .figures import pretty

__all__ = ["PAIN_PREFIX", "Table", "day_text", "summary_lines", "tables"]

PAIN_PREFIX = "Stopped for pain in"  # the renderers show this line in red
WHAT = {"target_pct": ("range target", "%"), "hold_s": ("hold target", "s")}


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    note: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]
    widths: tuple[float, ...]  # relative column widths for the PDF


def day_text(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def _when(iso: str) -> str:
    t = dt.datetime.fromisoformat(iso)
    return f"{t:%a} {t.day} {t:%b} {t:%H:%M}"


def _first_last_week(data: ReportData, name: str) -> tuple[float, float] | None:
    points = [s for s in data.sessions if s.exercise == name]
    if len(points) < 2:
        return None
    start, end = points[0].started.date(), points[-1].started.date()
    first = [p.mean_rom_deg for p in points if (p.started.date() - start).days < 7]
    last = [p.mean_rom_deg for p in points if (end - p.started.date()).days < 7]
    return statistics.fmean(first), statistics.fmean(last)


def summary_lines(data: ReportData) -> list[str]:
    """Short sentences a clinician can read in a minute, most important first."""
    active = [d for d in data.days if d.active]
    reps = sum(d.reps for d in data.days)
    minutes = sum(d.minutes for d in data.days)
    period = f"{day_text(data.first_day)} to {day_text(data.last_day)}"
    out: list[str] = []
    adherence = data.adherence_pct()
    if adherence is not None:
        planned = sum(p for _, _, p in data.weeks())
        done = sum(min(d, p) for _, d, p in data.weeks())
        out.append(
            f"Exercised on {done} of {planned} planned days ({adherence:.0f} %) from {period} "
            f"(plan: {data.days_per_week} days per week)."
        )
    else:
        out.append(f"Exercised on {len(active)} of {len(data.days)} days from {period} (no plan file given).")
    if data.pain_stops:
        last = data.pain_stops[-1]
        n = len(data.pain_stops)
        out.append(
            f"{PAIN_PREFIX} {n} session{'s' if n > 1 else ''}; latest {_when(last['at'])}, "
            f"{pretty(last['exercise']).lower()}: \u201c{last['note'] or 'no note'}\u201d"
        )
    else:
        out.append("No session was stopped for pain.")
    sessions = len(data.sessions)
    per_day = minutes / len(active) if active else 0.0
    out.append(
        f"{reps} repetitions in {sessions} sessions; {minutes:.0f} min in sessions "
        f"(about {per_day:.1f} min per exercised day)."
    )
    for name in data.exercises:
        pair = _first_last_week(data, name)
        if pair is not None:
            change = pair[1] - pair[0]
            out.append(
                f"{pretty(name)}: mean range of motion {pair[0]:.0f}° in the first week, "
                f"{pair[1]:.0f}° in the last week ({change:+.0f}°)."
            )
    assisted = sum(d.assisted for d in data.days)
    if assisted:
        out.append(f"{assisted} of these {reps} repetitions were assisted (a helper moved the limb); "
                   "the charts show them separately.")  # fmt: skip
    fast = sum(d.too_fast for d in data.days)
    if reps:
        out.append(
            f"Speed: {fast} of {reps} repetitions ({100 * fast / reps:.0f} %) were faster than the "
            "exercise's speed limit and were coached to slow down."
        )
    if data.holds:
        held = statistics.median(h.duration_s for h in data.holds)
        target = statistics.median(h.target_s for h in data.holds)
        steady = statistics.fmean(h.steadiness for h in data.holds)
        out.append(
            f"Holds: {len(data.holds)} holds, median {held:.1f} s against a median target of "
            f"{target:.1f} s; mean steadiness {100 * steady:.0f} %."
        )
    ups = [c for c in data.level_changes if c["new_level"] > c["old_level"]]
    downs = len(data.level_changes) - len(ups)
    levels = (
        ", ".join(f"{pretty(k).lower()} level {v}" for k, v in sorted(data.levels.items()))
        or "all at level 1"
    )
    out.append(
        f"Levels now: {levels}. {len(ups)} level-up(s), {downs} step(s) back, "
        f"{len(data.unlocks)} exercise(s) unlocked in the period."
    )
    # A level-up held back by the therapist's cap is logged with the adjustments but is no target change.
    held = sum(a["what"] == "level" for a in data.adjustments)
    changes = len(data.adjustments) - held
    out.append(
        f"Targets were adjusted automatically {changes} time{'' if changes == 1 else 's'} to keep about 3 of 4 "
        "attempts on target (each change and its reason is listed at the end)."
        + (f" {held} level-up(s) were held back at the therapist's highest level." if held else "")
    )
    return out


def _value(what: str, value: float) -> str:
    unit = WHAT.get(what, (what, ""))[1]
    return f"{value:g} {unit}".strip()


def tables(data: ReportData) -> list[Table]:
    pain = Table(
        "Pain stops",
        "Sessions the person ended with the pain button, with the note they left.",
        ("when", "exercise", "reps done", "note"),
        [
            (_when(p["at"]), pretty(p["exercise"]), f"{p['reps']} reps", p["note"] or "(no note)")
            for p in data.pain_stops
        ],
        (1.3, 1.3, 1.1, 4.3),
    )
    levels = Table(
        "Levels and unlocks",
        "Each exercise's level sets its dose (more repetitions, longer holds); it changes only after a streak.",
        ("when", "exercise", "change", "reason"),
        [
            row
            for _, row in sorted(
                [
                    (
                        c["at"],
                        (
                            _when(c["at"]),
                            pretty(c["exercise"]),
                            f"level {c['old_level']} \u2192 {c['new_level']}",
                            c["reason"],
                        ),
                    )
                    for c in data.level_changes
                ]
                + [(u.at, (_when(u.at), pretty(u.exercise), "unlocked", u.reason)) for u in data.unlocks],
                key=lambda pair: pair[0],
            )
        ],
        (1.3, 1.3, 1.2, 4.2),
    )
    changes = Table(
        "Automatic difficulty changes",
        "Within a session, after every 4 attempts, the targets move to keep about 75 % of attempts on target. "
        "Range targets are in % of the calibrated comfortable range; hold targets in seconds.",
        ("when", "exercise", "what", "from \u2192 to", "reason"),
        [
            (
                _when(a["at"]),
                pretty(a["exercise"]),
                WHAT.get(a["what"], (a["what"], ""))[0],
                f"{_value(a['what'], a['old_value'])} \u2192 {_value(a['what'], a['new_value'])}",
                a["reason"],
            )
            for a in data.adjustments
        ],
        (1.35, 1.25, 1.05, 1.05, 3.2),
    )
    return [pain, levels, changes]
