"""Several weeks of one person's exercise, made through the real session path.

Every session is an :class:`ExerciseSession` fed by the virtual puck over the virtual transport on a
:class:`VirtualClock`; only the wall-clock stamps (``wall_now``) are moved to past dates. Nothing is written
to the store except by the session itself.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass

from repquest.ble import PuckSession, VirtualTransport
from repquest.clock import VirtualClock
from repquest.exercises import default_catalog
from repquest.progress import Store
from repquest.session import ExerciseSession, SessionConfig
from repquest.session_events import RepCounted
from repquest.simulator import VirtualPuck, build_set

PROFILE = "Ann"
FIRST_DAY = dt.date(2026, 10, 26)  # a Monday
DAYS = 22
LAST_DAY = FIRST_DAY + dt.timedelta(days=DAYS - 1)
SKIPPED = frozenset({5, 6, 12, 13, 17, 20})  # day offsets with no exercise (weekends, a busy day)
PAIN_DAY, PAIN_EXERCISE, PAIN_AFTER_REPS = 9, "leg_hug", 2
PAIN_NOTE = "Sharp pain behind the right knee when pulling the leg in."
TZ = dt.timezone(dt.timedelta(hours=1))


@dataclass(frozen=True, slots=True)
class Planned:
    day: dt.date
    exercise: str
    hour: int
    reps: int
    calibrate: bool
    seed: int
    pain: bool = False


def schedule() -> list[Planned]:
    """The sessions: knee extensions every exercised day, leg hugs or seated marching alternating."""
    out: list[Planned] = []
    for d in range(DAYS):
        if d in SKIPPED:
            continue
        day = FIRST_DAY + dt.timedelta(days=d)
        weekly = d % 7 == 0  # recalibrate at the start of each week
        out.append(Planned(day, "knee_extension", 9, 6, weekly or d == 0, seed=100 + d))
        second = "leg_hug" if d % 2 else "seated_march"
        out.append(Planned(day, second, 16, 3, weekly or d < 2, seed=200 + d, pain=d == PAIN_DAY))
    return out


async def _run(store: Store, plan: Planned) -> None:
    clock = VirtualClock()
    ex = default_catalog()[plan.exercise]
    start = dt.datetime.combine(plan.day, dt.time(plan.hour, 0), tzinfo=TZ)

    def wall_now() -> str:
        return (start + dt.timedelta(seconds=clock.now())).isoformat(timespec="seconds")

    config = SessionConfig(
        sets=1, reps=plan.reps, calibration_reps=2 if plan.calibrate else 0, profile=PROFILE
    )
    movements = (2 if plan.calibrate else 0) + config.warmup_reps + plan.reps + 3
    simulated = build_set(ex.engine, movements, seed=plan.seed, rate_hz=50.0)
    transport = VirtualTransport(VirtualPuck(simulated, rate_hz=50, mtu=247), clock)
    async with PuckSession(transport.factory(), clock=clock, rate_hz=50) as puck:
        session = ExerciseSession(ex, puck, store, clock=clock, rate_hz=50, config=config, wall_now=wall_now)
        reps = 0
        async for event in session:
            reps += isinstance(event, RepCounted)
            if plan.pain and reps >= PAIN_AFTER_REPS and session.phase != "done":
                session.stop_for_pain(PAIN_NOTE)


def build_history(store: Store) -> list[Planned]:
    """Run every planned session into ``store``; returns the schedule."""
    plans = schedule()
    for plan in plans:
        asyncio.run(_run(store, plan))
    return plans
