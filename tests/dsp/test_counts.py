"""Counts on real recordings (UCI physical therapy data) and on simulated sets, through the streaming path."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from repquest.count_command import count_recording
from repquest.recording_csv import Recording, read_recording_csv

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


def _other_sensor(recording: Recording, rate_hz: float, seed: int) -> Recording:
    """The same motion as another puck would record it: resampled, strapped on turned, with its own bias."""
    rng = np.random.default_rng(seed)
    t = np.arange(recording.t_s[0], recording.t_s[-1], 1.0 / rate_hz)
    q, r = np.linalg.qr(rng.normal(size=(3, 3)))
    turn = q * np.sign(np.diag(r))
    turn = turn if np.linalg.det(turn) > 0 else -turn

    def resampled(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return np.column_stack([np.interp(t, recording.t_s, values[:, i]) for i in range(3)]) @ turn.T

    acc = resampled(recording.acc_g) + rng.normal(0.0, 0.004, (t.shape[0], 3))
    gyr = resampled(recording.gyr_dps) + rng.uniform(-2.0, 2.0, 3) + rng.normal(0.0, 0.3, (t.shape[0], 3))
    return Recording(t_s=t, acc_g=acc, gyr_dps=gyr, force_n=None, rate_hz=rate_hz)


@pytest.mark.skipif(not INDEX, reason="shared UCI recordings not present")
@pytest.mark.parametrize("item", INDEX, ids=[item["file"] for item in INDEX])
def test_real_session_counts_the_same_on_another_sensor(item: dict[str, object]) -> None:
    # Not tuned to one puck: at another rate, another mounting, another gyro bias and more noise, the same
    # 30 repetitions.
    recording = read_recording_csv(str(DATA / str(item["file"])))
    seed = sum(map(ord, str(item["file"])))
    result = count_recording(_other_sensor(recording, 60.0, seed), str(item["exercise"]))
    assert abs(result["reps"] - 30) <= 1
