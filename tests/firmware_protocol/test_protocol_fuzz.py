"""Fuzzing every decoder: only ProtocolError may escape (PROTOCOL.md sections 3-5, STYLE.md guideline 4).

Hypothesis draws batches of byte strings: random ones (raw, with version 1 forced, or also fitted to the
length the header declares, so they reach the deep checks) and mutations of the committed vectors. Each input
is one byte-string draw, because hypothesis' own cost per drawn value (0.1-0.3 ms here) is far above a
decoder's. A plain seeded loop then throws many more mutated vectors at the fast decoder, which is cheap, and
cross-checks a share of them against the construct reference. Everything is deterministic
(``derandomize=True``, fixed seeds), so CI sees the same cases every run. ``FUZZ_BUDGET`` states the inputs.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st
from protocol_vectors import (
    ALL_DECODERS,
    VECTOR_FILE_OF,
    Decoder,
    all_vector_bytes,
    apply_mutations,
    fuzz_settings,
    mutations_from_bytes,
    outcome,
    random_mutations,
)

import repquest.firmware_protocol as fp
from repquest.errors import ProtocolError
from repquest.firmware_protocol import definitions as d

BATCH = 8  # at most this many inputs per hypothesis example
MEAN_BATCH = 5  # hypothesis draws 5.4 on average (measured)
RANDOM_EXAMPLES = {
    "decode_notification": 1500,  # every input is checked against the reference decoder too
    "decode_notification_reference": 500,
    "parse_command": 1000,
    "parse_status": 800,
}
MUTATION_EXAMPLES = {
    "decode_notification": 1000,  # every input is checked against the reference decoder too
    "parse_command": 1000,
    "parse_status": 800,
}
PLAIN_LOOP_CASES = 120_000
PLAIN_LOOP_CROSS_CHECK_EVERY = 60  # one mutant in 60 also goes through the construct reference
PLAIN_LOOP_OTHER_CASES = 8_000  # parse_command and parse_status each

FUZZ_BUDGET = {
    "hypothesis random bytes": sum(RANDOM_EXAMPLES.values()) * MEAN_BATCH,
    "hypothesis mutated vectors": sum(MUTATION_EXAMPLES.values()) * MEAN_BATCH,
    "plain loop, fast decoder": PLAIN_LOOP_CASES,
    "plain loop, parse_command + parse_status": 2 * PLAIN_LOOP_OTHER_CASES,
}


def _fit(data: bytes, size: int) -> bytes:
    return (data * (size // max(len(data), 1) + 1))[:size] if data else bytes(size)


def shape(name: str, index: int, raw: bytes) -> bytes:
    """Input ``index`` of a batch: raw bytes, version 1 forced, or also fitted to a plausible length."""
    kind = index % 3
    if kind == 0 or not raw:
        return raw
    body = bytes([d.PROTOCOL_VERSION]) + raw[1:]
    if kind == 1 or len(body) < 2:
        return body
    if name.startswith("decode_notification"):
        return _fit(body, d.HEADER_SIZE + (body[1] & 0x0F) * d.SAMPLE_SIZE)
    if name == "parse_command":
        return body[:1] + bytes([body[1] % 10]) + body[2:9]  # opcodes 0..9: two unknown, eight known
    padded = _fit(body, max(len(body), d.STATUS_SIZE))
    return padded[:1] + bytes([padded[1] % 102]) + padded[2:]  # battery 0..101 %


def _check_only_protocol_errors(decode: Decoder, inputs: list[bytes]) -> None:
    for data in inputs:
        result = outcome(decode, data)  # anything but ProtocolError propagates and fails
        if isinstance(result, fp.SampleBlock):
            assert len(data) == d.HEADER_SIZE + len(result) * d.SAMPLE_SIZE
            assert 1 <= len(result) <= d.MAX_SAMPLES_PER_NOTIFICATION
        elif isinstance(result, fp.PuckStatus):
            assert len(data) >= d.STATUS_SIZE
            assert 0 <= result.battery_pct <= 100
        elif isinstance(result, fp.Command):
            assert data[0] == d.PROTOCOL_VERSION


def _assert_decoders_agree(data: bytes) -> None:
    fast = outcome(fp.decode_notification, data)
    reference = outcome(fp.decode_notification_reference, data)
    if isinstance(fast, fp.SampleBlock):
        assert isinstance(reference, fp.SampleBlock), data.hex()
        assert fast.same_samples(reference), data.hex()
    else:
        assert isinstance(reference, ProtocolError), data.hex()


def _random_bytes_test(name: str) -> object:
    @fuzz_settings(RANDOM_EXAMPLES[name])
    @given(st.lists(st.binary(max_size=240), min_size=1, max_size=BATCH))
    def run(batch: list[bytes]) -> None:
        inputs = [shape(name, i, raw) for i, raw in enumerate(batch)]
        _check_only_protocol_errors(ALL_DECODERS[name], inputs)
        if name == "decode_notification":
            for data in inputs:
                _assert_decoders_agree(data)

    return run


@pytest.mark.parametrize("name", RANDOM_EXAMPLES)
def test_random_bytes_raise_only_protocol_error(name: str) -> None:
    _random_bytes_test(name)()  # type: ignore[operator]


def _mutated_vectors_test(name: str) -> object:
    vectors = all_vector_bytes(VECTOR_FILE_OF[name])

    @fuzz_settings(MUTATION_EXAMPLES[name])
    @given(st.lists(st.binary(min_size=4, max_size=13), min_size=1, max_size=BATCH))
    def run(batch: list[bytes]) -> None:
        # Byte 0 picks a vector (valid or invalid), the rest are (op, position, value) triples.
        inputs = [
            apply_mutations(vectors[raw[0] % len(vectors)], mutations_from_bytes(raw[1:])) for raw in batch
        ]
        _check_only_protocol_errors(ALL_DECODERS[name], inputs)
        if name == "decode_notification":
            for data in inputs:
                _assert_decoders_agree(data)

    return run


@pytest.mark.parametrize("name", MUTATION_EXAMPLES)
def test_mutated_vectors_raise_only_protocol_error(name: str) -> None:
    _mutated_vectors_test(name)()  # type: ignore[operator]


def test_plain_seeded_loop_of_mutated_notifications_against_the_fast_decoder() -> None:
    rng = random.Random(0x5EED)
    vectors = all_vector_bytes("data_notifications.json")
    accepted = 0
    for case in range(PLAIN_LOOP_CASES):
        data = apply_mutations(rng.choice(vectors), random_mutations(rng))
        try:
            block = fp.decode_notification(data)
        except ProtocolError:
            pass
        else:
            accepted += 1
            assert len(data) == d.HEADER_SIZE + len(block) * d.SAMPLE_SIZE
        if case % PLAIN_LOOP_CROSS_CHECK_EVERY == 0:
            _assert_decoders_agree(data)
    # The mix must reach past the length checks often, or it would only test them.
    assert 0.25 * PLAIN_LOOP_CASES < accepted < 0.9 * PLAIN_LOOP_CASES


@pytest.mark.parametrize("name", ["parse_command", "parse_status"])
def test_plain_seeded_loop_of_mutated_commands_and_status_records(name: str) -> None:
    rng = random.Random(name)
    vectors = all_vector_bytes(VECTOR_FILE_OF[name])
    decode = ALL_DECODERS[name]
    inputs = [
        apply_mutations(rng.choice(vectors), random_mutations(rng)) for _ in range(PLAIN_LOOP_OTHER_CASES)
    ]
    _check_only_protocol_errors(decode, inputs)
    results = [outcome(decode, data) for data in inputs[:500]]
    assert any(not isinstance(r, ProtocolError) for r in results)
    assert any(isinstance(r, ProtocolError) for r in results)


def test_fuzz_budget_is_at_least_100k() -> None:
    assert PLAIN_LOOP_CASES >= 100_000
    assert sum(FUZZ_BUDGET.values()) >= 150_000
    assert set(RANDOM_EXAMPLES) == set(ALL_DECODERS)
