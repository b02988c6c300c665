"""Tamper tests on every valid vector: flip each bit, truncate at each length, extend (STYLE.md guideline 4).

A tampered message either decodes or raises ProtocolError, never anything else. Data notifications and
commands have exact lengths, so every length change is a ProtocolError; a status record ignores appended bytes
by design (PROTOCOL.md section 6), so there only a record shorter than 14 bytes is refused.
"""

from __future__ import annotations

import pytest
from protocol_vectors import Json, data_of, ids, of, outcome

import repquest.firmware_protocol as fp
from repquest.errors import ProtocolError
from repquest.firmware_protocol import definitions as d

NOTIFICATIONS = of("data_notifications.json", "valid")
COMMANDS = of("commands.json", "valid")
STATUSES = of("status.json", "valid")
EXTENSIONS = (b"\x00", b"\xff", bytes(13), bytes(range(1, 14)), b"\x01" * 40)


def _flipped(data: bytes) -> list[tuple[int, int, bytes]]:
    out = []
    for i in range(len(data)):
        for bit in range(8):
            tampered = bytearray(data)
            tampered[i] ^= 1 << bit
            out.append((i, bit, bytes(tampered)))
    return out


# ---------------------------------------------------------------------------------------------------------
# Data notifications


@pytest.mark.parametrize("test", NOTIFICATIONS, ids=ids(NOTIFICATIONS))
def test_every_bit_flip_of_a_notification_is_caught_or_decoded_by_both_decoders_alike(test: Json) -> None:
    original = fp.decode_notification(data_of(test))
    for i, bit, tampered in _flipped(data_of(test)):
        fast = outcome(fp.decode_notification, tampered)
        reference = outcome(fp.decode_notification_reference, tampered)
        structural = i == 0 or (i == 1 and bit < 4)  # version, or count (then the length no longer fits)
        if structural:
            assert isinstance(fast, ProtocolError), (i, bit)
            assert isinstance(reference, ProtocolError), (i, bit)
        else:
            assert isinstance(fast, fp.SampleBlock), (i, bit)
            assert isinstance(reference, fp.SampleBlock), (i, bit)
            assert fast.same_samples(reference), (i, bit)
            assert not fast.same_samples(original), f"bit {bit} of byte {i} is ignored"


@pytest.mark.parametrize("test", NOTIFICATIONS, ids=ids(NOTIFICATIONS))
def test_every_truncation_of_a_notification_raises_protocol_error(test: Json) -> None:
    data = data_of(test)
    for size in range(len(data)):
        for decode in (fp.decode_notification, fp.decode_notification_reference):
            with pytest.raises(ProtocolError):
                decode(data[:size])


@pytest.mark.parametrize("test", NOTIFICATIONS, ids=ids(NOTIFICATIONS))
def test_every_extension_of_a_notification_raises_protocol_error(test: Json) -> None:
    data = data_of(test)
    for extra in EXTENSIONS:
        for decode in (fp.decode_notification, fp.decode_notification_reference):
            with pytest.raises(ProtocolError):
                decode(data + extra)


# ---------------------------------------------------------------------------------------------------------
# Commands


@pytest.mark.parametrize("test", COMMANDS, ids=ids(COMMANDS))
def test_every_bit_flip_of_a_command_is_caught_or_parsed(test: Json) -> None:
    for i, bit, tampered in _flipped(data_of(test)):
        result = outcome(fp.parse_command, tampered)
        if i == 0:
            assert isinstance(result, ProtocolError), "a flipped version byte is never version 1"
        else:
            assert isinstance(result, ProtocolError | fp.Command), (i, bit)


@pytest.mark.parametrize("test", COMMANDS, ids=ids(COMMANDS))
def test_every_length_change_of_a_command_raises_protocol_error(test: Json) -> None:
    data = data_of(test)
    for size in range(len(data)):
        with pytest.raises(ProtocolError):
            fp.parse_command(data[:size])
    for extra in EXTENSIONS:
        with pytest.raises(ProtocolError):
            fp.parse_command(data + extra)


# ---------------------------------------------------------------------------------------------------------
# Status


@pytest.mark.parametrize("test", STATUSES, ids=ids(STATUSES))
def test_every_bit_flip_of_a_status_record_is_caught_or_parsed(test: Json) -> None:
    for i, bit, tampered in _flipped(data_of(test)):
        result = outcome(fp.parse_status, tampered)
        if i == 0:
            assert isinstance(result, ProtocolError)
        elif i == 1 and tampered[1] > 100:
            assert isinstance(result, ProtocolError), "battery above 100 %"
        else:
            assert isinstance(result, fp.PuckStatus), (i, bit)


@pytest.mark.parametrize("test", STATUSES, ids=ids(STATUSES))
def test_a_status_record_shorter_than_14_bytes_raises_protocol_error(test: Json) -> None:
    data = data_of(test)
    for size in range(d.STATUS_SIZE):
        with pytest.raises(ProtocolError):
            fp.parse_status(data[:size])


@pytest.mark.parametrize("test", STATUSES, ids=ids(STATUSES))
def test_bytes_appended_to_a_status_record_are_ignored(test: Json) -> None:
    data = data_of(test)
    want = fp.parse_status(data)
    for extra in EXTENSIONS:
        assert fp.parse_status(data + extra) == want
    for size in range(d.STATUS_SIZE, len(data)):
        assert fp.parse_status(data[:size]) == want
