"""The report's numbers against the store, for weeks of history made through the real session path."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from report_history import FIRST_DAY, LAST_DAY, PAIN_DAY, PAIN_EXERCISE, PAIN_NOTE, PROFILE, SKIPPED, Planned

from repquest.errors import UsageError
from repquest.progress import Store
from repquest.report import DayStats, ReportData, collect
from repquest.report.content import summary_lines
from repquest.report.figures import draw_daily, draw_rom, draw_too_fast
from repquest.report.queries import calibrations


@pytest.fixture
def data(store: Store) -> ReportData:
    return collect(store, PROFILE, until=LAST_DAY, days_per_week=5)


def _pid(store: Store) -> int:
    assert PROFILE in store.profiles()
    return store.profile_id(PROFILE, "")


def test_reps_per_day_match_the_store_and_skipped_days_are_empty(store: Store, data: ReportData) -> None:
    stored = store.reps_per_day(_pid(store))
    assert {str(d.day): d.reps for d in data.days if d.reps} == {k: v for k, v in stored.items() if v}
    assert sum(d.reps for d in data.days) == len(store.export_rows()) > 100
    skipped = {FIRST_DAY + dt.timedelta(days=k) for k in SKIPPED}
    assert {d.day for d in data.days if not d.active} == skipped
    assert data.days[0].day == FIRST_DAY
    assert data.days[-1].day == LAST_DAY


def test_minutes_per_day_add_up_the_sessions(store: Store, data: ReportData) -> None:
    for day in data.days:
        sessions = [s for s in store.history(PROFILE) if s["started_at"][:10] == str(day.day)]
        expected = sum(
            (
                dt.datetime.fromisoformat(s["ended_at"]) - dt.datetime.fromisoformat(s["started_at"])
            ).total_seconds()
            for s in sessions
        )
        assert day.minutes == pytest.approx(expected / 60.0)
    assert all(0 < d.minutes < 15 for d in data.days if d.active)


def test_adherence_counts_days_exercised_against_the_plan_each_week(data: ReportData) -> None:
    exercised = {FIRST_DAY + dt.timedelta(days=k) for k in range((LAST_DAY - FIRST_DAY).days + 1)} - {
        FIRST_DAY + dt.timedelta(days=k) for k in SKIPPED
    }
    weeks = data.weeks()
    assert [m.weekday() for m, _, _ in weeks] == [0] * len(weeks)
    for monday, done, planned in weeks:
        days = [monday + dt.timedelta(days=k) for k in range(7)]
        assert done == sum(d in exercised for d in days)
        assert planned == min(5, sum(FIRST_DAY <= d <= LAST_DAY for d in days))
    expected = 100 * sum(min(d, p) for _, d, p in weeks) / sum(p for _, _, p in weeks)
    assert data.adherence_pct() == pytest.approx(expected)
    assert collect_without_plan(data).adherence_pct() is None


def collect_without_plan(data: ReportData) -> ReportData:
    data.days_per_week = None
    return data


def test_rom_trend_is_each_sessions_mean_rom_and_target(store: Store, data: ReportData) -> None:
    sessions = [s for s in store.history(PROFILE) if s["reps"]]
    assert len(data.sessions) == len(sessions)
    for point, s in zip(data.sessions, sessions, strict=True):
        assert point.exercise == s["exercise"]
        assert point.mean_rom_deg == pytest.approx(statistics.fmean(r["rom_deg"] for r in s["reps"]))
        assert point.mean_target_deg == pytest.approx(
            statistics.fmean(r["target_rom_deg"] for r in s["reps"])
        )
    assert set(data.exercises) == {"knee_extension", "seated_march", "leg_hug"}


def test_baselines_are_every_calibration(store: Store, data: ReportData, schedule: list[Planned]) -> None:
    assert len(data.baselines) == sum(p.calibrate for p in schedule)
    for name in data.exercises:
        mine = [c for c in data.baselines if c.exercise == name]
        assert mine[-1].rom_deg == pytest.approx(store.latest_calibration(_pid(store), name) or -1)
    assert calibrations(store, _pid(store)) == data.baselines


def test_too_fast_share_per_day_matches_the_flags_of_the_stored_reps(store: Store, data: ReportData) -> None:
    rows = store.export_rows()
    for day in data.days:
        mine = [r for r in rows if r["started_at"][:10] == str(day.day)]
        assert day.too_fast == sum(r["too_fast"] for r in mine)
        if mine:
            assert day.too_fast_pct == pytest.approx(100 * day.too_fast / len(mine))
        else:
            assert day.too_fast_pct is None
    assert sum(d.too_fast for d in data.days) > 0  # the simulated person sometimes rushes


def test_rep_rate_is_reps_per_minute_within_sets(store: Store, data: ReportData) -> None:
    session = next(s for s in store.history(PROFILE) if s["exercise"] == "knee_extension")
    times = [r["t_s"] for r in session["reps"]]
    expected = 60 * (len(times) - 1) / (times[-1] - times[0])
    assert data.sessions[0].reps_per_min == pytest.approx(expected)
    assert all(p.reps_per_min is None or 1 < p.reps_per_min < 60 for p in data.sessions)


def test_pain_stop_levels_holds_and_adjustments_come_from_the_store(store: Store, data: ReportData) -> None:
    (pain,) = data.pain_stops
    assert pain["note"] == PAIN_NOTE
    assert pain["exercise"] == PAIN_EXERCISE
    pain_day = FIRST_DAY + dt.timedelta(days=PAIN_DAY)
    assert [d.day for d in data.days if d.pain_stop] == [pain_day]
    pid = _pid(store)
    assert data.level_changes == store.level_history(pid) != []
    assert data.adjustments == store.adjustments(pid) != []
    assert {u.exercise for u in data.unlocks} == store.unlocks(pid)
    holds = [h for s in store.history(PROFILE) for h in s["holds"]]
    assert [h.duration_s for h in data.holds] == [h["duration_s"] for h in holds] != []
    assert all(0 <= h.steadiness <= 1 for h in data.holds)


def test_since_leaves_out_earlier_days(store: Store) -> None:
    since = FIRST_DAY + dt.timedelta(days=7)
    later = collect(store, PROFILE, since=since, until=LAST_DAY)
    assert later.days[0].day == since
    stored = store.reps_per_day(_pid(store))
    assert sum(d.reps for d in later.days) == sum(v for k, v in stored.items() if k >= str(since))
    assert all(s.started.date() >= since for s in later.sessions)
    assert all(a["at"][:10] >= str(since) for a in later.adjustments)


def test_unknown_profile_and_empty_period_are_usage_errors(store: Store) -> None:
    with pytest.raises(UsageError, match="no profile named 'Bob'"):
        collect(store, "Bob")
    with pytest.raises(UsageError, match="period is empty"):
        collect(store, PROFILE, since=LAST_DAY, until=FIRST_DAY)
    assert "Bob" not in store.profiles()  # asking never creates a profile


def test_the_charts_plot_the_data_numbers(data: ReportData) -> None:
    fig = Figure(figsize=(8, 4))
    draw_daily(fig, data)
    reps_ax, minutes_ax = fig.axes
    bars = [p for p in reps_ax.patches if isinstance(p, Rectangle)]
    assert [b.get_height() for b in bars] == [d.reps for d in data.days]
    assert "repetitions" in reps_ax.get_ylabel()
    assert "(min)" in minutes_ax.get_ylabel()

    fig = Figure(figsize=(8, 3))
    draw_too_fast(fig, data)
    (ax,) = fig.axes
    heights = [p.get_height() for p in ax.patches if isinstance(p, Rectangle)]
    assert heights == pytest.approx([d.too_fast_pct for d in data.days if d.reps])
    assert "%" in ax.get_ylabel()

    fig = Figure(figsize=(8, 7))
    draw_rom(fig, data)
    for ax, name in zip(fig.axes, data.exercises, strict=True):
        rom_line = ax.get_lines()[0]
        expected = [s.mean_rom_deg for s in data.sessions if s.exercise == name]
        assert list(rom_line.get_ydata()) == pytest.approx(expected)  # type: ignore[arg-type]
        assert "°" in ax.get_ylabel()


def test_assisted_repetitions_are_shown_apart_from_the_persons_own() -> None:
    days = [
        DayStats(
            FIRST_DAY + dt.timedelta(days=i), 10, 2.0, 0, ("knee_extension",), False, assisted=4 * (i % 2)
        )
        for i in range(4)
    ]
    data = ReportData("X", days[0].day, days[-1].day, 5, days, [], [], [], [], [], [], {})
    fig = Figure(figsize=(8, 4))
    draw_daily(fig, data)
    own, helped = fig.axes[0].containers[:2]
    assert [b.get_height() for b in own] == [10, 6, 10, 6]
    assert [b.get_height() for b in helped] == [0, 4, 0, 4]
    assert any("8 of these 40 repetitions were assisted" in line for line in summary_lines(data))


def test_summary_counts_target_changes_apart_from_level_ups_held_back_by_the_cap() -> None:
    days = [DayStats(FIRST_DAY, 10, 2.0, 0, ("knee_extension",), False)]

    def adjustment(what: str, old: float, new: float, reason: str) -> dict[str, object]:
        at = f"{FIRST_DAY.isoformat()}T10:00:00+00:00"
        return {"session_id": 1, "exercise": "knee_extension", "what": what, "old_value": old,
                "new_value": new, "reason": reason, "at": at}  # fmt: skip

    adjustments = [
        adjustment("reps", 10, 8, "3 misses in a row"),
        adjustment("rom_share", 0.8, 0.7, "3 misses in a row"),
        adjustment("level", 2, 2, "held back by the therapist's plan (highest level 2): 3 good sessions"),
    ]
    data = ReportData("X", FIRST_DAY, FIRST_DAY, 5, days, [], [], [], [], adjustments, [], {})
    line = next(line for line in summary_lines(data) if "adjusted automatically" in line)
    assert "adjusted automatically 2 times" in line
    assert "1 level-up(s) were held back" in line
