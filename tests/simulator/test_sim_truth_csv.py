"""Ground truth JSON and the simulated CSV file."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from repquest.errors import UsageError
from repquest.simulator.csv_export import CSV_HEADER, truth_path, write_simulated_csv
from repquest.simulator.exercise_models import EXERCISE_IDS, build_set
from repquest.simulator.imu import dequantise, quantise
from repquest.simulator.truth import SetTruth


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_truth_round_trips_through_json(exercise: str) -> None:
    truth = build_set(exercise, 4, seed=12).truth
    text = json.dumps(truth.to_json())
    assert SetTruth.from_json(json.loads(text)) == truth


def test_csv_has_the_contract_header_and_quantised_values(tmp_path: Path) -> None:
    out = tmp_path / "knee.csv"
    truth = write_simulated_csv("knee_extension", 5, out, seed=4, rate_hz=50.0)
    lines = out.read_text().splitlines()
    assert lines[0] == CSV_HEADER
    assert lines[0].split(",") == [
        "time_s",
        "acc_x_g",
        "acc_y_g",
        "acc_z_g",
        "gyr_x_dps",
        "gyr_y_dps",
        "gyr_z_dps",
        "force_n",
    ]
    with out.open() as f:
        rows = np.array([[float(x) for x in row] for row in list(csv.reader(f))[1:]])
    sim = build_set("knee_extension", 5, seed=4, rate_hz=50.0)
    t = sim.time_axis()
    np.testing.assert_array_equal(rows[:, 0], t)
    assert rows[-1, 0] == pytest.approx(truth.duration_s, abs=0.02)
    expected = dequantise(*quantise(*sim.sample(t)))
    np.testing.assert_array_equal(rows[:, 1:4], expected[0])
    np.testing.assert_array_equal(rows[:, 4:7], expected[1])
    np.testing.assert_array_equal(rows[:, 7], expected[2])
    # Values sit on the puck's grid, so quantising again changes nothing.
    np.testing.assert_array_equal(rows[:, 1:4] * 2048, np.rint(rows[:, 1:4] * 2048))
    np.testing.assert_array_equal(rows[:, 4:7] * 16, np.rint(rows[:, 4:7] * 16))
    np.testing.assert_array_equal(rows[:, 7] * 2, np.rint(rows[:, 7] * 2))


def test_truth_json_is_written_beside_the_csv(tmp_path: Path) -> None:
    out = tmp_path / "set.csv"
    truth = write_simulated_csv("squeeze", 3, out, seed=1)
    assert truth_path(out) == tmp_path / "set.truth.json"
    stored = SetTruth.from_json(json.loads((tmp_path / "set.truth.json").read_text()))
    assert stored == truth
    assert stored.reps == len(stored.presses) == 3


def test_csv_of_an_unknown_exercise_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        write_simulated_csv("moonwalk", 3, tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()
