"""Streaks and daily goals that encourage and never punish.

A missed day costs nothing: the "active days" count only grows, a run of days allows rest days in between
(``rest_days_allowed``), and the daily goal is a friendly number that resets each morning, never a debt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["DailyStatus", "daily_status"]

DAILY_GOAL_REPS = 40
REST_DAYS_ALLOWED = 2


@dataclass(frozen=True, slots=True)
class DailyStatus:
    """Where today stands and what the person has built up.

    Attributes:
        today_reps / goal_reps: repetitions today and the day's goal. goal_met: today_reps >= goal_reps.
        active_days: days with any exercise, ever. week_days: active days in the last 7 days.
        run_days: active days in the current run, where gaps of up to ``REST_DAYS_ALLOWED`` days are rest.
        message: an encouraging line for the screen.
    """

    today_reps: int
    goal_reps: int
    goal_met: bool
    active_days: int
    week_days: int
    run_days: int
    message: str


def _run_days(days: list[dt.date], today: dt.date, rest_days: int) -> int:
    run, last = 0, today
    for day in sorted(days, reverse=True):
        if (last - day).days > rest_days + (0 if run else 1):
            break
        run, last = run + 1, day
    return run


def daily_status(
    reps_per_day: Mapping[str, int],
    today: dt.date,
    goal_reps: int = DAILY_GOAL_REPS,
    rest_days_allowed: int = REST_DAYS_ALLOWED,
) -> DailyStatus:
    """Daily goal and streak figures from repetitions per ISO date (``YYYY-MM-DD``)."""
    days = [dt.date.fromisoformat(d) for d, n in reps_per_day.items() if n > 0]
    days = [d for d in days if d <= today]
    today_reps = reps_per_day.get(today.isoformat(), 0)
    week = sum(0 <= (today - d).days < 7 for d in days)
    run = _run_days(days, today, rest_days_allowed)
    if today_reps >= goal_reps:
        message = f"Goal reached today: {today_reps} repetitions. Well done!"
    elif today_reps:
        message = f"{today_reps} of {goal_reps} repetitions today: every one counts."
    elif days:
        message = f"Welcome back! {len(days)} active days so far."
    else:
        message = "Welcome! Let's start gently."
    return DailyStatus(today_reps, goal_reps, today_reps >= goal_reps, len(days), week, run, message)
