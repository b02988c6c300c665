"""What the report holds, in order: headed chart sections, then tables. Both renderers walk this list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from matplotlib.figure import FigureBase

from . import figures
from .data import ReportData

__all__ = ["Chart", "charts"]


@dataclass(frozen=True, slots=True)
class Chart:
    """A headed chart: ``draw`` fills a (sub)figure ``height_in`` inches tall and the page's width."""

    key: str
    title: str
    caption: str
    draw: Callable[[FigureBase, ReportData], None]
    height_in: float


def charts(data: ReportData) -> list[Chart]:
    plan = (
        f"green = a day with exercise; the right column counts them against the plan's "
        f"{data.days_per_week} days per week"
        if data.days_per_week
        else "green = a day with exercise (no plan file given, so no planned days)"
    )
    rom_height = 1.0 + 2.1 * max(1, len(data.exercises))
    return [
        Chart(
            "calendar",
            "Adherence calendar",
            f"{plan}; a red frame marks a day with a pain stop.",
            figures.draw_calendar,
            0.75 + 0.55 * len(data.weeks()),
        ),
        Chart(
            "daily",
            "Repetitions and time per day",
            "Counted repetitions per day, and minutes from the start to the end of each session "
            "(including calibration and rests).",
            figures.draw_daily,
            3.6,
        ),
        Chart(
            "too_fast",
            "Speed coaching: repetitions that were too fast",
            "Share of each day's repetitions above the exercise's speed limit (labels: too fast / all). "
            "Fast movement can raise tone in spastic muscles; the games coach \u201cslower\u201d.",
            figures.draw_too_fast,
            2.6,
        ),
        Chart(
            "rom",
            "Range of motion per exercise",
            "Mean range of motion of each session's repetitions, the mean target the game set, and the "
            "person's calibrated comfortable range (baseline, re-measured at calibrations).",
            figures.draw_rom,
            rom_height,
        ),
        Chart(
            "rep_rate",
            "Repetition rate per exercise",
            "Repetitions per minute within sets (between the first and last repetition of each set); "
            "a simple indicator of motor ability.",
            figures.draw_rep_rate,
            2.8,
        ),
        Chart(
            "holds",
            "Holds (stretches)",
            "Each hold's duration against its target, and its steadiness (100 % = no wobble).",
            figures.draw_holds,
            3.6,
        ),
    ]
