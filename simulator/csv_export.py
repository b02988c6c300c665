"""Write a simulated set as RepQuest's CSV contract, with its ground truth beside it.

Values are quantised exactly as the puck quantises them (PROTOCOL.md 3.3: 1/2048 g, 1/16 deg/s, 0.5 N), so a
file holds what the movement engine would have seen over Bluetooth, minus packet effects.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .exercise_models import build_set
from .imu import dequantise, quantise
from .truth import SetTruth

__all__ = ["CSV_HEADER", "truth_path", "write_simulated_csv"]

CSV_HEADER = "time_s,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps,gyr_z_dps,force_n"


def truth_path(csv_path: Path) -> Path:
    """``x.csv`` -> ``x.truth.json`` in the same folder."""
    return csv_path.with_name(f"{csv_path.stem}.truth.json")


def write_simulated_csv(
    exercise_id: str, reps: int, out: Path, *, seed: int = 0, rate_hz: float = 100.0
) -> SetTruth:
    """Simulate a set (random mounting, sensor noise) and write ``out`` (CSV) and ``<stem>.truth.json``.

    Raises:
        UsageError: unknown exercise id or bad numbers (see :func:`build_set`).
    """
    sim = build_set(exercise_id, reps, seed=seed, rate_hz=rate_hz)
    t = sim.time_axis()
    acc, gyr, force = dequantise(*quantise(*sim.sample(t)))
    table = np.column_stack([t, acc, gyr, force])
    lines = [CSV_HEADER]
    # repr() is the shortest text that reads back to the same float; the quantised values are exact binary
    # fractions, so the file round-trips bit for bit.
    lines.extend(",".join(map(repr, row)) for row in table.tolist())
    out = Path(out)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    truth_path(out).write_text(json.dumps(sim.truth.to_json(), indent=1) + "\n", encoding="utf-8")
    return sim.truth
