"""The report's charts. Each ``draw_*`` fills a matplotlib (sub)figure from :class:`ReportData`.

Drawing into a given (sub)figure lets the PDF place a chart under its heading on an A4 page and the HTML
save the same chart alone as a PNG. No pyplot: no global figure state, and the Agg renderer is used directly.
Every axis names its unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.dates import DateFormatter, DayLocator, WeekdayLocator, date2num
from matplotlib.figure import FigureBase
from matplotlib.patches import Rectangle
from numpy.typing import NDArray

from .data import ReportData

__all__ = ["draw_calendar", "draw_daily", "draw_holds", "draw_rep_rate", "draw_rom", "draw_too_fast"]

# Okabe-Ito: distinguishable with colour-blindness and in grey print.
BLUE, ORANGE, GREEN, VERMILION, GREY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#999999"
SERIES = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _dates(ax: Axes, first: dt.date, last: dt.date) -> None:
    ax.set_xlim(float(_x([first])[0]) - 0.6, float(_x([last])[0]) + 0.6)
    ax.xaxis.set_major_locator(WeekdayLocator(byweekday=0))  # type: ignore[no-untyped-call]
    ax.xaxis.set_minor_locator(DayLocator())  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(DateFormatter("%a %d %b"))  # type: ignore[no-untyped-call]
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _x(when: Sequence[dt.date | dt.datetime]) -> NDArray[np.float64]:
    """Dates as matplotlib's day numbers (typed plotting input)."""
    return np.asarray(date2num(list(when)), dtype=np.float64)  # type: ignore[no-untyped-call]


def pretty(exercise: str) -> str:
    return exercise.replace("_", " ").capitalize()


def draw_calendar(fig: FigureBase, data: ReportData) -> None:
    """Weeks as rows, Monday..Sunday as columns; exercised days filled, with their repetitions."""
    weeks = data.weeks()
    ax = fig.add_subplot()
    ax.set_xlim(0, 8.6)
    ax.set_ylim(len(weeks), -0.7)
    ax.set_axis_off()
    for col, name in enumerate(WEEKDAYS):
        ax.text(col + 0.5, -0.35, name, ha="center", va="center", fontsize=9, fontweight="bold")
    ax.text(7.2, -0.35, "days done", ha="left", va="center", fontsize=9, fontweight="bold")
    by_day = {d.day: d for d in data.days}
    for row, (monday, done, planned) in enumerate(weeks):
        for col in range(7):
            day = monday + dt.timedelta(days=col)
            stats = by_day.get(day)
            face = "white" if stats is None else (GREEN if stats.active else "#eeeeee")
            ax.add_patch(Rectangle((col + 0.05, row + 0.05), 0.9, 0.9, facecolor=face, edgecolor="#bbbbbb"))
            colour = "white" if stats is not None and stats.active else "#666666"
            ax.text(col + 0.1, row + 0.25, day.strftime("%d %b"), fontsize=7, color=colour, va="center")
            if stats is not None and stats.active:
                ax.text(
                    col + 0.5,
                    row + 0.62,
                    f"{stats.reps} reps",
                    fontsize=8,
                    color="white",
                    ha="center",
                    va="center",
                    fontweight="bold",
                )
            if stats is not None and stats.pain_stop:
                ax.add_patch(
                    Rectangle(
                        (col + 0.05, row + 0.05), 0.9, 0.9, fill=False, edgecolor=VERMILION, linewidth=2.5
                    )
                )
                ax.text(
                    col + 0.9,
                    row + 0.25,
                    "pain",
                    fontsize=7,
                    color=VERMILION,
                    ha="right",
                    va="center",
                    fontweight="bold",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
                )
        label = f"{done} of {planned} planned" if data.days_per_week else f"{done} days"
        ax.text(7.2, row + 0.5, label, fontsize=9, va="center")


def draw_daily(fig: FigureBase, data: ReportData) -> None:
    """Repetitions per day (bars) over minutes in sessions per day (bars)."""
    top, bottom = fig.subplots(2, 1, sharex=True)
    days = _x([d.day for d in data.days])
    own = [d.reps - d.assisted for d in data.days]
    top.bar(days, own, color=BLUE, width=0.7, label="by the person")
    if any(d.assisted for d in data.days):
        top.bar(days, [d.assisted for d in data.days], bottom=own, color="#56B4E9", width=0.7, hatch="//",
                label="assisted (a helper moved the limb)")  # fmt: skip
        top.legend(fontsize=7.5, frameon=False, loc="lower left", ncols=2, bbox_to_anchor=(0, 1.0))
    top.set_ylabel("repetitions per day")
    bottom.bar(days, [d.minutes for d in data.days], color=ORANGE, width=0.7)
    bottom.set_ylabel("minutes in sessions\nper day (min)")
    for ax in (top, bottom):
        _dates(ax, data.first_day, data.last_day)


def draw_too_fast(fig: FigureBase, data: ReportData) -> None:
    """Share of each day's repetitions that were too fast (%), with the count above each bar."""
    ax = fig.add_subplot()
    shown = [d for d in data.days if d.reps]
    pcts = [d.too_fast_pct or 0.0 for d in shown]
    ax.bar(_x([d.day for d in shown]), pcts, color=VERMILION, width=0.7)
    for d, pct in zip(shown, pcts, strict=True):
        if d.too_fast:
            ax.text(
                float(_x([d.day])[0]),
                pct + 1.5,
                f"{d.too_fast}/{d.reps}",
                ha="center",
                fontsize=7,
                color="#444444",
            )
    ax.set_ylim(0, max(25.0, max(pcts, default=0.0) + 12.0))
    ax.set_ylabel("reps too fast (% of the day's reps)")
    _dates(ax, data.first_day, data.last_day)


def draw_rom(fig: FigureBase, data: ReportData) -> None:
    """Per exercise: mean ROM of each session (deg), its mean target, and the calibrated range (baseline)."""
    names = data.exercises or ["(none)"]
    axes = fig.subplots(len(names), 1, sharex=True, squeeze=False)[:, 0]
    for ax, name in zip(axes, names, strict=True):
        points = [s for s in data.sessions if s.exercise == name]
        ax.plot(
            _x([p.started for p in points]),
            [p.mean_rom_deg for p in points],
            "o-",
            color=BLUE,
            markersize=4,
            linewidth=1.2,
            label="mean range of motion per session",
        )
        ax.plot(
            _x([p.started for p in points]),
            [p.mean_target_deg for p in points],
            "--",
            color=GREY,
            linewidth=1,
            label="mean target",
        )
        base = [c for c in data.baselines if c.exercise == name]
        if base:
            xs = [dt.datetime.fromisoformat(c.measured_at) for c in base]
            ys = [c.rom_deg for c in base]
            end = dt.datetime.combine(data.last_day, dt.time(23, 59), tzinfo=xs[-1].tzinfo)
            ax.step(
                _x([*xs, end]),
                [*ys, ys[-1]],
                where="post",
                color=GREEN,
                linewidth=2,
                label="calibrated range (baseline)",
            )
        ax.set_title(pretty(name), loc="left", fontsize=10, fontweight="bold")
        ax.set_ylabel("degrees (°)")
        ax.set_ylim(bottom=0)
        _dates(ax, data.first_day, data.last_day)
    axes[0].legend(loc="lower left", fontsize=7.5, ncols=3, frameon=False, bbox_to_anchor=(0, 1.12))


def draw_rep_rate(fig: FigureBase, data: ReportData) -> None:
    """Repetitions per minute within sets, per session, one line per exercise."""
    ax = fig.add_subplot()
    for colour, name in zip(SERIES * 3, data.exercises, strict=False):
        points = [s for s in data.sessions if s.exercise == name and s.reps_per_min is not None]
        ax.plot(
            _x([p.started for p in points]),
            [p.reps_per_min or 0.0 for p in points],
            "o-",
            color=colour,
            markersize=4,
            linewidth=1.2,
            label=pretty(name),
        )
    ax.set_ylabel("repetitions per minute (1/min)")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8, frameon=False, loc="lower left", ncols=3, bbox_to_anchor=(0, 1.0))
    _dates(ax, data.first_day, data.last_day)


def draw_holds(fig: FigureBase, data: ReportData) -> None:
    """Hold durations against their targets (s), and steadiness (%)."""
    top, bottom = fig.subplots(2, 1, sharex=True)
    hold_ex = list(dict.fromkeys(h.exercise for h in data.holds))
    for colour, name in zip(SERIES * 3, hold_ex, strict=False):
        mine = [h for h in data.holds if h.exercise == name]
        at = _x([h.at for h in mine])
        top.plot(
            at, [h.duration_s for h in mine], "o", color=colour, markersize=4, label=f"{pretty(name)}: held"
        )
        top.plot(
            at,
            [h.target_s for h in mine],
            "_",
            color="black",
            markersize=10,
            markeredgewidth=1.5,
            label=f"{pretty(name)}: target" if len(hold_ex) > 1 else "target",
        )
        bottom.plot(at, [100 * h.steadiness for h in mine], "o", color=colour, markersize=4)
    top.set_ylabel("hold duration (s)")
    top.set_ylim(bottom=0)
    bottom.set_ylabel("steadiness (%)")
    bottom.set_ylim(0, 105)
    if hold_ex:
        top.legend(fontsize=7.5, frameon=False, loc="lower left", ncols=2)
    else:
        top.text(0.5, 0.5, "no holds in this period", transform=top.transAxes, ha="center", color=GREY)
    for ax in (top, bottom):
        _dates(ax, data.first_day, data.last_day)
