"""stream, record and replay from the virtual puck, on a virtual clock: same path, same numbers."""

from __future__ import annotations

import io
from pathlib import Path

from repquest import live
from repquest.clock import VirtualClock
from repquest.firmware_protocol import DATA_CHAR_UUID, decode_notification
from repquest.recording import read_recording


def test_stream_shows_live_rate_and_ends_with_a_loss_report() -> None:
    out = io.StringIO()
    code = live.stream_command(
        sim="knee_extension", address=None, rate_hz=100, seconds=5.0, out=out, clock=VirtualClock()
    )
    text = out.getvalue()
    assert code == 0
    assert "connected to RepQuest Puck SIM" in text
    assert "100.0 samples/s" in text or "99." in text
    assert "lost 0" in text.splitlines()[-1]


def test_record_then_replay_gives_back_every_notification(tmp_path: Path) -> None:
    path = tmp_path / "march.rqrec"
    out = io.StringIO()
    live.record_command(
        path, sim="seated_march", address=None, rate_hz=200, seconds=4.0, out=out, clock=VirtualClock()
    )
    recording = read_recording(path)
    data = [n for n in recording.notifications if n.char_uuid == DATA_CHAR_UUID]
    blocks = [decode_notification(n.data) for n in data]
    assert len(data) >= 4 * 200 // 15 - 2
    assert all(b.rate_hz == 200 for b in blocks)
    assert [b.seq for b in blocks] == list(range(blocks[0].seq, blocks[0].seq + len(blocks)))
    assert any(n.op == "read" for n in recording.notifications), "the status read is kept for replay"

    replay_out = io.StringIO()
    assert live.replay_command(path, fast=True, out=replay_out) == 0
    summary = replay_out.getvalue().splitlines()[-1]
    samples = sum(len(b) for b in blocks)
    assert f"received {len(blocks)} notifications ({samples} samples), lost 0" in summary
