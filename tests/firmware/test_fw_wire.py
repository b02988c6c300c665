"""The firmware's byte layout (firmware/puck_wire.py) against the committed vectors and the host's own
definitions: one layout, restated for MicroPython and proved equal here."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fw_harness import Firmware, protocol_vectors
from hypothesis import given
from hypothesis import strategies as st

import repquest.firmware_protocol as fp
from repquest.errors import ProtocolError
from repquest.firmware_protocol import commands, gatt
from repquest.firmware_protocol import definitions as d

pv = protocol_vectors()
VALID_DATA = pv.of("data_notifications.json", "valid")
ALL_COMMANDS = pv.load("commands.json")
VALID_STATUS = pv.of("status.json", "valid")


def firmware_notification(fw: Firmware, decoded: dict[str, Any]) -> bytes:
    """The firmware's packing of a vector's values (counts from the physical values: they are exact)."""
    wire = fw.puck_wire
    count = decoded["count"]
    buf = bytearray(wire.notification_size(count))
    clipped = False
    for i in range(count):
        counts = [round(v * 2048) for v in decoded["acc_g"][i]] + [
            round(v * 16) for v in decoded["gyr_dps"][i]
        ]
        clipped |= wire.pack_sample(buf, i, counts, round(decoded["force_n"][i] * 2))
    wire.pack_header(
        buf,
        decoded["seq"],
        decoded["t0_us"],
        decoded["rate_hz"],
        count,
        decoded["touch"],
        decoded["saturated"] or clipped,
    )
    return bytes(buf)


@pytest.mark.parametrize("test", VALID_DATA, ids=pv.ids(VALID_DATA))
def test_firmware_packs_every_valid_data_vector_byte_for_byte(fw: Firmware, test: dict[str, Any]) -> None:
    assert firmware_notification(fw, test["decoded"]).hex() == test["hex"]


def test_values_beyond_full_scale_are_clipped_and_flagged_as_section_3_3_says(fw: Firmware) -> None:
    wire = fw.puck_wire
    buf = bytearray(wire.notification_size(1))
    assert wire.pack_sample(buf, 0, [40000, -40000, 2048, 0, 0, 0], 300) is True
    wire.pack_header(buf, 1, 0, 100, 1, False, True)
    block = fp.decode_notification(bytes(buf))
    assert block.saturated
    assert block.acc_g.tolist() == [[32767 / 2048, -16.0, 1.0]]
    assert block.force_n.tolist() == [127.5]
    assert wire.pack_sample(buf, 0, [32767, -32768, 0, 32767, -32768, 0], 255) is False


def test_any_samples_the_firmware_packs_decode_to_their_clipped_values(fw: Firmware) -> None:
    wire = fw.puck_wire
    counts16 = st.integers(-40_000, 40_000)

    @pv.fuzz_settings(250)  # each example draws up to 105 integers: hypothesis, not the code, is the cost
    @given(
        st.lists(
            st.tuples(st.lists(counts16, min_size=6, max_size=6), st.integers(-10, 300)),
            min_size=1,
            max_size=15,
        ),
        st.integers(0, 0xFFFF),
        st.integers(0, (1 << 30) - 1),
        st.sampled_from([50, 100, 200, 400]),
        st.booleans(),
    )
    def check(samples: list[tuple[list[int], int]], seq: int, t0_us: int, rate_hz: int, touch: bool) -> None:
        buf = bytearray(wire.notification_size(len(samples)))
        clipped = False
        for i, (counts, force) in enumerate(samples):
            clipped |= wire.pack_sample(buf, i, counts, force)
        wire.pack_header(buf, seq, t0_us, rate_hz, len(samples), touch, clipped)
        block = fp.decode_notification(bytes(buf))
        assert block.same_samples(fp.decode_notification_reference(bytes(buf)))
        assert (block.seq, block.t0_us, block.rate_hz, block.touch) == (
            seq,
            t0_us % (1 << 24),
            rate_hz,
            touch,
        )
        acc = [[min(max(c, -32768), 32767) / 2048 for c in counts[:3]] for counts, _ in samples]
        gyr = [[min(max(c, -32768), 32767) / 16 for c in counts[3:]] for counts, _ in samples]
        force = [min(max(f, 0), 255) / 2 for _, f in samples]
        assert block.acc_g.tolist() == acc
        assert block.gyr_dps.tolist() == gyr
        assert block.force_n.tolist() == force
        beyond = any(not -32768 <= c <= 32767 for counts, _ in samples for c in counts)
        assert block.saturated == (beyond or any(not 0 <= f <= 255 for _, f in samples))
        # The host's encoder, given the decoded values and flags, makes the very same bytes.
        assert pv.encode_decoded(pv.block_fields(block) | {"count": len(block)}) == bytes(buf)

    check()


@pytest.mark.parametrize("test", ALL_COMMANDS, ids=pv.ids(ALL_COMMANDS))
def test_firmware_parses_every_command_vector_as_the_host_and_the_virtual_puck_do(
    fw: Firmware, test: dict[str, Any]
) -> None:
    from repquest.ble.bumble_peripheral import att_error_for  # the virtual puck's answer to a bad command

    data = pv.data_of(test)
    if test["result"] == "valid":
        opcode, params = fw.puck_wire.parse_command(data)
        want = test["decoded"]
        assert fp.Opcode(opcode).name == want["opcode"]
        expected = dict(want["params"])
        if "pattern" in expected:
            expected["pattern"] = int(fp.LedPattern[expected["pattern"]])
        assert list(params) == list(expected.values())
    else:
        with pytest.raises(ProtocolError) as host:
            fp.parse_command(data)
        with pytest.raises(fw.puck_wire.CommandError) as ours:
            fw.puck_wire.parse_command(data)
        assert ours.value.code == att_error_for(data, host.value)


def test_any_bytes_are_accepted_by_the_firmware_exactly_when_the_host_accepts_them(fw: Firmware) -> None:
    parse = fw.puck_wire.parse_command
    command_error = fw.puck_wire.CommandError

    @pv.fuzz_settings(1500)
    @given(st.binary(max_size=12), st.integers(0, 9))
    def check(raw: bytes, opcode: int) -> None:
        # Most inputs get version 1 and a plausible opcode so they reach the parameter checks.
        data = raw if opcode == 9 else bytes([1, opcode]) + raw[:8]
        try:
            host = fp.parse_command(data)
        except ProtocolError:
            with pytest.raises(command_error):
                parse(data)
            return
        ours_opcode, ours_params = parse(data)
        assert ours_opcode == int(host.opcode)
        assert list(ours_params) == [int(v) for v in host.params.values()]

    check()


@pytest.mark.parametrize("test", VALID_STATUS, ids=pv.ids(VALID_STATUS))
def test_firmware_status_record_equals_the_hosts_for_every_valid_status_vector(
    fw: Firmware, test: dict[str, Any]
) -> None:
    status = pv.status_from_decoded(test["decoded"])
    state = int(status.streaming) | int(status.charging) << 1 | int(status.touch) << 2
    bits = {"imu_fault": 1, "force_fault": 2, "battery_low": 4, "overheated": 8, "fifo_overflow": 16}
    errors = sum(bits[name] for name in status.errors)
    record = fw.puck_wire.pack_status(
        status.battery_pct,
        status.firmware,
        status.acc_range_g,
        status.gyr_range_dps,
        status.rate_hz,
        status.samples_per_notification,
        state,
        errors,
    )
    assert len(record) == d.STATUS_SIZE
    assert record == fp.build_status(status)
    assert fp.parse_status(record) == status


def test_constants_match_the_host_definitions(fw: Firmware) -> None:
    wire = fw.puck_wire
    assert (wire.HEADER_SIZE, wire.SAMPLE_SIZE, wire.MAX_COUNT) == (
        d.HEADER_SIZE,
        d.SAMPLE_SIZE,
        d.MAX_SAMPLES_PER_NOTIFICATION,
    )
    assert tuple(d.RATE_CODES[code] for code in range(4)) == wire.RATES_HZ
    assert wire.MIN_PULSE_PERIOD_MS == commands.MIN_PULSE_PERIOD_MS
    assert (wire.SERVICE_UUID, wire.DATA_UUID, wire.CONTROL_UUID, wire.STATUS_UUID) == (
        fp.PUCK_SERVICE_UUID,
        fp.DATA_CHAR_UUID,
        fp.CONTROL_CHAR_UUID,
        fp.STATUS_CHAR_UUID,
    )
    sig = {
        wire.DEVICE_INFO_UUID16: gatt.DEVICE_INFO_SERVICE_UUID,
        wire.MANUFACTURER_UUID16: gatt.MANUFACTURER_NAME_UUID,
        wire.MODEL_UUID16: gatt.MODEL_NUMBER_UUID,
        wire.SERIAL_UUID16: gatt.SERIAL_NUMBER_UUID,
        wire.FIRMWARE_REV_UUID16: gatt.FIRMWARE_REVISION_UUID,
        wire.BATTERY_SERVICE_UUID16: gatt.BATTERY_SERVICE_UUID,
        wire.BATTERY_LEVEL_UUID16: gatt.BATTERY_LEVEL_UUID,
    }
    for short, full in sig.items():
        assert str(fw.bluetooth.UUID(short)) == full
    assert wire.NAME_PREFIX == fp.DEVICE_NAME_PREFIX
    for mtu in range(0, 600):
        assert wire.samples_per_notification(mtu) == fp.samples_per_notification(mtu), mtu


def _ad_structures(payload: bytes) -> dict[int, bytes]:
    out: dict[int, bytes] = {}
    i = 0
    while i < len(payload):
        length = payload[i]
        assert length >= 1, payload.hex()
        assert i + 1 + length <= len(payload), payload.hex()
        out[payload[i + 1]] = payload[i + 2 : i + 1 + length]
        i += 1 + length
    return out


@pytest.mark.parametrize("battery_pct", [0, 14, 87, 100])
def test_advertisement_carries_the_service_uuid_and_the_battery_level(fw: Firmware, battery_pct: int) -> None:
    adv = fw.puck_wire.advertising_data(battery_pct)
    assert len(adv) <= 31
    fields = _ad_structures(adv)
    assert fields[0x01] == b"\x06"
    assert str(uuid.UUID(bytes=fields[0x07][::-1])) == fp.PUCK_SERVICE_UUID
    assert fields[0x16] == bytes([0x0F, 0x18, battery_pct])  # Battery service data: UUID 0x180F, percent
    response = fw.puck_wire.scan_response("RepQuest Puck B2C3")
    assert len(response) <= 31
    assert _ad_structures(response)[0x09] == b"RepQuest Puck B2C3"
