"""Counts on real recordings (UCI physical therapy data) and on simulated sets, through the streaming path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repquest.count_command import count_recording
from repquest.recording_csv import read_recording_csv

DATA = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "uci_pt_legs"
INDEX = json.loads((DATA / "index.json").read_text()) if (DATA / "index.json").exists() else []


@pytest.mark.skipif(not INDEX, reason="shared UCI recordings not present")
@pytest.mark.parametrize("item", INDEX, ids=[item["file"] for item in INDEX])
def test_real_session_counts_thirty_within_one(item: dict[str, object]) -> None:
    recording = read_recording_csv(str(DATA / str(item["file"])))
    result = count_recording(recording, str(item["exercise"]))
    assert abs(result["reps"] - 30) <= 1
    assert result["samples"] == recording.t_s.shape[0]


@pytest.mark.skipif(not INDEX, reason="shared UCI recordings not present")
def test_too_fast_reps_flagged_on_labelled_subject() -> None:
    recording = read_recording_csv(str(DATA / "uci_s1_e1_shank.csv"))
    events = count_recording(recording, "knee_extension")["rep_events"]
    # Labels: reps 11-20 (104-134 s) were done too fast; the others at a comfortable pace.
    fast = [e["too_fast"] for e in events if 100.0 <= e["t_s"] <= 136.0]
    others = [e["too_fast"] for e in events if not 100.0 <= e["t_s"] <= 136.0]
    assert sum(fast) >= 9
    assert sum(others) == 0
