"""VirtualClock semantics, clock-based timeouts, and the reconnect policy."""

from __future__ import annotations

import asyncio
import time

import pytest

from repquest.ble import ReconnectPolicy
from repquest.clock import Clock, VirtualClock, WallClock, wait_for


async def test_concurrent_sleepers_wake_in_deadline_order_at_their_deadlines() -> None:
    clock = VirtualClock(start_s=100.0)
    woke: list[tuple[str, float]] = []

    async def sleeper(name: str, *delays: float) -> None:
        for d in delays:
            await clock.sleep(d)
            woke.append((name, clock.now()))

    started = time.perf_counter()
    async with asyncio.TaskGroup() as tg:
        tg.create_task(sleeper("a", 3.0, 3.0))
        tg.create_task(sleeper("b", 1.0, 1.0, 1.0, 1.0))
        tg.create_task(sleeper("c", 1000.0))
    assert time.perf_counter() - started < 100.0  # a thousand virtual seconds never wait on the wall
    assert woke == [
        ("b", 101.0),
        ("b", 102.0),
        ("a", 103.0),
        ("b", 103.0),
        ("b", 104.0),
        ("a", 106.0),
        ("c", 1100.0),
    ]


async def test_time_waits_for_ready_work_before_jumping() -> None:
    clock = VirtualClock()
    seen: list[float] = []

    async def busy() -> None:
        for _ in range(200):  # a long chain of ready steps at the same virtual instant
            await asyncio.sleep(0)
        seen.append(clock.now())

    async with asyncio.TaskGroup() as tg:
        tg.create_task(clock.sleep(5.0))
        tg.create_task(busy())
    assert seen == [0.0]
    assert clock.now() == 5.0


async def test_cancelled_sleeper_does_not_move_time() -> None:
    clock = VirtualClock()
    task = asyncio.create_task(clock.sleep(50.0))
    await asyncio.sleep(0)
    task.cancel()
    await clock.sleep(1.0)
    assert clock.now() == 1.0


async def test_wait_for_times_out_on_virtual_time() -> None:
    clock = VirtualClock()
    with pytest.raises(TimeoutError):
        await wait_for(clock, clock.sleep(10.0), 2.0)
    assert clock.now() == 2.0
    assert await wait_for(clock, asyncio.sleep(0, result=7), 1.0) == 7


async def test_wall_clock_is_a_clock() -> None:
    clock = WallClock()
    assert isinstance(clock, Clock)
    assert isinstance(VirtualClock(), Clock)
    t = clock.now()
    await clock.sleep(0)
    assert clock.now() >= t
    assert await wait_for(clock, asyncio.sleep(0, result=1), 1.0) == 1


def test_backoff_grows_is_capped_jittered_and_seeded() -> None:
    policy = ReconnectPolicy(initial_delay_s=0.5, max_delay_s=4.0, jitter=0.2, max_attempts=8, seed=42)
    delays = []
    backoff = policy.start()
    while (d := backoff.next_delay(0.0)) is not None:
        delays.append(d)
    assert len(delays) == 8
    nominal = [0.5, 1.0, 2.0, 4.0, 4.0, 4.0, 4.0, 4.0]
    assert all(0.8 * n <= d <= 1.2 * n for d, n in zip(delays, nominal, strict=True))
    again = policy.start()
    assert [again.next_delay(0.0) for _ in range(8)] == delays


def test_backoff_stops_at_total_time() -> None:
    backoff = ReconnectPolicy(initial_delay_s=1.0, jitter=0.0, max_attempts=None, max_total_s=10.0).start()
    assert backoff.next_delay(0.0) == 1.0
    assert backoff.next_delay(9.5) is None
    assert ReconnectPolicy.never().start().next_delay(0.0) is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"initial_delay_s": -1.0},
        {"max_delay_s": 0.1, "initial_delay_s": 1.0},
        {"multiplier": 0.5},
        {"jitter": 2.0},
        {"max_attempts": 0},
    ],
)
def test_policy_refuses_nonsense(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011
        ReconnectPolicy(**kwargs)  # type: ignore[arg-type]
