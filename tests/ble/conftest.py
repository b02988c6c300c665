"""Shared fixtures of the BLE tests: motion, and a virtual-puck harness per transport implementation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from repquest.ble import Transport, VirtualTransport
from repquest.ble.recorded import TeeTransport
from repquest.clock import VirtualClock
from repquest.recording import RecordingWriter
from repquest.simulator.faults import Disconnect, Fault, FaultChain
from repquest.simulator.puck import VirtualPuck

FloatArray = npt.NDArray[np.float64]


class SwingingLimb:
    """A shin swinging 0..60 degrees about the sensor x axis at 0.25 Hz: motion to see in the samples."""

    def sample(self, t_s: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        t = np.asarray(t_s, dtype=np.float64)
        angle = np.radians(30.0 - 30.0 * np.cos(2 * np.pi * 0.25 * t))
        rate_dps = np.degrees(np.radians(30.0) * 2 * np.pi * 0.25 * np.sin(2 * np.pi * 0.25 * t))
        acc = np.stack([np.zeros_like(t), np.sin(angle), np.cos(angle)], axis=1)
        gyr = np.stack([rate_dps, np.zeros_like(t), np.zeros_like(t)], axis=1)
        return acc, gyr, np.zeros_like(t)


@dataclass
class Harness:
    """One transport implementation under test, plus the controls the contract suite needs."""

    kind: str
    clock: VirtualClock
    transport: Transport
    drop_link: Callable[[float, float], None]  # (in_s, outage_s): make the link drop in in_s, for outage_s
    puck: VirtualPuck
    close: Callable[[], None] = lambda: None  # releases what the harness holds (files)


def make_virtual_harness(mtu: int, extra: list[Fault] | None = None) -> Harness:
    clock = VirtualClock()
    puck = VirtualPuck(SwingingLimb(), clock_ppm=50.0, device_t0_us=16_700_000)
    outage = Disconnect(at_s=float("inf"), outage_s=0.0)
    transport = VirtualTransport(puck, clock, mtu=mtu, faults=FaultChain([*(extra or []), outage]))

    def drop_link(in_s: float, outage_s: float) -> None:
        outage.at_s = clock.now() - transport.origin_s + in_s
        outage.outage_s = outage_s

    return Harness(f"virtual-mtu{mtu}", clock, transport, drop_link, puck)


def make_tee_harness(recording: Path) -> Harness:
    """The recording tee over the virtual puck: recording must not change what the link does."""
    inner = make_virtual_harness(247)
    writer = RecordingWriter(recording, {"name": inner.puck.name, "address": inner.puck.address})
    tee = TeeTransport(inner.transport, writer, inner.clock)
    return Harness("tee-virtual-mtu247", inner.clock, tee, inner.drop_link, inner.puck, writer.close)


def make_bumble_harness(mtu: int) -> Harness:
    """BleakTransport over the bumble backend to the puck served by a bumble peripheral, one virtual link."""
    from repquest.ble.bumble_local import LocalBumbleTransport

    clock = VirtualClock()
    puck = VirtualPuck(SwingingLimb(), clock_ppm=50.0, device_t0_us=16_700_000)
    outage = Disconnect(at_s=float("inf"), outage_s=0.0)
    transport = LocalBumbleTransport(puck, clock, faults=[outage], mtu=mtu)

    def drop_link(in_s: float, outage_s: float) -> None:
        outage.at_s = clock.now() - transport.origin_s + in_s
        outage.outage_s = outage_s

    return Harness(f"bumble-bleak-mtu{mtu}", clock, transport, drop_link, puck)


def _bumble_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("bumble") is not None


# Every transport that runs without hardware; BleakTransport runs over bumble's software BLE stack.
TRANSPORT_KINDS: dict[str, Callable[[Path], Harness]] = {
    "virtual-mtu247": lambda _tmp: make_virtual_harness(247),
    "virtual-mtu23": lambda _tmp: make_virtual_harness(23),
    "tee-virtual-mtu247": lambda tmp: make_tee_harness(tmp / "contract.rqrec"),
}
if _bumble_available():
    TRANSPORT_KINDS["bumble-bleak-mtu247"] = lambda _tmp: make_bumble_harness(247)
    TRANSPORT_KINDS["bumble-bleak-mtu23"] = lambda _tmp: make_bumble_harness(23)


@pytest.fixture(params=sorted(TRANSPORT_KINDS))
def harness(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Harness]:
    made = TRANSPORT_KINDS[request.param](tmp_path)
    yield made
    made.close()


@pytest.fixture
def swinging_limb() -> SwingingLimb:
    return SwingingLimb()
