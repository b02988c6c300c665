"""Reading the CSV recording contract (DESIGN.md): a header row naming at least the IMU columns.

Columns may come in any order; ``force_n`` is optional; other columns are ignored; a UTF-8 byte-order mark
(as spreadsheet programs save) is fine. Every problem raises ``InputFileError(path, line, problem)`` with the
1-based line number of the file, including values no body-worn sensor can give (e.g. 1e300), which would
break the engine's maths.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .errors import InputFileError

__all__ = ["REQUIRED_COLUMNS", "Recording", "check_samples", "read_recording_csv"]

FloatArray = npt.NDArray[np.float64]

REQUIRED_COLUMNS = ("time_s", "acc_x_g", "acc_y_g", "acc_z_g", "gyr_x_dps", "gyr_y_dps", "gyr_z_dps")
MIN_RATE_HZ = 20.0
MAX_RATE_HZ = 1200.0
# Beyond these no body-worn IMU reads (high-g parts stop near 400 g and 4000 deg/s); larger values are a
# broken file, and squared in the fusion they overflow. Times up to ~2286 allow Unix time stamps.
MAX_ACC_G = 1000.0
MAX_GYR_DPS = 100_000.0
MAX_FORCE_N = 100_000.0
MAX_TIME_S = 1e10
_LIMITS = (MAX_TIME_S, *(MAX_ACC_G,) * 3, *(MAX_GYR_DPS,) * 3, MAX_FORCE_N)
_WHAT = ("time_s", "acc_x_g", "acc_y_g", "acc_z_g", "gyr_x_dps", "gyr_y_dps", "gyr_z_dps", "force_n")


@dataclass(frozen=True, slots=True)
class Recording:
    """One recording in physical units.

    Attributes:
        t_s: (n,) sample times in seconds, never decreasing.
        acc_g: (n, 3) acceleration in g.
        gyr_dps: (n, 3) angular rate in deg/s.
        force_n: (n,) force in newtons, or None when the file has no force column.
        rate_hz: nominal rate from the median sample spacing.
    """

    t_s: FloatArray
    acc_g: FloatArray
    gyr_dps: FloatArray
    force_n: FloatArray | None
    rate_hz: float


def _header(path: str, row: list[str] | None) -> tuple[list[int], int | None]:
    if row is None:
        raise InputFileError(path, None, "the file is empty; expected a header row and samples")
    names = [cell.strip().lower() for cell in row]
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise InputFileError(path, 1, f"missing column(s) {', '.join(missing)} in the header row")
    force = names.index("force_n") if "force_n" in names else None
    return [names.index(name) for name in REQUIRED_COLUMNS], force


def read_recording_csv(path: str) -> Recording:
    """Read and check one CSV recording; raises InputFileError naming the line and problem."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = csv.reader(handle)
            columns, force_col = _header(path, next(rows, None))
            wanted = columns + ([force_col] if force_col is not None else [])
            values: list[list[float]] = []
            previous_t = -math.inf
            for line, row in enumerate(rows, start=2):
                if not row or all(not cell.strip() for cell in row):
                    continue
                try:
                    sample = [float(row[c]) for c in wanted]
                except IndexError:
                    raise InputFileError(
                        path, line, f"expected {len(wanted)} or more cells, got {len(row)}"
                    ) from None
                except ValueError:
                    bad = next(row[c] for c in wanted if not _is_number(row[c]))
                    raise InputFileError(path, line, f"non-numeric cell {bad.strip()!r}") from None
                if not all(math.isfinite(v) for v in sample):
                    bad = next(_WHAT[i] for i, v in enumerate(sample) if not math.isfinite(v))
                    raise InputFileError(path, line, f"{bad} is not a finite number (nan or inf)")
                for i, v in enumerate(sample):
                    if not -_LIMITS[i] <= v <= _LIMITS[i]:
                        raise InputFileError(path, line, _out_of_range(i, v))
                if sample[0] < previous_t:
                    raise InputFileError(
                        path, line, f"time goes backwards ({sample[0]} s after {previous_t} s)"
                    )
                previous_t = sample[0]
                values.append(sample)
    except OSError as error:
        raise InputFileError(path, None, f"cannot read the file: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise InputFileError(path, None, "not a text (UTF-8) CSV file") from None
    if len(values) < 2:
        raise InputFileError(path, None, "no samples after the header row (need at least two)")
    data = np.asarray(values, dtype=np.float64)
    return Recording(
        t_s=data[:, 0].copy(),
        acc_g=np.ascontiguousarray(data[:, 1:4]),
        gyr_dps=np.ascontiguousarray(data[:, 4:7]),
        force_n=data[:, 7].copy() if force_col is not None else None,
        rate_hz=_rate_hz(path, data[:, 0]),
    )


def _out_of_range(column: int, value: float) -> str:
    return (
        f"{_WHAT[column]} = {value:g} is beyond what any body-worn sensor reads (at most {_LIMITS[column]:g}); "
        "check the file's units and values"
    )


def check_samples(path: str, t_s: FloatArray, acc_g: FloatArray, gyr_dps: FloatArray) -> None:
    """The same finite-and-in-range check for samples that came from elsewhere (a recording)."""
    table = np.column_stack((t_s, acc_g, gyr_dps))
    bad = ~np.isfinite(table) | (np.abs(table) > np.asarray(_LIMITS[:7]))
    if bad.any():
        row, column = (int(i) for i in np.argwhere(bad)[0])
        raise InputFileError(
            path, None, f"sample {row + 1}: " + _out_of_range(column, float(table[row, column]))
        )
    if (np.diff(t_s) < 0).any():
        raise InputFileError(path, None, "time goes backwards in the recording")


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _rate_hz(path: str, t_s: FloatArray) -> float:
    spacing_s = np.diff(t_s)
    spacing_s = spacing_s[spacing_s > 0]
    if spacing_s.size == 0:
        raise InputFileError(path, None, "all samples have the same time stamp")
    rate_hz = 1.0 / float(np.median(spacing_s))
    if not MIN_RATE_HZ <= rate_hz <= MAX_RATE_HZ:
        raise InputFileError(path, None, f"sample rate {rate_hz:.1f} Hz is outside 25-1000 Hz")
    return rate_hz
