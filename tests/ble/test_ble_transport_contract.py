"""The Transport contract: every implementation that runs without hardware passes the same tests."""

from __future__ import annotations

import pytest

from repquest import firmware_protocol as fp
from repquest.errors import DeviceError, DeviceNotFoundError, ProtocolError


async def test_connect_disconnect_and_context_manager(harness) -> None:
    t = harness.transport
    assert not t.is_connected
    async with t:
        assert t.is_connected
        assert 23 <= t.mtu <= 517
        assert t.device.address
    assert not t.is_connected
    await t.disconnect()  # idempotent
    await t.connect()
    await t.connect()  # connecting twice is harmless
    assert t.is_connected
    await t.disconnect()


async def test_mtu_is_negotiated(harness) -> None:
    async with harness.transport as t:
        expected = 23 if harness.kind.endswith("mtu23") else 247
        assert t.mtu == expected
        status = fp.parse_status(await t.read(fp.STATUS_CHAR_UUID))
        assert status.samples_per_notification == fp.samples_per_notification(expected)


async def test_subscribe_then_stream_delivers_decodable_notifications_in_order(harness) -> None:
    got: list[bytes] = []
    async with harness.transport as t:
        await t.start_notify(fp.DATA_CHAR_UUID, got.append)
        await t.write(fp.CONTROL_CHAR_UUID, fp.start_stream())
        await harness.clock.sleep(2.0)
        await t.stop_notify(fp.DATA_CHAR_UUID)
        n = len(got)
        await harness.clock.sleep(0.5)
        assert len(got) == n, "no notifications after stop_notify"
    blocks = [fp.decode_notification(b) for b in got]
    per = fp.samples_per_notification(harness.transport.mtu)
    assert sum(len(b) for b in blocks) == pytest.approx(200, abs=per + 2)
    assert [b.seq for b in blocks] == list(range(blocks[0].seq, blocks[0].seq + len(blocks)))


async def test_rejected_write_raises_protocol_error(harness) -> None:
    async with harness.transport as t:
        with pytest.raises(ProtocolError):
            await t.write(fp.CONTROL_CHAR_UUID, b"\x01\xee")
        with pytest.raises(ProtocolError):
            await t.write(fp.DATA_CHAR_UUID, fp.start_stream())
        await t.write(fp.CONTROL_CHAR_UUID, fp.vibrate(50, 100, 2))  # the link survives a rejected write
    assert harness.puck.vibrations[-1][1:] == (50, 100, 2)


async def test_io_without_a_link_raises_device_error(harness) -> None:
    t = harness.transport
    for call in (
        lambda: t.write(fp.CONTROL_CHAR_UUID, fp.start_stream()),
        lambda: t.read(fp.STATUS_CHAR_UUID),
        lambda: t.start_notify(fp.DATA_CHAR_UUID, lambda _b: None),
    ):
        with pytest.raises(DeviceError):
            await call()


async def test_explicit_disconnect_does_not_fire_the_callback(harness) -> None:
    fired: list[object] = []
    harness.transport.set_disconnected_callback(fired.append)
    async with harness.transport:
        await harness.clock.sleep(0.1)
    assert fired == []


async def test_link_drop_fires_callback_refuses_io_and_reconnects_after_outage(harness) -> None:
    t = harness.transport
    fired: list[object] = []
    t.set_disconnected_callback(fired.append)
    await t.connect()
    await t.start_notify(fp.DATA_CHAR_UUID, lambda _b: None)
    await t.write(fp.CONTROL_CHAR_UUID, fp.start_stream())
    harness.drop_link(1.0, 3.0)
    await harness.clock.sleep(1.1)
    assert fired == [t]
    assert not t.is_connected
    with pytest.raises(DeviceError):
        await t.write(fp.CONTROL_CHAR_UUID, fp.request_status())
    # Before the outage ends a connect fails (after its timeout), afterwards it succeeds.
    before = harness.clock.now()
    with pytest.raises((DeviceNotFoundError, TimeoutError)):
        await t.connect(timeout_s=1.0)
    assert harness.clock.now() - before == pytest.approx(1.0)
    await harness.clock.sleep(2.0)
    await t.connect(timeout_s=1.0)
    assert t.is_connected
    await t.disconnect()


async def test_connect_waits_for_an_outage_that_ends_within_the_timeout(harness) -> None:
    t = harness.transport
    await t.connect()
    harness.drop_link(0.0, 2.0)
    await harness.clock.sleep(0.1)
    assert not t.is_connected
    await t.connect(timeout_s=5.0)
    assert t.is_connected
    assert harness.clock.now() >= 2.0
    await t.disconnect()
