"""The Polar profile over a scripted control point (no radio): it asks each measurement for its settings, starts
it with settings from that list, and times samples as Polar's SDK does, even when the sensor's clock runs fast."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from repquest.ble import polar_control as pc
from repquest.ble import polar_pmd as pmd
from repquest.ble.offshelf_profiles import PolarProfile
from repquest.ble.transport import DeviceInfo, NotifyCallback, Transport
from repquest.errors import ProtocolError

ACC, GYRO = pmd.MeasurementType.ACC, pmd.MeasurementType.GYRO


class ScriptedPolar(Transport):
    """Answers the PMD control point as ``model`` does (through the same functions the simulator uses)."""

    def __init__(self, model: pc.PolarModel, refuse: int = 0) -> None:
        super().__init__()
        self.model = model
        self.refuse = refuse
        self.callbacks: dict[str, NotifyCallback] = {}
        self.writes: list[bytes] = []

    @property
    def device(self) -> DeviceInfo:
        return DeviceInfo(self.model.name, "00:22:D0:00:00:01")

    @property
    def is_connected(self) -> bool:
        return True

    @property
    def mtu(self) -> int:
        return 232

    async def connect(self, timeout_s: float = 10.0) -> None:
        return None

    async def disconnect(self) -> None:
        return None

    async def start_notify(self, char_uuid: str, callback: NotifyCallback) -> None:
        self.callbacks[char_uuid] = callback

    async def stop_notify(self, char_uuid: str) -> None:
        self.callbacks.pop(char_uuid, None)

    async def read(self, char_uuid: str) -> bytes:
        if char_uuid == pmd.CONTROL_UUID:
            return pc.encode_features(self.model.measurements)
        raise ProtocolError("no such characteristic")  # no Battery service here

    async def write(self, char_uuid: str, data: bytes) -> None:
        self.writes.append(data)
        op, m = data[0], data[1]
        if self.refuse and op == pc.Op.START:
            answer = pc.encode_response(op, m, status=self.refuse)
        elif op == pc.Op.GET_SETTINGS:
            answer = pc.encode_response(op, m, pc.encode_settings(self.model.offers[m]))
        else:
            factor = self.model.factors.get(m)
            params = b"" if factor is None else pc.encode_settings({pc.Setting.FACTOR: factor})
            answer = pc.encode_response(op, m, params)
        self.callbacks[pmd.CONTROL_UUID](answer)


async def opened(
    model: pc.PolarModel, rate_hz: int = 52, refuse: int = 0
) -> tuple[PolarProfile, ScriptedPolar]:
    profile = PolarProfile(rate_hz)
    transport = ScriptedPolar(model, refuse)

    async def call(awaitable: Any, timeout_s: float | None = None) -> Any:
        return await awaitable

    battery = await profile.open(transport, call, lambda _d: None, lambda _d: None)
    assert battery is None
    return profile, transport


async def test_h10_is_asked_for_its_settings_and_started_at_the_nearest_rate_without_gyro() -> None:
    profile, transport = await opened(pc.H10, rate_hz=100)
    assert [w.hex() for w in transport.writes] == ["0102", "0202000164000101100002010800"]
    assert profile.measurements == [ACC]
    assert profile.rate_hz == 100
    assert profile.stop_commands() == [bytes([0x03, ACC])]


async def test_a_refused_start_is_one_clear_error() -> None:
    with pytest.raises(ProtocolError, match="on its charger"):
        await opened(pc.VERITY_SENSE, refuse=13)


async def test_samples_are_timed_as_the_sdk_times_them_when_the_sensor_clock_runs_fast() -> None:
    profile, _t = await opened(pc.VERITY_SENSE)
    period_ns = 1e9 / 52 * 1.01  # the sensor's 52 Hz is 1 % slow on our clock
    n = 5
    blocks = []
    for k in range(1, 4):
        last_ns = 10**12 + round(k * n * period_ns)
        rows = [(0, 0, 4096)] * n  # 1 g on z in counts of the Verity Sense's factor
        for m in (ACC, GYRO):
            data = pmd.encode_compressed_frame(m, last_ns, rows if m == ACC else [(0, 0, 0)] * n)
            blocks += profile.decode(data, 0.0)
    assert len(blocks) == 3
    assert [len(b) for b in blocks] == [n, n, n]
    assert blocks[0].acc_g[0] == pytest.approx((0, 0, 4096 * 2.44e-4))  # G x factor: about 1 g
    first = np.diff(blocks[0].t_us)
    later = np.diff(np.concatenate([b.t_us for b in blocks[1:]]))
    assert first == pytest.approx(1e6 / 52, abs=1)  # the first frame after a start: the nominal rate
    assert later == pytest.approx(period_ns / 1000, abs=1)  # then: spread between the frames' time stamps
    assert [b.seq for b in blocks] == [0, 1, 2]
