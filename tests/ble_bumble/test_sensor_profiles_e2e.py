"""WitMotion and Polar behind the session API, end to end over bumble on a virtual clock (no wall time):
PuckSession(profile) -> BleakTransport -> bleak -> bumble backend -> HCI -> virtual link -> sensor peripheral
emitting the device's exact bytes. What the session delivers must be exactly what the sensor sent."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

pytest.importorskip("bumble", reason="bumble (the ble-sim extra) is not installed on this platform")

from repquest.ble import (
    BatteryLow,
    Connected,
    Disconnected,
    PuckSession,
    ReconnectPolicy,
    TimedBlock,
    profile_for,
)
from repquest.ble import polar_pmd as pmd
from repquest.ble import witmotion as wit
from repquest.ble.bleak_transport import BleakTransport
from repquest.ble.bumble_backend import bumble_client_factory
from repquest.ble.bumble_link import BumbleStack, VirtualLink
from repquest.ble.bumble_sensors import PERIPHERALS, PolarPeripheral, SensorPeripheral, WitMotionPeripheral
from repquest.ble.transport import Transport
from repquest.clock import VirtualClock
from repquest.simulator.exercise_models import build_set


async def open_sensor(
    kind: str, clock: VirtualClock, **options: object
) -> tuple[SensorPeripheral, PuckSession]:
    link = VirtualLink()
    stack = await BumbleStack.open(link, name=kind, clock=clock)
    peripheral = PERIPHERALS[kind](stack, build_set("knee_extension", 3, seed=1), clock=clock, **options)
    await peripheral.start()
    central = await BumbleStack.open(link, name="host", clock=clock)

    async def factory() -> Transport:
        return BleakTransport(
            stack.address,
            name=peripheral.name,
            client_factory=bumble_client_factory(central),
            mtu_settle_s=0.0,
        )

    policy = ReconnectPolicy(initial_delay_s=0.1, max_delay_s=0.5, max_attempts=20, seed=1)
    session = PuckSession(factory, clock=clock, profile=profile_for(kind), policy=policy, data_timeout_s=1.0)
    return peripheral, session


async def collect(session: PuckSession, clock: VirtualClock, until_s: float, on_tick=None) -> list[object]:
    items: list[object] = []
    await session.start()
    async for item in session:
        items.append(item)
        if on_tick is not None:
            await on_tick(clock.now())
        if clock.now() >= until_s:
            break
    await session.close()
    return items


def blocks_of(items: list[object]) -> list[TimedBlock]:
    return [i for i in items if isinstance(i, TimedBlock)]


def sent_witmotion(peripheral: SensorPeripheral) -> np.ndarray:
    decoder = wit.WitMotionDecoder()
    rows = []
    for data in peripheral.sent_data:
        for p in decoder.feed(data):
            if isinstance(p, wit.WitSample):
                rows.append(p.acc_g + p.gyr_dps)
    return np.array(rows)


def received(blocks: list[TimedBlock]) -> np.ndarray:
    return np.hstack(
        [np.vstack([b.block.acc_g for b in blocks]), np.vstack([b.block.gyr_dps for b in blocks])]
    )


def assert_contiguous_slice(got: np.ndarray, sent: np.ndarray) -> None:
    """``got`` equals some contiguous run of ``sent``, row for row."""
    starts = [i for i in range(len(sent) - len(got) + 1) if np.allclose(sent[i], got[0], atol=1e-9)]
    assert any(np.allclose(sent[i : i + len(got)], got, atol=1e-9) for i in starts)


async def test_witmotion_streams_as_timed_blocks_with_rate_set_and_verified() -> None:
    clock = VirtualClock()
    peripheral, session = await open_sensor("witmotion", clock, garbage_every=37)
    items = await collect(session, clock, 3.0)

    assert isinstance(items[0], Connected)
    assert peripheral.rate_hz == 100  # unlock, rate, save took effect; the profile verified register 0x03
    assert session.profile.kind == "witmotion"
    blocks = blocks_of(items)
    got = received(blocks)
    assert_contiguous_slice(got, sent_witmotion(peripheral))
    assert all(b.block.rate_hz == 100 and np.all(b.block.force_n == 0) for b in blocks)
    host_t = np.concatenate([b.host_t_s for b in blocks])
    assert np.all(np.diff(host_t) > 0)
    stats = session.stats
    assert stats.lost == 0
    assert stats.duplicates == 0
    assert stats.corrupt > 0  # the garbage was skipped by resynchronising, counted, and lost nothing
    assert stats.samples == len(got)


async def test_witmotion_is_configured_as_its_vendor_does_and_reports_battery_from_register_0x64() -> None:
    clock = VirtualClock()
    peripheral, session = await open_sensor("witmotion", clock, battery_pct=9)
    items = await collect(session, clock, 1.0)

    assert isinstance(peripheral, WitMotionPeripheral)
    config = peripheral.command_times_s[:3]  # unlock, rate, save
    assert all(b - a >= wit.COMMAND_GAP_S for a, b in itertools.pairwise(config))
    assert not peripheral.serves_battery_service  # the charge came from register 0x64, not a Battery service
    assert any(isinstance(i, BatteryLow) and i.battery_pct == 9 for i in items)


async def test_witmotion_simulator_answers_register_reads_with_live_values() -> None:
    clock = VirtualClock()
    link = VirtualLink()
    stack = await BumbleStack.open(link, name="wit", clock=clock)
    peripheral = WitMotionPeripheral(
        stack, build_set("knee_extension", 2, seed=1), clock=clock, battery_pct=80
    )
    await peripheral.start()
    await clock.sleep(1.3)
    regs = peripheral.registers()
    await peripheral.stop()
    await link.close()
    reply = wit.WitMotionDecoder().feed(
        wit.encode_register(
            wit.QUATERNION_REGISTER, [regs.get(wit.QUATERNION_REGISTER + i, 0) for i in range(8)]
        )
    )[0]
    assert isinstance(reply, wit.WitRegister)
    w, x, y, z = reply.quaternion
    assert w * w + x * x + y * y + z * z == pytest.approx(1, abs=1e-3)
    roll = math.degrees(math.atan2(2 * (w * x + y * z), 1 - 2 * (x * x + y * y)))
    assert roll == pytest.approx(regs[0x3D] * wit.ANGLE_DEG_PER_LSB, abs=0.1)  # the same pose as the angles
    acc_g = np.array([regs[0x34 + i] for i in range(3)]) * wit.ACC_G_PER_LSB
    assert np.linalg.norm(acc_g) == pytest.approx(1, abs=0.5)  # a live reading, not zeros
    assert wit.battery_percent(regs[wit.BATTERY_REGISTER]) == pytest.approx(80, abs=1)
    assert regs[wit.RATE_REGISTER] == wit.RATE_CODES[10]


async def test_witmotion_drop_reconnects_and_counts_the_gap_from_the_rate() -> None:
    clock = VirtualClock()
    peripheral, session = await open_sensor("witmotion", clock)
    dropped = False

    async def tick(now_s: float) -> None:
        nonlocal dropped
        if now_s >= 1.0 and not dropped:
            dropped = True
            await peripheral.drop_link(0.5)

    items = await collect(session, clock, 3.5, tick)
    assert any(isinstance(i, Disconnected) for i in items)
    assert sum(isinstance(i, Connected) for i in items) == 2
    stats = session.stats
    assert stats.reconnects == 1
    assert stats.lost >= 40  # half a second of 100 Hz at least, inferred from arrival times
    seqs = [b.block.seq for b in blocks_of(items)]
    assert seqs == sorted(set(seqs))


def sent_polar(peripheral: PolarPeripheral) -> np.ndarray:
    """What the sensor sent, decoded with its own factors: acc in g, gyro in deg/s (zeros without a gyro)."""
    model = peripheral.model
    acc, gyro = [], []
    for data in peripheral.sent_data:
        m = data[0]
        frame = pmd.decode_frame(data, factor=model.factors.get(m, 1.0), acc_type0_in_g=model.acc_type0_in_g)
        (acc if m == pmd.MeasurementType.ACC else gyro).extend(frame.values)
    acc_g = np.array(acc) / 1000
    return np.hstack([acc_g, np.array(gyro) if gyro else np.zeros_like(acc_g)])


@pytest.mark.parametrize(
    ("model", "rate_hz", "commands"),
    [
        (
            "verity_sense",
            52,
            ["0102", "0202000134000101100002010800040103", "0105", "020500013400010110000201d007040103"],
        ),
        ("h10", 50, ["0102", "0202000132000101100002010800"]),  # the nearest rate it offers; no gyro to start
    ],
)
async def test_polar_streams_what_the_device_sent_with_its_settings_and_factor(
    model: str, rate_hz: int, commands: list[str]
) -> None:
    clock = VirtualClock()
    events: list[dict[str, object]] = []
    peripheral, session = await open_sensor(
        "polar", clock, battery_pct=9, model=model, on_event=events.append
    )
    items = await collect(session, clock, 3.0)

    assert isinstance(items[0], Connected)
    assert any(isinstance(i, BatteryLow) and i.battery_pct == 9 for i in items)
    assert isinstance(peripheral, PolarPeripheral)
    assert peripheral.active == {}  # the session stopped every measurement on close
    sent_commands = [e["hex"] for e in events if e.get("event") == "command"]
    assert sent_commands[: len(commands)] == commands
    blocks = blocks_of(items)
    assert {b.block.rate_hz for b in blocks} == {rate_hz}
    got = received(blocks)
    assert_contiguous_slice(got.astype(np.float32), sent_polar(peripheral).astype(np.float32))
    assert (
        abs(np.median(np.linalg.norm(got[:, :3], axis=1)) - 1) < 0.1
    )  # in g (not mg or 1000 g): gravity is 1
    assert session.stats.lost == 0
    assert session.stats.duplicates == 0
    host_t = np.concatenate([b.host_t_s for b in blocks])
    assert np.all(np.diff(host_t) > 0)


async def test_polar_drop_reconnects_restarts_measurements_and_counts_the_gap() -> None:
    clock = VirtualClock()
    peripheral, session = await open_sensor("polar", clock)
    dropped = False

    async def tick(now_s: float) -> None:
        nonlocal dropped
        if now_s >= 1.0 and not dropped:
            dropped = True
            await peripheral.drop_link(0.5)

    items = await collect(session, clock, 3.5, tick)
    assert sum(isinstance(i, Connected) for i in items) == 2
    assert session.stats.reconnects == 1
    assert session.stats.lost >= 1
    seqs = [b.block.seq for b in blocks_of(items)]
    assert seqs == sorted(set(seqs))
