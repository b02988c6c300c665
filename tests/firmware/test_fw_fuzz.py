"""The firmware's notifications face the same decoder checks as the simulator's: both decoders read them
alike, the host's encoder rebuilds them byte for byte, and mutated copies raise only ProtocolError
(the same mutation operators and hypothesis settings as tests/firmware_protocol/test_protocol_fuzz.py)."""

from __future__ import annotations

from fw_harness import Firmware, board_puck, protocol_vectors
from hypothesis import given
from hypothesis import strategies as st

import repquest.firmware_protocol as fp
from repquest.errors import ProtocolError
from repquest.firmware_protocol import definitions as d
from repquest.simulator import build_set

pv = protocol_vectors()


def firmware_corpus(fw: Firmware) -> list[bytes]:
    """Notifications the firmware made: every rate, 1, 8 and 15 samples, touch and saturated flags."""
    rig = board_puck(fw, build_set("bicep_curl", 1, seed=11))
    out: list[bytes] = []
    for rate, mtu in ((50, 23), (100, 114), (200, 247), (400, 247)):
        rig.puck.set_mtu(mtu)
        rig.command(fp.set_rate(rate))
        rig.command(fp.start_stream())
        out += rig.run(0.25)
        rig.command(fp.stop_stream())
    rig.command(fp.start_stream())
    fw.machine.PINS[37].level = 0  # touch
    rig.imu.override = (32767, 0, 0, 0, -32768, 0, 0)  # clipping
    out += rig.run(0.1)
    return out


def test_firmware_notifications_decode_alike_and_re_encode_byte_for_byte(fw: Firmware) -> None:
    corpus = firmware_corpus(fw)
    assert {fp.decode_notification(n).rate_hz for n in corpus} == {50, 100, 200, 400}
    assert any(fp.decode_notification(n).touch and fp.decode_notification(n).saturated for n in corpus)
    for data in corpus:
        fast = fp.decode_notification(data)
        assert fast.same_samples(fp.decode_notification_reference(data))
        assert pv.encode_decoded(pv.block_fields(fast)) == data


def test_mutated_firmware_notifications_raise_only_protocol_error(fw: Firmware) -> None:
    corpus = firmware_corpus(fw)

    @pv.fuzz_settings(1500)
    @given(st.lists(st.binary(min_size=4, max_size=13), min_size=1, max_size=8))
    def check(batch: list[bytes]) -> None:
        for raw in batch:
            data = pv.apply_mutations(corpus[raw[0] % len(corpus)], pv.mutations_from_bytes(raw[1:]))
            fast = pv.outcome(fp.decode_notification, data)  # anything but ProtocolError fails the test
            reference = pv.outcome(fp.decode_notification_reference, data)
            if isinstance(fast, fp.SampleBlock):
                assert len(data) == d.HEADER_SIZE + len(fast) * d.SAMPLE_SIZE
                assert isinstance(reference, fp.SampleBlock)
                assert fast.same_samples(reference)
            else:
                assert isinstance(fast, ProtocolError)
                assert isinstance(reference, ProtocolError)

    check()
