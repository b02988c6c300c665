"""The numbers behind the therapist report, gathered from the store for one profile and period.

Everything here is plain data (no plotting), so tests can hold each figure's numbers against the store.
Days are the calendar dates of the session starts as recorded (the person's local date), as in
:meth:`Store.reps_per_day`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from repquest.errors import UsageError
from repquest.progress import Store

from .queries import Calibration, Unlock, calibrations, unlock_log

__all__ = ["DayStats", "HoldPoint", "ReportData", "SessionPoint", "collect"]


@dataclass(frozen=True, slots=True)
class DayStats:
    """One calendar day: repetitions, minutes in sessions, repetitions flagged too fast, exercises done."""

    day: dt.date
    reps: int
    minutes: float
    too_fast: int
    exercises: tuple[str, ...]
    pain_stop: bool
    assisted: int = 0  # repetitions a helper moved the limb for (caregiver mode), included in ``reps``

    @property
    def active(self) -> bool:
        return bool(self.exercises)

    @property
    def too_fast_pct(self) -> float | None:
        """Share of the day's repetitions flagged too fast, in %; None on a day without repetitions."""
        return 100.0 * self.too_fast / self.reps if self.reps else None


@dataclass(frozen=True, slots=True)
class SessionPoint:
    """One session of one exercise: mean ROM (deg) of its reps, its mean target (deg), reps per minute."""

    started: dt.datetime
    exercise: str
    reps: int
    mean_rom_deg: float
    mean_target_deg: float
    reps_per_min: float | None
    end_reason: str


@dataclass(frozen=True, slots=True)
class HoldPoint:
    """One hold: when, which exercise, how long (s) against its target (s), steadiness 0..1."""

    at: dt.datetime
    exercise: str
    duration_s: float
    target_s: float
    steadiness: float


@dataclass
class ReportData:
    profile: str
    first_day: dt.date
    last_day: dt.date
    days_per_week: int | None
    days: list[DayStats]
    sessions: list[SessionPoint]
    holds: list[HoldPoint]
    baselines: list[Calibration]
    level_changes: list[dict[str, Any]]
    adjustments: list[dict[str, Any]]
    unlocks: list[Unlock]
    levels: dict[str, int]
    pain_stops: list[dict[str, Any]] = field(default_factory=list)

    @property
    def exercises(self) -> list[str]:
        """Exercises done in the period, in order of first appearance."""
        return list(dict.fromkeys(s.exercise for s in self.sessions))

    def weeks(self) -> list[tuple[dt.date, int, int]]:
        """(Monday, days exercised, days planned) per calendar week of the period.

        A week cut by the period's start or end plans only as many days as it has in the period.
        """
        out: list[tuple[dt.date, int, int]] = []
        monday = self.first_day - dt.timedelta(days=self.first_day.weekday())
        while monday <= self.last_day:
            in_period = [d for d in self.days if monday <= d.day < monday + dt.timedelta(days=7)]
            planned = min(self.days_per_week or 0, len(in_period))
            out.append((monday, sum(d.active for d in in_period), planned))
            monday += dt.timedelta(days=7)
        return out

    def adherence_pct(self) -> float | None:
        """Days exercised as % of the days the plan asks for (each week capped at its plan); None without a plan."""
        weeks = self.weeks()
        planned = sum(p for _, _, p in weeks)
        if not self.days_per_week or not planned:
            return None
        return 100.0 * sum(min(done, p) for _, done, p in weeks) / planned


def _when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _reps_per_min(reps: list[dict[str, Any]]) -> float | None:
    """Repetitions per minute while working: intervals between reps within each set, over their time."""
    intervals = 0
    span_s = 0.0
    for set_no in sorted({r["set_no"] for r in reps}):
        times = sorted(r["t_s"] for r in reps if r["set_no"] == set_no)
        if len(times) >= 2:
            intervals += len(times) - 1
            span_s += times[-1] - times[0]
    return 60.0 * intervals / span_s if span_s > 0 else None


def _session_point(s: dict[str, Any]) -> SessionPoint:
    reps = s["reps"]
    n = len(reps)
    return SessionPoint(
        started=_when(s["started_at"]),
        exercise=s["exercise"],
        reps=n,
        mean_rom_deg=sum(r["rom_deg"] for r in reps) / n if n else float("nan"),
        mean_target_deg=sum(r["target_rom_deg"] for r in reps) / n if n else float("nan"),
        reps_per_min=_reps_per_min(reps),
        end_reason=s["end_reason"] or "",
    )


def _minutes(s: dict[str, Any]) -> float:
    if not s["ended_at"]:
        return 0.0
    return max(0.0, (_when(s["ended_at"]) - _when(s["started_at"])).total_seconds() / 60.0)


def _baselines(every: list[Calibration], since: dt.date | None, until: dt.date | None) -> list[Calibration]:
    """Calibrations in the period, each exercise led by the one still in force when the period starts."""
    before: dict[str, Calibration] = {}
    inside: list[Calibration] = []
    for c in every:
        day = dt.date.fromisoformat(c.measured_at[:10])
        if since is not None and day < since:
            before[c.exercise] = c
        elif until is None or day <= until:
            inside.append(c)
    return [*before.values(), *inside]


def collect(
    store: Store,
    profile: str,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    days_per_week: int | None = None,
) -> ReportData:
    """Everything the report shows for ``profile`` from ``since`` (default: the first session) to ``until``."""
    if profile not in store.profiles():
        known = ", ".join(store.profiles()) or "none yet"
        raise UsageError(f"no profile named {profile!r} (profiles here: {known})")
    pid = store.profile_id(profile, "")

    def in_period(iso: str) -> bool:
        day = dt.date.fromisoformat(iso[:10])
        return (since is None or day >= since) and (until is None or day <= until)

    history = [s for s in store.history(profile) if in_period(s["started_at"])]
    dates = [dt.date.fromisoformat(s["started_at"][:10]) for s in history]
    first = since or (min(dates) if dates else dt.date.today())
    last = until or dt.date.today()
    if last < first:
        raise UsageError(f"the period is empty: {first} is after {last}")

    days: list[DayStats] = []
    for k in range((last - first).days + 1):
        day = first + dt.timedelta(days=k)
        todays = [s for s, d in zip(history, dates, strict=True) if d == day]
        days.append(
            DayStats(
                day=day,
                reps=sum(len(s["reps"]) for s in todays),
                minutes=sum(_minutes(s) for s in todays),
                too_fast=sum(r["too_fast"] for s in todays for r in s["reps"]),
                exercises=tuple(dict.fromkeys(s["exercise"] for s in todays)),
                pain_stop=any(s["end_reason"] == "pain" for s in todays),
                assisted=sum(bool(r.get("assisted", False)) for s in todays for r in s["reps"]),
            )
        )
    holds = [
        HoldPoint(_when(s["started_at"]), s["exercise"], h["duration_s"], h["target_s"], h["steadiness"])
        for s in history
        for h in s["holds"]
    ]
    return ReportData(
        profile=profile,
        first_day=first,
        last_day=last,
        days_per_week=days_per_week,
        days=days,
        sessions=[_session_point(s) for s in history if s["reps"]],
        holds=holds,
        baselines=_baselines(calibrations(store, pid), since, until),
        level_changes=[c for c in store.level_history(pid) if in_period(c["at"])],
        adjustments=[a for a in store.adjustments(pid) if in_period(a["at"])],
        unlocks=[u for u in unlock_log(store, pid) if in_period(u.at)],
        levels=store.levels(pid),
        pain_stops=[
            {"at": s["started_at"], "exercise": s["exercise"], "reps": len(s["reps"]), "note": s["note"]}
            for s in history
            if s["end_reason"] == "pain"
        ],
    )
