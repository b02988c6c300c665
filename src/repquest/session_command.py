"""The progress commands: exercises, session (without a window), history, profile and export (everything a
clinician's own tools need, as JSON or one long-format CSV).

``repquest session --sim`` runs the exercise session on the virtual puck on a virtual clock, so a whole
session takes seconds; it prints one ``rep N ...`` line per repetition once that repetition is in the store.
"""

from __future__ import annotations

import asyncio
import csv
import json
import math
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, TextIO

from repquest.ble import SessionItem
from repquest.clock import VirtualClock
from repquest.errors import UsageError
from repquest.exercises import Catalog, Exercise, default_catalog
from repquest.progress import ACTIVE_PROFILE, EXPORT_COLUMNS, Store, daily_status, overall_level
from repquest.session import ExerciseSession, SessionConfig
from repquest.session_events import (
    Calibrated,
    PuckDisconnected,
    RepCounted,
    SessionEvent,
    SessionSummary,
    SetStarted,
    StoppedForPain,
    TargetAdjusted,
)

__all__ = [
    "CSV_COLUMNS",
    "default_data_dir",
    "ensure_plan_profile",
    "exercises_command",
    "export_command",
    "history_command",
    "open_store",
    "profile_command",
    "session_command",
    "simulated_model",
    "write_export",
]

RATE_HZ = 100
EXPORT_VERSION = 1  # of the export's layout; raised when a column changes meaning or goes away
# The long CSV's columns after "record": every kind's columns, each once, in first-seen order.
CSV_COLUMNS = list(dict.fromkeys(c for cols in EXPORT_COLUMNS.values() for c in cols))
SPARE_REPS = 3  # the virtual person does a few more than asked, so a missed repetition cannot stall the set


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("repquest", appauthor=False))


def open_store(data_dir: Path | None) -> Store:
    return Store.in_dir(data_dir or default_data_dir())


def _exercise(catalog: Catalog, exercise_id: str) -> Exercise:
    try:
        return catalog.resolve(exercise_id)
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from None


def simulated_model(exercise: Exercise) -> str:
    """The simulator's motion model for an exercise: its own, else its movement's (an exercise a plan added)."""
    from repquest.simulator import EXERCISE_IDS

    return exercise.id if exercise.id in EXERCISE_IDS else exercise.engine


def exercises_command(as_json: bool, out: TextIO | None = None, catalog: Catalog | None = None) -> int:
    out = out or sys.stdout
    catalog = catalog or default_catalog()
    if as_json:
        out.write(json.dumps({"exercises": catalog.to_json()}) + "\n")
        return 0
    out.write(f"{'id':24} {'name':32} {'body part':28} {'puck on':22} {'kind':6} tier\n")
    for ex in catalog.values():
        name = ex.name + (" (helper)" if ex.passive else "")
        out.write(
            f"{ex.id:24} {name:32} {ex.body_part:28} {ex.placement.describe():22} {ex.kind:6} {ex.tier}\n"
        )
    return 0


def _describe(event: SessionEvent, rep_no: int) -> str | None:
    if isinstance(event, RepCounted):
        return (
            f"rep {rep_no} set={event.set_no} rom_deg={event.rom_deg:.1f} target_deg={event.target_rom:.1f} "
            f"on_target={'yes' if event.reached_target else 'no'} too_fast={'yes' if event.too_fast else 'no'} "
            f"xp={event.xp}" + (" assisted=yes" if event.assisted else "")
        )
    if isinstance(event, Calibrated):
        return f"calibrated range {event.rom:.1f} ({event.source})"
    if isinstance(event, SetStarted):
        return f"set {event.set_no} of {event.sets}: {event.target_reps} reps, target {event.target_rom:.1f}"
    if isinstance(event, TargetAdjusted):
        return f"target {event.what} {event.old:g} -> {event.new:g}: {event.reason}"
    if isinstance(event, PuckDisconnected | StoppedForPain):
        return f"{type(event).__name__}: {event}"
    if isinstance(event, SessionSummary):
        return (
            f"session {event.session_id} {event.end_reason}: {event.reps} reps, {event.successes} on target, "
            f"{event.xp} XP, level {event.level}, overall level {event.overall_level}. {event.daily.message}"
        )
    return None


async def _simulated(exercise: Exercise, store: Store, config: SessionConfig, seed: int, out: TextIO) -> int:
    from repquest.ble import PuckSession, VirtualTransport
    from repquest.simulator import VirtualPuck, build_set

    clock = VirtualClock()
    probe = ExerciseSession(exercise, _no_items(), store, clock=clock, rate_hz=RATE_HZ, config=config)
    rest_reps = math.ceil(probe.rest_s / 5.0) * (probe.sets - 1)
    movements = config.calibration_reps + config.warmup_reps + probe.sets * probe.reps_per_set + rest_reps
    simulated = build_set(
        simulated_model(exercise), movements + SPARE_REPS, seed=seed, rate_hz=float(RATE_HZ)
    )
    transport = VirtualTransport(VirtualPuck(simulated, rate_hz=RATE_HZ), clock)
    rep_no = 0
    async with PuckSession(transport.factory(), clock=clock, rate_hz=RATE_HZ) as puck:
        session = ExerciseSession(exercise, puck, store, clock=clock, rate_hz=RATE_HZ, config=config)
        async for event in session:
            rep_no += isinstance(event, RepCounted)
            line = _describe(event, rep_no)
            if line is not None:
                out.write(line + "\n")
                out.flush()  # a printed repetition is already stored: let watchers see it at once
    return 0


async def _no_items() -> AsyncIterator[SessionItem]:
    """An empty item source: lets the runner read the dose a session would use before building the puck."""
    return
    yield


def session_command(
    exercise_id: str,
    *,
    sim: bool,
    reps: int | None,
    sets: int | None,
    data_dir: Path | None,
    profile: str | None,
    seed: int = 0,
    out: TextIO | None = None,
    plan: Path | None = None,
) -> int:
    """``plan``: a therapist's plan: its exercises, its dose (``reps``/``sets`` still win), its level caps, and
    its profile when none is named."""
    if not sim:
        raise UsageError("only --sim sessions run without a window; 'repquest play' runs them with the game")
    from repquest.plan import load_plan

    followed = load_plan(plan) if plan is not None else None
    exercise = _exercise(followed.catalog if followed else default_catalog(), exercise_id)
    dose: dict[str, float] = {}
    if followed is not None and exercise_id in followed.ids:
        dose = followed.dose(exercise_id)
    with open_store(data_dir) as store:
        who = profile or (followed and followed.profile) or store.setting(ACTIVE_PROFILE) or "default"
        config = SessionConfig(
            sets=sets or (1 if reps else None) or (int(dose["sets"]) if dose else None),
            reps=reps or (int(dose["reps"]) if dose else None),
            rest_s=dose.get("rest_s"),
            profile=who,
            max_level=followed.level_cap(exercise_id) if followed else None,
        )
        return asyncio.run(_simulated(exercise, store, config, seed, out or sys.stdout))


def history_command(
    as_json: bool, data_dir: Path | None, profile: str | None, out: TextIO | None = None
) -> int:
    out = out or sys.stdout
    with open_store(data_dir) as store:
        sessions = store.history(profile)
    if as_json:
        out.write(json.dumps({"sessions": sessions}) + "\n")
        return 0
    if not sessions:
        out.write("no sessions yet: try 'repquest session --exercise knee_extension --sim'\n")
    for s in sessions:
        hits = sum(r["reached_target"] for r in s["reps"])
        out.write(
            f"{s['id']:4} {s['started_at'][:16]} {s['profile']:12} {s['exercise']:22} "
            f"{len(s['reps']):3} reps ({hits} on target) {len(s['holds'])} holds  {s['end_reason']}\n"
        )
    return 0


def profile_command(
    action: str,
    name: str | None,
    data_dir: Path | None,
    out: TextIO | None = None,
    new_name: str | None = None,
) -> int:
    """``list`` the profiles with their levels, ``add`` one, ``use`` one (the active profile) or ``rename`` one."""
    out = out or sys.stdout
    import datetime as dt

    with open_store(data_dir) as store:
        if action == "rename":
            if not name or not new_name:
                raise UsageError("'profile rename' needs the current NAME and the NEW one")
            try:
                store.rename_profile(name, new_name)
            except KeyError:
                raise UsageError(
                    f"no profile called {name!r}; profiles: {', '.join(store.profiles())}"
                ) from None
            except ValueError as error:
                raise UsageError(str(error)) from None
            out.write(f"{name} is now called {new_name.strip()}; the history stays with it\n")
            return 0
        if action == "add":
            if not name:
                raise UsageError("'profile add' needs a NAME")
            store.profile_id(name, dt.datetime.now().astimezone().isoformat())
            out.write(f"profile {name!r} is ready: use --profile {name}\n")
            return 0
        if action == "use":
            if not name or name not in store.profiles():
                raise UsageError(
                    f"'profile use' needs an existing NAME; profiles: {', '.join(store.profiles())}"
                )
            store.set_setting(ACTIVE_PROFILE, name)
            out.write(f"{name} is now the active profile\n")
            return 0
        names = store.profiles()
        if not names:
            out.write("no profiles yet; the first session creates 'default'\n")
        active = store.setting(ACTIVE_PROFILE)
        for n in names:
            pid = store.profile_id(n, "")
            xp = store.total_xp(pid)
            daily = daily_status(store.reps_per_day(pid), dt.date.today())
            levels = ", ".join(f"{k} {v}" for k, v in sorted(store.levels(pid).items())) or "all at level 1"
            mark = "* " if n == active else ""
            out.write(
                f"{mark}{n}: overall level {overall_level(xp)} ({xp} XP), {daily.active_days} active days; "
                f"{levels}\n"
            )
    return 0


def export_command(
    fmt: str,
    data_dir: Path | None,
    out: TextIO | None = None,
    *,
    profile: str | None = None,
    out_path: Path | None = None,
) -> int:
    """Everything stored (of ``profile``, or everyone) for a clinician's own tools, see :func:`write_export`.

    ``out_path``: the file to write (default: standard output).
    """
    with open_store(data_dir) as store:
        if profile is not None and profile not in store.profiles():
            known = ", ".join(store.profiles()) or "none yet"
            raise UsageError(f"no profile named {profile!r} (profiles here: {known})")
        records = store.export(profile)
    if out_path is None:
        write_export(records, fmt, out or sys.stdout)
        return 0
    try:
        with out_path.open("w", encoding="utf-8", newline="") as f:
            write_export(records, fmt, f)
    except OSError as exc:
        raise UsageError(f"cannot write {out_path}: {exc}") from None
    return 0


def write_export(records: dict[str, list[dict[str, Any]]], fmt: str, out: TextIO) -> None:
    """``records`` (from ``Store.export``) as JSON or as long-format CSV (described in ``docs/export.md``).

    JSON: one object with ``format``, ``version`` and one list per kind of record (``sessions``, ``sets``,
    ``reps``, ``holds``, ``calibrations``, ``level_changes``, ``adjustments``, ``unlocks``, ``profiles``).
    CSV: one row per record; the ``record`` column names its kind and the other columns are the union of all
    kinds' columns (empty where a kind has no such column), so the header never depends on the data.
    Booleans are 1/0 (true/false in JSON) and unknown values empty (null in JSON).
    """
    if fmt == "json":
        finite = {
            kind: [
                {k: None if isinstance(v, float) and not math.isfinite(v) else v for k, v in r.items()}
                for r in rows
            ]
            for kind, rows in records.items()
        }  # JSON has no NaN or infinity: an unknown number is null, as in the store
        json.dump({"format": "repquest-export", "version": EXPORT_VERSION, **finite}, out, allow_nan=False)
        out.write("\n")
        return
    writer = csv.DictWriter(out, fieldnames=["record", *CSV_COLUMNS], lineterminator="\n")
    writer.writeheader()
    for kind in EXPORT_COLUMNS:
        for row in records[kind]:
            writer.writerow(
                {"record": kind, **{k: int(v) if isinstance(v, bool) else v for k, v in row.items()}}
            )


def ensure_plan_profile(plan_path: Path, data_dir: Path | None) -> str | None:
    """Create the plan's profile if it is new, so the game's profile screen can preselect it (``play --plan``).

    Returns the profile's name, or None when the plan names none. A bad plan raises InputFileError.
    """
    import datetime as dt

    from repquest.plan import load_plan

    who = load_plan(plan_path).profile
    if who is None:
        return None
    with open_store(data_dir) as store:
        store.profile_id(who, dt.datetime.now().astimezone().isoformat())
    return who
